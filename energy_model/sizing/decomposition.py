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

import time
from dataclasses import dataclass

import numpy as np

# The fast path's parts, re-exported here under their old module path:
# dispatch_lp (the HiGHS dispatch LP, bounds, battery patterns, warm state), start
# (representative-day start LP) and master (the level-bundle master problems).
from energy_model.sizing.dispatch_lp import (WARM_ITERATION_SHARE, WARM_MIN_ITERATIONS,
                                             DispatchLp, FastPathFallback, WarmState,
                                             _battery_power_link, _static_bounds,
                                             basis_from_arrays, basis_to_arrays,
                                             battery_energy_limit, battery_power_limit,
                                             box_upper, capacity_columns,
                                             dispatch_fingerprint, export_revenue_bound,
                                             penalty_price)
from energy_model.sizing.lp import LpModel
from energy_model.sizing.master import QP_ITERATION_LIMIT, _Bundle, _small_lp_or_qp
from energy_model.sizing.start import (START_DAYS, capacities_vector, representative_days,
                                       start_from_days, subproblem)

__all__ = ["DispatchLp", "FastPathFallback", "FastSolution", "WarmState", "basis_from_arrays",
           "basis_to_arrays", "battery_energy_limit", "battery_power_limit", "box_upper",
           "capacities_vector", "capacity_columns", "dispatch_fingerprint",
           "export_revenue_bound", "penalty_price", "representative_days", "solve_fast",
           "start_from_days", "subproblem", "KELLEY_GAP", "LEVEL_LAMBDA", "POLISH_FACTOR",
           "POLISH_STALL", "POLISH_STEPS", "QP_ITERATION_LIMIT", "START_DAYS",
           "START_GROWTH_STEPS", "START_MIN_HOURS", "TRUST_MIN", "TRUST_SHARE",
           "WARM_ITERATION_SHARE", "WARM_MIN_ITERATIONS", "_Bundle", "_battery_power_link",
           "_small_lp_or_qp", "_static_bounds"]

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
#: Trust box of a step in scaled capacities: ± max(TRUST_SHARE × z_best, TRUST_MIN); a
#: step leaves it only when the level set does not meet it. Early on the lower bound is
#: poor and a free step jumps far (into unserved load), wasting solves.
TRUST_SHARE = 0.5
TRUST_MIN = 0.05
#: Largest number of growth steps of a start point that leaves load unserved.
START_GROWTH_STEPS = 4
#: Shortest horizon on which the representative-day start is used [h]; shorter horizons
#: start from the lower capacity bounds.
START_MIN_HOURS = 24 * 48


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
    x0, start, iterations = _start_point(model, lo_all, ub_static, time_limit_s, warm_start)

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
    best, early = _grown_start(sub, x0, free, ub_static, pb)
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
    best, lower, gap, outer = _search(sub, cuts, best, len(early), cols, ub_static,
                                      revenue, lo_all, span, free, gap_tol, max_outer)
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


def _start_point(model: LpModel, lo_all: np.ndarray, ub_static: np.ndarray, time_limit_s,
                 warm_start: dict | None) -> tuple[np.ndarray, str, int]:
    """Start capacities within the static bounds, how they were found, and the simplex
    iterations of the start LP."""
    pb = model.problem
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
    return x0, start, iterations


def _grown_start(sub: DispatchLp, x0: np.ndarray, free: np.ndarray, ub_static: np.ndarray,
                 pb) -> tuple[dict, list]:
    """The best point of the start and its growth steps, and every evaluation (for cuts)."""
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
    return best, early


def _search(sub: DispatchLp, cuts: _Bundle, best: dict, outer: int, cols: np.ndarray,
            ub_static: np.ndarray, revenue: float, lo_all: np.ndarray, span: np.ndarray, free: np.ndarray,
            gap_tol: float, max_outer: int) -> tuple[dict, float, float, int]:
    """The level-bundle iterations: the best point, the proven lower bound, the gap and
    the number of dispatch evaluations."""
    model, patterns = sub.model, sub.patterns
    lower = -np.inf
    polish = 0
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
        z = _level_step(cuts, ref["x"], level, zhi_now, off_phase)
        if z is None:
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
    return best, lower, gap, outer


def _level_step(cuts: _Bundle, ref_x: np.ndarray, level: float, zhi_now: np.ndarray,
                off_phase: bool) -> np.ndarray | None:
    """The projection onto the level set, first within a trust box around the best point,
    else anywhere; ``None`` when the battery-off face's level set is empty."""
    zc = np.clip(cuts.to_z(ref_x), 0.0, zhi_now)
    r = np.maximum(TRUST_SHARE * zc, TRUST_MIN)
    try:    # first within a trust box around the best point, else anywhere
        return cuts.project(zc, level, np.minimum(zhi_now, zc + r), np.maximum(zc - r, 0.0))
    except FastPathFallback:
        try:
            return cuts.project(zc, level, zhi_now)
        except FastPathFallback:
            if not off_phase:
                raise
            return None
