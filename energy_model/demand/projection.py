"""Hourly load projection of industrial parks (KCN) and economic zones (KKT).

Every hourly value is labelled at interval start: the value at 10:00 is the mean
power [kW] over 10:00–11:00, so energy [kWh] is power × 1 h.

Annual energy, one of four sources (``LoadSpec.source``):

* ``bottom_up`` (KCN): occupied industrial land [ha] × energy intensity [MWh/ha/yr] per
  industry class of ``energy_model/data/industry_intensity.csv``. The intensity is the
  planning norm [kW/ha] (QCVN 01 classes; process energy for PV cells and wafers) × the
  class load factor × 8.76;
* ``annual``: a given annual energy [MWh] in ``base_year``, shaped by an industry mix;
* ``meter``: an hourly meter CSV (columns ``time``, ``load_kw``), re-laid on the target
  year's calendar day by day and scaled by the projection;
* ``kkt_components`` (KKT): port, airport, services & trade and tourism loads from
  ``energy_model/data/kkt_components.csv``. Area × intensity does not apply to a zone of
  islands and sea; the KCN inside a KKT are separate parks and are not counted here.

Hourly shape: the class's shift pattern (one, two, three shifts, continuous, or a service
pattern) on working days; Sundays and public holidays (``holidays.Vietnam``: Tết, Hùng
Kings, 30/4, 1/5, 2/9) at reduced levels; a Tết closure of
:data:`TET_DAYS_BEFORE` + official days + :data:`TET_DAYS_AFTER` with a ramp back of
:data:`TET_RAMP`; cooling that grows with hourly air temperature above
:data:`COOLING_BALANCE_C`; optional HOMER-style daily and hourly noise (energy-preserving).

Projection to year Y: occupancy on an S-curve (or linear ramp) toward the planned fill, an
intensity trend and electrification compounding from the base year, and named cases
(``low``/``base``/``high`` multipliers). One calibration scalar (the scenario's
``load_calibration``, from :func:`calibrate` on Sông Khoai's June 2023 peak) multiplies
every park's bottom-up energy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from energy_model.bands import check
from energy_model.demand.calendar import hourly_index
from energy_model.demand.intensities import (INTENSITY_BASE_YEAR, _check_industries,
                                             industry_table, kkt_component_mwh, kkt_table,
                                             roof_factors)
from energy_model.demand.meter import meter_profile, read_meter
from energy_model.demand.shapes import _shaped, _temp_on, add_noise
from energy_model.errors import InvariantError, ScenarioError
from energy_model.scenario.load import IndustryShare, LoadSpec
from energy_model.timeseries import time_step_hours

Case = Literal["low", "base", "high"]


#: base-case long-run fill of leasable land when the park gives none [-] (E, see LoadSpec)
DEFAULT_OCCUPANCY_TARGET = 0.85


def leased_land_share(spec: LoadSpec) -> float:
    """Share of ``area_ha`` that ``occupancy`` is a fill of [-]: ``leasable_share`` on the
    default ``leasable`` basis, 1 on a ``gross`` basis (occupancy already of the whole area)."""
    return 1.0 if spec.occupancy_basis == "gross" else spec.leasable_share


def occupancy_path(spec: LoadSpec, occupancy: float,
                   case: Case = "base") -> tuple[float, float | None]:
    """Long-run fill target [-] and midpoint year of a load case's occupancy path.

    Base: ``occupancy_target`` (default 0.85 of leasable land, i.e. 0.85 × leasable_share on
    a gross basis, or the current fill if higher). Low/high: ``occupancy_cases.<case>`` if
    given, else the base target × ``occupancy_case_low`` / ``occupancy_case_high`` (at most 1).
    """
    full = DEFAULT_OCCUPANCY_TARGET * (spec.leasable_share if spec.occupancy_basis == "gross"
                                       else 1.0)
    target = spec.occupancy_target if spec.occupancy_target is not None else max(full, occupancy)
    mid = spec.occupancy_midpoint_year
    if case == "base":
        return target, mid
    if case not in ("low", "high"):
        raise ScenarioError(f"load case {case!r}: expected low, base or high")
    given = getattr(spec.occupancy_cases, case, None) if spec.occupancy_cases else None
    if given is not None and given.target is not None:
        case_target = given.target
    else:
        case_target = min(1.0, target * (spec.occupancy_case_low if case == "low"
                                         else spec.occupancy_case_high))
    if given is not None and given.midpoint_year is not None:
        mid = given.midpoint_year
    return case_target, mid


def occupancy_at(spec: LoadSpec, occupancy: float, occupancy_year: int, year: int,
                 case: Case = "base") -> float:
    """Fill share of the park's land (leasable, or gross on a gross basis) in ``year`` [-].

    The S-curve is a logistic ``L(y) = 1 / (1 + exp(−k (y − m)))`` rescaled to pass
    through ``occupancy`` in ``occupancy_year`` and tend to the case's target
    (:func:`occupancy_path`): ``o(y) = o₀ + (o_∞ − o₀) (L(y) − L(y₀)) / (1 − L(y₀))``,
    clipped to [0, 1]. With ``occupancy_ramp_years`` a linear ramp replaces it. A park
    already fuller than its target keeps its current fill.

    Parameters
    ----------
    spec : LoadSpec
        Gives target, midpoint, steepness or ramp, and the low/high paths.
    occupancy : float
        Fill share in ``occupancy_year`` [-].
    occupancy_year : int
        Year of that figure.
    year : int
        Year wanted.
    case : str
        Load case ``low``, ``base`` or ``high``.
    """
    target, mid = occupancy_path(spec, occupancy, case)
    if occupancy >= target:
        return float(occupancy)
    if spec.occupancy_ramp_years is not None:
        frac = (year - occupancy_year) / spec.occupancy_ramp_years
        value = occupancy + (target - occupancy) * min(frac, 1.0)
    else:
        mid = mid if mid is not None else occupancy_year + 5
        k = spec.occupancy_steepness
        logistic = lambda y: 1.0 / (1.0 + math.exp(-k * (y - mid)))  # noqa: E731
        l0 = logistic(occupancy_year)
        value = occupancy + (target - occupancy) * (logistic(year) - l0) / (1.0 - l0)
    return float(min(max(value, 0.0), 1.0))


def occupied_area_ha(spec: LoadSpec, area_ha: float, occupancy: float, occupancy_year: int,
                     year: int, case: Case = "base") -> float:
    """Occupied industrial land of a park in ``year`` [ha].

    ``area_ha × leased_land_share(spec) × occupancy_at(...)``: the planned area [ha] times
    its leasable share [-] (1 when ``occupancy_basis`` is ``gross``) times the fill on the
    case's S-curve [-].
    """
    return area_ha * leased_land_share(spec) * occupancy_at(spec, occupancy, occupancy_year,
                                                            year, case)


def rooftop_area_m2(occupied_ha: float, roof_share: float | None = None,
                    potential: Literal["technical", "achievable"] = "achievable",
                    case: Case = "base") -> float:
    """Roof area available for new PV on occupied industrial land [m²].

    technical = occupied land [m²] × ``roof_share``; achievable (default) = technical ×
    structural/typhoon factor × tenant uptake − technical × existing-PV share. Every factor
    is a row of ``data/pv_layout.csv`` with its mark and low/base/high values
    (:func:`~energy_model.demand.intensities.roof_factors`).

    Parameters
    ----------
    occupied_ha : float
        Occupied industrial land [ha] (:func:`occupied_area_ha`).
    roof_share : float, optional
        Usable roof area per unit of occupied land [-]; default the case's ``roof_share``.
    potential : str
        ``technical`` or ``achievable``.
    case : str
        ``low``, ``base`` or ``high`` ends of the factors.
    """
    f = roof_factors(case)
    technical = float(occupied_ha) * 1.0e4 * (f.roof_share if roof_share is None else roof_share)
    if potential == "technical":
        return technical
    if potential != "achievable":
        raise ScenarioError(f"roof potential {potential!r}: expected technical or achievable")
    return technical * f.achievable_share()


def growth_factor(spec: LoadSpec, year: int, base_year: int = INTENSITY_BASE_YEAR) -> float:
    """Intensity trend × electrification from ``base_year`` to ``year`` [-]."""
    rate = (1 + spec.intensity_trend_pct_per_yr / 100) * (1 + spec.electrification_pct_per_yr / 100)
    return rate ** (year - base_year)


def case_multiplier(spec: LoadSpec, case: Case) -> float:
    """Multiplier of the named case (``low``, ``base``, ``high``) [-]."""
    try:
        return {"low": spec.case_low, "base": 1.0, "high": spec.case_high}[case]
    except KeyError:
        raise ScenarioError(f"load case {case!r}: expected low, base or high") from None


def _class_energies_bottom_up(industries, occupied_ha: float) -> dict[str, float]:
    table = industry_table()
    return {s.cls: occupied_ha * s.share * float(table.at[s.cls, "mwh_per_ha_yr"])
            for s in industries}


def bottom_up_energies(spec: LoadSpec, area_ha: float, occupancy: float, occupancy_year: int,
                       industries: list[IndustryShare], year: int,
                       case: Case = "base") -> dict[str, float]:
    """Annual energy of each industry class in ``year`` before trends [MWh/yr].

    The land occupied in ``occupancy_year`` keeps its mix ``industries`` (scaled down
    proportionally for earlier years); land leased later takes ``spec.growth_mix``
    (default ``industries``). Energy is occupied land [ha] × share × ``mwh_per_ha_yr``.
    """
    now_ha = area_ha * leased_land_share(spec) * occupancy
    year_ha = occupied_area_ha(spec, area_ha, occupancy, occupancy_year, year, case)
    if spec.growth_mix is None or year_ha <= now_ha:
        return _class_energies_bottom_up(industries, year_ha)
    energies = _class_energies_bottom_up(industries, now_ha)
    for cls, mwh in _class_energies_bottom_up(spec.growth_mix, year_ha - now_ha).items():
        energies[cls] = energies.get(cls, 0.0) + mwh
    return energies


def project_load(spec: LoadSpec, *, kind: Literal["KCN", "KKT"], area_ha: float,
                 occupancy: float, occupancy_year: int, industries: list[IndustryShare],
                 year: int, temp_air: pd.Series | None = None, seed: int = 0,
                 case: Case = "base", calibration: float = 1.0,
                 tz: str = "Asia/Ho_Chi_Minh", name: str = "") -> pd.Series:
    """Hourly load of one park or zone in ``year`` [kW].

    Parameters
    ----------
    spec : LoadSpec
        The park's load specification.
    kind : {"KCN", "KKT"}
        Industrial park or economic zone. A KKT cannot use ``bottom_up``.
    area_ha : float
        Planned area of the park [ha].
    occupancy : float
        Leased share of its leasable land in ``occupancy_year`` [-].
    occupancy_year : int
        Year of ``occupancy``.
    industries : list of IndustryShare
        Industry mix of the occupied land (shares sum to 1).
    year : int
        Calendar year of the output (its real weekdays and holidays).
    temp_air : pandas.Series, optional
        Hourly air temperature on the output index [°C]; default the Hạ Long climatology
        (:func:`climatology_temp_air`). Bottom-up energies are those of the climatology,
        so a hotter year raises energy; ``annual`` and ``meter`` keep their energy.
    seed : int, default 0
        Noise seed (used only if ``spec`` sets noise).
    case : {"low", "base", "high"}
        Projection case (:func:`case_multiplier`).
    calibration : float, default 1.0
        The scenario's one calibration scalar [-]; applies to bottom-up energy only (a
        metered or stated energy is not re-scaled).
    tz : str
        IANA time zone of the output.
    name : str
        Park id, used in error messages.

    Returns
    -------
    pandas.Series
        ``load_kw`` [kW], hourly, interval-start labels in ``tz``.

    Notes
    -----
    Energy in ``year`` by source, before the case multiplier and noise:

    * ``bottom_up``: Σ occupied land [ha] × share × ``mwh_per_ha_yr`` (land leased after
      ``occupancy_year`` takes ``spec.growth_mix``) × :func:`growth_factor` from 2023 ×
      ``calibration``;
    * ``annual``: ``annual_mwh`` × occupancy(year) / occupancy(base_year) × growth from
      ``base_year``;
    * ``meter``: metered energy of ``meter_year`` × the same ratios from ``meter_year``;
    * ``kkt_components``: Σ components × growth from ``base_year`` × (1 + activity
      growth)^(year − base_year); ``occupancy`` and ``industries`` are not used.

    Noise is energy-preserving; the result's load factor is checked against the
    ``load_factor`` band of :mod:`energy_model.bands`.
    """
    key = f"parks[{name}]" if name else "park"
    index = hourly_index(year, tz)
    temp = _temp_on(index, temp_air)
    mult = case_multiplier(spec, case)
    base_year = spec.base_year if spec.base_year is not None else occupancy_year

    if spec.source == "bottom_up":
        if kind == "KKT":
            raise ScenarioError(f"{key}.load.source: a KKT is not an industrial park; area × "
                                "intensity does not apply to it. Use source kkt_components "
                                "(or annual)")
        _check_industries(industries, f"{key}.industries")
        if spec.growth_mix is not None:
            _check_industries(spec.growth_mix, f"{key}.load.growth_mix")
        energies = bottom_up_energies(spec, area_ha, occupancy, occupancy_year, industries, year,
                                      case)
        factor = growth_factor(spec, year) * mult * calibration
        load = _shaped(energies, industry_table(), index, temp, climatology_norm=True) * factor
    elif spec.source == "annual":
        mix = spec.shape or industries
        _check_industries(mix, f"{key}.load.shape" if spec.shape else f"{key}.industries")
        weights = _class_energies_bottom_up(mix, 1.0)
        energy = spec.annual_mwh * _projection_ratio(spec, occupancy, occupancy_year,
                                                     base_year, year, case) * mult
        load = _shaped(weights, industry_table(), index, temp, climatology_norm=False)
        load = load * (energy * 1000.0 / load.sum()) if load.sum() > 0 else load
    elif spec.source == "kkt_components":
        energies = kkt_component_mwh(spec.components)
        ratio = growth_factor(spec, year, base_year) \
            * (1 + spec.activity_growth_pct_per_yr / 100) ** (year - base_year)
        load = _shaped(energies, kkt_table(), index, temp, climatology_norm=True) * ratio * mult
    else:  # meter
        meter = read_meter(spec.meter_file, tz)
        profile = meter_profile(meter, spec.meter_year, index)
        sel = meter.index.tz_convert(tz).year == spec.meter_year
        energy_kwh = meter.to_numpy()[sel].sum() * _projection_ratio(
            spec, occupancy, occupancy_year, spec.meter_year, year, case) * mult
        load = profile * (energy_kwh / profile.sum()) if profile.sum() > 0 else profile

    load = add_noise(np.asarray(load, float), index, spec.noise_daily_sigma,
                     spec.noise_hourly_sigma, seed)
    series = pd.Series(load, index=index, name="load_kw")
    if series.sum() > 0:
        check("load_factor", load_summary(series)["load_factor"], what=f"{key} {year}")
    return series


def _projection_ratio(spec, occupancy, occupancy_year, base_year, year,
                      case: Case = "base") -> float:
    o_base = occupancy_at(spec, occupancy, occupancy_year, base_year)
    o_year = occupancy_at(spec, occupancy, occupancy_year, year, case)
    occ = o_year / o_base if o_base > 0 else 1.0
    return occ * growth_factor(spec, year, base_year)


def load_summary(series: pd.Series) -> dict[str, float]:
    """Annual energy [MWh], peak [kW] and load factor [-] of a load series [kW].

    Energy is power × step hours; the load factor is mean / peak (NaN for a zero load).
    """
    values = series.to_numpy(float)
    energy_mwh = values.sum() * time_step_hours(series.index, "a load series") / 1000.0
    peak = float(values.max()) if len(values) else 0.0
    lf = float(values.mean() / peak) if peak > 0 else float("nan")
    return {"annual_mwh": float(energy_mwh), "peak_kw": peak, "load_factor": lf}


def implied_kw_per_ha(peak_kw: float, occupied_ha: float) -> float:
    """Peak load per hectare of occupied industrial land [kW/ha] (NaN if no land)."""
    return float(peak_kw / occupied_ha) if occupied_ha > 0 else float("nan")


def critical_load_kw(series: pd.Series, spec: LoadSpec) -> pd.Series:
    """Load that must be served in an outage [kW]: ``critical_share`` × load."""
    return (series * spec.critical_share).rename("critical_load_kw")


# ---------------------------------------------------------------------------- calibration

@dataclass(frozen=True)
class Calibration:
    """Result of :func:`calibrate`.

    Attributes
    ----------
    scalar : float
        The one calibration scalar for all parks [-].
    uncalibrated_peak_kw : float
        Modelled peak of the reference park with scalar 1 [kW].
    calibrated_peak_kw : float
        Modelled peak with the scalar [kW].
    target_peak_kw : float
        Observed peak [kW].
    firm_limit_kw : float or None
        Substation firm capacity × power factor [kW], if given.
    year : int
        Year of the observation.
    """

    scalar: float
    uncalibrated_peak_kw: float
    calibrated_peak_kw: float
    target_peak_kw: float
    firm_limit_kw: float | None
    year: int


#: A calibration scalar outside this range means the intensities, not the scalar, are wrong.
CALIBRATION_RANGE = (0.67, 1.5)


def calibrate(spec: LoadSpec, *, kind: Literal["KCN", "KKT"], area_ha: float,
              occupancy: float, occupancy_year: int, industries: list[IndustryShare],
              target_peak_kw: float = 63_000.0, year: int = 2023,
              firm_limit_kw: float | None = None, temp_air: pd.Series | None = None,
              tz: str = "Asia/Ho_Chi_Minh") -> Calibration:
    """The one scalar that brings a reference park's modelled peak to its observed peak.

    Default reference: Sông Khoai (Amata City Hạ Long) drew 63 MW in June 2023 (S). The
    scalar is ``target / uncalibrated peak`` and applies to the bottom-up energy of all
    parks; its distance from 1 measures how wrong the intensities are.

    Parameters
    ----------
    spec, kind, area_ha, occupancy, occupancy_year, industries
        The reference park, as for :func:`project_load`.
    target_peak_kw : float
        Observed peak [kW].
    year : int
        Year of the observation.
    firm_limit_kw : float, optional
        Substation firm capacity × power factor [kW]; the calibrated peak must stay under.
    temp_air : pandas.Series, optional
        Air temperature of ``year`` [°C]; default the climatology.

    Raises
    ------
    InvariantError
        If the scalar lies outside :data:`CALIBRATION_RANGE` (fix the intensities from
        their sources instead) or the calibrated peak exceeds the firm limit.
    """
    load = project_load(spec, kind=kind, area_ha=area_ha, occupancy=occupancy,
                        occupancy_year=occupancy_year, industries=industries, year=year,
                        temp_air=temp_air, case="base", calibration=1.0, tz=tz)
    peak = float(load.max())
    if peak <= 0:
        raise InvariantError("calibration reference park has no load")
    scalar = target_peak_kw / peak
    lo, hi = CALIBRATION_RANGE
    if not lo <= scalar <= hi:
        raise InvariantError(
            f"load calibration scalar {scalar:.3f} is outside {lo}–{hi}: the modelled "
            f"{year} peak {peak / 1000:.1f} MW is far from the observed "
            f"{target_peak_kw / 1000:.1f} MW, so the intensities or the park's occupancy "
            "are wrong; fix them from their sources before calibrating")
    calibrated = peak * scalar
    if firm_limit_kw is not None and calibrated > firm_limit_kw:
        raise InvariantError(f"calibrated peak {calibrated / 1000:.1f} MW exceeds the "
                             f"substation firm limit {firm_limit_kw / 1000:.1f} MW")
    return Calibration(scalar, peak, calibrated, target_peak_kw, firm_limit_kw, year)
