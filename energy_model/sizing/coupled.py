"""Sizing LPs coupled by a cap on their summed hourly import (issue 16), on plain arrays.

Every unit ``k`` (a park or a KKT class meter) keeps its own sizing LP
(:func:`~energy_model.sizing.lp.build_lp`) with its own tariff, caps, export rule and costs.
The coupling rows cap the *sum* of the units' imports in each hour ``t`` of a window ``H``::

    min  Σ_k c_k·x_k − V·R
    s.t. x_k ∈ X_k                                 (each unit's own LP)
         Σ_k imp_k[t] + R ≤ P0        for t ∈ H    (coupling rows, dual λ_t ≥ 0)
         0 ≤ R ≤ R_hi

``R`` is the relief [kW]: the cut of the summed window import below the baseline ``P0``.
A *target* of N kW is ``R_hi = N`` with a value ``V`` above the marginal cost of relief
(then ``R = N`` at the optimum); a *trade-off* is ``R_hi = P0`` with the user's value ``V``.

Two ways to solve it, both here:

* :func:`joint_lp`: the units' LPs stacked block-diagonally with the coupling rows, one
  HiGHS solve. Exact; for small cases (a few units × a few weeks) and as the reference.
* :class:`CouplingMaster`: the restricted master of a Dantzig–Wolfe decomposition. Its
  columns are designs of each unit (annualised cost ``C_kj`` [VND/yr] and window imports
  ``I_kj`` [kW]); its variables are convex weights ``μ_kj`` and ``R``. Its row duals are
  the hourly prices ``λ`` that the pricing problems (each unit's own LP with ``λ_t`` added
  to its hourly import cost) receive. Any convex combination of a unit's columns is a
  feasible design of that unit (its LP is convex), so the master's solution is feasible;
  :func:`lagrangian_bound` gives a proven lower bound from any ``λ ≥ 0``. The master
  carries only the rows of the hours that can bind (row generation): the others' ``λ_t``
  are 0, and the combination is checked against every hour before it is accepted.
* :func:`proximal_prices`: the proximal bundle step on the prices over the master's
  columns (a small convex QP in HiGHS), the price search of the decomposition.

Units: costs in VND/yr; imports and relief in kW; prices ``λ_t`` in VND/yr per kW of import
in hour ``t`` (for a full-year horizon, VND/kWh added to that hour's import price).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from energy_model.errors import EnergyModelError
from energy_model.sizing.lp import Layout, LpModel
from energy_model.sizing.solve import fill_lp, new_highs, solve_lp

__all__ = ["CouplingMaster", "JointSolution", "MasterSolution", "joint_lp", "lagrangian_bound",
           "proximal_prices"]

#: The master works in MW and in billion VND/yr, so that its coefficients are of order one.
IMPORT_SCALE = 1e3
COST_SCALE = 1e9
#: Wall-clock limit of one proximal bundle QP [s] (HiGHS' active-set QP slows down with
#: thousands of priced hours); past it the caller takes another step.
QP_TIME_LIMIT_S = 10.0
#: Row generation: at most this many violated hours enter the master per re-solve.
ROW_BATCH = 24


def lagrangian_bound(pricing_lower: float, prices: np.ndarray, peak_kw: float,
                     value: float, relief_hi_kw: float, relief_lo_kw: float = 0.0) -> float:
    """Proven lower bound of the coupled problem's objective from hourly prices ``λ ≥ 0``.

    Parameters
    ----------
    pricing_lower : float
        Σ over units of a lower bound of ``min_x c_k·x + λ·imp_k(x)`` [VND/yr].
    prices : numpy.ndarray
        ``λ_t`` of each window hour [VND/yr per kW].
    peak_kw : float
        Baseline ``P0`` [kW].
    value, relief_hi_kw, relief_lo_kw : float
        Value of relief ``V`` [VND/yr per kW] and the bounds of ``R`` [kW].

    Returns
    -------
    float
        ``Σ_k z_k − P0·Σλ + min over R of R·(Σλ − V)`` [VND/yr].
    """
    total = float(np.sum(prices))
    slope = total - value
    relief = relief_lo_kw if slope >= 0 else relief_hi_kw
    return pricing_lower - peak_kw * total + relief * slope


@dataclass(frozen=True, eq=False)
class MasterSolution:
    """Solution of the restricted master.

    Attributes
    ----------
    objective : float
        ``Σ μ·C − V·R`` [VND/yr].
    cost : float
        ``Σ μ·C`` [VND/yr].
    relief_kw : float
        ``R`` [kW].
    weights : list of numpy.ndarray
        Convex weights of each unit's columns [-].
    prices : numpy.ndarray
        ``λ_t ≥ 0`` of each window hour [VND/yr per kW].
    unit_duals : numpy.ndarray
        Dual of each unit's convexity row [VND/yr].
    imports_kw : numpy.ndarray
        Summed window imports of the combination [kW].
    """

    objective: float
    cost: float
    relief_kw: float
    weights: list
    prices: np.ndarray
    unit_duals: np.ndarray
    imports_kw: np.ndarray


class CouplingMaster:
    """Restricted Dantzig–Wolfe master over the units' columns (one HiGHS instance, kept
    warm: new columns, new coupling rows and a new relief bound are changes to the same model).

    Row generation: the master carries the coupling rows of the *active* hours only
    (:meth:`add_rows`); the other hours' prices are 0, which keeps every Lagrangian bound
    valid (any ``λ ≥ 0`` gives one). :meth:`violated` checks the master's combination
    against every window hour; :meth:`solve_feasible` adds the violated (or near-binding)
    hours until the combination is feasible on all of them.

    Parameters
    ----------
    n_units : int
    n_hours : int
        Window hours ``|H|``.
    peak_kw : float
        Baseline ``P0`` [kW].
    """

    def __init__(self, n_units: int, n_hours: int, peak_kw: float) -> None:
        import highspy

        self.n_units, self.n_hours, self.peak_kw = n_units, n_hours, float(peak_kw)
        self.costs: list[list[float]] = [[] for _ in range(n_units)]
        self.imports: list[list[np.ndarray]] = [[] for _ in range(n_units)]
        self.owner: list[int] = []          # unit of each master column after R
        self.columns: list[np.ndarray] = []  # window imports of each master column [kW]
        self.active: list[int] = []         # window hour of each coupling row
        self.row_of = np.full(n_hours, -1, dtype=int)
        self.h = new_highs()
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = 1, n_units
        lp.col_cost_, lp.col_lower_, lp.col_upper_ = np.zeros(1), np.zeros(1), np.zeros(1)
        lp.row_lower_, lp.row_upper_ = np.ones(n_units), np.ones(n_units)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = 1, n_units
        lp.a_matrix_.start_ = np.array([0, 0], dtype=np.int32)
        lp.a_matrix_.index_ = np.zeros(0, dtype=np.int32)
        lp.a_matrix_.value_ = np.zeros(0)
        if self.h.passModel(lp) not in (highspy.HighsStatus.kOk, highspy.HighsStatus.kWarning):
            raise EnergyModelError("HiGHS refused the coupling master; this is a bug")
        self.h.setOptionValue("solver", "simplex")
        self.value, self.relief_hi, self.relief_lo = 0.0, 0.0, 0.0

    def set_relief(self, value: float, relief_hi_kw: float, relief_lo_kw: float = 0.0) -> None:
        """Value of relief ``V`` [VND/yr per kW] and bounds of ``R`` [kW]."""
        self.value, self.relief_hi = float(value), float(relief_hi_kw)
        self.relief_lo = float(relief_lo_kw)
        self.h.changeColCost(0, -self.value * IMPORT_SCALE / COST_SCALE)
        self.h.changeColBounds(0, relief_lo_kw / IMPORT_SCALE, relief_hi_kw / IMPORT_SCALE)

    def add_rows(self, hours) -> int:
        """Add the coupling rows of window hours ``hours`` (indices into the window) that
        the master does not carry yet; return how many were added."""
        new = [int(t) for t in np.unique(np.asarray(hours, dtype=int)) if self.row_of[t] < 0]
        cols = np.asarray(self.columns).reshape(len(self.columns), self.n_hours)
        for t in new:
            nz = np.flatnonzero(np.abs(cols[:, t]) > 1e-9)
            idx = np.r_[0, 1 + nz].astype(np.int32)
            val = np.r_[1.0, cols[nz, t] / IMPORT_SCALE]
            self.row_of[t] = self.n_units + len(self.active)
            self.active.append(t)
            self.h.addRow(-np.inf, self.peak_kw / IMPORT_SCALE, len(idx), idx, val)
        return len(new)

    def add_column(self, unit: int, cost: float, imports_kw: np.ndarray) -> None:
        """Add a design of ``unit``: annualised cost [VND/yr], window imports [kW]."""
        imports_kw = np.asarray(imports_kw, dtype=float)
        self.costs[unit].append(float(cost))
        self.imports[unit].append(imports_kw)
        self.owner.append(unit)
        self.columns.append(imports_kw)
        act = np.asarray(self.active, dtype=int)
        nz = act[np.abs(imports_kw[act]) > 1e-9] if len(act) else act
        idx = np.r_[unit, self.row_of[nz]].astype(np.int32)
        val = np.r_[1.0, imports_kw[nz] / IMPORT_SCALE]
        self.h.addCol(cost / COST_SCALE, 0.0, np.inf, len(idx), idx, val)

    def violated(self, sol: MasterSolution, margin_kw: float = 0.0,
                 most: int = ROW_BATCH) -> np.ndarray:
        """At most ``most`` window hours (not carried yet, the worst first) where the
        combination's summed import plus the relief exceeds ``P0 − margin_kw`` [kW]."""
        excess = sol.imports_kw + sol.relief_kw - (self.peak_kw - margin_kw)
        cand = np.flatnonzero((excess > 0) & (self.row_of < 0))
        return cand[np.argsort(-excess[cand], kind="stable")[:most]]

    def solve_feasible(self, margin_kw: float = 0.0, tol_kw: float = 1e-6) -> MasterSolution:
        """Solve, adding the rows of violated hours (with those within ``margin_kw`` of the
        cap) until the combination is feasible on every window hour."""
        while True:
            sol = self.solve()
            worst = float(np.max(sol.imports_kw + sol.relief_kw - self.peak_kw))
            if worst <= tol_kw * max(self.peak_kw, 1.0) or not self.add_rows(
                    self.violated(sol, margin_kw)):
                return sol

    def reduced_cost(self, unit: int, cost: float, imports_kw: np.ndarray,
                     sol: MasterSolution) -> float:
        """Reduced cost of a candidate column at the master's duals [VND/yr]."""
        return float(cost + sol.prices @ imports_kw - sol.unit_duals[unit])

    def solve(self) -> MasterSolution:
        """Solve the restricted master (warm); raise unless optimal."""
        import highspy

        self.h.run()
        status = self.h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:     # a warm start gone astray
            self.h.clearSolver()
            self.h.run()
            status = self.h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise EnergyModelError(f"the coupling master ended with status "
                                   f"{self.h.modelStatusToString(status)!r}")
        sol = self.h.getSolution()
        x, y = np.asarray(sol.col_value), np.asarray(sol.row_dual)
        prices = np.zeros(self.n_hours)
        prices[self.active] = np.maximum(-y[self.n_units:] * COST_SCALE / IMPORT_SCALE, 0.0)
        weights, k0 = [[] for _ in range(self.n_units)], 1
        for j, unit in enumerate(self.owner):
            weights[unit].append(x[k0 + j])
        weights = [np.clip(np.asarray(w, float), 0.0, None) for w in weights]
        weights = [w / w.sum() if w.sum() > 0 else w for w in weights]
        cost = sum(float(w @ np.asarray(c)) for w, c in zip(weights, self.costs))
        imports = sum(np.asarray(i).T @ w for w, i in zip(weights, self.imports))
        relief = float(x[0]) * IMPORT_SCALE
        return MasterSolution(objective=cost - self.value * relief, cost=cost, relief_kw=relief,
                              weights=weights, prices=prices,
                              unit_duals=y[:self.n_units] * COST_SCALE, imports_kw=imports)


def proximal_prices(master: CouplingMaster, centre: np.ndarray, step: float,
                    hours: np.ndarray) -> tuple[np.ndarray, float]:
    """The proximal bundle step on the hourly prices: the maximiser of the cutting-plane
    model of the Lagrangian dual minus ``‖λ − centre‖² / (2·step)``.

    The model is the one the master's columns give, ``m(λ) = Σ_k min_j (C_kj + λ·I_kj)
    − P0·Σλ + min over R of R·(Σλ − V)``, an over-estimate of the Lagrangian dual (its
    maximum is the master's objective). Solved as a small convex QP in HiGHS over the
    prices of ``hours`` (the others stay 0), in the master's scaled units.

    Parameters
    ----------
    master : CouplingMaster
        Its columns, ``P0``, value and relief bounds.
    centre : numpy.ndarray
        Stability centre ``λ̂`` over the window [VND/yr per kW].
    step : float
        Proximal step ``t`` in scaled units [(bn VND/yr per MW)² per bn VND/yr].
    hours : numpy.ndarray of int
        Window hours whose price may be positive.

    Returns
    -------
    prices : numpy.ndarray
        ``λ ≥ 0`` over the window [VND/yr per kW].
    model : float
        ``m(λ)`` at those prices [VND/yr].
    """
    import highspy

    hours = np.asarray(hours, dtype=int)
    nh, nk = len(hours), master.n_units
    n = nh + nk + 1                                  # λ_h, η_k, ρ
    scale = IMPORT_SCALE / COST_SCALE                # VND/yr per kW → bn VND/yr per MW
    c_hat = np.asarray(centre, float)[hours] * scale
    p0, v = master.peak_kw / IMPORT_SCALE, master.value * scale
    rows, cols, vals, upper = [], [], [], []
    r = 0
    for k in range(nk):
        for cost, imp in zip(master.costs[k], master.imports[k]):
            i = imp[hours] / IMPORT_SCALE
            nz = np.flatnonzero(np.abs(i) > 1e-12)
            rows += [r] * (len(nz) + 1)
            cols += [nh + k, *nz.tolist()]
            vals += [1.0, *(-i[nz]).tolist()]
            upper.append(cost / COST_SCALE)
            r += 1
    for bound in (master.relief_lo, master.relief_hi):     # ρ ≤ R·(Σλ − V)
        b = bound / IMPORT_SCALE
        rows += [r] * (nh + 1)
        cols += [n - 1, *range(nh)]
        vals += [1.0, *[-b] * nh]
        upper.append(-b * v)
        r += 1
    a = sp.csc_matrix((vals, (rows, cols)), shape=(r, n))
    model = highspy.HighsModel()
    # η_k ≥ min_j C_kj and ρ ≥ −R_hi·V hold at the optimum (λ ≥ 0, imports ≥ 0); finite
    # lower bounds keep HiGHS' active-set QP from reading a free direction as non-convex
    floor = [min(master.costs[k]) / COST_SCALE - 1.0 for k in range(nk)]
    fill_lp(model.lp_, np.r_[p0 - c_hat / step, -np.ones(nk + 1)],
            np.r_[np.zeros(nh), floor, -master.relief_hi / IMPORT_SCALE * v - 1.0],
            np.full(n, np.inf), a, np.full(r, -np.inf), np.asarray(upper))
    hess = model.hessian_
    hess.dim_, hess.format_ = n, highspy.HessianFormat.kTriangular
    # a tiny curvature on η and ρ too (HiGHS' active-set QP may stop on a flat direction);
    # any λ ≥ 0 gives a valid bound, so this only moves the step
    hess.start_ = np.arange(n + 1, dtype=np.int32)
    hess.index_ = np.arange(n, dtype=np.int32)
    hess.value_ = np.r_[np.full(nh, 1.0 / step), np.full(nk + 1, 1e-9)]
    h = new_highs()
    h.setOptionValue("time_limit", QP_TIME_LIMIT_S)
    h.passModel(model)
    h.run()
    sol = h.getSolution()
    # any λ ≥ 0 gives a valid bound: a QP left slightly infeasible (HiGHS' "solve error"
    # after its active-set solver) still gives usable prices
    if not sol.value_valid:
        raise EnergyModelError(f"the proximal bundle QP ended with status "
                               f"{h.modelStatusToString(h.getModelStatus())!r}")
    x = np.asarray(sol.col_value)
    prices = np.zeros(master.n_hours)
    prices[hours] = np.maximum(x[:nh], 0.0) / scale
    value = float(x[nh:nh + nk].sum() + x[-1] - p0 * x[:nh].sum()) * COST_SCALE
    return prices, value


@dataclass(frozen=True, eq=False)
class JointSolution:
    """Solution of :func:`joint_lp`.

    Attributes
    ----------
    objective : float
        ``Σ c_k·x_k − V·R`` [VND/yr].
    costs : numpy.ndarray
        ``c_k·x_k`` of each unit [VND/yr].
    relief_kw : float
    x : list of numpy.ndarray
        Each unit's column values.
    prices : numpy.ndarray
        ``λ_t`` of each window hour [VND/yr per kW].
    solve_s : float
    """

    objective: float
    costs: np.ndarray
    relief_kw: float
    x: list
    prices: np.ndarray
    solve_s: float


def joint_lp(models: list[LpModel], window: np.ndarray, peak_kw: float, value: float,
             relief_hi_kw: float, relief_lo_kw: float = 0.0,
             time_limit_s: float | None = None) -> JointSolution:
    """Solve the coupled problem in one piece: the units' LPs stacked with the coupling rows.

    Parameters
    ----------
    models : list of LpModel
        Each unit's sizing LP, all on the same hours.
    window : numpy.ndarray of int
        Hour indices of the coupling rows.
    peak_kw, value, relief_hi_kw, relief_lo_kw : float
        ``P0`` [kW], ``V`` [VND/yr per kW], bounds of ``R`` [kW].
    time_limit_s : float, optional
        HiGHS wall-clock limit [s]; reaching it raises :class:`EnergyModelError`.

    Returns
    -------
    JointSolution
    """
    window = np.asarray(window, dtype=int)
    offsets = np.cumsum([0] + [m.layout.n_cols for m in models])
    n = int(offsets[-1]) + 1                    # + R, the last column
    blocks = [m.a for m in models]
    a = sp.block_diag(blocks, format="csc")
    rows, cols = [], []
    for k, m in enumerate(models):
        imp = m.layout.col("imp")
        cols.append(offsets[k] + imp.start + window)
        rows.append(np.arange(len(window)))
    rows.append(np.arange(len(window)))
    cols.append(np.full(len(window), n - 1))
    r, c = np.concatenate(rows), np.concatenate(cols)
    coupling = sp.csc_matrix((np.ones(len(r)), (r, c)), shape=(len(window), n))
    a = sp.vstack([sp.hstack([a, sp.csc_matrix((a.shape[0], 1))]), coupling], format="csc")
    big = LpModel(
        c=np.r_[np.concatenate([m.c for m in models]), -value],
        lb=np.r_[np.concatenate([m.lb for m in models]), relief_lo_kw],
        ub=np.r_[np.concatenate([m.ub for m in models]), relief_hi_kw],
        a=a, row_lo=np.r_[np.concatenate([m.row_lo for m in models]),
                          np.full(len(window), -np.inf)],
        row_hi=np.r_[np.concatenate([m.row_hi for m in models]), np.full(len(window), peak_kw)],
        layout=Layout(cols={}, rows={}, n_cols=n, n_rows=a.shape[0]),
        problem=models[0].problem)
    sol = solve_lp(big, time_limit_s=time_limit_s)
    xs = [sol.x[offsets[k]:offsets[k + 1]] for k in range(len(models))]
    costs = np.array([float(m.c @ x) for m, x in zip(models, xs)])
    prices = np.maximum(-sol.row_dual[-len(window):], 0.0)
    return JointSolution(objective=sol.objective, costs=costs, relief_kw=float(sol.x[-1]),
                         x=xs, prices=prices, solve_s=sol.solve_s)
