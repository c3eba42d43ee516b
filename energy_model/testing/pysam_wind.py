"""NREL SAM Windpower (PySAM), set up like our wind chain, for tests and benchmarks.

PySAM is the reference implementation, installed with the ``test`` extra; it is imported
only when these functions are called. SAM's defaults carry about 18 % of losses, so every
loss is zeroed explicitly, and the resource is given at hub height so that both tools see
the same wind speed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Every loss input of SAM Windpower; all set to 0 for a like-for-like comparison.
SAM_LOSSES = ("avail_bop_loss", "avail_grid_loss", "avail_turb_loss", "elec_eff_loss",
              "elec_parasitic_loss", "env_degrad_loss", "env_env_loss", "env_exposure_loss",
              "env_icing_loss", "ops_env_loss", "ops_grid_loss", "ops_load_loss",
              "ops_strategies_loss", "turb_generic_loss", "turb_hysteresis_loss",
              "turb_perf_loss", "turb_specific_loss", "wake_ext_loss", "wake_future_loss",
              "wake_int_loss")


def pysam_windpower(weather: pd.DataFrame, turbine, hub_height_m: float, year: int = 2019):
    """A PySAM Windpower model of one turbine at hub height, all losses zeroed.

    Parameters
    ----------
    weather : pandas.DataFrame
        ``temp_air`` [°C], ``pressure`` [Pa] and ``wind_speed`` [m/s] at hub height.
    turbine : energy_model.wind.Turbine
        Power curve, rotor diameter and nominal power.
    hub_height_m : float
        Hub height [m].
    year : int
        Year written in the resource header.

    Returns
    -------
    PySAM.Windpower.Windpower
        Not yet executed.
    """
    # optional test dependency: imported on use so tests can skip cleanly without it
    import PySAM.Windpower as Windpower

    m = Windpower.new()
    data = np.column_stack([weather["temp_air"], weather["pressure"] / 101325.0,
                            weather["wind_speed"], np.full(len(weather), 180.0)])
    m.Resource.wind_resource_data = {"heights": [hub_height_m] * 4, "fields": [1, 2, 3, 4],
                                     "data": data.tolist(), "lat": 21.0, "lon": 107.4,
                                     "elev": 0.0, "year": year}
    m.Resource.wind_resource_model_choice = 0
    m.Turbine.wind_turbine_powercurve_windspeeds = list(turbine.power_curve.wind_speed)
    m.Turbine.wind_turbine_powercurve_powerout = list(turbine.power_curve.power_kw)
    m.Turbine.wind_turbine_rotor_diameter = turbine.rotor_diameter_m
    m.Turbine.wind_turbine_hub_ht = hub_height_m
    m.Turbine.wind_resource_shear = 0.14
    m.Farm.wind_farm_xCoordinates = [0.0]
    m.Farm.wind_farm_yCoordinates = [0.0]
    m.Farm.wind_farm_wake_model = 0
    m.Farm.wind_resource_turbulence_coeff = 0.1
    m.Farm.system_capacity = turbine.nominal_kw
    for name in SAM_LOSSES:
        setattr(m.Losses, name, 0.0)
    m.AdjustmentFactors.adjust_constant = 0.0
    m.AdjustmentFactors.adjust_en_timeindex = 0
    m.AdjustmentFactors.adjust_en_periods = 0
    return m
