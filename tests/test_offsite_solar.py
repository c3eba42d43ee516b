"""Off-site (DPPA) solar farms take the weather of their own normals station (issue 18)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from energy_model.economics import load_costs
from energy_model.economics.market_price import proxy_market_price
from energy_model.errors import ScenarioError
from energy_model.geo.distance import great_circle_km
from energy_model.pipeline import assemble, load_scenario, scenario_weather
from energy_model.pipeline.contracts import park_contracts
from energy_model.pipeline.offsite import offsite_summary, offsite_tables
from energy_model.scenario.pv import PVArray
from energy_model.solar import pv_profiles_per_kwp
from energy_model.weather.normals import load_normals
from energy_model.weather.synthetic import synthesize

from conftest import REPO

NORMALS = REPO / "weather" / "quang_ninh_normals.csv"

SCENARIO = """\
name: offsite_solar_test
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
    pv:
      - {{name: roof, kind: rooftop, tilt: 10, azimuth: 180}}
      - {{name: farm, kind: ground, tilt: 15, azimuth: 180, gcr: 0.4, {farm}}}
    battery: {{max_kw: 5000}}
    grid: {{voltage: 22_110kv, substation_mva: 40, transformers: 2}}
{contracts}"""
VIRTUAL = "{asset: farm, ownership: dppa_virtual, strike_vnd_per_kwh: 1200}"
#: inland near Hải Hà, 5.3 km west of its station (21.45 N, 107.75 E), 95 km from the park
HAI_HA = "offsite: true, fixed_kwp: 20000, location: {lat: 21.46, lon: 107.70}"


def with_contract(tmp_path, farm: str, contract: str = ""):
    path = tmp_path / "s.yaml"
    text = f"    contracts:\n      - {contract}\n" if contract else ""
    path.write_text(SCENARIO.format(farm=farm, contracts=text), encoding="utf-8")
    return path


def scenario(tmp_path, farm: str = HAI_HA):
    return load_scenario(with_contract(tmp_path, farm))


@pytest.fixture(scope="module")
def hai_ha(tmp_path_factory):
    s = scenario(tmp_path_factory.mktemp("offsite_pv"))
    park = s.parks[0]
    weather = scenario_weather(s)["quang_yen"][0]
    return s, park, weather, assemble(s, park, weather)


def test_offsite_solar_farm_runs_the_chain_on_its_own_station(hai_ha):
    s, park, park_weather, inputs = hai_ha
    farm = park.pv[1]
    (info,) = inputs.offsite_farms
    assert info["kind"] == "pv" and info["station"] == "hai_ha"
    assert info["station_name"].startswith("Hải Hà")
    km = float(great_circle_km(21.46, 107.70, 21.45, 107.75))
    assert info["distance_km"] == pytest.approx(km, rel=1e-9) and 5.0 < km < 5.5
    assert info["capacity_kw"] == 20_000.0 and not info["nearshore"]
    # equals the project's solar chain on the Hải Hà station's synthetic year, at the farm
    own = synthesize(load_normals(NORMALS), ["hai_ha"], 2030, 1)["hai_ha"][0]
    site = {"latitude": 21.46, "longitude": 107.70, "altitude": 10.0, "name": "farm"}
    direct = pv_profiles_per_kwp(own, site, [farm])["farm"].to_numpy() * 20_000
    got = inputs.offsite_kw["farm"].to_numpy()
    np.testing.assert_allclose(got, direct, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(inputs.offsite_pv_kw.to_numpy(), direct, rtol=1e-12)
    assert inputs.offsite_wind_kw is None
    # a plausible yield (kWh/kWp/yr) and one that is not the park's: the same array in the
    # park's (Quảng Yên) weather differs hour by hour and in the year
    assert 900 < direct.sum() / 20_000 < 1500
    at_park = pv_profiles_per_kwp(park_weather, site, [farm])["farm"].to_numpy() * 20_000
    assert abs(direct.sum() / at_park.sum() - 1) > 0.02  # 1,031 against 1,059 kWh/kWp
    assert np.corrcoef(direct, at_park)[0, 1] < 0.9  # 0.86
    assert info["energy_mwh"] == pytest.approx(direct.sum() / 1000, rel=1e-12)
    assert any("off-site solar 20.0 MWp from the weather of Hải Hà" in n
               and "(hai_ha, nearest normals station, 5.3 km" in n for n in inputs.notes)


def test_offsite_solar_is_not_onsite_supply(hai_ha):
    _, _, _, inputs = hai_ha
    assert [t.name for t in inputs.technologies] == ["pv_roof"]
    assert list(inputs.pv_per_kwp.columns) == ["roof"]
    assert inputs.station == "quang_yen"


def test_named_station_wins_and_places_a_farm_without_location(tmp_path):
    s = scenario(tmp_path, "offsite: true, fixed_kwp: 20000, station: mong_cai")
    park = s.parks[0]
    inputs = assemble(s, park, scenario_weather(s)["quang_yen"][0])
    assert inputs.offsite_farms[0]["station"] == "mong_cai"
    assert inputs.offsite_farms[0]["distance_km"] is None
    own = synthesize(load_normals(NORMALS), ["mong_cai"], 2030, 1)["mong_cai"][0]
    site = {"latitude": 21.52, "longitude": 107.97, "altitude": 10.0, "name": "farm"}
    np.testing.assert_allclose(inputs.offsite_kw["farm"].to_numpy(),
                               pv_profiles_per_kwp(own, site, [park.pv[1]])["farm"].to_numpy()
                               * 20_000, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("farm, key, words", [
    ("offsite: true, fixed_kwp: 20000", "parks[0].pv[1]", "off-site farm needs its own"),
    ("offsite: true, fixed_kwp: 20000, station: hai_haa", "parks[0].pv[1].station",
     "unknown weather station 'hai_haa' for off-site solar farm 'farm'; did you mean 'hai_ha'"),
    ("offsite: true, fixed_kwp: 20000, location: {lat: 23.5, lon: 107.7}",
     "parks[0].pv[1].location", "off-site solar farm 'farm' at lat 23.5, lon 107.7 is 2"),
    ("fixed_kwp: 20000, station: hai_ha", "parks[0].pv[1]",
     "'station' is for off-site farms"),
    ("offsite: true, station: hai_ha", "parks[0].pv[1]", "give its 'fixed_kwp'"),
    # at sea, 9 km west of Cô Tô: a ground farm needs land
    ("offsite: true, fixed_kwp: 20000, location: {lat: 20.93, lon: 107.70}",
     "parks[0].pv[1].location", "is at sea"),
])
def test_located_errors(tmp_path, farm, key, words):
    with pytest.raises(ScenarioError) as e:
        scenario(tmp_path, farm)
    text = str(e.value)
    assert key in text and words in text


@pytest.mark.parametrize("kind", ["rooftop", "floating"])
def test_offsite_rooftop_or_floating_is_refused_with_the_reason(kind):
    with pytest.raises(ValueError, match=f"off-site \\(DPPA\\) solar farm is a ground array; "
                                         f"array 'x' is {kind}"):
        PVArray(name="x", kind=kind, offsite=True, station="hai_ha", fixed_kwp=1000)


def _dispatch(idx, import_kw):
    return pd.DataFrame({"load_kw": import_kw, "pv_kw": 0.0, "wind_kw": 0.0,
                         "curtailment_kw": 0.0, "battery_charge_kw": 0.0,
                         "battery_discharge_kw": 0.0, "grid_export_kw": 0.0,
                         "grid_import_kw": import_kw}, index=idx)


def test_virtual_dppa_on_an_offsite_solar_farm_settles(tmp_path, hai_ha):
    """48 June hours: the farm's matched kWh cost strike + 523 VND/kWh of charges in place of
    the retail price; matched = min(farm, import) hour by hour (worked here by hand)."""
    _, _, _, base = hai_ha
    s = load_scenario(with_contract(tmp_path, HAI_HA, VIRTUAL),
                      overrides={"economics.tariff_escalation_real": 0.0})
    idx = base.load_kw.index[24 * 160:24 * 162]  # 9-10 June
    farm = base.offsite_kw.loc[idx]
    imp = np.full(48, 2000.0)
    inputs = SimpleNamespace(park=s.parks[0], meter=None, offsite_kw=farm,
                             grid=SimpleNamespace(import_price=np.full(48, 1800.0),
                                                  export_price=1426.6), cost_names={})
    t = park_contracts(s, inputs, SimpleNamespace(dispatch=_dispatch(idx, imp), capacities={}),
                       load_costs())
    row = t["contracts"].iloc[0]
    horizon = 48 / 8760
    out = farm["farm"].to_numpy()
    matched = np.minimum(out, imp)
    assert out.max() > 3000 and 0 < matched.sum() < out.sum()  # 20 MWp farm, 2 MW import
    assert row["capacity_mw"] == pytest.approx(20.0)
    assert row["output_mwh"] == pytest.approx(out.sum() / 1e3 / horizon, rel=1e-9)
    assert row["delivered_mwh"] == pytest.approx(matched.sum() / 1e3 / horizon, rel=1e-9)
    assert row["unmatched_mwh"] == pytest.approx((out - matched).sum() / 1e3 / horizon,
                                                 rel=1e-9)
    from energy_model.finance import life_mean_factor
    g = 1 + s.economics.inflation
    pvf = life_mean_factor(load_costs().pv_degradation, s.economics.lifetime_years)
    assert row["tenant_net_y1_billion_vnd"] * 1e9 == pytest.approx(
        matched.sum() * ((1800 - 523) * g - 1200) / horizon / pvf, rel=1e-9)
    assert row["breakeven_price_y1"] == pytest.approx((1800 - 523) * g, abs=1e-6)
    # economic view: the farm's whole output sold at the market price
    market = proxy_market_price(idx).price.to_numpy()
    econ = t["cash_flows"].set_index("year")["economic_value_vnd"]
    assert econ[1] == pytest.approx(float((out * market).sum()) / horizon * g / pvf, rel=1e-9)


def test_virtual_dppa_needs_a_10_mw_solar_farm(tmp_path, hai_ha):
    _, _, _, base = hai_ha
    s = load_scenario(with_contract(tmp_path, HAI_HA.replace("20000", "8000"), VIRTUAL))
    idx = base.load_kw.index[:48]
    inputs = SimpleNamespace(park=s.parks[0], meter=None,
                             offsite_kw=base.offsite_kw.loc[idx] * 0.4,
                             grid=SimpleNamespace(import_price=1800.0, export_price=1426.6),
                             cost_names={})
    with pytest.raises(ScenarioError) as e:
        park_contracts(s, inputs, SimpleNamespace(dispatch=_dispatch(idx, np.full(48, 5e3)),
                                                  capacities={}), load_costs())
    (p,) = e.value.problems
    assert p.key == "parks[0].contracts[0].asset" and "farm 'farm' is 8 MW" in p.message


def test_dppa_on_an_onsite_array_is_refused(tmp_path):
    with pytest.raises(ScenarioError) as e:
        load_scenario(with_contract(tmp_path, HAI_HA, "{asset: roof, ownership: dppa_private, "
                                                      "price_vnd_per_kwh: 1200}"))
    assert "parks[0].contracts[0].ownership" in str(e.value)
    assert "'roof' is on site" in str(e.value)


class _Sizing:
    def __init__(self, dispatch, capacities):
        self.dispatch, self.capacities = dispatch, capacities


def test_tables_and_summary_columns(hai_ha):
    from energy_model.pipeline.types import ParkResult

    _, _, _, inputs = hai_ha
    idx = inputs.load_kw.index
    load = inputs.load_kw.to_numpy()
    d = pd.DataFrame({"load_kw": load, "grid_import_kw": load * 0.5}, index=idx)
    p = ParkResult(inputs=inputs, sizing=_Sizing(d, {"pv_roof_kw": 1000.0}), metrics=None,
                   economics=None, cash_flow=None, co2=None, resilience=None, row={})
    h = p.hourly
    farm = inputs.offsite_kw["farm"].to_numpy()
    assert "offsite_wind_kw" not in h.columns
    np.testing.assert_allclose(h["offsite_pv_kw"], farm)
    np.testing.assert_allclose(h["offsite_matched_kw"], np.minimum(farm, load * 0.5))
    farms, months = offsite_tables(SimpleNamespace(parks={"demo_park": p}))
    assert list(farms["farm"]) == ["farm", "ALL"] and farms["kind"].iloc[0] == "pv"
    assert months["offsite_pv_share"].sum() == pytest.approx(1.0, abs=1e-12)
    assert months["offsite_wind_share"].isna().all()
    assert months["offsite_pv_kwh_per_kwp"].sum() == pytest.approx(farm.sum() / 20_000)
    row = offsite_summary(inputs, load * 0.5)
    assert row["offsite_mw"] == 20.0 and row["offsite_station"] == "hai_ha"
    assert row["offsite_energy_mwh"] == pytest.approx(farm.sum() / 1e3, rel=1e-12)
    assert row["offsite_matched_mwh"] == pytest.approx(
        np.minimum(farm, load * 0.5).sum() / 1e3, rel=1e-12)
    assert 0 < row["offsite_matched_mwh"] < row["offsite_energy_mwh"]
    none = offsite_summary(SimpleNamespace(offsite_kw=None), load)
    assert none == {"offsite_mw": 0.0, "offsite_energy_mwh": 0.0, "offsite_matched_mwh": 0.0,
                    "offsite_station": ""}


WIND = ("    wind:\n      - {name: nearshore, turbine: AD116/5000, hub_height_m: 90, count: 20, "
        "offsite: true, terrain: sea, location: {lat: 20.93, lon: 107.70}}\n")


@pytest.mark.parametrize("lang, words", [
    ("en", ["of the off-site solar's year", "about 50 %", "lower bound",
            "Cô Tô", "Hải Hà"]),
    ("vi", ["của điện mặt trời ngoài khu", "khoảng 50 %", "cận dưới", "Cô Tô", "Hải Hà"])])
def test_complementarity_shows_either_kind_and_the_nearshore_caveat(tmp_path, lang, words):
    """A park with an off-site solar farm and a nearshore wind farm: three bars a month, the
    Nov–Feb share of each, and the caveat on the island stations' winter share; a park with
    the solar farm alone has no caveat."""
    from energy_model.pipeline.types import ParkResult
    from energy_model.report.plots import caption_of
    from energy_model.report.plots.offsite import complementarity
    from energy_model.results import write_csv

    path = with_contract(tmp_path, HAI_HA)
    path.write_text(path.read_text(encoding="utf-8").replace("    battery:", WIND + "    battery:"),
                    encoding="utf-8")
    (tmp_path / "solo").mkdir()
    results = {}
    for pid, s in (("both", load_scenario(path)), ("solar", scenario(tmp_path / "solo"))):
        park = s.parks[0]
        inputs = assemble(s, park, scenario_weather(s)["quang_yen"][0])
        load = inputs.load_kw.to_numpy()
        d = pd.DataFrame({"load_kw": load, "grid_import_kw": load}, index=inputs.load_kw.index)
        results[pid] = ParkResult(inputs=inputs, sizing=_Sizing(d, {"pv_roof_kw": 1.0}),
                                  metrics=None, economics=None, cash_flow=None, co2=None,
                                  resilience=None, row={})
    farms, months = offsite_tables(SimpleNamespace(parks=results))
    assert farms.set_index("farm").loc["nearshore", "nearshore"]
    assert not farms.set_index("farm").loc["farm"].iloc[0]["nearshore"]
    write_csv(farms, tmp_path / "offsite_farms.csv", index=False)
    write_csv(months, tmp_path / "offsite_monthly.csv", index=False)
    res = SimpleNamespace(folder=tmp_path, park_ids=["both", "solar"],
                          parks=pd.DataFrame({"name": ["Both", "Solar"]},
                                             index=["both", "solar"]))
    fig = complementarity(res, "both", lang)
    bars = [b.get_height() for b in fig.axes[0].patches if b.get_width() < 0.5]
    assert len(bars) == 36 and sum(bars) == pytest.approx(300.0, abs=1e-6)  # three × 100 %
    caption = caption_of(fig)
    for w in words:
        assert w in caption
    info = {f["farm"]: f for f in results["both"].inputs.offsite_farms}
    for farm in ("farm", "nearshore"):
        assert f"{100 * info[farm]['nov_feb_share']:.0f}" in caption
    assert 0.2 < info["nearshore"]["nov_feb_share"] < 0.4  # ≈ 30 %, not the reference's 50 %
    solo = caption_of(complementarity(res, "solar", lang))
    assert words[0] in solo and "50 %" not in solo


@pytest.mark.parametrize("lang, text", [
    ("en", "20.0 MW, 20,622 MWh a year, of which 9,876 MWh matched hour by hour with the park's "
           "grid import; weather of station hai_ha, co_to"),
    ("vi", "20,0 MW, 20.622 MWh mỗi năm, trong đó 9.876 MWh được khớp")])
def test_park_section_line_reads_the_summary_row(lang, text):
    from energy_model.report.html.parks import _offsite_facts
    from energy_model.report.i18n import Translator

    tr = Translator(lang)
    row = pd.Series({"offsite_mw": 20.0, "offsite_energy_mwh": 20622.3,
                     "offsite_matched_mwh": 9876.4, "offsite_station": "hai_ha;co_to"})
    ((label, value),) = _offsite_facts(tr, row)
    assert label == tr("park.offsite") and text in value
    assert _offsite_facts(tr, pd.Series({**row, "offsite_mw": 0.0})) == []
    assert _offsite_facts(tr, pd.Series({"wind_mw": 1.0})) == []  # a folder from before


def test_a_short_run_writes_the_offsite_solar_facts(tmp_path, monkeypatch):
    """A run over one June week (no report): summary.csv's off-site columns, the hourly
    off-site solar and its match, and the virtual DPPA on the farm in contracts.csv agree
    with the hourly file; the on-site columns do not count the farm."""
    from energy_model.pipeline import run as pipeline_run
    from energy_model.pipeline import run_and_write
    from energy_model.results import read_csv

    from test_report import short_park_inputs

    s = load_scenario(with_contract(tmp_path, HAI_HA, VIRTUAL))
    monkeypatch.setattr(pipeline_run, "assemble",
                        short_park_inputs(horizon=("2030-06-01", "2030-06-08")))
    folder, _ = run_and_write(s, tmp_path / "results", progress=False, workers=1)
    h = read_csv(folder / "parks" / "demo_park.csv")
    assert len(h) == 168 and "offsite_wind_kw" not in h.columns
    matched = np.minimum(h["offsite_pv_kw"], h["grid_import_kw"])
    np.testing.assert_allclose(h["offsite_matched_kw"], matched, atol=1e-3)
    summary = read_csv(folder / "summary.csv", keep_default_na=False, na_values=[""])
    row = summary.set_index("park_id").loc["demo_park"]
    assert row["offsite_mw"] == 20.0 and row["offsite_station"] == "hai_ha"
    assert row["offsite_energy_mwh"] == pytest.approx(h["offsite_pv_kw"].sum() / 1e3, rel=1e-5)
    assert row["offsite_matched_mwh"] == pytest.approx(matched.sum() / 1e3, rel=1e-5)
    assert 0 < row["offsite_matched_mwh"] < row["offsite_energy_mwh"]
    assert row["pv_ground_mwp"] == 0.0  # the farm is not on-site PV
    assert row["pv_gwh"] * 1e6 == pytest.approx(h["pv_kw"].sum(), rel=1e-5)
    c = read_csv(folder / "contracts" / "contracts.csv").iloc[0]
    horizon = 168 / 8760
    assert c["asset"] == "farm" and c["ownership"] == "dppa_virtual"
    assert c["capacity_mw"] == pytest.approx(20.0)
    assert c["delivered_mwh"] == pytest.approx(matched.sum() / 1e3 / horizon, rel=1e-5)
    assert c["output_mwh"] == pytest.approx(h["offsite_pv_kw"].sum() / 1e3 / horizon, rel=1e-5)
