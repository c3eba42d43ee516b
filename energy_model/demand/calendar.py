"""Calendar of the load shapes: the hourly year index, Vietnam's public holidays
(``holidays.Vietnam``: Tết, Hùng Kings, 30/4, 1/5, 2/9) and the modelled Tết closure,
computed once in :func:`tet_closure` and used by the day levels and the meter re-laying.
"""

from __future__ import annotations

from functools import lru_cache

import holidays
import numpy as np
import pandas as pd

from energy_model.errors import InvariantError

#: Tết closure: days closed before Lunar New Year's Eve's official holiday block and
#: after it (E: Vietnamese factories close from about 28 Tết and restart around mùng 7–8).
TET_DAYS_BEFORE = 1
TET_DAYS_AFTER = 2
#: Fraction of the way back from the holiday level to normal on the days after the
#: closure (E: workers return over several days).
TET_RAMP = (0.5, 0.75, 0.9)


def hourly_index(year: int, tz: str = "Asia/Ho_Chi_Minh") -> pd.DatetimeIndex:
    """The hourly interval-start index of calendar ``year`` in time zone ``tz``."""
    return pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="h", tz=tz,
                         inclusive="left", name="time")


@lru_cache(maxsize=64)
def _holiday_dates(year: int) -> tuple[dict, pd.Timestamp]:
    hol = holidays.Vietnam(years=year)
    dates = {pd.Timestamp(d): name for d, name in hol.items()}
    tet = [d for d, n in dates.items() if n == "Lunar New Year"]
    if len(tet) != 1:
        raise InvariantError(f"holidays.Vietnam gave no single Lunar New Year for {year}")
    return dates, tet[0]


def day_levels(days: pd.DatetimeIndex, sunday_level: float, holiday_level: float
               ) -> np.ndarray:
    """Mean level of each day relative to a working day [-].

    Parameters
    ----------
    days : DatetimeIndex
        Local calendar days (midnight, tz-naive or tz-aware).
    sunday_level : float
        Sunday mean relative to a working day [-].
    holiday_level : float
        Public-holiday and Tết-closure mean relative to a working day [-].

    Returns
    -------
    numpy.ndarray
        One level per day: 1 on working days (Monday–Saturday, the six-day week common
        in Vietnamese manufacturing), ``sunday_level`` on Sundays, ``holiday_level`` on
        public holidays and the Tết closure, a ramp back after Tết.
    """
    naive = pd.DatetimeIndex(days).tz_localize(None).normalize()
    level = np.where(naive.day_of_week == 6, sunday_level, 1.0).astype(float)
    for year in np.unique(naive.year):
        dates, _ = _holiday_dates(int(year))
        closed = tet_closure(int(year))
        holiday_days = pd.DatetimeIndex(sorted(set(dates) | set(closed)))
        level = np.where(naive.isin(holiday_days), np.minimum(level, holiday_level), level)
        for k, frac in enumerate(TET_RAMP, start=1):
            ramp_day = closed[-1] + pd.Timedelta(days=k)
            ramp_level = holiday_level + frac * (1.0 - holiday_level)
            level = np.where(naive == ramp_day, np.minimum(level, ramp_level), level)
    return level


def tet_closure(year: int) -> pd.DatetimeIndex:
    """Days of the modelled Tết closure of ``year`` (local dates, tz-naive)."""
    dates, _ = _holiday_dates(year)
    official = sorted(d for d, n in dates.items() if "Lunar New Year" in n)
    return pd.date_range(official[0] - pd.Timedelta(days=TET_DAYS_BEFORE),
                         official[-1] + pd.Timedelta(days=TET_DAYS_AFTER), freq="D")


def _day_kinds(year: int) -> tuple[pd.DatetimeIndex, dict, pd.DatetimeIndex]:
    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    dates, _ = _holiday_dates(year)
    names = {d: n.replace(" (observed)", "") for d, n in dates.items()}
    return days, names, tet_closure(year)
