"""Issue 17 item 6: the tornado carries the drivers that matter (tariff frame, export price,
export cap reading, occupancy, roof share, load intensity, battery and PV cost, discount
rate), on three weeks of a small park (no full-year LP)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from energy_model.pipeline import assemble, evaluate, load_scenario, scenario_weather, solve
from energy_model.studies import tornado as tm

HOURS = 21 * 24
START = 120 * 24

SCENARIO = """\
name: tornado_drivers
year: 2030
weather: {source: normals, seed: 1}
tariff: {name: evn_2026}
parks:
  - id: p
    name: "Test park"
    kind: KCN
    location: {lat: 21.01, lon: 106.87, altitude_m: 10}
    weather_station: quang_yen
    area_ha: 60
    occupancy: 0.5
    occupancy_year: 2025
    industries: [{cls: textile, share: 1.0}]
    load: {source: bottom_up}
    pv:
      - {name: roof, kind: rooftop, tilt: 10, azimuth: 180}
      - {name: big_roof, kind: rooftop, tilt: 10, azimuth: 180, max_kwp: 20000}
    grid: {voltage: 22_110kv, substation_mva: 40, transformers: 2}
"""


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    path = tmp_path_factory.mktemp("tornado") / "s.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    s = load_scenario(path)
    park = s.parks[0]
    inputs = assemble(s, park, scenario_weather(s)["quang_yen"][0]).window(HOURS, START)
    sizing = solve(inputs)
    return SimpleNamespace(scenario=s, parks={"p": evaluate(s, inputs, sizing)})


def test_tornado_has_the_real_drivers(result):
    t = tm.tornado(result)
    prov = t[t["scope"] == "PROVINCE"].set_index("driver")
    for name in ("tariff_frame", "export_price", "export_cap_reading", "occupancy",
                 "roof_share", "load_intensity", "battery_cost", "pv_cost", "discount_rate"):
        assert name in prov.index, name
    base = result.parks["p"].economics.npv_vnd / 1e9
    assert np.allclose(prov["npv_base_billion_vnd"], base, rtol=1e-12)
    # the roof share moves the roof-limited array's size: ±(0.30 | 0.40) / 0.35
    assert prov.loc["roof_share", "low_value"] == pytest.approx(0.30 / 0.35)
    assert prov.loc["roof_share", "high_value"] == pytest.approx(0.40 / 0.35)
    assert prov.loc["load_intensity", "low_value"] == 0.85


def test_export_price_moves_npv_by_hand(result):
    p = result.parks["p"]
    d = p.sizing.dispatch
    revenue = float(d["grid_export_kw"].to_numpy() @ np.broadcast_to(
        np.asarray(p.inputs.grid.export_price, float), len(d)))
    assert revenue > 0, "the fixture must export for this test to mean anything"
    t = tm.tornado(result)
    row = t[(t["scope"] == "p") & (t["driver"] == "export_price")].iloc[0]
    base = row["npv_base_billion_vnd"]
    assert row["npv_low_billion_vnd"] < base < row["npv_high_billion_vnd"]
    # by hand: −30 % on the export price takes 30 % of the export share of every year's
    # discounted saving
    share = tm.export_share_of_saving(result.scenario, p.inputs, d)
    cf = p.cash_flow
    saving = float((cf["savings_vnd"] * cf["discount_factor"]).sum()) / 1e9
    assert row["npv_low_billion_vnd"] - base == pytest.approx(-0.30 * share * saving, rel=1e-9)
    assert row["npv_high_billion_vnd"] - base == pytest.approx(0.10 * share * saving, rel=1e-9)


def test_battery_and_pv_cost_move_their_own_costs(result):
    p = result.parks["p"]
    cf = p.cash_flow
    t = tm.tornado(result)
    rows = t[t["scope"] == "p"].set_index("driver")
    storage = float((cf["storage_cost_vnd"] * cf["discount_factor"]).sum()) / 1e9
    generation = float((cf["generation_cost_vnd"] * cf["discount_factor"]).sum()) / 1e9
    base = rows.loc["battery_cost", "npv_base_billion_vnd"]
    assert rows.loc["battery_cost", "npv_low_billion_vnd"] - base == pytest.approx(
        0.30 * storage, rel=1e-9, abs=1e-12)
    # PV is the only generation here: −20 % PV cost gives back 20 % of generation costs
    assert rows.loc["pv_cost", "npv_low_billion_vnd"] - base == pytest.approx(
        0.20 * generation, rel=1e-9)
    # the base re-balance reproduces the LP's own year-1 saving closely
    bal = tm.rebalanced_saving(p.inputs, p.sizing)
    run = tm.repriced_saving(p.inputs, p.sizing.dispatch, p.inputs.grid.import_price,
                             p.inputs.grid.export_price)
    assert bal == pytest.approx(run, rel=0.02)
