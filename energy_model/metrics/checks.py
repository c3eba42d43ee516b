"""Input checks of a dispatch: step length, energy balance, signs, the grid-only case,
per-hour alignment of prices and shares, and the stacking of per-park dispatches.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from energy_model.balance import BALANCE_RTOL, DISPATCH_COLUMNS, balance_residual
from energy_model.errors import EnergyModelError, InvariantError
from energy_model.timeseries import time_step_hours


# --------------------------------------------------------------------------- input checks

def step_hours(index: pd.Index) -> float:
    """Length of one interval of a regular DatetimeIndex [h].

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Regular, interval-start labels.

    Returns
    -------
    float
        Step length [h].
    """
    return time_step_hours(index, "a dispatch")


def balance_residual_kw(dispatch: pd.DataFrame) -> pd.Series:
    """Hourly energy-balance residual: supply − load [kW].

    Parameters
    ----------
    dispatch : pandas.DataFrame
        Columns of :data:`DISPATCH_COLUMNS` [kW].

    Returns
    -------
    pandas.Series
        ``pv + wind − curtailment + discharge − charge + import − export + unmet − load``
        [kW].
    """
    return balance_residual(dispatch).rename("balance_residual_kw")


def check_dispatch(dispatch: pd.DataFrame, what: str = "dispatch") -> None:
    """Check columns, finiteness, signs and the hourly energy balance of a dispatch.

    Flows may dip below zero and the balance may miss by at most
    :data:`BALANCE_RTOL` × peak load (solver round-off); anything more raises.

    Parameters
    ----------
    dispatch : pandas.DataFrame
        Columns of :data:`DISPATCH_COLUMNS` [kW].
    what : str
        Name used in messages (e.g. the park id).
    """
    missing = [c for c in DISPATCH_COLUMNS if c not in dispatch.columns]
    if missing:
        raise EnergyModelError(f"{what}: dispatch lacks columns {missing}; expected all of "
                               f"{list(DISPATCH_COLUMNS)} (use grid_only_dispatch for a park "
                               "without a system)")
    step_hours(dispatch.index)
    values = dispatch[list(DISPATCH_COLUMNS)].to_numpy(dtype=float)
    if not np.all(np.isfinite(values)):
        bad = [c for c in DISPATCH_COLUMNS if not np.all(np.isfinite(dispatch[c]))]
        raise InvariantError(f"{what}: non-finite values in {bad}")
    tol = BALANCE_RTOL * max(float(dispatch["load_kw"].max()), 1.0)
    low = values.min(axis=0)
    negative = [c for c, v in zip(DISPATCH_COLUMNS, low) if v < -tol]
    if negative:
        raise InvariantError(f"{what}: negative values in {negative} (below −{tol:.3g})")
    residual = balance_residual_kw(dispatch).abs()
    if residual.max() > tol:
        hour = residual.idxmax()
        raise InvariantError(f"{what}: energy balance misses by {residual.max():.6g} kW at "
                             f"{hour} (tolerance {tol:.3g} kW = {BALANCE_RTOL:g} × peak load)")


def grid_only_dispatch(load_kw: pd.Series) -> pd.DataFrame:
    """The dispatch of a park without on-site supply: grid import equals the load.

    Parameters
    ----------
    load_kw : pandas.Series
        Hourly load [kW], interval-start labels.

    Returns
    -------
    pandas.DataFrame
        All :data:`DISPATCH_COLUMNS`, zero except ``load_kw`` and ``grid_import_kw``.
    """
    out = pd.DataFrame(0.0, index=load_kw.index, columns=list(DISPATCH_COLUMNS))
    out["load_kw"] = load_kw.to_numpy(dtype=float)
    out["grid_import_kw"] = load_kw.to_numpy(dtype=float)
    return out


def align_hourly(values, index: pd.Index, name: str) -> np.ndarray:
    """A scalar, array or Series as a float array on ``index``.

    Parameters
    ----------
    values : float, array_like or pandas.Series
        A Series must carry exactly ``index``; an array must have its length.
    index : pandas.Index
        The dispatch index.
    name : str
        Used in the message when they do not match.

    Returns
    -------
    numpy.ndarray
        One float per label.
    """
    if isinstance(values, pd.Series):
        if not values.index.equals(index):
            raise EnergyModelError(f"{name} is not indexed like the dispatch "
                                   f"({len(values)} vs {len(index)} labels, or other labels)")
        return values.to_numpy(dtype=float)
    arr = np.asarray(values, dtype=float)
    if arr.ndim and arr.shape != (len(index),):
        raise EnergyModelError(f"{name} has shape {arr.shape}; expected a scalar or "
                               f"{len(index)} hourly values")
    return np.broadcast_to(arr, (len(index),)).astype(float)


#: columns the grid-pressure metrics read [kW]
PRESSURE_COLUMNS = ("load_kw", "grid_import_kw", "grid_export_kw", "curtailment_kw")


def stack_dispatches(dispatches: Mapping[str, pd.DataFrame],
           columns: tuple[str, ...] = PRESSURE_COLUMNS) -> tuple[pd.DatetimeIndex, dict]:
    """Check the dispatches share one regular index and carry ``columns``.

    Returns the index and ``{column: 2-D array (parks × hours) [kW]}`` in park order.
    """
    if not dispatches:
        raise EnergyModelError("grid-pressure metrics need at least one park dispatch")
    parks = list(dispatches)
    index = dispatches[parks[0]].index
    step_hours(index)
    out = {c: np.zeros((len(parks), len(index))) for c in columns}
    for i, park in enumerate(parks):
        d = dispatches[park]
        if not d.index.equals(index):
            raise EnergyModelError(f"park {park!r}: dispatch index differs from park "
                                   f"{parks[0]!r}'s; all parks must share one hourly index")
        missing = [c for c in columns if c not in d.columns]
        if missing:
            raise EnergyModelError(f"park {park!r}: dispatch lacks columns {missing}")
        for c in columns:
            v = d[c].to_numpy(dtype=float)
            if not np.all(np.isfinite(v)):
                raise InvariantError(f"park {park!r}: non-finite values in {c}")
            out[c][i] = v
    return index, out
