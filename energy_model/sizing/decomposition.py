"""The fast exact path of :func:`energy_model.sizing.optimize`: a level-bundle search over
the few capacity variables around an hourly dispatch LP re-solved warm in HiGHS.

The sizing LP is ``min_x c·x + Q(x)`` over the capacities ``x`` (a handful of columns:
each technology's kW, the battery's kWh and kW), where ``Q(x)`` is the least operating cost
of the hourly dispatch with those capacities. ``f(x) = c·x + Q(x)`` is convex and
piecewise linear, so:

* **Evaluation.** One HiGHS instance holds the whole sizing LP of
  :func:`energy_model.sizing.lp.build_lp`. Fixing the capacity columns by their bounds
  (``changeColsBounds(x, x)``) turns it into the dispatch LP at ``x``; each re-solve
  starts from the previous basis (dual simplex), so after the first solve it takes a few
  hundred iterations instead of tens of thousands.
* **Subgradient.** The reduced cost of a fixed capacity column, ``c_j − a_jᵀy`` with the
  balance-row (and other) duals ``y``, is the derivative of ``f`` along that capacity
  (HiGHS reports it as the column dual), so each evaluation gives a cut
  ``f(z) ≥ f(x) + g·(z − x)`` valid everywhere.
* **Elastic rows.** With fixed capacities the balance rows (and a renewable-share row) can
  be infeasible; they get an elastic slack priced at :func:`penalty_price`, far above
  every price and every capacity's annual cost per kW. The penalised ``f`` is a lower
  envelope of the true one, so its lower bounds stay valid; the answer is accepted only if
  the slack is zero at the final point (then it is optimal for the true problem too).
* **Level bundle** (Lemaréchal, Nemirovskii and Nesterov 1995). The lower bound ``LB`` is
  the minimum of the cutting-plane model over a box of capacities; the upper bound ``UB``
  is the best ``f`` seen. The next point is the Euclidean projection of the best point on
  the level set ``{model ≤ LB + λ·(UB − LB)}``, a small convex QP solved by HiGHS, first
  within a trust box around the best point (early on the lower bound is poor and a free
  step jumps far, into unserved load). Plain cutting planes (Kelley) zig-zag and need
  several times more evaluations.
* **Box.** A capacity without a finite limit is bounded by ``(UB + R) / c_j``, where ``R``
  bounds the export revenue, since every operating cost is non-negative; a battery power
  without cost is bounded by ``E_max / η_charge`` (a larger power is never used).
* **Start.** A 12-representative-day LP (the medoid day of each twelfth of the horizon,
  chained in order with a cyclic state of charge, unmet load allowed), or the capacities
  of a previous result (``warm_start``), whose HiGHS basis is reused too when the LP has
  the same shape, and whose cuts on ``Q`` are reused when only capacity costs or limits
  changed (:class:`WarmState`, e.g. a sweep over capital costs).
* **Stop** when ``UB − LB ≤ gap_tol × |UB|``, a proven gap, after up to
  :data:`POLISH_STEPS` cheap extra solves towards a 100× smaller gap (the optimum is
  flat). Otherwise (iteration limit, a non-optimal re-solve, slack left at the end, a
  capacity with neither cost nor limit, nothing to size) :class:`FastPathFallback` says
  why, and ``optimize`` solves the monolithic LP instead and records the reason in
  ``SizingResult.fallback``.
* **Guards.** A warm re-solve gets half the simplex iterations of the first (cold) solve
  (a count, not a time, so that results do not depend on the machine's load); past that
  the point is solved cold on a new instance (with presolve). HiGHS' ``threads`` option
  is never touched.
* **Battery patterns** (issue 19). A warm re-solve across a switch of the battery's power
  or energy between 0 and > 0 can stall HiGHS for seconds on a few iterations (Cái Lân:
  7 iterations in 2.3 s, 13k in 6.7 s, where a cold solve takes 0.2–0.4 s), and so can
  a "half battery" (energy without power: 8760 free-floating states of charge). Each
  pattern (battery off, battery on) keeps its own HiGHS instance and basis; half
  batteries are solved cold. The masters search within ``P ≤ (1 − soc_min)·E/η_c``
  (:func:`battery_power_limit`, which holds a minimiser), so power without energy is
  never proposed.
* **Battery-off face first.** Most catalog parks build no battery. The search first
  minimises over the face where the battery is zero (cheap warm solves in one pattern);
  its cuts are cuts of ``f`` everywhere and are all kept when the battery is released,
  but the face's minimum is no lower bound of ``f`` and is not used as one. Polishing
  stops after :data:`POLISH_STALL` solves without a better point.

Every capacity feature of the LP is handled (tariffs, export caps on either basis, hourly
import caps, the capacity charge, the unmet-load slack, a renewable-share floor, fixed
capacities, a battery of fixed or free duration): they live in the dispatch LP, whose
capacities are only column bounds.
The hourly hosting limit on export (``Grid.export_limit_kw``) is a column bound of the
dispatch LP too, and so is PV-charged battery export (``Grid.battery_export``) when the
surplus hours are known in advance (every generation capacity fixed). When they come from
a first solve (capacities to size), the second LP's surplus rows bound the capacities
(output ≥ load in those hours), ``f`` is infinite outside, and
:func:`energy_model.sizing.optimize` solves that LP monolithically and says so in
``SizingResult.fallback`` (the first solve may take the fast path).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

import numpy as np

from energy_model.sizing.inputs import SizingProblem
from energy_model.sizing.lp import LpModel, build_lp
from energy_model.sizing.solve import new_highs, pass_model

#: Level parameter λ of the level-bundle method [-].
LEVEL_LAMBDA = 0.5
#: Below this relative gap the minimiser of the cutting-plane model (Kelley's point) is
#: evaluated too: near the end it is often the exact vertex optimum.
KELLEY_GAP = 1e-3
#: Once the gap is proven, up to POLISH_STEPS more solves aim at gap_tol × POLISH_FACTOR:
#: the optimum is flat (a 1e-6 objective gap can leave capacities 0.1 % from the vertex
#: optimum), and near the end each solve is cheap.
POLISH_STEPS = 12
POLISH_FACTOR = 0.01
#: Polishing stops after this many solves in a row that do not improve the best point.
POLISH_STALL = 3
#: A warm dispatch re-solve is stopped after this share of the first (cold) solve's
#: simplex iterations, at least WARM_MIN_ITERATIONS, and solved cold with presolve instead.
WARM_ITERATION_SHARE = 0.5
WARM_MIN_ITERATIONS = 2000
#: (An iteration budget, not a time budget: results must not depend on the machine's
#: load, run to run they are byte-identical.)
#: Trust box of a step in scaled capacities: ± max(TRUST_SHARE × z_best, TRUST_MIN); a
#: step leaves it only when the level set does not meet it. Early on the lower bound is
#: poor and a free step jumps far (into unserved load), wasting solves.
TRUST_SHARE = 0.5
TRUST_MIN = 0.05
#: Iteration limit of the projection QP.
QP_ITERATION_LIMIT = 1000
#: Largest number of growth steps of a start point that leaves load unserved.
START_GROWTH_STEPS = 4
#: Representative days of the start LP.
START_DAYS = 12
#: Shortest horizon on which the representative-day start is used [h]; shorter horizons
#: start from the lower capacity bounds.
START_MIN_HOURS = 24 * 48


class FastPathFallback(Exception):
    """The fast path cannot prove optimality here; ``reason`` says why (not a user error)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, eq=False)
class FastSolution:
    """Outcome of :func:`solve_fast`.

    Attributes
    ----------
    x, row_activity : numpy.ndarray
        Column values and row activities of the sizing LP (original columns only) at the
        optimal capacities.
    objective : float
        ``f`` at the optimal capacities [VND/yr].
    lower_bound : float
        Proven lower bound of the optimum [VND/yr].
    gap : float
        ``(objective − lower_bound) / |objective|`` [-].
    outer_iterations : int
        Dispatch-LP evaluations (the start LP not counted).
    iterations : int
        Simplex iterations over all evaluations and the start LP.
    solve_s : float
        Wall time of the whole search [s].
    warm_state : WarmState
        Basis and cuts for a warm start of a later, similar problem.
    start : str
        ``"representative days"``, ``"warm start"`` or ``"lower bounds"``, with
        ``" + cuts"`` when the cuts of a previous solve were reused.
    """

    x: np.ndarray
    row_activity: np.ndarray
    objective: float
    lower_bound: float
    gap: float
    outer_iterations: int
    iterations: int
    solve_s: float
    warm_state: object
    start: str


# --------------------------------------------------------------------------- columns, bounds

def capacity_columns(model: LpModel) -> np.ndarray:
    """Indices of the capacity columns (``cap``, ``e``, ``p``) of a sizing LP."""
    lay = model.layout
    idx = np.arange(lay.n_cols)
    return np.concatenate([idx[lay.col("cap")], idx[lay.col("e")], idx[lay.col("p")]])


def penalty_price(model: LpModel) -> float:
    """Price of the elastic balance slack [VND/kWh in objective units].

    Ten times the highest weighted import price plus the annual cost of one unit of every
    capacity: above the cost of serving one more kWh in one hour in any realistic case.
    It need not be provably large enough: the answer is accepted only if the slack is zero
    at the optimum, otherwise the monolithic LP is solved.
    """
    pb = model.problem
    c = np.abs(model.c[capacity_columns(model)])
    price = pb.year_weight * float((pb.import_price + pb.co2_cost).max())
    return 10.0 * (price + float(c.sum())) + 1.0


def export_revenue_bound(pb: SizingProblem) -> float:
    """Largest possible export revenue [VND/yr]: every exportable kWh at its price."""
    if not pb.export:
        return 0.0
    ex = pb.exportable
    avail = (pb.profiles[ex] * pb.tech_ub[ex, None]).sum(axis=0)
    if pb.battery_export:
        # PV-charged battery export moves PV energy to other hours: Σ exp ≤ Σ avail
        return pb.year_weight * float(pb.export_price.max() * avail.sum())
    return pb.year_weight * float(pb.export_price @ avail)


def _static_bounds(model: LpModel, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return model.lb[cols].astype(float), model.ub[cols].astype(float)


def _battery_power_link(model: LpModel, cols: np.ndarray) -> tuple[int, int, float] | None:
    """(position of p, position of e, 1/eta_c) when the battery has free energy capacity."""
    lay, b = model.layout, model.problem.battery
    if b is None or lay.duration_h is not None:
        return None
    p = int(np.flatnonzero(cols == lay.col("p").start)[0])
    e = int(np.flatnonzero(cols == lay.col("e").start)[0])
    return p, e, 1.0 / b.eta_charge


def battery_power_limit(model: LpModel, cols: np.ndarray) -> tuple[np.ndarray, float] | None:
    """``(coef, 0)`` with ``coef·x ≤ 0`` ⇔ ``P ≤ (1 − soc_min)·E / η_charge``, or None.

    A minimiser satisfies it whenever the battery power is free and its energy a column:
    an hour's charge never exceeds the energy the battery can take,
    ``(1 − soc_min)·E / η_charge``, nor does an hour's discharge (``η_discharge ≤ 1``)
    once simultaneous charge and discharge are netted (which never costs more), so a
    larger power is never used and costs ≥ 0. The masters search within it; without it
    they keep proposing power without energy, each such point solved for nothing.
    """
    link = _battery_power_link(model, cols)
    if link is None:
        return None
    p, e, inv = link
    if not model.lb[cols[p]] < model.ub[cols[p]]:
        return None
    coef = np.zeros(len(cols))
    coef[p], coef[e] = 1.0, -(1.0 - model.problem.battery.soc_min) * inv
    return coef, 0.0


def battery_energy_limit(model: LpModel, cols: np.ndarray) -> tuple[np.ndarray, float] | None:
    """``(coef, 0)`` with ``coef·x ≤ 0`` ⇔ ``(1 − soc_min)·E ≤ η_charge·P·T``, or None.

    A minimiser satisfies it whenever the energy capacity is free: over a cyclic horizon
    of T hours the state of charge spans at most ``η_charge·P·T``; shifting it down to
    ``soc_min·E'`` fits a smaller ``E'`` with the same dispatch, and energy costs ≥ 0.
    It keeps the masters from proposing energy without power (a degenerate LP).
    """
    link = _battery_power_link(model, cols)
    if link is None:
        return None
    p, e, _ = link
    if not model.lb[cols[e]] < model.ub[cols[e]]:
        return None
    b = model.problem.battery
    coef = np.zeros(len(cols))
    coef[e], coef[p] = 1.0 - b.soc_min, -b.eta_charge * model.problem.hours
    return coef, 0.0


def box_upper(model: LpModel, cols: np.ndarray, ub_static: np.ndarray, upper: float,
              revenue: float) -> np.ndarray:
    """Finite upper bounds of the capacities that contain every minimiser [kW, kWh].

    Parameters
    ----------
    upper : float
        A known value of ``f`` (any capacities) [VND/yr].
    revenue : float
        Bound of the export revenue [VND/yr] (:func:`export_revenue_bound`).
    """
    c = model.c[cols]
    ub = ub_static.copy()
    with np.errstate(divide="ignore"):
        cost_bound = np.where(c > 0, (upper + revenue) / np.where(c > 0, c, 1.0), np.inf)
    ub = np.minimum(ub, np.maximum(cost_bound, model.lb[cols]))
    link = _battery_power_link(model, cols)
    if link is not None:
        p, e, inv = link
        ub[p] = min(ub[p], ub[e] * inv)
    return ub


# --------------------------------------------------------------------------- dispatch LP

class DispatchLp:
    """The sizing LP in one HiGHS instance, with capacities fixed by column bounds.

    Parameters
    ----------
    model : LpModel
    cols : numpy.ndarray
        Capacity columns.
    time_limit_s : float, optional
        Wall-clock limit per solve [s].
    basis : object, optional
        A HiGHS basis of an LP of the same shape to start from.
    penalty : float, optional
        Price of the elastic slack (default :func:`penalty_price`).
    """

    def __init__(self, model: LpModel, cols: np.ndarray, time_limit_s=None, basis=None,
                 penalty: float | None = None, patterns: bool = True):
        self.model, self.cols = model, cols.astype(np.int32)
        self.patterns = patterns
        self.time_limit_s = time_limit_s
        self.n_orig = model.layout.n_cols
        self.penalty = penalty_price(model) if penalty is None else penalty
        self.h = self._new_instance()
        n_slack = self.h.getNumCol() - self.n_orig
        self.slack = np.arange(self.n_orig, self.n_orig + n_slack)
        if basis is not None:
            try:   # a basis of another LP of the same shape is only a hint
                self.h.setBasis(basis_from_arrays(basis))
            except Exception:  # noqa: BLE001
                pass
        self.iterations = 0
        self.cold_retries = 0
        self.cold_iterations = None
        lay = model.layout
        every = np.arange(lay.n_cols)
        self.battery = np.isin(self.cols, np.r_[every[lay.col("e")], every[lay.col("p")]])
        self.key = None     # battery pattern (power, energy > 0) of the instance self.h
        self.pool = {}      # instances that last solved another battery pattern
        self.battery_restarts = 0

    def _new_instance(self):
        """A HiGHS instance holding the LP plus the elastic slack columns."""
        model = self.model
        h = new_highs()
        h.setOptionValue("solver", "simplex")
        if self.time_limit_s is not None:
            h.setOptionValue("time_limit", float(self.time_limit_s))
        pass_model(h, model)
        pb, lay = model.problem, model.layout
        rows = []
        if not pb.grid.allow_unmet:           # elastic balance rows: +slack
            rows += [(r, 1.0) for r in range(lay.row("balance").start, lay.row("balance").stop)]
        if lay.row("re_share").stop > lay.row("re_share").start:     # relaxed share: −slack
            rows.append((lay.row("re_share").start, -1.0))
        if rows:
            k = len(rows)
            idx = np.array([r for r, _ in rows], dtype=np.int32)
            vals = np.array([v for _, v in rows], dtype=float)
            h.addCols(k, np.full(k, self.penalty), np.zeros(k), np.full(k, np.inf), k,
                      np.arange(k, dtype=np.int32), idx, vals)
        return h

    def evaluate(self, x: np.ndarray) -> tuple[float, np.ndarray, float]:
        """``f(x)`` [VND/yr], its subgradient over the capacities, and the slack used."""
        import highspy

        warm = self.cold_iterations is not None
        key = tuple(bool(v) for v in x[self.battery] > 0)
        whole = all(key) or not any(key)
        if not self.patterns:
            # (the energy-basis export row, one dense row: a battery switching on from
            # zero is solved cold at most 3 times, as before issue 19)
            if warm and self.key is not None and self.battery_restarts < 3 and any(
                    k and not o for k, o in zip(key, self.key)):
                self.battery_restarts += 1
                self.h = self._new_instance()
                warm = False
            self.key = key
        elif self.key is None:
            self.key = key
        elif key != self.key or not whole:
            # The battery's power or energy switches between 0 and > 0. From a basis of the
            # other pattern a warm re-solve can stall HiGHS for seconds on a handful of
            # iterations (Cái Lân, issue 19: 7 iterations in 2.3 s, 13k in 6.7 s, where a
            # cold solve with presolve takes 0.2-0.4 s). Each pattern keeps its own
            # instance: continue warm from the last basis of the same pattern, or solve
            # cold on a new instance the first time a pattern is met. A half battery
            # (energy without power) is degenerate: its 8760 states of charge float
            # between soc_min·E and E, and even a warm start from another half battery
            # stalls (Cẩm Phả: 16 iterations in 2.5 s): always solve it cold.
            if all(self.key) or not any(self.key):
                self.pool[self.key] = self.h
            if whole and key in self.pool:
                self.h = self.pool.pop(key)
            else:
                self.battery_restarts += 1
                self.h = self._new_instance()
                warm = False
            self.key = key
        h = self.h
        h.changeColsBounds(len(self.cols), self.cols, x, x)
        if warm:   # a warm re-solve may take no more than half a cold solve's work
            h.setOptionValue("simplex_iteration_limit",
                             max(WARM_MIN_ITERATIONS, int(WARM_ITERATION_SHARE
                                                          * self.cold_iterations)))
            if self.time_limit_s is not None:
                # HiGHS' time limit counts the instance's run time since it was made
                h.setOptionValue("time_limit", float(h.getRunTime() + self.time_limit_s))
        h.run()
        status = h.getModelStatus()
        if warm:
            h.setOptionValue("simplex_iteration_limit", 2**31 - 1)
        if warm and status != highspy.HighsModelStatus.kOptimal:
            # a long warm re-solve (a far step) is slower than a cold one with presolve,
            # and a warm re-solve occasionally stops with an error (status 'Not Set', seen
            # when the battery power is fixed at 0): solve it cold
            # (a new instance: after clearSolver() the cold solve was ten times slower)
            self.iterations += max(int(h.getInfo().simplex_iteration_count), 0)
            self.cold_retries += 1
            h = self.h = self._new_instance()
            h.changeColsBounds(len(self.cols), self.cols, x, x)
            h.run()
            status = h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise FastPathFallback(f"a dispatch re-solve ended with status "
                                   f"{h.modelStatusToString(status)!r}")
        if not warm and self.cold_iterations is None:
            self.cold_iterations = int(h.getInfo().simplex_iteration_count)
        info = h.getInfo()
        self.iterations += int(info.simplex_iteration_count)
        sol = h.getSolution()
        col_dual = np.asarray(sol.col_dual)
        slack = float(np.asarray(sol.col_value)[self.slack].sum()) if len(self.slack) else 0.0
        return float(info.objective_function_value), col_dual[self.cols], slack

    def solution(self) -> tuple[np.ndarray, np.ndarray]:
        """Column values (original columns) and row activities of the last solve."""
        sol = self.h.getSolution()
        return np.asarray(sol.col_value)[:self.n_orig], np.asarray(sol.row_value)


# --------------------------------------------------------------------------- start point

def representative_days(pb: SizingProblem, days: int = START_DAYS) -> np.ndarray:
    """Hour indices of ``days`` medoid days, one per equal block of whole days, in order.

    The medoid is the day whose hourly load, generation per kW and import cap (capped at
    twice the peak load) are closest to the block's mean day. The day with the largest
    load above the import cap is added if it is not among them (a medoid never is, and
    the battery is sized for it).
    """
    n_days = pb.hours // 24
    feats = [pb.load_kw / pb.load_kw.max()]
    feats += list(pb.profiles)
    feats.append(np.minimum(pb.import_cap_kw, 2 * pb.load_kw.max()) / pb.load_kw.max())
    x = np.stack([f[:n_days * 24].reshape(n_days, 24) for f in feats], axis=1)
    x = x.reshape(n_days, -1)
    chosen = []
    for block in np.array_split(np.arange(n_days), days):
        if len(block) == 0:
            continue
        d = ((x[block] - x[block].mean(axis=0)) ** 2).sum(axis=1)
        chosen.append(int(block[np.argmin(d)]))
    short = np.maximum(pb.load_kw - pb.import_cap_kw, 0.0)[:n_days * 24]
    short = short.reshape(n_days, 24).sum(axis=1)
    if short.max() > 0 and int(short.argmax()) not in chosen:
        chosen = sorted(chosen + [int(short.argmax())])
    return (np.asarray(chosen)[:, None] * 24 + np.arange(24)[None, :]).ravel()


def subproblem(pb: SizingProblem, hours: np.ndarray,
               unmet_price: float | None = None) -> SizingProblem:
    """The sizing problem on a subset of hours, its operating costs scaled to a year.

    Unmet load is allowed (the subset may be infeasible where the year is not), at
    ``unmet_price`` [VND/kWh] if given (unweighted), else the problem's own slack price.
    """
    month, billed = pb.month, pb.billed_months
    if month is not None:
        month = month[hours]
    grid = dataclasses.replace(pb.grid, allow_unmet=True)
    return dataclasses.replace(
        pb, load_kw=pb.load_kw[hours], profiles=pb.profiles[:, hours],
        import_price=pb.import_price[hours], export_price=pb.export_price[hours],
        co2_cost=pb.co2_cost[hours], import_cap_kw=pb.import_cap_kw[hours], month=month,
        export_limit_kw=(None if pb.export_limit_kw is None else pb.export_limit_kw[hours]),
        surplus_hours=(None if pb.surplus_hours is None else pb.surplus_hours[hours]),
        billed_months=billed, grid=grid,
        unmet_price=pb.unmet_price if unmet_price is None else float(unmet_price),
        year_weight=pb.year_weight * pb.hours / len(hours), index=None)


def start_from_days(pb: SizingProblem, time_limit_s=None,
                    unmet_price: float | None = None) -> tuple[np.ndarray, int]:
    """Capacities [kW, kWh] from the representative-day LP, and its simplex iterations."""
    from energy_model.sizing.solve import solve_lp

    sub = build_lp(subproblem(pb, representative_days(pb), unmet_price))
    sol = solve_lp(sub, time_limit_s=time_limit_s)
    return sol.x[capacity_columns(sub)], sol.iterations


def capacities_vector(model: LpModel, capacities: dict) -> np.ndarray:
    """Capacity-column values from a ``capacities`` dict (missing keys: the lower bound)."""
    pb, lay = model.problem, model.layout
    cols = capacity_columns(model)
    x = model.lb[cols].astype(float).copy()
    names = [f"{t.name}_kw" for t in pb.techs]
    if lay.col("e").stop > lay.col("e").start:
        names.append("battery_kwh")
    if lay.col("p").stop > lay.col("p").start:
        names.append("battery_kw")
    for i, key in enumerate(names):
        if key in capacities and capacities[key] is not None:
            x[i] = float(capacities[key])
    return x


# --------------------------------------------------------------------------- master problems

def _small_lp_or_qp(cost, a_rows, rhs, lb, ub, hess_diag=None) -> np.ndarray:
    """Solve ``min cost·v (+ ½ vᵀ diag(h) v)``, ``a_rows·v ≤ rhs``, ``lb ≤ v ≤ ub``."""
    import highspy

    n = len(cost)
    h = new_highs()
    model = highspy.HighsModel()
    lp = model.lp_
    lp.num_col_, lp.num_row_ = n, len(rhs)
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, lb, ub
    lp.row_lower_, lp.row_upper_ = np.full(len(rhs), -np.inf), np.asarray(rhs, float)
    a = np.asarray(a_rows, float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n, len(rhs)
    nz = a != 0
    lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum(nz.sum(axis=1))]).astype(np.int32)
    lp.a_matrix_.index_ = np.nonzero(nz)[1].astype(np.int32)
    lp.a_matrix_.value_ = a[nz]
    if hess_diag is not None:
        hs = model.hessian_
        hs.dim_ = n
        hs.format_ = highspy.HessianFormat.kTriangular
        hs.start_ = np.arange(n + 1, dtype=np.int32)
        hs.index_ = np.arange(n, dtype=np.int32)
        hs.value_ = np.asarray(hess_diag, float)
        # HiGHS' QP solver can cycle on degenerate cuts: bound it (the caller then
        # projects in the infinity norm, an LP)
        h.setOptionValue("qp_iteration_limit", QP_ITERATION_LIMIT)
    h.passModel(model)
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise FastPathFallback(f"a master problem ended with status "
                               f"{h.modelStatusToString(status)!r}")
    return np.asarray(h.getSolution().col_value)


class _Bundle:
    """Cuts ``f(x) ≥ f_k + g_k·(x − x_k)`` in capacity units, and the scaled master problems.

    The masters work in ``z = (x − lo) / span`` on the free capacities, with the objective
    divided by ``f_scale``, so that their coefficients are of order one.
    """

    def __init__(self, lo, span, free, f_scale) -> None:
        self.lo, self.span, self.free, self.f_scale = lo, span, free, f_scale
        self.f, self.g, self.x = [], [], []
        n = int(np.count_nonzero(free))
        self.link_a, self.link_b = np.zeros((0, n)), np.zeros(0)

    def add_link(self, coef: np.ndarray, rhs: float) -> None:
        """Restrict the masters to ``coef·x ≤ rhs`` (capacity units), a set known to hold
        a minimiser (:func:`battery_power_limit`)."""
        a = (coef * self.span)[self.free]
        b = rhs - float(coef @ self.lo)
        scale = max(float(np.abs(a).max()), 1e-12)
        self.link_a = np.vstack([self.link_a, a / scale])
        self.link_b = np.append(self.link_b, b / scale)

    def add(self, f: float, g: np.ndarray, x: np.ndarray) -> None:
        self.f.append(float(f))
        self.g.append(np.asarray(g, float))
        self.x.append(np.asarray(x, float))

    def to_z(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.lo) / self.span)[self.free]

    def to_x(self, z: np.ndarray) -> np.ndarray:
        x = self.lo.copy()
        x[self.free] = self.lo[self.free] + z * self.span[self.free]
        return x

    def rows(self) -> tuple[np.ndarray, np.ndarray]:
        """``A``, ``rhs`` with ``m(z) ≤ t`` ⇔ ``A z − t ≤ rhs`` (scaled)."""
        g, x, f = np.asarray(self.g), np.asarray(self.x), np.asarray(self.f)
        a = (g * self.span)[:, self.free] / self.f_scale
        const = (f + (g * (self.lo - x)).sum(axis=1)) / self.f_scale
        return a, -const

    def lower_bound(self, hi: np.ndarray) -> tuple[float, np.ndarray]:
        """Minimum of the model over ``0 ≤ z ≤ hi`` [VND/yr], and its minimiser ``z``."""
        g, rhs = self.rows()
        n = g.shape[1]
        a = np.vstack([np.hstack([g, -np.ones((len(rhs), 1))]),
                       np.hstack([self.link_a, np.zeros((len(self.link_b), 1))])])
        rhs = np.concatenate([rhs, self.link_b])
        cost = np.zeros(n + 1)
        cost[-1] = 1.0
        v = _small_lp_or_qp(cost, a, rhs, np.append(np.zeros(n), -np.inf), np.append(hi, np.inf))
        return float(v[-1]) * self.f_scale, v[:n]

    def project(self, center: np.ndarray, level: float, hi: np.ndarray,
                lo: np.ndarray | None = None) -> np.ndarray:
        """Euclidean projection of ``center`` on ``{m(z) ≤ level}`` within ``lo ≤ z ≤ hi``
        (``lo`` default 0); :class:`FastPathFallback` if that set is empty."""
        g, rhs = self.rows()
        n = g.shape[1]
        lo = np.zeros(n) if lo is None else lo
        g = np.vstack([g, self.link_a])
        rhs = np.concatenate([rhs + level / self.f_scale, self.link_b])
        try:
            v = _small_lp_or_qp(-center, g, rhs, lo, hi, hess_diag=np.ones(n))
        except FastPathFallback:
            # HiGHS' QP solver occasionally stops with 'Solve error' on badly scaled cuts;
            # project in the infinity norm instead (an LP): min r, |z - center| ≤ r
            eye = np.eye(n)
            a = np.vstack([np.hstack([g, np.zeros((len(rhs), 1))]),
                           np.hstack([eye, -np.ones((n, 1))]),
                           np.hstack([-eye, -np.ones((n, 1))])])
            b = np.concatenate([rhs, center, -center])
            cost = np.zeros(n + 1)
            cost[-1] = 1.0
            v = _small_lp_or_qp(cost, a, b, np.append(lo, 0.0), np.append(hi, np.inf))[:n]
        return np.clip(v, lo, hi)


# --------------------------------------------------------------------------- warm state

@dataclass(frozen=True, eq=False)
class WarmState:
    """What a later solve of a similar problem can reuse (kept in a :class:`SizingResult`).

    Attributes
    ----------
    basis : object
        HiGHS basis of the final dispatch LP (reused when the LP has the same shape).
    fingerprint : str
        Hash of the dispatch LP without the capacities' costs and bounds
        (:func:`dispatch_fingerprint`).
    penalty : float
        Price of the elastic slack the cuts were made with.
    x : numpy.ndarray
        Evaluated capacities, shape (k, n) [kW, kWh].
    q : numpy.ndarray
        Operating cost ``Q(x_k) = f(x_k) − c·x_k`` at each [VND/yr].
    q_grad : numpy.ndarray
        Its subgradients ``g_k − c``, shape (k, n).

    Notes
    -----
    ``Q`` depends only on the dispatch LP, not on the capacities' costs or limits: when
    the fingerprints match (a sweep over capital costs or capacity limits), the old cuts
    ``Q(x) ≥ q_k + q_grad_k·(x − x_k)`` stay valid and the new search starts with them.
    """

    basis: object
    fingerprint: str
    penalty: float
    x: np.ndarray
    q: np.ndarray
    q_grad: np.ndarray

    def __getstate__(self) -> dict:
        # a highspy basis cannot be pickled (results cross process boundaries in
        # run_scenario and sweeps): keep its column and row statuses as integer arrays
        state = dict(self.__dict__)
        state["basis"] = basis_to_arrays(self.basis)
        return state

    def __setstate__(self, state: dict) -> None:
        for key, value in state.items():
            object.__setattr__(self, key, value)


def basis_to_arrays(basis) -> tuple[np.ndarray, np.ndarray] | None:
    """Column and row statuses of a HiGHS basis as integer arrays (picklable)."""
    if basis is None or isinstance(basis, tuple):
        return basis
    return (np.array([int(v) for v in basis.col_status], dtype=np.int8),
            np.array([int(v) for v in basis.row_status], dtype=np.int8))


def basis_from_arrays(basis):
    """A ``highspy.HighsBasis`` from :func:`basis_to_arrays` (or a basis, unchanged)."""
    if not isinstance(basis, tuple):
        return basis
    import highspy

    out = highspy.HighsBasis()
    out.col_status = [highspy.HighsBasisStatus(int(v)) for v in basis[0]]
    out.row_status = [highspy.HighsBasisStatus(int(v)) for v in basis[1]]
    out.valid = True
    return out


def dispatch_fingerprint(model: LpModel) -> str:
    """Hash of everything in the LP but the capacity columns' costs and bounds."""
    import hashlib

    cols = capacity_columns(model)
    keep = np.ones(model.layout.n_cols, dtype=bool)
    keep[cols] = False
    h = hashlib.blake2b(digest_size=16)
    a = model.a
    for arr in (a.indptr, a.indices, a.data, model.row_lo, model.row_hi, model.c[keep],
                model.lb[keep], model.ub[keep], np.asarray(a.shape), cols):
        h.update(np.ascontiguousarray(arr).tobytes())
    h.update(repr(model.problem.grid.allow_unmet).encode())
    return h.hexdigest()


# --------------------------------------------------------------------------- the search

def solve_fast(model: LpModel, *, gap_tol: float = 1e-6, max_outer: int = 200,
               time_limit_s: float | None = None, warm_start: dict | None = None,
               warm: WarmState | None = None) -> FastSolution:
    """Minimise the sizing LP by a level-bundle search over its capacities.

    Parameters
    ----------
    model : LpModel
        From :func:`energy_model.sizing.lp.build_lp`.
    gap_tol : float
        Relative optimality gap at which to stop [-].
    max_outer : int
        Largest number of dispatch evaluations.
    time_limit_s : float, optional
        Wall-clock limit of each HiGHS solve [s].
    warm_start : dict, optional
        Start capacities (``<tech>_kw``, ``battery_kw``, ``battery_kwh``) instead of the
        representative-day LP.
    warm : WarmState, optional
        From a previous result: its basis is reused if the LP has the same shape, its
        cuts if the dispatch LP is the same (:func:`dispatch_fingerprint`).

    Raises
    ------
    FastPathFallback
        Optimality could not be proven (the reason is in the message).
    """
    t0 = time.perf_counter()
    pb = model.problem
    cols = capacity_columns(model)
    lo_all, ub_static = _static_bounds(model, cols)
    free = lo_all < ub_static
    if not free.any():
        raise FastPathFallback("no capacity to size (all are fixed)")
    iterations = 0
    if warm_start is not None:
        x0, start = capacities_vector(model, warm_start), "warm start"
    elif pb.hours >= START_MIN_HOURS:
        try:
            # unmet load in the start LP at the dispatch LP's slack price (per kWh)
            x0, iterations = start_from_days(
                pb, time_limit_s, penalty_price(model) / pb.year_weight)
            start = "representative days"
        except Exception:  # noqa: BLE001 - any failure of the start LP: start at the bounds
            x0, start = lo_all.copy(), "lower bounds"
    else:
        x0, start = lo_all.copy(), "lower bounds"
    x0 = np.clip(x0, lo_all, np.where(np.isfinite(ub_static), ub_static, np.inf))

    fingerprint = dispatch_fingerprint(model)
    reuse = warm is not None and warm.fingerprint == fingerprint and len(warm.q)
    penalty = warm.penalty if reuse else penalty_price(model)
    basis = None if warm is None else warm.basis
    # The battery-pattern instances, the masters' battery limits and the battery-off face
    # (issue 19) cut the 20 % power-cap catalog's sizing CPU by half; with an energy-basis
    # export cap (one dense row) they measured slower (Bạch Đằng 5.8 → 15.7 s), so there
    # the search runs as before.
    patterns = not (pb.export and pb.grid.export_cap_basis == "energy")
    sub = DispatchLp(model, cols, time_limit_s, basis, penalty, patterns=patterns)
    revenue = export_revenue_bound(pb)
    c_cap = model.c[cols]
    f0, g0, s0 = sub.evaluate(x0)
    best = dict(f=f0, x=x0.copy(), slack=s0, sol=sub.solution())
    early = [(f0, g0, x0)]
    grow_to = np.where(np.isfinite(ub_static), ub_static, np.inf)
    for _ in range(START_GROWTH_STEPS):
        if best["slack"] <= 0:
            break
        # the start leaves load unserved (a representative-day battery is too small for
        # the year): grow it until the load is met, so that the box and the first cuts
        # are not set by the slack's steep price
        x1 = best["x"].copy()
        x1[free] = np.minimum(1.5 * x1[free] + 0.02 * float(pb.load_kw.max()), grow_to[free])
        f1, g1, s1 = sub.evaluate(x1)
        early.append((f1, g1, x1))
        if f1 < best["f"]:
            best = dict(f=f1, x=x1, slack=s1, sol=sub.solution())
        else:
            break
    f0 = best["f"]
    hi_all = box_upper(model, cols, ub_static, f0, revenue)
    if not np.all(np.isfinite(hi_all[free])):
        raise FastPathFallback("a capacity has neither a cost nor a finite limit")
    span = np.where(free, np.maximum(hi_all - lo_all, 1e-9), 1.0)
    cuts = _Bundle(lo_all, span, free, max(abs(f0), 1.0))
    for link in ((battery_power_limit(model, cols), battery_energy_limit(model, cols))
                 if patterns else ()):
        if link is not None:
            cuts.add_link(*link)
    if reuse:   # the same dispatch LP: its old cuts on Q, with today's capacity costs
        for x_k, q_k, qg_k in zip(warm.x, warm.q, warm.q_grad):
            cuts.add(q_k + c_cap @ x_k, qg_k + c_cap, x_k)
        start += " + cuts"
    for f_k, g_k, x_k in early:
        cuts.add(f_k, g_k, x_k)
    lower = -np.inf
    outer, polish = len(early), 0
    stalled, polish_best = 0, np.inf
    gap = np.inf
    # Phase 1 (issue 19): the battery held at zero. Its dispatch solves stay in one basis
    # pattern and are cheap; the cuts they give are cuts of f everywhere, but the minimum
    # of the model over this face is no bound of f, so ``lower`` is not updated here.
    # Phase 2 releases the battery with every cut kept, usually from a near-optimal
    # rest: on the catalog, where batteries mostly stay at zero, it saves the many cold
    # solves of points that switch the battery on and off.
    off_face = sub.battery[free]
    off_phase = bool(off_face.any()) and patterns
    best_off = best if not np.any(best["x"][sub.battery] > 0) else None
    while True:
        zhi = np.maximum(cuts.to_z(box_upper(model, cols, ub_static, best["f"], revenue)), 0.0)
        if off_phase:
            zhi_off = np.where(off_face, 0.0, zhi)
            lb_off, z_kelley = cuts.lower_bound(zhi_off)
            ref = best if best_off is None else best_off
            gap_off = (ref["f"] - lb_off) / max(abs(ref["f"]), 1.0)
            # done when the face is solved, or cannot beat the best point (e.g. one
            # with a battery, from a warm start)
            if ((best_off is not None and gap_off <= gap_tol) or outer >= max_outer // 2
                    or lb_off >= best["f"] - gap_tol * max(abs(best["f"]), 1.0)):
                off_phase = False
        if off_phase:
            gap_now, zhi_now = gap_off, zhi_off
            level = lb_off + LEVEL_LAMBDA * (ref["f"] - lb_off)
        else:
            lb_val, z_kelley = cuts.lower_bound(zhi)
            lower = max(lower, lb_val)
            gap = (best["f"] - lower) / max(abs(best["f"]), 1.0)
            if gap <= gap_tol * POLISH_FACTOR or (gap <= gap_tol and polish >= POLISH_STEPS):
                break
            if gap <= gap_tol:
                polish += 1
                stalled = stalled + 1 if best["f"] >= polish_best else 0
                polish_best = min(polish_best, best["f"])
                if stalled > POLISH_STALL and patterns:
                    break
            if outer >= max_outer and gap <= gap_tol:
                break
            if outer >= max_outer:
                raise FastPathFallback(f"no proven gap ≤ {gap_tol:g} after {outer} dispatch "
                                       f"solves (gap {gap:.2e})")
            ref, gap_now, zhi_now = best, gap, zhi
            level = lower + LEVEL_LAMBDA * (best["f"] - lower)
        zc = np.clip(cuts.to_z(ref["x"]), 0.0, zhi_now)
        r = np.maximum(TRUST_SHARE * zc, TRUST_MIN)
        try:    # first within a trust box around the best point, else anywhere
            z = cuts.project(zc, level, np.minimum(zhi_now, zc + r), np.maximum(zc - r, 0.0))
        except FastPathFallback:
            try:
                z = cuts.project(zc, level, zhi_now)
            except FastPathFallback:
                if not off_phase:
                    raise
                off_phase = False    # the face's level set is empty: release the battery
                continue
        candidates = [z]
        if gap_now < KELLEY_GAP:
            candidates.append(np.clip(z_kelley, 0.0, zhi_now))
        for zz in candidates:
            x = cuts.to_x(zz)
            # a battery at the masters' round-off (1e-9 of its range) is no battery
            noise = sub.battery & (x - lo_all < 1e-9 * span) & patterns
            x[noise] = lo_all[noise]
            f, g, s = sub.evaluate(x)
            outer += 1
            cuts.add(f, g, x)
            if f < best["f"]:
                best = dict(f=f, x=x, slack=s, sol=sub.solution())
            if not np.any(x[sub.battery] > 0) and (best_off is None or f < best_off["f"]):
                best_off = dict(f=f, x=x)
    tol = 1e-9 * max(float(pb.load_kw.max()), 1.0) * pb.hours
    if best["slack"] > tol:
        raise FastPathFallback(f"the elastic slack is still in use at the optimum "
                               f"({best['slack']:.3g}): infeasible, or its price too low")
    x, row = best["sol"]
    xs, fs, gs = np.asarray(cuts.x), np.asarray(cuts.f), np.asarray(cuts.g)
    state = WarmState(basis=sub.h.getBasis(), fingerprint=fingerprint, penalty=penalty, x=xs,
                      q=fs - xs @ c_cap, q_grad=gs - c_cap)
    return FastSolution(x=x, row_activity=row, objective=best["f"], lower_bound=lower,
                        gap=max(gap, 0.0), outer_iterations=outer,
                        iterations=iterations + sub.iterations,
                        solve_s=time.perf_counter() - t0, warm_state=state, start=start)
