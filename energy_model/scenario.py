"""Scenario files: the pydantic v2 schema, the YAML loader and the JSON-schema export.

A scenario is a YAML file describing one province study: the simulated year, the weather
source, the tariff and export rules, economics, costs and the parks. Every field has a
unit in its name or its description, every number is bounded, and unknown keys are
refused with a did-you-mean suggestion.

Layering (precedence from low to high)
--------------------------------------
1. the model defaults written in this schema;
2. the file named by ``extends:`` (recursively; its own relative paths resolve against it);
3. the file itself: mappings are merged key by key, lists are replaced, except ``parks``,
   which is merged by ``id`` (an entry with a known id updates that park; a new id is
   appended; ``remove_parks: [id, ...]`` drops parks of the base);
4. ``--set key.path=value`` overrides on the command line (``load_scenario(overrides=...)``).

Relative paths (``weather.normals``, ``weather.file``, ``parks[].weather_file``,
``parks[].load.meter_file``, ``parks[].wind[].power_curve``) resolve against the file
that names them.

Sources
-------
Catalog figures carry their quality mark in a per-park ``sources:`` map keyed by field
path (``area_ha``, ``grid.substation_mva``, ``pv`` for all PV fields, ...), and a
top-level ``sources:`` map for scenario-wide figures. Marks: **S** read on an official
or news page; **S2** quoted by secondary documents; **E** an estimate with its method;
**NF** not found; **user** a user's own input.
"""

from __future__ import annotations

import copy
import difflib
import types
import typing
from pathlib import Path
from typing import Annotated, Any, Literal, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator,
                      model_validator)

from energy_model.errors import Problem, ScenarioError
from energy_model.geo.distance import great_circle_km
from energy_model.geo.heritage import in_heritage_zone
from energy_model.geo.siting import land_problems
from energy_model.load import IndustryShare, LoadSpec
from energy_model.solar import PVArray
from energy_model.wind import WindFarm
from energy_model.yaml_io import LineMap, line_of, load_yaml

MIN_YEAR, MAX_YEAR = 2020, 2060


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceMark(_Strict):
    """Quality mark and source of one figure."""

    mark: Literal["S", "S2", "E", "NF", "user"] = Field(
        description="S official/news page read; S2 secondary quotes; E estimate (method in "
                    "source); NF not found; user: the user's own input")
    source: str = Field("", description="where the figure comes from, or the estimation method")
    note: str = Field("", description="anything a reader should know")


class Location(_Strict):
    """A point on Earth."""

    lat: float = Field(ge=-90, le=90, description="latitude [deg north]")
    lon: float = Field(ge=-180, le=180, description="longitude [deg east]")
    altitude_m: float = Field(0.0, ge=-430, le=6000, description="altitude above sea level [m]")


class WeatherConfig(_Strict):
    """Where the hourly weather comes from."""

    source: Literal["normals", "file"] = Field(
        "normals", description="'normals': synthetic hourly years from monthly normals; "
                               "'file': a measured or typical-year file for all parks")
    normals: str | None = Field(
        None, description="monthly normals CSV (default: the shipped weather/quang_ninh_normals.csv)")
    file: str | None = Field(None, description="weather file (EPW, TMY3, PVGIS, PSM3 or CSV) "
                                               "when source is 'file'")
    seed: int = Field(0, ge=0, le=2**32 - 1, description="random seed of the synthetic weather")
    years: int = Field(1, ge=1, le=100, description="number of synthetic weather years "
                                                    "(1 = a typical year; >1 = P50/P90 ensemble)")

    @model_validator(mode="after")
    def _file_given(self):
        if self.source == "file" and not self.file:
            raise ValueError("source is 'file' but no 'file' is given")
        return self


class ExportRules(_Strict):
    """What may be sold to the grid (Decree 135/2024 and its 2026 amendment)."""

    price_vnd_per_kwh: float = Field(
        1426.6, ge=0, le=20000,
        description="surplus price [VND/kWh]: previous year's average market price (2025: 1,426.6, S2)")
    cap_share: float = Field(0.20, ge=0, le=1, description="export cap as a share of installed "
                                                            "rooftop PV (20 % Decree 135/2024, S; 50 % 2026, S2) [-]")
    basis: Literal["power", "energy"] = Field(
        "power", description="'power': export kW ≤ share × rooftop kWp each hour; "
                             "'energy': exported kWh ≤ share × rooftop kWh per year")
    allow_wind: bool = Field(False, description="wind may export (e.g. under a DPPA)")
    allow_ground_pv: bool = Field(False, description="ground PV may export")
    allow_floating_pv: bool = Field(False, description="floating PV may export")


class TariffConfig(_Strict):
    """EVN retail tariff and export rules."""

    name: str = Field("evn_2025", description="named tariff: time-of-use frame, energy prices and "
                                              "optional capacity charge (energy_model/data/tariffs.yaml): "
                                              "evn_2023, evn_2025, evn_2026, evn_two_component_2026")
    export: ExportRules = ExportRules()


class Economics(_Strict):
    """Financial assumptions. Rates are real unless named nominal; currency VND."""

    discount_rate_real: float = Field(0.063, ge=0, le=0.5, description="real discount rate [1/yr]; default: pre-tax WACC of 70 % VND debt at 8.5 % and 30 % equity at 13.5 % (S2), 10.0 % nominal, less 3.5 % inflation")
    inflation: float = Field(0.035, ge=-0.05, le=0.5, description="general inflation [1/yr], "
                                                                  "to state nominal figures")
    lifetime_years: int = Field(25, ge=1, le=60, description="analysis period [yr]")
    currency: Literal["VND"] = Field("VND", description="currency of all amounts")
    vnd_per_usd: float = Field(25000, gt=1000, lt=100000, description="exchange rate [VND/USD]")
    tariff_escalation_real: float = Field(
        0.005, ge=-0.2, le=0.5, description="real escalation of EVN prices [1/yr] "
                                            "(4 %/yr nominal, S2, less inflation)")
    emission_factor_t_per_mwh: float | None = Field(
        None, ge=0, le=2, description="grid emission factor [tCO2/MWh]; default: the official "
                                      "average factor of the latest year ≤ scenario year")
    emission_factor_decline: float = Field(0.0, ge=0, le=0.2,
                                           description="yearly relative decline of the factor "
                                                       "over the asset life [1/yr]")
    co2_price_vnd_per_t: float = Field(0.0, ge=0, le=1e8, description="carbon price [VND/tCO2]")


class CostOverride(_Strict):
    """Installed-system cost overrides for one technology (defaults in data/costs.csv)."""

    capex_vnd_per_kw: float | None = Field(None, ge=0, le=2e8, description="[VND/kW]")
    capex_vnd_per_kwh: float | None = Field(None, ge=0, le=1e8, description="battery energy [VND/kWh]")
    fixed_om_vnd_per_kw_yr: float | None = Field(None, ge=0, le=1e7, description="[VND/kW/yr]")
    fixed_om_vnd_per_kwh_yr: float | None = Field(None, ge=0, le=1e7, description="[VND/kWh/yr]")
    life_years: int | None = Field(None, ge=1, le=60, description="[yr]")


class SizingConfig(_Strict):
    """How the sizing LP is set up."""

    allow_unmet: bool = Field(False, description="opt-in unmet-load slack (diagnosis of infeasible cases)")
    unmet_multiple: float = Field(100.0, ge=2, le=1e4,
                                  description="unmet load priced at this multiple of the highest tariff price")
    min_renewable_share: float | None = Field(None, ge=0, le=1,
                                              description="minimum on-site renewable share of load [-]")
    import_cap: Literal["firm", "nameplate", "none"] = Field(
        "firm", description="default import cap: substation firm (N-1) capacity × power factor, "
                            "its nameplate, or none; where no rating is known, the grid-only "
                            "peak load (the connection is assumed sized for today's peak)")
    peak_reduction_target: float | None = Field(
        None, ge=0, le=1, description="required cut of peak import against grid-only [-]")
    method: Literal["auto", "monolithic", "fast"] = Field(
        "auto", description="LP path: 'fast' exact decomposition, 'monolithic', or 'auto'")


class CapWindow(_Strict):
    """A period with a lower import cap, e.g. the June 2023 rotating cuts."""

    start: str = Field(description="ISO date-time, local time")
    end: str = Field(description="ISO date-time, local time (exclusive)")
    cap_kw: float = Field(ge=0, description="import cap during the window [kW]")
    hours: list[int] | None = Field(None, description="hours of day (0–23) inside the dates; all if omitted")


class Grid(_Strict):
    """Grid connection of a park: voltage, metering point and substation."""

    voltage: Literal["ge110kv", "22_110kv", "6_22kv", "lt6kv"] = Field(
        description="EVN voltage level of the metering point")
    metering: Literal["park", "tenant"] = Field(
        "park", description="'park': one meter behind a licensed park retailer; 'tenant': tenants "
                            "metered one by one by EVN. Tariff and export caps apply at this point")
    substation_mva: float | None = Field(None, gt=0, le=5000, description="substation nameplate [MVA]")
    transformers: int | None = Field(None, ge=1, le=20, description="number of equal transformers")
    firm_mva: float | None = Field(None, gt=0, le=5000,
                                   description="firm (N-1) capacity [MVA]; default nameplate × (n−1)/n")
    power_factor: float = Field(0.9, gt=0.5, le=1.0, description="power factor of the park load [-]")
    import_cap_kw: float | None = Field(None, ge=0, le=5e6, description="explicit import cap [kW]")
    cap_windows: list[CapWindow] = Field(default_factory=list, description="periods of lower cap")

    @property
    def firm_kva(self) -> float | None:
        """Firm (N-1) capacity [kVA], from ``firm_mva`` or nameplate and transformer count."""
        if self.firm_mva is not None:
            return self.firm_mva * 1000.0
        if self.substation_mva is not None and self.transformers and self.transformers > 1:
            return self.substation_mva * 1000.0 * (self.transformers - 1) / self.transformers
        return None


class BatteryLimits(_Strict):
    """Battery storage limits of a park (sized by the LP unless fixed)."""

    allowed: bool = Field(True, description="whether a battery may be built")
    max_kwh: float | None = Field(None, ge=0, le=1e7, description="energy limit [kWh]")
    max_kw: float | None = Field(None, ge=0, le=1e7, description="power limit [kW]")
    duration_h: float | None = Field(None, gt=0, le=24, description="fixed energy/power ratio [h]")
    fixed_kwh: float | None = Field(None, ge=0, le=1e7, description="given energy, not sized [kWh]")
    fixed_kw: float | None = Field(None, ge=0, le=1e7, description="given power, not sized [kW]")
    round_trip_efficiency: float = Field(0.88, gt=0, le=1, description="AC round-trip efficiency [-]")
    soc_min: float = Field(0.10, ge=0, lt=1, description="minimum state of charge [-]")
    throughput_cost_vnd_per_kwh: float = Field(
        100.0, ge=0, le=1e5, description="degradation cost per kWh discharged [VND/kWh]")

    @model_validator(mode="after")
    def _power_needs_energy(self):
        if self.fixed_kw is not None and self.fixed_kw > 0 and not self.fixed_kwh and not self.duration_h:
            raise ValueError("fixed_kw is given without fixed_kwh or duration_h: "
                             "a battery power needs an energy")
        return self


class Observed(_Strict):
    """Measured facts about a park, used for calibration and checks."""

    peak_mw: float | None = Field(None, ge=0, le=5000, description="observed peak load [MW]")
    year: int | None = Field(None, ge=2000, le=MAX_YEAR, description="year of the observation")
    curtailed_mw: float | None = Field(None, ge=0, le=5000, description="load cut during the event [MW]")


# --- issue 20 (helper C): heritage flag from geometry with an explicit override; current
# place names after the 2025 merger of commune-level units --------------------------------
class HeritageOverride(_Strict):
    """Replaces the heritage flag the polygons give a park, with the reason."""

    value: bool = Field(description="the flag to use instead of the polygons' answer")
    reason: str = Field(min_length=3, description="why the polygons' answer is overridden")


class PlaceName(_Strict):
    """A park's place: the name its sources use and the current unit after the 2025 merger.

    Its quality mark goes in the park's ``sources: {place: {mark, source}}`` like any figure.
    """

    former: str = Field(min_length=1, description="place name used by the sources (pre-2025)")
    current: str = Field(min_length=1, description="current ward, commune or special zone "
                                                   "(Resolution 1679/NQ-UBTVQH15, 2025)")


def _heritage_from_geometry(data: Any) -> Any:
    """Fill ``heritage_buffer`` from the polygons unless given or overridden (before validation)."""
    if not isinstance(data, dict):
        return data
    override = data.get("heritage_override")
    if override is not None:
        if data.get("heritage_buffer") is not None:
            raise ValueError("give heritage_buffer or heritage_override, not both")
        value = override.get("value") if isinstance(override, dict) else getattr(override, "value", None)
        return {**data, "heritage_buffer": value}
    if data.get("heritage_buffer") is not None:
        return data  # a user's explicit flag is taken as given
    loc = data.get("location")
    lat = loc.get("lat") if isinstance(loc, dict) else getattr(loc, "lat", None)
    lon = loc.get("lon") if isinstance(loc, dict) else getattr(loc, "lon", None)
    if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
        return {**data, "heritage_buffer": in_heritage_zone(float(lat), float(lon))}
    return data
# --- end issue 20 ---------------------------------------------------------------------------


ParkId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_\-]{0,63}$",
                              description="short id: lowercase letters, digits, _ or -")]


class Park(_Strict):
    """One industrial park (KCN) or economic zone (KKT)."""

    id: ParkId
    name: str = Field(min_length=1, max_length=200, description="display name (Vietnamese allowed)")
    kind: Literal["KCN", "KKT"] = Field(description="KCN industrial park, KKT economic zone")
    status: Literal["operating", "expanding", "under_construction", "planned"] = "operating"
    location: Location
    weather_station: str | None = Field(None, description="station id in the normals table")
    weather_file: str | None = Field(None, description="weather file for this park")
    within_kkt: str | None = Field(None, description="id of the KKT that contains this KCN")
    area_ha: float = Field(gt=0, le=500000, description="planned area [ha]")
    occupancy: float = Field(ge=0, le=1, description="occupied (leased) share of the area [-]")
    occupancy_year: int = Field(ge=2000, le=MAX_YEAR, description="year of the occupancy figure")
    industries: list[IndustryShare] = Field(default_factory=list,
                                            description="industry mix by share of occupied area")
    heritage_buffer: bool = Field(False, description="inside a World Heritage core or buffer "
                                  "zone: rooftop PV only. Omitted: from the heritage polygons "
                                  "of energy_model.geo.heritage (park location)")
    heritage_override: HeritageOverride | None = Field(
        None, description="replace the polygons' heritage flag, with the reason")
    place: PlaceName | None = Field(None, description="former and current (post-2025) place name")
    load: LoadSpec
    pv: list[PVArray] = Field(default_factory=list)
    wind: list[WindFarm] = Field(default_factory=list)
    battery: BatteryLimits = BatteryLimits()
    grid: Grid
    observed: Observed | None = None
    sources: dict[str, SourceMark] = Field(default_factory=dict,
                                           description="quality mark per field path")

    _heritage = model_validator(mode="before")(_heritage_from_geometry)

    @model_validator(mode="after")
    def _checks(self):
        from energy_model.rules import allowed_in_heritage_buffer

        if self.heritage_buffer:
            bad = [a.name for a in self.pv if not allowed_in_heritage_buffer(a.kind)]
            if bad:
                raise ValueError(f"heritage-buffer park cannot have ground or floating PV "
                                 f"(arrays {bad}); only rooftop PV is allowed")
            onsite = [w.name for w in self.wind if not getattr(w, "offsite", False)]
            if onsite:
                raise ValueError(f"heritage-buffer park cannot have on-site wind (farms {onsite})")
        names = [a.name for a in self.pv] + [w.name for w in self.wind]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"PV array and wind farm names must be unique in a park: {dup}")
        if self.industries:
            total = sum(i.share for i in self.industries)
            if abs(total - 1.0) > 0.01:
                raise ValueError(f"industries shares must sum to 1, got {total:.3f}")
        return self


class Scenario(_Strict):
    """A province study: one simulated year, its weather, tariff, economics and parks."""

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$",
                               description="scenario name; results go to results/<name>/")]
    description: str = ""
    extends: str | None = Field(None, description="base scenario file this one layers onto")
    year: int = Field(ge=MIN_YEAR, le=MAX_YEAR, description="simulated calendar year")
    timezone: str = Field("Asia/Ho_Chi_Minh", description="IANA time zone of all hourly series")
    weather: WeatherConfig = WeatherConfig()
    tariff: TariffConfig = TariffConfig()
    economics: Economics = Economics()
    costs: dict[str, CostOverride] = Field(default_factory=dict,
                                           description="cost overrides by technology")
    sizing: SizingConfig = SizingConfig()
    load_case: Literal["low", "base", "high"] = Field("base", description="load projection case")
    load_calibration: float = Field(1.0, gt=0.1, lt=10,
                                    description="one scalar applied to every park's load [-]")
    sources: dict[str, SourceMark] = Field(default_factory=dict,
                                           description="quality marks of scenario-wide figures")
    parks: list[Park] = Field(min_length=1)

    _files: tuple = PrivateAttr(default=())

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r}; expected an IANA name such as "
                             "'Asia/Ho_Chi_Minh'") from None
        return v

    @model_validator(mode="after")
    def _cross(self):
        ids = [p.id for p in self.parks]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"duplicate park ids: {dup}")
        kkts = {p.id for p in self.parks if p.kind == "KKT"}
        for p in self.parks:
            if p.within_kkt is not None and p.within_kkt not in kkts:
                raise ValueError(f"park {p.id!r}: within_kkt {p.within_kkt!r} is not a KKT of "
                                 f"this scenario (KKTs: {sorted(kkts)})")
        return self

    # ------------------------------------------------------------------ helpers
    def park(self, park_id: str) -> Park:
        """The park with id ``park_id``."""
        for p in self.parks:
            if p.id == park_id:
                return p
        raise ScenarioError(f"no park with id {park_id!r}; known: {[p.id for p in self.parks]}")


# ---------------------------------------------------------------------- loading
#: key paths (with '*' for list items) that hold file paths relative to the scenario file
PATH_KEYS: tuple[tuple, ...] = (
    ("weather", "normals"), ("weather", "file"),
    ("parks", "*", "weather_file"), ("parks", "*", "load", "meter_file"),
    ("parks", "*", "wind", "*", "power_curve"),
)


def _resolve_paths(data: Any, base: Path) -> None:
    def visit(node: Any, keys: tuple) -> None:
        if not keys or node is None:
            return
        head, rest = keys[0], keys[1:]
        if head == "*":
            if isinstance(node, list):
                for item in node:
                    visit(item, rest)
            return
        if not isinstance(node, dict) or head not in node:
            return
        if not rest:
            value = node[head]
            if isinstance(value, str) and value and not Path(value).is_absolute():
                node[head] = str((base / value).resolve())
            return
        visit(node[head], rest)

    for keys in PATH_KEYS:
        visit(data, keys)


def _deep_merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            if k == "parks" and isinstance(v, list) and isinstance(base.get("parks"), list):
                out[k] = _merge_parks(base["parks"], v)
            else:
                out[k] = _deep_merge(base.get(k), v) if k in base else copy.deepcopy(v)
        return out
    return copy.deepcopy(over)


def _merge_parks(base: list, over: list) -> list:
    merged = [copy.deepcopy(p) for p in base]
    index = {p.get("id"): i for i, p in enumerate(merged) if isinstance(p, dict)}
    for p in over:
        pid = p.get("id") if isinstance(p, dict) else None
        if pid in index:
            merged[index[pid]] = _deep_merge(merged[index[pid]], p)
        else:
            merged.append(copy.deepcopy(p))
    return merged


def _set_path(data: dict, dotted: str, value: Any) -> None:
    """Apply one ``--set a.b[2].c=value`` override."""
    import re

    parts: list[Any] = []
    for token in dotted.split("."):
        m = re.fullmatch(r"([^\[\]]+)((?:\[\d+\])*)", token)
        if not m:
            raise ScenarioError(f"--set {dotted}: cannot parse key path segment {token!r}")
        parts.append(m.group(1))
        parts.extend(int(i) for i in re.findall(r"\[(\d+)\]", m.group(2)))
    node: Any = data
    for part in parts[:-1]:
        try:
            node = node[part] if not (isinstance(node, dict) and part not in node) else node.setdefault(part, {})
        except (IndexError, KeyError, TypeError):
            raise ScenarioError(f"--set {dotted}: no such key path in the scenario") from None
    try:
        node[parts[-1]] = value
    except (IndexError, TypeError):
        raise ScenarioError(f"--set {dotted}: no such key path in the scenario") from None


def _read_layered(path: Path, chain: tuple[Path, ...] = ()) -> tuple[dict, LineMap, list[Path]]:
    path = path.resolve()
    if path in chain:
        raise ScenarioError(f"{path}: 'extends' forms a loop: "
                            + " -> ".join(str(p) for p in chain + (path,)), file=str(path))
    data, lines = load_yaml(path)
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: expected a mapping of scenario keys at the top level, "
                            f"got {type(data).__name__}", file=str(path))
    _resolve_paths(data, path.parent)
    files = [path]
    base_name = data.get("extends")
    if base_name:
        if not isinstance(base_name, str):
            raise ScenarioError(f"{path}:{lines.get(('extends',), '?')}: extends must be a file path")
        base_path = (path.parent / base_name)
        if not base_path.exists():
            raise ScenarioError(f"{path}:{lines.get(('extends',), '?')}: extends: base scenario "
                                f"{base_name!r} not found (looked at {base_path})", file=str(path))
        base, _, base_files = _read_layered(base_path, chain + (path,))
        removed = data.pop("remove_parks", None) or []
        if removed and isinstance(base.get("parks"), list):
            base["parks"] = [p for p in base["parks"] if p.get("id") not in removed]
        data = _deep_merge(base, data)
        files = base_files + files
    data.pop("remove_parks", None)
    return data, lines, files


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The pydantic model class that owns the last key of ``loc`` (for did-you-mean)."""
    model: Any = Scenario
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(part)
        if field is None:
            return model
        model = _unwrap(field.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, dict):
        args = typing.get_args(annotation)
        return _unwrap(args[-1]) if args else None
    if origin in (Union, types.UnionType) or origin is typing.Annotated:
        for arg in typing.get_args(annotation):
            u = _unwrap(arg)
            if isinstance(u, type) and issubclass(u, BaseModel):
                return u
        return None
    return annotation


def _format_loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _problems_from_validation(exc: ValidationError, file: str, lines: LineMap,
                              data: dict) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and
                                                  p in ("function-after", "function-before")))
        # drop pydantic's union/tag markers
        loc = tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p.startswith("tagged"))))
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        if err["type"] == "extra_forbidden":
            model = _model_at(loc[:-1])
            key = loc[-1]
            msg = "unknown key"
            if model is not None:
                fields = list(model.model_fields)
                close = difflib.get_close_matches(str(key), fields, n=1, cutoff=0.6)
                if close:
                    msg += f"; did you mean {close[0]!r}?"
                else:
                    msg += f"; expected one of: {', '.join(fields)}"
        elif err["type"] == "missing":
            msg = "required key is missing"
        elif "input" in err and err["type"] not in ("model_type", "dict_type") and \
                not (isinstance(err["input"], dict) and len(loc) == 0):
            shown = repr(err["input"])
            if len(shown) > 60:
                shown = shown[:57] + "..."
            msg = f"{msg}, got {shown}"
        problems.append(Problem(msg, file=file, line=line_of(lines, loc), key=_format_loc(loc)))
    return problems


def _duplicate_id_problems(data: Any, file: str, lines: LineMap) -> list[Problem]:
    """One located problem per park whose ``id`` repeats an earlier park's."""
    parks = data.get("parks") if isinstance(data, dict) else None
    if not isinstance(parks, list):
        return []
    first: dict[str, int] = {}
    problems = []
    for i, park in enumerate(parks):
        pid = park.get("id") if isinstance(park, dict) else None
        if not isinstance(pid, str):
            continue
        if pid in first:
            j = first[pid]
            problems.append(Problem(
                f"duplicate park ids: {pid!r} is also parks[{j}].id (line "
                f"{line_of(lines, ('parks', j, 'id'))}); park ids must be unique",
                file=file, line=line_of(lines, ("parks", i, "id")), key=f"parks[{i}].id"))
        else:
            first[pid] = i
    return problems


def load_scenario(path: str | Path | None = None, overrides: dict[str, Any] | None = None,
                  check_references: bool = True) -> Scenario:
    """Load, layer and validate a scenario file.

    Parameters
    ----------
    path : str or Path, optional
        Scenario YAML. Default: the Quảng Ninh catalog.
    overrides : dict, optional
        ``{"key.path": value}`` applied last (highest precedence).
    check_references : bool
        Also check named references: weather stations, tariffs, turbines and files.

    Returns
    -------
    Scenario
        With ``scenario_file`` and ``layer_files`` in ``Scenario.model_extra``-free attributes
        :func:`scenario_file` and :func:`layer_files`.

    Raises
    ------
    ScenarioError
        Listing every problem with its file, line and key path.
    """
    from energy_model.paths import default_scenario

    path = Path(path) if path is not None else default_scenario()
    data, lines, files = _read_layered(path)
    for key, value in (overrides or {}).items():
        _set_path(data, key, value)
    data.pop("extends", None)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = _problems_from_validation(exc, str(path), lines, data)
        located = _duplicate_id_problems(data, str(path), lines)
        if located:  # replace the unlocated model-level message by one per duplicate
            problems = [p for p in problems if not p.message.startswith("duplicate park ids")]
            problems += located
        raise ScenarioError(f"{path}: {len(problems)} problem(s) in the scenario",
                            problems, file=str(path)) from None
    scenario._files = tuple(files)
    if check_references:
        problems = reference_problems(scenario, str(path), lines)
        if problems:
            raise ScenarioError(f"{path}: {len(problems)} problem(s) in the scenario",
                                problems, file=str(path))
    return scenario


def layer_files(scenario: Scenario) -> tuple[Path, ...]:
    """The files a loaded scenario was layered from, base first."""
    return getattr(scenario, "_files", ())


#: Farthest a park may lie from the weather station whose synthetic weather it uses [km].
#: The shipped catalog's parks lie within 26 km of theirs; Quảng Ninh is ~250 km long.
#: Beyond this the station's climate does not stand for the site, and the usual cause
#: is a typing slip (a dropped minus sign, swapped digits, lat and lon exchanged).
MAX_STATION_DISTANCE_KM = 100.0


def _station_too_far(park, station) -> str | None:
    """A message when a park lies farther than MAX_STATION_DISTANCE_KM from its station."""
    lat, lon = getattr(station, "latitude", None), getattr(station, "longitude", None)
    if lat is None or lon is None:
        return None
    km = great_circle_km(park.location.lat, park.location.lon, lat, lon)
    if km <= MAX_STATION_DISTANCE_KM:
        return None
    return (f"lat {park.location.lat:g}, lon {park.location.lon:g} is {km:,.0f} km from its "
            f"weather station {park.weather_station!r} (lat {lat:g}, lon {lon:g}); expected "
            f"within {MAX_STATION_DISTANCE_KM:g} km: check the sign and digits of lat and lon, "
            "or give a weather_file for this site")


def reference_problems(scenario: Scenario, file: str, lines: LineMap) -> list[Problem]:
    """Check names and files the schema alone cannot: stations, tariffs, turbines, files."""
    problems: list[Problem] = []

    def add(msg: str, loc: tuple) -> None:
        problems.append(Problem(msg, file=file, line=line_of(lines, loc), key=_format_loc(loc)))

    # weather
    w = scenario.weather
    stations: dict = {}
    if w.source == "normals":
        from energy_model.paths import shipped_dir

        normals_path = Path(w.normals) if w.normals else shipped_dir("weather") / "quang_ninh_normals.csv"
        if not normals_path.exists():
            add(f"normals file not found: {normals_path}", ("weather", "normals"))
        else:
            try:
                from energy_model.weather.normals import load_normals

                stations = dict(load_normals(normals_path).stations)
            except Exception as exc:  # reported, not raised: list all problems together
                add(f"normals file cannot be read: {exc}", ("weather", "normals"))
    elif w.file and not Path(w.file).exists():
        add(f"weather file not found: {w.file}", ("weather", "file"))

    # tariff
    try:
        from energy_model import tariff as tariff_mod

        known = sorted(tariff_mod.load_tariff_table().tariffs)
        if scenario.tariff.name not in known:
            close = difflib.get_close_matches(scenario.tariff.name, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            add(f"unknown tariff {scenario.tariff.name!r}{hint} (known: {', '.join(known)})",
                ("tariff", "name"))
    except ImportError:
        pass

    for i, park in enumerate(scenario.parks):
        if park.weather_file and not Path(park.weather_file).exists():
            add(f"weather file not found: {park.weather_file}", ("parks", i, "weather_file"))
        elif w.source == "normals" and not park.weather_file and stations:
            if park.weather_station is None:
                add("weather_station is required when weather.source is 'normals'",
                    ("parks", i))
            elif park.weather_station not in stations:
                close = difflib.get_close_matches(park.weather_station, sorted(stations), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(sorted(stations))}"
                add(f"unknown weather station {park.weather_station!r}{hint}",
                    ("parks", i, "weather_station"))
            else:
                far = _station_too_far(park, stations[park.weather_station])
                if far:
                    add(far, ("parks", i, "location"))
        for msg, sub in land_problems(park):  # issue 20: ground PV / onshore wind at sea
            add(msg, ("parks", i, *sub))
        meter = getattr(park.load, "meter_file", None)
        if meter and not Path(meter).exists():
            add(f"meter file not found: {meter}", ("parks", i, "load", "meter_file"))
        for j, farm in enumerate(park.wind):
            curve = getattr(farm, "power_curve", None)
            if curve:
                if not Path(curve).exists():
                    add(f"power curve file not found: {curve}", ("parks", i, "wind", j, "power_curve"))
                continue
            try:
                from energy_model.wind import get_turbine

                get_turbine(farm.turbine)
            except Exception:
                from energy_model.wind import turbine_library

                names = list(turbine_library()["name"])
                close = difflib.get_close_matches(str(farm.turbine), names, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else \
                    "; run 'energy-model wind --list-turbines' for the library"
                add(f"unknown turbine {farm.turbine!r}{hint}", ("parks", i, "wind", j, "turbine"))
    return problems


def json_schema() -> dict:
    """The JSON schema of scenario files (for editors and documentation)."""
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "energy_model scenario"
    return schema
