"""Solar stage: PV arrays → hourly AC power [kW], with pvlib, vectorised across arrays.

Public API::

    from energy_model.solar import PVArray, simulate_pv, pv_profiles_per_kwp, pv_summary

See :mod:`energy_model.solar.chain` for the model chain and
:mod:`energy_model.solar.pvwatts` for the PVWatts v8 equivalence mode.
"""

from __future__ import annotations

from energy_model.solar.arrays import Location, Losses, Orientation, PVArray, optimum_tilt

__all__ = ["PVArray", "Orientation", "Losses", "Location", "optimum_tilt"]
