"""Resilience of a park's critical load through grid outages, and the June 2023 cut schedule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from energy_model.balance import BALANCE_RTOL
from energy_model.errors import EnergyModelError
from energy_model.metrics.checks import align_hourly, check_dispatch, step_hours


# --------------------------------------------------------------------------- resilience

#: E: the June 2023 rotating cuts modelled as a schedule (see june_2023_cuts)
JUNE_2023_CUTS = dict(first_day=(6, 1), last_day=(6, 20), start_hour=13, duration_h=4,
                      weekdays=(0, 1, 2, 3, 4))
JUNE_2023_BASIS = (
    "E: northern Vietnam's rotating cuts of June 2023 (S: Quảng Ninh's large customers cut "
    "51.2 MW on 6 June 2023) modelled as one 4-hour cut, 13:00–17:00 local time, on every "
    "weekday (Mon–Fri) of 1–20 June; EVN's actual rota by feeder was not found (NF)")


def rotating_cut_schedule(index: pd.DatetimeIndex, *, first_day: tuple[int, int],
                          last_day: tuple[int, int], start_hour: int, duration_h: int,
                          weekdays: tuple[int, ...]) -> pd.Series:
    """Hours with the grid down under a daily rotating-cut rota.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Hourly, tz-aware, interval-start labels (local clock is used).
    first_day, last_day : tuple of int
        (month, day) of the first and last day with cuts, inclusive, in the index's year(s).
    start_hour : int
        Local clock hour the cut begins [h].
    duration_h : int
        Length of each cut [h]; a cut may run past midnight.
    weekdays : tuple of int
        Days of week with cuts (Monday = 0).

    Returns
    -------
    pandas.Series of bool
        ``grid_down``: True in hours without grid supply.
    """
    idx = index
    # the cut that covers an hour began on that hour's day or on an earlier day
    hours_since_start = (idx.hour - start_hour) % 24
    cut_day = (idx - pd.to_timedelta(hours_since_start, unit="h")).normalize()
    md = cut_day.month * 100 + cut_day.day
    in_dates = (md >= first_day[0] * 100 + first_day[1]) & (md <= last_day[0] * 100 + last_day[1])
    down = in_dates & np.isin(cut_day.day_of_week, weekdays) & (hours_since_start < duration_h)
    return pd.Series(np.asarray(down), index=index, name="grid_down")


def june_2023_cuts(index: pd.DatetimeIndex) -> pd.Series:
    """The June 2023 rotating cuts as a grid-down schedule (mark E, see :data:`JUNE_2023_BASIS`).

    The dates (1–20 June, weekdays) are applied to the year of ``index``, so a 2030 dispatch
    meets the 2023 rota on the 2030 calendar.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Hourly, tz-aware, interval-start labels.

    Returns
    -------
    pandas.Series of bool
    """
    return rotating_cut_schedule(index, **JUNE_2023_CUTS)


@dataclass(frozen=True)
class ResilienceResult:
    """How long on-site supply carries the critical load through grid outages.

    An *event* is one outage: every start hour of the year for an outage given as a
    duration, or every block of consecutive grid-down hours for a schedule.

    Attributes
    ----------
    events : pandas.DataFrame
        One row per event: ``start``, ``duration_h``, ``hours_survived_h`` (consecutive hours
        from the start with the critical load fully served, at most ``duration_h``),
        ``critical_kwh``, ``served_kwh``.
    critical_share : float
        Share of the load that is critical [-].
    hours_survived_mean_h, hours_survived_min_h : float
        Mean and minimum over events [h].
    hours_survived_percentile_h : float
        ``percentile``-th percentile over events [h].
    percentile : float
        Which percentile [%].
    survival_probability : float
        Share of events whose critical load was fully served throughout [-].
    critical_served_share : float
        Critical energy served / critical energy, over all events [-].
    critical_served_share_min : float
        The same for the worst event [-].
    basis : str
        The model, stated.
    """

    events: pd.DataFrame
    critical_share: float
    hours_survived_mean_h: float
    hours_survived_min_h: float
    hours_survived_percentile_h: float
    percentile: float
    survival_probability: float
    critical_served_share: float
    critical_served_share_min: float
    basis: str = field(default="")


RESILIENCE_BASIS = (
    "Outage: no grid import or export. Critical load = critical_share × load. On-site PV and "
    "wind (available output) serve it only if a battery inverter can form the island "
    "(battery_kw > 0; grid-following inverters trip on anti-islanding otherwise). Surplus "
    "charges the battery within its power and energy limits; the battery discharges down to "
    "soc_min. Each outage starts from the dispatch's state of charge; after a scheduled cut the "
    "battery returns to the dispatch's SOC as fast as its power allows. Hours survived are "
    "counted until the first hour the critical load is not fully met (REopt's definition); the "
    "served share lets the battery keep serving what it can after that.")


def _outage_step(soc, critical, gen, dt, battery_kwh, battery_kw, soc_min_kwh, eta_c, eta_d):
    """One hour of islanded operation; arrays over events. Returns (new soc, served kW)."""
    surplus = np.maximum(gen - critical, 0.0)
    deficit = np.maximum(critical - gen, 0.0)
    charge = np.minimum(np.minimum(surplus, battery_kw), (battery_kwh - soc) / (eta_c * dt))
    deliverable = np.minimum(battery_kw, np.maximum(soc - soc_min_kwh, 0.0) * eta_d / dt)
    discharge = np.minimum(deficit, deliverable)
    soc = soc + (eta_c * charge - discharge / eta_d) * dt
    served = critical - deficit + discharge
    return soc, served


def resilience(dispatch: pd.DataFrame, outage, critical_share: float, battery_kwh: float,
               battery_kw: float, *, soc_min_kwh: float = 0.0, charge_efficiency: float = 0.95,
               discharge_efficiency: float = 0.95, percentile: float = 10.0) -> ResilienceResult:
    """Share of critical load served and hours survived through grid outages.

    Parameters
    ----------
    dispatch : pandas.DataFrame
        Hourly dispatch (:data:`DISPATCH_COLUMNS`); gives the load, the available PV and wind
        output, and the state of charge each outage starts from.
    outage : int or pandas.Series of bool
        An ``int`` is an outage duration [h] starting at every hour of the year (the year
        wraps around, as the cyclic dispatch does; REopt-style survival statistics). A bool
        Series on the dispatch index is a schedule (True = grid down), e.g.
        :func:`june_2023_cuts`.
    critical_share : float
        Share of the load that must be served [-], in (0, 1].
    battery_kwh, battery_kw : float
        Battery energy [kWh] and power [kW] capacities.
    soc_min_kwh : float
        Lowest state of charge allowed during the outage [kWh].
    charge_efficiency, discharge_efficiency : float
        One-way battery efficiencies [-] (use the LP's).
    percentile : float
        Percentile of hours survived to report [%].

    Returns
    -------
    ResilienceResult
    """
    check_dispatch(dispatch)
    if not 0 < critical_share <= 1:
        raise EnergyModelError(f"critical_share must be in (0, 1], got {critical_share}")
    if battery_kwh < 0 or battery_kw < 0 or not 0 <= soc_min_kwh <= max(battery_kwh, 0):
        raise EnergyModelError("battery_kwh and battery_kw must be ≥ 0 and soc_min_kwh within "
                               f"[0, battery_kwh]; got {battery_kwh}, {battery_kw}, {soc_min_kwh}")
    dt = step_hours(dispatch.index)
    critical = critical_share * dispatch["load_kw"].to_numpy(dtype=float)
    gen = (dispatch["pv_kw"] + dispatch["wind_kw"]).to_numpy(dtype=float)
    if battery_kw <= 0:
        gen = np.zeros_like(gen)  # no grid-forming inverter: PV and wind trip with the grid
    soc0 = np.clip(dispatch["battery_soc_kwh"].to_numpy(dtype=float), 0.0, battery_kwh)
    params = (dt, battery_kwh, battery_kw, soc_min_kwh, charge_efficiency, discharge_efficiency)

    if isinstance(outage, (int, np.integer)) and not isinstance(outage, bool):
        events = _every_start(int(outage), critical, gen, soc0, dispatch.index, params)
    elif isinstance(outage, pd.Series):
        down = align_hourly(outage, dispatch.index, "outage schedule").astype(bool)
        events = _schedule(down, critical, gen, soc0, dispatch.index, params)
    else:
        raise EnergyModelError("outage must be a duration in hours (int) or a bool Series of "
                               "grid-down hours on the dispatch index, got "
                               f"{type(outage).__name__}")
    return _summarise_events(events, critical_share, percentile)


def _every_start(duration: int, critical, gen, soc0, index, params) -> pd.DataFrame:
    """Outages of ``duration`` hours starting at every hour (vectorised over starts)."""
    n = len(critical)
    if not 1 <= duration <= n:
        raise EnergyModelError(f"outage duration must be 1..{n} h, got {duration}")
    dt = params[0]
    starts = np.arange(n)
    soc = soc0.copy()
    alive = np.ones(n, dtype=bool)
    survived = np.zeros(n)
    crit_total = np.zeros(n)
    served_total = np.zeros(n)
    tol = BALANCE_RTOL * max(float(critical.max()), 1.0)
    for k in range(duration):
        t = (starts + k) % n
        soc, served = _outage_step(soc, critical[t], gen[t], *params)
        alive &= served >= critical[t] - tol
        survived += alive * dt
        crit_total += critical[t] * dt
        served_total += served * dt
    return pd.DataFrame({"start": index, "duration_h": duration * dt, "hours_survived_h": survived,
                         "critical_kwh": crit_total, "served_kwh": served_total})


def _schedule(down, critical, gen, soc0, index, params) -> pd.DataFrame:
    """Simulate a grid-down schedule hour by hour; one row per block of down hours."""
    dt, battery_kwh, battery_kw, _, eta_c, eta_d = params
    if not down.any():
        raise EnergyModelError("the outage schedule has no grid-down hour")
    n = len(critical)
    tol = BALANCE_RTOL * max(float(critical.max()), 1.0)
    soc = soc0[0]
    rows = []
    for t in range(n):
        if down[t]:
            if t == 0 or not down[t - 1]:
                rows.append({"start": index[t], "duration_h": 0.0, "hours_survived_h": 0.0,
                             "critical_kwh": 0.0, "served_kwh": 0.0, "_alive": True})
            ev = rows[-1]
            new, served = _outage_step(np.array([soc]), critical[t:t + 1], gen[t:t + 1], *params)
            soc = float(new[0])
            ev["_alive"] &= bool(served[0] >= critical[t] - tol)
            ev["duration_h"] += dt
            ev["hours_survived_h"] += dt * ev["_alive"]
            ev["critical_kwh"] += critical[t] * dt
            ev["served_kwh"] += float(served[0]) * dt
        else:
            # grid up: move back towards the dispatch's trajectory within the power limit
            target = soc0[(t + 1) % n]
            soc = float(np.clip(target, soc - battery_kw * dt / eta_d,
                                min(soc + battery_kw * dt * eta_c, battery_kwh)))
    return pd.DataFrame(rows).drop(columns="_alive")


def _summarise_events(events: pd.DataFrame, critical_share: float,
                      percentile: float) -> ResilienceResult:
    hours = events["hours_survived_h"].to_numpy()
    crit = events["critical_kwh"].to_numpy()
    served = events["served_kwh"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        per_event = np.where(crit > 0, served / crit, 1.0)
    return ResilienceResult(
        events=events, critical_share=critical_share,
        hours_survived_mean_h=float(hours.mean()), hours_survived_min_h=float(hours.min()),
        hours_survived_percentile_h=float(np.percentile(hours, percentile)),
        percentile=percentile,
        survival_probability=float(np.mean(hours >= events["duration_h"].to_numpy())),
        critical_served_share=float(served.sum() / crit.sum()) if crit.sum() > 0 else 1.0,
        critical_served_share_min=float(per_event.min()), basis=RESILIENCE_BASIS)
