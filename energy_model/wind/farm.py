"""Wind farms → hourly AC power [kW], offline and density-corrected.

Data flow of :func:`simulate_wind`, one farm at a time::

    canonical weather (wind_speed at the measurement height, temp_air, pressure)
      → hub-height wind speed: log profile with the station's roughness up to a blending
        height, then down with the site's roughness (or a Hellman power law)
      → hub-height air temperature (−6.5 K/km) and density (ideal gas or barometric)
      → wake: wind speed × a dena/knorr wind-efficiency curve (duplicate point dropped)
      → density-corrected power curve (Svenningsen exponent 1/3 … 2/3, windpowerlib)
      → × count × farm efficiency × availability × (1 − electrical loss)  →  kW

Every hourly value keeps the weather's label (interval start: the value at 10:00 is the
mean over 10:00–11:00). windpowerlib wants kelvin and a frame indexed by
(variable, height); those conversions happen here, never in user data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from energy_model.bands import check
from energy_model.errors import Problem, ScenarioError, UsageError, WeatherError
from energy_model.wind.physics import (DEFAULT_SCREEN_HEIGHT_M, DEFAULT_STATION_TERRAIN,
                                       DEFAULT_WIND_HEIGHT_M, TERRAIN_ROUGHNESS_M,
                                       hub_air_density, hub_wind_speed, power_from_curve,
                                       reduce_wind_speed, smooth_power_curve, weibull_fit)
from energy_model.scenario.wind import WindFarm
from energy_model.timeseries import time_step_hours
from energy_model.wind.turbines import Turbine, get_turbine, load_power_curve


def farm_turbine(farm: WindFarm) -> Turbine:
    """The turbine of ``farm``: its library type or its power-curve file."""
    turbine = get_turbine(farm.turbine) if farm.turbine else load_power_curve(farm.power_curve)
    if farm.hub_height_m <= turbine.rotor_diameter_m / 2:
        raise ScenarioError(f"wind farm {farm.name!r}: hub_height_m {farm.hub_height_m:g} m is "
                            f"not above the blade tip of {turbine.name} (rotor "
                            f"{turbine.rotor_diameter_m:g} m)")
    return turbine


def farm_capacity_kw(farm: WindFarm) -> dict:
    """Capacity of a farm for sizing: the fixed fleet or the limit, in kW.

    Parameters
    ----------
    farm : WindFarm

    Returns
    -------
    dict
        ``nominal_kw_per_turbine`` [kW] (the sizing step), ``fixed_kw`` [kW] (``count`` ×
        nominal, or ``None`` for a sizing farm), ``max_kw`` [kW] (``max_count`` × nominal,
        or the fixed capacity) and ``offsite`` (DPPA supply, not on-site capacity).
    """
    nominal = farm_turbine(farm).nominal_kw
    fixed = None if farm.count is None else farm.count * nominal
    limit = fixed if fixed is not None else farm.max_count * nominal
    return {"nominal_kw_per_turbine": nominal, "fixed_kw": fixed, "max_kw": limit,
            "offsite": farm.offsite}


# --------------------------------------------------------------------------------------
# Weather handling
# --------------------------------------------------------------------------------------

def _weather_checked(weather: pd.DataFrame) -> pd.DataFrame:
    """Check the canonical weather columns the wind stage needs; raise WeatherError."""
    if not isinstance(weather, pd.DataFrame):
        raise WeatherError(f"weather must be a pandas DataFrame, got {type(weather).__name__}")
    missing = [c for c in ("wind_speed", "temp_air", "pressure") if c not in weather.columns]
    if missing:
        raise WeatherError(f"weather lacks column(s) {missing} needed by the wind stage "
                           "(wind_speed [m/s], temp_air [°C], pressure [Pa])")
    if not isinstance(weather.index, pd.DatetimeIndex) or weather.index.tz is None:
        raise WeatherError("weather needs a time-zone-aware DatetimeIndex (interval-start labels)")
    if len(weather) < 2:
        raise WeatherError("weather has fewer than 2 time steps")
    problems = []
    for col, low, high, unit in (("wind_speed", 0.0, 75.0, "m/s"), ("temp_air", -60.0, 60.0, "°C"),
                                 ("pressure", 50_000.0, 110_000.0, "Pa")):
        values = weather[col].to_numpy(dtype=float)
        bad = ~np.isfinite(values)
        if bad.any():
            problems.append(Problem(f"{col}: {int(bad.sum())} missing value(s), first at "
                                    f"{weather.index[np.argmax(bad)]}", key=col))
            continue
        out = (values < low) | (values > high)
        if out.any():
            hint = " (looks like hPa/mbar; the canonical unit is Pa)" if (
                col == "pressure" and 500 < np.median(values) < 1100) else ""
            problems.append(Problem(f"{col}: {int(out.sum())} value(s) outside {low:g}–{high:g} "
                                    f"{unit}, e.g. {values[np.argmax(out)]:g}{hint}", key=col))
    if problems:
        raise WeatherError("weather is not usable by the wind stage", problems)
    return weather


def _station_roughness(attrs: Mapping) -> tuple[float, str]:
    """Station roughness length [m] and how it was chosen, from weather metadata."""
    if attrs.get("roughness_length_m") is not None:
        return float(attrs["roughness_length_m"]), "station roughness_length_m from the weather"
    terrain = attrs.get("terrain")
    if terrain is not None:
        if terrain not in TERRAIN_ROUGHNESS_M:
            raise WeatherError(f"weather metadata terrain {terrain!r} is not one of "
                               f"{sorted(TERRAIN_ROUGHNESS_M)}")
        return TERRAIN_ROUGHNESS_M[terrain], f"station terrain '{terrain}' from the weather"
    return (TERRAIN_ROUGHNESS_M[DEFAULT_STATION_TERRAIN],
            f"no station roughness in the weather: WMO standard exposure "
            f"'{DEFAULT_STATION_TERRAIN}'")


@dataclass(frozen=True)
class _FarmSeries:
    wind_speed_hub: np.ndarray  # free-stream hub wind [m/s]
    turbine_kw: np.ndarray  # one turbine, after wake, before availability/electrical [kW]
    net_factor: float  # farm_efficiency × availability × (1 − electrical_loss) [-]
    turbine: Turbine
    info: dict


def _simulate_farm(weather: pd.DataFrame, farm: WindFarm, wind_height_m: float | None,
                   roughness_length_m: float | None = None,
                   turbine: Turbine | None = None) -> _FarmSeries:
    attrs = dict(weather.attrs)
    turbine = farm_turbine(farm) if turbine is None else turbine
    h_wind = float(wind_height_m if wind_height_m is not None
                   else attrs.get("wind_height_m", DEFAULT_WIND_HEIGHT_M))
    if roughness_length_m is not None:
        z_station, z_basis = float(roughness_length_m), "given roughness_length_m"
    else:
        z_station, z_basis = _station_roughness(attrs)
    if farm.roughness_length_m is not None:
        z_site = farm.roughness_length_m
    elif farm.terrain is not None:
        z_site = TERRAIN_ROUGHNESS_M[farm.terrain]
    else:
        z_site = z_station
    v_meas = weather["wind_speed"].to_numpy(dtype=float)
    v_hub = np.asarray(hub_wind_speed(v_meas, h_wind, farm.hub_height_m, z_station, z_site,
                                      farm.hellman_exponent), dtype=float)
    rho = np.asarray(hub_air_density(
        weather["temp_air"].to_numpy(dtype=float), weather["pressure"].to_numpy(dtype=float),
        farm.hub_height_m, float(attrs.get("temperature_height_m", DEFAULT_SCREEN_HEIGHT_M)),
        float(attrs.get("pressure_height_m", DEFAULT_SCREEN_HEIGHT_M)), farm.density_model),
        dtype=float)
    curve = turbine.power_curve
    if farm.smoothing:
        curve = smooth_power_curve(curve, farm.turbulence_intensity)
    wake = farm.wake_model
    v_eff = v_hub if wake == "none" else reduce_wind_speed(v_hub, wake)
    kw = power_from_curve(v_eff, curve, rho if farm.density_correction else None)
    net = ((farm.farm_efficiency if farm.farm_efficiency is not None else 1.0)
           * farm.availability * (1.0 - farm.electrical_loss))
    info = {
        "turbine": turbine.name, "nominal_kw_per_turbine": turbine.nominal_kw,
        "count": farm.fleet_size, "sizing": farm.count is None, "offsite": farm.offsite,
        "hub_height_m": farm.hub_height_m, "wind_height_m": h_wind,
        "profile": "hellman" if farm.hellman_exponent is not None else "logarithmic",
        "hellman_exponent": farm.hellman_exponent,
        "station_roughness_length_m": z_station, "station_roughness_basis": z_basis,
        "site_roughness_length_m": z_site, "wake": wake,
        "farm_efficiency": farm.farm_efficiency, "availability": farm.availability,
        "electrical_loss": farm.electrical_loss, "density_correction": farm.density_correction,
        "density_model": farm.density_model, "mean_air_density_kg_m3": float(rho.mean()),
        "smoothing": farm.smoothing,
    }
    return _FarmSeries(v_hub, kw, net, turbine, info)


def _as_farms(farms) -> list[WindFarm]:
    if isinstance(farms, WindFarm):
        farms = [farms]
    farms = list(farms)
    names = [f.name for f in farms]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ScenarioError(f"wind farm names must be unique, repeated: {dup}")
    return farms


def _check_cf(kw: np.ndarray, nominal_kw: float, name: str) -> float:
    cf = float(kw.mean() / nominal_kw) if nominal_kw > 0 else 0.0
    check("wind_cf", cf, f"wind farm {name!r}")
    return cf


# --------------------------------------------------------------------------------------
# Public simulation API
# --------------------------------------------------------------------------------------

def simulate_wind(weather: pd.DataFrame, farms: WindFarm | Iterable[WindFarm],
                  wind_height_m: float | None = None) -> pd.DataFrame:
    """Hourly AC power of wind farms.

    Parameters
    ----------
    weather : pandas.DataFrame
        Canonical weather: ``wind_speed`` [m/s] at the measurement height, ``temp_air``
        [°C], ``pressure`` [Pa]; tz-aware index labelled at interval start. ``attrs`` may
        give ``wind_height_m`` (default 10), ``terrain`` or ``roughness_length_m`` of the
        station, ``temperature_height_m`` and ``pressure_height_m`` (default 2).
    farms : WindFarm or iterable of WindFarm
        Farms to simulate. A fixed fleet runs at ``count`` turbines; a sizing farm
        (``max_count``) runs one turbine.
    wind_height_m : float, optional
        Measurement height of ``wind_speed`` [m]; overrides ``weather.attrs``.

    Returns
    -------
    pandas.DataFrame
        Same index as ``weather``; per farm ``<name>_kw`` (net AC power [kW]) and
        ``<name>_wind_speed_hub`` (free-stream hub-height wind [m/s]). ``attrs["wind"]``
        maps farm name → the settings in force (roughness used and why, wake model,
        density, off-site flag); ``attrs["wind_offsite"]`` lists off-site farms, whose
        output is DPPA supply and never on-site generation.

    Raises
    ------
    WeatherError
        Missing columns, gaps or values out of physical range.
    ScenarioError
        Unknown turbine, bad power curve file, hub below blade tip, repeated names.
    InvariantError
        A farm's capacity factor outside ``BANDS["wind_cf"]``.
    """
    weather = _weather_checked(weather)
    out: dict[str, np.ndarray] = {}
    info: dict[str, dict] = {}
    for farm in _as_farms(farms):
        s = _simulate_farm(weather, farm, wind_height_m)
        kw = s.turbine_kw * s.net_factor * farm.fleet_size
        cf = _check_cf(kw, s.turbine.nominal_kw * farm.fleet_size, farm.name)
        out[f"{farm.name}_kw"] = kw
        out[f"{farm.name}_wind_speed_hub"] = s.wind_speed_hub
        info[farm.name] = {**s.info, "capacity_factor": cf}
    result = pd.DataFrame(out, index=weather.index)
    result.attrs["wind"] = info
    result.attrs["wind_offsite"] = [n for n, i in info.items() if i["offsite"]]
    return result


def wind_profiles_per_kw(weather: pd.DataFrame, farms: WindFarm | Iterable[WindFarm],
                         wind_height_m: float | None = None) -> pd.DataFrame:
    """Hourly AC power per kW of installed wind capacity, for sizing.

    Parameters
    ----------
    weather : pandas.DataFrame
        As for :func:`simulate_wind`.
    farms : WindFarm or iterable of WindFarm
        Farms; ``count`` or ``max_count`` does not matter here.
    wind_height_m : float, optional
        Measurement height of ``wind_speed`` [m].

    Returns
    -------
    pandas.DataFrame
        Column ``<name>_kw_per_kw`` per farm [kW/kW], net of wake, availability and
        electrical losses; ``attrs`` as in :func:`simulate_wind` plus
        ``attrs["wind"][name]["nominal_kw_per_turbine"]`` (the sizing step [kW]).
    """
    weather = _weather_checked(weather)
    out: dict[str, np.ndarray] = {}
    info: dict[str, dict] = {}
    for farm in _as_farms(farms):
        s = _simulate_farm(weather, farm, wind_height_m)
        per_kw = s.turbine_kw * s.net_factor / s.turbine.nominal_kw
        cf = _check_cf(per_kw, 1.0, farm.name)
        out[f"{farm.name}_kw_per_kw"] = per_kw
        info[farm.name] = {**s.info, "capacity_factor": cf}
    result = pd.DataFrame(out, index=weather.index)
    result.attrs["wind"] = info
    result.attrs["wind_offsite"] = [n for n, i in info.items() if i["offsite"]]
    return result


def onsite_offsite_kw(result: pd.DataFrame) -> pd.DataFrame:
    """Split a :func:`simulate_wind` result into on-site and off-site (DPPA) supply.

    Parameters
    ----------
    result : pandas.DataFrame
        Output of :func:`simulate_wind`.

    Returns
    -------
    pandas.DataFrame
        Columns ``wind_onsite_kw`` and ``wind_offsite_kw`` [kW].
    """
    offsite = set(result.attrs.get("wind_offsite", []))
    names = list(result.attrs.get("wind", {}))
    on = [f"{n}_kw" for n in names if n not in offsite]
    off = [f"{n}_kw" for n in names if n in offsite]
    return pd.DataFrame({"wind_onsite_kw": result[on].sum(axis=1) if on else 0.0,
                         "wind_offsite_kw": result[off].sum(axis=1) if off else 0.0},
                        index=result.index)


def wind_resource_summary(weather: pd.DataFrame, farm: WindFarm | float,
                          turbine: str | Turbine | None = None, *,
                          wind_height_m: float | None = None,
                          roughness_length_m: float | None = None) -> dict:
    """Hub-height wind resource and the yield of one turbine.

    Parameters
    ----------
    weather : pandas.DataFrame
        As for :func:`simulate_wind`.
    farm : WindFarm or float
        A farm (its hub height, turbine, profile and losses are used), or a hub height
        [m] with ``turbine`` (gross yield: no wake, availability or electrical loss).
    turbine : str or Turbine, optional
        Turbine name or object; required with a hub height, overrides a farm's.
    wind_height_m : float, optional
        Measurement height of ``wind_speed`` [m].
    roughness_length_m : float, optional
        Station roughness length [m]; default from the weather metadata, else open
        terrain (0.03 m).

    Returns
    -------
    dict
        ``hub_height_m`` [m], ``mean_wind_speed_hub_ms`` [m/s], ``weibull_k`` [-],
        ``weibull_c_ms`` [m/s], ``calm_fraction`` [-], ``mean_air_density_kg_m3``,
        ``turbine``, ``nominal_kw`` [kW], ``energy_mwh_per_year`` (one turbine) [MWh/yr],
        ``capacity_factor`` [-] (checked against ``BANDS["wind_cf"]``),
        ``full_load_hours`` [h/yr], and the roughness lengths used with their basis.
    """
    weather = _weather_checked(weather)
    if isinstance(turbine, str):
        turbine = get_turbine(turbine)
    if isinstance(farm, WindFarm):
        spec = farm
    else:
        if turbine is None:
            raise UsageError("wind_resource_summary: give a turbine with a hub height")
        spec = WindFarm(name="summary", turbine=turbine.name, hub_height_m=float(farm), count=1,
                        wake="none", availability=1.0, electrical_loss=0.0)
    if turbine is not None and spec.hub_height_m <= turbine.rotor_diameter_m / 2:
        raise ScenarioError(f"hub height {spec.hub_height_m:g} m is not above the blade tip of "
                            f"{turbine.name} (rotor {turbine.rotor_diameter_m:g} m)")
    s = _simulate_farm(weather, spec, wind_height_m, roughness_length_m, turbine)
    kw = s.turbine_kw * s.net_factor
    step_h = time_step_hours(weather.index, "weather", spliced=True)
    years = len(weather) * step_h / 8760.0
    cf = _check_cf(kw, s.turbine.nominal_kw, spec.name)
    k, c = weibull_fit(s.wind_speed_hub)
    return {
        "hub_height_m": spec.hub_height_m,
        "mean_wind_speed_hub_ms": float(s.wind_speed_hub.mean()),
        "weibull_k": k,
        "weibull_c_ms": c,
        "calm_fraction": float(np.mean(s.wind_speed_hub <= 0)),
        "mean_air_density_kg_m3": s.info["mean_air_density_kg_m3"],
        "turbine": s.turbine.name,
        "nominal_kw": s.turbine.nominal_kw,
        "energy_mwh_per_year": float(kw.sum() * step_h / 1000.0 / years),
        "capacity_factor": cf,
        "full_load_hours": cf * 8760.0,
        "wind_height_m": s.info["wind_height_m"],
        "station_roughness_length_m": s.info["station_roughness_length_m"],
        "station_roughness_basis": s.info["station_roughness_basis"],
        "site_roughness_length_m": s.info["site_roughness_length_m"],
        "profile": s.info["profile"],
    }


def monthly_table(power_kw: pd.Series, wind_speed_hub: pd.Series,
                  nominal_kw: float) -> pd.DataFrame:
    """Monthly energy, capacity factor and mean hub wind.

    Parameters
    ----------
    power_kw : pandas.Series
        Farm power [kW], interval-start labels.
    wind_speed_hub : pandas.Series
        Hub-height wind speed [m/s].
    nominal_kw : float
        Installed capacity [kW].

    Returns
    -------
    pandas.DataFrame
        Index month (1–12); columns ``energy_mwh``, ``capacity_factor`` [-],
        ``mean_wind_speed_hub_ms`` [m/s].
    """
    step_h = time_step_hours(power_kw.index, "a wind power series", spliced=True)
    month = power_kw.index.month
    df = pd.DataFrame({"kw": power_kw.to_numpy(), "v": wind_speed_hub.to_numpy(), "month": month})
    g = df.groupby("month")
    out = pd.DataFrame({
        "energy_mwh": g["kw"].sum() * step_h / 1000.0,
        "capacity_factor": g["kw"].mean() / nominal_kw if nominal_kw > 0 else 0.0,
        "mean_wind_speed_hub_ms": g["v"].mean(),
    })
    out.index.name = "month"
    return out
