"""The dispatch LP of the fast path (:mod:`energy_model.sizing.decomposition`): the sizing
LP in one HiGHS instance with its capacities fixed by column bounds, the capacity bounds
and battery links, the battery-pattern instances, and the picklable warm state."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from energy_model.sizing.inputs import SizingProblem
from energy_model.sizing.lp import LpModel
from energy_model.sizing.solve import new_highs, pass_model

#: A warm dispatch re-solve is stopped after this share of the first (cold) solve's
#: simplex iterations, at least WARM_MIN_ITERATIONS, and solved cold with presolve instead.
WARM_ITERATION_SHARE = 0.5
WARM_MIN_ITERATIONS = 2000
#: (An iteration budget, not a time budget: results must not depend on the machine's
#: load, run to run they are byte-identical.)
#: HiGHS' ``simplex_dual_edge_weight_strategy`` value of devex pricing.
DEVEX = 1


class FastPathFallback(Exception):
    """The fast path cannot prove optimality here; ``reason`` says why (not a user error)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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
        # Devex pricing instead of HiGHS' default dual steepest edge (issue 19): the warm
        # re-solves move a few capacity bounds, and exact edge weights cost more than they
        # save. Measured (CPU, load ≈ 2-3, alternating runs): the catalog's 30 sizing
        # problems 40.0 / 40.0 s → 33.5 / 34.9 s; the frontier's 14 evaluations with a
        # renewable-share row (one row over every hour, which makes every basis solve
        # dense) 6.6 → 4.2 s. A sparse chain of partial sums instead of that row: 11.3 s.
        h.setOptionValue("simplex_dual_edge_weight_strategy", DEVEX)
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
