"""Solar stage: PV arrays → hourly AC power [kW], with pvlib, vectorised across arrays.

Public API::

    from energy_model.solar import PVArray, simulate_pv, pv_profiles_per_kwp, pv_summary

* :mod:`~energy_model.solar.arrays` — the array specification, presets, locations;
* :mod:`~energy_model.solar.position` — NREL SPA solar position, fast;
* :mod:`~energy_model.solar.irradiance` — transposition, row shading, optics;
* :mod:`~energy_model.solar.chain` — the model chain and :func:`simulate_pv`;
* :mod:`~energy_model.solar.steps` — the chain's steps (sun, irradiance, optics,
  temperature, DC, AC);
* :mod:`~energy_model.solar.pvwatts` — the PVWatts v8 equivalence mode and PySAM inputs;
* :mod:`~energy_model.solar.reconcile` — default chain vs PVWatts v8, loss by loss.

Heavy imports (pvlib, pandas) happen on first use of the chain, not on import of the
array specification, so the scenario schema stays quick to load.
"""

from __future__ import annotations

import importlib

from energy_model.scenario.pv import Losses, Orientation, PVArray, optimum_tilt
from energy_model.solar.arrays import Location, as_location

_LAZY = {
    "simulate_pv": "energy_model.solar.chain",
    "pv_profiles_per_kwp": "energy_model.solar.chain",
    "pv_summary": "energy_model.solar.chain",
    "park_pv": "energy_model.solar.chain",
    "ParkPV": "energy_model.solar.chain",
    "check_weather": "energy_model.solar.chain",
    "ChainSpec": "energy_model.solar.chain",
    "DEFAULT_CHAIN": "energy_model.solar.chain",
    "PVWATTS_V8_CHAIN": "energy_model.solar.chain",
    "reconcile_with_pvwatts": "energy_model.solar.reconcile",
    "check_heritage_buffer": "energy_model.solar.siting",
    "solar_position": "energy_model.solar.position",
}

__all__ = ["PVArray", "Orientation", "Losses", "Location", "as_location", "optimum_tilt",
           *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'energy_model.solar' has no attribute {name!r}")
