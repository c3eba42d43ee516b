"""energy_model: open renewable-energy capacity model for industrial parks and economic zones.

The data flow is weather → resource → generation (PV, wind) → load → sizing (HiGHS LP)
→ economics and grid metrics → results → plots and report. Each stage is one module;
:mod:`energy_model.pipeline` is the only place that knows their order.

The public API is imported lazily, so ``import energy_model`` stays fast::

    import energy_model as em
    scenario = em.load_scenario("scenarios/quang_ninh_2030.yaml")
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: public name -> module that defines it
_API = {
    "load_scenario": "energy_model.pipeline",
    "Scenario": "energy_model.scenario",
    "run_scenario": "energy_model.pipeline",
    "synthesize": "energy_model.weather.synthetic",
    "read_weather": "energy_model.weather.readers",
    "load_normals": "energy_model.weather.normals",
    "simulate_pv": "energy_model.solar",
    "pv_profiles_per_kwp": "energy_model.solar",
    "pv_summary": "energy_model.solar",
    "park_pv": "energy_model.solar",
    "PVArray": "energy_model.solar",
    "simulate_wind": "energy_model.wind",
    "wind_profiles_per_kw": "energy_model.wind",
    "project_load": "energy_model.demand",
    "LoadSpec": "energy_model.demand",
    "hourly_prices": "energy_model.tariff",
    "cash_flow_table": "energy_model.economics",
    "park_metrics": "energy_model.metrics",
    "resilience": "energy_model.metrics",
    "province_aggregate": "energy_model.metrics",
    "WindFarm": "energy_model.wind",
    "optimize": "energy_model.sizing",
    "SizingResult": "energy_model.sizing",
    "EnergyModelError": "energy_model.errors",
    "ScenarioError": "energy_model.errors",
    "WeatherError": "energy_model.errors",
    "InfeasibleError": "energy_model.errors",
}

__all__ = sorted(_API) + ["__version__"]


def __getattr__(name: str):
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'energy_model' has no attribute {name!r}")
