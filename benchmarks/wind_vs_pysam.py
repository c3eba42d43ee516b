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

from energy_model.testing.pysam_wind import pysam_windpower


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
    return pysam_windpower(df, turbine, hub_height_m, year=2030)


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
