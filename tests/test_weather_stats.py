"""Weather statistics on series whose answer is known in closed form."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest

from energy_model.weather import read_weather, weather_stats
from energy_model.weather import stats
from energy_model.weather.sun import interval_sun

TMY3 = Path(pvlib.__file__).parent / "data" / "723170TYA.CSV"


def test_weibull_k_by_moments():
    rng = np.random.default_rng(3)
    for k in (1.5, 2.0, 2.6):
        sample = 6.0 * rng.weibull(k, 200_000)
        assert stats.weibull_k_moments(sample) == pytest.approx(k, abs=0.02)
    ks = np.array([1.2, 2.0, 3.5])
    np.testing.assert_allclose(stats.weibull_k_from_cv(stats.weibull_cv(ks)), ks, rtol=1e-6)
    # k = 2 (Rayleigh): CV = sqrt(4/pi - 1)
    assert stats.weibull_cv(2.0) == pytest.approx(np.sqrt(4 / np.pi - 1), rel=1e-9)


def test_lag1_autocorrelation_of_ar1():
    rng = np.random.default_rng(4)
    x = np.zeros(100_000)
    e = rng.standard_normal(len(x))
    for i in range(1, len(x)):
        x[i] = 0.8 * x[i - 1] + e[i]
    assert stats.lag1_autocorr(x) == pytest.approx(0.8, abs=0.01)


def test_diurnal_fit_recovers_cosine():
    idx = pd.date_range("2030-01-01", periods=24 * 60, freq="h", tz="Asia/Ho_Chi_Minh")
    h = idx.hour + 0.5
    v = pd.Series(5.0 * (1 + 0.3 * np.cos(2 * np.pi * (h - 15.0) / 24)), index=idx)
    strength, peak = stats.diurnal_fit(v)
    assert strength == pytest.approx(0.3, abs=1e-9)
    assert peak == pytest.approx(15.0, abs=1e-9)
    v2 = pd.Series(5.0 * (1 + 0.1 * np.cos(2 * np.pi * (h - 23.5) / 24)), index=idx)
    assert stats.diurnal_fit(v2)[1] == pytest.approx(23.5, abs=1e-9)


def test_interval_extraterrestrial_matches_tmy3_etr():
    """The hourly integral of extraterrestrial irradiance equals NREL's ETR column."""
    raw, meta = pvlib.iotools.read_tmy3(TMY3, map_variables=True)
    df, m = read_weather(TMY3)
    sun = interval_sun(df.index, m["latitude"], m["longitude"])
    etr = raw["ghi_extra"].to_numpy()
    assert sun.extra_horizontal.sum() / etr.sum() == pytest.approx(1.0, abs=0.003)
    assert np.abs(sun.extra_horizontal - etr).max() < 15.0  # W/m², hour-level
    # the file's GHI respects the reader's ceiling (it passed read_weather), and only a
    # few sunrise hours (refraction) use the margin at all
    over = df["ghi"].to_numpy() - sun.extra_horizontal_max
    assert over.max() <= 25.0 and (over > 0).sum() < 20


def test_weather_stats_of_greensboro_against_its_own_normals():
    from energy_model.weather import normals_from_weather

    df, meta = read_weather(TMY3)
    st = normals_from_weather(df, meta)
    s = weather_stats(df, meta, normals=st)
    assert s.annual["ghi_kwh_m2"] == pytest.approx(df["ghi"].sum() / 1000)
    assert s.annual["hours"] == 8760
    np.testing.assert_allclose(s.deviations.to_numpy(), 0.0, atol=1e-9)
    np.testing.assert_allclose(s.parameters["deviation"].drop("temp_range_c"), 0.0,
                               atol=1e-9)
    q = s.monthly[["kt_p10", "kt_p50", "kt_p90"]]
    assert (q.diff(axis=1).iloc[:, 1:] > 0).all().all()
    assert 0.45 < s.monthly["kt_p50"].mean() < 0.65
    assert 0.6 < s.annual["kt_autocorr_1h"] < 0.95
    text = s.to_text()
    assert "Weibull k" in text and "deviation from the normals" in text


def test_stats_without_position_leave_clearness_nan():
    df, _ = read_weather(TMY3)
    bare = df.copy()
    bare.attrs = {}
    s = weather_stats(bare)
    assert np.isnan(s.annual["kt_autocorr_1h"]) and s.monthly["kt_p50"].isna().all()


def test_daily_kt_correlation_is_one_for_identical_and_zero_for_shuffled():
    df, meta = read_weather(TMY3)
    pos = (meta["latitude"], meta["longitude"])
    assert stats.daily_kt_correlation(df["ghi"], pos, df["ghi"], pos) == pytest.approx(1.0)
    days = df["ghi"].to_numpy().reshape(-1, 24)
    shuffled = pd.Series(days[np.random.default_rng(0).permutation(365)].ravel(),
                         index=df.index)
    assert abs(stats.daily_kt_correlation(df["ghi"], pos, shuffled, pos)) < 0.15
