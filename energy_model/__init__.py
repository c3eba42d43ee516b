"""energy_model: open renewable-energy capacity model for industrial parks and economic zones.

The data flow is weather → resource → generation (PV, wind) → load → sizing (HiGHS LP)
→ economics and grid metrics → results → plots and report. Each stage is a module or a
package; :mod:`energy_model.pipeline` is the only place that knows their order, and offers
the typed per-park API (``assemble`` → ``solve`` → ``evaluate``) that every study uses.

Everything a library user needs is exported here::

    import energy_model as em
    scenario = em.load_scenario()                      # the shipped Quảng Ninh catalog
    result = em.run_scenario(scenario)                  # in memory; nothing written
    weather = em.synthesize(em.load_normals(), ["bai_chay"], year=2030, seed=1)["bai_chay"][0]

The names are resolved on first use (:func:`__getattr__`), so ``import energy_model`` and
the command line stay fast (the stages import pvlib, windpowerlib and HiGHS, several
seconds); type checkers and IDEs see them through the ``TYPE_CHECKING`` imports below, and
:func:`dir` lists them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:  # the same names, statically, for type checkers and IDEs
    from energy_model.pipeline import (Changes, ParkInputs, ParkResult, ScenarioResult, assemble,
                                       evaluate, load_scenario, run_and_write, run_scenario,
                                       scenario_weather, solve)
    from energy_model.scenario import (LoadSpec, PVArray, Park, Scenario, WindFarm)
    from energy_model.weather.synthetic import (synthesize)
    from energy_model.weather.readers import (read_weather)
    from energy_model.weather.normals import (load_normals)
    from energy_model.solar import (park_pv, pv_profiles_per_kwp, pv_summary, simulate_pv)
    from energy_model.wind import (simulate_wind, wind_profiles_per_kw)
    from energy_model.demand import (project_load)
    from energy_model.tariff import (hourly_prices)
    from energy_model.economics import (cash_flow_table)
    from energy_model.metrics import (park_metrics, province_aggregate, resilience)
    from energy_model.sizing import (Battery, Finance, Grid, Options, Policy, SizingResult,
                                     Technology, optimize)
    from energy_model.errors import (EnergyModelError, InfeasibleError, ScenarioError,
                                     WeatherError)
    from energy_model.studies.province import (ProvinceCurve, relief_curve)

#: public name -> module that defines it
_API = {
    "load_scenario": "energy_model.pipeline",
    "run_scenario": "energy_model.pipeline",
    "run_and_write": "energy_model.pipeline",
    "assemble": "energy_model.pipeline",
    "solve": "energy_model.pipeline",
    "evaluate": "energy_model.pipeline",
    "Changes": "energy_model.pipeline",
    "ParkInputs": "energy_model.pipeline",
    "ParkResult": "energy_model.pipeline",
    "ScenarioResult": "energy_model.pipeline",
    "scenario_weather": "energy_model.pipeline",
    "Scenario": "energy_model.scenario",
    "Park": "energy_model.scenario",
    "PVArray": "energy_model.scenario",
    "WindFarm": "energy_model.scenario",
    "LoadSpec": "energy_model.scenario",
    "synthesize": "energy_model.weather.synthetic",
    "read_weather": "energy_model.weather.readers",
    "load_normals": "energy_model.weather.normals",
    "simulate_pv": "energy_model.solar",
    "pv_profiles_per_kwp": "energy_model.solar",
    "pv_summary": "energy_model.solar",
    "park_pv": "energy_model.solar",
    "simulate_wind": "energy_model.wind",
    "wind_profiles_per_kw": "energy_model.wind",
    "project_load": "energy_model.demand",
    "hourly_prices": "energy_model.tariff",
    "cash_flow_table": "energy_model.economics",
    "park_metrics": "energy_model.metrics",
    "resilience": "energy_model.metrics",
    "province_aggregate": "energy_model.metrics",
    "optimize": "energy_model.sizing",
    "SizingResult": "energy_model.sizing",
    "Technology": "energy_model.sizing",
    "Grid": "energy_model.sizing",
    "Battery": "energy_model.sizing",
    "Finance": "energy_model.sizing",
    "Policy": "energy_model.sizing",
    "Options": "energy_model.sizing",
    "EnergyModelError": "energy_model.errors",
    "ScenarioError": "energy_model.errors",
    "WeatherError": "energy_model.errors",
    "InfeasibleError": "energy_model.errors",
    "relief_curve": "energy_model.studies.province",
    "ProvinceCurve": "energy_model.studies.province",
}

__all__ = sorted(_API) + ["__version__"]


def __getattr__(name: str):
    if name in _API:
        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value  # resolved once
        return value
    raise AttributeError(f"module 'energy_model' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
