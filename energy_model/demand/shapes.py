"""Hourly load shapes: shift patterns on the calendar's day levels, cooling with air
temperature (the Hạ Long climatology by default) and HOMER-style noise."""

from __future__ import annotations

import numpy as np
import pandas as pd

from energy_model.demand.calendar import day_levels
from energy_model.demand.intensities import (COOLING_BALANCE_C, DIURNAL_HALF_RANGE_C,
                                             HA_LONG_TEMP_AIR_MONTHLY, SHIFT_PATTERNS)
from energy_model.errors import WeatherError


def reduced_day(pattern: np.ndarray, level: np.ndarray) -> np.ndarray:
    """Hourly profiles of days whose mean is ``level`` × the working-day mean.

    A reduced day keeps the pattern's base load and scales only the shift part above
    it; a day below the base load is flat. A level above 1 (tourism at weekends) scales
    the part above the base up.

    Parameters
    ----------
    pattern : array of 24 floats
        Working-day relative level by hour [-].
    level : array of n floats
        Day mean relative to a working day [-].

    Returns
    -------
    numpy.ndarray
        Shape (n, 24), relative level by day and hour [-].
    """
    p = np.asarray(pattern, float)
    lvl = np.asarray(level, float)[:, None]
    mean, base = p.mean(), p.min()
    target = lvl * mean
    if mean - base > 1e-9:
        f = np.maximum((target - base) / (mean - base), 0.0)
        shaped = base + f * (p - base)
        return np.where(target >= base, shaped, np.broadcast_to(target, (lvl.shape[0], 24)))
    return np.broadcast_to(p, (lvl.shape[0], 24)) * lvl


def climatology_temp_air(index: pd.DatetimeIndex) -> pd.Series:
    """Hourly air temperature from the Hạ Long monthly climatology [°C].

    Monthly means of :data:`HA_LONG_TEMP_AIR_MONTHLY` are interpolated linearly between
    mid-months (cyclic over the year), plus a cosine diurnal cycle of half-range
    :data:`DIURNAL_HALF_RANGE_C` peaking at 14:30 local. Values are interval means
    evaluated at the interval midpoint (label + 30 min).

    Parameters
    ----------
    index : DatetimeIndex
        Hourly, tz-aware, interval-start labels.

    Returns
    -------
    pandas.Series
        ``temp_air`` [°C] on ``index``.
    """
    mid = index + pd.Timedelta(minutes=30)
    doy = (mid.day_of_year - 1 + (mid.hour + mid.minute / 60.0) / 24.0).to_numpy()
    months = np.asarray(HA_LONG_TEMP_AIR_MONTHLY)
    centres = (np.arange(12) + 0.5) * 365.25 / 12
    xs = np.concatenate([centres - 365.25, centres, centres + 365.25])
    seasonal = np.interp(doy, xs, np.tile(months, 3))
    hour = (mid.hour + mid.minute / 60.0).to_numpy()
    diurnal = DIURNAL_HALF_RANGE_C * np.cos(2 * np.pi * (hour - 14.5) / 24.0)
    return pd.Series(seasonal + diurnal, index=index, name="temp_air")


def cooling_factor(temp_air, cooling_sensitivity: float,
                   balance_c: float = COOLING_BALANCE_C):
    """Load multiplier from cooling, ``1 + s × max(temp_air − balance, 0)`` [-].

    Parameters
    ----------
    temp_air : numeric
        Air temperature [°C].
    cooling_sensitivity : float
        Fractional load increase per kelvin above the balance point [1/K].
    balance_c : float, default :data:`COOLING_BALANCE_C`
        Balance-point temperature [°C].
    """
    return 1.0 + cooling_sensitivity * np.maximum(np.asarray(temp_air, float) - balance_c, 0.0)


def _temp_on(index: pd.DatetimeIndex, temp_air: pd.Series | None) -> np.ndarray:
    if temp_air is None:
        return climatology_temp_air(index).to_numpy()
    if not isinstance(temp_air, pd.Series) or len(temp_air) != len(index) \
            or not temp_air.index.equals(index):
        raise WeatherError("temp_air must be an hourly Series on the load's own index "
                           f"({index[0]} … {index[-1]}, {len(index)} hours)")
    values = temp_air.to_numpy(float)
    if not np.isfinite(values).all():
        raise WeatherError("temp_air has missing or infinite values")
    return values


# ---------------------------------------------------------------------------- shapes

def class_shape(index: pd.DatetimeIndex, shift_pattern: str, sunday_level: float,
                holiday_level: float, cooling_sensitivity: float,
                temp_air: np.ndarray) -> np.ndarray:
    """Relative hourly level of one load class on ``index`` [-] (not normalised).

    Parameters
    ----------
    index : DatetimeIndex
        Hourly interval-start labels, tz-aware, whole local days.
    shift_pattern : str
        Key of :data:`SHIFT_PATTERNS`.
    sunday_level, holiday_level : float
        Day mean relative to a working day [-].
    cooling_sensitivity : float
        Fractional load increase per kelvin above :data:`COOLING_BALANCE_C` [1/K].
    temp_air : array
        Air temperature on ``index`` [°C].
    """
    local = index.tz_localize(None) if index.tz is not None else index
    days = local.normalize()
    inverse, unique_days = pd.factorize(days)
    levels = day_levels(pd.DatetimeIndex(unique_days), sunday_level, holiday_level)
    profiles = reduced_day(np.asarray(SHIFT_PATTERNS[shift_pattern]), levels)
    relative = profiles[inverse, local.hour]
    return relative * cooling_factor(temp_air, cooling_sensitivity)


def _row_shape(row: pd.Series, index, temp) -> np.ndarray:
    return class_shape(index, row["shift_pattern"], float(row["sunday_level"]),
                       float(row["holiday_level"]), float(row["cooling_sensitivity"]), temp)


def add_noise(load_kw: np.ndarray, index: pd.DatetimeIndex, daily_sigma: float,
              hourly_sigma: float, seed: int) -> np.ndarray:
    """HOMER-style random variability that keeps the annual energy.

    Each day is multiplied by ``1 + δ_d`` and each hour by ``1 + δ_h`` with δ normal of
    standard deviation ``daily_sigma`` and ``hourly_sigma`` (clipped so no factor falls
    below 0), then the series is rescaled to its original energy.

    Parameters
    ----------
    load_kw : array
        Hourly load [kW].
    index : DatetimeIndex
        Its interval-start labels.
    daily_sigma, hourly_sigma : float
        Standard deviations of the multipliers [-].
    seed : int
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same series.
    """
    if daily_sigma <= 0 and hourly_sigma <= 0:
        return load_kw
    rng = np.random.default_rng(seed)
    local = index.tz_localize(None) if index.tz is not None else index
    day_of, _ = pd.factorize(local.normalize())
    daily = np.clip(1.0 + daily_sigma * rng.standard_normal(day_of.max() + 1), 0.0, None)
    hourly = np.clip(1.0 + hourly_sigma * rng.standard_normal(len(index)), 0.0, None)
    noisy = load_kw * daily[day_of] * hourly
    total = noisy.sum()
    return noisy * (load_kw.sum() / total) if total > 0 else noisy


def _shaped(energies: dict[str, float], table: pd.DataFrame, index, temp,
            climatology_norm: bool) -> np.ndarray:
    """Sum of class loads [kW] whose annual energies are ``energies`` [MWh].

    With ``climatology_norm`` each class shape is normalised by its sum under the Hạ Long
    climatology, so the energy is exact for the climatology and follows ``temp``
    otherwise; without, by its own sum (energy exact whatever ``temp``).
    """
    total = np.zeros(len(index))
    clim = None
    if climatology_norm:
        clim = climatology_temp_air(index).to_numpy()
        if np.array_equal(clim, temp):
            climatology_norm = False  # the reference is the shape itself
    for cls, mwh in energies.items():
        if mwh <= 0:
            continue
        row = table.loc[cls]
        shape = _row_shape(row, index, temp)
        ref = _row_shape(row, index, clim).sum() if climatology_norm else shape.sum()
        total += shape * (mwh * 1000.0 / ref)
    return total
