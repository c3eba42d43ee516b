"""Coastal and island wind check: hub-height wind, Weibull k and CF against published figures."""

from __future__ import annotations

import math

import numpy as np
import pytest

from energy_model import wind
from energy_model.wind.validation import _ascii_key
from test_wind import weibull_weather


def test_coastal_check_gap_and_notes():
    """Cô Tô (sea, z0 = 0.0002 m) at 3.75 m/s and 2.6 m/s at 10 m, against 4.4 m/s at 65 m.

    Hand calculation: ln(65/0.0002) / ln(10/0.0002) = 12.6915 / 10.8198 = 1.17299, so a
    3.75 m/s mean gives 4.399 m/s at 65 m (gap ≈ 0 %) and 2.6 m/s gives 3.050 m/s
    (gap −30.7 %, which needs a note).
    """
    factor = math.log(65 / 0.0002) / math.log(10 / 0.0002)
    assert factor == pytest.approx(1.17299, abs=1e-5)
    stations = {
        "Cô Tô": weibull_weather(mean_10m=3.75, seed=1, terrain="sea"),
        "co_to_low": weibull_weather(mean_10m=2.6, seed=2, terrain="sea"),
        "Móng Cái": weibull_weather(mean_10m=2.4, seed=3, terrain="coast"),
        "Đông Triều": weibull_weather(mean_10m=2.0, seed=4, terrain="open"),
    }
    published = list(wind.PUBLISHED_WIND) + [
        {"station": "co_to_low", "height_m": 65.0, "mean_wind_speed_ms": 4.4, "mark": "S",
         "source": "test copy"}]
    table = wind.coastal_wind_check(stations, published=published).set_index("station")
    # inland Đông Triều is left out; coastal and published stations are in
    assert list(table.index) == ["Cô Tô", "co_to_low", "Móng Cái"]
    only = wind.coastal_wind_check(stations, stations=["Đông Triều"], published=published)
    assert list(only["station"]) == ["Đông Triều"] and only["note"][0] == ""
    for key in ("Cô Tô", "co_to_low"):
        v10 = stations[key]["wind_speed"].mean()
        row = table.loc[key]
        assert row["model_wind_speed_at_published_height_ms"] == pytest.approx(v10 * factor)
        assert row["gap"] == pytest.approx(v10 * factor / 4.4 - 1)
        assert row["station_roughness_length_m"] == 0.0002
    assert abs(table.loc["Cô Tô", "gap"]) < 0.05
    assert table.loc["Cô Tô", "note"].startswith("within 15 %")
    low = table.loc["co_to_low"]
    assert low["gap"] < -0.15
    assert "below the published 4.4 m/s at 65 m" in low["note"]
    assert f"needs a 10 m mean of {4.4 / factor:.2f} m/s" in low["note"]
    # the roughness that would close the gap reproduces 4.4 m/s
    assert "a sheltered anemometer" in low["note"]
    z0 = float(low["note"].split("or a station roughness z0 = ")[1].split(" m")[0])
    assert low["mean_wind_speed_10m_ms"] * math.log(65 / z0) / math.log(10 / z0) == \
        pytest.approx(4.4, rel=0.01)
    # reference turbine at 80 m: hub wind, Weibull k and CF all reported
    mc = table.loc["Móng Cái"]
    assert mc["hub_height_m"] == 80 and np.isnan(mc["gap"]) and mc["note"] == ""
    assert mc["mean_wind_speed_hub_ms"] == pytest.approx(
        stations["Móng Cái"]["wind_speed"].mean() * math.log(80 / 0.005) / math.log(10 / 0.005))
    assert 1.8 < mc["weibull_k"] < 2.2  # the series was drawn with k = 2
    assert 0.0 < mc["capacity_factor"] < table.loc["Cô Tô", "capacity_factor"]


def _synthetic_weather():
    """One synthetic year for every station of the shipped normals."""
    if _CACHE:
        return _CACHE[0]
    from energy_model.paths import shipped_dir
    from energy_model.weather import synthetic
    from energy_model.weather.normals import load_normals

    path = shipped_dir("weather") / "quang_ninh_normals.csv"
    normals = load_normals(path)
    _CACHE.append((normals, synthetic.synthesize(normals, normals.ids, 2030, 0, years=1)))
    return _CACHE[0]


_CACHE: list = []


def test_coastal_check_on_synthetic_weather():
    """Every coastal or island station of the shipped normals, on synthetic weather."""
    normals, weather = _synthetic_weather()
    table = wind.coastal_wind_check(weather)
    coastal = {sid for sid, st in normals.stations.items() if st.terrain in ("sea", "coast")}
    assert coastal <= set(table["station"])
    # the coast and islands of the issue are all checked; inland stations are not
    keys = {_ascii_key(s) for s in table["station"]}
    assert {"vandon", "coto", "mongcai", "haiha", "quangyen"} <= keys
    assert not keys & {"dongtrieu", "uongbi", "binhlieu"}
    keys = [_ascii_key(s) for s in table["station"]]
    assert any("coto" in k for k in keys), "Cô Tô must be checked against its atlas figure"
    for _, row in table.iterrows():
        frame = weather[row["station"]][0]
        # the roughness used for the 10 m → hub step is the station's own
        st = normals.station(row["station"])
        if st.roughness_length_m is not None:
            assert row["station_roughness_length_m"] == pytest.approx(st.roughness_length_m)
        assert row["mean_wind_speed_10m_ms"] == pytest.approx(frame["wind_speed"].mean())
        assert 1.0 < row["mean_wind_speed_hub_ms"] < 9.0
        assert 1.0 < row["weibull_k"] < 3.5
        assert 0.0 <= row["capacity_factor"] <= 0.6
        if np.isfinite(row["gap"]) and abs(row["gap"]) > 0.15:
            assert "published" in row["note"] and "z0" in row["note"]


def test_co_to_round_trip_is_consistent():
    """The shipped Cô Tô normals were scaled from 4.4 m/s at 65 m with the station's z0.

    Carrying the synthetic 10 m wind back up with the same station roughness must return the
    atlas figure (within 2 %: synthetic monthly means meet the normals to 0.1 %); a change of
    roughness in the normals or here that breaks the chain fails this test.
    """
    normals, weather = _synthetic_weather()
    row = wind.coastal_wind_check(weather, stations=["co_to"]).iloc[0]
    assert row["published_ms"] == 4.4 and row["published_height_m"] == 65
    assert abs(row["gap"]) < 0.02
    st = normals.station("co_to")
    z0 = st.roughness_length_m or wind.TERRAIN_ROUGHNESS_M[st.terrain]
    assert row["station_roughness_length_m"] == z0
