"""Hourly load of industrial parks (KCN) and economic zones (KKT), projected to a year.

The package, in data-flow order: :mod:`~energy_model.demand.calendar` (hourly index,
holidays, the Tết closure), :mod:`~.intensities` (data tables and planning constants),
:mod:`~.shapes` (hourly shapes, cooling, noise), :mod:`~.meter` (metered data) and
:mod:`~.projection` (:func:`project_load`, areas, summaries, calibration). The schema
(:class:`LoadSpec`, :class:`IndustryShare`) belongs to the scenario layer. This module
re-exports the names other modules import.
"""

from energy_model.demand.calendar import (TET_DAYS_AFTER, TET_DAYS_BEFORE, TET_RAMP,
                                          day_levels, hourly_index, tet_closure)
from energy_model.demand.intensities import (COOLING_BALANCE_C, DEFAULT_ROOF_SHARE,
                                             DIURNAL_HALF_RANGE_C, HA_LONG_TEMP_AIR_MONTHLY,
                                             INTENSITY_BASE_YEAR, SHIFT_PATTERNS, TARIFF_CLASS,
                                             industry_table, kkt_component_mwh, kkt_table,
                                             kw_per_ha_band, roof_factor_table, roof_factors,
                                             RoofFactors, tariff_class)
from energy_model.demand.meter import meter_day_map, meter_profile, read_meter
from energy_model.demand.projection import (CALIBRATION_RANGE, Calibration, Case,
                                            bottom_up_energies, calibrate, case_multiplier,
                                            critical_load_kw, growth_factor,
                                            implied_kw_per_ha, leased_land_share,
                                            load_summary, occupancy_at, occupancy_path,
                                            occupied_area_ha, project_load, rooftop_area_m2)
from energy_model.scenario.load import IndustryShare, KKTComponents, LoadSpec
from energy_model.demand.shapes import (add_noise, class_shape, climatology_temp_air,
                                        cooling_factor, reduced_day)

__all__ = [
    "CALIBRATION_RANGE", "COOLING_BALANCE_C", "Calibration", "Case", "DEFAULT_ROOF_SHARE",
    "DIURNAL_HALF_RANGE_C", "HA_LONG_TEMP_AIR_MONTHLY", "INTENSITY_BASE_YEAR",
    "IndustryShare", "KKTComponents", "LoadSpec", "SHIFT_PATTERNS", "TARIFF_CLASS",
    "TET_DAYS_AFTER", "TET_DAYS_BEFORE", "TET_RAMP", "add_noise", "bottom_up_energies",
    "calibrate", "case_multiplier", "class_shape", "climatology_temp_air", "cooling_factor",
    "critical_load_kw", "day_levels", "growth_factor", "hourly_index", "implied_kw_per_ha",
    "industry_table", "kkt_component_mwh", "kkt_table", "kw_per_ha_band", "load_summary",
    "meter_day_map", "meter_profile", "occupancy_at", "occupied_area_ha", "project_load",
    "read_meter", "reduced_day", "rooftop_area_m2", "tariff_class",
    "RoofFactors", "leased_land_share", "occupancy_path", "roof_factor_table", "roof_factors",
]
