"""KKT assets behind meters that exist (issue 15): a KKT is sized per class meter, each
with that class's load and tariff; two weeks of a one-KKT scenario (no full-year solve)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest

import test_report as T
from energy_model import tariff as tf
from energy_model.demand import kkt_component_mwh
from energy_model.kkt_meters import meter_classes
from energy_model.pipeline import load_scenario, run_and_write
from energy_model.pipeline import run as pipeline_run
from energy_model.pipeline.meters import zone_storage_credit  # re-exported from evaluate
from energy_model.results import read_csv

HORIZON = ("2030-03-02", "2030-03-16")

SCENARIO = """\
name: kkt_fixture
year: 2030
weather: {source: normals, normals: normals.csv, seed: 1}
parks:
  - id: kkt_test
    name: "KKT test"
    kind: KKT
    location: {lat: 21.07, lon: 107.42, altitude_m: 10}
    weather_station: quang_yen
    area_ha: 50000
    occupancy: 0
    occupancy_year: 2025
    load:
      source: kkt_components
      base_year: 2025
      components: {hotel_rooms: 3000, services_floor_m2: 200000, port_throughput_t: 500000}
    pv: [{name: roof, kind: rooftop, tilt: 10, azimuth: 180, max_kwp: 8000}]
    battery: {max_kwh: 40000}
    grid: {voltage: 22_110kv, metering: tenant}
"""


def _run(base, metering: str):
    T.write_inputs(base)
    (base / "kkt.yaml").write_text(SCENARIO, encoding="utf-8")
    scenario = load_scenario(base / "kkt.yaml", overrides={"kkt_metering": metering})
    mp = pytest.MonkeyPatch()
    mp.setattr(pipeline_run, "assemble", T.short_park_inputs(horizon=HORIZON))
    try:
        return run_and_write(scenario, base / "results", progress=False, workers=1)
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def metered(tmp_path_factory):
    return _run(tmp_path_factory.mktemp("kkt"), "class_meters")


def test_battery_sits_behind_a_class_meter_with_that_class_load_and_tariff(metered):
    _, result = metered
    park = result.parks["kkt_test"]
    classes = meter_classes()
    mwh = kkt_component_mwh(result.scenario.parks[0].load.components)
    total = sum(mwh.values())
    # hotels meter the tourism component; trade and services the services one; port the port
    assert set(park.meters) == {"port", "hotels", "trade_services"}
    zone_load = park.inputs.load_kw
    for name, m in park.meters.items():
        comp = classes[name].components[0]
        share = mwh[comp] / total
        np.testing.assert_allclose(m.inputs.load_kw.to_numpy(), share * zone_load.to_numpy(),
                                   rtol=1e-9)
        cls = classes[name]
        assert (m.inputs.customer, m.inputs.voltage, m.inputs.tariff) == \
            (cls.customer, cls.voltage, "evn_2026")
        price = tf.hourly_prices(zone_load.index, "evn_2026", cls.voltage, cls.customer)
        np.testing.assert_allclose(np.asarray(m.inputs.grid.import_price), price.to_numpy())
        # limits are the meter's share of the zone's
        assert m.inputs.battery.max_kwh == pytest.approx(40000 * share, rel=1e-12)
        assert m.inputs.technologies[0].max_kw == pytest.approx(8000 * share, rel=1e-12)
        # the meter's battery serves the meter's own load: its flows balance on its meter
        d = m.sizing.dispatch
        assert m.sizing.capacities.get("battery_kwh", 0.0) <= 40000 * share * (1 + 1e-9)
        assert (d["battery_discharge_kw"] <= d["load_kw"] + d["grid_export_kw"] + 1e-6).all()
    # hotels (6–22 kV) pay more than the port (22–110 kV) at the same hour
    h, p = park.meters["hotels"].inputs.grid.import_price, park.meters["port"].inputs.grid.import_price
    assert (np.asarray(h) > np.asarray(p)).all()


def test_zone_row_and_files_are_the_meters_sums(metered):
    folder, result = metered
    park = result.parks["kkt_test"]
    caps = [m.sizing.capacities for m in park.meters.values()]
    s = read_csv(folder / "summary.csv").set_index("park_id")
    assert s.loc["kkt_test", "battery_mwh"] == pytest.approx(
        sum(c.get("battery_kwh", 0.0) for c in caps) / 1000, rel=1e-5)
    assert s.loc["kkt_test", "meters"] == "port hotels trade_services"
    npv = sum(m.economics.npv_vnd for m in park.meters.values()) / 1e9
    assert s.loc["kkt_test", "npv_billion_vnd"] == pytest.approx(npv, rel=1e-5)
    zone = read_csv(folder / "parks" / "kkt_test.csv", index_col="time")
    parts = [read_csv(folder / "parks" / "kkt_test" / f"{n}.csv", index_col="time")
             for n in park.meters]
    for col in ("load_kw", "grid_import_kw", "battery_discharge_kw"):
        np.testing.assert_allclose(sum(p[col] for p in parts), zone[col], rtol=1e-5, atol=1e-3)
    tariff = read_csv(folder / "assumptions" / "tariff.csv")
    assert set(tariff["park_id"]) == {f"kkt_test/{n}" for n in park.meters}
    assert json.loads((folder / "run.json").read_text(encoding="utf-8"))["kkt_metering"] == \
        "class_meters"
    assert read_csv(folder / "grid" / "headline.csv")["kkt_metering"].iloc[0] == "class_meters"


def test_zone_substation_storage_credit_by_hand():
    s = SimpleNamespace(kkt_zone_storage_value_vnd_per_kw_month=235414.0)
    # 10 MW / 30 MWh, soc_min 10 %, 5 h window: 0.9 × 30,000 / 5 = 5,400 kW firm
    firm, credit = zone_storage_credit(s, 10000.0, 30000.0, 0.1, 5.0)
    assert firm == pytest.approx(5400.0, abs=1e-9)
    assert credit == pytest.approx(5400.0 * 235414.0 * 12, rel=1e-12)
    # power-limited: 2 MW / 30 MWh → 2,000 kW
    assert zone_storage_credit(s, 2000.0, 30000.0, 0.1, 5.0)[0] == pytest.approx(2000.0)
    assert zone_storage_credit(s, 0.0, 30000.0, 0.1, 5.0) == (0.0, 0.0)


def test_zone_substation_storage_keeps_one_zone_meter(tmp_path):
    folder, result = _run(tmp_path, "zone_substation_storage")
    park = result.parks["kkt_test"]
    assert park.meters == {}
    assert park.inputs.customer == "business" and park.inputs.voltage == "22_110kv"
    assert read_csv(folder / "grid" / "headline.csv")["kkt_metering"].iloc[0] == \
        "zone_substation_storage"
    # the storage's firm evening capability over the 5 h window of the 2026 frame
    caps, soc_min = park.sizing.capacities, park.inputs.battery.soc_min
    firm = min(caps.get("battery_kw", 0.0), (1 - soc_min) * caps.get("battery_kwh", 0.0) / 5.0)
    row = result.summary.set_index("park_id").loc["kkt_test"]
    assert row["zone_storage_firm_mw"] == pytest.approx(firm / 1000, rel=1e-9, abs=1e-12)
    assert row["zone_storage_credit_billion_vnd"] == pytest.approx(
        firm * 235414.0 * 12 / 1e9, rel=1e-9, abs=1e-12)
