"""A tracker array is priced as ground PV plus the tracker adder, in the LP and the cash flows."""
from __future__ import annotations

import pytest

from energy_model import pipeline
from energy_model.economics import load_costs
from energy_model.finance import effective_capex
from energy_model.paths import default_scenario
from energy_model.pipeline import load_scenario
from energy_model.economics import tracker_cost


def test_tracker_cost_adds_the_row_to_ground_pv():
    costs = load_costs()
    ground = costs.technologies["pv_ground"]
    trk = tracker_cost(ground, costs.rows)
    assert trk.name == "pv_ground_tracker"
    assert trk.capex_vnd_per_unit - ground.capex_vnd_per_unit == pytest.approx(1_500_000)
    assert trk.fixed_om_vnd_per_unit_yr == ground.fixed_om_vnd_per_unit_yr


def test_tracker_array_costs_more_in_the_lp_inputs(tmp_path):
    text = default_scenario().read_text(encoding="utf-8")
    ground = "      - {name: ground, kind: ground, tilt: 20, azimuth: 180, max_kwp: 10000}\n"
    assert ground in text
    text = text.replace(ground, "      - {name: fixed, kind: ground, tilt: 20, azimuth: 180, "
                        "max_kwp: 1000}\n      - {name: trk, kind: ground, tracking: "
                        "single_axis, max_kwp: 1000}\n", 1)
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    scenario = load_scenario(path)
    park = next(p for p in scenario.parks if p.id == "song_khoai")
    weather = pipeline.scenario_weather(scenario)
    inputs = pipeline.assemble(scenario, park,
                               weather[pipeline.park_weather_key(scenario, park)][0])
    techs = {t.name: t for t in inputs.technologies}
    costs = load_costs()
    rate = scenario.economics.discount_rate_real
    diff = techs["pv_trk"].capex_per_kw - techs["pv_fixed"].capex_per_kw
    extra = tracker_cost(costs.technologies["pv_ground"], costs.rows)
    assert diff == pytest.approx(effective_capex(extra, rate)
                                 - effective_capex(costs.technologies["pv_ground"], rate), rel=1e-9)
    assert diff > 0
    # and it yields more per kWp than the fixed array
    assert techs["pv_trk"].profile_per_kw.sum() > 1.08 * techs["pv_fixed"].profile_per_kw.sum()
