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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from energy_model.balance import BALANCE_RTOL, DISPATCH_COLUMNS, balance_residual
from energy_model.errors import EnergyModelError, InvariantError
from energy_model.timeseries import time_step_hours


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
