"""Wind physics, pure functions: hub-height wind (log profile or power law), hub-height
air density, wake wind-efficiency curves, power-curve smoothing, the density-corrected
power curve and a Weibull fit. windpowerlib wants kelvin; conversions happen here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from windpowerlib import density, power_curves, temperature, wake_losses
from windpowerlib import wind_speed as wpl_ws

from energy_model.errors import WeatherError
from energy_model.terrain import TERRAIN_BASIS, TERRAIN_ROUGHNESS_M  # noqa: F401 (re-exported)

#: Reference air density of power curves [kg/m³] (IEC 61400-12-1; windpowerlib's ρ₀).
RHO_REFERENCE = 1.225
#: Specific gas constant of dry air [J/(kg·K)] (same value as NREL SAM's lib_physics).
R_DRY_AIR = 287.058
#: Betz limit of the power coefficient [-].
BETZ_LIMIT = 16.0 / 27.0
#: Default height of the measured wind speed [m] (WMO standard anemometer height).
DEFAULT_WIND_HEIGHT_M = 10.0
#: Default height of the measured air temperature and pressure [m] (screen height).
DEFAULT_SCREEN_HEIGHT_M = 2.0
#: Blending height [m] above which the wind no longer feels local roughness
#: (Wieringa 1986, QJRMS 112:867; WMO-No. 8, exposure correction of surface wind).
BLENDING_HEIGHT_M = 60.0


#: Terrain assumed for a station whose weather says nothing (WMO siting standard).
DEFAULT_STATION_TERRAIN = "open"

#: windpowerlib's wind-efficiency curves (wake losses as a wind-speed reduction).
WAKE_CURVES = ("dena_mean", "knorr_mean", "dena_extreme1", "dena_extreme2",
               "knorr_extreme1", "knorr_extreme2", "knorr_extreme3")



@dataclass(frozen=True, eq=False)
class PowerCurve:
    """A turbine power curve at the reference air density 1.225 kg/m³.

    Attributes
    ----------
    wind_speed : numpy.ndarray
        Hub-height wind speeds, strictly increasing [m/s].
    power_kw : numpy.ndarray
        Electrical power of one turbine at each wind speed [kW].
    """

    wind_speed: np.ndarray
    power_kw: np.ndarray


def _frozen(values) -> np.ndarray:
    arr = np.array(values, dtype=float)
    arr.flags.writeable = False
    return arr



def hub_wind_speed(wind_speed, wind_height_m, hub_height_m, roughness_length_m,
                   site_roughness_length_m=None, hellman_exponent=None,
                   blending_height_m=BLENDING_HEIGHT_M):
    """Extrapolate wind speed from its measurement height to the hub height.

    Parameters
    ----------
    wind_speed : numeric
        Wind speed at ``wind_height_m`` [m/s].
    wind_height_m : float
        Measurement height [m].
    hub_height_m : float
        Hub height [m].
    roughness_length_m : float
        Roughness length around the measuring station [m].
    site_roughness_length_m : float, optional
        Roughness length at the turbine site [m]; default: the station's.
    hellman_exponent : float, optional
        Power-law exponent [-]; when given, ``v_hub = v (h_hub / h)^α`` replaces the log
        profile and the roughness lengths are ignored.
    blending_height_m : float, default 60
        Height where the two log profiles meet [m].

    Returns
    -------
    numeric
        Wind speed at hub height [m/s], same type as ``wind_speed``.

    Notes
    -----
    Log profile (windpowerlib ``logarithmic_profile``, no displacement height)::

        v_b   = v     · ln(h_b / z0_station) / ln(h / z0_station)
        v_hub = v_b   · ln(h_hub / z0_site)  / ln(h_b / z0_site)

    With ``z0_site == z0_station`` the blending height cancels: a single log profile.
    """
    if hellman_exponent is not None:
        return wpl_ws.hellman(wind_speed, wind_height_m, hub_height_m,
                              hellman_exponent=hellman_exponent)
    z_site = roughness_length_m if site_roughness_length_m is None else site_roughness_length_m
    if z_site == roughness_length_m:
        return wpl_ws.logarithmic_profile(wind_speed, wind_height_m, hub_height_m,
                                          roughness_length_m)
    v_blend = wpl_ws.logarithmic_profile(wind_speed, wind_height_m, blending_height_m,
                                         roughness_length_m)
    return wpl_ws.logarithmic_profile(v_blend, blending_height_m, hub_height_m, z_site)


def hub_air_density(temp_air, pressure, hub_height_m,
                    temperature_height_m=DEFAULT_SCREEN_HEIGHT_M,
                    pressure_height_m=DEFAULT_SCREEN_HEIGHT_M, model="ideal_gas"):
    """Air density at hub height.

    Parameters
    ----------
    temp_air : numeric
        Air temperature at ``temperature_height_m`` [°C].
    pressure : numeric
        Air pressure at ``pressure_height_m`` [Pa].
    hub_height_m : float
        Hub height [m].
    temperature_height_m, pressure_height_m : float, default 2
        Measurement heights [m].
    model : {'ideal_gas', 'barometric'}
        windpowerlib density model; both use a −1/8 hPa/m pressure gradient and the
        temperature is carried to hub height with −6.5 K/km (ICAO standard atmosphere).

    Returns
    -------
    numeric
        Dry-air density at hub height [kg/m³]; a Series if ``temp_air`` is one.
    """
    temp_k = np.asarray(temp_air, dtype=float) + 273.15  # windpowerlib wants kelvin
    temp_hub_k = temperature.linear_gradient(temp_k, temperature_height_m, hub_height_m)
    fn = {"ideal_gas": density.ideal_gas, "barometric": density.barometric}[model]
    rho = fn(np.asarray(pressure, dtype=float), pressure_height_m, hub_height_m, temp_hub_k)
    if isinstance(temp_air, pd.Series):
        return pd.Series(rho, index=temp_air.index, name="density")
    return rho if np.ndim(rho) else float(rho)


@functools.lru_cache(maxsize=None)
def wind_efficiency_curve(name: str) -> tuple[np.ndarray, np.ndarray]:
    """A windpowerlib wind-efficiency curve, with its duplicated wind speed dropped.

    Parameters
    ----------
    name : str
        One of :data:`WAKE_CURVES`.

    Returns
    -------
    wind_speed : numpy.ndarray
        Strictly increasing wind speeds [m/s].
    efficiency : numpy.ndarray
        Farm wind-speed efficiency at each speed [-].

    Notes
    -----
    windpowerlib 0.2.2's ``wind_efficiency_curves_dena.csv`` repeats 9.5328 m/s (rows 77
    and 78, same values); ``numpy.interp`` needs strictly increasing points.
    """
    curve = wake_losses.get_wind_efficiency_curve(name)
    curve = curve.drop_duplicates(subset="wind_speed", keep="first").sort_values("wind_speed")
    return (_frozen(curve["wind_speed"].to_numpy()), _frozen(curve["efficiency"].to_numpy()))


def reduce_wind_speed(wind_speed, curve_name):
    """Wind speed reduced by a farm wind-efficiency curve (wake losses).

    Parameters
    ----------
    wind_speed : numeric
        Free-stream hub-height wind speed [m/s].
    curve_name : str
        One of :data:`WAKE_CURVES`.

    Returns
    -------
    numeric
        Effective wind speed inside the farm [m/s].
    """
    ws, eff = wind_efficiency_curve(curve_name)
    return wind_speed * np.interp(wind_speed, ws, eff)


def smooth_power_curve(curve: PowerCurve, turbulence_intensity=None) -> PowerCurve:
    """Smooth a power curve over a Gaussian spread of wind speeds (Nørgaard & Holttinen).

    Parameters
    ----------
    curve : PowerCurve
        Curve to smooth.
    turbulence_intensity : float, optional
        Turbulence intensity [-]: σ = TI · v. Default: Staffell & Pfenninger,
        σ = 0.6 m/s + 0.2 · v.

    Returns
    -------
    PowerCurve
        windpowerlib ``smooth_power_curve`` result (extended 15 m/s past the last point).
    """
    kwargs = ({"standard_deviation_method": "Staffell_Pfenninger"} if turbulence_intensity is None
              else {"standard_deviation_method": "turbulence_intensity",
                    "turbulence_intensity": turbulence_intensity})
    df = power_curves.smooth_power_curve(pd.Series(curve.wind_speed, dtype=float),
                                         pd.Series(curve.power_kw, dtype=float), **kwargs)
    return PowerCurve(_frozen(df["wind_speed"].to_numpy(float)),
                      _frozen(df["value"].to_numpy(float)))


def power_from_curve(wind_speed, curve: PowerCurve, density=None, block=8760):
    """Power of one turbine from its curve, optionally density-corrected.

    Parameters
    ----------
    wind_speed : array-like
        Hub-height wind speed [m/s].
    curve : PowerCurve
        Power curve at 1.225 kg/m³.
    density : array-like, optional
        Hub-height air density [kg/m³]; ``None`` means no density correction.
    block : int, default 8760
        Rows processed at once (bounds memory to ``block × len(curve)`` floats).

    Returns
    -------
    numpy.ndarray
        Power [kW]; 0 below the first and above the last curve point.

    Notes
    -----
    The density correction is windpowerlib's ``power_curve_density_correction``
    (Svenningsen 2010, as in WindPRO): each curve speed moves to
    ``v_site = v_std (ρ₀/ρ)^p(v_std)`` with ``p`` from 1/3 below 7.5 m/s to 2/3 above
    12.5 m/s, then the power is interpolated linearly. It is vectorised here (a Python
    loop per hour in windpowerlib) and gives identical numbers. NREL SAM uses ``p = 1/3``
    everywhere (IEC 61400-12-1); the two differ only between 7.5 and 12.5 m/s.
    """
    v = np.asarray(wind_speed, dtype=float)
    xs, ps = curve.wind_speed, curve.power_kw
    if density is None:
        return np.interp(v, xs, ps, left=0.0, right=0.0)
    rho = np.broadcast_to(np.asarray(density, dtype=float), v.shape)
    exponent = np.interp(xs, [7.5, 12.5], [1.0 / 3.0, 2.0 / 3.0])
    out = np.empty_like(v)
    m = len(xs)
    for start in range(0, v.size, block):
        vv = v[start:start + block]
        nodes = (RHO_REFERENCE / rho[start:start + block, None]) ** exponent[None, :] * xs[None, :]
        j = (nodes <= vv[:, None]).sum(axis=1)
        jj = np.clip(j, 1, m - 1)
        rows = np.arange(vv.size)
        x0, x1 = nodes[rows, jj - 1], nodes[rows, jj]
        val = ps[jj - 1] + (ps[jj] - ps[jj - 1]) * (vv - x0) / (x1 - x0)
        val = np.where((j > 0) & (j < m), val, 0.0)
        out[start:start + block] = np.where(vv == nodes[:, -1], ps[-1], val)
    return out


def weibull_fit(wind_speed) -> tuple[float, float]:
    """Fit a two-parameter Weibull distribution by maximum likelihood.

    Parameters
    ----------
    wind_speed : array-like
        Wind speeds [m/s]; calms (0) are left out of the fit, as is usual.

    Returns
    -------
    k : float
        Shape factor [-].
    c : float
        Scale factor [m/s].
    """
    x = np.asarray(wind_speed, dtype=float)
    x = x[np.isfinite(x) & (x > 0)]
    if x.size < 10 or np.ptp(x) == 0:
        raise WeatherError("too few non-zero, varying wind speeds to fit a Weibull distribution")
    scale = x.mean()
    x = x / scale  # scale-free fit; c is scaled back below
    lnx = np.log(x)
    mean_ln = lnx.mean()

    def score(k):
        xk = x ** k
        return float((xk * lnx).sum() / xk.sum() - 1.0 / k - mean_ln)

    k = brentq(score, 0.05, 30.0, xtol=1e-10)
    c = float(np.mean(x ** k) ** (1.0 / k) * scale)
    return float(k), c
