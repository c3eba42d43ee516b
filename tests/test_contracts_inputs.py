"""Contracts (issue 18): scenario keys with located errors, the spot-price proxy and a
user market-price file, and the contract tables of a (48-hour) sized park."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from energy_model.economics import load_costs
from energy_model.economics.market_price import proxy_market_price, read_market_price
from energy_model.errors import ScenarioError
from energy_model.paths import default_scenario
from energy_model.pipeline.contracts import park_contracts
from energy_model.scenario import load_scenario

EXAMPLE = default_scenario().parent / "example_single_park.yaml"
IDX = pd.date_range("2030-01-01", periods=8760, freq="h", tz="Asia/Ho_Chi_Minh")


def _scenario(tmp_path: Path, park_yaml: str, top: str = "") -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(f"extends: {EXAMPLE}\nname: t\n{top}parks:\n  - id: demo_park\n"
                    + park_yaml, encoding="utf-8")
    return path


def _problems(path: Path) -> list:
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    return err.value.problems


OFFSITE = ("    wind:\n      - {name: sea, turbine: V117/3600, hub_height_m: 91, count: 3, "
           "offsite: true,\n         location: {lat: 20.98, lon: 107.77}}\n")


def test_contract_keys_load(tmp_path):
    s = load_scenario(_scenario(tmp_path, OFFSITE + (
        "    contracts:\n"
        "      - {asset: roof, ownership: ppa, price_vnd_per_kwh: 1500, escalation_nominal: 0.02}\n"
        "      - {asset: sea, ownership: dppa_virtual, strike_vnd_per_kwh: 1300}\n")))
    c = s.parks[0].contracts
    assert [x.ownership for x in c] == ["ppa", "dppa_virtual"]
    assert c[1].system_service_vnd_per_kwh == 360 and c[1].settlement_adder_vnd_per_kwh == 163
    assert s.contracts.market_price_file is None


@pytest.mark.parametrize("contract,key,words", [
    ("{asset: rooof, ownership: ppa, price_vnd_per_kwh: 1500}", "contracts[0].asset",
     "unknown asset 'rooof'"),
    ("{asset: roof, ownership: ppa}", "contracts[0]", "needs 'price_vnd_per_kwh'"),
    ("{asset: roof, ownership: lease, lease_vnd_per_kw_yr: 1, lease_vnd_per_month: 2}",
     "contracts[0]", "exactly one of"),
    ("{asset: roof, ownership: ppa, price_vnd_per_kwh: 1500, strike: 3}",
     "contracts[0].strike", "strike_vnd_per_kwh"),
    ("{asset: roof, ownership: dppa_private, price_vnd_per_kwh: 1000}",
     "contracts[0].ownership", "is for an off-site farm"),
    ("{asset: sea, ownership: ppa, price_vnd_per_kwh: 1000}", "contracts[0].ownership",
     "expected ownership 'dppa_private' or 'dppa_virtual'"),
    ("{asset: sea, ownership: dppa_private, price_vnd_per_kwh: 1500, "
     "price_cap_vnd_per_kwh: 1382.7}", "contracts[0]", "above the generation price frame"),
    ("{asset: roof, ownership: own}", "contracts[0].ownership", "'owned'"),
])
def test_bad_contract_keys_are_located(tmp_path, contract, key, words):
    path = _scenario(tmp_path, OFFSITE + f"    contracts:\n      - {contract}\n")
    problems = _problems(path)
    assert len(problems) == 1
    p = problems[0]
    assert p.key == f"parks[0].{key}" and words in p.message
    assert p.file == str(path) and p.line == 9  # the contract's own line


def test_virtual_dppa_buyer_below_22kv_and_duplicates(tmp_path):
    path = _scenario(tmp_path, OFFSITE + (
        "    grid: {voltage: 6_22kv}\n    contracts:\n"
        "      - {asset: sea, ownership: dppa_virtual, strike_vnd_per_kwh: 1300}\n"
        "      - {asset: sea, ownership: dppa_private, price_vnd_per_kwh: 1300}\n"))
    problems = _problems(path)
    assert [p.key for p in problems] == ["parks[0].contracts[0].ownership",
                                        "parks[0].contracts[1].asset"]
    assert "22 kV" in problems[0].message and problems[0].line == 10
    assert "second contract" in problems[1].message and problems[1].line == 11


def test_market_price_file_resolved_and_checked(tmp_path):
    (tmp_path / "prices.csv").write_text("time,price_vnd_per_kwh\n", encoding="utf-8")
    s = load_scenario(_scenario(tmp_path, "    name: Demo\n",
                                "contracts: {market_price_file: prices.csv}\n"))
    assert s.contracts.market_price_file == str((tmp_path / "prices.csv").resolve())
    path = _scenario(tmp_path, "    name: Demo\n", "contracts: {market_price_file: nope.csv}\n")
    (p,) = _problems(path)
    assert p.key == "contracts.market_price_file" and p.line == 3 and "not found" in p.message


def test_virtual_dppa_farm_below_10_mw_is_refused(tmp_path):
    small = OFFSITE.replace("count: 3", "count: 2")  # 2 × 3.6 MW = 7.2 MW
    s = load_scenario(_scenario(tmp_path, small + (
        "    contracts:\n      - {asset: sea, ownership: dppa_virtual, strike_vnd_per_kwh: 1300}\n")))
    idx = IDX[:48]
    d = pd.DataFrame({"load_kw": 2000.0, "pv_kw": 0.0, "wind_kw": 0.0, "curtailment_kw": 0.0,
                      "battery_charge_kw": 0.0, "battery_discharge_kw": 0.0,
                      "grid_export_kw": 0.0, "grid_import_kw": 2000.0}, index=idx)
    inputs = SimpleNamespace(park=s.parks[0], meter=None,
                             grid=SimpleNamespace(import_price=1800.0, export_price=1426.6),
                             offsite_kw=pd.DataFrame({"sea": 1500.0}, index=idx), cost_names={})
    with pytest.raises(ScenarioError) as err:
        park_contracts(s, inputs, SimpleNamespace(dispatch=d, capacities={}), load_costs())
    (p,) = err.value.problems
    assert p.key == "parks[0].contracts[0].asset" and "7.2 MW" in p.message and p.line == 9


def test_contracts_of_a_kkt_sized_per_class_meter_are_refused(tmp_path):
    path = _scenario(tmp_path, "    kind: KKT\n    contracts:\n"
                               "      - {asset: roof, ownership: ppa, price_vnd_per_kwh: 1500}\n",
                     "kkt_metering: class_meters\n")
    (p,) = _problems(path)
    assert p.key == "parks[0].contracts[0].ownership" and "class meter" in p.message
    assert p.line == 8


# --------------------------------------------------------------------------- market price

def test_proxy_mean_and_daily_shape():
    m = proxy_market_price(IDX)
    assert m.mark == "E" and m.source == "proxy"
    assert m.price.mean() == pytest.approx(1426.6, abs=1e-9)  # the S2 average, exactly
    p = m.price
    monday = p[(p.index.day_of_week == 0)]
    # ratios of the two-component pilot: peak/normal 2,182/1,275, off-peak/normal 859/1,275
    assert monday[monday.index.hour == 19].iloc[0] / monday[monday.index.hour == 12].iloc[0] \
        == pytest.approx(2182 / 1275, rel=1e-3)
    assert monday[monday.index.hour == 3].iloc[0] / monday[monday.index.hour == 12].iloc[0] \
        == pytest.approx(859 / 1275, rel=1e-3)
    sunday = p[p.index.day_of_week == 6]
    assert sunday.max() == pytest.approx(monday[monday.index.hour == 12].iloc[0], rel=1e-12)


def _price_file(tmp_path, rows: int = 8760, header: str = "time,price_vnd_per_kwh",
                meta: str = "", price: float = 1500.0, offset: bool = True) -> Path:
    times = IDX[:rows]
    stamps = ([t.isoformat() for t in times] if offset
              else [t.strftime("%Y-%m-%d %H:%M") for t in times])
    path = tmp_path / "market.csv"
    path.write_text(meta + header + "\n" + "\n".join(f"{t},{price}" for t in stamps) + "\n",
                    encoding="utf-8")
    return path


def test_user_market_price_file_read(tmp_path):
    m = read_market_price(_price_file(tmp_path, meta="# source: VWEM 2025 export\n"), IDX)
    assert m.mark == "user" and m.mean_vnd_per_kwh == pytest.approx(1500.0)


@pytest.mark.parametrize("kwargs,line,words", [
    ({"meta": "# test_data: true\n"}, 1, "test data"),
    ({"rows": 8000}, 8002, "8000 rows; expected 8760"),
    ({"offset": False}, 2, "no UTC offset"),
    ({"price": 1.4e6}, 2, "VND/MWh"),
    ({"header": "time,price_vnd_per_mwh"}, 1, "convert to VND/kWh"),
])
def test_bad_market_price_files_are_located(tmp_path, kwargs, line, words):
    path = _price_file(tmp_path, **kwargs)
    with pytest.raises(ScenarioError) as err:
        read_market_price(path, IDX)
    p = err.value.problems[0]
    assert words in p.message and p.line == line and p.file == str(path)


# --------------------------------------------------------------------------- a sized park

def test_park_contract_tables_on_a_48h_dispatch(tmp_path):
    """A rooftop PPA and a virtual DPPA on a hand-made 48-hour dispatch: the tables' energy
    and year-1 money agree with the dispatch."""
    s = load_scenario(_scenario(tmp_path, OFFSITE + (
        "    contracts:\n"
        "      - {asset: roof, ownership: ppa, price_vnd_per_kwh: 1500}\n"
        "      - {asset: sea, ownership: dppa_virtual, strike_vnd_per_kwh: 1300}\n")),
        overrides={"economics.tariff_escalation_real": 0.0})
    idx = IDX[:48]
    pv = np.r_[np.zeros(8), np.full(8, 3000.0), np.zeros(8)].repeat(1)
    pv = np.tile(pv, 2)
    d = pd.DataFrame({"load_kw": 2000.0, "pv_roof_kw": pv, "pv_kw": pv, "wind_kw": 0.0,
                      "curtailment_kw": np.where(pv > 0, 200.0, 0.0), "battery_charge_kw": 0.0,
                      "battery_discharge_kw": 0.0,
                      "grid_export_kw": np.where(pv > 0, 800.0, 0.0)}, index=idx)
    d["grid_import_kw"] = 2000.0 - d["pv_kw"] + d["curtailment_kw"] + d["grid_export_kw"]
    price = np.full(48, 1800.0)
    inputs = SimpleNamespace(park=s.parks[0], meter=None,
                             grid=SimpleNamespace(import_price=price, export_price=1426.6),
                             offsite_kw=pd.DataFrame({"sea": 1500.0}, index=idx),
                             cost_names={"pv_roof": "pv_rooftop"})
    sizing = SimpleNamespace(dispatch=d, capacities={"pv_roof_kw": 3000.0})
    t = park_contracts(s, inputs, sizing, load_costs())
    rows = t["contracts"].set_index("asset")
    horizon = 48 / 8760
    g = 1 + s.economics.inflation  # year-1 retail-linked amounts carry one year (nominal VND)
    # roof: 16 h × (3,000 − 200) delivered; the PPA bills them at 1,500; year 1 gives
    # more than the life-mean output the dispatch was sized on (1 / life-mean factor)
    assert rows.loc["roof", "delivered_mwh"] == pytest.approx(16 * 2800 / 1e3 / horizon)
    assert rows.loc["roof", "tenant_payment_y1_billion_vnd"] == pytest.approx(
        16 * 2800 * 1500 / horizon / 1e9 / _pv_factor(s), rel=1e-9)
    # tenant value: 16 h × (2,000 used × 1,800 + 800 exported × 1,426.6)
    value = 16 * (2000 * 1800 + 800 * 1426.6) / horizon
    assert rows.loc["roof", "tenant_saving_y1_billion_vnd"] * 1e9 == pytest.approx(
        value * g / _pv_factor(s), rel=1e-9)
    # sea: 1,500 kW offered against an import of 2,000 (no PV) or 0 (PV hours): 32 h matched
    assert rows.loc["sea", "delivered_mwh"] == pytest.approx(32 * 1500 / 1e3 / horizon)
    assert rows.loc["sea", "unmatched_mwh"] == pytest.approx(16 * 1500 / 1e3 / horizon)
    # virtual: a matched kWh costs strike + 523 in place of 1,800 (the retail price and
    # the charges in year-1 nominal VND, the strike as agreed for year 1)
    assert rows.loc["sea", "tenant_net_y1_billion_vnd"] * 1e9 == pytest.approx(
        32 * 1500 * ((1800 - 523) * g - 1300) / horizon, rel=1e-9)
    assert rows.loc["sea", "breakeven_price_y1"] == pytest.approx((1800 - 523) * g, abs=1e-6)
    assert rows.loc["sea", "market_price_source"] == "proxy"
    # economic view: the roof's used kWh at market + 360 (network, E), its export at market;
    # the virtual DPPA farm's whole output at market (sold into the spot market)
    market = proxy_market_price(idx).price.to_numpy()
    sunny = pv > 0
    roof_econ = float(((2000 * (market + 360) + 800 * market) * sunny).sum()) / horizon
    sea_econ = float(1500 * market.sum()) / horizon
    f = t["cash_flows"].set_index(["asset", "year"])["economic_value_vnd"]
    assert f[("roof", 1)] == pytest.approx(roof_econ * g / _pv_factor(s), rel=1e-9)
    assert f[("sea", 1)] == pytest.approx(sea_econ * g, rel=1e-9)
    m = t["monthly"]
    assert m.loc[m["asset"] == "sea", "delivered_mwh"].sum() == pytest.approx(
        rows.loc["sea", "delivered_mwh"])
    assert set(t["cash_flows"]["asset"]) == {"roof", "sea"}


def _pv_factor(s) -> float:
    from energy_model.finance import life_mean_factor
    return life_mean_factor(load_costs().pv_degradation, s.economics.lifetime_years)
