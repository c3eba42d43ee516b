"""Weather readers: every format to the same canonical interval-start frame, and one
test per check with the file and line its error message must name."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest

from energy_model.errors import WeatherError
from energy_model.weather import detect_format, read_weather, to_year

DATA = Path(__file__).parent / "data" / "weather"
PVLIB_DATA = Path(pvlib.__file__).parent / "data"
COLUMNS = ["ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure"]


def _make_module():
    spec = importlib.util.spec_from_file_location("make_test_files", DATA / "make_test_files.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def generic():
    return read_weather(DATA / "ha_long_2days.csv")


# --------------------------------------------------------------------------- formats

@pytest.mark.parametrize("name, fmt", [("ha_long_2days.epw", "epw"),
                                       ("ha_long_2days_psm3.csv", "psm3"),
                                       ("ha_long_2days.csv", "csv"),
                                       ("pvgis_tmy_2days.json", "pvgis_json")])
def test_detect_format(name, fmt):
    assert detect_format(DATA / name) == fmt


def test_detect_tmy3():
    assert detect_format(PVLIB_DATA / "723170TYA.CSV") == "tmy3"


def test_generic_csv_metadata(generic):
    df, meta = generic
    assert list(df.columns[:6]) == COLUMNS
    assert len(df) == 48 and str(df.index[0]) == "2021-01-01 00:00:00+07:00"
    assert meta["latitude"] == 20.95 and meta["longitude"] == 107.07
    assert meta["label"] == "start" and meta["source_label"] == "start"
    assert meta["wind_height_m"] == 10 and meta["filled_count"] == 0
    assert df.attrs["latitude"] == 20.95


def test_epw_is_shifted_from_hour_ending(generic):
    """EPW hour 1 is 00:00-01:00: after the shift it equals the interval-start CSV."""
    ref, _ = generic
    df, meta = read_weather(DATA / "ha_long_2days.epw")
    assert meta["format"] == "epw" and meta["source_label"] == "end"
    assert meta["label"] == "start" and meta["tz"] == "UTC+07:00"
    pd.testing.assert_frame_equal(df[COLUMNS], ref[COLUMNS], check_exact=False,
                                  atol=0.051, check_index_type=False, check_freq=False,
                                  check_names=False)
    # the sunniest hour of the first day is 11:00-12:00 local at Hạ Long (solar noon 11:55)
    assert df["ghi"].iloc[:24].idxmax().hour == 11


def test_psm3_half_hour_instants_pressure_and_wind_height(generic):
    ref, _ = generic
    df, meta = read_weather(DATA / "ha_long_2days_psm3.csv")
    assert meta["wind_height_m"] == 2.0, "NSRDB PSM v3 wind is at 2 m"
    assert meta["source_label"].startswith("middle")
    assert df["pressure"].iloc[0] == pytest.approx(101200.0)  # mbar -> Pa
    np.testing.assert_allclose(df[COLUMNS].to_numpy(), ref[COLUMNS].to_numpy(), atol=0.051)
    assert (df.index == ref.index).all()


def test_pvgis_json_utc_and_conversion():
    df, meta = read_weather(DATA / "pvgis_tmy_2days.json")
    assert meta["format"] == "pvgis_json" and meta["tz"] == "UTC"
    assert meta["latitude"] == 20.95 and meta["altitude"] == 10.0
    assert str(df.index[0]) == "2016-01-01 00:00:00+00:00"
    # Hạ Long's sun peaks near 05:00 UTC
    assert df["ghi"].iloc[:24].idxmax().hour in (4, 5)
    local, _ = read_weather(DATA / "pvgis_tmy_2days.json", tz="Asia/Ho_Chi_Minh")
    assert str(local.index[0]) == "2016-01-01 07:00:00+07:00"
    np.testing.assert_array_equal(local["ghi"].to_numpy(), df["ghi"].to_numpy())


def test_pvgis_csv_typical_year_rotated_to_local(tmp_path):
    mod = _make_module()
    utc = mod.hourly("2019-01-01 00:00", 8760)
    years = {m: 2005 + m for m in range(1, 13)}  # months from different years
    utc.index = pd.DatetimeIndex([t.replace(year=years[t.month]) for t in utc.index])
    path = tmp_path / "tmy.csv"
    path.write_text(mod.pvgis_csv_text(utc, years.items()), newline="")
    df, meta = read_weather(path)
    assert meta["format"] == "pvgis_csv" and meta["typical_year"] and meta["year"] == 1990
    assert meta["source_label"] == "instant at start + 0.1761 h"
    assert len(df) == 8760 and str(df.index[0]) == "1990-01-01 00:00:00+00:00"
    local, lmeta = read_weather(path, tz="Asia/Ho_Chi_Minh")
    assert str(local.index[0]) == "1990-01-01 00:00:00+07:00"
    assert str(local.index[-1]) == "1990-12-31 23:00:00+07:00"
    # local 1 Jan 00:00 is UTC 31 Dec 17:00 of the typical year, wrapped round
    assert local["temp_air"].iloc[0] == df["temp_air"].loc["1990-12-31 17:00+00:00"]
    assert any("rotated" in n for n in lmeta["notes"])


def test_pvgis_csv_wrong_length(tmp_path):
    mod = _make_module()
    utc = mod.hourly("2019-01-01 00:00", 48)
    path = tmp_path / "short.csv"
    path.write_text(mod.pvgis_csv_text(utc, [(m, 2019) for m in range(1, 13)]))
    with pytest.raises(WeatherError, match="8760 hourly rows"):
        read_weather(path)


def test_tmy3_greensboro_shift_units_and_typical_year():
    raw, _ = pvlib.iotools.read_tmy3(PVLIB_DATA / "723170TYA.CSV", map_variables=True)
    df, meta = read_weather(PVLIB_DATA / "723170TYA.CSV")
    assert meta["typical_year"] and meta["year"] == 1990 and len(df) == 8760
    assert str(df.index[0]) == "1990-01-01 00:00:00-05:00"
    assert str(df.index[-1]) == "1990-12-31 23:00:00-05:00"
    assert meta["station"] == "GREENSBORO PIEDMONT TRIAD INT"
    # row i of the file (hour ending i+1) is our interval starting at hour i
    np.testing.assert_array_equal(df["ghi"].to_numpy(), raw["ghi"].to_numpy())
    assert df["ghi"].iloc[12] == raw["ghi"].iloc[12]
    assert df["pressure"].iloc[0] == pytest.approx(99300.0)  # 993 mbar
    assert df["ghi"].sum() / 1000 == pytest.approx(raw["ghi"].sum() / 1000)


def test_generic_csv_column_map_and_end_label(tmp_path):
    src = (DATA / "ha_long_2days.csv").read_text().splitlines()
    head = [l for l in src if l.startswith("#")]
    body = pd.read_csv(DATA / "ha_long_2days.csv", comment="#")
    body["time"] = [(pd.Timestamp(t) + pd.Timedelta("1h")).isoformat() for t in body["time"]]
    body = body.rename(columns={"time": "Timestamp", "ghi": "GHI", "temp_air": "Tamb"})
    path = tmp_path / "mapped.csv"
    path.write_text("\n".join(head + ["# label: end"]) + "\n" + body.to_csv(index=False))
    df, meta = read_weather(path, column_map={"Timestamp": "time", "GHI": "ghi",
                                              "Tamb": "temp_air"})
    ref, _ = read_weather(DATA / "ha_long_2days.csv")
    assert meta["source_label"] == "end"
    assert (df.index == ref.index).all()
    np.testing.assert_allclose(df["ghi"], ref["ghi"])
    with pytest.raises(WeatherError, match="not canonical"):
        read_weather(path, column_map={"GHI": "global"})
    with pytest.raises(WeatherError, match="does not have"):
        read_weather(path, column_map={"Global": "ghi"})
    with pytest.raises(WeatherError, match="column_map applies to generic CSV"):
        read_weather(DATA / "ha_long_2days.epw", column_map={"a": "ghi"})


def test_naive_times_need_tz_and_pressure_from_altitude(tmp_path):
    body = pd.read_csv(DATA / "ha_long_2days.csv", comment="#").drop(columns=["pressure"])
    body["time"] = [t[:19] for t in body["time"]]
    path = tmp_path / "naive.csv"
    path.write_text("# latitude: 20.95\n# longitude: 107.07\n# altitude: 1000\n"
                    + body.to_csv(index=False))
    with pytest.raises(WeatherError, match="no UTC offset"):
        read_weather(path)
    df, meta = read_weather(path, tz="Asia/Ho_Chi_Minh")
    assert str(df.index[0]) == "2021-01-01 00:00:00+07:00"
    assert df["pressure"].iloc[0] == pytest.approx(pvlib.atmosphere.alt2pres(1000.0))
    assert any("alt2pres" in n for n in meta["notes"])


# --------------------------------------------------------------------------- checks

def _write_variant(tmp_path, edit, name="bad.csv", site=True):
    """The generic test file with its data frame edited by ``edit(df) -> df``."""
    df = pd.read_csv(DATA / "ha_long_2days.csv", comment="#")
    df = edit(df)
    head = "# latitude: 20.95\n# longitude: 107.07\n" if site else ""
    path = tmp_path / name
    path.write_text(head + df.to_csv(index=False))
    return path


def _error(path, **kw) -> str:
    with pytest.raises(WeatherError) as info:
        read_weather(path, **kw)
    return str(info.value)


def test_error_missing_column(tmp_path):
    msg = _error(_write_variant(tmp_path, lambda d: d.drop(columns=["dni"])))
    assert "bad.csv:3" in msg and "missing column(s) dni" in msg and "column_map" in msg


def test_error_nan_names_line_and_column(tmp_path):
    def edit(d):
        d.loc[10, "temp_air"] = np.nan
        return d
    msg = _error(_write_variant(tmp_path, edit))
    # header on line 3, row 10 on line 14
    assert "bad.csv:14 temp_air" in msg and "NaN" in msg and "fill_gaps=True" in msg


def test_error_gap(tmp_path):
    msg = _error(_write_variant(tmp_path, lambda d: d.drop(index=[20, 21])))
    assert "bad.csv:23" in msg and "gap of 2 h" in msg


def test_error_duplicate(tmp_path):
    def edit(d):
        d.loc[5, "time"] = d.loc[4, "time"]
        return d
    msg = _error(_write_variant(tmp_path, edit))
    assert "bad.csv:9" in msg and "duplicate timestamp" in msg and "line 8" in msg


def test_error_unsorted(tmp_path):
    def edit(d):
        d.loc[[6, 7], "time"] = d.loc[[7, 6], "time"].to_numpy()
        return d
    msg = _error(_write_variant(tmp_path, edit))
    assert "bad.csv:11" in msg and "increasing time order" in msg


def test_error_non_hourly(tmp_path):
    def edit(d):
        d.loc[8, "time"] = (pd.Timestamp(d.loc[7, "time"]) + pd.Timedelta("30min")).isoformat()
        return d
    msg = _error(_write_variant(tmp_path, edit))
    assert "bad.csv:12" in msg and "step of 30 min" in msg


def test_error_negative_irradiance_and_small_negative_clipped(tmp_path):
    def edit(d):
        d.loc[12, "dhi"] = -20.0
        return d
    msg = _error(_write_variant(tmp_path, edit))
    assert "bad.csv:16 dhi" in msg and "negative irradiance -20" in msg

    def small(d):
        d.loc[1, "ghi"] = -0.4
        return d
    df, meta = read_weather(_write_variant(tmp_path, small, "small.csv"))
    assert meta["clipped_negative_count"] == 1 and df["ghi"].iloc[1] == 0.0


def test_error_ghi_above_extraterrestrial_points_at_labels(tmp_path):
    """Night-time sunshine is what a wrong time zone or label produces."""
    def edit(d):
        d.loc[2, "ghi"] = 300.0  # 02:00 local
        return d
    msg = _error(_write_variant(tmp_path, edit))
    assert "bad.csv:6 ghi" in msg and "above the extraterrestrial ceiling 0 W/m²" in msg
    assert "time zone" in msg


def test_error_temperature_and_pressure_ranges(tmp_path):
    def edit(d):
        d.loc[3, "temp_air"] = 65.0
        d["pressure"] = 1012.0
        return d
    msg = _error(_write_variant(tmp_path, edit))
    assert "bad.csv:7 temp_air" in msg and "outside -50 to 60 °C" in msg
    assert "hPa/mbar instead of Pa" in msg


def test_error_missing_feb29_in_leap_year(tmp_path):
    idx = pd.date_range("2024-02-27", "2024-03-02 23:00", freq="h", tz="Asia/Ho_Chi_Minh")
    idx = idx[~((idx.month == 2) & (idx.day == 29))]
    df = pd.DataFrame({"time": [t.isoformat() for t in idx], "ghi": 0.0, "dni": 0.0,
                       "dhi": 0.0, "temp_air": 20.0, "wind_speed": 2.0,
                       "pressure": 101000.0})
    path = tmp_path / "leap.csv"
    path.write_text("# latitude: 20.95\n# longitude: 107.07\n" + df.to_csv(index=False))
    msg = _error(path)
    assert "leap.csv:" in msg and "Feb 29 is missing" in msg and "to_year()" in msg


def test_error_feb29_in_non_leap_epw(tmp_path):
    lines = (DATA / "ha_long_2days.epw").read_text().splitlines()
    lines[8 + 5] = lines[8 + 5].replace("2021,1,1,", "2021,2,29,", 1)
    path = tmp_path / "feb29.epw"
    path.write_text("\n".join(lines) + "\n")
    msg = _error(path)
    assert "feb29.epw:14" in msg and "Feb 29 in a non-leap year" in msg


def test_error_timezone_contradicts_longitude(tmp_path):
    body = pd.read_csv(DATA / "ha_long_2days.csv", comment="#")
    body["time"] = [t[:19] for t in body["time"]]
    path = tmp_path / "tz.csv"
    path.write_text("# latitude: 20.95\n# longitude: -107.07\n# tz: Etc/GMT-7\n"
                    + body.to_csv(index=False))
    msg = _error(path)
    assert "tz.csv" in msg and "contradicts longitude -107.07" in msg


def test_error_position_missing_file_missing_unknown_format(tmp_path):
    assert "latitude and longitude are unknown" in _error(
        _write_variant(tmp_path, lambda d: d, site=False))
    assert "not found" in _error(tmp_path / "nope.epw")
    assert "unknown weather format" in _error(DATA / "ha_long_2days.csv", format="tmy2")


def test_unparsable_file_is_a_weather_error(tmp_path):
    path = tmp_path / "broken.epw"
    path.write_text("LOCATION,x,y,z,w,0,abc,107,7,10\n")
    assert "cannot be read as epw" in _error(path)


# --------------------------------------------------------------------------- fill

def test_fill_gaps_counts_and_values(tmp_path):
    def edit(d):
        d.loc[30, "wind_speed"] = np.nan
        return d.drop(index=[10, 11])  # 2 h gap (interpolated)
    path = _write_variant(tmp_path, edit)
    ref, _ = read_weather(DATA / "ha_long_2days.csv")
    df, meta = read_weather(path, fill_gaps=True)
    assert meta["filled_count"] == 3 and len(df) == 48
    t9, t12 = ref["temp_air"].iloc[9], ref["temp_air"].iloc[12]
    assert df["temp_air"].iloc[10] == pytest.approx(t9 + (t12 - t9) / 3)
    w29, w31 = ref["wind_speed"].iloc[29], ref["wind_speed"].iloc[31]
    assert df["wind_speed"].iloc[30] == pytest.approx((w29 + w31) / 2)
    assert any("filled" in n for n in meta["notes"])


def test_fill_long_gap_uses_previous_day(tmp_path):
    path = _write_variant(tmp_path, lambda d: d.drop(index=range(30, 40)))
    ref, _ = read_weather(DATA / "ha_long_2days.csv")
    df, meta = read_weather(path, fill_gaps=True)
    assert meta["filled_count"] == 10
    np.testing.assert_array_equal(df["ghi"].iloc[30:40].to_numpy(),
                                  ref["ghi"].iloc[6:16].to_numpy())


# --------------------------------------------------------------------------- to_year

def test_to_year_leap_target_copies_feb28(greensboro_record):
    df, _ = greensboro_record
    out = to_year(df, 2024)
    assert len(out) == 8784 and out.index[0] == pd.Timestamp("2024-01-01", tz=df.index.tz)
    np.testing.assert_array_equal(out.loc["2024-02-29", "ghi"].to_numpy(),
                                  df.loc["1990-02-28", "ghi"].to_numpy())
    np.testing.assert_array_equal(out.loc["2024-03-01", "ghi"].to_numpy(),
                                  df.loc["1990-03-01", "ghi"].to_numpy())
    assert any("Feb 29 of 2024 filled" in n for n in out.attrs["notes"])
    back = to_year(out, 2023)
    assert len(back) == 8760 and any("dropped" in n for n in back.attrs["notes"])
    np.testing.assert_array_equal(back["ghi"].to_numpy(), df["ghi"].to_numpy())


def test_to_year_needs_full_year_and_fixed_offset(greensboro_record):
    df, _ = greensboro_record
    with pytest.raises(WeatherError, match="one full hourly year"):
        to_year(df.iloc[:100], 2030)
    dst = df.set_axis(pd.date_range("1990-01-01", periods=8760, freq="h",
                                    tz="America/New_York"))
    with pytest.raises(WeatherError, match="daylight saving"):
        to_year(dst, 2030)


def test_generic_csv_with_changing_offsets_goes_through_utc(tmp_path):
    idx = pd.date_range("2021-03-27", periods=72, freq="h", tz="Europe/Lisbon")
    df = pd.DataFrame({"time": [t.isoformat() for t in idx], "ghi": 0.0, "dni": 0.0,
                       "dhi": 0.0, "temp_air": 12.0, "wind_speed": 3.0,
                       "pressure": 101000.0})
    path = tmp_path / "dst.csv"
    path.write_text("# latitude: 38.7\n# longitude: -9.1\n" + df.to_csv(index=False))
    out, meta = read_weather(path)
    assert len(out) == 72 and meta["tz"] == "UTC"
    assert out.index[0] == idx[0]


def test_requested_tz_is_checked_against_longitude():
    with pytest.raises(WeatherError, match="contradicts longitude 107.07"):
        read_weather(DATA / "pvgis_tmy_2days.json", tz="America/Chicago")
