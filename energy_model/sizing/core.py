"""``optimize``: size PV, wind and a battery for one park-year at least annualised cost."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence

import numpy as np

from energy_model.errors import InvariantError
from energy_model.sizing.inputs import (FAST_MIN_HOURS, Battery, Finance, Grid, Options,
                                        Policy, SizingProblem, Technology, prepare,
                                        surplus_hours)
from energy_model.sizing.lp import build_lp
from energy_model.sizing.result import (SizingResult, check_dispatch, dispatch_from_solution,
                                        evaluate_costs, grid_only_cost)
from energy_model.sizing.separable import solve_separable
from energy_model.sizing.solve import solve_lp


def optimize(load_kw, technologies: Sequence[Technology], grid: Grid,
             battery: Battery | None = None, finance: Finance | None = None,
             policy: Policy | None = None, *, options: Options | None = None,
             warm_start=None) -> SizingResult:
    """Size on-site PV, wind and a battery and dispatch them at least annualised cost.

    One hourly LP per park-year, built as sparse matrices in a tight form
    (:mod:`energy_model.sizing.lp`) and solved exactly with HiGHS, either in one piece
    (``Options(method="monolithic")``) or by the exact decomposition of
    :mod:`energy_model.sizing.decomposition` (``"fast"``), which stops on a proven gap
    (``Options.gap_tol``) and otherwise falls back to the monolithic LP, saying why in
    ``result.fallback``. Capacities given as ``fixed_kw``/``fixed_kwh`` are only
    dispatched (evaluation of a fixed design).

    With ``Grid.battery_export="pv_charged"`` (Decree 243/2026) the PV must serve the load
    before it charges the battery or is exported, which is linear only once the hours of
    on-site surplus are known (:mod:`energy_model.sizing.lp`). With every generation
    capacity fixed they are known and the LP is exact; otherwise a first solve with the
    relaxed accounting gives the capacities that define them, and a second, monolithic
    solve keeps output ≥ load in those hours: a conservative answer (grid energy is never
    sold), exact for those hours' classification.

    Parameters
    ----------
    load_kw : array_like or pandas.Series
        Hourly park load [kW], interval-start labelled (a Series lends its index to the
        dispatch table).
    technologies : sequence of Technology
        PV arrays and wind farms with their hourly output per kW [kW/kW], costs and limits.
    grid : Grid
        Import prices [VND/kWh], caps, export rules, capacity charge, slack.
    battery : Battery, optional
        Battery costs and limits; none means no storage.
    finance : Finance, optional
        Real discount rate for the capital recovery factors (default 8 %/yr).
    policy : Policy, optional
        Heritage buffer zone, minimum renewable share.
    options : Options, optional
        Solver choice, time limit, invariant checks, method and gap.
    warm_start : SizingResult or dict, optional
        A previous result of a similar problem (a sweep variant of the same park) or its
        capacities (``<tech>_kw``, ``battery_kw``, ``battery_kwh``): the fast path starts
        there instead of from its representative-day LP, reuses the result's HiGHS basis
        when the LP has the same shape, and its cuts when only capacity costs or limits
        differ (:class:`energy_model.sizing.decomposition.WarmState`). Ignored by the
        monolithic path.

    Returns
    -------
    SizingResult
        Capacities, hourly dispatch, annualised cost and its breakdown [VND/yr], the
        grid-only cost, and solver statistics.

    Raises
    ------
    ScenarioError
        Invalid inputs, or an export price not below every hour's import price.
    InfeasibleError
        No dispatch satisfies the constraints (e.g. an import cap below the load).
    EnergyModelError
        HiGHS ended with any other non-optimal status.
    InvariantError
        The solution breaks a physical invariant (balance, SOC, caps, simultaneous import
        and export), or its cost breakdown does not add up to the objective.
    """
    options = options or Options()
    t0 = time.perf_counter()
    pb = prepare(load_kw, technologies, grid, battery, finance, policy, options)
    model = build_lp(pb)
    build_s = time.perf_counter() - t0
    method = _choose_method(pb, options)
    if pb.battery_export and pb.surplus_hours is None:
        # PV-charged battery export with capacities to size: the rule "PV serves the load
        # first" is linear once the hours of on-site surplus are known; take them from a
        # first solve with the relaxed accounting and solve again with them (lp.py,
        # pv_surplus). The answer is exact for the first solve's capacities and
        # conservative (never credits grid energy as PV energy) for the final ones. The
        # relaxed LP is a relaxation of the exact (non-convex) rule, so when the dispatch
        # at its capacities meets the rule at the same cost, they are optimal outright
        # (and the slow monolithic second solve is skipped).
        x1, _, obj1, stats1 = _solve(model, method, options, warm_start)
        caps = x1[model.layout.col("cap")]
        pb = dataclasses.replace(pb, surplus_hours=surplus_hours(pb.profiles, caps,
                                                                 pb.load_kw))
        model = build_lp(pb)
        x, row, objective, stats = _solve_at(model, x1, options)
        if objective <= obj1 + 1e-7 * max(abs(obj1), 1.0):
            stats = dict(stats1, **{k: stats1[k] + stats[k] for k in ("solve_s", "iterations")})
        else:
            x, row, objective, stats = _solve(model, method, options, warm_start)
    else:
        x, row, objective, stats = _solve(model, method, options, warm_start)
    dispatch, caps = dispatch_from_solution(model, x, row)
    costs = evaluate_costs(pb, dispatch, caps)
    if options.check_invariants:
        check_dispatch(pb, dispatch, caps, cyclic=True, rel_tol=options.invariant_rel_tol)
        if abs(costs.total - objective) > 1e-6 * max(abs(objective), 1.0):
            raise InvariantError(f"cost breakdown {costs.total:.10g} VND/yr does not add up "
                                 f"to the LP objective {objective:.10g} VND/yr")
    return SizingResult(
        capacities=caps, dispatch=dispatch, objective=objective, costs=costs,
        grid_only_cost=grid_only_cost(pb), year_weight=pb.year_weight, build_s=build_s,
        n_rows=model.layout.n_rows, n_cols=model.layout.n_cols,
        total_s=time.perf_counter() - t0, **stats)


def _solve_at(model, x: np.ndarray, options: Options):
    """The LP's solution with every capacity column fixed at its value in ``x``."""
    lay = model.layout
    fix = np.r_[np.arange(lay.n_cols)[lay.col("cap")], np.arange(lay.n_cols)[lay.col("e")],
                np.arange(lay.n_cols)[lay.col("p")]]
    lb, ub = model.lb.copy(), model.ub.copy()
    lb[fix] = ub[fix] = np.clip(x[fix], model.lb[fix], model.ub[fix])
    sol = solve_lp(dataclasses.replace(model, lb=lb, ub=ub), solver=options.solver,
                   time_limit_s=options.time_limit_s)
    stats = dict(solve_s=sol.solve_s, iterations=sol.iterations, status=sol.status)
    return sol.x, sol.row_activity, sol.objective, stats


def _solve(model, method: str, options: Options, warm_start):
    """Solution, row activities, objective and statistics of a sizing LP."""
    fast, fallback = None, ""
    lay = model.layout
    t0 = time.perf_counter()
    closed = solve_separable(model)  # a fixed design without storage: no LP needed
    if closed is not None:
        x, row, objective = closed
        return x, row, objective, dict(solve_s=time.perf_counter() - t0, iterations=0,
                                       status="Optimal", path="separable")
    if (method == "fast" and lay.row("pv_surplus").stop > lay.row("pv_surplus").start
            and (model.lb[lay.col("cap")] < model.ub[lay.col("cap")]).any()):
        method, fallback = "monolithic", (
            "PV-charged battery export: the surplus-hour rows (output ≥ load in those "
            "hours) bound the capacities, so the dispatch LP is infeasible at some points "
            "and the fast path's cuts need a finite cost everywhere")
    if method == "fast":
        fast, fallback = _try_fast(model, options, warm_start)
    if fast is not None:
        stats = dict(solve_s=fast.solve_s, iterations=fast.iterations, status="Optimal",
                     path="fast", outer_iterations=fast.outer_iterations, gap=fast.gap,
                     start=fast.start, warm_state=fast.warm_state)
        return fast.x, fast.row_activity, fast.objective, stats
    sol = solve_lp(model, solver=options.solver, time_limit_s=options.time_limit_s)
    stats = dict(solve_s=sol.solve_s, iterations=sol.iterations, status=sol.status,
                 path="monolithic", fallback=fallback)
    return sol.x, sol.row_activity, sol.objective, stats


def _choose_method(pb: SizingProblem, options: Options) -> str:
    """``"fast"`` or ``"monolithic"`` from ``options.method`` (``"auto"`` by horizon)."""
    if options.method != "auto":
        return options.method
    free = (pb.tech_lb < pb.tech_ub).any() or pb.battery is not None
    return "fast" if pb.hours >= FAST_MIN_HOURS and free else "monolithic"


def _try_fast(model, options: Options, warm_start):
    """The fast path's solution, or ``(None, reason)`` when it falls back."""
    from energy_model.sizing.decomposition import FastPathFallback, solve_fast

    caps, warm = None, None
    if isinstance(warm_start, SizingResult):
        caps, warm = warm_start.capacities, warm_start.warm_state
    elif warm_start is not None:
        caps = dict(warm_start)
    try:
        return solve_fast(model, gap_tol=options.gap_tol, max_outer=options.max_outer,
                          time_limit_s=options.time_limit_s, warm_start=caps, warm=warm), ""
    except FastPathFallback as exc:
        return None, exc.reason
