"""Sun geometry over labelled hourly intervals, shared by the weather checks, statistics
and synthesis.

Every hourly value in energy_model is labelled at interval start: the value at 10:00 is
the mean over 10:00–11:00. The extraterrestrial irradiance of such an interval is its
*mean* over the interval, integrated analytically over the hour angle (Duffie & Beckman,
*Solar Engineering of Thermal Processes*, 4th ed., eq. 1.10.4), not the instantaneous
value at one instant; so sunrise and sunset hours get the sunlit part only.

Declination, equation of time and the eccentricity correction use Spencer (1971) through
pvlib; they are evaluated once per interval (error < 0.5° in angle, negligible in the
hourly integral).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pvlib

#: Solar constant [W/m²] used with the Spencer eccentricity correction (pvlib default).
SOLAR_CONSTANT = 1366.1


@dataclass(frozen=True)
class IntervalSun:
    """Sun geometry of hourly intervals labelled at their start.

    Attributes
    ----------
    extra_horizontal : numpy.ndarray
        Mean extraterrestrial irradiance on a horizontal plane over the interval [W/m²].
    extra_horizontal_max : numpy.ndarray
        Highest instantaneous extraterrestrial horizontal irradiance within the interval
        [W/m²] (the physical ceiling of any mean GHI in it).
    sunlit_fraction : numpy.ndarray
        Share of the interval with the sun above the horizon [-].
    sin_elevation_sunlit : numpy.ndarray
        Sine of the sun elevation at the midpoint of the sunlit part [-] (0 when dark).
    cos_zenith_mid : numpy.ndarray
        Cosine of the zenith angle at the interval midpoint (label + 30 min) [-]; negative
        when the sun is below the horizon there.
    solar_time_mid : numpy.ndarray
        Local apparent solar time at the interval midpoint [h], in [0, 24).
    sunrise_solar_time : numpy.ndarray
        Apparent solar time of sunrise on that day [h] (0 for polar day, 12 for polar night).
    dni_extra : numpy.ndarray
        Extraterrestrial normal irradiance [W/m²].
    day_of_year : numpy.ndarray
        Day of year of the interval midpoint, in UTC [-].
    """

    extra_horizontal: np.ndarray
    extra_horizontal_max: np.ndarray
    sunlit_fraction: np.ndarray
    sin_elevation_sunlit: np.ndarray
    cos_zenith_mid: np.ndarray
    solar_time_mid: np.ndarray
    sunrise_solar_time: np.ndarray
    dni_extra: np.ndarray
    day_of_year: np.ndarray


def _horizontal_integral(a, b, sin_lat, cos_lat, sin_dec, cos_dec):
    """Integral of cos(zenith) over hour angle from ``a`` to ``b`` [rad], ``a <= b``."""
    return (b - a) * sin_lat * sin_dec + cos_lat * cos_dec * (np.sin(b) - np.sin(a))


def interval_sun(index: pd.DatetimeIndex, latitude: float, longitude: float,
                 step_hours: float = 1.0) -> IntervalSun:
    """Sun geometry of intervals that start at ``index``.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Interval starts, tz-aware (any time zone).
    latitude : float
        Site latitude [°], north positive.
    longitude : float
        Site longitude [°], east positive.
    step_hours : float, default 1.0
        Interval length [h].

    Returns
    -------
    IntervalSun
        Arrays aligned with ``index``.
    """
    if index.tz is None:
        raise TypeError("interval_sun needs a tz-aware index")
    mid = index.tz_convert("UTC") + pd.Timedelta(hours=step_hours / 2)
    doy = np.asarray(mid.day_of_year, dtype=float)
    hour_utc = np.asarray(mid.hour + mid.minute / 60.0 + mid.second / 3600.0, dtype=float)
    dec = np.asarray(pvlib.solarposition.declination_spencer71(doy))
    eot = np.asarray(pvlib.solarposition.equation_of_time_spencer71(doy))  # minutes
    dni_extra = np.asarray(pvlib.irradiance.get_extra_radiation(
        doy, solar_constant=SOLAR_CONSTANT, method="spencer"))
    solar_mid = np.mod(hour_utc + longitude / 15.0 + eot / 60.0, 24.0)
    lat = np.radians(latitude)
    sin_lat, cos_lat = np.sin(lat), np.cos(lat)
    sin_dec, cos_dec = np.sin(dec), np.cos(dec)
    ws = np.arccos(np.clip(-np.tan(lat) * np.tan(dec), -1.0, 1.0))  # sunset hour angle
    half = np.radians(7.5 * step_hours)
    w_mid = np.radians(15.0 * (solar_mid - 12.0))  # in [-pi, pi)
    w1, w2 = w_mid - half, w_mid + half
    total = np.zeros_like(w_mid)
    sunlit = np.zeros_like(w_mid)
    wmax_cos = np.full_like(w_mid, -np.inf)
    # the sunlit window [-ws, ws] repeats every 2 pi; an interval may touch two copies
    best_len = np.zeros_like(w_mid)
    sunlit_mid = np.zeros_like(w_mid)
    for shift in (-2 * np.pi, 0.0, 2 * np.pi):
        a = np.clip(w1, shift - ws, shift + ws)
        b = np.clip(w2, shift - ws, shift + ws)
        length = b - a
        total += np.where(length > 0, _horizontal_integral(a - shift, b - shift, sin_lat,
                                                           cos_lat, sin_dec, cos_dec), 0.0)
        sunlit += np.maximum(length, 0.0)
        closest = np.clip(shift, a, b) - shift  # hour angle nearest noon inside [a, b]
        cz = sin_lat * sin_dec + cos_lat * cos_dec * np.cos(closest)
        wmax_cos = np.where(length > 0, np.maximum(wmax_cos, cz), wmax_cos)
        longer = length > best_len
        sunlit_mid = np.where(longer, (a + b) / 2 - shift, sunlit_mid)
        best_len = np.where(longer, length, best_len)
    width = 2 * half
    extra = np.maximum(dni_extra * total / width, 0.0)
    extra_max = np.where(np.isfinite(wmax_cos), dni_extra * np.maximum(wmax_cos, 0.0), 0.0)
    sin_el = np.where(best_len > 0,
                      sin_lat * sin_dec + cos_lat * cos_dec * np.cos(sunlit_mid), 0.0)
    cos_z_mid = sin_lat * sin_dec + cos_lat * cos_dec * np.cos(w_mid)
    sunrise = 12.0 - np.degrees(ws) / 15.0
    return IntervalSun(extra_horizontal=extra, extra_horizontal_max=extra_max,
                       sunlit_fraction=np.clip(sunlit / width, 0.0, 1.0),
                       sin_elevation_sunlit=np.maximum(sin_el, 0.0),
                       cos_zenith_mid=cos_z_mid, solar_time_mid=solar_mid,
                       sunrise_solar_time=sunrise, dni_extra=dni_extra, day_of_year=doy)


def utc_offset_hours(index: pd.DatetimeIndex) -> np.ndarray:
    """UTC offset of each timestamp of a tz-aware index [h]."""
    naive_local = index.tz_localize(None)
    naive_utc = index.tz_convert("UTC").tz_localize(None)
    return np.asarray((naive_local - naive_utc) / pd.Timedelta(hours=1), dtype=float)
