"""Scenarios: the schema of every input and the YAML loader.

A scenario is a YAML file describing one province study: the simulated year, the weather
source, the tariff and export rules, economics, costs and the parks. Layering, relative
paths and quality marks are described in :mod:`.loader`.

The package: :mod:`.model` (Scenario, Park, Grid, Tariff, ExportRules, ...), :mod:`.pv`
(PVArray), :mod:`.wind` (WindFarm), :mod:`.load` (LoadSpec, IndustryShare) and
:mod:`.loader` (load_scenario, layering, the JSON schema). It imports no physics stage;
the names a scenario refers to (stations, turbines, tariffs) are checked by
:mod:`energy_model.references`. This module re-exports the old public names.
"""

from energy_model.scenario.load import (IndustryShare, KKTComponents, LoadSpec, OccupancyCases,
                                        OccupancyPath)
from energy_model.scenario.loader import PATH_KEYS, json_schema, layer_files, load_scenario
from energy_model.scenario.model import (MAX_YEAR, MIN_YEAR, BatteryLimits, CapWindow,
                                         CostOverride, Economics, ExportRules, Grid, Location,
                                         Observed, Park, ParkId, PRE_2027_DEFAULTS, PvDefaults,
                                         RULES_2026_FROM_YEAR, Scenario, SizingConfig,
                                         SourceMark, TariffConfig, WeatherConfig)
from energy_model.scenario.pv import Losses, Orientation, PVArray
from energy_model.scenario.wind import FarmLocation, WindFarm

__all__ = [
    "BatteryLimits", "CapWindow", "CostOverride", "Economics", "ExportRules", "FarmLocation",
    "Grid", "IndustryShare", "KKTComponents", "LoadSpec", "OccupancyCases", "OccupancyPath", "Location", "Losses", "MAX_YEAR",
    "MIN_YEAR", "Observed", "PRE_2027_DEFAULTS", "RULES_2026_FROM_YEAR", "Orientation", "PATH_KEYS", "PVArray", "Park", "ParkId",
    "PvDefaults", "Scenario", "SizingConfig", "SourceMark", "TariffConfig", "WeatherConfig", "WindFarm",
    "json_schema", "layer_files", "load_scenario",
]
