"""PVGIS typical years: the parser on small files in PVGIS format, and the disk cache of
the optional online fetch (the network is never used: pvlib's fetch is replaced)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pvlib
import pytest

from energy_model.errors import WeatherError
from energy_model.weather import pvgis, read_weather

DATA = Path(__file__).parent / "data" / "weather"
JSON = DATA / "pvgis_tmy_2days.json"


def test_json_parser_maps_pvgis_columns():
    df, meta = read_weather(JSON)
    raw = json.loads(JSON.read_text())["outputs"]["tmy_hourly"]
    assert len(df) == len(raw) == 48
    r = raw[5]
    row = df.iloc[5]
    assert (row["ghi"], row["dni"], row["dhi"]) == (r["G(h)"], r["Gb(n)"], r["Gd(h)"])
    assert (row["temp_air"], row["wind_speed"], row["pressure"]) == (r["T2m"], r["WS10m"], r["SP"])
    assert meta["wind_height_m"] == 10.0 and meta["source_metadata"]["months_selected"]


def test_json_bad_record_names_the_record(tmp_path):
    doc = json.loads(JSON.read_text())
    doc["outputs"]["tmy_hourly"][7]["T2m"] = 75.0
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(WeatherError, match=r"outputs\.tmy_hourly\[7\]\.temp_air"):
        read_weather(path)


def test_fetch_uses_pvlib_once_then_the_cache(tmp_path, monkeypatch):
    calls = []
    data, meta = pvlib.iotools.read_pvgis_tmy(JSON, map_variables=False)

    def fake_get(lat, lon, **kw):
        calls.append((lat, lon, kw["outputformat"]))
        return data.copy(), json.loads(json.dumps(meta))

    monkeypatch.setattr(pvlib.iotools, "get_pvgis_tmy", fake_get)
    df1, m1 = pvgis.fetch_pvgis_tmy(20.95, 107.07, cache=tmp_path)
    df2, m2 = pvgis.fetch_pvgis_tmy(20.95, 107.07, cache=tmp_path, tz="Asia/Ho_Chi_Minh")
    assert calls == [(20.95, 107.07, "json")]
    assert m1["file"] == str(tmp_path / "pvgis_tmy_+20.9500_+107.0700.json")
    ref, _ = read_weather(JSON)
    np.testing.assert_array_equal(df1.to_numpy(), ref.to_numpy())
    assert str(df2.index.tz) == "Asia/Ho_Chi_Minh"
    pvgis.fetch_pvgis_tmy(20.95, 107.07, cache=tmp_path, refresh=True)
    assert len(calls) == 2


def test_fetch_failure_without_cache_is_a_weather_error(tmp_path, monkeypatch):
    def offline(*a, **k):
        raise ConnectionError("no network")

    monkeypatch.setattr(pvlib.iotools, "get_pvgis_tmy", offline)
    with pytest.raises(WeatherError, match="nothing is cached.*no network"):
        pvgis.fetch_pvgis_tmy(21.0, 107.0, cache=tmp_path)
    with pytest.raises(WeatherError, match="not a valid latitude"):
        pvgis.fetch_pvgis_tmy(120.0, 107.0, cache=tmp_path)


def test_cache_dir_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(pvgis.CACHE_ENV, str(tmp_path))
    assert pvgis.cache_dir() == tmp_path / "pvgis"
