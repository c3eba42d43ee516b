"""Tests of energy_model.timeseries: the one step detection."""

from __future__ import annotations

import pandas as pd
import pytest

from energy_model.errors import EnergyModelError
from energy_model.timeseries import time_step_hours


def test_regular_steps():
    hourly = pd.date_range("2030-01-01", periods=8760, freq="h", tz="Asia/Ho_Chi_Minh")
    assert time_step_hours(hourly) == 1.0
    assert time_step_hours(pd.date_range("2030-01-01", periods=5, freq="15min")) == 0.25


def test_irregular_and_short_indexes_are_refused_with_the_callers_wording():
    gap = pd.DatetimeIndex(["2030-01-01 00:00", "2030-01-01 01:00", "2030-01-01 03:00"])
    with pytest.raises(EnergyModelError, match="a dispatch index must be regular"):
        time_step_hours(gap, "a dispatch")
    with pytest.raises(EnergyModelError, match="at least 2 intervals, got DatetimeIndex of length 1"):
        time_step_hours(gap[:1])
    with pytest.raises(EnergyModelError, match="got RangeIndex"):
        time_step_hours(pd.RangeIndex(3))
    backwards = gap[::-1]
    with pytest.raises(EnergyModelError, match="increasing"):
        time_step_hours(backwards)


def test_spliced_records_take_the_median_step():
    # a TMY-like splice: January of 1997 followed by February of 2004
    jan = pd.date_range("1997-01-01", "1997-01-31 23:00", freq="h")
    feb = pd.date_range("2004-02-01", "2004-02-28 23:00", freq="h")
    spliced = jan.append(feb)
    with pytest.raises(EnergyModelError):
        time_step_hours(spliced)
    assert time_step_hours(spliced, spliced=True) == 1.0
