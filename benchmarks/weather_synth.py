"""Time to synthesise 30 station-years, against reference costs measured in the same run.

    python benchmarks/weather_synth.py [--quick]

References (there is no public implementation of HOMER's generator to race):

- pvlib clear sky: ``Location.get_clearsky`` (Ineichen, SPA solar position) for the same
  30 station-years, the cheapest hourly "weather" a tool can make;
- a scalar per-hour loop of the same TAG hourly model (Python loops over days and hours,
  as the published reference codes do), timed on one station-year and scaled to 30.

Prints seconds and ratios (ours / reference). ``--quick`` times 3 station-years.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import pandas as pd


def _timed(fn, repeat: int = 1) -> float:
    best = math.inf
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def scalar_tag_year(kt_days: np.ndarray, sin_el: np.ndarray, seed: int = 0) -> np.ndarray:
    """The TAG hourly model with Python loops, one value at a time (reference cost)."""
    rng = np.random.default_rng(seed)
    out = np.zeros(sin_el.shape)
    for d in range(sin_el.shape[0]):
        k = float(kt_days[d])
        lam = -0.19 + 1.12 * k + 0.24 * math.exp(-8 * k)
        eps = 0.32 - 1.6 * (k - 0.5) ** 2
        kap = 0.19 + 2.27 * k ** 2 - 2.51 * k ** 3
        a = 0.14 * math.exp(-20 * (k - 0.35) ** 2)
        b = 3 * (k - 0.45) ** 2 + 16 * k ** 5
        phi = 0.38 + 0.06 * math.cos(7.4 * k - 2.5)
        y = 0.0
        for h in range(sin_el.shape[1]):
            s = float(sin_el[d, h])
            if s <= 0:
                continue
            y = phi * y + math.sqrt(1 - phi ** 2) * rng.standard_normal()
            ktm = lam + eps * math.exp(-kap / max(s, 0.02))
            out[d, h] = min(max(ktm + a * math.exp(b * (1 - s)) * y, 0.0), 0.9)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 station-years only")
    args = parser.parse_args()

    import pvlib

    from energy_model.paths import shipped_dir
    from energy_model.weather import load_normals, synthesize
    from energy_model.weather.sun import interval_sun

    normals = load_normals(shipped_dir("weather") / "quang_ninh_normals.csv")
    ids = list(normals.ids)
    years = 1 if args.quick else 3
    n_station_years = len(ids[:3 if args.quick else 10]) * years
    chosen = ids[:3] if args.quick else ids
    synthesize(normals, chosen[0], 2030, 0)  # warm caches (Linke turbidity lookup)

    t_region = _timed(lambda: synthesize(normals, chosen, 2030, 1, years=years))
    t_single = _timed(lambda: synthesize(normals, chosen[0], 2030, 1,
                                         years=n_station_years))

    index = pd.date_range("2030-01-01", periods=8760, freq="h", tz="Asia/Ho_Chi_Minh")

    def clear_sky_all():
        for k in range(n_station_years):
            st = normals.station(chosen[k % len(chosen)])
            loc = pvlib.location.Location(st.latitude, st.longitude, altitude=st.altitude)
            loc.get_clearsky(index + pd.Timedelta("30min"))

    t_clear = _timed(clear_sky_all)

    st = normals.station(chosen[0])
    sun = interval_sun(index, st.latitude, st.longitude)
    sin_el = sun.sin_elevation_sunlit.reshape(365, 24)
    kt_days = np.full(365, 0.4)
    t_loop_one = _timed(lambda: scalar_tag_year(kt_days, sin_el))
    t_loop = t_loop_one * n_station_years

    print(f"synthetic weather, {n_station_years} station-years "
          f"({len(chosen)} correlated stations x {years} years): {t_region:.2f} s "
          f"({t_region / n_station_years * 1000:.0f} ms per station-year)")
    print(f"  same count as one station x {n_station_years} years: {t_single:.2f} s")
    print(f"reference pvlib clear sky (SPA + Ineichen), same hours: {t_clear:.2f} s "
          f"-> ratio ours/reference {t_region / t_clear:.2f}")
    print(f"reference scalar TAG loop (hourly step only), scaled: {t_loop:.2f} s "
          f"-> ratio ours/reference {t_region / t_loop:.3f}")


if __name__ == "__main__":
    main()
