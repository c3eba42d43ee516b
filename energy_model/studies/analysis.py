"""The analysis tables the report shows beyond the run's own results.

:func:`write_analysis` runs the studies that need the model in memory (the
cost–self-sufficiency frontier, the NPV tornado, the weather check) and writes them into a
results folder's ``analysis/``, so that the report only reads::

    analysis/frontier.csv        energy_model.studies.frontier.frontier
    analysis/tornado.csv         energy_model.studies.tornado.tornado
    analysis/weather_check.csv   energy_model.studies.weather_check.weather_check (monthly)
    analysis/weather_params.csv  … (hourly-structure parameters)
"""

from __future__ import annotations

from pathlib import Path

from energy_model.results import write_csv
from energy_model.studies.frontier import frontier
from energy_model.studies.tornado import tornado
from energy_model.studies.weather_check import weather_check

#: table name → file name under ``analysis/``
ANALYSIS_FILES = {"frontier": "frontier.csv", "tornado": "tornado.csv",
                  "weather_check": "weather_check.csv", "weather_params": "weather_params.csv"}


def write_analysis(result, folder: Path, frontier_park: str | None = None,
                   progress: bool = False) -> dict[str, Path]:
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

    Returns
    -------
    dict
        Table name → file written.
    """
    out_dir = Path(folder) / "analysis"
    out_dir.mkdir(exist_ok=True)
    monthly, parameters = weather_check(result)
    tables = {"frontier": frontier(result, frontier_park, progress=progress),
              "tornado": tornado(result), "weather_check": monthly,
              "weather_params": parameters}
    written = {}
    for name, df in tables.items():
        path = out_dir / ANALYSIS_FILES[name]
        write_csv(df, path, index=False)
        written[name] = path
    return written
