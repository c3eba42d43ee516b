"""Metered load: reading an hourly meter CSV and re-laying it on another year's
calendar (holidays and the Tết closure matched)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from energy_model.demand.calendar import TET_RAMP, _day_kinds
from energy_model.errors import Problem, ScenarioError

def read_meter(path: str | Path, tz: str = "Asia/Ho_Chi_Minh") -> pd.Series:
    """Read an hourly meter CSV (columns ``time``, ``load_kw``) as ``load_kw`` [kW].

    Times are interval starts; naive times are taken as local time in ``tz``. The series
    must be hourly, without gaps or duplicates, and non-negative.
    """
    path = Path(path)
    try:
        raw = pd.read_csv(path)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read the meter CSV ({exc})", file=str(path)) from None
    missing = [c for c in ("time", "load_kw") if c not in raw.columns]
    if missing:
        raise ScenarioError(f"{path}:1: meter CSV lacks column(s) {missing}; expected "
                            "'time' and 'load_kw'", file=str(path))
    time = pd.to_datetime(raw["time"], errors="coerce", utc=False, format="ISO8601")
    values = pd.to_numeric(raw["load_kw"], errors="coerce")
    problems = []
    for what, bad in (("time is not an ISO date-time", time.isna()),
                      ("load_kw is not a number", values.isna()),
                      ("load_kw is negative", values < 0)):
        if bad.any():
            first = int(np.flatnonzero(bad.to_numpy())[0])
            problems.append(Problem(f"{what} ({int(bad.sum())} rows)", file=str(path),
                                    line=first + 2, key="load_kw" if "load" in what else "time"))
    if problems:
        raise ScenarioError("meter CSV", problems, file=str(path))
    index = pd.DatetimeIndex(time)
    index = index.tz_localize(tz) if index.tz is None else index.tz_convert(tz)
    if len(index) > 1:
        step = (index[1:] - index[:-1]) != pd.Timedelta(hours=1)
        if step.any():
            first = int(np.flatnonzero(step)[0])
            raise ScenarioError(f"{path}:{first + 3}: meter data must be hourly with no gaps "
                                f"or duplicates (row after {index[first]})", file=str(path))
    return pd.Series(values.to_numpy(float), index=index.rename("time"), name="load_kw")


def meter_day_map(meter_year: int, year: int) -> np.ndarray:
    """For each day of ``year``, the day of ``meter_year`` whose profile it takes.

    Tết-closure days and ramp days take the meter's day at the same offset from its own
    closure; named holidays take the meter's day of the same holiday; other days take the
    nearest ordinary meter day of the same weekday (searching ±1, ±2 … weeks). So the
    profile of year Y follows Y's calendar.

    Returns
    -------
    numpy.ndarray
        Day-of-year positions (0-based) into ``meter_year``.
    """
    src_days, src_names, src_tet = _day_kinds(meter_year)
    tgt_days, tgt_names, tgt_tet = _day_kinds(year)
    special_src = set(src_names) | set(src_tet) | {
        src_tet[-1] + pd.Timedelta(days=k) for k in range(1, len(TET_RAMP) + 1)}
    by_name = {}
    for d, n in sorted(src_names.items()):
        by_name.setdefault(n, d)
    n_src = len(src_days)
    out = np.empty(len(tgt_days), dtype=int)
    for i, day in enumerate(tgt_days):
        tet_offset = (day - tgt_tet[0]).days
        if 0 <= tet_offset < len(tgt_tet) + len(TET_RAMP):
            src = src_tet[0] + pd.Timedelta(days=tet_offset)
        elif day in tgt_names and tgt_names[day] in by_name:
            src = by_name[tgt_names[day]]
        else:
            same = src_days[min(day.day_of_year, n_src) - 1]
            shift = (day.day_of_week - same.day_of_week + 3) % 7 - 3
            src = same + pd.Timedelta(days=shift)
            for k in (0, 7, -7, 14, -14, 21, -21):
                cand = src + pd.Timedelta(days=k)
                if cand.year == meter_year and cand not in special_src:
                    src = cand
                    break
        src = min(max(src, src_days[0]), src_days[-1])
        out[i] = src.day_of_year - 1
    return out


def meter_profile(meter: pd.Series, meter_year: int, index: pd.DatetimeIndex) -> np.ndarray:
    """Hourly meter load [kW] re-laid on the calendar of ``index``'s year."""
    local = meter.index.tz_convert(index.tz).tz_localize(None)
    sel = local.year == meter_year
    if sel.sum() < 365 * 24:
        raise ScenarioError(f"meter data cover {int(sel.sum())} hours of {meter_year}; "
                            "a whole year is needed (meter_year must match the file)")
    table = pd.Series(meter.to_numpy()[sel], index=local[sel])
    days = table.index.normalize()
    grid = table.groupby([days, table.index.hour]).mean().unstack()
    if grid.isna().any().any() or grid.shape[1] != 24:
        raise ScenarioError(f"meter data of {meter_year} have incomplete days")
    src = meter_day_map(meter_year, int(index[0].tz_localize(None).year))
    loc = index.tz_localize(None)
    day_pos = loc.day_of_year.to_numpy() - 1
    return grid.to_numpy()[src[day_pos], loc.hour.to_numpy()]
