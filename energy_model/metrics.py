"""Grid and resilience metrics of an hourly park dispatch, and the province aggregate.

Input: a *dispatch*, an hourly DataFrame labelled at interval start with the columns of
:data:`DISPATCH_COLUMNS` [kW, and kWh for the state of charge]. Its energy balance is

    load = pv + wind − curtailment + battery_discharge − battery_charge
           + grid_import − grid_export + unmet

where ``pv_kw`` and ``wind_kw`` are the *available* output and ``curtailment_kw`` what was
thrown away. Energy is power × step length (1 h), never a bare sum. The grid-only case of a
park is the dispatch of :func:`grid_only_dispatch` (import = load).

``battery_soc_kwh`` is the energy stored at the **start** of each hour, as the sizing LP
writes it (:mod:`energy_model.sizing.result`): an outage beginning at hour ``t`` starts from
the value of hour ``t``.

Definitions (Luthander et al. 2015, *Applied Energy* 142, 80–94; the autarky and
self-consumption rates of HOMER/REopt-style reports):

- self-sufficiency = (load − grid import − unmet) / load: the share of the load not bought
  from the grid (and not shed). Grid-charged battery losses lower it; a battery that only
  does tariff arbitrage makes it slightly negative, which is the truth, not a bug.
- self-consumption = (pv + wind − curtailment − grid export) / (pv + wind): the share of the
  available on-site generation used on site (directly or through the battery). Curtailed
  energy counts as not consumed.

Grid-pressure metrics (the section at the end; definitions in README, "Grid-pressure
metrics: glossary") take the per-park dispatches of a run and always compare before and
after at the same hours: :func:`evening_firm_contribution` (top-N provincial hours of the
evening window of the tariff frame in force), :func:`relief_at_peak_hour`,
:func:`substation_groups` (N-1 headroom unknown where the rating is NF),
:func:`reverse_flow`, :func:`shortage_cuts` (MW cuts with the grid up; blackouts stay with
:func:`resilience`) and :func:`grid_pressure_headline` (one flat row per run).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from energy_model.balance import BALANCE_RTOL, DISPATCH_COLUMNS, balance_residual
from energy_model.errors import EnergyModelError, InvariantError
from energy_model.timeseries import time_step_hours
from energy_model import tariff as tf
from energy_model.errors import Problem, ScenarioError
from energy_model.paths import package_data
from energy_model.substations import load_substations
from energy_model.yaml_io import line_of, load_yaml


# --------------------------------------------------------------------------- input checks

def step_hours(index: pd.Index) -> float:
    """Length of one interval of a regular DatetimeIndex [h].

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Regular, interval-start labels.

    Returns
    -------
    float
        Step length [h].
    """
    return time_step_hours(index, "a dispatch")


def balance_residual_kw(dispatch: pd.DataFrame) -> pd.Series:
    """Hourly energy-balance residual: supply − load [kW].

    Parameters
    ----------
    dispatch : pandas.DataFrame
        Columns of :data:`DISPATCH_COLUMNS` [kW].

    Returns
    -------
    pandas.Series
        ``pv + wind − curtailment + discharge − charge + import − export + unmet − load``
        [kW].
    """
    return balance_residual(dispatch).rename("balance_residual_kw")


def check_dispatch(dispatch: pd.DataFrame, what: str = "dispatch") -> None:
    """Check columns, finiteness, signs and the hourly energy balance of a dispatch.

    Flows may dip below zero and the balance may miss by at most
    :data:`BALANCE_RTOL` × peak load (solver round-off); anything more raises.

    Parameters
    ----------
    dispatch : pandas.DataFrame
        Columns of :data:`DISPATCH_COLUMNS` [kW].
    what : str
        Name used in messages (e.g. the park id).
    """
    missing = [c for c in DISPATCH_COLUMNS if c not in dispatch.columns]
    if missing:
        raise EnergyModelError(f"{what}: dispatch lacks columns {missing}; expected all of "
                               f"{list(DISPATCH_COLUMNS)} (use grid_only_dispatch for a park "
                               "without a system)")
    step_hours(dispatch.index)
    values = dispatch[list(DISPATCH_COLUMNS)].to_numpy(dtype=float)
    if not np.all(np.isfinite(values)):
        bad = [c for c in DISPATCH_COLUMNS if not np.all(np.isfinite(dispatch[c]))]
        raise InvariantError(f"{what}: non-finite values in {bad}")
    tol = BALANCE_RTOL * max(float(dispatch["load_kw"].max()), 1.0)
    low = values.min(axis=0)
    negative = [c for c, v in zip(DISPATCH_COLUMNS, low) if v < -tol]
    if negative:
        raise InvariantError(f"{what}: negative values in {negative} (below −{tol:.3g})")
    residual = balance_residual_kw(dispatch).abs()
    if residual.max() > tol:
        hour = residual.idxmax()
        raise InvariantError(f"{what}: energy balance misses by {residual.max():.6g} kW at "
                             f"{hour} (tolerance {tol:.3g} kW = {BALANCE_RTOL:g} × peak load)")


def grid_only_dispatch(load_kw: pd.Series) -> pd.DataFrame:
    """The dispatch of a park without on-site supply: grid import equals the load.

    Parameters
    ----------
    load_kw : pandas.Series
        Hourly load [kW], interval-start labels.

    Returns
    -------
    pandas.DataFrame
        All :data:`DISPATCH_COLUMNS`, zero except ``load_kw`` and ``grid_import_kw``.
    """
    out = pd.DataFrame(0.0, index=load_kw.index, columns=list(DISPATCH_COLUMNS))
    out["load_kw"] = load_kw.to_numpy(dtype=float)
    out["grid_import_kw"] = load_kw.to_numpy(dtype=float)
    return out


def align_hourly(values, index: pd.Index, name: str) -> np.ndarray:
    """A scalar, array or Series as a float array on ``index``.

    Parameters
    ----------
    values : float, array_like or pandas.Series
        A Series must carry exactly ``index``; an array must have its length.
    index : pandas.Index
        The dispatch index.
    name : str
        Used in the message when they do not match.

    Returns
    -------
    numpy.ndarray
        One float per label.
    """
    if isinstance(values, pd.Series):
        if not values.index.equals(index):
            raise EnergyModelError(f"{name} is not indexed like the dispatch "
                                   f"({len(values)} vs {len(index)} labels, or other labels)")
        return values.to_numpy(dtype=float)
    arr = np.asarray(values, dtype=float)
    if arr.ndim and arr.shape != (len(index),):
        raise EnergyModelError(f"{name} has shape {arr.shape}; expected a scalar or "
                               f"{len(index)} hourly values")
    return np.broadcast_to(arr, (len(index),)).astype(float)


# --------------------------------------------------------------------------- per-park results

@dataclass(frozen=True)
class EnergyFlows:
    """Energy flows of a park over the dispatch horizon (normally one year).

    Attributes
    ----------
    load_kwh : float
        Load [kWh].
    pv_kwh, wind_kwh : float
        Available PV and wind output, before curtailment [kWh].
    curtailment_kwh : float
        On-site output thrown away [kWh].
    battery_charge_kwh, battery_discharge_kwh : float
        Battery throughput, AC side [kWh].
    grid_import_kwh, grid_export_kwh : float
        Energy bought from and sold to the grid [kWh].
    unmet_kwh : float
        Load not served (the opt-in slack) [kWh].
    """

    load_kwh: float
    pv_kwh: float
    wind_kwh: float
    curtailment_kwh: float
    battery_charge_kwh: float
    battery_discharge_kwh: float
    grid_import_kwh: float
    grid_export_kwh: float
    unmet_kwh: float

    @property
    def generation_kwh(self) -> float:
        """Available on-site generation, PV + wind before curtailment [kWh]."""
        return self.pv_kwh + self.wind_kwh

    @property
    def onsite_supply_kwh(self) -> float:
        """On-site output delivered (to load, battery or grid): generation − curtailment [kWh]."""
        return self.generation_kwh - self.curtailment_kwh


def energy_flows(dispatch: pd.DataFrame) -> EnergyFlows:
    """Sum a dispatch into energy flows [kWh] (power × step length).

    Parameters
    ----------
    dispatch : pandas.DataFrame
        Columns of :data:`DISPATCH_COLUMNS` [kW].

    Returns
    -------
    EnergyFlows
    """
    dt = step_hours(dispatch.index)

    def kwh(col: str) -> float:
        return float(dispatch[col].to_numpy(dtype=float).sum() * dt)

    return EnergyFlows(
        load_kwh=kwh("load_kw"), pv_kwh=kwh("pv_kw"), wind_kwh=kwh("wind_kw"),
        curtailment_kwh=kwh("curtailment_kw"), battery_charge_kwh=kwh("battery_charge_kw"),
        battery_discharge_kwh=kwh("battery_discharge_kw"), grid_import_kwh=kwh("grid_import_kw"),
        grid_export_kwh=kwh("grid_export_kw"), unmet_kwh=kwh("unmet_kw"))


def self_sufficiency(flows: EnergyFlows) -> float:
    """Share of the load neither bought from the grid nor shed [-].

    ``(load − grid_import − unmet) / load``; see the module docstring.

    Parameters
    ----------
    flows : EnergyFlows
        Energy flows [kWh].

    Returns
    -------
    float
        Self-sufficiency [-]; NaN without load.
    """
    if flows.load_kwh <= 0:
        return float("nan")
    return (flows.load_kwh - flows.grid_import_kwh - flows.unmet_kwh) / flows.load_kwh


def self_consumption(flows: EnergyFlows) -> float:
    """Share of the available on-site generation used on site [-].

    ``(pv + wind − curtailment − grid_export) / (pv + wind)``; see the module docstring.

    Parameters
    ----------
    flows : EnergyFlows
        Energy flows [kWh].

    Returns
    -------
    float
        Self-consumption [-]; NaN without generation.
    """
    gen = flows.generation_kwh
    if gen <= 0:
        return float("nan")
    return (gen - flows.curtailment_kwh - flows.grid_export_kwh) / gen


@dataclass(frozen=True)
class ParkMetrics:
    """Grid metrics of one park: flows, shares, peaks, evening window, cap and unmet hours.

    "Before" is the grid-only case (import = load); "after" is the dispatch with the system.

    Attributes
    ----------
    flows : EnergyFlows
        Energy flows with the system [kWh].
    self_sufficiency : float
        Share of load not bought from the grid nor shed [-].
    self_consumption : float
        Share of available on-site generation used on site [-]; NaN without generation.
    peak_import_before_kw, peak_import_after_kw : float
        Highest hourly grid import [kW].
    evening_import_before_kwh, evening_import_after_kwh : float or None
        Grid import inside the system's evening peak window [kWh]; None without a window.
    evening_peak_import_before_kw, evening_peak_import_after_kw : float or None
        Highest import in an hour touching the evening window [kW].
    hours_at_import_cap_h : float or None
        Hours with import at the cap (within 1e-6 relative) [h]; None without a cap.
    unmet_hours_h : float
        Hours with unmet load [h].
    battery_equivalent_cycles : float or None
        Discharged energy / battery energy capacity [-]; None without a battery.
    """

    flows: EnergyFlows
    self_sufficiency: float
    self_consumption: float
    peak_import_before_kw: float
    peak_import_after_kw: float
    evening_import_before_kwh: float | None
    evening_import_after_kwh: float | None
    evening_peak_import_before_kw: float | None
    evening_peak_import_after_kw: float | None
    hours_at_import_cap_h: float | None
    unmet_hours_h: float
    battery_equivalent_cycles: float | None

    def as_row(self) -> dict:
        """A flat dict (flows expanded, one key per value, units in the keys) for summary.csv."""
        row = asdict(self.flows)
        row.update({k: v for k, v in asdict(self).items() if k != "flows"})
        return row


def _window_import(import_kw: np.ndarray, share: np.ndarray, dt: float) -> tuple[float, float]:
    """Energy [kWh] and peak [kW] of an import series inside a weighted window."""
    energy = float((import_kw * share).sum() * dt)
    inside = share > 0
    peak = float(import_kw[inside].max()) if inside.any() else 0.0
    return energy, peak


def park_metrics(dispatch: pd.DataFrame, *, evening_share=None, import_cap_kw=None,
                 battery_kwh: float | None = None, what: str = "dispatch") -> ParkMetrics:
    """Grid metrics of one park against its grid-only case.

    Parameters
    ----------
    dispatch : pandas.DataFrame
        Hourly dispatch, columns of :data:`DISPATCH_COLUMNS` [kW]; checked first.
    evening_share : pandas.Series, array or None
        Share of each hour inside the system evening peak window [-] (bool or 0–1, e.g.
        :func:`energy_model.tariff.evening_peak_share`); None to skip the window metrics.
    import_cap_kw : float, pandas.Series, array or None
        Import cap [kW], scalar or hourly (inf or NaN where there is none); None for no cap.
    battery_kwh : float or None
        Battery energy capacity [kWh], for the equivalent cycles.
    what : str
        Name used in messages.

    Returns
    -------
    ParkMetrics
    """
    check_dispatch(dispatch, what)
    dt = step_hours(dispatch.index)
    flows = energy_flows(dispatch)
    load = dispatch["load_kw"].to_numpy(dtype=float)
    imp = dispatch["grid_import_kw"].to_numpy(dtype=float)
    tol = BALANCE_RTOL * max(float(load.max()), 1.0)

    ev = [None] * 4
    if evening_share is not None:
        share = align_hourly(evening_share, dispatch.index, "evening_share")
        if np.any((share < 0) | (share > 1)):
            raise EnergyModelError(f"{what}: evening_share must lie in [0, 1]")
        ev = [*_window_import(load, share, dt), *_window_import(imp, share, dt)]

    at_cap = None
    if import_cap_kw is not None:
        cap = align_hourly(import_cap_kw, dispatch.index, "import_cap_kw")
        capped = np.isfinite(cap) & (imp >= cap * (1 - 1e-6) - tol)
        at_cap = float(capped.sum() * dt)

    cycles = None
    if battery_kwh is not None and battery_kwh > 0:
        cycles = flows.battery_discharge_kwh / battery_kwh

    return ParkMetrics(
        flows=flows, self_sufficiency=self_sufficiency(flows),
        self_consumption=self_consumption(flows),
        peak_import_before_kw=float(load.max()), peak_import_after_kw=float(imp.max()),
        evening_import_before_kwh=ev[0], evening_peak_import_before_kw=ev[1],
        evening_import_after_kwh=ev[2], evening_peak_import_after_kw=ev[3],
        hours_at_import_cap_h=at_cap,
        unmet_hours_h=float((dispatch["unmet_kw"].to_numpy() > tol).sum() * dt),
        battery_equivalent_cycles=cycles)


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


# --------------------------------------------------------------------------- province

@dataclass(frozen=True)
class ProvinceAggregate:
    """Grid pressure of all parks together, before (grid-only) and after (with systems).

    Attributes
    ----------
    n_parks : int
        Parks aggregated.
    coincident_peak_import_before_mw, coincident_peak_import_after_mw : float
        Maximum over hours of the sum of all parks' imports [MW].
    sum_of_park_peaks_before_mw, sum_of_park_peaks_after_mw : float
        Sum of each park's own peak import [MW] (≥ the coincident peak).
    peak_hour_before, peak_hour_after : pandas.Timestamp
        Hour of the coincident peak.
    evening_import_before_mwh, evening_import_after_mwh : float or None
        Import inside the system's evening peak window [MWh].
    evening_peak_import_before_mw, evening_peak_import_after_mw : float or None
        Highest coincident import in an hour touching the window [MW].
    energy_bought_before_mwh, energy_bought_after_mwh : float
        Grid import [MWh].
    energy_sold_after_mwh : float
        Grid export [MWh].
    grid_cost_before_vnd, grid_cost_after_vnd : float
        Energy charges: import × import price − export × export price [VND] (capacity
        charges, if any, are not included).
    emission_factor_t_per_mwh : float
        Location-based average grid emission factor used [tCO2/MWh].
    co2_before_t, co2_after_t : float
        Location-based emissions of the grid import [tCO2]; exports earn no credit.
    """

    n_parks: int
    coincident_peak_import_before_mw: float
    coincident_peak_import_after_mw: float
    sum_of_park_peaks_before_mw: float
    sum_of_park_peaks_after_mw: float
    peak_hour_before: pd.Timestamp
    peak_hour_after: pd.Timestamp
    evening_import_before_mwh: float | None
    evening_import_after_mwh: float | None
    evening_peak_import_before_mw: float | None
    evening_peak_import_after_mw: float | None
    energy_bought_before_mwh: float
    energy_bought_after_mwh: float
    energy_sold_after_mwh: float
    grid_cost_before_vnd: float
    grid_cost_after_vnd: float
    emission_factor_t_per_mwh: float
    co2_before_t: float
    co2_after_t: float

    @property
    def co2_avoided_t(self) -> float:
        """Location-based CO2 avoided [tCO2]."""
        return self.co2_before_t - self.co2_after_t


def _per_park(value, park: str, name: str):
    """The value of one park from a per-park mapping, or the shared value."""
    if not isinstance(value, Mapping):
        return value
    if park not in value:
        raise EnergyModelError(f"{name} has no entry for park {park!r}")
    return value[park]


def province_aggregate(dispatches: Mapping[str, pd.DataFrame], *, import_price_vnd_per_kwh,
                       emission_factor_t_per_mwh: float, export_price_vnd_per_kwh=0.0,
                       evening_share=None) -> ProvinceAggregate:
    """Sum the parks hour by hour and report the province's grid pressure.

    Parameters
    ----------
    dispatches : mapping of str to pandas.DataFrame
        Park id → hourly dispatch (:data:`DISPATCH_COLUMNS`), all on one index.
    import_price_vnd_per_kwh : float, pandas.Series or mapping
        Import price [VND/kWh], hourly; a mapping gives one per park (voltage levels differ).
    emission_factor_t_per_mwh : float
        Location-based average grid emission factor of the year [tCO2/MWh]
        (the first value of :func:`energy_model.economics.emission_factor`).
    export_price_vnd_per_kwh : float, pandas.Series or mapping
        Surplus price [VND/kWh].
    evening_share : pandas.Series, array or None
        Share of each hour inside the evening peak window [-].

    Returns
    -------
    ProvinceAggregate
    """
    if not dispatches:
        raise EnergyModelError("province_aggregate needs at least one park dispatch")
    parks = list(dispatches)
    index = dispatches[parks[0]].index
    dt = step_hours(index)
    load = np.zeros(len(index))
    imp = np.zeros(len(index))
    exp_kwh = 0.0
    cost_before = cost_after = 0.0
    peaks_before = peaks_after = 0.0
    for park in parks:
        d = dispatches[park]
        if not d.index.equals(index):
            raise EnergyModelError(f"park {park!r}: dispatch index differs from park "
                                   f"{parks[0]!r}'s; all parks must share one hourly index")
        check_dispatch(d, park)
        price = align_hourly(_per_park(import_price_vnd_per_kwh, park, "import price"), index,
                        f"{park} import price")
        xprice = align_hourly(_per_park(export_price_vnd_per_kwh, park, "export price"), index,
                         f"{park} export price")
        l_kw = d["load_kw"].to_numpy(dtype=float)
        i_kw = d["grid_import_kw"].to_numpy(dtype=float)
        x_kw = d["grid_export_kw"].to_numpy(dtype=float)
        load += l_kw
        imp += i_kw
        exp_kwh += float(x_kw.sum() * dt)
        cost_before += float((l_kw * price).sum() * dt)
        cost_after += float(((i_kw * price) - (x_kw * xprice)).sum() * dt)
        peaks_before += float(l_kw.max())
        peaks_after += float(i_kw.max())

    ev = [None] * 4
    if evening_share is not None:
        share = align_hourly(evening_share, index, "evening_share")
        window = (*_window_import(load, share, dt), *_window_import(imp, share, dt))
        ev = [v / 1000.0 for v in window]
    bought_before = float(load.sum() * dt) / 1000.0
    bought_after = float(imp.sum() * dt) / 1000.0
    return ProvinceAggregate(
        n_parks=len(parks),
        coincident_peak_import_before_mw=float(load.max()) / 1000.0,
        coincident_peak_import_after_mw=float(imp.max()) / 1000.0,
        sum_of_park_peaks_before_mw=peaks_before / 1000.0,
        sum_of_park_peaks_after_mw=peaks_after / 1000.0,
        peak_hour_before=index[int(load.argmax())], peak_hour_after=index[int(imp.argmax())],
        evening_import_before_mwh=ev[0], evening_peak_import_before_mw=ev[1],
        evening_import_after_mwh=ev[2], evening_peak_import_after_mw=ev[3],
        energy_bought_before_mwh=bought_before, energy_bought_after_mwh=bought_after,
        energy_sold_after_mwh=exp_kwh / 1000.0,
        grid_cost_before_vnd=cost_before, grid_cost_after_vnd=cost_after,
        emission_factor_t_per_mwh=float(emission_factor_t_per_mwh),
        co2_before_t=bought_before * emission_factor_t_per_mwh,
        co2_after_t=bought_after * emission_factor_t_per_mwh)


# --------------------------------------------------------------------------- grid pressure
# The metrics a grid planner uses (issue 15). Every one compares the grid-only case
# (import = load) with the dispatch *at the same hours*: a peak that moves has not shrunk.
# Inputs are per-park hourly dispatches on one index with the columns named below [kW];
# outputs are in MW and MWh, units in the field names.

#: columns the grid-pressure metrics read [kW]
PRESSURE_COLUMNS = ("load_kw", "grid_import_kw", "grid_export_kw", "curtailment_kw")
#: default number of provincial evening hours of the firm-contribution metric
EVENING_TOP_N = 100
#: flag of a substation group whose firm capacity is not known
RATING_NF = "rating NF"


def _stack(dispatches: Mapping[str, pd.DataFrame],
           columns: tuple[str, ...] = PRESSURE_COLUMNS) -> tuple[pd.DatetimeIndex, dict]:
    """Check the dispatches share one regular index and carry ``columns``.

    Returns the index and ``{column: 2-D array (parks × hours) [kW]}`` in park order.
    """
    if not dispatches:
        raise EnergyModelError("grid-pressure metrics need at least one park dispatch")
    parks = list(dispatches)
    index = dispatches[parks[0]].index
    step_hours(index)
    out = {c: np.zeros((len(parks), len(index))) for c in columns}
    for i, park in enumerate(parks):
        d = dispatches[park]
        if not d.index.equals(index):
            raise EnergyModelError(f"park {park!r}: dispatch index differs from park "
                                   f"{parks[0]!r}'s; all parks must share one hourly index")
        missing = [c for c in columns if c not in d.columns]
        if missing:
            raise EnergyModelError(f"park {park!r}: dispatch lacks columns {missing}")
        for c in columns:
            v = d[c].to_numpy(dtype=float)
            if not np.all(np.isfinite(v)):
                raise InvariantError(f"park {park!r}: non-finite values in {c}")
            out[c][i] = v
    return index, out


@dataclass(frozen=True)
class EveningFirmContribution:
    """Firm contribution of on-site supply in the provincial evening stress hours.

    The hours are the ``top_n`` hours of highest provincial grid-only import (the sum of
    the parks' loads) among the hours touching the evening window of the tariff frame in
    force. Means are weighted by each hour's share inside the window (an hour half inside,
    e.g. 17:00–18:00 under a 17:30 start, weighs 0.5). "Before" is grid-only, "after"
    the dispatch, both at the same hours.

    Attributes
    ----------
    frame : str
        Tariff frame whose window was used.
    window : str
        The window, local clock, e.g. ``"17:30–22:30"``.
    top_n : int
        Hours selected (fewer if the window holds fewer).
    window_hours_h : float
        Window-weighted hours of the selection [h].
    first_hour, last_hour : pandas.Timestamp
        Earliest and latest selected hour.
    mean_import_before_mw, mean_import_after_mw : float
        Window-weighted mean provincial import over the selected hours [MW].
    mean_reduction_mw : float
        before − after: the firm contribution [MW].
    max_import_before_mw, max_import_after_mw : float
        Highest provincial import over the selected hours [MW] (the same hours before and
        after; the after maximum may fall at another selected hour).
    max_reduction_mw : float
        max before − max after over the selected hours [MW].
    window_peak_after_mw : float
        Highest provincial import after, over every hour touching the window [MW].
    window_peak_after_hour : pandas.Timestamp
        Its hour.
    """

    frame: str
    window: str
    top_n: int
    window_hours_h: float
    first_hour: pd.Timestamp
    last_hour: pd.Timestamp
    mean_import_before_mw: float
    mean_import_after_mw: float
    mean_reduction_mw: float
    max_import_before_mw: float
    max_import_after_mw: float
    max_reduction_mw: float
    window_peak_after_mw: float
    window_peak_after_hour: pd.Timestamp


def evening_firm_contribution(dispatches: Mapping[str, pd.DataFrame], frame,
                              *, top_n: int = EVENING_TOP_N) -> EveningFirmContribution:
    """Mean and maximum provincial import over the top-N evening hours, before and after.

    Parameters
    ----------
    dispatches : mapping of str to pandas.DataFrame
        Park id → hourly dispatch (``load_kw``, ``grid_import_kw`` [kW]), one tz-aware index.
    frame : str, TouFrame or Tariff
        The tariff frame in force (or a tariff); its evening window is read from the tariff
        data (:func:`energy_model.tariff.evening_window`), never assumed.
    top_n : int, default 100
        Number of hours of highest grid-only provincial import to keep.

    Returns
    -------
    EveningFirmContribution
    """
    if int(top_n) < 1:
        raise EnergyModelError(f"top_n must be ≥ 1, got {top_n!r}")
    index, a = _stack(dispatches, ("load_kw", "grid_import_kw"))
    share = tf.evening_peak_share(index, frame).to_numpy(dtype=float)
    before = a["load_kw"].sum(axis=0) / 1000.0
    after = a["grid_import_kw"].sum(axis=0) / 1000.0
    inside = np.flatnonzero(share > 0)
    if not inside.size:
        raise EnergyModelError("the dispatch has no hour inside the evening window")
    order = inside[np.argsort(-before[inside], kind="stable")][:int(top_n)]
    w = share[order]
    mean_b = float((before[order] * w).sum() / w.sum())
    mean_a = float((after[order] * w).sum() / w.sum())
    max_b, max_a = float(before[order].max()), float(after[order].max())
    peak_i = inside[int(np.argmax(after[inside]))]
    f = tf.get_frame(frame)
    return EveningFirmContribution(
        frame=f.name, window=tf.evening_window_label(f), top_n=int(len(order)),
        window_hours_h=float(w.sum() * step_hours(index)),
        first_hour=index[int(order.min())], last_hour=index[int(order.max())],
        mean_import_before_mw=mean_b, mean_import_after_mw=mean_a,
        mean_reduction_mw=mean_b - mean_a, max_import_before_mw=max_b,
        max_import_after_mw=max_a, max_reduction_mw=max_b - max_a,
        window_peak_after_mw=float(after[peak_i]), window_peak_after_hour=index[peak_i])


@dataclass(frozen=True)
class PeakRelief:
    """Provincial import at the hour of the grid-only peak, before and after.

    Attributes
    ----------
    peak_hour : pandas.Timestamp
        Hour of the grid-only provincial peak (the sum of the parks' loads).
    import_before_mw, import_after_mw : float
        Provincial import at ``peak_hour`` [MW], grid-only and with the systems.
    relief_mw : float
        before − after at ``peak_hour`` [MW]: relief at the same hour.
    peak_after_hour : pandas.Timestamp
        Hour of the provincial import peak with the systems.
    peak_after_mw : float
        That peak [MW].
    peak_to_peak_mw : float
        Grid-only peak − peak after [MW]: compares two hours, ``peak_hour`` and
        ``peak_after_hour``; both are named wherever it is shown.
    peak_moved : bool
        Whether the two hours differ.
    """

    peak_hour: pd.Timestamp
    import_before_mw: float
    import_after_mw: float
    relief_mw: float
    peak_after_hour: pd.Timestamp
    peak_after_mw: float
    peak_to_peak_mw: float
    peak_moved: bool

    def label(self) -> str:
        """One line naming both hours, e.g. for a table note."""
        return (f"at the grid-only peak {self.peak_hour:%Y-%m-%d %H:%M}: "
                f"{self.import_before_mw:.1f} → {self.import_after_mw:.1f} MW "
                f"(relief {self.relief_mw:.1f} MW); peak to peak "
                f"{self.import_before_mw:.1f} MW at {self.peak_hour:%Y-%m-%d %H:%M} → "
                f"{self.peak_after_mw:.1f} MW at {self.peak_after_hour:%Y-%m-%d %H:%M}")


def relief_at_peak_hour(dispatches: Mapping[str, pd.DataFrame]) -> PeakRelief:
    """Relief at the hour of the grid-only provincial peak, and the peak-to-peak figure.

    Parameters
    ----------
    dispatches : mapping of str to pandas.DataFrame
        Park id → hourly dispatch (``load_kw``, ``grid_import_kw`` [kW]), one index.

    Returns
    -------
    PeakRelief
    """
    index, a = _stack(dispatches, ("load_kw", "grid_import_kw"))
    before = a["load_kw"].sum(axis=0) / 1000.0
    after = a["grid_import_kw"].sum(axis=0) / 1000.0
    i, j = int(np.argmax(before)), int(np.argmax(after))
    return PeakRelief(
        peak_hour=index[i], import_before_mw=float(before[i]), import_after_mw=float(after[i]),
        relief_mw=float(before[i] - after[i]), peak_after_hour=index[j],
        peak_after_mw=float(after[j]), peak_to_peak_mw=float(before[i] - after[j]),
        peak_moved=bool(i != j))


def _group_of(park_substation: Mapping[str, str | None], park: str) -> str:
    sid = park_substation.get(park) if park_substation is not None else None
    return sid if sid else f"unmapped:{park}"


def substation_groups(dispatches: Mapping[str, pd.DataFrame],
                      park_substation: Mapping[str, str | None],
                      substations: Mapping | None = None) -> pd.DataFrame:
    """Coincident import and N-1 headroom of each 110 kV substation group.

    A group is the parks naming one substation id; a park without one is its own group
    ``unmapped:<park id>`` with an unknown rating. The firm limit is the substation's firm
    (N-1) capacity × power factor; where it is not known, every headroom figure is NaN and
    ``flag`` is ``"rating NF"``: the park's own peak never stands in for it.

    Parameters
    ----------
    dispatches : mapping of str to pandas.DataFrame
        Park id → hourly dispatch (``load_kw``, ``grid_import_kw``, ``grid_export_kw`` [kW]).
    park_substation : mapping of str to str or None
        Park id → substation id (``parks[].grid.substation``).
    substations : mapping of str to Substation, optional
        Default: :func:`energy_model.substations.load_substations`.

    Returns
    -------
    pandas.DataFrame
        One row per group, index ``substation``; columns ``parks`` (comma-separated ids),
        ``n_parks``, ``firm_mw`` and ``rating_mw`` (NaN where NF), ``firm_mark``,
        ``peak_import_before_mw``, ``peak_hour_before``, ``peak_import_after_mw``,
        ``peak_hour_after``, ``import_after_at_peak_hour_before_mw`` (same-hour figure),
        ``n1_exceed_hours_before_h``, ``n1_exceed_hours_after_h`` (hours with group import
        > firm limit), ``headroom_before_mw``, ``headroom_after_mw`` (firm limit − peak
        import), ``reverse_flow_hours_h`` and ``reverse_flow_max_mw`` (hours and peak of net
        export of the group: Σ export − Σ import > 0), ``flag``.
    """
    if substations is None:
        substations = load_substations()
    index, a = _stack(dispatches, ("load_kw", "grid_import_kw", "grid_export_kw"))
    dt = step_hours(index)
    parks = list(dispatches)
    groups: dict[str, list[int]] = {}
    for i, park in enumerate(parks):
        groups.setdefault(_group_of(park_substation, park), []).append(i)
    rows = []
    for gid, members in groups.items():
        sub = substations.get(gid)
        if sub is None and not gid.startswith("unmapped:"):
            raise EnergyModelError(f"substation {gid!r} (park {parks[members[0]]!r}) is not in "
                                   f"the substation table; known: {sorted(substations)}")
        before = a["load_kw"][members].sum(axis=0) / 1000.0
        after = a["grid_import_kw"][members].sum(axis=0) / 1000.0
        net_export = (a["grid_export_kw"][members].sum(axis=0) / 1000.0) - after
        firm = sub.firm_mw if sub is not None else None
        rating = sub.rating_mw if sub is not None else None
        ib, ia = int(np.argmax(before)), int(np.argmax(after))
        nan = float("nan")
        reverse = net_export > 0
        rows.append({
            "substation": gid, "parks": ",".join(parks[m] for m in members),
            "n_parks": len(members),
            "firm_mw": nan if firm is None else firm,
            "rating_mw": nan if rating is None else rating,
            "firm_mark": "NF" if sub is None else sub.firm_mark,
            "peak_import_before_mw": float(before[ib]), "peak_hour_before": index[ib],
            "peak_import_after_mw": float(after[ia]), "peak_hour_after": index[ia],
            "import_after_at_peak_hour_before_mw": float(after[ib]),
            "n1_exceed_hours_before_h": nan if firm is None else float((before > firm).sum() * dt),
            "n1_exceed_hours_after_h": nan if firm is None else float((after > firm).sum() * dt),
            "headroom_before_mw": nan if firm is None else firm - float(before[ib]),
            "headroom_after_mw": nan if firm is None else firm - float(after[ia]),
            "reverse_flow_hours_h": float(reverse.sum() * dt),
            "reverse_flow_max_mw": float(net_export.max()) if reverse.any() else 0.0,
            "flag": RATING_NF if firm is None else "",
        })
    return pd.DataFrame(rows).set_index("substation")


@dataclass(frozen=True)
class ReverseFlow:
    """Export to the grid per park, per substation group and province-wide, and curtailment.

    Attributes
    ----------
    parks : pandas.DataFrame
        Index park id; ``export_hours_h``, ``export_mwh``, ``export_max_mw``,
        ``curtailment_hours_h``, ``curtailment_mwh``, ``substation``.
    groups : pandas.DataFrame
        Index substation id; ``export_hours_h`` (hours with any park exporting),
        ``export_max_mw`` (highest Σ export of its parks), ``export_mwh``,
        ``net_reverse_hours_h`` and ``net_reverse_max_mw`` (Σ export − Σ import > 0:
        flow back through the substation), ``curtailment_mwh``.
    province_export_hours_h : float
        Hours with Σ export > 0 [h].
    province_export_max_mw : float
        Highest Σ export over the parks [MW].
    province_export_max_hour : pandas.Timestamp or None
    province_export_mwh : float
    province_hours_above_threshold_h : float
        Hours with Σ export above ``threshold_mw`` [h].
    threshold_mw : float
    province_curtailment_mwh : float
    """

    parks: pd.DataFrame
    groups: pd.DataFrame
    province_export_hours_h: float
    province_export_max_mw: float
    province_export_max_hour: pd.Timestamp | None
    province_export_mwh: float
    province_hours_above_threshold_h: float
    threshold_mw: float
    province_curtailment_mwh: float


def reverse_flow(dispatches: Mapping[str, pd.DataFrame],
                 park_substation: Mapping[str, str | None] | None = None, *,
                 threshold_mw: float = 100.0) -> ReverseFlow:
    """Hours and MW of export per park, per substation group and province-wide.

    Parameters
    ----------
    dispatches : mapping of str to pandas.DataFrame
        Park id → hourly dispatch (``load_kw``, ``grid_import_kw``, ``grid_export_kw``,
        ``curtailment_kw`` [kW]).
    park_substation : mapping of str to str or None, optional
        Park id → substation id; a park without one is its own group ``unmapped:<id>``.
    threshold_mw : float, default 100
        Province-wide export level whose exceedance hours are counted [MW].

    Returns
    -------
    ReverseFlow
    """
    index, a = _stack(dispatches)
    dt = step_hours(index)
    parks = list(dispatches)
    tol = 1e-9
    exp = a["grid_export_kw"] / 1000.0
    imp = a["grid_import_kw"] / 1000.0
    cur = a["curtailment_kw"] / 1000.0
    mapping = park_substation or {}
    park_rows = []
    for i, park in enumerate(parks):
        park_rows.append({
            "park": park, "substation": _group_of(mapping, park),
            "export_hours_h": float((exp[i] > tol).sum() * dt),
            "export_mwh": float(exp[i].sum() * dt), "export_max_mw": float(exp[i].max()),
            "curtailment_hours_h": float((cur[i] > tol).sum() * dt),
            "curtailment_mwh": float(cur[i].sum() * dt)})
    park_df = pd.DataFrame(park_rows).set_index("park")
    group_rows = []
    for gid, sel in park_df.groupby("substation", sort=False).groups.items():
        members = [parks.index(p) for p in sel]
        e = exp[members].sum(axis=0)
        net = e - imp[members].sum(axis=0)
        group_rows.append({
            "substation": gid, "export_hours_h": float((e > tol).sum() * dt),
            "export_max_mw": float(e.max()), "export_mwh": float(e.sum() * dt),
            "net_reverse_hours_h": float((net > tol).sum() * dt),
            "net_reverse_max_mw": float(max(net.max(), 0.0)),
            "curtailment_mwh": float(cur[members].sum() * dt)})
    total = exp.sum(axis=0)
    k = int(np.argmax(total))
    return ReverseFlow(
        parks=park_df, groups=pd.DataFrame(group_rows).set_index("substation"),
        province_export_hours_h=float((total > tol).sum() * dt),
        province_export_max_mw=float(total.max()),
        province_export_max_hour=index[k] if total[k] > tol else None,
        province_export_mwh=float(total.sum() * dt),
        province_hours_above_threshold_h=float((total > threshold_mw).sum() * dt),
        threshold_mw=float(threshold_mw), province_curtailment_mwh=float(cur.sum() * dt))


# ----------------------------------------------------------- shortage events as MW cuts

@dataclass(frozen=True)
class Cut:
    """One MW cut with the grid up: a scope, days, hours and a size.

    Attributes
    ----------
    scope : str
        ``"province"`` (the sum of all parks), ``"each_park"`` or a park id.
    dates : tuple of (int, int)
        (month, day) of the days with the cut, on the calendar of the dispatch year.
    hours : tuple of (int, int)
        Local clock hours ``[start, end)`` of each day [h].
    cut_mw : float or None
        MW cut in each hour [MW]; or
    cut_share : float or None
        Share of the scope's load cut in each hour [-].
    mark, source : str
    """

    scope: str
    dates: tuple
    hours: tuple
    cut_mw: float | None = None
    cut_share: float | None = None
    mark: str = ""
    source: str = ""


def load_cut_schedules(path: str | Path | None = None) -> tuple[dict[str, list[Cut]], str]:
    """Read cut schedules (default: the shipped ``energy_model/data/shortage_cuts.yaml``).

    Returns
    -------
    (dict of str to list of Cut, str)
        Schedules by name, and the name of the default schedule.

    Raises
    ------
    ScenarioError
        A malformed file, with its file, line and key.
    """
    path = str(path or package_data("shortage_cuts.yaml"))
    raw, lines = load_yaml(path, what="cut schedule")
    if not isinstance(raw, dict) or not isinstance(raw.get("schedules"), dict):
        raise ScenarioError(f"{path}: expected a mapping with 'schedules'",
                            [Problem("expected 'schedules: {name: {cuts: [...]}}'", path, 1)],
                            file=path)
    out: dict[str, list[Cut]] = {}
    problems = []
    for name, sched in raw["schedules"].items():
        cuts = (sched or {}).get("cuts") if isinstance(sched, dict) else None
        if not isinstance(cuts, list) or not cuts:
            problems.append(Problem("expected a non-empty list 'cuts'", path,
                                    line_of(lines, ("schedules", name)), key=f"schedules.{name}"))
            continue
        out[name] = []
        for k, c in enumerate(cuts):
            loc = ("schedules", name, "cuts", k)
            key = f"schedules.{name}.cuts[{k}]"
            where = line_of(lines, loc)
            try:
                mw, share = c.get("cut_mw"), c.get("cut_share")
                if (mw is None) == (share is None):
                    raise ValueError("give exactly one of cut_mw and cut_share")
                if mw is not None and not float(mw) >= 0:
                    raise ValueError(f"cut_mw must be ≥ 0, got {mw!r}")
                if share is not None and not 0 <= float(share) <= 1:
                    raise ValueError(f"cut_share must lie in [0, 1], got {share!r}")
                h0, h1 = (int(h) for h in c["hours"])
                if not 0 <= h0 < h1 <= 24:
                    raise ValueError(f"hours must be [start, end) within 0–24, got {c['hours']!r}")
                dates = tuple((int(m), int(d)) for m, d in c["dates"])
                for m, d in dates:
                    pd.Timestamp(year=2024, month=m, day=d)  # leap year: 29 Feb allowed
                out[name].append(Cut(scope=str(c["scope"]), dates=dates, hours=(h0, h1),
                                     cut_mw=None if mw is None else float(mw),
                                     cut_share=None if share is None else float(share),
                                     mark=str(c.get("mark", "")),
                                     source=str(c.get("source", ""))))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                msg = str(exc) if isinstance(exc, ValueError) else \
                    f"expected scope, dates [[month, day], ...], hours [start, end] and " \
                    f"cut_mw or cut_share ({type(exc).__name__}: {exc})"
                problems.append(Problem(msg, path, where, key=key))
    default = raw.get("default", next(iter(out), ""))
    if default not in out and not problems:
        problems.append(Problem(f"default {default!r} is not one of {sorted(out)}", path,
                                line_of(lines, ("default",)), key="default"))
    if problems:
        raise ScenarioError(f"{path}: {len(problems)} problem(s) in the cut schedules",
                            problems, file=path)
    return out, default


def _cut_hours(index: pd.DatetimeIndex, cut: Cut, tz: str) -> np.ndarray:
    local = index.tz_convert(tz) if index.tz is not None else index
    md = np.asarray(local.month * 100 + local.day)
    on_day = np.isin(md, [m * 100 + d for m, d in cut.dates])
    hour = np.asarray(local.hour)
    return on_day & (hour >= cut.hours[0]) & (hour < cut.hours[1])


@dataclass(frozen=True)
class ShortageCutResult:
    """MWh of MW cuts covered by on-site supply and load still shed, with the grid up.

    Attributes
    ----------
    scopes : pandas.DataFrame
        One row per cut scope (``province`` or a park id): ``cut_hours_h``, ``cut_mwh``
        (the cut asked, at most the load), ``covered_mwh`` (on-site supply already
        replacing grid import in those hours: min(cut, load − import)), ``shed_mwh``
        (cut − covered), ``covered_share`` [-] (NaN without cut).
    cut_mwh, covered_mwh, shed_mwh : float
        Sums over the scopes [MWh].
    basis : str
        How the cut is read.
    """

    scopes: pd.DataFrame
    cut_mwh: float
    covered_mwh: float
    shed_mwh: float
    basis: str = ("MW cut with the grid up: in each cut hour the grid delivers at most the "
                  "scope's grid-only load − cut; on-site supply covers the cut as far as it "
                  "already lowers import below the load in that hour (the battery follows its "
                  "sized dispatch, not re-dispatched for the event)")


def shortage_cuts(dispatches: Mapping[str, pd.DataFrame], cuts: list[Cut] | None = None, *,
                  tz: str = "Asia/Ho_Chi_Minh") -> ShortageCutResult:
    """MWh of a cut schedule covered by on-site supply, and the load still shed.

    Parameters
    ----------
    dispatches : mapping of str to pandas.DataFrame
        Park id → hourly dispatch (``load_kw``, ``grid_import_kw`` [kW]), one tz-aware index.
    cuts : list of Cut, optional
        The schedule; default the shipped default (:func:`load_cut_schedules`: the 6/6/2023
        cuts, 51.2 MW province-wide and 8 MW at Sông Khoai, 13:00–17:00, hours E). A cut whose
        scope is a park not in ``dispatches`` is skipped.
    tz : str
        Local time zone of the cut hours.

    Returns
    -------
    ShortageCutResult
    """
    if cuts is None:
        schedules, default = load_cut_schedules()
        cuts = schedules[default]
    index, a = _stack(dispatches, ("load_kw", "grid_import_kw"))
    dt = step_hours(index)
    parks = list(dispatches)
    load, imp = a["load_kw"] / 1000.0, a["grid_import_kw"] / 1000.0
    rows: dict[str, dict] = {}

    def add(scope: str, l_mw: np.ndarray, i_mw: np.ndarray, cut_mw: np.ndarray) -> None:
        cut = np.minimum(cut_mw, l_mw)
        covered = np.minimum(cut, np.maximum(l_mw - i_mw, 0.0))
        r = rows.setdefault(scope, {"cut_hours_h": 0.0, "cut_mwh": 0.0, "covered_mwh": 0.0})
        r["cut_hours_h"] += float((cut > 0).sum() * dt)
        r["cut_mwh"] += float(cut.sum() * dt)
        r["covered_mwh"] += float(covered.sum() * dt)

    for cut in cuts:
        on = _cut_hours(index, cut, tz)
        targets = ([("province", load.sum(axis=0), imp.sum(axis=0))] if cut.scope == "province"
                   else [(p, load[i], imp[i]) for i, p in enumerate(parks)]
                   if cut.scope == "each_park"
                   else [(cut.scope, load[parks.index(cut.scope)], imp[parks.index(cut.scope)])]
                   if cut.scope in parks else [])
        for scope, l_mw, i_mw in targets:
            size = cut.cut_mw if cut.cut_mw is not None else cut.cut_share * l_mw
            add(scope, l_mw, i_mw, np.where(on, size, 0.0))
    df = pd.DataFrame.from_dict(rows, orient="index",
                                columns=["cut_hours_h", "cut_mwh", "covered_mwh"])
    df.index.name = "scope"
    df["shed_mwh"] = df["cut_mwh"] - df["covered_mwh"]
    df["covered_share"] = np.where(df["cut_mwh"] > 0,
                                   df["covered_mwh"] / df["cut_mwh"].where(df["cut_mwh"] > 0),
                                   np.nan)
    return ShortageCutResult(scopes=df, cut_mwh=float(df["cut_mwh"].sum()),
                             covered_mwh=float(df["covered_mwh"].sum()),
                             shed_mwh=float(df["shed_mwh"].sum()))


def grid_pressure_headline(dispatches: Mapping[str, pd.DataFrame], frame,
                           park_substation: Mapping[str, str | None] | None = None, *,
                           top_n: int = EVENING_TOP_N, cuts: list[Cut] | None = None,
                           threshold_mw: float = 100.0) -> dict:
    """The grid-pressure headline of one run as one flat row (units in the keys).

    For the rules comparison: one row per rule set. Combines
    :func:`evening_firm_contribution`, :func:`relief_at_peak_hour`, :func:`reverse_flow`
    and :func:`shortage_cuts` (default schedule unless ``cuts``).

    Returns
    -------
    dict
        ``evening_window``, ``evening_top_n``, ``evening_mean_import_before_mw``,
        ``evening_mean_import_after_mw``, ``evening_firm_contribution_mw``,
        ``evening_max_import_before_mw``, ``evening_max_import_after_mw``,
        ``peak_hour``, ``import_at_peak_hour_before_mw``, ``import_at_peak_hour_after_mw``,
        ``relief_at_peak_hour_mw``, ``peak_after_hour``, ``peak_after_mw``,
        ``export_hours_h``, ``export_max_mw``, ``export_max_hour``, ``export_gwh``,
        ``export_hours_above_threshold_h``, ``export_threshold_mw``, ``curtailment_mwh``,
        ``cut_mwh``, ``cut_covered_mwh``, ``cut_shed_mwh``.
    """
    ev = evening_firm_contribution(dispatches, frame, top_n=top_n)
    pk = relief_at_peak_hour(dispatches)
    rf = reverse_flow(dispatches, park_substation, threshold_mw=threshold_mw)
    sc = shortage_cuts(dispatches, cuts)
    return {
        "evening_window": ev.window, "evening_top_n": ev.top_n,
        "evening_mean_import_before_mw": ev.mean_import_before_mw,
        "evening_mean_import_after_mw": ev.mean_import_after_mw,
        "evening_firm_contribution_mw": ev.mean_reduction_mw,
        "evening_max_import_before_mw": ev.max_import_before_mw,
        "evening_max_import_after_mw": ev.max_import_after_mw,
        "peak_hour": pk.peak_hour, "import_at_peak_hour_before_mw": pk.import_before_mw,
        "import_at_peak_hour_after_mw": pk.import_after_mw,
        "relief_at_peak_hour_mw": pk.relief_mw, "peak_after_hour": pk.peak_after_hour,
        "peak_after_mw": pk.peak_after_mw,
        "export_hours_h": rf.province_export_hours_h, "export_max_mw": rf.province_export_max_mw,
        "export_max_hour": rf.province_export_max_hour,
        "export_gwh": rf.province_export_mwh / 1000.0,
        "export_hours_above_threshold_h": rf.province_hours_above_threshold_h,
        "export_threshold_mw": rf.threshold_mw, "curtailment_mwh": rf.province_curtailment_mwh,
        "cut_mwh": sc.cut_mwh, "cut_covered_mwh": sc.covered_mwh, "cut_shed_mwh": sc.shed_mwh,
    }
