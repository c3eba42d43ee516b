"""Run a scenario: the one place that knows the order of the stages.

weather → resource and generation (PV, wind) → load → tariff → sizing (HiGHS LP) →
grid metrics, resilience and economics → results folder.

The per-park API, which every study that runs many variants uses::

    inputs = assemble(scenario, park, weather)        # ParkInputs
    sizing = solve(inputs, changes=Changes(...))      # SizingResult
    result = evaluate(scenario, inputs, sizing)       # ParkResult

:func:`run_scenario` runs every park (in worker processes when asked) and returns a
:class:`ScenarioResult`; :func:`run_and_write` also writes ``results/<name>/``
atomically. Modules: :mod:`.types` (dataclasses), :mod:`.weather`, :mod:`.assemble`,
:mod:`.solve`, :mod:`.evaluate`, :mod:`.grid` (grid pressure of a run: ``grid/*.csv``),
:mod:`.offsite` (off-site farms: their own station's weather, the hourly match),
:mod:`.run`, :mod:`.output`.
"""

from energy_model.pipeline.assemble import (assemble, cost_table, location, resource_profiles,
                                            wind_cost_name)
from energy_model.pipeline.evaluate import evaluate, province_row
from energy_model.pipeline.grid import grid_pressure
from energy_model.pipeline.references import load_scenario
from energy_model.pipeline.output import run_and_write, run_json, write_results_folder
from energy_model.pipeline.run import run_scenario
from energy_model.pipeline.solve import apply_changes, solve
from energy_model.pipeline.types import (Changes, GridPressure, ParkInputs, ParkResult,
                                         ScenarioResult)
from energy_model.pipeline.weather import park_weather_key, scenario_weather, weather_sources

__all__ = ["Changes", "GridPressure", "grid_pressure", "ParkInputs", "ParkResult", "ScenarioResult", "apply_changes", "assemble",
           "cost_table", "evaluate", "load_scenario", "location", "park_weather_key", "province_row",
           "resource_profiles", "run_and_write", "run_json", "run_scenario", "scenario_weather", "solve",
           "weather_sources", "wind_cost_name", "write_results_folder"]
