"""The analysis tables the report shows beyond the run's own results.

:func:`write_analysis` runs the studies that need the model in memory (the
cost–self-sufficiency frontier, the NPV tornado, the weather check) and writes them into a
results folder's ``analysis/``, so that the report only reads::

    analysis/frontier.csv        energy_model.studies.frontier.frontier
    analysis/tornado.csv         energy_model.studies.tornado.tornado
    analysis/weather_check.csv   energy_model.studies.weather_check.weather_check (30-yr ensemble)
    analysis/weather_params.csv  … (hourly-structure parameters)

:func:`start_analysis` does the same in two steps: it starts the frontier's LP re-solves
on an executor (a process pool), then the weather check (≈ 6 s CPU) and the tornado (one
task a park: its load-growth bar re-dispatches the design in the milestone years, ≈ 13 s
CPU on the catalog), and returns a function that collects them and writes the tables, so that
``energy-model run`` draws the other figures meanwhile (issue 19).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path
from types import SimpleNamespace

from energy_model.results import write_csv
from energy_model.studies.frontier import start_frontier
from energy_model.studies.tornado import start_tornado
from energy_model.studies.weather_check import weather_check

#: table name → file name under ``analysis/``
ANALYSIS_FILES = {"frontier": "frontier.csv", "tornado": "tornado.csv",
                  "weather_check": "weather_check.csv", "weather_params": "weather_params.csv"}


def start_analysis(result, folder: Path, frontier_park: str | None = None,
                   executor: Executor | None = None
                   ) -> Callable[..., dict[str, Path]]:
    """Start the analysis of a run; the returned function finishes and writes it.

    Parameters
    ----------
    result : energy_model.pipeline.ScenarioResult
        The run in memory.
    folder : Path
        The results folder (or its staging folder).
    frontier_park : str, optional
        Park of the frontier (default: :func:`energy_model.studies.frontier.frontier_park`).
    executor : concurrent.futures.Executor, optional
        Where the frontier's points are solved, in parallel (without one: in order, when
        the analysis is finished).

    Returns
    -------
    callable
        ``finish(progress=False) -> dict`` (table name → file written): computes the
        tornado and the weather check, waits for the frontier and writes the tables.
    """
    # the long tasks first (4 frontier points, the weather check), then the tornado's short
    # ones (a park each), which fill the workers' last gaps
    collect = start_frontier(result, frontier_park, executor=executor)
    checked = (None if executor is None else
               executor.submit(weather_check, SimpleNamespace(scenario=result.scenario,
                                                              weather=result.weather)))
    collect_tornado = start_tornado(result, executor)

    def finish(progress: bool = False) -> dict[str, Path]:
        out_dir = Path(folder) / "analysis"
        out_dir.mkdir(exist_ok=True)
        monthly, parameters = weather_check(result) if checked is None else checked.result()
        tables = {"tornado": collect_tornado(), "weather_check": monthly,
                  "weather_params": parameters}
        tables["frontier"] = collect(progress)
        written = {}
        for name in ANALYSIS_FILES:
            path = out_dir / ANALYSIS_FILES[name]
            write_csv(tables[name], path, index=False)
            written[name] = path
        return written

    return finish


def write_analysis(result, folder: Path, frontier_park: str | None = None,
                   progress: bool = False, executor: Executor | None = None
                   ) -> dict[str, Path]:
    """Compute the analysis tables of a run and write them to ``folder/analysis/``.

    Parameters
    ----------
    result : energy_model.pipeline.ScenarioResult
        The run in memory.
    folder : Path
        The results folder (or its staging folder).
    frontier_park : str, optional
        Park of the frontier (default: :func:`energy_model.studies.frontier.frontier_park`).
    progress : bool
        Progress bar over the frontier's re-solves.
    executor : concurrent.futures.Executor, optional
        Solve the frontier's points there, in parallel.

    Returns
    -------
    dict
        Table name → file written.
    """
    return start_analysis(result, folder, frontier_park, executor)(progress)
