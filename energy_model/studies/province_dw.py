"""The exact decomposition behind :mod:`energy_model.studies.province`: Dantzig–Wolfe column
generation over the cap on the units' summed hourly import, with a proven gap.

* **Pricing.** Each unit (a park or a KKT class meter) is its own sizing LP, solved through
  the pipeline's per-park API (:func:`energy_model.pipeline.solve`) with the coupling rows'
  prices added to its hourly import price
  (``Changes(import_price_adder=λ / year_weight)``), warm-started from the unit's previous
  column (its capacities and HiGHS basis). Its proven lower bound
  (``objective − gap·|objective|``) enters the Lagrangian bound. The fast path's gap of a
  round is ``gap / 50`` of the point's current gap (at most 1e-3, at least
  ``gap_tol / 20``): loose early rounds still give proven (weaker) bounds, and the rounds
  that prove the point are priced to ``gap_tol / 20``, 5 % of the tolerance.
* **Master.** :class:`energy_model.sizing.coupled.CouplingMaster`: convex combinations of
  each unit's columns; feasible by convexity of every unit's LP. Row generation: it carries
  only the coupling rows of hours that have been violated or near-binding (within
  :data:`ROW_MARGIN` of ``P0``); after each solve the combination is checked on every window
  hour and the worst violated ones enter, until it is feasible on all of them. The other
  hours' prices are 0, so every bound stays proven.
* **Seeds.** When the master's columns cannot reach the target, a basic master prices one
  binding hour at a time, and column generation would find the hours to cut one by one
  (about 55 rounds on the 3-park test case). Instead the units are first priced at a
  uniform price over every hour that must be cut, at :data:`SEED_LEVELS` × ``V``.
* **Bounds.** Upper bound: the master's objective; lower bound:
  :func:`energy_model.sizing.coupled.lagrangian_bound` at the best prices seen (the
  stability centre). Stop at ``(UB − LB) / UB ≤ gap_tol``.
* **Price search** (``search``). ``bundle`` (the default): a proximal bundle method on
  the hourly prices (:func:`energy_model.sizing.coupled.proximal_prices`): the next prices
  maximise the columns' cutting-plane model of the Lagrangian dual minus
  ``‖λ − centre‖² / (2t)``, a small convex QP in HiGHS; the centre is the best bound's
  prices; ``t`` starts at the distance to the master's duals over the subgradient's norm,
  doubles after a round that gains half of what the model predicted and shrinks by
  :data:`NULL_SHRINK` after one that gains nothing. ``smoothing``: Wentges smoothing,
  ``α·centre + (1 − α)·master duals``, ``α`` set automatically (Pessoa et al. 2018,
  :func:`_auto_alpha`); after a round that finds no column of negative reduced cost at the
  master's duals, the next round uses the master's duals alone. Measured on the 3-park ×
  2-week case (gap 1e-8): 59 rounds with the bundle, 165 with smoothing.
* **Workers.** The units of a round are priced in parallel: in-process, on a local
  spawn-context process pool that holds every unit's inputs (sent once), or on a
  dask.distributed cluster (``scheduler``), as the sweeps do.
"""

from __future__ import annotations

import dataclasses
import multiprocessing as mp
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from energy_model.errors import EnergyModelError, UsageError
from energy_model.pipeline import Changes, ParkInputs, solve
from energy_model.sizing.coupled import (CouplingMaster, MasterSolution, lagrangian_bound,
                                         proximal_prices)
from energy_model.sizing.inputs import year_weight_for

#: Start of the Wentges smoothing weight of the stability centre [-] (then automatic).
SMOOTHING = 0.5
#: Price search of column generation: ``bundle`` (proximal) or ``smoothing`` (Wentges).
SEARCHES = ("bundle", "smoothing")
#: At most this many hours' prices in the proximal bundle QP [-] (HiGHS' active-set QP
#: took minutes with a seed's 2,190 on the catalog).
QP_MAX_HOURS = 400
SEARCH = "bundle"
#: Proximal bundle: the step ``t`` is multiplied by NULL_SHRINK after a round that does
#: not raise the bound, and doubled after one that gains half the model's prediction.
NULL_SHRINK = 0.8
#: Most pricing rounds for one point of the curve.
MAX_ROUNDS = 400
#: Seed rounds: totals of the uniform price over the hours to cut, × the value of relief,
#: for a target (the marginal cost of relief is a small part of ``VALUE_MAX``) and for a
#: trade-off (``R`` up to ``P0``: at an optimum with ``0 < R < P0`` the prices sum to the
#: value, and below it the bound loses ``P0·(V − Σλ)``).
SEED_LEVELS = (0.03, 0.1, 0.3)
TRADE_OFF_SEED_LEVELS = (1.0,)
#: Row generation: an hour's coupling row enters the master once the combination's summed
#: import plus the relief comes within this fraction of ``P0`` of the cap [-].
ROW_MARGIN = 1e-3


@dataclass(frozen=True, eq=False)
class Column:
    """One design of one unit, from a pricing solve.

    Attributes
    ----------
    unit : str
    cost : float
        Annualised cost without the price adder [VND/yr].
    lower : float
        Proven lower bound of the pricing optimum (with the adder) [VND/yr].
    imports_kw : numpy.ndarray
        Hourly import over the whole horizon [kW].
    capacities : dict of str to float
        ``<technology>_kw``, ``battery_kwh``, ``battery_kw`` [kW, kWh].
    warm : object
        The slim sizing result a later pricing solve of the unit starts from.
    solve_s : float
    path : str
        Sizing path of the pricing solve (``fast`` / ``monolithic``).
    """

    unit: str
    cost: float
    lower: float
    imports_kw: np.ndarray
    capacities: dict
    warm: object
    solve_s: float
    path: str


def price_unit(name: str, inputs: ParkInputs, prices: np.ndarray | None, warm,
               gap_tol: float, method: str = "auto") -> Column:
    """Solve one unit's LP with the hourly prices ``λ`` added to its import cost.

    Parameters
    ----------
    name : str
    inputs : ParkInputs
    prices : numpy.ndarray or None
        ``λ_t`` over the whole horizon [VND/yr per kW] (zero outside the window); None: no
        adder (the unit sized alone).
    warm : SizingResult or None
        The unit's previous (slim) result.
    gap_tol : float
        Relative gap of the fast path [-].
    method : str
        Sizing path (``auto``, ``fast``, ``monolithic``).

    Returns
    -------
    Column
    """
    t0 = time.perf_counter()
    w = year_weight_for(len(inputs.load_kw))
    changes = None if prices is None else Changes(import_price_adder=np.asarray(prices) / w)
    res = solve(inputs, changes=changes, warm_start=warm, gap_tol=gap_tol, method=method)
    imp = res.dispatch["grid_import_kw"].to_numpy(dtype=float)
    extra = 0.0 if prices is None else float(np.asarray(prices) @ imp)
    slim = dataclasses.replace(res, dispatch=res.dispatch.iloc[:0])
    lower = res.objective - max(res.gap, 0.0) * max(abs(res.objective), 1.0)
    return Column(unit=name, cost=res.objective - extra, lower=lower, imports_kw=imp,
                  capacities=dict(res.capacities), warm=slim,
                  solve_s=time.perf_counter() - t0, path=res.path)


# --------------------------------------------------------------------------- workers

_UNITS: dict[str, ParkInputs] = {}


def _init_worker(units: dict[str, ParkInputs]) -> None:
    _UNITS.clear()
    _UNITS.update(units)


def _price_task(task: tuple) -> Column:
    name, prices, warm, gap_tol, method = task
    return price_unit(name, _UNITS[name], prices, warm, gap_tol, method)


def _price_remote(inputs: ParkInputs, task: tuple) -> Column:
    name, prices, warm, gap_tol, method = task
    return price_unit(name, inputs, prices, warm, gap_tol, method)


class Pricer:
    """Prices a round of units: in-process (``workers=1``), on a local process pool, or on
    a dask.distributed cluster. Use as a context manager.

    Parameters
    ----------
    units : dict of str to ParkInputs
    workers : int
    scheduler : str, optional
        ``tcp://HOST:PORT`` of a dask.distributed scheduler.
    """

    def __init__(self, units: dict[str, ParkInputs], workers: int = 1,
                 scheduler: str | None = None) -> None:
        self.units, self.workers, self.scheduler = units, max(1, workers), scheduler
        self.pool = self.client = None
        self.remote: dict = {}

    def __enter__(self) -> Pricer:
        if self.scheduler:
            self.client = _dask_client(self.scheduler)
            self.remote = {k: self.client.scatter(v, broadcast=True)
                           for k, v in self.units.items()}
        elif self.workers > 1:
            self.pool = ProcessPoolExecutor(max_workers=min(self.workers, len(self.units)),
                                            mp_context=mp.get_context("spawn"),
                                            initializer=_init_worker, initargs=(self.units,))
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        if self.client is not None:
            self.client.close()

    def run(self, tasks: list[tuple]) -> list[Column]:
        """Price every task ``(name, prices, warm, gap_tol, method)``; results in order."""
        if self.client is not None:
            futures = [self.client.submit(_price_remote, self.remote[t[0]], t, pure=False)
                       for t in tasks]
            return self.client.gather(futures)
        if self.pool is not None:
            return list(self.pool.map(_price_task, tasks))
        return [price_unit(t[0], self.units[t[0]], *t[1:]) for t in tasks]


def _dask_client(scheduler: str):
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - dask[distributed] is a dependency
        raise UsageError("--scheduler needs dask.distributed "
                         "(pip install 'dask[distributed]')") from exc
    try:
        return Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"--scheduler {scheduler}: cannot reach the Dask scheduler "
                         f"({exc})") from None


# --------------------------------------------------------------------------- column generation

@dataclass
class Pool:
    """Every unit's columns, reused across the points of a curve (the units' feasible sets
    do not depend on the target), the master over them, and every priced round
    ``(prices, Σ pricing lower bounds)``: its Lagrangian bound holds at every target, so a
    point starts from the best of them."""

    names: list[str]
    window: np.ndarray
    peak_kw: float
    hours: int
    columns: list = dataclasses.field(default_factory=list)
    master: CouplingMaster | None = None
    warm: dict = dataclasses.field(default_factory=dict)
    evaluated: list = dataclasses.field(default_factory=list)

    def __post_init__(self) -> None:
        self.columns = [[] for _ in self.names]
        self.master = CouplingMaster(len(self.names), len(self.window), self.peak_kw)

    def add(self, col: Column) -> None:
        k = self.names.index(col.unit)
        self.columns[k].append(col)
        self.master.add_column(k, col.cost, col.imports_kw[self.window])
        self.warm[col.unit] = col.warm

    def full_prices(self, prices: np.ndarray) -> np.ndarray:
        out = np.zeros(self.hours)
        out[self.window] = prices
        return out


@dataclass(frozen=True, eq=False)
class Point:
    """The coordinated optimum at one relief target (or value).

    Attributes
    ----------
    master : MasterSolution
        Final master: cost, relief, weights, hourly prices [VND/yr per kW].
    centre : tuple
        ``(prices, Σ pricing lower bounds)`` of the best bound (start of the next point).
    lower : float
        Proven lower bound of the objective [VND/yr].
    gap : float
        ``(UB − LB) / max(|cost|, 1)`` [-].
    rounds, pricing_solves : int
    wall_s : float
    rows : int
        Coupling rows the master carries at the end (row generation) [-].
    master_s : float
        Wall time in the master's solves [s].
    """

    master: MasterSolution
    centre: tuple
    lower: float
    gap: float
    rounds: int
    pricing_solves: int
    wall_s: float
    rows: int = 0
    master_s: float = 0.0


def _auto_alpha(alpha: float, cols: list, pool: Pool, prices: np.ndarray,
                direction: np.ndarray, value: float, relief_hi_kw: float,
                relief_lo_kw: float) -> float:
    """Automatic smoothing (Pessoa et al. 2018): the subgradient of the Lagrangian dual at
    the smoothed prices, ``g_t = Σ_k imp_k[t] + R − P0``; if it points towards the
    master's duals (``g·(λ_master − λ_centre) > 0``) the step was too short, so ``α``
    falls by 0.1; otherwise it rises by a tenth of the way to 1.

    Returns
    -------
    float
        The next ``α`` in [0, 0.99] [-].
    """
    g = _subgradient(cols, pool, prices, value, relief_hi_kw, relief_lo_kw)
    if float(g @ direction) > 0:
        return max(alpha - 0.1, 0.0)
    return min(alpha + 0.1 * (1 - alpha), 0.99)


def _seed(pool: Pool, pricer: Pricer, value: float, relief_hi_kw: float,
          relief_lo_kw: float, ptol: float, method: str, margin: float) -> list[tuple]:
    """Seed rounds before column generation when the master cannot reach the target.

    A basic master prices one binding hour at a time, so column generation would find the
    hours to cut one by one. Instead every unit is priced at a uniform price on every hour
    ``S`` where the master's combination plus the target exceeds the cap, at totals
    ``Σλ`` of :data:`SEED_LEVELS` (a trade-off: :data:`TRADE_OFF_SEED_LEVELS`) × the value
    of relief ``V``; the columns enter the
    pool and each level's Lagrangian bound may become the stability centre.

    Returns
    -------
    list of tuple
        ``(prices, Σ pricing lower bounds)`` of each seed round.
    """
    sol = pool.master.solve_feasible(margin)
    if sol.relief_kw >= relief_hi_kw * (1 - 1e-9) or value <= 0:
        return []
    hours = np.flatnonzero(sol.imports_kw + relief_hi_kw > pool.peak_kw - margin)
    out = []
    for level in TRADE_OFF_SEED_LEVELS if relief_hi_kw >= pool.peak_kw else SEED_LEVELS:
        prices = np.zeros(len(pool.window))
        prices[hours] = level * value / max(len(hours), 1)
        cols = pricer.run([(n, pool.full_prices(prices), pool.warm.get(n), ptol, method)
                           for n in pool.names])
        for c in cols:
            pool.add(c)
        out.append((prices, sum(c.lower for c in cols)))
    return out


def _next_prices(search: str, state: dict, sol: MasterSolution, pool: Pool) -> tuple:
    """Prices of the next round and the model's prediction there [VND/yr] (nan: none).

    ``smoothing``: Wentges, ``α·centre + (1 − α)·master duals``. ``bundle``: the proximal
    bundle step (:func:`energy_model.sizing.coupled.proximal_prices`) over the hours the
    master carries and those priced at the centre (only the master's if that makes more
    than :data:`QP_MAX_HOURS`: the QP's time grows with them), with the step ``t``.
    """
    centre = state["centre"]
    if centre is None:
        return sol.prices, np.nan
    if search == "smoothing":
        step = state["alpha"] if state["improving_last"] else 0.0
        return step * centre + (1 - step) * sol.prices, np.nan
    hours = np.union1d(np.asarray(pool.master.active, dtype=int), np.flatnonzero(centre > 0))
    if len(hours) > QP_MAX_HOURS:     # the centre off the master's hours counts as 0
        hours = np.asarray(pool.master.active, dtype=int)
    if state["t"] is None:     # first step: as far as the master's duals, along g
        g = state.get("g")
        dist = float(np.linalg.norm((sol.prices - centre)[hours])) * 1e-6
        norm = float(np.linalg.norm(g[hours])) / 1e3 if g is not None else 0.0
        state["t"] = dist / norm if dist > 0 and norm > 0 else 1e-3
    try:
        return proximal_prices(pool.master, centre, state["t"], hours)
    except EnergyModelError:   # the QP failed: half way to the master's duals instead
        return 0.5 * (centre + sol.prices), np.nan


def _subgradient(cols: list, pool: Pool, prices: np.ndarray, value: float,
                 relief_hi_kw: float, relief_lo_kw: float) -> np.ndarray:
    """``g_t = Σ_k imp_k[t] + R − P0`` of the Lagrangian dual at ``prices`` [kW]."""
    relief = relief_lo_kw if float(np.sum(prices)) - value >= 0 else relief_hi_kw
    return sum(c.imports_kw[pool.window] for c in cols) + relief - pool.peak_kw


def _best_of(state: dict, rounds: list, peak_kw: float, bounds: tuple) -> None:
    """Make the best Lagrangian bound of ``rounds`` ``(prices, Σ pricing lower bounds)``
    at this point's target the stability centre, if it beats the current one."""
    for prices, z in rounds:
        lb = lagrangian_bound(z, prices, peak_kw, *bounds)
        if lb > state["best_lb"]:
            state.update(best_lb=lb, centre=prices, best_z=z, g=None)


def _update(search: str, state: dict, lb: float, predicted: float, cols, pool, prices,
            sol, bounds) -> None:
    """Move the centre and adapt the smoothing weight or the bundle step."""
    best = state["best_lb"]
    if search == "smoothing":
        if np.isfinite(best) and state["centre"] is not None and state["alpha"] > 0:
            state["alpha"] = _auto_alpha(state["alpha"], cols, pool, prices,
                                         sol.prices - state["centre"], *bounds)
    elif np.isfinite(best) and np.isfinite(predicted) and state["t"] is not None:
        ratio = (lb - best) / max(predicted - best, 1e-12 * max(abs(best), 1.0))
        if lb <= best:
            state["t"] *= NULL_SHRINK          # null step: a shorter step
        elif ratio >= 0.5:
            state["t"] *= 2.0                  # serious step that the model predicted well
    if lb > best:
        state["best_lb"], state["centre"], state["best_z"] = lb, prices, state["z"]
        state["g"] = _subgradient(cols, pool, prices, *bounds)


def coordinate(pool: Pool, pricer: Pricer, *, value: float, relief_hi_kw: float,
               relief_lo_kw: float = 0.0, gap_tol: float = 1e-4,
               pricing_gap_tol: float | None = None, method: str = "auto",
               max_rounds: int = MAX_ROUNDS, centre: tuple | None = None,
               time_limit_s: float | None = None, search: str = SEARCH, log=None) -> Point:
    """Column generation until the proven relative gap is at most ``gap_tol``.

    Parameters
    ----------
    pool : Pool
        Columns so far (at least one per unit) and the master.
    pricer : Pricer
    value : float
        Value of relief ``V`` [VND/yr per kW] (0 with a fixed target).
    relief_hi_kw, relief_lo_kw : float
        Bounds of the relief ``R`` [kW] (equal for a target).
    gap_tol : float
        Relative gap at which to stop [-].
    pricing_gap_tol : float, optional
        Fast-path gap of each pricing solve (default ``gap_tol / 20``).
    centre : tuple, optional
        ``(prices, Σ pricing lower bounds at them)``, added to the pool's priced rounds; the
        point starts from the one of them whose bound is best at this target.
    time_limit_s : float, optional
        Wall-clock budget of the point [s].
    search : str
        Price search: ``bundle`` (proximal bundle) or ``smoothing`` (Wentges).
    log : callable, optional
        Called with a one-line progress message per round.

    Returns
    -------
    Point

    Notes
    -----
    After ``max_rounds`` rounds or past ``time_limit_s`` the point is returned with the gap
    it has proven (``Point.gap`` above ``gap_tol``: the caller reports it).
    """
    if search not in SEARCHES:
        raise ValueError(f"search {search!r}: expected one of {', '.join(SEARCHES)}")
    t0 = time.perf_counter()
    deadline = t0 + (np.inf if time_limit_s is None else time_limit_s)
    ptol = gap_tol / 20 if pricing_gap_tol is None else pricing_gap_tol
    pool.master.set_relief(value, relief_hi_kw, relief_lo_kw)
    bounds = (value, relief_hi_kw, relief_lo_kw)
    margin, master_s, solves, gap = ROW_MARGIN * pool.peak_kw, 0.0, 0, np.inf
    state = dict(best_lb=-np.inf, centre=None, best_z=np.nan, z=np.nan, alpha=SMOOTHING,
                 improving_last=True, t=None, g=None)
    if centre is not None:
        pool.evaluated.append((np.asarray(centre[0], float), centre[1]))
    _best_of(state, pool.evaluated, pool.peak_kw, bounds)   # the earlier rounds' bounds
    seeded = _seed(pool, pricer, value, relief_hi_kw, relief_lo_kw, ptol, method, margin)
    solves += len(seeded) * len(pool.names)
    pool.evaluated += seeded
    _best_of(state, seeded, pool.peak_kw, bounds)
    for rounds in range(1, max_rounds + 1):
        tm = time.perf_counter()
        sol = pool.master.solve_feasible(margin)
        prices, predicted = _next_prices(search, state, sol, pool)
        master_s += time.perf_counter() - tm
        # pricing gap: loose while the point's gap is large (its bound stays proven)
        tol = min(max(ptol, gap / 50), 1e-3) if np.isfinite(gap) else ptol
        tp = time.perf_counter()
        cols = pricer.run([(n, pool.full_prices(prices), pool.warm.get(n), tol, method)
                           for n in pool.names])
        tp, solves = time.perf_counter() - tp, solves + len(cols)
        state["z"] = z = sum(c.lower for c in cols)
        pool.evaluated.append((prices, z))
        lb = lagrangian_bound(z, prices, pool.peak_kw, *bounds)
        _update(search, state, lb, predicted, cols, pool, prices, sol, bounds)
        improving = sum(pool.master.reduced_cost(k, c.cost, c.imports_kw[pool.window], sol)
                        < -1e-9 * max(abs(sol.objective), 1.0) for k, c in enumerate(cols))
        for c in cols:
            pool.add(c)
        gap = (sol.objective - state["best_lb"]) / max(abs(sol.cost), 1.0)
        if log:
            log(f"round {rounds}: UB {sol.objective / 1e9:,.4f} LB {state['best_lb'] / 1e9:,.4f} "
                f"bn VND/yr, gap {gap:.2e}, relief {sol.relief_kw / 1e3:,.2f} MW, "
                f"{improving} improving column(s), {len(pool.master.active)} rows, "
                f"master {master_s:.1f} s, pricing {tp:.1f} s (solves "
                f"{sum(c.solve_s for c in cols):.1f} s)")
        if gap <= gap_tol or time.perf_counter() > deadline:
            break
        state["improving_last"] = improving > 0
    final = pool.master.solve_feasible(margin)
    gap = max((final.objective - state["best_lb"]) / max(abs(final.cost), 1.0), 0.0)
    return Point(master=final, centre=(state["centre"], state["best_z"]),
                 lower=state["best_lb"], gap=gap, rounds=rounds, pricing_solves=solves,
                 wall_s=time.perf_counter() - t0, rows=len(pool.master.active),
                 master_s=master_s)
