"""Checks of the sizing inputs (:func:`energy_model.sizing.inputs.prepare`): hourly arrays,
ranges and the grid connection, each problem recorded with the key of its field."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from energy_model.errors import Problem

if TYPE_CHECKING:
    from energy_model.sizing.inputs import Grid


def _hourly(value, n: int, key: str, problems: list[Problem], *, allow_inf=False,
            lo: float | None = None) -> np.ndarray | None:
    """An hourly array from a scalar or array; record a problem and return None if bad."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        problems.append(Problem(f"expected numbers, got {type(value).__name__}", key=key))
        return None
    if arr.ndim == 0:
        arr = np.full(n, float(arr))
    if arr.shape != (n,):
        problems.append(Problem(f"expected {n} hourly values (the load's length), got shape "
                                f"{arr.shape}", key=key))
        return None
    bad = np.isnan(arr) | (np.isinf(arr) if not allow_inf else np.isneginf(arr))
    if bad.any():
        problems.append(Problem(f"{int(bad.sum())} non-finite value(s), first at hour "
                                f"{int(np.argmax(bad))}", key=key))
        return None
    if lo is not None and (arr < lo).any():
        i = int(np.argmax(arr < lo))
        problems.append(Problem(f"must be ≥ {lo:g}; hour {i} is {arr[i]:g}", key=key))
        return None
    return arr


def _check_range(problems, key, value, lo=None, hi=None, lo_open=False, hi_open=False):
    ok = value is not None and not (isinstance(value, float) and math.isnan(value))
    if ok and lo is not None:
        ok = value > lo if lo_open else value >= lo
    if ok and hi is not None:
        ok = value < hi if hi_open else value <= hi
    if not ok:
        lo_s = "" if lo is None else f"{'>' if lo_open else '≥'} {lo:g}"
        hi_s = "" if hi is None else f"{'<' if hi_open else '≤'} {hi:g}"
        problems.append(Problem(f"must be {' and '.join(s for s in (lo_s, hi_s) if s)}, "
                                f"got {value!r}", key=key))


def _billing(month_of_hour: np.ndarray, hours: int) -> tuple[np.ndarray, np.ndarray]:
    """Billing-period codes and months billed per year for each period.

    A full year of 12 billing months bills each once; a shorter horizon bills each period
    in proportion to its hours, ``12 × hours_in_period / hours``, so that the annual
    charge is twelve times the horizon's (hours-weighted) monthly peak.
    """
    labels, code = np.unique(month_of_hour, return_inverse=True)
    counts = np.bincount(code)
    if hours in (8760, 8784) and len(labels) == 12:
        return code, np.ones(len(labels))
    return code, 12.0 * counts / hours


def _check_grid(g: Grid, n: int, problems: list[Problem]) -> tuple:
    """Hourly import and export prices, import cap and export limit, and the billing
    periods of a :class:`~energy_model.sizing.inputs.Grid`; problems are recorded."""
    imp = _hourly(g.import_price, n, "grid.import_price", problems, lo=0.0)
    exp = _hourly(g.export_price, n, "grid.export_price", problems, lo=0.0)
    cap = (np.full(n, np.inf) if g.import_cap_kw is None else
           _hourly(g.import_cap_kw, n, "grid.import_cap_kw", problems, allow_inf=True, lo=0.0))
    _check_range(problems, "grid.export_cap_share", g.export_cap_share, lo=0, hi=1)
    if g.battery_export not in ("none", "pv_charged"):
        problems.append(Problem(f"must be 'none' or 'pv_charged', got {g.battery_export!r}",
                                key="grid.battery_export"))
    xlim = _hourly(math.inf if g.export_limit_kw is None else g.export_limit_kw, n,
                   "grid.export_limit_kw", problems, allow_inf=True, lo=0.0)
    if g.export_cap_basis not in ("power", "energy"):
        problems.append(Problem(f"must be 'power' or 'energy', got {g.export_cap_basis!r}",
                                key="grid.export_cap_basis"))
    _check_range(problems, "grid.capacity_charge_per_kw_month", g.capacity_charge_per_kw_month,
                 lo=0)
    _check_range(problems, "grid.unmet_multiple", g.unmet_multiple, lo=1)
    _check_range(problems, "grid.co2_price_per_t", g.co2_price_per_t, lo=0)
    _check_range(problems, "grid.emission_factor_t_per_mwh", g.emission_factor_t_per_mwh,
                 lo=0, hi=2)
    if g.peak_reduction_target is not None:
        _check_range(problems, "grid.peak_reduction_target", g.peak_reduction_target, lo=0,
                     hi=1, hi_open=True)
    month = billed = None
    if g.capacity_charge_per_kw_month > 0:
        if g.month_of_hour is None or np.shape(g.month_of_hour) != (n,):
            problems.append(Problem(f"a capacity charge needs the billing month of each of "
                                    f"the {n} hours", key="grid.month_of_hour"))
        else:
            month, billed = _billing(np.asarray(g.month_of_hour), n)
    return imp, exp, cap, xlim, month, billed
