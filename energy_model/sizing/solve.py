"""Solve a sizing LP with HiGHS (highspy), quietly, and check the status.

HiGHS pitfalls handled here:

* its banner is printed to the C-level stdout when the first ``Highs`` object of a
  process is made, before any option can silence it: that one construction runs with
  file descriptor 1 pointed at ``/dev/null``;
* the ``threads`` option is never set: changing it after a first solve in a process
  makes later solves return objective 0 with status ``kNotset``;
* anything but ``kOptimal`` raises (:class:`InfeasibleError` for an infeasible model,
  :class:`EnergyModelError` otherwise) instead of returning a status string.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from energy_model.errors import EnergyModelError, InfeasibleError
from energy_model.sizing.lp import LpModel

_BANNER_LOCK = threading.Lock()
_BANNER_SHOWN = False


@contextmanager
def _stdout_to_devnull():
    """Point file descriptor 1 at /dev/null for the duration (C-level output too)."""
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):  # no usable fd 1 (embedded interpreter): nothing to hide
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def new_highs():
    """A silent ``highspy.Highs`` instance (the banner is swallowed once per process)."""
    import highspy

    global _BANNER_SHOWN
    with _BANNER_LOCK:
        if _BANNER_SHOWN:
            h = highspy.Highs()
        else:
            with _stdout_to_devnull():
                h = highspy.Highs()
            _BANNER_SHOWN = True
    h.setOptionValue("output_flag", False)
    return h


@dataclass(frozen=True, eq=False)
class LpSolution:
    """Raw solution of a sizing LP.

    Attributes
    ----------
    x : numpy.ndarray
        Column values.
    row_activity : numpy.ndarray
        ``A·x`` of each row.
    row_dual, col_dual : numpy.ndarray
        Duals of rows and reduced costs of columns (for sensitivity and decomposition).
    objective : float
        Objective value [VND/yr].
    status : str
        HiGHS model status text.
    iterations : int
        Simplex plus interior-point plus crossover iterations.
    solve_s : float
        Wall time of ``run()`` [s].
    highs : object
        The ``highspy.Highs`` instance, kept for warm re-solves.
    """

    x: np.ndarray
    row_activity: np.ndarray
    row_dual: np.ndarray
    col_dual: np.ndarray
    objective: float
    status: str
    iterations: int
    solve_s: float
    highs: object = None


def fill_lp(lp, c, lb, ub, a, row_lo, row_hi) -> None:
    """Fill a ``highspy.HighsLp`` (e.g. a ``HighsModel``'s ``lp_``) with
    ``min c·x`` s.t. ``row_lo ≤ A·x ≤ row_hi``, ``lb ≤ x ≤ ub``; ``a`` a CSC matrix."""
    import highspy

    lp.num_col_, lp.num_row_ = a.shape[1], a.shape[0]
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = c, lb, ub
    lp.row_lower_, lp.row_upper_ = row_lo, row_hi
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = a.shape[1], a.shape[0]
    lp.a_matrix_.start_ = a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a.indices.astype(np.int32)
    lp.a_matrix_.value_ = a.data


def pass_model(h, model: LpModel) -> None:
    """Load ``model`` into the HiGHS instance ``h`` (column-wise matrix)."""
    import highspy

    lp = highspy.HighsLp()
    fill_lp(lp, model.c, model.lb, model.ub, model.a, model.row_lo, model.row_hi)
    status = h.passModel(lp)
    # kWarning: HiGHS dropped entries below small_matrix_value; build_lp already drops them
    if status not in (highspy.HighsStatus.kOk, highspy.HighsStatus.kWarning):
        raise EnergyModelError(f"HiGHS refused the sizing LP ({status}); this is a bug")


def _describe_infeasible(model: LpModel) -> str:
    """A short diagnosis of an infeasible sizing LP."""
    pb = model.problem
    gap = pb.load_kw - pb.import_cap_kw
    if (gap > 0).any():
        t = int(np.argmax(gap))
        return (f"the import cap is below the load in {int((gap > 0).sum())} hour(s) (worst: "
                f"hour {t}, load {pb.load_kw[t]:.1f} kW, cap {pb.import_cap_kw[t]:.1f} kW) and "
                "on-site supply within its limits cannot cover the gap. Raise the cap or the "
                "capacity limits, or set Grid(allow_unmet=True) to see the unmet energy.")
    return ("no dispatch meets every constraint (renewable share, peak-reduction target or "
            "fixed capacities); set Grid(allow_unmet=True) to see where load goes unserved.")


def solve_lp(model: LpModel, solver: str = "simplex", time_limit_s: float | None = None,
             highs=None) -> LpSolution:
    """Solve a sizing LP with HiGHS and check that it is optimal.

    Parameters
    ----------
    model : LpModel
        From :func:`energy_model.sizing.lp.build_lp`.
    solver : str
        ``"simplex"``, ``"ipm"`` (with crossover, so the solution is a vertex) or
        ``"choose"``.
    time_limit_s : float, optional
        Wall-clock limit [s].
    highs : highspy.Highs, optional
        An instance that already holds the model (a warm re-solve); default a new one.

    Raises
    ------
    InfeasibleError
        The model is infeasible, with a diagnosis.
    EnergyModelError
        Any other non-optimal status (unbounded, time limit, solver error).
    """
    import highspy

    if highs is None:
        highs = new_highs()
        highs.setOptionValue("solver", solver)
        if solver == "ipm":
            highs.setOptionValue("run_crossover", "on")
        if time_limit_s is not None:
            highs.setOptionValue("time_limit", float(time_limit_s))
        pass_model(highs, model)
    t0 = time.perf_counter()
    highs.run()
    solve_s = time.perf_counter() - t0
    status = highs.getModelStatus()
    text = highs.modelStatusToString(status)
    # The LP cannot be unbounded (every cost is non-negative except export revenue, and
    # export is bounded by finite exportable capacity), so "unbounded or infeasible"
    # from presolve means infeasible.
    if status in (highspy.HighsModelStatus.kInfeasible,
                  highspy.HighsModelStatus.kUnboundedOrInfeasible):
        raise InfeasibleError(f"the sizing problem is infeasible: {_describe_infeasible(model)}")
    if status != highspy.HighsModelStatus.kOptimal:
        raise EnergyModelError(f"HiGHS did not solve the sizing LP to optimality: model status "
                               f"{text!r}" + (" (raise Options.time_limit_s)"
                                              if status == highspy.HighsModelStatus.kTimeLimit
                                              else ""))
    info = highs.getInfo()
    sol = highs.getSolution()
    iterations = (int(info.simplex_iteration_count) + max(int(info.ipm_iteration_count), 0)
                  + max(int(info.crossover_iteration_count), 0))
    return LpSolution(x=np.asarray(sol.col_value), row_activity=np.asarray(sol.row_value),
                      row_dual=np.asarray(sol.row_dual), col_dual=np.asarray(sol.col_dual),
                      objective=float(info.objective_function_value), status=text,
                      iterations=iterations, solve_s=solve_s, highs=highs)
