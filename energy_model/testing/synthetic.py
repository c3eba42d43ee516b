"""A deterministic synthetic park for tests and benchmarks of the sizing LP.

These series are not data: they have the right shape and magnitude for a northern
Vietnamese industrial park (PV capacity factor about 13 %, wind about 25 %, a two-shift
load with a lighter Sunday) so that the LP faces a realistic structure, and they are
exactly reproducible from a seed without weather files.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from energy_model.tariff import LOCAL_TZ, hourly_prices


@dataclass(frozen=True, eq=False)
class SyntheticPark:
    """Hourly series of a synthetic park.

    Attributes
    ----------
    index : pandas.DatetimeIndex
        Interval-start labels in Asia/Ho_Chi_Minh.
    load_kw : numpy.ndarray
        Load [kW].
    pv_per_kw, wind_per_kw : numpy.ndarray
        AC output per kW of capacity [kW/kW].
    import_price : numpy.ndarray
        EVN ``evn_2025`` manufacturing 22–110 kV price [VND/kWh].
    """

    index: pd.DatetimeIndex
    load_kw: np.ndarray
    pv_per_kw: np.ndarray
    wind_per_kw: np.ndarray
    import_price: np.ndarray


def _ar1(rng: np.random.Generator, n: int, rho: float) -> np.ndarray:
    """A unit-variance AR(1) series."""
    e = rng.standard_normal(n) * np.sqrt(1.0 - rho**2)
    x = np.empty(n)
    x[0] = rng.standard_normal()
    for i in range(1, n):
        x[i] = rho * x[i - 1] + e[i]
    return x


def _pv_per_kw(index: pd.DatetimeIndex, rng: np.random.Generator,
               latitude: float = 21.0) -> np.ndarray:
    """Clear-sky cosine of zenith at the interval midpoint × a daily cloud factor."""
    mid = index + pd.Timedelta(minutes=30)
    doy = mid.day_of_year.to_numpy()
    solar_hour = mid.hour.to_numpy() + mid.minute.to_numpy() / 60.0 - 0.2  # 107 E vs UTC+7
    decl = np.radians(23.44) * np.sin(2 * np.pi * (284 + doy) / 365.0)
    lat = np.radians(latitude)
    ha = np.radians(15.0 * (solar_hour - 12.0))
    cosz = np.sin(lat) * np.sin(decl) + np.cos(lat) * np.cos(decl) * np.cos(ha)
    days = len(index) // 24 + 2
    cloud_day = np.clip(0.62 + 0.28 * _ar1(rng, days, 0.6), 0.08, 1.0)
    day_no = ((index - index[0]).days.to_numpy()).astype(int)
    return 0.82 * np.clip(cosz, 0.0, None) ** 1.15 * cloud_day[day_no]


def _wind_per_kw(n: int, rng: np.random.Generator) -> np.ndarray:
    """A generic 3–12 m/s cubic power curve on a persistent Weibull-like speed series."""
    z = _ar1(rng, n, 0.97)
    speed = 6.5 * np.exp(0.45 * z - 0.1)
    cf = np.clip((speed**3 - 3.0**3) / (12.0**3 - 3.0**3), 0.0, 1.0)
    cf[speed > 25.0] = 0.0
    return cf


def _load_kw(index: pd.DatetimeIndex, rng: np.random.Generator, peak_kw: float) -> np.ndarray:
    """Two shifts (06–22 h) on a base; Sunday at 60 %; small noise."""
    h = index.hour.to_numpy()
    shift = np.where((h >= 6) & (h < 22), 1.0, 0.55) + 0.08 * np.sin(np.pi * (h - 6) / 16.0)
    sunday = np.where(index.day_of_week.to_numpy() == 6, 0.6, 1.0)
    noise = 1.0 + 0.03 * _ar1(rng, len(index), 0.8)
    load = shift * sunday * noise
    return peak_kw * load / load.max()


def synthetic_park(hours: int = 8760, seed: int = 7, start: str = "2025-01-01",
                   peak_kw: float = 20_000.0) -> SyntheticPark:
    """Build a reproducible synthetic park of ``hours`` hours from ``start``.

    Parameters
    ----------
    hours : int
        Horizon length [h].
    seed : int
        Random seed.
    start : str
        First local hour label.
    peak_kw : float
        Peak load [kW].
    """
    rng = np.random.default_rng(seed)
    index = pd.date_range(start, periods=hours, freq="h", tz=LOCAL_TZ)
    return SyntheticPark(index=index, load_kw=_load_kw(index, rng, peak_kw),
                         pv_per_kw=_pv_per_kw(index, rng), wind_per_kw=_wind_per_kw(hours, rng),
                         import_price=hourly_prices(index, "evn_2025", "22_110kv").to_numpy())
