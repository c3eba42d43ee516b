"""Off-site (DPPA) wind farms take the weather of their own normals station (issue 18)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from energy_model.errors import ScenarioError
from energy_model.geo.distance import great_circle_km
from energy_model.pipeline import assemble, load_scenario, scenario_weather
from energy_model.pipeline.offsite import matched_kw, nearest_station, offsite_tables
from energy_model.scenario.wind import WindFarm
from energy_model.weather.normals import load_normals
from energy_model.weather.synthetic import synthesize
from energy_model.wind import simulate_wind

from conftest import REPO

NORMALS = REPO / "weather" / "quang_ninh_normals.csv"

SCENARIO = """\
name: offsite_test
year: 2030
weather: {{source: normals, seed: 1}}
tariff: {{name: evn_2026}}
parks:
  - id: demo_park
    name: "Demo park"
    kind: KCN
    location: {{lat: 21.01, lon: 106.87, altitude_m: 10}}
    weather_station: quang_yen
    area_ha: 100
    occupancy: 0.6
    occupancy_year: 2025
    industries: [{{cls: textile, share: 1.0}}]
    load: {{source: bottom_up}}
    pv: [{{name: roof, kind: rooftop, tilt: 10, azimuth: 180}}]
    battery: {{max_kw: 5000}}
    wind:
      - {{name: nearshore, turbine: AD116/5000, hub_height_m: 90, count: 20, offsite: true,
         terrain: sea, {farm}}}
    grid: {{voltage: 22_110kv, substation_mva: 40, transformers: 2}}
"""
#: at sea, 9 km west of the Cô Tô station (20.98 N, 107.77 E)
CO_TO_SEA = "location: {lat: 20.93, lon: 107.70}"


def scenario(tmp_path, farm: str = CO_TO_SEA):
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO.format(farm=farm), encoding="utf-8")
    return load_scenario(path)


@pytest.fixture(scope="module")
def co_to(tmp_path_factory):
    s = scenario(tmp_path_factory.mktemp("offsite"))
    park = s.parks[0]
    weather = scenario_weather(s)["quang_yen"][0]
    return s, park, weather, assemble(s, park, weather)


def test_offsite_farm_uses_its_own_station(co_to):
    s, park, park_weather, inputs = co_to
    farm = park.wind[0]
    info = inputs.offsite_farms[0]
    assert info["station"] == "co_to" and info["station_name"] == "Cô Tô"
    km = float(great_circle_km(20.93, 107.70, 20.98, 107.77))
    assert info["distance_km"] == pytest.approx(km, rel=1e-9)
    assert 8.0 < km < 10.0
    assert info["capacity_kw"] == 100_000.0
    # equals simulating the Cô Tô station's synthetic year directly ...
    own = synthesize(load_normals(NORMALS), ["co_to"], 2030, 1)["co_to"][0]
    direct = simulate_wind(own, [farm])["nearshore_kw"].to_numpy()
    np.testing.assert_allclose(inputs.offsite_wind_kw.to_numpy(), direct, rtol=1e-12, atol=0)
    assert inputs.offsite_wind_kw.index.equals(park_weather.index)
    # ... and differs from the same farm in the park's (Quảng Yên, inland) weather
    at_park = simulate_wind(park_weather, [farm])["nearshore_kw"].to_numpy()
    assert abs(direct.sum() / at_park.sum() - 1) > 0.10
    assert np.corrcoef(direct, at_park)[0, 1] < 0.99
    assert info["energy_mwh"] == pytest.approx(direct.sum() / 1000, rel=1e-12)
    assert any("Cô Tô (co_to, nearest normals station, 9.2 km" in n for n in inputs.notes)


def test_offsite_output_is_not_onsite_supply(co_to):
    _, _, _, inputs = co_to
    assert [t.name for t in inputs.technologies] == ["pv_roof"]
    assert inputs.wind_per_kw.shape[1] == 0
    assert inputs.station == "quang_yen"  # the park keeps its own weather


def test_winter_share_is_the_months_share(co_to):
    _, _, _, inputs = co_to
    kw = inputs.offsite_wind_kw
    by_month = kw.groupby(kw.index.month).sum()
    share = by_month[[11, 12, 1, 2]].sum() / by_month.sum()
    assert inputs.offsite_farms[0]["nov_feb_share"] == pytest.approx(share, rel=1e-12)
    assert 0.2 < share < 0.6


def test_named_station_wins_over_nearest(tmp_path):
    s = scenario(tmp_path, "station: van_don, location: {lat: 20.93, lon: 107.70}")
    park = s.parks[0]
    inputs = assemble(s, park, scenario_weather(s)["quang_yen"][0])
    assert inputs.offsite_farms[0]["station"] == "van_don"
    own = synthesize(load_normals(NORMALS), ["van_don"], 2030, 1)["van_don"][0]
    np.testing.assert_allclose(inputs.offsite_wind_kw.to_numpy(),
                               simulate_wind(own, [park.wind[0]])["nearshore_kw"].to_numpy(),
                               rtol=1e-12)


def test_nearest_station():
    stations = load_normals(NORMALS).stations
    sid, km = nearest_station(stations, 21.05, 107.43)
    assert sid == "van_don"
    assert km == pytest.approx(float(great_circle_km(21.05, 107.43, 21.06, 107.42)), rel=1e-9)
    assert nearest_station(stations, 20.98, 107.77) == ("co_to", 0.0)


def test_offsite_farm_needs_location_or_station():
    with pytest.raises(ValueError, match="off-site farm needs its own 'location"):
        WindFarm(name="x", turbine="AD116/5000", hub_height_m=90, count=1, offsite=True)
    with pytest.raises(ValueError, match="'station' is for off-site farms"):
        WindFarm(name="x", turbine="AD116/5000", hub_height_m=90, count=1, station="co_to")


def test_located_errors(tmp_path):
    with pytest.raises(ScenarioError) as e:
        scenario(tmp_path, "station: co_too")
    text = str(e.value)
    assert "parks[0].wind[0].station" in text
    assert "unknown weather station 'co_too'" in text and "did you mean 'co_to'" in text
    with pytest.raises(ScenarioError) as e:
        scenario(tmp_path, "location: {lat: 19.0, lon: 107.7}")  # 220 km south, in the gulf
    text = str(e.value)
    assert "parks[0].wind[0].location" in text and "nearest normals station 'co_to'" in text
    with pytest.raises(ScenarioError) as e:
        scenario(tmp_path, "availability: 0.95")  # no location, no station
    text = str(e.value)
    assert "parks[0].wind[0]" in text and "off-site farm needs" in text


def test_matched_is_hourly_min_of_offsite_and_import():
    off = np.array([0.0, 5.0, 10.0, 3.0])
    imp = np.array([4.0, 2.0, 10.0, 0.0])
    np.testing.assert_array_equal(matched_kw(off, imp), [0.0, 2.0, 10.0, 0.0])


class _Sizing:
    def __init__(self, dispatch, capacities):
        self.dispatch, self.capacities = dispatch, capacities


def test_offsite_tables_from_a_result(co_to):
    from energy_model.pipeline.types import ParkResult

    _, _, _, inputs = co_to
    idx = inputs.load_kw.index
    load = inputs.load_kw.to_numpy()
    d = pd.DataFrame({"load_kw": load, "grid_import_kw": load * 0.5}, index=idx)
    p = ParkResult(inputs=inputs, sizing=_Sizing(d, {"pv_roof_kw": 1000.0}), metrics=None,
                   economics=None, cash_flow=None, co2=None, resilience=None, row={})

    class R:
        parks = {"demo_park": p}

    farms, months = offsite_tables(R)
    hourly = p.hourly
    expect = np.minimum(inputs.offsite_wind_kw.to_numpy(), load * 0.5)
    np.testing.assert_allclose(hourly["offsite_matched_kw"], expect)
    total = farms[farms["farm"] == "ALL"].iloc[0]
    assert total["matched_mwh"] == pytest.approx(expect.sum() / 1000, rel=1e-12)
    assert total["energy_mwh"] == pytest.approx(inputs.offsite_wind_kw.sum() / 1000, rel=1e-12)
    assert len(months) == 12
    assert months["offsite_wind_share"].sum() == pytest.approx(1.0, abs=1e-12)
    assert months["pv_share"].sum() == pytest.approx(1.0, abs=1e-12)
    pv_year = inputs.pv_per_kwp.iloc[:, 0].sum()  # kWh/kWp of the one array
    assert months["pv_kwh_per_kwp"].sum() == pytest.approx(pv_year, rel=1e-12)
    assert 900 < pv_year < 1500


@pytest.mark.parametrize("lang, words", [("en", ["November to February", "Cô Tô"]),
                                         ("vi", ["Từ tháng 11 đến tháng 2", "Cô Tô"])])
def test_complementarity_plot_reads_the_folder(co_to, tmp_path, lang, words):
    """The plot draws the shares of offsite_monthly.csv and gives the Nov–Feb shares."""
    from types import SimpleNamespace

    from energy_model.pipeline.types import ParkResult
    from energy_model.report.plots import caption_of
    from energy_model.report.plots.offsite import complementarity, offsite_parks
    from energy_model.results import write_csv

    _, _, _, inputs = co_to
    load = inputs.load_kw.to_numpy()
    d = pd.DataFrame({"load_kw": load, "grid_import_kw": load}, index=inputs.load_kw.index)
    p = ParkResult(inputs=inputs, sizing=_Sizing(d, {"pv_roof_kw": 0.0}), metrics=None,
                   economics=None, cash_flow=None, co2=None, resilience=None, row={})
    farms, months = offsite_tables(SimpleNamespace(parks={"demo_park": p}))
    write_csv(farms, tmp_path / "offsite_farms.csv", index=False)
    write_csv(months, tmp_path / "offsite_monthly.csv", index=False)
    res = SimpleNamespace(folder=tmp_path, park_ids=["demo_park", "other"],
                          parks=pd.DataFrame({"name": ["Demo park", "Other"]},
                                             index=["demo_park", "other"]))
    assert offsite_parks(res) == ["demo_park"]
    fig = complementarity(res, "demo_park", lang)
    bars = [b.get_height() for b in fig.axes[0].patches if b.get_width() < 0.5]
    assert len(bars) == 24 and sum(bars) == pytest.approx(200.0, abs=1e-6)  # two × 100 %
    wind = 100 * inputs.offsite_farms[0]["nov_feb_share"]
    caption = caption_of(fig)
    for w in words:
        assert w in caption
    assert f"{wind:.0f}" in caption


def test_offsite_farm_may_stand_at_sea_an_onshore_one_may_not(tmp_path, co_to):
    from energy_model.geo.land import distance_to_land_km

    assert distance_to_land_km(20.93, 107.70) == pytest.approx(6.07, abs=0.05)  # at sea
    assert co_to[1].wind[0].offsite  # the module's scenario loaded with this location
    onshore = ("location: {lat: 20.93, lon: 107.70}}\n"
               "      - {name: x, turbine: E-53/800, hub_height_m: 60, count: 1, "
               "location: {lat: 20.93, lon: 107.70}")
    with pytest.raises(ScenarioError) as e:
        scenario(tmp_path, onshore)
    assert "parks[0].wind[1].location" in str(e.value) and "is at sea" in str(e.value)


def test_results_folder_has_the_offsite_tables_and_figure(tmp_path, monkeypatch):
    """A run (two January weeks, no report) writes offsite_farms/monthly.csv and the hourly
    match; the report then draws the complementarity figure for this park."""
    from energy_model.pipeline import run as pipeline_run
    from energy_model.pipeline import run_and_write
    from energy_model.report import load_results
    from energy_model.report.plots import figure_specs
    from energy_model.results import read_csv

    from test_report import short_park_inputs

    s = scenario(tmp_path)
    monkeypatch.setattr(pipeline_run, "assemble",
                        short_park_inputs(horizon=("2030-01-01", "2030-01-15")))
    folder, result = run_and_write(s, tmp_path / "results", progress=False, workers=1)
    farms = read_csv(folder / "offsite_farms.csv", keep_default_na=False, na_values=[""])
    months = read_csv(folder / "offsite_monthly.csv")
    h = read_csv(folder / "parks" / "demo_park.csv")
    np.testing.assert_allclose(h["offsite_matched_kw"],
                               np.minimum(h["offsite_wind_kw"], h["grid_import_kw"]), atol=1e-3)
    total = farms[farms["farm"] == "ALL"].iloc[0]
    assert total["matched_mwh"] == pytest.approx(h["offsite_matched_kw"].sum() / 1000, rel=1e-5)
    assert total["energy_mwh"] == pytest.approx(h["offsite_wind_kw"].sum() / 1000, rel=1e-5)
    assert 0 < total["matched_mwh"] < total["energy_mwh"]  # 100 MW against a ~10 MW park
    farm = farms[farms["farm"] == "nearshore"].iloc[0]
    assert farm["station"] == "co_to" and farm["distance_km"] == pytest.approx(9.15, abs=0.01)
    assert months.loc[months["month"] == 1, "offsite_wind_share"].item() == pytest.approx(1.0)
    stems = [spec[0] for spec in figure_specs(load_results(folder))]
    assert "complementarity_demo_park" in stems
    notes = " ".join(result.notes)
    assert "off-site wind 100.0 MW from the weather of Cô Tô" in notes
