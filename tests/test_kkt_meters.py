"""KKT loads behind meters that exist: class-meter split and tariffs (issue 15)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from energy_model import tariff as tf
from energy_model.errors import EnergyModelError, ScenarioError
from energy_model.kkt_meters import component_weights, meter_classes, split_kkt_load
from energy_model.paths import default_scenario
from energy_model.pipeline import load_scenario

TZ = "Asia/Ho_Chi_Minh"
IDX = pd.date_range("2030-03-04", periods=48, freq="h", tz=TZ)  # Monday and Tuesday


def _zone_load() -> pd.Series:
    h = np.arange(len(IDX)) % 24
    return pd.Series(5000.0 + 3000.0 * np.sin(np.pi * h / 24.0) ** 2, index=IDX)


def test_class_table():
    c = meter_classes()
    assert list(c) == ["port", "airport", "hotels", "trade_services", "factories"]
    assert sum(m.default_load_share for m in c.values()) == pytest.approx(1.0, abs=1e-9)
    assert c["hotels"].customer == "business" and c["hotels"].components == ("tourism",)
    assert c["factories"].customer == "manufacturing" and c["factories"].components == ()
    for m in c.values():
        assert m.customer_mark in ("S", "S2", "E") and m.voltage_mark == "E"


def test_split_conserves_energy_hourly_with_hourly_weights():
    load = _zone_load()
    h = np.arange(len(IDX)) % 24
    # hourly component loads: hotels peak in the evening, services by day, port flat
    comps = {"tourism": pd.Series(1.0 + (h >= 17), index=IDX, dtype=float),
             "services": pd.Series(0.2 + ((h >= 8) & (h < 18)), index=IDX, dtype=float),
             "port": 0.5, "airport": 0.1}
    parts = split_kkt_load(load, "evn_2026", weights=component_weights(comps))
    assert set(parts) == {"port", "airport", "hotels", "trade_services"}  # factories: 0
    total = sum(p.load_kw for p in parts.values())
    np.testing.assert_allclose(total.to_numpy(), load.to_numpy(), rtol=0, atol=1e-9)
    # hour 20: weights hotels 2, services 0.2, port 0.5, airport 0.1 → hotels 2 / 2.8
    hotels = parts["hotels"].load_kw
    assert hotels.iloc[20] == pytest.approx(load.iloc[20] * 2.0 / 2.8, rel=1e-12)
    assert hotels.iloc[10] == pytest.approx(load.iloc[10] * 1.0 / 2.8, rel=1e-12)


def test_each_class_carries_its_own_tariff():
    load = _zone_load()
    parts = split_kkt_load(load, "evn_2026")  # default shares
    port, hotels = parts["port"], parts["hotels"]
    assert port.load_kw.sum() == pytest.approx(0.031 * load.sum(), rel=1e-12)
    # port: business at 22–110 kV; hotels: business at 6–22 kV (QĐ 1279, 2026 frame)
    np.testing.assert_array_equal(
        port.price_vnd_per_kwh.to_numpy(),
        tf.hourly_prices(IDX, "evn_2026", "22_110kv", "business").to_numpy())
    np.testing.assert_array_equal(
        hotels.price_vnd_per_kwh.to_numpy(),
        tf.hourly_prices(IDX, "evn_2026", "6_22kv", "business").to_numpy())
    assert port.price_vnd_per_kwh.iloc[19] == 5025.0 and hotels.price_vnd_per_kwh.iloc[19] == 5202.0
    assert port.price_vnd_per_kwh.iloc[10] == 2887.0  # normal at 10:00 on the 2026 frame
    # a factory class on the manufacturing tariff; under the pilot only it moves to the pilot
    parts = split_kkt_load(load, "evn_two_component_2026",
                           weights={"factories": 1.0, "hotels": 1.0})
    assert parts["factories"].tariff == "evn_two_component_2026"
    assert parts["factories"].capacity_charge_vnd_per_kw_month == 235414.0
    assert parts["hotels"].tariff == "evn_2026"
    assert parts["hotels"].capacity_charge_vnd_per_kw_month == 0.0
    assert parts["factories"].price_vnd_per_kwh.iloc[19] == 2182.0


def test_split_errors():
    load = _zone_load()
    with pytest.raises(EnergyModelError, match="unknown meter classes"):
        split_kkt_load(load, "evn_2026", weights={"casino": 1.0})
    with pytest.raises(EnergyModelError, match="no class weight"):
        split_kkt_load(load, "evn_2026", weights={"port": 0.0})
    with pytest.raises(EnergyModelError, match="belong to no meter class"):
        component_weights({"mine": 1.0})


def test_bad_class_table_is_located(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("class,components,customer,voltage,default_load_share,customer_mark,"
                 "voltage_mark,share_mark,source,note\n"
                 "port,port,business,35kv,1.0,E,E,E,,\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        meter_classes(p)
    assert exc.value.problems[0].line == 2 and exc.value.problems[0].key == "voltage"


def test_scenario_option():
    s = load_scenario(default_scenario())
    assert s.kkt_metering == "class_meters"
    assert s.kkt_zone_storage_value_vnd_per_kw_month == 235414.0
    s2 = load_scenario(default_scenario(), overrides={"kkt_metering": "zone_substation_storage"})
    assert s2.kkt_metering == "zone_substation_storage"
    with pytest.raises(ScenarioError):
        load_scenario(default_scenario(), overrides={"kkt_metering": "one_meter"})
