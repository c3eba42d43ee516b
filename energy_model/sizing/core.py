"""``optimize``: size PV, wind and a battery for one park-year at least annualised cost."""

from __future__ import annotations

import time
from collections.abc import Sequence

from energy_model.errors import InvariantError
from energy_model.sizing.inputs import (Battery, Finance, Grid, Options, Policy, Technology,
                                        prepare)
from energy_model.sizing.lp import build_lp
from energy_model.sizing.result import (SizingResult, check_dispatch, dispatch_from_solution,
                                        evaluate_costs, grid_only_cost)
from energy_model.sizing.solve import solve_lp


def optimize(load_kw, technologies: Sequence[Technology], grid: Grid,
             battery: Battery | None = None, finance: Finance | None = None,
             policy: Policy | None = None, *, options: Options | None = None) -> SizingResult:
    """Size on-site PV, wind and a battery and dispatch them at least annualised cost.

    One hourly LP per park-year, built as sparse matrices in a tight form
    (:mod:`energy_model.sizing.lp`) and solved exactly with HiGHS. Capacities given as
    ``fixed_kw``/``fixed_kwh`` are only dispatched (evaluation of a fixed design).

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
        Solver choice, time limit, invariant checks.

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
    sol = solve_lp(model, solver=options.solver, time_limit_s=options.time_limit_s)
    dispatch, caps = dispatch_from_solution(model, sol.x, sol.row_activity)
    costs = evaluate_costs(pb, dispatch, caps)
    if options.check_invariants:
        check_dispatch(pb, dispatch, caps, cyclic=True, rel_tol=options.invariant_rel_tol)
        if abs(costs.total - sol.objective) > 1e-6 * max(abs(sol.objective), 1.0):
            raise InvariantError(f"cost breakdown {costs.total:.10g} VND/yr does not add up "
                                 f"to the LP objective {sol.objective:.10g} VND/yr")
    return SizingResult(
        capacities=caps, dispatch=dispatch, objective=sol.objective, costs=costs,
        grid_only_cost=grid_only_cost(pb), year_weight=pb.year_weight, build_s=build_s,
        solve_s=sol.solve_s, iterations=sol.iterations, status=sol.status, path="monolithic",
        n_rows=model.layout.n_rows, n_cols=model.layout.n_cols)
