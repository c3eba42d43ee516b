"""Cost against self-sufficiency for one park: the least-cost frontier.

:func:`frontier` re-solves one park's LP (through the pipeline's public per-park API) with
a rising ``min_renewable_share``, at most :data:`FRONTIER_MAX_SOLVES` times, between the
chosen design's share and :func:`renewable_ceiling`. Each re-solve is the sizing fast path
(exact: it stops on a proven gap of ``Options.gap_tol`` = 1e-6), started from the fast
path's representative-day LP, which already carries the share floor. The points are
independent of one another, so they are solved in parallel when an executor is given
(:func:`start_frontier`; ``energy-model run`` solves them in two processes while it draws
the other figures) and the table does not depend on the number of processes. Measured on
the catalog's frontier park (Đầm Nhà Mạc, 20 % power cap, load ≈ 2.8): the four points
took 37.2 s CPU from the representative days against 41.7 s chained warm from the
previous point (each warm start kept the previous point's battery and HiGHS basis, a poor
start for a higher floor; 77k simplex iterations against 37k for the second point), and
the first point 6.0 s from the representative days against 28.1 s warm from the run's own
design. A parametric chain was tried too: the previous point's cuts moved to the new
floor by the share row's dual (``Q`` is jointly convex in the capacities and the row's
bound; the dual matched the change of ``Q`` to 1e-10), without its basis: 29.3 s CPU for
the four points in two chains against 28.6 s independent (load ≈ 3), no gain, not kept.
The floor's row sums every hour's import, which makes every simplex basis solve dense;
with devex pricing in the dispatch LPs (:mod:`energy_model.sizing.dispatch_lp`) the four
points took 27.0 s CPU against 38.7 s with HiGHS' default dual steepest edge (same
designs; load ≈ 1.5).
Where the fast path cannot prove its gap it falls back to the monolithic LP under
:data:`FRONTIER_TIME_LIMIT_S`; the row's ``method`` and ``fallback`` columns say so.
:func:`energy_model.studies.analysis.write_analysis` saves it as ``analysis/frontier.csv``
for the report.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Executor

import numpy as np
import pandas as pd
from tqdm import tqdm

from energy_model.errors import EnergyModelError, InfeasibleError, InvariantError
from energy_model.pipeline import Changes, solve
from energy_model.rules import allowed_in_heritage_buffer

#: Most LP re-solves the frontier may take.
FRONTIER_MAX_SOLVES = 4
#: The highest frontier target, as a share of the renewable ceiling [-].
FRONTIER_TOP = 0.95
#: Wall-clock limit of each HiGHS solve inside one frontier re-solve [s]: a guard only. The
#: warm-started fast path takes a few seconds per point; the limit matters where it falls
#: back to the monolithic LP (a cold full-year re-solve with a share target took 28–44 s for
#: Texhong Hải Hà on the 2-core test machine).
FRONTIER_TIME_LIMIT_S = 150.0

def renewable_ceiling(inputs) -> float:
    """Upper bound of a park's self-sufficiency [-].

    Every technology the policy allows at its limit (or fixed size) meets the load hour
    by hour; the surplus is shifted through the battery with its round-trip losses, each
    hour's charge and discharge within the battery's power limit, and at most one full
    cycle of its energy limit a day when that is limited (fixed or ``max_kwh``). The bound
    ignores the state of charge's hour-to-hour path, so it may not be reachable; the
    frontier keeps a target the LP finds infeasible as such.

    Parameters
    ----------
    inputs : energy_model.pipeline.ParkInputs

    Returns
    -------
    float
        Bound of ``1 − import / load`` [-], between 0 and 1.
    """
    load = inputs.load_kw.to_numpy(dtype=float)
    if load.sum() <= 0:
        return 0.0
    big = 100.0 * float(load.max())  # an "unlimited" capacity [kW], for the bound only
    gen = np.zeros_like(load)
    for t in inputs.technologies:
        if inputs.policy.heritage_buffer and not allowed_in_heritage_buffer(t.kind):
            continue
        cap = t.fixed_kw if t.fixed_kw is not None else min(t.max_kw, big)
        gen += cap * np.asarray(t.profile_per_kw, dtype=float)
    direct = np.minimum(gen, load).sum()
    shifted = 0.0
    b = inputs.battery
    if b is not None:
        power = b.fixed_kw if b.fixed_kw is not None else b.max_kw
        power = big if not np.isfinite(power) else power
        charge = np.minimum(np.maximum(gen - load, 0.0), power).sum() * b.eta_charge
        discharge = np.minimum(np.maximum(load - gen, 0.0), power).sum()
        shifted = min(charge * b.eta_discharge, discharge)
        energy = b.fixed_kwh if b.fixed_kwh is not None else b.max_kwh
        if np.isfinite(energy):
            days = len(load) / 24.0
            shifted = min(shifted, days * energy * (1.0 - b.soc_min) * b.eta_discharge)
    return float(min(1.0, (direct + shifted) / load.sum()))


def _point(pid: str, kind: str, target, sizing, inputs, status: str, solve_s: float) -> dict:
    d = sizing.dispatch
    load = float(d["load_kw"].sum())
    ss = (load - float(d["grid_import_kw"].sum()) - float(d["unmet_kw"].sum())) / load
    caps = sizing.capacities
    pv = sum(caps.get(f"{t.name}_kw", 0.0) for t in inputs.technologies if t.kind != "wind")
    wind = sum(caps.get(f"{t.name}_kw", 0.0) for t in inputs.technologies if t.kind == "wind")
    return {"park_id": pid, "point": kind, "target_share_pct": target,
            "self_sufficiency_pct": 100 * ss, "annual_cost_billion_vnd": sizing.objective / 1e9,
            "grid_only_cost_billion_vnd": sizing.grid_only_cost / 1e9, "pv_mwp": pv / 1000,
            "wind_mw": wind / 1000, "battery_mwh": caps.get("battery_kwh", 0.0) / 1000,
            "battery_mw": caps.get("battery_kw", 0.0) / 1000, "status": status,
            "solve_s": solve_s, "method": sizing.path, "fallback": sizing.fallback}


def frontier_targets(base_share: float, ceiling: float,
                     n: int = FRONTIER_MAX_SOLVES) -> list[float]:
    """Self-sufficiency targets [-] between the chosen design's share and the ceiling.

    ``n`` evenly spaced targets ending at :data:`FRONTIER_TOP` × ceiling; none when the
    chosen design is already within one percentage point of that.
    """
    top = FRONTIER_TOP * ceiling
    if top - base_share < 0.01:
        return []
    return [base_share + (top - base_share) * (k + 1) / n for k in range(n)]


def frontier_park(result) -> str:
    """The park whose frontier says most: the largest energy between its chosen design's
    on-site supply and its ceiling, ``(0.95 × ceiling − share) × load``; ties (and a
    province where every park is at its ceiling) go to the largest load."""
    def room(pid: str) -> tuple[float, float]:
        p = result.parks[pid]
        d = p.sizing.dispatch
        load = float(d["load_kw"].sum())
        share = (load - float(d["grid_import_kw"].sum()) - float(d["unmet_kw"].sum())) / load
        gap = max(FRONTIER_TOP * renewable_ceiling(p.inputs) - share, 0.0)
        return round(gap * load, 6), load

    return max(result.parks, key=room)


def solve_point(inputs, park_id: str, target: float,
                time_limit_s: float | None = FRONTIER_TIME_LIMIT_S) -> dict:
    """One frontier point: the park re-sized with ``min_renewable_share = target``.

    A module-level function of picklable arguments, so that a process pool can run it.

    Parameters
    ----------
    inputs : energy_model.pipeline.ParkInputs
    park_id : str
    target : float
        Renewable-share floor [-].
    time_limit_s : float, optional
        Wall-clock limit of each HiGHS solve [s].

    Returns
    -------
    dict
        The frontier row (:func:`frontier`); ``status`` is ``optimal``, ``infeasible`` or
        ``not solved: <reason>``.
    """
    t0 = time.perf_counter()
    row = {"park_id": park_id, "point": "target", "target_share_pct": 100 * target}
    try:  # the exact fast path; its monolithic fallback honours the time limit
        s = solve(inputs, changes=Changes(min_renewable_share=float(target)), method="fast",
                  time_limit_s=time_limit_s)
    except InfeasibleError:
        return {**row, "status": "infeasible", "solve_s": time.perf_counter() - t0}
    except InvariantError:
        raise
    except EnergyModelError as exc:  # time limit or another non-optimal end
        return {**row, "status": f"not solved: {exc}", "solve_s": time.perf_counter() - t0}
    return _point(park_id, "target", 100 * target, s, inputs, "optimal",
                  time.perf_counter() - t0)


def _fixed_rows(park_id: str, inputs, base, ceiling: float) -> list[dict]:
    """The grid-only, chosen and ceiling rows."""
    return [{**_point(park_id, "grid_only", 0.0, base, inputs, "grid_only", 0.0),
             "self_sufficiency_pct": 0.0, "annual_cost_billion_vnd": base.grid_only_cost / 1e9,
             "pv_mwp": 0.0, "wind_mw": 0.0, "battery_mwh": 0.0, "battery_mw": 0.0,
             "method": "", "fallback": ""},
            _point(park_id, "chosen", np.nan, base, inputs, "optimal", base.solve_s),
            {"park_id": park_id, "point": "ceiling", "self_sufficiency_pct": 100 * ceiling,
             "status": "bound", "solve_s": 0.0}]


def start_frontier(result, park_id: str | None = None,
                   max_solves: int = FRONTIER_MAX_SOLVES,
                   time_limit_s: float | None = FRONTIER_TIME_LIMIT_S,
                   executor: Executor | None = None) -> Callable[..., pd.DataFrame]:
    """Start the frontier's re-solves; the returned function collects the table.

    Parameters
    ----------
    result, park_id, max_solves, time_limit_s
        As :func:`frontier`.
    executor : concurrent.futures.Executor, optional
        Where the points are solved, all submitted at once (e.g. a process pool); when
        the table is collected, the points its workers have not started are taken back
        and solved by the collecting process (the highest first), while they finish
        theirs. Without one they are solved in order when the table is collected, and
        the sweep stops at the first point not solved.

    Returns
    -------
    callable
        ``collect(progress=False) -> pandas.DataFrame``: waits for the points and returns
        the table of :func:`frontier` (the same with or without an executor: the points
        are independent).
    """
    if park_id is None:
        park_id = frontier_park(result)
    p = result.parks[park_id]
    inputs, base = p.inputs, p.sizing
    ceiling = renewable_ceiling(inputs)
    rows = _fixed_rows(park_id, inputs, base, ceiling)
    share0 = rows[1]["self_sufficiency_pct"] / 100
    targets = frontier_targets(share0, ceiling, min(max_solves, FRONTIER_MAX_SOLVES))
    futures = None
    if executor is not None:
        futures = [executor.submit(solve_point, inputs, park_id, t, time_limit_s)
                   for t in targets]

    def collect(progress: bool = False) -> pd.DataFrame:
        bar = None
        if progress and targets:
            bar = tqdm(total=len(targets), desc=f"frontier {park_id}", unit="solve")
        out = list(rows)
        got: dict[int, dict] = {}
        try:
            if futures is not None:  # take back what the workers have not started
                for k in reversed(range(len(targets))):
                    if futures[k].cancel():
                        got[k] = solve_point(inputs, park_id, targets[k], time_limit_s)
                        if bar is not None:
                            bar.update()
            for k, target in enumerate(targets):
                row = got.get(k)
                if row is None:
                    row = (futures[k].result() if futures is not None
                           else solve_point(inputs, park_id, target, time_limit_s))
                    if bar is not None:
                        bar.update()
                out.append(row)
                if row["status"] != "optimal":  # a higher target cannot do better: stop
                    break
        finally:
            if futures is not None:
                for fut in futures:
                    fut.cancel()
            if bar is not None:
                bar.close()
        return pd.DataFrame(out)

    return collect


def frontier(result, park_id: str | None = None, max_solves: int = FRONTIER_MAX_SOLVES,
             time_limit_s: float | None = FRONTIER_TIME_LIMIT_S,
             progress: bool = False, executor: Executor | None = None) -> pd.DataFrame:
    """Annual cost against self-sufficiency for one park, from a few LP re-solves.

    Parameters
    ----------
    result : energy_model.pipeline.ScenarioResult
    park_id : str, optional
        The park (default: :func:`frontier_park`).
    max_solves : int
        Re-solves allowed (at most :data:`FRONTIER_MAX_SOLVES`).
    time_limit_s : float, optional
        Wall-clock limit of each HiGHS solve of a re-solve [s] (a guard for the monolithic
        fallback); a target not solved in time is kept with its status and ends the sweep.
    progress : bool
        Show a progress bar over the re-solves.
    executor : concurrent.futures.Executor, optional
        Solve the points there, in parallel (:func:`start_frontier`).

    Returns
    -------
    pandas.DataFrame
        One row per point: ``point`` (``grid_only``, ``chosen``, ``target``, and
        ``ceiling`` whose ``self_sufficiency_pct`` is :func:`renewable_ceiling`),
        ``target_share_pct`` [%], ``self_sufficiency_pct`` [%], ``annual_cost_billion_vnd``
        (the LP objective: annuities, O&M and the grid bill) [billion VND/yr],
        ``grid_only_cost_billion_vnd``, capacities ``pv_mwp``, ``wind_mw``,
        ``battery_mwh``, ``battery_mw``, ``status``, ``solve_s`` [s], ``method`` (the
        sizing path: ``fast``, or ``monolithic`` when the fast path fell back) and
        ``fallback`` (why it fell back; empty on the fast path). A target the LP
        cannot meet is kept with status ``infeasible`` and ends the sweep.
    """
    return start_frontier(result, park_id, max_solves, time_limit_s, executor)(progress)
