"""Monthly normals: the shipped Quảng Ninh table against its documented derivation, and
every validation error with its file, line and column."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pvlib
import pytest

from energy_model.errors import WeatherError
from energy_model.paths import shipped_dir
from energy_model.weather import (HOMER_WIND_DEFAULTS, Normals, load_normals,
                                  normals_from_weather, read_weather)
from energy_model.weather.normals import ROUGHNESS_BY_TERRAIN

SHIPPED = shipped_dir("weather") / "quang_ninh_normals.csv"
DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
# quang_ninh.md §7, copied here so the test re-derives the table independently
HANOI_GHI = np.array([1.87, 2.44, 3.01, 3.84, 4.90, 5.14, 4.96, 4.47, 4.33, 3.70, 3.14, 2.60])
QINZHOU_GHI = np.array([2.08, 1.82, 2.31, 3.12, 4.30, 4.58, 4.61, 4.50, 4.72, 3.85, 3.68, 2.96])
QINZHOU_T = np.array([15.0, 14.7, 18.9, 23.2, 26.2, 27.8, 28.3, 28.3, 27.4, 24.2, 19.3, 15.6])
HANOI_W = np.array([2.97, 2.63, 3.06, 2.81, 3.17, 2.73, 2.74, 2.72, 2.18, 2.35, 2.64, 3.04])
QINZHOU_W = np.array([2.26, 2.43, 2.79, 2.92, 2.44, 2.23, 2.44, 1.91, 1.80, 2.75, 2.41, 2.31])
WEST = ("bai_chay", "quang_yen", "uong_bi", "dong_trieu")
EAST = ("mong_cai", "hai_ha", "tien_yen", "van_don", "co_to", "binh_lieu")


def annual_mean(x):
    return float((np.asarray(x) * DAYS).sum() / 365)


@pytest.fixture(scope="module")
def qn():
    return load_normals(SHIPPED)


def test_shipped_stations_and_flags(qn):
    assert qn.ids == WEST + EAST
    for st in qn.stations.values():
        assert list(st.monthly.index) == list(range(1, 13))
        assert st.wind_height_m == 10.0
        # wind parameters are HOMER's defaults, flagged as estimates
        assert set(HOMER_WIND_DEFAULTS) <= set(st.estimated)
        assert st.weibull_k == 2.0 and st.wind_autocorr_1h == 0.85
        assert st.diurnal_strength == 0.25 and st.peak_hour == 15.0
        assert st.mark("ghi_kwh_m2_day") == "E"
        assert st.roughness_length_m == ROUGHNESS_BY_TERRAIN[st.terrain]
        assert 20.8 < st.latitude < 21.7 and 106.4 < st.longitude < 108.1
    assert qn.station("co_to").terrain == "coast"
    assert qn.station("bai_chay").terrain == "open"


def test_ghi_derivation(qn):
    """West: Hà Nội × 1342/annual(Hà Nội); east: Qinzhou × the same factor."""
    factor = 1342.0 / (HANOI_GHI * DAYS).sum()
    for sid in WEST:
        np.testing.assert_allclose(qn.station(sid).monthly["ghi_kwh_m2_day"],
                                   HANOI_GHI * factor, atol=6e-4)
    for sid in EAST:
        np.testing.assert_allclose(qn.station(sid).monthly["ghi_kwh_m2_day"],
                                   QINZHOU_GHI * factor, atol=6e-4)
    assert qn.station("bai_chay").annual_ghi_kwh_m2 == pytest.approx(1342.0, abs=0.2)


def test_temperatures_meet_the_sub_region_facts(qn):
    bc = qn.station("bai_chay").monthly["temp_air_c"].to_numpy()
    assert bc.argmin() == 1, "Hạ Long's coldest month is February (S)"
    assert bc[1] == pytest.approx(16.7, abs=0.15)
    assert bc[5] == pytest.approx(28.6, abs=0.2)  # June 28.6 (S); July 0.3 °C warmer
    assert 23.0 <= annual_mean(bc) <= 23.7
    # the Hạ Long series is a linear map of Qinzhou's shape
    slope, intercept = np.polyfit(QINZHOU_T, bc, 1)
    np.testing.assert_allclose(intercept + slope * QINZHOU_T, bc, atol=0.006)
    assert annual_mean(qn.station("quang_yen").monthly["temp_air_c"]) == pytest.approx(24.0, abs=0.01)
    assert annual_mean(qn.station("mong_cai").monthly["temp_air_c"]) == pytest.approx(22.0, abs=0.01)
    binh_lieu = qn.station("binh_lieu").monthly["temp_air_c"].to_numpy()
    mong_cai = qn.station("mong_cai").monthly["temp_air_c"].to_numpy()
    np.testing.assert_allclose(mong_cai - binh_lieu, 0.0065 * 290, atol=0.011)


def test_wind_derivation(qn):
    for sid in WEST:
        np.testing.assert_allclose(qn.station(sid).monthly["wind_speed_m_s"], HANOI_W)
    for sid in ("mong_cai", "hai_ha", "tien_yen", "binh_lieu"):
        np.testing.assert_allclose(qn.station(sid).monthly["wind_speed_m_s"], QINZHOU_W)
    # Cô Tô: 4.4 m/s at 65 m (S) brought to 10 m with the log law over its coast class
    z0 = qn.station("co_to").roughness_length_m
    co_to_10 = 4.4 * math.log(10 / z0) / math.log(65 / z0)
    co_to = qn.station("co_to").monthly["wind_speed_m_s"].to_numpy()
    assert annual_mean(co_to) == pytest.approx(co_to_10, abs=0.01)
    assert annual_mean(co_to) * math.log(65 / z0) / math.log(10 / z0) == pytest.approx(4.4, abs=0.015)
    van_don = annual_mean(qn.station("van_don").monthly["wind_speed_m_s"])
    assert van_don == pytest.approx((annual_mean(QINZHOU_W) + co_to_10) / 2, abs=0.01)
    # islands windier than the mainland
    assert annual_mean(co_to) > van_don > annual_mean(QINZHOU_W)


def test_unknown_station_lists_ids(qn):
    with pytest.raises(WeatherError, match="unknown station 'ha_long'; known: bai_chay"):
        qn.station("ha_long")


def test_round_trip(qn, tmp_path):
    path = tmp_path / "rt.csv"
    qn.to_csv(path)
    again = load_normals(path)
    assert again.ids == qn.ids
    for sid in qn.ids:
        a, b = qn.station(sid), again.station(sid)
        np.testing.assert_allclose(a.monthly.to_numpy(), b.monthly.to_numpy())
        assert a.estimated == b.estimated and a.terrain == b.terrain
        assert a.marks == b.marks


# --------------------------------------------------------------------------- errors

HEADER = ("station,name,lat,lon,altitude_m,month,ghi_kwh_m2_day,temp_air_c,wind_speed_m_s,"
          "wind_height_m,weibull_k,terrain,mark")


def _table(rows_edit=None, header=HEADER, station="s1"):
    rows = [f"{station},Site,21.0,107.0,10,{m},{3 + m / 10:.2f},22.0,2.5,10,2.1,open,E"
            for m in range(1, 13)]
    if rows_edit:
        rows = rows_edit(rows)
    return "# a comment line\n" + header + "\n" + "\n".join(rows) + "\n"


def _error(tmp_path, text) -> str:
    path = tmp_path / "normals.csv"
    path.write_text(text)
    with pytest.raises(WeatherError) as info:
        load_normals(path)
    return str(info.value)


def test_valid_table_and_optional_defaults(tmp_path):
    path = tmp_path / "normals.csv"
    path.write_text(_table())
    st = load_normals(path).station("s1")
    assert st.weibull_k == 2.1 and "weibull_k" not in st.estimated
    assert "wind_autocorr_1h" in st.estimated and st.roughness_length_m == 0.03


def test_error_not_a_number(tmp_path):
    def edit(rows):
        rows[3] = rows[3].replace(",22.0,", ",warm,")
        return rows
    msg = _error(tmp_path, _table(edit))
    assert "normals.csv:6:8 temp_air_c: expected a number, got 'warm'" in msg


def test_error_out_of_range_and_month_missing(tmp_path):
    def edit(rows):
        rows[0] = rows[0].replace(",2.5,10,", ",45.0,10,")
        return rows[:-1]
    msg = _error(tmp_path, _table(edit))
    assert "normals.csv:3:9 wind_speed_m_s: 45 m/s is outside 0..30 m/s" in msg
    assert "lacks month(s) 12" in msg


def test_error_repeated_month(tmp_path):
    def edit(rows):
        rows[4] = rows[4].replace(",5,", ",4,", 1)
        return rows
    msg = _error(tmp_path, _table(edit))
    assert "normals.csv:7:6 month: month 4 of station 's1' repeated (first at line 6)" in msg


def test_error_station_parameter_changes(tmp_path):
    def edit(rows):
        rows[7] = rows[7].replace(",2.1,open", ",1.7,open")
        return rows
    msg = _error(tmp_path, _table(edit))
    assert "normals.csv:10:11 weibull_k" in msg and "same on all 12 rows" in msg


def test_error_unknown_and_missing_columns(tmp_path):
    msg = _error(tmp_path, _table(header=HEADER.replace("weibull_k", "weibul_k")))
    assert "normals.csv:2:11 weibul_k: unknown column 'weibul_k'" in msg
    msg = _error(tmp_path, "station,name\ns1,x\n")
    assert "missing required column 'lat'" in msg


def test_error_terrain_and_mark(tmp_path):
    def edit(rows):
        return [r.replace(",open,E", ",forest,Q") for r in rows]
    msg = _error(tmp_path, _table(edit))
    assert "terrain 'forest' is not one of sea, coast, open, suburban, industrial" in msg
    assert "mark 'Q'" in msg


def test_error_impossible_clearness(tmp_path):
    def edit(rows):
        rows[11] = rows[11].replace(",4.20,", ",9.50,")  # December at 21 N
        return rows
    msg = _error(tmp_path, _table(edit))
    assert "normals.csv:14:7 ghi_kwh_m2_day" in msg and "clearness index" in msg


def test_missing_file(tmp_path):
    with pytest.raises(WeatherError, match="normals file not found"):
        load_normals(tmp_path / "none.csv")


# --------------------------------------------------------------------------- derivation

def test_normals_from_greensboro():
    path = Path(pvlib.__file__).parent / "data" / "723170TYA.CSV"
    df, meta = read_weather(path)
    st = normals_from_weather(df, meta, station="gso")
    assert st.estimated == () and st.latitude == 36.1
    jan = df.loc[df.index.month == 1]
    assert st.monthly.loc[1, "ghi_kwh_m2_day"] == pytest.approx(jan["ghi"].sum() / 31 / 1000)
    assert st.monthly.loc[7, "temp_air_c"] == pytest.approx(df.loc[df.index.month == 7,
                                                                   "temp_air"].mean())
    # measured values of this record (they drive the validation tests)
    assert st.weibull_k == pytest.approx(1.707, abs=0.005)
    assert st.wind_autocorr_1h == pytest.approx(0.767, abs=0.005)
    assert st.peak_hour == pytest.approx(12.8, abs=0.1)
    assert 10.0 < st.temp_range_c < 11.5
    table = Normals.from_stations([st])
    assert table.station("gso") is st
