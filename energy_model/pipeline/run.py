"""Run a scenario in memory (:func:`run_scenario`): weather, then every park through
:func:`~energy_model.pipeline.assemble`, :func:`~energy_model.pipeline.solve` and
:func:`~energy_model.pipeline.evaluate` (in worker processes when asked), then the
PROVINCE row, the grid pressure (:func:`~energy_model.pipeline.grid.grid_pressure`) and
the run's invariants."""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from energy_model.errors import InfeasibleError
from energy_model.invariants import check_run
from energy_model.pipeline.assemble import assemble
from energy_model.pipeline.evaluate import evaluate, province_row
from energy_model.pipeline.grid import grid_pressure
from energy_model.pipeline.meters import combine_meters, meter_inputs, meters_apply
from energy_model.pipeline.solve import solve
from energy_model.pipeline.types import ParkResult, ScenarioResult
from energy_model.pipeline.weather import park_weather_key, scenario_weather, wind_resource_table
from energy_model.pipeline.references import load_scenario
from energy_model.scenario import Park, Scenario, layer_files


def located_infeasible(scenario: Scenario, park: Park, exc: InfeasibleError,
                       meter: str | None = None) -> InfeasibleError:
    """The LP's infeasibility, located at the scenario file and park (and KKT class meter),
    in scenario words."""
    files = layer_files(scenario)
    where = f"{files[-1]}: " if files else ""
    i = next(k for k, p in enumerate(scenario.parks) if p.id == park.id)
    msg = str(exc).replace("set Grid(allow_unmet=True)",
                           "set 'sizing: {allow_unmet: true}' in the scenario")
    what = f"park {park.id!r}" + (f", class meter {meter!r}" if meter else "")
    return InfeasibleError(f"{where}parks[{i}].grid ({what}): {msg}",
                           file=str(files[-1]) if files else None)


def park_task(scenario: Scenario, park_id: str, weather: pd.DataFrame
              ) -> tuple[ParkResult, dict[str, float]]:
    """Assemble, solve and evaluate one park (runs in a worker process); a KKT under
    ``kkt_metering: class_meters`` is solved and evaluated per class meter and summed
    (:mod:`~energy_model.pipeline.meters`).

    Returns
    -------
    result : ParkResult
    stage : dict of str to float
        CPU time of each stage [s].
    """
    park = scenario.park(park_id)
    stage = {"generation+load": 0.0, "sizing": 0.0, "economics": 0.0}
    t = time.perf_counter()
    inputs = assemble(scenario, park, weather)
    parts = meter_inputs(scenario, inputs) if meters_apply(scenario, park) else {None: inputs}
    stage["generation+load"] = time.perf_counter() - t
    done = {}
    for meter, part in parts.items():
        t = time.perf_counter()
        try:
            sizing = solve(part, method=scenario.sizing.method)
        except InfeasibleError as exc:
            raise located_infeasible(scenario, park, exc, meter) from exc
        stage["sizing"] += time.perf_counter() - t
        t = time.perf_counter()
        done[meter] = evaluate(scenario, part, sizing)
        stage["economics"] += time.perf_counter() - t
    if None in done:
        return done[None], stage
    t = time.perf_counter()
    result = combine_meters(scenario, inputs, done)
    stage["economics"] += time.perf_counter() - t
    return result, stage


def default_workers(n_tasks: int) -> int:
    """Worker processes for ``n_tasks`` parks: one per core, at most one per park."""
    return max(1, min(os.cpu_count() or 1, n_tasks))


@contextlib.contextmanager
def process_pool(executor: Executor | None, workers: int):
    """``executor`` itself (its owner shuts it down), or a spawn pool of ``workers``
    processes shut down on exit."""
    if executor is not None:
        yield executor
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn")) as pool:
        yield pool


def _run_parks(scenario: Scenario, tasks: dict[str, pd.DataFrame], workers: int, bar,
               on_park, executor: Executor | None = None
               ) -> dict[str, tuple[ParkResult, dict]]:
    done: dict[str, tuple[ParkResult, dict]] = {}

    def finished(pid: str) -> None:
        if bar:
            bar.update()
        if on_park:
            on_park(pid)

    if executor is None and workers == 1:
        for pid, weather in tasks.items():
            done[pid] = park_task(scenario, pid, weather)
            finished(pid)
        return done
    with process_pool(executor, workers) as pool:
        # the parks sized per class meter (several LPs each) first: the last tasks then are
        # short, and no core waits on a long one at the end (the order changes nothing else)
        order = sorted(tasks, key=lambda pid: not meters_apply(scenario, scenario.park(pid)))
        futures = {pool.submit(park_task, scenario, pid, tasks[pid]): pid for pid in order}
        try:
            for fut in as_completed(futures):
                done[futures[fut]] = fut.result()
                finished(futures[fut])
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise
    return done


def run_scenario(scenario: Scenario | str | Path, progress: bool = False,
                 workers: int | None = 1,
                 on_park: Callable[[str], None] | None = None,
                 executor: Executor | None = None) -> ScenarioResult:
    """Run every stage of a scenario in memory.

    Parameters
    ----------
    scenario : Scenario or path
        A loaded scenario (:func:`energy_model.scenario.load_scenario`), or its file.
    progress : bool
        Show a progress bar.
    workers : int or None
        Processes that size parks in parallel (None: one per core). Each park is an
        independent problem, so results are identical for any number of workers.
    on_park : callable, optional
        Called with each park id when it is done.
    executor : concurrent.futures.Executor, optional
        Size the parks there instead (``workers`` is then ignored): a process pool the
        caller keeps for later work, such as ``energy-model run``'s analysis, which then
        starts no second pool (issue 19: a spawned worker costs ≈ 3.5 s CPU to start).

    Returns
    -------
    ScenarioResult

    Raises
    ------
    InvariantError
        When a result breaks a physical or accounting invariant (every run is checked).
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    timings: dict[str, float] = {}
    t = time.perf_counter()
    weather = scenario_weather(scenario)
    timings["weather"] = time.perf_counter() - t
    notes: list[str] = []
    if scenario.weather.years > 1:
        notes.append(f"weather.years = {scenario.weather.years}: sized on synthetic year 1; "
                     "the ensemble is for P50/P90 (energy-model sweep)")
    ids = [p.id for p in scenario.parks]
    tasks = {pid: weather[park_weather_key(scenario, scenario.park(pid))][0] for pid in ids}
    workers = default_workers(len(ids)) if workers is None else max(1, min(workers, len(ids)))
    bar = tqdm(total=len(ids), desc="sizing parks", unit="park") if progress else None
    t = time.perf_counter()
    try:
        done = _run_parks(scenario, tasks, workers, bar, on_park, executor)
    finally:
        if bar:
            bar.close()
    timings["parks (wall)"] = time.perf_counter() - t
    parks: dict[str, ParkResult] = {}
    stage = {"generation+load": 0.0, "sizing": 0.0, "economics": 0.0}
    for pid in ids:  # scenario order, whatever the completion order
        result, st = done[pid]
        parks[pid] = result
        for k, v in st.items():
            stage[k] += v
        notes += result.inputs.notes
    timings.update({f"{k} (cpu)": v for k, v in stage.items()})
    rows = [p.row for p in parks.values()]
    prov, agg = province_row(rows, parks)
    t = time.perf_counter()
    grid = grid_pressure(scenario, parks)
    timings["grid pressure"] = time.perf_counter() - t
    result = ScenarioResult(scenario=scenario, parks=parks, province=agg,
                            summary=pd.DataFrame(rows + [prov]), weather=weather,
                            timings=timings, notes=notes,
                            wind_resource=wind_resource_table(scenario, weather), grid=grid)
    check_run(result)  # every run (CLI, sweep, API) fails loudly (exit 4) on a broken invariant
    return result
