"""Scenario files: the pydantic v2 schema, the YAML loader and the JSON-schema export.

A scenario is a YAML file describing one province study: the simulated year, the weather
source, the tariff and export rules, economics, costs and the parks. Every field has a
unit in its name or its description, every number is bounded, and unknown keys are
refused with a did-you-mean suggestion.

Layering (precedence from low to high)
--------------------------------------
1. the model defaults written in this schema;
2. the file named by ``extends:`` (recursively; its own relative paths resolve against it);
3. the file itself: mappings are merged key by key, lists are replaced, except ``parks``,
   which is merged by ``id`` (an entry with a known id updates that park; a new id is
   appended; ``remove_parks: [id, ...]`` drops parks of the base);
4. ``--set key.path=value`` overrides on the command line (``load_scenario(overrides=...)``).

Relative paths (``weather.normals``, ``weather.file``, ``parks[].weather_file``,
``parks[].load.meter_file``, ``parks[].wind[].power_curve``) resolve against the file
that names them.

Sources
-------
Catalog figures carry their quality mark in a per-park ``sources:`` map keyed by field
path (``area_ha``, ``grid.substation_mva``, ``pv`` for all PV fields, ...), and a
top-level ``sources:`` map for scenario-wide figures. Marks: **S** read on an official
or news page; **S2** quoted by secondary documents; **E** an estimate with its method;
**NF** not found; **user** a user's own input.

The package: :mod:`.model` (Scenario, Park, Grid, Tariff, ExportRules, ...), :mod:`.pv`
(PVArray), :mod:`.wind` (WindFarm), :mod:`.load` (LoadSpec, IndustryShare) and
:mod:`.loader` (load_scenario, layering, the JSON schema). It imports no physics stage;
the names a scenario refers to (stations, turbines, tariffs) are checked by
:mod:`energy_model.references`. This module re-exports the old public names.
"""

from energy_model.scenario.load import IndustryShare, KKTComponents, LoadSpec
from energy_model.scenario.loader import PATH_KEYS, json_schema, layer_files, load_scenario
from energy_model.scenario.model import (MAX_YEAR, MIN_YEAR, BatteryLimits, CapWindow,
                                         CostOverride, Economics, ExportRules, Grid, Location,
                                         Observed, Park, ParkId, Scenario, SizingConfig,
                                         SourceMark, TariffConfig, WeatherConfig)
from energy_model.scenario.pv import Losses, Orientation, PVArray
from energy_model.scenario.wind import FarmLocation, WindFarm

__all__ = [
    "BatteryLimits", "CapWindow", "CostOverride", "Economics", "ExportRules", "FarmLocation",
    "Grid", "IndustryShare", "KKTComponents", "LoadSpec", "Location", "Losses", "MAX_YEAR",
    "MIN_YEAR", "Observed", "Orientation", "PATH_KEYS", "PVArray", "Park", "ParkId",
    "Scenario", "SizingConfig", "SourceMark", "TariffConfig", "WeatherConfig", "WindFarm",
    "json_schema", "layer_files", "load_scenario",
]
