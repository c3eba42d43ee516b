"""The scenario schema (pydantic v2): location, weather, tariff, export rules, economics,
costs, sizing, grid, battery and the parks. The PV, wind and load schemas are in
:mod:`.pv`, :mod:`.wind` and :mod:`.load`; nothing here imports a physics stage.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from energy_model.errors import ScenarioError
from energy_model.geo.heritage import in_heritage_zone
from energy_model.rules import allowed_in_heritage_buffer
from energy_model.scenario.contracts import Contract, ContractSettings
from energy_model.scenario.load import IndustryShare, LoadSpec
from energy_model.scenario.pv import PVArray
from energy_model.scenario.wind import WindFarm

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


#: first scenario year whose defaults are the rules in force since 2026: the QĐ 963/2026
#: frame (tariff evn_2026) and Decree 243/2026 (50 % of energy); earlier years default to
#: the 2023 frame (evn_2025) and Decree 135/2024 (20 % of power) (quang_ninh.md §3–4)
RULES_2026_FROM_YEAR = 2027
#: defaults of a scenario year before RULES_2026_FROM_YEAR (filled only where not written)
PRE_2027_DEFAULTS = {"name": "evn_2025", "cap_share": 0.20, "basis": "power"}


class ExportRules(_Strict):
    """What may be sold to the grid (Decree 243/2026; Decree 135/2024 before 2027)."""

    price_vnd_per_kwh: float = Field(
        1426.6, ge=0, le=20000,
        description="surplus price [VND/kWh]: previous year's average market price (2025: 1,426.6, S2)")
    cap_share: float = Field(0.50, ge=0, le=1, description="export cap share [-]: 50 % Decree "
                                                            "243/2026 (S2, default from 2027); "
                                                            "20 % Decree 135/2024 (S, default "
                                                            "before 2027)")
    basis: Literal["power", "energy"] = Field(
        "energy", description="'energy': exported kWh ≤ share × rooftop kWh at the inverter "
                              "output per year (Decree 243/2026, default from 2027); 'power': "
                              "export kW ≤ share × installed rooftop capacity each hour "
                              "(Decree 135/2024 reading, default before 2027)")
    capacity_basis: Literal["dc", "ac"] = Field(
        "ac", description="how 'installed capacity' of a power-basis cap is read: 'dc' module "
                          "nameplate [kWp] or 'ac' inverter rating [kW] = kWp / dc_ac_ratio. "
                          "Default 'ac' (E): Decree 243/2026 measures the surplus at the "
                          "inverter output, and the AC reading is the tighter one for "
                          "dc_ac_ratio > 1; the decrees' own definition was not read (NF)")
    battery: Literal["none", "pv_charged"] = Field(
        "none", description="'pv_charged': the surplus may include energy discharged from storage "
                            "charged by the rooftop PV (Decree 243/2026, S2), never grid-charged "
                            "energy; 'none': the battery never exports (conservative default: "
                            "the PV-first accounting can need a second, monolithic solve)")
    hosting_limit: Literal["connection", "none"] = Field(
        "connection", description="'connection': reverse flow [kW] ≤ the park's connection "
                                  "capacity each hour (the import cap: firm × pf where known, "
                                  "else the grid-only peak; E: Decree 243/2026 allows more than "
                                  "50 % only where the local grid can absorb it); 'none': no "
                                  "hourly limit")
    allow_wind: bool = Field(False, description="wind may export (e.g. under a DPPA)")
    allow_ground_pv: bool = Field(False, description="ground PV may export")
    allow_floating_pv: bool = Field(False, description="floating PV may export")


class TariffConfig(_Strict):
    """EVN retail tariff and export rules."""

    name: str = Field("evn_2026", description="named tariff: time-of-use frame, energy prices and "
                                              "optional capacity charge (energy_model/data/tariffs.yaml): "
                                              "evn_2023, evn_2025 (2023 frame), evn_2026 (QĐ 963/2026 "
                                              "frame), evn_two_component_2026. Default evn_2026 for a "
                                              "scenario year from 2027, evn_2025 before")
    export: ExportRules = ExportRules()


def _rules_by_year(data: Any) -> Any:
    """Fill unwritten tariff and export keys of a year before 2027 with that year's rules.

    The schema defaults are the rules in force from 2027 (QĐ 963/2026 frame, Decree
    243/2026); a scenario for an earlier year that does not name them gets the 2023 frame
    and Decree 135/2024 instead. Written keys are never changed.
    """
    if not isinstance(data, dict):
        return data
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or year >= RULES_2026_FROM_YEAR:
        return data
    tariff = data.get("tariff", {})
    if tariff is None:
        tariff = {}
    if not isinstance(tariff, dict):
        return data
    tariff = dict(tariff)
    tariff.setdefault("name", PRE_2027_DEFAULTS["name"])
    export = tariff.get("export", {})
    if isinstance(export, dict) or export is None:
        export = dict(export or {})
        export.setdefault("cap_share", PRE_2027_DEFAULTS["cap_share"])
        export.setdefault("basis", PRE_2027_DEFAULTS["basis"])
        tariff["export"] = export
    return {**data, "tariff": tariff}


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
        None, ge=0, le=2, description="grid emission factor [tCO2/MWh]; overrides "
                                      "emission_factor_method")
    emission_factor_method: Literal["official_latest", "declining_trajectory",
                                    "research_estimate"] = Field(
        "official_latest", description="how the grid emission factor is chosen when "
        "emission_factor_t_per_mwh is not given: official_latest = the official average factor "
        "of the latest year ≤ scenario year (2023: 0.6592, S); declining_trajectory = the "
        "PDP8 coal phase-down path of data/emission_factor_trajectory.csv (E: 0.375 in 2030, "
        "0.20 in 2040, 0.025 in 2050), linear between its years; research_estimate = the "
        "unofficial 2024–2025 estimates (E), a sensitivity")
    emission_factor_decline: float = Field(0.0, ge=0, le=0.2,
                                           description="yearly relative decline of the factor "
                                                       "over the asset life [1/yr]")
    co2_price_vnd_per_t: float = Field(0.0, ge=0, le=1e8, description="carbon price [VND/tCO2]")
    cost_year: int | None = Field(
        None, ge=2000, le=2100, description="year whose installed costs apply "
        "(data/cost_trajectories.csv, linear between 2025, 2030, 2040 and 2050); default: "
        "the scenario year. 2025 gives the cost table as written")
    redispatch_years: list[int] = Field(
        default_factory=list, max_length=10,
        description="milestone calendar years (e.g. [2040, 2050]) in which the sized design "
        "is dispatched again by the LP with that year's projected load and degraded PV "
        "output (and in the scenario year at year-1 output); the cash flow is linear "
        "between milestones and flat after the last; years before the scenario year or "
        "after the analysis period are left out (so a layered or pathway scenario may keep "
        "the list). Empty (default): the scenario year's dispatch, projected with "
        "degradation (issue 17; off by default for run time)")

    @field_validator("redispatch_years")
    @classmethod
    def _redispatch_years(cls, v: list[int]) -> list[int]:
        bad = [y for y in v if not MIN_YEAR <= y <= MAX_YEAR]
        if bad:
            raise ValueError(f"years {bad} outside {MIN_YEAR}..{MAX_YEAR}")
        return sorted(set(v))


class PvDefaults(_Strict):
    """Scenario-wide PV settings: which roof potential bounds rooftop arrays without a limit."""

    roof_potential: Literal["technical", "achievable"] = Field(
        "achievable", description="roof area of a rooftop array without its own limit: "
        "'technical' = occupied land × roof_share; 'achievable' (default) = technical × "
        "structural/typhoon factor × tenant uptake − existing PV (factors in "
        "data/pv_layout.csv, mark E, with low/base/high values)")
    roof_case: Literal["low", "base", "high"] = Field(
        "base", description="which ends of the roof factors: 'low' the smaller potential, "
                            "'high' the larger")


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
    substation: str | None = Field(
        None, pattern=r"^[a-z0-9][a-z0-9_\-]{0,63}$",
        description="id of the 110 kV substation serving the park (energy_model/data/"
                    "substations.csv: rating, firm capacity, marks); parks naming one id form "
                    "a substation group for coincident import and N-1 headroom")
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
    throughput_cost_vnd_per_kwh: float | None = Field(
        None, ge=0, le=1e5, description="degradation cost per kWh discharged in the dispatch "
        "LP [VND/kWh]; default None = the cost table's battery_energy_throughput_cost (one "
        "figure for the whole code: 583 VND/kWh, E)")

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
        value = override.get("value") if isinstance(override, dict) else getattr(override, "value", None)
        given = data.get("heritage_buffer")
        # a validated park dumped and read again carries both, and they agree
        if given is not None and given != value:
            raise ValueError("give heritage_buffer or heritage_override, not both")
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
    contracts: list[Contract] = Field(
        default_factory=list, description="ownership of assets not owned by the park: lease, "
                                          "PPA or DPPA (energy_model.scenario.contracts)")
    grid: Grid
    observed: Observed | None = None
    sources: dict[str, SourceMark] = Field(default_factory=dict,
                                           description="quality mark per field path")

    _heritage = model_validator(mode="before")(_heritage_from_geometry)

    @model_validator(mode="after")
    def _checks(self):
        if self.heritage_buffer:
            bad = [a.name for a in self.pv if not allowed_in_heritage_buffer(a.kind)
                   and not a.offsite]  # an off-site (DPPA) farm stands elsewhere
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
    pv: PvDefaults = Field(default_factory=PvDefaults,
                           description="scenario-wide PV settings (roof potential)")
    load_calibration: float = Field(1.0, gt=0.1, lt=10,
                                    description="one scalar applied to every park's load [-]")
    kkt_metering: Literal["class_meters", "zone_substation_storage"] = Field(
        "class_meters", description="where a KKT's storage and PV sit: 'class_meters': the zone "
                                    "load is split into customer classes (port, airport, hotels, "
                                    "trade and services, factories; energy_model/data/"
                                    "kkt_meters.csv), each behind its own meter and tariff; "
                                    "'zone_substation_storage': storage at the zone's substation "
                                    "as a utility asset valued at "
                                    "kkt_zone_storage_value_vnd_per_kw_month")
    kkt_zone_storage_value_vnd_per_kw_month: float = Field(
        235414.0, ge=0, le=1e7,
        description="value of a kW of zone-substation storage to the utility [VND/kW/month] "
                    "(option zone_substation_storage). Default E: the capacity component of "
                    "the two-component pilot at 22–110 kV (235,414, S2), EVN's own price of a "
                    "kW of peak demand at the zone's voltage")
    contracts: ContractSettings = Field(
        default_factory=ContractSettings,
        description="market price and economic-view settings of the parks' contracts")
    sources: dict[str, SourceMark] = Field(default_factory=dict,
                                           description="quality marks of scenario-wide figures")
    parks: list[Park] = Field(min_length=1)

    _files: tuple = PrivateAttr(default=())
    _lines: object = PrivateAttr(default=None)  # LineMap of the top file, for later checks

    @model_validator(mode="before")
    @classmethod
    def _year_rules(cls, data: Any) -> Any:
        return _rules_by_year(data)

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
