"""Invariants every run must satisfy; a violation raises :class:`InvariantError` (exit 4).

The sizing LP checks its own dispatch against its own problem
(:func:`energy_model.sizing.result.check_dispatch`) and the metrics stage checks balance,
signs and finiteness (:func:`energy_model.metrics.check_dispatch`). This module adds what
those do not cover and checks a whole run once more from its outputs alone, so that a bug
anywhere between the LP and the files on disk fails loudly instead of printing a
plausible number:

- the hourly energy balance closes (delegated to :func:`metrics.check_dispatch`);
- the state of charge stays within ``[soc_min × E, E]`` (:func:`check_soc`);
- the battery does not charge and discharge in the same hour beyond solver round-off,
  except to dissipate a surplus that is being curtailed anyway
  (:func:`check_battery_exclusive`);
- sized capacities stay within their limits (:func:`check_capacities`);
- no NaN or infinity in any output column, except the columns where NaN means
  "not applicable" (:data:`NULLABLE_SUMMARY`, :data:`NULLABLE_HOURLY`,
  :func:`check_finite`);
- PV and wind capacity factors sit in the bands of :mod:`energy_model.bands`
  (:func:`check_capacity_factors`);
- a KKT's class meters each pass every check and add up to the zone (:func:`check_park`);
- the grid-pressure tables add up to the parks' flows and name consistent hours
  (:func:`check_grid`).

Tolerances are relative to the park's peak load (:data:`REL_TOL`), as in the LP's own
check: HiGHS meets its constraints to about 1e-7 of the largest coefficient.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from energy_model.bands import check
from energy_model.errors import InvariantError
from energy_model.metrics import check_dispatch

#: Tolerance of every check, relative to the park's peak load (or 1 kW) [-].
REL_TOL = 1e-6
#: Summary columns where NaN means "not applicable" (no investment, no cap, no battery).
NULLABLE_SUMMARY = frozenset({
    "self_consumption_pct", "irr_real_pct", "payback_yr", "lcoe_vnd_per_kwh",
    "lcos_vnd_per_kwh", "import_cap_mw", "hours_at_cap_h", "import_cap_basis",
    "evening_import_before_gwh", "evening_import_after_gwh", "co2_avoided_kt", "lat", "lon",
    "heritage_buffer", "weather", "name", "kind", "solve_path",
    # grid pressure (issue 15): NaN = no cut / no battery / not a park row / no substation
    "cut_covered_pct", "blackout_critical_served_pct", "blackout_hours_survived_p10_h",
    "substation", "status", "name_verified", "peak_import_before_hour",
    "peak_import_after_hour", "meters", "zone_storage_firm_mw",
    "zone_storage_credit_billion_vnd",
    "offsite_station"})  # issue 18: '' for a park without an off-site farm
#: Hourly columns where NaN means "not applicable": hours without an import cap.
NULLABLE_HOURLY = frozenset({"import_cap_kw"})
#: Smallest installed capacity whose capacity factor is checked [kW]; below it the
#: ratio of two round-off-sized numbers means nothing.
MIN_CF_CAPACITY_KW = 1.0


def _tol(dispatch: pd.DataFrame) -> float:
    peak = float(np.nanmax(dispatch["load_kw"].to_numpy(dtype=float))) if len(dispatch) else 0.0
    return REL_TOL * max(peak, 1.0)


def _first(mask: np.ndarray, index: pd.Index) -> str:
    i = int(np.flatnonzero(mask)[0])
    return f"{int(mask.sum())} hour(s), first {index[i]}"


def check_soc(dispatch: pd.DataFrame, battery_kwh: float, soc_min: float,
              what: str = "dispatch") -> None:
    """Check that the state of charge stays within ``[soc_min × E, E]``.

    Parameters
    ----------
    dispatch : pandas.DataFrame
        Hourly dispatch with ``battery_soc_kwh`` [kWh] and ``load_kw`` [kW].
    battery_kwh : float
        Installed battery energy E [kWh] (0 for none).
    soc_min : float
        Minimum state of charge as a share of E [-].
    what : str
        Name used in messages (e.g. the park id).
    """
    soc = dispatch["battery_soc_kwh"].to_numpy(dtype=float)
    tol = _tol(dispatch)
    low, high = soc_min * battery_kwh - tol, battery_kwh + tol
    bad = ~((soc >= low) & (soc <= high))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InvariantError(f"{what}: state of charge outside [{soc_min * battery_kwh:.6g}, "
                             f"{battery_kwh:.6g}] kWh in {_first(bad, dispatch.index)} "
                             f"(value {soc[i]:.6g} kWh)")


def check_battery_exclusive(dispatch: pd.DataFrame, eta_charge: float, eta_discharge: float,
                            what: str = "dispatch") -> None:
    """Check that the battery does not charge and discharge in the same hour.

    Charging and discharging at once moves ``m = min(charge, discharge)`` around a loop
    that dissipates ``m × (1 − η_c × η_d)``. It is physically possible but only ever
    worth it as a dump for a surplus that is curtailed anyway; anywhere else it is the
    sign of an LP that rewards losses (an export price above the import price, a negative
    price) or of a bug. So ``m`` must be within round-off, except in hours with
    curtailment, where the loop's loss must not exceed the curtailed surplus.

    Parameters
    ----------
    dispatch : pandas.DataFrame
        Hourly ``battery_charge_kw``, ``battery_discharge_kw``, ``curtailment_kw`` and
        ``load_kw`` [kW].
    eta_charge, eta_discharge : float
        One-way efficiencies [-].
    what : str
        Name used in messages.
    """
    ch = dispatch["battery_charge_kw"].to_numpy(dtype=float)
    dis = dispatch["battery_discharge_kw"].to_numpy(dtype=float)
    curt = dispatch["curtailment_kw"].to_numpy(dtype=float)
    tol = _tol(dispatch)
    loop = np.minimum(ch, dis)
    loss = loop * (1.0 - eta_charge * eta_discharge)
    bad = (loop > tol) & ((curt <= tol) | (loss > curt + tol))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InvariantError(
            f"{what}: battery charges and discharges in the same hour in "
            f"{_first(bad, dispatch.index)} (charge {ch[i]:.6g} kW, discharge {dis[i]:.6g} kW, "
            f"curtailment {curt[i]:.6g} kW): energy is burnt in the battery's losses")


def check_capacities(capacities: Mapping[str, float], limits: Mapping[str, tuple],
                     what: str = "sizing", tol: float = 1e-6) -> None:
    """Check that every sized capacity lies within its limits.

    Parameters
    ----------
    capacities : mapping
        ``{name: capacity}`` [kW or kWh], as :attr:`SizingResult.capacities`.
    limits : mapping
        ``{name: (lower, upper)}`` in the same units; ``upper`` may be ``inf``. A fixed
        capacity has ``lower == upper``.
    what : str
        Name used in messages.
    tol : float
        Relative tolerance on the bounds [-] (and absolute, in kW or kWh, near zero).
    """
    bad = []
    for name, value in capacities.items():
        value = float(value)
        if not math.isfinite(value):
            bad.append(f"{name} = {value}")
            continue
        low, high = limits.get(name, (0.0, math.inf))
        slack = tol * max(1.0, abs(value), abs(low), abs(high) if math.isfinite(high) else 0.0)
        if value < low - slack or value > high + slack:
            bad.append(f"{name} = {value:.6g} outside [{low:.6g}, {high:.6g}]")
    if bad:
        raise InvariantError(f"{what}: capacities outside their limits: " + "; ".join(bad))


def check_finite(table: pd.DataFrame, nullable=frozenset(), what: str = "output") -> None:
    """Check that no numeric column holds NaN (except ``nullable`` ones) or infinity.

    Parameters
    ----------
    table : pandas.DataFrame
        A results table (``summary.csv`` or a park's hourly file).
    nullable : set of str
        Columns where NaN means "not applicable"; infinity is refused there too.
    what : str
        Name used in messages.
    """
    bad = []
    for col in table.columns:
        series = table[col]
        if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            if col not in nullable and series.isna().any():
                bad.append(f"{col} (missing)")
            continue
        v = series.to_numpy(dtype=float)
        if np.isinf(v).any():
            bad.append(f"{col} (infinite)")
        elif col not in nullable and np.isnan(v).any():
            bad.append(f"{col} (NaN in {int(np.isnan(v).sum())} row(s))")
    if bad:
        raise InvariantError(f"{what}: non-finite values in {', '.join(bad)}")


def capacity_factor(output_kw: pd.Series, capacity_kw: float) -> float:
    """Capacity factor: mean available output over capacity [-].

    Parameters
    ----------
    output_kw : pandas.Series
        Hourly available output, before curtailment [kW].
    capacity_kw : float
        Installed capacity [kW].
    """
    return float(output_kw.mean()) / capacity_kw


def check_capacity_factors(dispatch: pd.DataFrame, pv_kw: float, wind_kw: float,
                           what: str = "park") -> None:
    """Check PV and wind capacity factors against :data:`energy_model.bands.BANDS`.

    Parameters
    ----------
    dispatch : pandas.DataFrame
        Hourly ``pv_kw`` and ``wind_kw`` (available output) [kW] over a full year.
    pv_kw, wind_kw : float
        Installed PV (AC-equivalent kWp as sized) and wind capacity [kW].
    what : str
        Name used in messages.
    """
    if pv_kw >= MIN_CF_CAPACITY_KW:
        check("pv_fixed_ac_cf", capacity_factor(dispatch["pv_kw"], pv_kw), f"{what} PV")
    if wind_kw >= MIN_CF_CAPACITY_KW:
        check("wind_cf", capacity_factor(dispatch["wind_kw"], wind_kw), f"{what} wind")


def check_park(park_result) -> None:
    """All invariants of one park of a run (:class:`energy_model.pipeline.ParkResult`)."""

    inputs, sizing = park_result.inputs, park_result.sizing
    what = inputs.park.id
    d = sizing.dispatch
    check_dispatch(d, what)
    meters = getattr(park_result, "meters", None)
    if meters:  # a KKT sized per class meter: each meter in full, the sum adds up
        for m in meters.values():
            check_park(m)
        _check_meter_sum(park_result, what)
        return
    caps = sizing.capacities
    b = inputs.battery
    if b is not None:
        check_soc(d, caps.get("battery_kwh", 0.0), b.soc_min, what)
        check_battery_exclusive(d, b.eta_charge, b.eta_discharge, what)
    limits = {}
    pv = wind = 0.0
    for t in inputs.technologies:
        fixed = getattr(t, "fixed_kw", None)
        limits[f"{t.name}_kw"] = (fixed, fixed) if fixed is not None else (0.0, t.max_kw)
        if t.kind == "wind":
            wind += caps.get(f"{t.name}_kw", 0.0)
        else:
            pv += caps.get(f"{t.name}_kw", 0.0)
    if b is not None:
        limits["battery_kwh"] = ((b.fixed_kwh, b.fixed_kwh) if b.fixed_kwh is not None
                                 else (0.0, b.max_kwh))
        limits["battery_kw"] = ((b.fixed_kw, b.fixed_kw) if b.fixed_kw is not None
                                else (0.0, b.max_kw))
    check_capacities({k: v for k, v in caps.items() if k in limits}, limits, what)
    check_finite(park_result.hourly, NULLABLE_HOURLY, f"{what} hourly")
    if len(d) >= 8760:  # a band is about a year, not a fortnight
        check_capacity_factors(d, pv, wind, what)


def _check_meter_sum(park_result, what: str) -> None:
    """A KKT's class meters add up to the zone: load hour by hour, and the summed flows."""
    d = park_result.sizing.dispatch
    zone = park_result.inputs.load_kw.to_numpy(dtype=float)
    tol = _tol(d)
    parts = list(park_result.meters.values())
    for col in ("load_kw", "grid_import_kw", "grid_export_kw"):
        total = sum(m.sizing.dispatch[col].to_numpy(dtype=float) for m in parts)
        if np.abs(total - d[col].to_numpy(dtype=float)).max() > tol:
            raise InvariantError(f"{what}: class meters' {col} do not add up to the zone's")
    if np.abs(d["load_kw"].to_numpy(dtype=float) - zone).max() > tol:
        raise InvariantError(f"{what}: class meters' load does not add up to the zone load")
    check_finite(park_result.hourly, NULLABLE_HOURLY, f"{what} hourly")


def check_run(result) -> None:
    """All invariants of a run (:class:`energy_model.pipeline.ScenarioResult`)."""
    for park_result in result.parks.values():
        check_park(park_result)
    check_finite(result.summary, NULLABLE_SUMMARY, "summary.csv")
    if getattr(result, "grid", None) is not None:
        check_grid(result.grid, result.parks)


def check_grid(gp, parks: Mapping, tol_mw: float = 1e-6) -> None:
    """The grid tables add up: provincial and group series are the sums of the parks',
    the headline's before/after match the hourly series at the named hours, and cuts are
    covered at most in full.

    Parameters
    ----------
    gp : energy_model.pipeline.GridPressure
    parks : mapping of str to ParkResult
    tol_mw : float
        Tolerance relative to the provincial peak load (or 1 MW) [-].
    """
    h = gp.province_hourly
    load = sum(p.sizing.dispatch["load_kw"].to_numpy(float) for p in parks.values()) / 1000
    imp = sum(p.sizing.dispatch["grid_import_kw"].to_numpy(float) for p in parks.values()) / 1000
    scale = tol_mw * max(1.0, float(load.max()))
    bad = []
    if np.abs(h["province_import_before_mw"].to_numpy() - load).max() > scale:
        bad.append("province_import_before_mw ≠ Σ park load")
    if np.abs(h["province_import_after_mw"].to_numpy() - imp).max() > scale:
        bad.append("province_import_after_mw ≠ Σ park import")
    groups = [c for c in h.columns if c.endswith("_import_after_mw")
              and not c.startswith("province_")]
    if groups and np.abs(h[groups].sum(axis=1).to_numpy() - imp).max() > scale:
        bad.append("substation groups' import ≠ provincial import")
    at = h.loc[gp.relief.peak_hour]
    if abs(at["province_import_after_mw"] - gp.relief.import_after_mw) > scale:
        bad.append("relief at the peak hour ≠ the hourly series at that hour")
    for name, res in gp.cuts.items():
        s = res.scopes
        if ((s["covered_mwh"] > s["cut_mwh"] + scale) | (s["shed_mwh"] < -scale)).any():
            bad.append(f"cut schedule {name}: covered above the cut or negative shed")
    if bad:
        raise InvariantError("grid tables: " + "; ".join(bad))
