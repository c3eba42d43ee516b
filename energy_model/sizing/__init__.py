"""Sizing and dispatch of PV, wind and batteries: an exact HiGHS LP per park-year.

The public API works on plain arrays, without any scenario file::

    from energy_model.sizing import Battery, Grid, Technology, optimize

    result = optimize(load_kw, [Technology("roof", "rooftop", pv_per_kw, 12e6,
                                           max_kw=5000)],
                      Grid(import_price=prices_vnd_per_kwh), Battery(capex_per_kwh=6e6))
    result.capacities, result.dispatch, result.objective

Modules: :mod:`.inputs` (dataclasses and ``prepare``), :mod:`.checks` (the input checks),
:mod:`.lp` (tight sparse LP build), :mod:`.solve` (HiGHS), :mod:`.decomposition` (the fast
exact path: a level-bundle search over the capacities around a warm-started dispatch LP,
stopping on a proven gap; its parts in :mod:`.dispatch_lp`, :mod:`.start`, :mod:`.master`),
:mod:`.result` (dispatch, costs, invariants), :mod:`.core` (``optimize``, choosing the
path: ``Options(method="auto"|"fast"|"monolithic")``), the identical PyPSA
model and a deterministic synthetic park, for tests and benchmarks, are in
:mod:`energy_model.testing`.

A sweep reuses the previous variant: ``optimize(..., warm_start=previous_result)``.
"""

from energy_model.sizing.core import optimize
from energy_model.sizing.inputs import (Battery, Finance, Grid, Options, Policy, SizingProblem,
                                        Technology, crf, life_mean_factor, prepare)
from energy_model.sizing.lp import LpModel, build_lp
from energy_model.sizing.result import (CostBreakdown, SizingResult, check_dispatch,
                                        evaluate_costs)
from energy_model.sizing.solve import solve_lp

__all__ = ["Battery", "CostBreakdown", "Finance", "Grid", "LpModel", "Options", "Policy",
           "SizingProblem", "SizingResult", "Technology", "build_lp", "check_dispatch", "crf",
           "evaluate_costs", "life_mean_factor", "optimize", "prepare", "solve_lp"]
