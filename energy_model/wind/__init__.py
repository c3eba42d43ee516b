"""Wind farms → hourly AC power [kW], with windpowerlib, offline and density-corrected.

The package, in data-flow order: :mod:`~energy_model.wind.turbines` (offline library and
power-curve files), :mod:`~.physics` (hub-height wind and density, wakes, power curve),
:mod:`~.farm` (:func:`simulate_wind`, :func:`wind_profiles_per_kw`, capacities) and
:mod:`~.validation` (the coastal check). The farm schema :class:`WindFarm` belongs to the
scenario layer. This module re-exports the names other modules import.
"""

from energy_model.scenario.wind import (DEFAULT_AVAILABILITY, DEFAULT_ELECTRICAL_LOSS,
                                        FarmLocation, WindFarm)
from energy_model.wind.farm import (farm_capacity_kw, farm_turbine, monthly_table,
                                    onsite_offsite_kw, simulate_wind, wind_profiles_per_kw,
                                    wind_resource_summary)
from energy_model.wind.physics import (BETZ_LIMIT, BLENDING_HEIGHT_M, DEFAULT_SCREEN_HEIGHT_M,
                                       DEFAULT_STATION_TERRAIN, DEFAULT_WIND_HEIGHT_M,
                                       R_DRY_AIR, RHO_REFERENCE, TERRAIN_BASIS,
                                       TERRAIN_ROUGHNESS_M, WAKE_CURVES, PowerCurve,
                                       hub_air_density, hub_wind_speed, power_from_curve,
                                       reduce_wind_speed, smooth_power_curve, weibull_fit,
                                       wind_efficiency_curve)
from energy_model.wind.turbines import Turbine, get_turbine, load_power_curve, turbine_library
from energy_model.wind.validation import (COASTAL_STATIONS, PUBLISHED_WIND,
                                          REFERENCE_HUB_HEIGHT_M, REFERENCE_TURBINE,
                                          coastal_wind_check)

__all__ = [
    "BETZ_LIMIT", "BLENDING_HEIGHT_M", "COASTAL_STATIONS", "DEFAULT_AVAILABILITY",
    "DEFAULT_ELECTRICAL_LOSS", "DEFAULT_SCREEN_HEIGHT_M", "DEFAULT_STATION_TERRAIN",
    "DEFAULT_WIND_HEIGHT_M", "FarmLocation", "PUBLISHED_WIND", "PowerCurve", "RHO_REFERENCE",
    "R_DRY_AIR", "REFERENCE_HUB_HEIGHT_M", "REFERENCE_TURBINE", "TERRAIN_BASIS",
    "TERRAIN_ROUGHNESS_M", "Turbine", "WAKE_CURVES", "WindFarm", "coastal_wind_check",
    "farm_capacity_kw", "farm_turbine", "get_turbine", "hub_air_density", "hub_wind_speed",
    "load_power_curve", "monthly_table", "onsite_offsite_kw", "power_from_curve",
    "reduce_wind_speed", "simulate_wind", "smooth_power_curve", "turbine_library",
    "weibull_fit", "wind_efficiency_curve", "wind_profiles_per_kw", "wind_resource_summary",
]
