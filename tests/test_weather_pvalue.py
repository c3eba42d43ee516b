"""Issue 17 item 7: the weather check ranks the design year within a 30-year ensemble
(exceedance P-value), instead of comparing it with the normals it was made from."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from energy_model.studies import weather_check as wc


def test_exceedance_of_a_known_rank():
    ensemble = np.arange(1.0, 31.0)           # 1, 2, …, 30
    rng = np.random.default_rng(3)
    shuffled = rng.permutation(ensemble)
    # 25.5 is beaten by 26…30: 5 of 30 years do better → a P17 (good) year
    assert wc.exceedance(25.5, shuffled) == pytest.approx(5 / 30)
    # a tie counts half: 10 is beaten by 11…30 (20 years) and tied by one
    assert wc.exceedance(10.0, shuffled) == pytest.approx(20.5 / 30)
    assert wc.exceedance(0.0, shuffled) == 1.0 and wc.exceedance(31.0, shuffled) == 0.0
    assert math.isnan(wc.exceedance(1.0, []))


def test_wind_power_density_by_hand():
    index = pd.date_range("2030-01-01", periods=4, freq="h", tz="Asia/Ho_Chi_Minh")
    df = pd.DataFrame({"wind_speed": [0.0, 2.0, 4.0, 6.0], "pressure": 101325.0,
                       "temp_air": 15.0}, index=index)
    rho = 101325.0 / (287.05 * 288.15)
    assert wc.wind_power_density_w_m2(df) == pytest.approx(0.5 * rho * (8 + 64 + 216) / 4)


def test_ensemble_table_puts_the_design_year_first(monkeypatch):
    design = {"pv_yield": 1100.0, "wind_power_density": 80.0}
    years = [{"pv_yield": 1000.0 + 10 * i, "wind_power_density": 50.0 + 2 * i}
             for i in range(30)]
    frames = [pd.DataFrame({"k": [i]}) for i in range(31)]
    monkeypatch.setattr(wc, "year_figures", lambda df: ([design] + years)[int(df["k"].iloc[0])])
    t = wc.ensemble_table("s", "Station", frames[0], frames[1:])
    d = t[t["weather_year"] == 0].set_index("quantity")
    # 1100 is beaten by 1110…1290 (19 years) and tied by one; 80 by 82…108 (14) and one tie
    assert d.loc["pv_yield", "exceedance"] == pytest.approx(19.5 / 30)
    assert d.loc["wind_power_density", "exceedance"] == pytest.approx(14.5 / 30)
    assert (t["n_years"] == 30).all() and len(t) == 62
    assert t["exceedance"].notna().sum() == 2


def test_a_frame_without_a_place_has_no_pv_yield():
    index = pd.date_range("2030-01-01", periods=3, freq="h", tz="Asia/Ho_Chi_Minh")
    df = pd.DataFrame({"ghi": 0.0, "dni": 0.0, "dhi": 0.0, "temp_air": 15.0,
                       "wind_speed": 2.0}, index=index)
    assert math.isnan(wc.pv_yield_kwh_per_kwp(df))
    rho = 101325.0 / (287.05 * 288.15)  # no pressure column: sea-level pressure
    assert wc.wind_power_density_w_m2(df) == pytest.approx(0.5 * rho * 8.0)
