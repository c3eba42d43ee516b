"""Province-coordinated sizing (issue 16): the cheapest on-site PV, wind and storage across
the parks that cuts the summed evening import by N MW, and what each MW costs.

Each *unit* (a park, or a KKT class meter under ``kkt_metering: class_meters``) keeps its own
sizing LP: its tariff, caps, export rule and costs. The coupling caps the **sum of the units'
imports in every hour of the window**: the evening window of the tariff frame in force (the
hours with ``evening_share > 0``) or all hours, province-wide or for one substation group
(``parks[].grid.substation``; the other parks are not part of the problem).

**What relief means.** The baseline is the independent optimum: every unit sized alone
against its own bill. ``P0`` is the largest summed import over the window hours at that
baseline. Relief ``N`` MW caps the summed import at ``P0 − N`` in *every* window hour. The
objective is the sum of the units' annualised costs [VND/yr]; the relief cost is its rise
over the baseline. With a value per MW-yr of relief the objective becomes
``Σ cost − value × relief`` (a trade-off instead of a target).

**Largest relief.** With the decomposition: the relief bought at a value of
:data:`VALUE_MAX` (far above the annual cost of storage): the trade-off's optimum at that
value, with its gap. With the joint LP: the exact largest relief (the joint LP maximising
``R`` alone).

**Method.** Dantzig–Wolfe column generation (:mod:`energy_model.studies.province_dw`): each
unit is priced by its own LP on the sizing fast path with the coupling rows' hourly prices
added to its import price, warm-started from its previous column; the master mixes the
units' columns; the Lagrangian bound proves the gap. Columns stay valid for every target,
so the points of the curve share them. A small case (at most :data:`JOINT_MAX_UNIT_HOURS`
unit-hours) is solved as one joint LP (:func:`energy_model.sizing.coupled.joint_lp`).

**Hourly shadow price.** ``λ_t`` [VND/yr per kW]: the cost saved per year if the cap in
hour ``t`` were 1 kW higher, i.e. the value of 1 kW (×1000: 1 MW) of relief in that hour.
Their sum over the window is the marginal cost of relief [VND/yr per kW].
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from energy_model.errors import UsageError
from energy_model.pipeline import ParkInputs, assemble, park_weather_key, scenario_weather
from energy_model.pipeline.meters import meter_inputs, meters_apply
from energy_model.sizing import Options, build_lp, prepare
from energy_model.sizing.coupled import joint_lp
from energy_model.sizing.result import capacities_from_solution
from energy_model.studies.province_dw import Pool, Pricer, coordinate

__all__ = ["JOINT_MAX_UNIT_HOURS", "PROVINCE_FILES", "VALUE_MAX", "WINDOWS", "ProvinceCurve",
           "coordinate_units", "joint_reference", "province_units", "relief_curve",
           "window_hours", "write_province"]

#: Tables of a province folder (``OUT/<name>/province/``), by attribute of ProvinceCurve.
PROVINCE_FILES = {"points": "curve.csv", "builds": "builds.csv", "prices": "shadow_prices.csv"}

#: Windows of the coupling rows.
WINDOWS = ("evening", "all")
#: Value of relief at which the largest relief is bought [VND/yr per kW] (2e10 VND per
#: MW-yr, about ten times an installed battery's annual cost per kW of 2–4 h storage).
VALUE_MAX = 2e7
#: At most this many unit-hours (Σ over units of their hours) are solved as one joint LP.
JOINT_MAX_UNIT_HOURS = 6 * 14 * 24


@dataclass
class ProvinceCurve:
    """The relief cost curve of a province (or substation group).

    Attributes
    ----------
    points : pandas.DataFrame
        One row per point (``curve.csv``): ``relief_mw``, ``kind`` (``target``, ``largest``,
        ``value``), ``annual_cost_billion_vnd``, ``cost_increase_billion_vnd`` [billion
        VND/yr], ``vnd_per_mw_yr`` (cost increase / relief: the average cost of a MW-yr),
        ``marginal_vnd_per_mw_yr`` (Σ hourly prices × 1000), ``gap`` [-] (proven, of the
        total annualised cost), ``gap_of_increase`` [-] (the same bound over the cost
        increase),
        ``lower_bound_billion_vnd``, ``peak_import_mw``, ``rounds``, ``pricing_solves``,
        ``wall_s``.
    builds : pandas.DataFrame
        What each unit builds at each point (``builds.csv``): ``relief_mw``, ``unit``,
        ``park_id``, ``meter``, ``pv_mwp``, ``wind_mw``, ``battery_mwh``, ``battery_mw``,
        ``annual_cost_billion_vnd``, ``window_peak_import_mw``.
    prices : pandas.DataFrame
        Hourly shadow price of the coupling rows at each point (``shadow_prices.csv``):
        ``relief_mw``, ``time``, ``shadow_price_vnd_per_kw_yr``,
        ``province_import_before_mw``, ``province_import_after_mw``.
    meta : dict
        ``province.json``: window, group, units, ``peak_before_mw`` (P0), ``largest_relief_mw``,
        method, gap tolerance, workers, wall time.
    """

    points: pd.DataFrame
    builds: pd.DataFrame
    prices: pd.DataFrame
    meta: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- inputs

def province_units(scenario, group: str | None = None
                   ) -> tuple[dict[str, ParkInputs], dict[str, str]]:
    """Every unit's inputs (a park, or each class meter of a KKT), assembled once.

    Parameters
    ----------
    scenario : Scenario
    group : str, optional
        Only the parks of this substation group (``parks[].grid.substation``).

    Returns
    -------
    units : dict of str to ParkInputs
        ``<park>`` or ``<park>/<meter>`` → inputs.
    parks : dict of str to str
        Unit → park id.

    Raises
    ------
    UsageError
        ``group`` names no substation group of the scenario.
    """
    parks = list(scenario.parks)
    if group is not None:
        known = sorted({p.grid.substation for p in parks if p.grid.substation})
        parks = [p for p in parks if p.grid.substation == group]
        if not parks:
            raise UsageError(f"--group {group!r}: no park of scenario {scenario.name!r} is "
                             f"served by that substation; its groups are: "
                             f"{', '.join(known) or '(none: no park names grid.substation)'}")
    weather = scenario_weather(scenario)
    units, owner = {}, {}
    for park in parks:
        inputs = assemble(scenario, park, weather[park_weather_key(scenario, park)][0])
        parts = meter_inputs(scenario, inputs) if meters_apply(scenario, park) else {None: inputs}
        for meter, part in parts.items():
            name = park.id if meter is None else f"{park.id}/{meter}"
            units[name], owner[name] = part, park.id
    return units, owner


def window_hours(units: dict[str, ParkInputs], window: str) -> np.ndarray:
    """Hour indices of the coupling rows: the evening window of the frame in force (any
    unit's ``evening_share > 0``) or every hour."""
    if window not in WINDOWS:
        raise UsageError(f"--window {window!r}: expected one of {', '.join(WINDOWS)}")
    first = next(iter(units.values()))
    n = len(first.load_kw)
    if window == "all":
        return np.arange(n)
    share = sum(np.asarray(u.evening_share, float) for u in units.values())
    hours = np.flatnonzero(share > 0)
    if len(hours) == 0:
        raise UsageError("--window evening: the tariff frame in force has no evening window "
                         "in the simulated hours; use --window all")
    return hours


# --------------------------------------------------------------------------- joint LP

def _models(units: dict[str, ParkInputs]) -> list:
    out = []
    for u in units.values():
        pb = prepare(u.load_kw, u.technologies, u.grid, u.battery, u.finance, u.policy,
                     Options(index=u.load_kw.index))
        out.append(build_lp(pb))
    return out


def joint_reference(units: dict[str, ParkInputs], window: np.ndarray, peak_kw: float,
                    relief_kw: float | None = None, value: float = 0.0,
                    time_limit_s: float | None = None):
    """The coupled problem as one LP (the exactness reference of the decomposition).

    Parameters
    ----------
    units : dict of str to ParkInputs
    window : numpy.ndarray
        Hour indices of the coupling rows.
    peak_kw : float
        Baseline ``P0`` [kW].
    relief_kw : float, optional
        A relief target [kW] (``R`` fixed); None: a trade-off at ``value``.
    value : float
        Value of relief [VND/yr per kW] (trade-off only).
    time_limit_s : float, optional

    Returns
    -------
    tuple of (JointSolution, list of dict)
        The solution and each unit's capacities [kW, kWh].
    """
    models = _models(units)
    lo, hi = (relief_kw, relief_kw) if relief_kw is not None else (0.0, peak_kw)
    sol = joint_lp(models, window, peak_kw, 0.0 if relief_kw is not None else value, hi, lo,
                   time_limit_s=time_limit_s)
    return sol, [capacities_from_solution(m, x) for m, x in zip(models, sol.x)]


# --------------------------------------------------------------------------- the curve

def _mix(pool: Pool, weights: list) -> tuple[list[dict], list[np.ndarray], list[float]]:
    """Each unit's capacities, hourly import and cost of the master's convex combination."""
    caps, imps, costs = [], [], []
    for cols, w in zip(pool.columns, weights):
        keys = sorted({k for c in cols for k in c.capacities})
        caps.append({k: float(sum(wj * (c.capacities.get(k) or 0.0) for wj, c in zip(w, cols)))
                     for k in keys})
        imps.append(sum(wj * c.imports_kw for wj, c in zip(w, cols)))
        costs.append(float(sum(wj * c.cost for wj, c in zip(w, cols))))
    return caps, imps, costs


def _build_rows(relief_mw: float, names, owner, caps, imps, costs, window) -> list[dict]:
    rows = []
    for name, cap, imp, cost in zip(names, caps, imps, costs):
        pv = sum(v for k, v in cap.items() if k.startswith("pv_"))
        wind = sum(v for k, v in cap.items() if k.startswith("wind_"))
        rows.append({"relief_mw": relief_mw, "unit": name, "park_id": owner.get(name, name),
                     "meter": name.split("/", 1)[1] if "/" in name else "",
                     "pv_mwp": pv / 1e3, "wind_mw": wind / 1e3,
                     "battery_mwh": cap.get("battery_kwh", 0.0) / 1e3,
                     "battery_mw": cap.get("battery_kw", 0.0) / 1e3,
                     "annual_cost_billion_vnd": cost / 1e9,
                     "window_peak_import_mw": float(np.max(imp[window])) / 1e3})
    return rows


def _targets(relief_mw, points: int, largest_kw: float, proven: bool = True) -> list[float]:
    """Relief targets [kW]: ``points`` evenly from 0 to the largest, plus the asked ones."""
    asked = [1e3 * float(r) for r in relief_mw]
    over = [r for r in asked if r > largest_kw * (1 + 1e-9) + 1e-6]
    if over:
        what = ("the largest feasible relief" if proven else
                "the largest relief found within the time limit (not proven the largest)")
        raise UsageError(f"--relief {over[0] / 1e3:g} MW is above {what}, "
                         f"{largest_kw / 1e3:.3f} MW (bought at {VALUE_MAX * 1e3:.0e} VND per "
                         f"MW-yr); ask at most that")
    grid = list(np.linspace(0.0, largest_kw, points)) if points > 1 else [0.0]
    return sorted(set(round(t, 6) for t in grid + asked))


def coordinate_units(units: dict[str, ParkInputs], window: np.ndarray, *,
                     relief_mw=(), points: int = 6, value_vnd_per_mw_yr: float | None = None,
                     owner: dict | None = None, workers: int = 1, scheduler: str | None = None,
                     gap_tol: float = 1e-4, method: str = "auto", joint: bool | None = None,
                     point_time_limit_s: float | None = None, log=None) -> ProvinceCurve:
    """The relief cost curve of a set of units (the core of :func:`relief_curve`).

    Parameters
    ----------
    units : dict of str to ParkInputs
        Every unit on the same hours.
    window : numpy.ndarray
        Hour indices of the coupling rows (:func:`window_hours`).
    relief_mw : sequence of float
        Relief targets [MW] added to the curve (each ≤ the largest feasible).
    points : int
        Evenly spaced points from 0 to the largest relief.
    value_vnd_per_mw_yr : float, optional
        Also the trade-off point at this value of relief [VND per MW-yr].
    workers, scheduler
        Pricing workers (local processes) or a dask.distributed scheduler address.
    gap_tol : float
        Proven relative gap of every point [-].
    method : str
        Pricing sizing path (``auto``/``fast``/``monolithic``).
    joint : bool, optional
        Solve each point as one joint LP (default: when the case has at most
        :data:`JOINT_MAX_UNIT_HOURS` unit-hours); False forces the decomposition.
    point_time_limit_s : float, optional
        Wall-clock budget of each point of the decomposition [s]; a point stopped by it
        keeps the gap it proved.
    log : callable, optional
        Progress messages.

    Returns
    -------
    ProvinceCurve
    """
    t0 = time.perf_counter()
    owner = owner or {}
    names = list(units)
    hours = len(next(iter(units.values())).load_kw)
    if joint is None:
        joint = len(names) * hours <= JOINT_MAX_UNIT_HOURS
    with Pricer(units, workers, scheduler) as pricer:
        base = pricer.run([(n, None, None, gap_tol / 20, method) for n in names])
        imp0 = sum(c.imports_kw for c in base)
        peak = float(imp0[window].max())
        if joint:
            found = _joint_points(units, window, peak, relief_mw, points, value_vnd_per_mw_yr)
        else:
            found = _dw_points(pricer, base, names, window, peak, hours, relief_mw, points,
                               value_vnd_per_mw_yr, dict(gap_tol=gap_tol, method=method, log=log,
                                                         time_limit_s=point_time_limit_s))
    base_cost = sum(c.cost for c in base)
    return _curve(names, window, peak, found, owner, imp0, base_cost, units, t0,
                  dict(gap_tol=gap_tol, workers=workers, scheduler=scheduler or "",
                       method="joint LP" if joint else "dantzig-wolfe"))


def _outcome(kind: str, relief: float, cost: float, lower: float, gap: float,
             prices: np.ndarray, caps, imps, costs, rounds=0, solves=0, wall=0.0) -> dict:
    return dict(kind=kind, relief=relief, cost=cost, lower=lower, gap=gap, prices=prices,
                caps=caps, imps=imps, costs=costs, rounds=rounds, solves=solves, wall=wall)


def _dw_points(pricer, base, names, window, peak, hours, relief_mw, points, value, kw):
    """Every point by column generation; a target is ``R ≤ N`` at the value
    :data:`VALUE_MAX` (so the master is always feasible) and must end at ``R = N``."""
    pool = Pool(names=names, window=np.asarray(window), peak_kw=peak, hours=hours)
    for c in base:
        pool.add(c)

    def done(kind, relief, pt, shift=0.0):
        caps, imps, costs = _mix(pool, pt.master.weights)
        return _outcome(kind, relief, pt.master.cost, pt.lower + shift, pt.gap,
                        pt.master.prices, caps, imps, costs, pt.rounds, pt.pricing_solves,
                        pt.wall_s)

    pool.evaluated.append((np.zeros(len(window)), sum(c.lower for c in base)))
    top = coordinate(pool, pricer, value=VALUE_MAX, relief_hi_kw=peak, **kw)
    largest = top.master.relief_kw
    found = [done("largest", largest, top, VALUE_MAX * largest)]
    for target in _targets(relief_mw, points, largest, top.gap <= kw["gap_tol"]):
        if abs(target - largest) <= 1e-6 * max(largest, 1.0):
            continue
        pt = coordinate(pool, pricer, value=VALUE_MAX, relief_hi_kw=target, **kw)
        found.append(done("target", pt.master.relief_kw, pt, VALUE_MAX * target))
    if value is not None:
        pt = coordinate(pool, pricer, value=value / 1e3, relief_hi_kw=peak, **kw)
        found.append(done("value", pt.master.relief_kw, pt, value / 1e3 * pt.master.relief_kw))
    return found


def _joint_points(units, window, peak, relief_mw, points, value) -> list[dict]:
    """Every point as one joint LP; the largest relief is the joint LP's maximum of R."""
    models = _models(units)
    flat = [dataclasses.replace(m, c=np.zeros_like(m.c)) for m in models]
    largest = joint_lp(flat, window, peak, 1.0, peak).relief_kw

    def one(kind, lo, hi, v):
        t = time.perf_counter()
        sol = joint_lp(models, window, peak, v, hi, lo)
        caps = [capacities_from_solution(m, x) for m, x in zip(models, sol.x)]
        imps = [x[m.layout.col("imp")] for m, x in zip(models, sol.x)]
        cost = float(sol.costs.sum())
        return _outcome(kind, sol.relief_kw, cost, cost, 0.0, sol.prices, caps, imps,
                        list(sol.costs), 1, 0, time.perf_counter() - t)

    found = [one("largest", largest, largest, 0.0)]
    for target in _targets(relief_mw, points, largest):
        if abs(target - largest) > 1e-6 * max(largest, 1.0):
            found.append(one("target", target, target, 0.0))
    if value is not None:
        found.append(one("value", 0.0, peak, value / 1e3))
    return found


def _curve(names, window, peak, found, owner, imp0, base_cost, units, t0,
           extra) -> ProvinceCurve:
    rows, builds, prices = [], [], []
    index = next(iter(units.values())).load_kw.index
    for o in sorted(found, key=lambda f: (f["relief"], f["kind"])):
        total_imp = sum(o["imps"])
        r_mw = o["relief"] / 1e3
        inc = o["cost"] - base_cost
        rows.append({"relief_mw": r_mw, "kind": o["kind"],
                     "annual_cost_billion_vnd": o["cost"] / 1e9,
                     "cost_increase_billion_vnd": inc / 1e9,
                     "vnd_per_mw_yr": inc / r_mw if r_mw > 1e-9 else np.nan,
                     "marginal_vnd_per_mw_yr": float(o["prices"].sum()) * 1e3,
                     "gap": o["gap"], "lower_bound_billion_vnd": o["lower"] / 1e9,
                     "gap_of_increase": ((o["cost"] - o["lower"]) / inc if inc > 1e-9 * o["cost"]
                                         else 0.0),
                     "peak_import_mw": float(total_imp[window].max()) / 1e3,
                     "rounds": o["rounds"], "pricing_solves": o["solves"], "wall_s": o["wall"]})
        builds += _build_rows(r_mw, names, owner, o["caps"], o["imps"], o["costs"], window)
        prices.append(pd.DataFrame({
            "relief_mw": r_mw, "kind": o["kind"], "time": index[window],
            "shadow_price_vnd_per_kw_yr": o["prices"],
            "province_import_before_mw": imp0[window] / 1e3,
            "province_import_after_mw": total_imp[window] / 1e3}))
    meta = {"peak_before_mw": peak / 1e3,
            "largest_relief_mw": next(o["relief"] for o in found if o["kind"] == "largest") / 1e3,
            "units": names, "window_hours": int(len(window)),
            "baseline_cost_billion_vnd": base_cost / 1e9,
            "value_max_vnd_per_mw_yr": VALUE_MAX * 1e3,
            "max_gap": float(max(r["gap"] for r in rows)),
            "wall_s": time.perf_counter() - t0, **extra}
    return ProvinceCurve(points=pd.DataFrame(rows), builds=pd.DataFrame(builds),
                         prices=pd.concat(prices, ignore_index=True), meta=meta)


def relief_curve(scenario, relief_mw=(), *, points: int = 6, window: str = "evening",
                 group: str | None = None, value_vnd_per_mw_yr: float | None = None,
                 workers: int = 1, scheduler: str | None = None, gap_tol: float = 1e-4,
                 point_time_limit_s: float | None = None, log=None) -> ProvinceCurve:
    """The province's (or a substation group's) relief cost curve, exactly.

    Parameters
    ----------
    scenario : Scenario or path
    relief_mw : sequence of float
        Relief targets [MW], each ≥ 0 and ≤ the largest feasible.
    points : int
        Points evenly from 0 to the largest relief (at least 2).
    window : str
        ``evening`` (the frame in force) or ``all`` hours.
    group : str, optional
        A substation group id (default: the whole province).
    value_vnd_per_mw_yr : float, optional
        Also the trade-off at this value of relief [VND per MW-yr].
    workers : int
        Local pricing processes.
    scheduler : str, optional
        ``tcp://HOST:PORT`` of a dask.distributed scheduler (instead of local workers).
    gap_tol : float
        Proven relative gap of every point [-].
    point_time_limit_s : float, optional
        Wall-clock budget of each point [s] (decomposition only).
    log : callable, optional

    Returns
    -------
    ProvinceCurve

    Raises
    ------
    UsageError
        A negative relief, fewer than 2 points, an unknown window or group, or a relief
        above the largest feasible (the message gives the largest).
    """
    from energy_model.pipeline import load_scenario

    bad = [r for r in relief_mw if not np.isfinite(r) or r < 0]
    if bad:
        raise UsageError(f"--relief {bad[0]:g}: a relief is a cut of the summed import in MW, "
                         "≥ 0")
    if points < 2:
        raise UsageError(f"--points {points}: the curve needs at least 2 points (0 and the "
                         "largest relief)")
    if value_vnd_per_mw_yr is not None and not value_vnd_per_mw_yr >= 0:
        raise UsageError(f"--value-vnd-per-mw-yr {value_vnd_per_mw_yr:g}: expected ≥ 0")
    if window not in WINDOWS:
        raise UsageError(f"--window {window!r}: expected one of {', '.join(WINDOWS)}")
    if not hasattr(scenario, "parks"):
        scenario = load_scenario(scenario)
    t0 = time.perf_counter()
    units, owner = province_units(scenario, group)
    hours = window_hours(units, window)
    setup_s = time.perf_counter() - t0
    curve = coordinate_units(units, hours, relief_mw=relief_mw, points=points,
                             value_vnd_per_mw_yr=value_vnd_per_mw_yr, owner=owner,
                             workers=workers, scheduler=scheduler, gap_tol=gap_tol,
                             point_time_limit_s=point_time_limit_s, log=log)
    curve.meta.update(scenario=scenario.name, window=window, group=group or "province",
                      parks=sorted(set(owner.values())), setup_s=setup_s,
                      wall_s=time.perf_counter() - t0)
    return curve


def write_province(curve: ProvinceCurve, folder) -> None:
    """Write a curve's tables (:data:`PROVINCE_FILES`) and ``province.json`` into ``folder``.

    Parameters
    ----------
    curve : ProvinceCurve
    folder : path
        An existing (staging) folder; the CLI fills it inside
        :func:`energy_model.files.atomic_folder`.
    """
    from pathlib import Path

    from energy_model import files
    from energy_model.results import write_csv

    folder = Path(folder)
    for attr, name in PROVINCE_FILES.items():
        write_csv(getattr(curve, attr), folder / name, index=False)
    files.write_json(curve.meta, folder / "province.json")
