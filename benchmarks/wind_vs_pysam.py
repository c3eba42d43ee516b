"""Time one wind farm-year: energy_model.wind against NREL SAM Windpower (PySAM), same run.

Both get the same hourly series at hub height with density correction on. Ours is timed
through the public :func:`energy_model.wind.simulate_wind` (profile, density, wake,
density-corrected curve, losses); SAM's through ``Windpower.execute`` (its resource
table is built beforehand and not timed). Also timed: windpowerlib's own density-corrected
power curve, which loops in Python per hour.

Usage::

    python benchmarks/wind_vs_pysam.py [--years N] [--repeat R]
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import pandas as pd

SAM_LOSSES = ("avail_bop_loss", "avail_grid_loss", "avail_turb_loss", "elec_eff_loss",
              "elec_parasitic_loss", "env_degrad_loss", "env_env_loss", "env_exposure_loss",
              "env_icing_loss", "ops_env_loss", "ops_grid_loss", "ops_load_loss",
              "ops_strategies_loss", "turb_generic_loss", "turb_hysteresis_loss",
              "turb_perf_loss", "turb_specific_loss", "wake_ext_loss", "wake_future_loss",
              "wake_int_loss")


def weather(years: int, hub_height_m: float) -> pd.DataFrame:
    """Weibull (k = 2, 6 m/s mean) wind at hub height, 30 ± 3 °C, 100,800 Pa; seed 0."""
    n = 8760 * years
    rng = np.random.default_rng(0)
    idx = pd.date_range("2030-01-01", periods=n, freq="h", tz="Asia/Ho_Chi_Minh")
    df = pd.DataFrame({"wind_speed": 6.0 / math.gamma(1.5) * rng.weibull(2.0, n),
                       "temp_air": 30.0 + 3.0 * np.sin(2 * np.pi * np.arange(n) / 24),
                       "pressure": 100800.0}, index=idx)
    df.attrs = {"wind_height_m": hub_height_m, "temperature_height_m": hub_height_m,
                "pressure_height_m": hub_height_m}
    return df


def sam_model(df: pd.DataFrame, turbine, hub_height_m: float):
    import PySAM.Windpower as Windpower

    m = Windpower.new()
    data = np.column_stack([df["temp_air"], df["pressure"] / 101325.0, df["wind_speed"],
                            np.full(len(df), 180.0)])
    m.Resource.wind_resource_data = {"heights": [hub_height_m] * 4, "fields": [1, 2, 3, 4],
                                     "data": data.tolist(), "lat": 21.0, "lon": 107.4,
                                     "elev": 0.0, "year": 2030}
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


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=1, help="years of hourly weather")
    parser.add_argument("--repeat", type=int, default=5, help="best of R runs")
    parser.add_argument("--turbine", default="E-82/2000")
    args = parser.parse_args(argv)

    from windpowerlib.power_output import power_curve_density_correction

    from energy_model import wind

    hub = 100.0
    turbine = wind.get_turbine(args.turbine)
    wind.turbine_library()  # warm the cache: library loading is not a per-farm cost
    df = weather(args.years, hub)
    farm = wind.WindFarm(name="b", turbine=args.turbine, hub_height_m=hub, count=1, wake="none",
                         availability=1.0, electrical_loss=0.0)
    model = sam_model(df, turbine, hub)
    rho = wind.hub_air_density(df["temp_air"], df["pressure"], hub, hub, hub)

    t_ours = best_of(lambda: wind.simulate_wind(df, farm), args.repeat)
    t_sam = best_of(lambda: model.execute(0), args.repeat)
    t_wpl = best_of(lambda: power_curve_density_correction(
        df["wind_speed"].to_numpy(), turbine.power_curve.wind_speed, turbine.power_curve.power_kw,
        np.asarray(rho)), max(1, args.repeat // 2))

    ours_kwh = wind.simulate_wind(df, farm)["b_kw"].sum()
    sam_kwh = float(np.sum(model.Outputs.gen))
    per = args.years
    print(f"wind farm-year benchmark: {args.turbine}, hub {hub:g} m, {args.years} year(s), "
          f"best of {args.repeat}")
    print(f"  energy_model.simulate_wind : {1000 * t_ours / per:8.2f} ms per farm-year")
    print(f"  PySAM Windpower.execute    : {1000 * t_sam / per:8.2f} ms per farm-year")
    print(f"  windpowerlib density curve : {1000 * t_wpl / per:8.2f} ms per farm-year "
          "(power step only)")
    print(f"  ratio ours / SAM           : {t_ours / t_sam:8.2f}")
    print(f"  ratio windpowerlib / ours  : {t_wpl / t_ours:8.2f}")
    print(f"  annual energy ours / SAM   : {ours_kwh / sam_kwh:8.4f} (warm site, "
          "density exponents differ)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
