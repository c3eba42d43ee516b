"""PV array specification: geometry, electrical and thermal parameters, losses and presets.

A :class:`PVArray` is a frozen pydantic model, used as is in scenario files
(``parks[].pv[]``). Every default comes from a data table with its source and quality
mark:

* ``energy_model/data/pv_losses.csv``  — loss percentages, degradation, life;
* ``energy_model/data/pv_thermal.csv`` — heat-loss coefficients per mounting;
* ``energy_model/data/pv_layout.csv``  — module efficiency, packing fractions, GCR;
* ``energy_model/data/pv_presets.yaml`` — named arrays (factory roof, ground, floating).

Angles follow pvlib: tilt from horizontal [deg], azimuth clockwise from north [deg]
(180 = south).
"""

from __future__ import annotations

import csv
import difflib
import functools
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from energy_model.errors import Problem, ScenarioError
from energy_model.paths import package_data
from energy_model.pv_modules import cec_module
from energy_model.scenario.wind import FarmLocation, check_offsite_place

#: Default ground coverage ratio of tracker rows when the array gives none (E: typical
#: 1-in-portrait single-axis plants are laid out at GCR 0.30–0.40; NREL ATB assumes 0.33).
DEFAULT_TRACKER_GCR = 0.35

# --------------------------------------------------------------------------------------
# Data tables
# --------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def parameter_table(filename: str) -> dict[str, dict[str, str]]:
    """Read one ``name, unit, value, source, mark, description`` table of ``energy_model/data``.

    Parameters
    ----------
    filename : str
        File name inside ``energy_model/data`` (e.g. ``"pv_losses.csv"``).

    Returns
    -------
    dict
        Row by ``name``; each row is the dict of its columns (strings).
    """
    with open(package_data(filename), newline="", encoding="utf-8") as f:
        return {row["name"]: row for row in csv.DictReader(f)}


def _value(filename: str, name: str) -> float:
    return float(parameter_table(filename)[name]["value"])


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

#: Default monthly soiling loss [%], January to December (``pv_losses.csv``, mark E).
DEFAULT_SOILING_PCT: tuple[float, ...] = tuple(
    _value("pv_losses.csv", f"soiling_{m}_pct") for m in _MONTHS)

#: Thermal model per mounting: (U_c [W/m²/K], U_v [W·s/m³/K]) of the PVsyst model.
MOUNTING_U_VALUES: dict[str, tuple[float, float]] = {
    m: (_value("pv_thermal.csv", f"{m}_u_c"), _value("pv_thermal.csv", f"{m}_u_v"))
    for m in ("open_rack", "close_roof", "floating")
}

#: Absorbed fraction of the incident irradiance used by the thermal model [-].
ABSORPTANCE = _value("pv_thermal.csv", "absorptance")

#: Mounting of each array kind when the array does not name one.
DEFAULT_MOUNTING: dict[str, str] = {"rooftop": "close_roof", "ground": "open_rack",
                                    "floating": "floating"}

Kind = Literal["rooftop", "ground", "floating"]
Mounting = Literal["open_rack", "close_roof", "floating"]


def _loss(name: str) -> float:
    return _value("pv_losses.csv", name)


# --------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Orientation(_Frozen):
    """One plane of a multi-orientation array (e.g. each side of an east-west roof)."""

    tilt: float = Field(ge=0, le=90, description="surface tilt from horizontal [deg]")
    azimuth: float = Field(ge=0, le=360, description="surface azimuth, clockwise from north, "
                                                     "180 = south [deg]")
    share: float = Field(gt=0, le=1, description="share of the array's DC capacity on this "
                                                 "plane [-]")


class Losses(_Frozen):
    """System losses in percent of energy, PVWatts-style, each with a sourced default.

    Soiling and shading reduce the irradiance; mismatch, wiring, connections, LID,
    nameplate and ``other`` reduce DC power; availability reduces AC energy (in the
    PVWatts-equivalent mode all but soiling are applied to DC power, as PVWatts does).
    """

    soiling_monthly_pct: tuple[float, ...] = Field(
        DEFAULT_SOILING_PCT, min_length=12, max_length=12,
        description="soiling loss per calendar month, January first [%]; the default is "
                    "higher in the dry season (Nov–Apr), see pv_losses.csv")
    shading_pct: float = Field(_loss("shading_pct"), ge=0, lt=100,
                               description="external shading loss [%]")
    mismatch_pct: float = Field(_loss("mismatch_pct"), ge=0, lt=100,
                                description="module mismatch loss [%]")
    wiring_pct: float = Field(_loss("wiring_pct"), ge=0, lt=100,
                              description="DC wiring loss [%]")
    connections_pct: float = Field(_loss("connections_pct"), ge=0, lt=100,
                                   description="connector loss [%]")
    lid_pct: float = Field(_loss("lid_pct"), ge=0, lt=100,
                           description="light-induced degradation [%]")
    nameplate_pct: float = Field(_loss("nameplate_pct"), ge=0, lt=100,
                                 description="nameplate rating shortfall [%]")
    availability_pct: float = Field(_loss("availability_pct"), ge=0, lt=100,
                                    description="downtime as a share of energy [%]")
    other_pct: float = Field(_loss("other_pct"), ge=0, lt=100,
                             description="lumped extra DC loss [%]")

    @model_validator(mode="after")
    def _soiling_range(self):
        bad = [v for v in self.soiling_monthly_pct if not 0 <= v < 100]
        if bad:
            raise ValueError(f"soiling_monthly_pct values must be in [0, 100) %, got {bad}")
        return self

    @classmethod
    def lumped(cls, total_pct: float) -> Losses:
        """Losses given as one PVWatts-style total [%]: all components zero but ``other_pct``.

        Parameters
        ----------
        total_pct : float
            Total system loss [%], as the ``losses`` input of PVWatts.
        """
        return cls(soiling_monthly_pct=(0.0,) * 12, shading_pct=0, mismatch_pct=0, wiring_pct=0,
                   connections_pct=0, lid_pct=0, nameplate_pct=0, availability_pct=0,
                   other_pct=total_pct)

    def dc_factor(self) -> float:
        """Product of the DC loss factors (mismatch … other) [-]."""
        f = 1.0
        for p in (self.mismatch_pct, self.wiring_pct, self.connections_pct, self.lid_pct,
                  self.nameplate_pct, self.other_pct):
            f *= 1 - p / 100
        return f

    def pvwatts_losses_pct(self) -> float:
        """The PVWatts ``losses`` input equivalent to all losses but soiling [%].

        PVWatts combines its loss categories multiplicatively,
        ``100 · (1 − Π(1 − lᵢ/100))``; soiling is passed separately as a monthly input.
        """
        f = self.dc_factor() * (1 - self.shading_pct / 100) * (1 - self.availability_pct / 100)
        return 100 * (1 - f)

    def total_pct(self) -> float:
        """Annual-mean total loss with the 12 soiling values averaged [%]."""
        soil = sum(self.soiling_monthly_pct) / 12
        return 100 - (100 - self.pvwatts_losses_pct()) * (1 - soil / 100)


def default_packing_kwp_per_m2(kind: str, module_efficiency: float, gcr: float | None) -> float:
    """Default DC capacity per m² of usable area [kWp/m²].

    Parameters
    ----------
    kind : str
        ``rooftop``, ``ground`` or ``floating``.
    module_efficiency : float
        Module STC efficiency [-]; 1 m² of module then holds ``module_efficiency`` kWp.
    gcr : float or None
        Ground coverage ratio of the rows [-]; ``None`` for modules flush on a roof.

    Notes
    -----
    Flush rooftop arrays: module area = ``roof_cover_fraction`` (0.80) × usable roof
    area, so 21 % modules give 0.168 kWp/m². Rows on ground or water: module area =
    ``gcr`` × ``site_layout_fraction`` (0.85) × site area, so GCR 0.45 gives 0.080 kWp/m²
    (1.25 ha/MWp). Values and sources in ``pv_layout.csv`` (mark E).
    """
    if gcr is None:
        if kind == "rooftop":
            return module_efficiency * _value("pv_layout.csv", "roof_cover_fraction")
        gcr = _value("pv_layout.csv", f"{kind}_gcr")
    return module_efficiency * gcr * _value("pv_layout.csv", "site_layout_fraction")


class PVArray(_Frozen):
    """One PV array of a park: where the modules sit, how they are built and what they lose.

    Capacity is either given (``fixed_kwp``: a design to simulate) or left to the sizing
    LP, bounded by :meth:`capacity_limit_kwp` (``max_kwp`` and/or ``usable_area_m2`` ×
    packing density).
    """

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,63}$",
                      description="array name, unique in its park; used in column names")
    kind: Kind = Field(description="rooftop, ground or floating; inside the heritage buffer "
                                   "only rooftop arrays are allowed (energy_model.rules)")
    tilt: float = Field(10.0, ge=0, le=90, description="surface tilt from horizontal [deg]")
    azimuth: float = Field(180.0, ge=0, le=360,
                           description="surface azimuth, clockwise from north, 180 = south [deg]")
    orientations: tuple[Orientation, ...] | None = Field(
        None, min_length=1, max_length=8,
        description="several planes sharing the array's inverters (e.g. east-west roofs); "
                    "replaces tilt and azimuth; shares must sum to 1")
    gcr: float | None = Field(None, ge=0.05, le=0.95,
                              description="ground coverage ratio of module rows [-]; None for "
                                          "modules flush on a roof (no row-to-row shading)")
    albedo: float = Field(0.2, ge=0, le=1, description="ground or roof albedo [-]")
    module: str | None = Field(None, min_length=1,
                               description="module name in pvlib's bundled CEC library "
                                           "(single-diode model); None uses the PVWatts DC "
                                           "model with gamma_pdc")
    module_efficiency: float = Field(_value("pv_layout.csv", "module_efficiency"), gt=0.05,
                                     lt=0.35, description="module STC efficiency [-]")
    gamma_pdc: float = Field(-0.0035, ge=-0.01, le=0,
                             description="temperature coefficient of power [1/°C]; mono PERC "
                                         "and TOPCon datasheets −0.29 … −0.37 %/°C")
    dc_ac_ratio: float = Field(1.2, gt=0.5, le=2.5, description="DC nameplate over inverter AC "
                                                                "rating [-]")
    inverter_efficiency: float = Field(0.98, gt=0.8, le=1.0,
                                       description="inverter nominal efficiency [-]; C&I string "
                                                   "inverter datasheets 98.3–98.8 % max")
    mounting: Mounting | None = Field(None, description="thermal mounting: open_rack, "
                                                        "close_roof or floating; default by kind")
    u_c: float | None = Field(None, gt=0, le=100,
                              description="constant heat-loss coefficient [W/m²/K]; default "
                                          "by mounting (pv_thermal.csv)")
    u_v: float | None = Field(None, ge=0, le=20,
                              description="wind heat-loss coefficient [W·s/m³/K]; default by "
                                          "mounting")
    losses: Losses = Field(default_factory=Losses, description="system losses [%]")
    degradation_pct_per_year: float = Field(_loss("degradation_pct_per_year"), ge=0, le=5,
                                            description="DC power degradation [%/yr]")
    life_years: int = Field(int(_loss("life_years")), ge=1, le=60,
                            description="array life for the life-mean output [yr]")
    max_kwp: float | None = Field(None, gt=0, description="upper bound on DC capacity [kWp]")
    usable_area_m2: float | None = Field(None, gt=0, description="usable roof, land or water "
                                                                 "area [m²]")
    packing_kwp_per_m2: float | None = Field(
        None, gt=0, le=0.35, description="DC capacity per m² of usable area [kWp/m²]; default "
                                         "from module efficiency and layout (pv_layout.csv)")
    fixed_kwp: float | None = Field(None, gt=0, description="given DC capacity [kWp] instead "
                                                            "of sizing it")
    preset_name: str | None = Field(None, description="named preset of pv_presets.yaml "
                                                 "(factory_roof_10deg, factory_roof_east_west, "
                                                 "ground_fixed_optimum, floating); the other "
                                                 "fields override it")

    # --- issue 18: an off-site (DPPA) solar farm on its own station's weather ----------
    offsite: bool = Field(False, description="the array is a solar farm away from the park, "
                                             "bought under a DPPA (ground arrays only, with a "
                                             "given fixed_kwp); its output is reported as "
                                             "off-site supply, never on-site, and is computed "
                                             "from the weather of its own station")
    location: FarmLocation | None = Field(None, description="off-site farm: where it stands "
                                                            "(its weather comes from the "
                                                            "nearest normals station)")
    station: str | None = Field(None, description="off-site farm: normals station whose "
                                                  "weather drives it (default: the station "
                                                  "nearest its 'location')")

    @model_validator(mode="after")
    def _offsite(self):
        check_offsite_place(self.offsite, self.location, self.station, "array")
        if self.location is not None and not self.offsite:
            raise ValueError("'location' is for off-site farms (offsite: true); an on-site "
                             "array stands at the park's location")
        if not self.offsite:
            return self
        if self.kind != "ground":
            raise ValueError(f"an off-site (DPPA) solar farm is a ground array; array "
                             f"{self.name!r} is {self.kind}: a roof or a reservoir at the park "
                             "is on-site supply (drop 'offsite', or use ownership lease/ppa "
                             "in contracts)")
        if self.fixed_kwp is None:
            raise ValueError(f"an off-site solar farm is not sized with the park: give its "
                             f"'fixed_kwp' (array {self.name!r})")
        return self

    # --- issue 20 (helper C): single-axis trackers for ground arrays ---------------------
    tracking: Literal["fixed", "single_axis"] = Field(
        "fixed", description="fixed: tilt/azimuth as given; single_axis: a horizontal or "
                             "tilted axis turning the rows to the sun (ground arrays only), "
                             "through pvlib.tracking.singleaxis")
    axis_tilt: float = Field(0.0, ge=0, le=45, description="tracker axis tilt from "
                                                          "horizontal [deg] (single_axis)")
    axis_azimuth: float = Field(180.0, ge=0, le=360,
                                description="compass direction the axis points to, 180 = "
                                            "north-south axis [deg] (single_axis)")
    max_angle: float = Field(60.0, gt=0, le=90, description="largest rotation from flat "
                                                           "[deg] (single_axis)")
    backtrack: bool = Field(True, description="turn back at low sun so rows do not shade "
                                              "each other (single_axis)")

    def tracker_gcr(self) -> float:
        """GCR used for backtracking: ``gcr`` or the tracker default (0.35, E)."""
        return self.gcr if self.gcr is not None else DEFAULT_TRACKER_GCR

    @model_validator(mode="after")
    def _tracker(self):
        if self.tracking == "fixed":
            # a tracker field given a non-default value on a fixed array (a dumped and
            # re-validated array carries every field at its default: that is fine)
            moved = {f for f in ("axis_tilt", "axis_azimuth", "max_angle", "backtrack")
                     if getattr(self, f) != type(self).model_fields[f].default}
            if moved:
                raise ValueError(f"{', '.join(sorted(moved))} apply to tracking: single_axis "
                                 f"only; array {self.name!r} is fixed")
            return self
        if self.kind != "ground":
            raise ValueError(f"tracking: single_axis is for ground arrays only; array "
                             f"{self.name!r} is {self.kind} (use tracking: fixed)")
        if self.orientations is not None or {"tilt", "azimuth"} & self.model_fields_set:
            raise ValueError(f"a single-axis tracker turns its rows to the sun: give "
                             f"axis_tilt/axis_azimuth instead of tilt, azimuth or "
                             f"orientations (array {self.name!r})")
        return self
    # --- end issue 20 --------------------------------------------------------------------

    @model_validator(mode="before")
    @classmethod
    def _preset_first(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("preset_name"):
            return _expand_preset(data)
        return data

    @model_validator(mode="after")
    def _consistent(self):
        if self.orientations is not None:
            if {"tilt", "azimuth"} & self.model_fields_set:
                raise ValueError("give either tilt/azimuth or orientations, not both")
            total = sum(o.share for o in self.orientations)
            if abs(total - 1) > 1e-6:
                raise ValueError(f"orientation shares must sum to 1, got {total:.4f}")
        limit = self.capacity_limit_kwp()
        if self.fixed_kwp is not None and limit is not None and self.fixed_kwp > limit * (1 + 1e-9):
            raise ValueError(f"fixed_kwp {self.fixed_kwp:g} exceeds the capacity limit "
                             f"{limit:g} kWp")
        if self.module is not None:
            try:
                cec_module(self.module)
            except ScenarioError as exc:  # pydantic reports ValueErrors with their location
                raise ValueError(str(exc)) from None
        return self

    # ----------------------------------------------------------------- derived values
    @property
    def thermal_mounting(self) -> str:
        """The mounting used by the thermal model (``mounting`` or the kind's default)."""
        return self.mounting or DEFAULT_MOUNTING[self.kind]

    def u_values(self) -> tuple[float, float]:
        """PVsyst heat-loss coefficients (U_c [W/m²/K], U_v [W·s/m³/K])."""
        u_c, u_v = MOUNTING_U_VALUES[self.thermal_mounting]
        return (self.u_c if self.u_c is not None else u_c,
                self.u_v if self.u_v is not None else u_v)

    def planes(self) -> tuple[Orientation, ...]:
        """The array's planes: ``orientations``, or one plane of ``tilt``/``azimuth``."""
        if self.orientations is not None:
            return self.orientations
        return (Orientation(tilt=self.tilt, azimuth=self.azimuth, share=1.0),)

    def packing(self) -> float:
        """DC capacity per m² of usable area [kWp/m²] (given or default)."""
        if self.packing_kwp_per_m2 is not None:
            return self.packing_kwp_per_m2
        return default_packing_kwp_per_m2(self.kind, self.module_efficiency, self.gcr)

    def capacity_limit_kwp(self) -> float | None:
        """Largest DC capacity the array may have [kWp], or None when unbounded.

        The smaller of ``max_kwp`` and ``usable_area_m2`` × :meth:`packing`.
        """
        limits = []
        if self.max_kwp is not None:
            limits.append(self.max_kwp)
        if self.usable_area_m2 is not None:
            limits.append(self.usable_area_m2 * self.packing())
        return min(limits) if limits else None

    def simulated_kwp(self) -> float:
        """DC capacity :func:`simulate_pv` uses: ``fixed_kwp``, else 1 kWp."""
        return self.fixed_kwp if self.fixed_kwp is not None else 1.0

    def degradation_factor(self, operating_year: int | None = None) -> float:
        """DC output factor from degradation [-].

        Parameters
        ----------
        operating_year : int or None
            1 for the first year of operation (factor 1). None returns the mean factor
            over ``life_years``, used for sizing.

        Notes
        -----
        Compound degradation, ``(1 − d)^(year − 1)``, as SAM's lifetime mode.
        """
        d = self.degradation_pct_per_year / 100
        if operating_year is None:
            n = self.life_years
            if d == 0:
                return 1.0
            return (1 - (1 - d) ** n) / (n * d)
        if operating_year < 1:
            raise ScenarioError(f"PV array {self.name!r}: operating_year must be ≥ 1, got "
                                f"{operating_year}")
        return (1 - d) ** (operating_year - 1)

    # ----------------------------------------------------------------- presets
    @classmethod
    def preset(cls, preset: str, *, name: str, latitude: float | None = None,
               **overrides: Any) -> PVArray:
        """A named array from ``energy_model/data/pv_presets.yaml``, with overrides.

        Parameters
        ----------
        preset : str
            ``factory_roof_10deg``, ``factory_roof_east_west``, ``ground_fixed_optimum``
            or ``floating``.
        name : str
            Array name.
        latitude : float, optional
            Site latitude [deg]; required by ``ground_fixed_optimum`` unless ``tilt`` is
            overridden (its tilt is :func:`optimum_tilt` of the latitude).
        **overrides
            Any :class:`PVArray` field; ``losses`` may be a partial dict.
        """
        if preset not in load_presets():
            raise ScenarioError(_unknown_preset(preset))
        fields = dict(overrides)
        if _preset_fields(preset).get("tilt_from_latitude") and "tilt" not in fields:
            if latitude is None:
                raise ScenarioError(f"PV preset {preset!r} sets the tilt from the latitude: "
                                    "pass latitude=… (deg) or an explicit tilt")
            fields["tilt"] = optimum_tilt(latitude)
            fields.setdefault("azimuth", 180.0 if latitude >= 0 else 0.0)
        try:
            return cls(name=name, preset_name=preset, **fields)
        except ValidationError as exc:
            raise ScenarioError(
                f"PV preset {preset!r} with the given overrides is invalid",
                problems=[Problem(e["msg"], key=".".join(str(p) for p in e["loc"]) or None)
                          for e in exc.errors()]) from None


def _unknown_preset(preset: str) -> str:
    presets = load_presets()
    hint = difflib.get_close_matches(preset, presets, n=1)
    return (f"unknown PV preset {preset!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")
            + f" Known presets: {', '.join(sorted(presets))}")


def _preset_fields(preset: str) -> dict[str, Any]:
    """The field values of a preset (``value`` of each sourced entry)."""
    return {k: v["value"] if isinstance(v, dict) and "value" in v else v
            for k, v in load_presets()[preset]["fields"].items()}


def _expand_preset(data: dict) -> dict:
    """Fields of ``data["preset_name"]`` under the explicit fields of ``data``."""
    name = data["preset_name"]
    if name not in load_presets():
        raise ValueError(_unknown_preset(name))
    fields = _preset_fields(name)
    if fields.pop("tilt_from_latitude", False) and "tilt" not in data:
        raise ValueError(f"preset {name!r} takes its tilt from the site latitude: give tilt "
                         "(e.g. energy_model.solar.optimum_tilt(latitude))")
    merged = {**fields, **data}
    if isinstance(data.get("losses"), dict) or data.get("losses") is None:
        losses = {**(fields.get("losses") or {}), **(data.get("losses") or {})}
        if losses:
            merged["losses"] = losses
        else:
            merged.pop("losses", None)
    return merged


def optimum_tilt(latitude: float) -> float:
    """Annual-yield-optimal fixed tilt for a latitude [deg].

    Parameters
    ----------
    latitude : float
        Site latitude [deg], north positive.

    Returns
    -------
    float
        Tilt [deg], rounded to 0.5°.

    Notes
    -----
    Jacobson & Jadhav (2018), Solar Energy 169:55, fit over 2,551 sites of the PVWatts
    optimum: tilt = 1.3793 + φ(1.2011 + φ(−0.014404 + φ·0.000080509)) for the northern
    hemisphere (−0.41657 + φ(1.4216 + φ(0.024051 + φ·0.00021828)) for the southern,
    φ = |latitude|). At 21 °N it gives 21°; in Quảng Ninh's diffuse climate the yield is
    flat within 1 % between about 12° and 22°.
    """
    phi = abs(latitude)
    if latitude >= 0:
        tilt = 1.3793 + phi * (1.2011 + phi * (-0.014404 + phi * 0.000080509))
    else:
        tilt = -0.41657 + phi * (1.4216 + phi * (0.024051 + phi * 0.00021828))
    return round(min(max(tilt, 0.0), 90.0) * 2) / 2


@functools.lru_cache(maxsize=1)
def load_presets() -> dict[str, dict]:
    """The named arrays of ``energy_model/data/pv_presets.yaml``, by name."""
    with open(package_data("pv_presets.yaml"), encoding="utf-8") as f:
        return yaml.safe_load(f)["presets"]
