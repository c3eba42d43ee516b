"""Solar position by NREL's SPA, fast: geocentric terms daily, topocentric terms hourly.

NREL's Solar Position Algorithm (Reda & Andreas 2004, corrigendum 2007) spends almost
all its time in the geocentric part (heliocentric longitude series, nutation), which
depends on time only and varies smoothly. :func:`solar_position` evaluates that part
once a day with pvlib's SPA functions and interpolates it linearly to each timestamp,
then runs the site-dependent topocentric part (parallax, hour angle, refraction)
exactly. The interpolation error is below 0.001° (checked against
``pvlib.solarposition.get_solarposition`` in the tests); the cost is about 1/20 of
pvlib's numpy SPA for a year of hours, so one site-year takes a few milliseconds.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from pvlib import spa

#: Refraction at sunrise and sunset assumed by SPA [deg] (pvlib default).
ATMOS_REFRACT = 0.5667
_SECONDS_PER_DAY = 86400.0


def _geocentric(unixtime: np.ndarray, delta_t: np.ndarray) -> dict[str, np.ndarray]:
    """SPA's time-only terms: sidereal time, right ascension, declination, radius."""
    jd = spa.julian_day(unixtime)
    jde = spa.julian_ephemeris_day(jd, delta_t)
    jc = spa.julian_century(jd)
    jce = spa.julian_ephemeris_century(jde)
    jme = spa.julian_ephemeris_millennium(jce)
    R = spa.heliocentric_radius_vector(jme)
    L = spa.heliocentric_longitude(jme)
    B = spa.heliocentric_latitude(jme)
    theta = spa.geocentric_longitude(L)
    beta = spa.geocentric_latitude(B)
    x0 = spa.mean_elongation(jce)
    x1 = spa.mean_anomaly_sun(jce)
    x2 = spa.mean_anomaly_moon(jce)
    x3 = spa.moon_argument_latitude(jce)
    x4 = spa.moon_ascending_longitude(jce)
    nut = np.empty((2, len(x0)))
    spa.longitude_obliquity_nutation(jce, x0, x1, x2, x3, x4, nut)
    delta_psi, delta_eps = nut
    epsilon = spa.true_ecliptic_obliquity(spa.mean_ecliptic_obliquity(jme), delta_eps)
    lamd = spa.apparent_sun_longitude(theta, delta_psi, spa.aberration_correction(R))
    v = spa.apparent_sidereal_time(spa.mean_sidereal_time(jd, jc), delta_psi, epsilon)
    alpha = spa.geocentric_sun_right_ascension(lamd, epsilon, beta)
    delta = spa.geocentric_sun_declination(lamd, epsilon, beta)
    return {"v": v, "alpha": alpha, "delta": delta, "R": R}


@functools.lru_cache(maxsize=64)
def _daily_nodes(day0: int, day1: int) -> dict[str, np.ndarray]:
    """Geocentric terms at 00:00 UTC of days ``day0 … day1`` (days since the Unix epoch).

    Cached: every site simulated over the same period shares them, so the costly part
    of SPA runs once per weather period, not once per site.
    """
    nodes = np.arange(day0, day1 + 1, dtype=float) * _SECONDS_PER_DAY
    node_times = pd.to_datetime(nodes, unit="s")
    delta_t = spa.calculate_deltat(node_times.year.values, node_times.month.values)
    geo = _geocentric(nodes, np.asarray(delta_t, dtype=float))
    out = {"t": nodes, "delta": geo["delta"], "R": geo["R"],
           "v_res": _unwrap_deg((geo["v"] - _earth_rotation(nodes)) % 360.0),
           "alpha": _unwrap_deg(geo["alpha"])}
    for a in out.values():
        a.setflags(write=False)
    return out


def _earth_rotation(unixtime: np.ndarray) -> np.ndarray:
    """Mean sidereal rotation since the Unix epoch, modulo 360 [deg]."""
    days = unixtime / _SECONDS_PER_DAY
    return (days % 1.0 * 360.98564736629 + np.floor(days) * 0.98564736629) % 360.0


def _unwrap_deg(x: np.ndarray) -> np.ndarray:
    return np.degrees(np.unwrap(np.radians(x)))


def solar_position(times: pd.DatetimeIndex, latitude: float, longitude: float,
                   altitude: float = 0.0, pressure: float | np.ndarray = 101325.0,
                   temperature: float | np.ndarray = 12.0) -> dict[str, np.ndarray]:
    """Apparent solar zenith and azimuth at the given instants (NREL SPA).

    Parameters
    ----------
    times : pandas.DatetimeIndex
        Instants, tz-aware (for hourly data labelled at interval start, pass
        ``index + 30 min``, the interval midpoints).
    latitude : float
        Site latitude [deg N].
    longitude : float
        Site longitude [deg E].
    altitude : float, default 0
        Site altitude [m].
    pressure : float or array, default 101325
        Air pressure for the refraction correction [Pa].
    temperature : float or array, default 12
        Air temperature for the refraction correction [°C].

    Returns
    -------
    dict of numpy.ndarray
        ``apparent_zenith``, ``zenith``, ``azimuth`` [deg] (azimuth clockwise from north)
        and ``elevation`` (apparent) [deg].
    """
    if times.tz is None:
        raise ValueError("times must be tz-aware")
    ut = np.asarray(times.tz_convert("UTC").as_unit("ns").asi8, dtype=np.float64) / 1e9
    day0 = int(np.floor(ut.min() / _SECONDS_PER_DAY)) - 1
    day1 = int(np.ceil(ut.max() / _SECONDS_PER_DAY)) + 1
    geo = _daily_nodes(day0, day1)
    nodes = geo["t"]
    # sidereal time turns 360.9856°/day: interpolate only its slow residual
    v = (np.interp(ut, nodes, geo["v_res"]) + _earth_rotation(ut)) % 360.0
    alpha = np.interp(ut, nodes, geo["alpha"]) % 360.0
    delta = np.interp(ut, nodes, geo["delta"])
    R = np.interp(ut, nodes, geo["R"])

    # topocentric part of SPA (Reda & Andreas 2004, eqs 3.10–3.16), fused in radians
    rad = np.pi / 180.0
    H = ((v + longitude - alpha) % 360.0) * rad
    xi = 8.794 / (3600.0 * R) * rad
    phi = latitude * rad
    u = np.arctan(0.99664719 * np.tan(phi))
    x = np.cos(u) + altitude / 6378140.0 * np.cos(phi)
    y = 0.99664719 * np.sin(u) + altitude / 6378140.0 * np.sin(phi)
    d = delta * rad
    sin_xi, cos_h, cos_d = np.sin(xi), np.cos(H), np.cos(d)
    den = cos_d - x * sin_xi * cos_h
    d_alpha = np.arctan2(-x * sin_xi * np.sin(H), den)
    d_prime = np.arctan2((np.sin(d) - y * sin_xi) * np.cos(d_alpha), den)
    h_prime = H - d_alpha
    cos_hp = np.cos(h_prime)
    e0 = np.degrees(np.arcsin(np.sin(phi) * np.sin(d_prime)
                              + np.cos(phi) * np.cos(d_prime) * cos_hp))
    with np.errstate(invalid="ignore", divide="ignore"):
        p_mbar, t_c = np.asarray(pressure) / 100.0, np.asarray(temperature)
        delta_e = ((p_mbar / 1010.0) * (283.0 / (273.0 + t_c))
                   * 1.02 / (60.0 * np.tan((e0 + 10.3 / (e0 + 5.11)) * rad)))
    e = e0 + np.where(e0 >= -(0.26667 + ATMOS_REFRACT), delta_e, 0.0)
    gamma = np.degrees(np.arctan2(np.sin(h_prime),
                                  cos_hp * np.sin(phi) - np.tan(d_prime) * np.cos(phi)))
    return {"apparent_zenith": 90.0 - e, "zenith": 90.0 - e0,
            "azimuth": (gamma + 180.0) % 360.0, "elevation": e}
