"""The per-park pipeline API: assemble → solve → evaluate on a short horizon."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from energy_model.pipeline import (Changes, apply_changes, assemble, evaluate, scenario_weather,
                                   solve, wind_cost_name)
from energy_model.pipeline import load_scenario

DATA = Path(__file__).parent / "data"
HOURS = 14 * 24  # two weeks

SCENARIO = """\
name: two_turbine_sizes
year: 2030
weather: {{source: normals, seed: 1}}
tariff: {{name: evn_2025}}
parks:
  - id: mixed
    name: "Mixed wind park"
    kind: KCN
    location: {{lat: 21.01, lon: 106.87, altitude_m: 10}}
    weather_station: quang_yen
    area_ha: 100
    occupancy: 0.6
    occupancy_year: 2025
    industries: [{{cls: textile, share: 1.0}}]
    load: {{source: bottom_up}}
    battery: {{allowed: false}}
    wind:
      - {{name: small, turbine: Generic-24/100, hub_height_m: 30, count: 3}}
      - {{name: big, power_curve: "{curve}", hub_height_m: 80, count: 1}}
    grid: {{voltage: 22_110kv, substation_mva: 40, transformers: 2}}
"""


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mixed")
    path = folder / "s.yaml"
    path.write_text(SCENARIO.format(curve=DATA / "test_turbine_2mw.yaml"), encoding="utf-8")
    scenario = load_scenario(path)
    park = scenario.parks[0]
    weather = scenario_weather(scenario)["quang_yen"][0]
    inputs = assemble(scenario, park, weather).window(HOURS)
    return scenario, inputs


def test_wind_cost_class_by_turbine_size():
    assert wind_cost_name(100.0) == "wind_small"
    assert wind_cost_name(1000.0) == "wind_small"
    assert wind_cost_name(2000.0) == "wind_medium"


def test_farms_of_different_turbine_sizes_cost_alike_in_lp_and_cash_flow(mixed):
    """Each farm is costed by its own turbine class in the LP and in the cash flow (the
    cash flow used to take the first farm's class for every farm)."""
    scenario, inputs = mixed
    assert inputs.cost_names == {"wind_small": "wind_small", "wind_big": "wind_medium"}
    by_name = {t.name: t for t in inputs.technologies}
    small, big = by_name["wind_small"], by_name["wind_big"]
    assert small.capex_per_kw != pytest.approx(big.capex_per_kw, rel=0.01)
    sizing = solve(inputs)
    caps = sizing.capacities
    assert caps["wind_small_kw"] == pytest.approx(300.0, rel=1e-6)
    assert caps["wind_big_kw"] == pytest.approx(2000.0, rel=1e-6)
    lp_capex = small.capex_per_kw * caps["wind_small_kw"] + big.capex_per_kw * caps["wind_big_kw"]
    result = evaluate(scenario, inputs, sizing)
    cash_capex = float(result.cash_flow["capex_vnd"].iloc[0])
    assert cash_capex == pytest.approx(lp_capex, rel=1e-9)
    # the old costing (both farms at the small class) would differ by the class gap
    old = small.capex_per_kw * (caps["wind_small_kw"] + caps["wind_big_kw"])
    assert abs(old - cash_capex) > 0.05 * cash_capex


def test_changes_fix_the_design_and_leave_the_inputs_alone(mixed):
    scenario, inputs = mixed
    fixed = {"wind_small_kw": 200.0, "wind_big_kw": 2000.0}
    changed = apply_changes(inputs, Changes(fixed=fixed, fix_all=True, import_price_scale=1.5))
    assert [t.fixed_kw for t in changed.technologies] == [200.0, 2000.0]
    assert [t.fixed_kw for t in inputs.technologies] == [300.0, 2000.0]
    np.testing.assert_allclose(changed.grid.import_price,
                               1.5 * np.asarray(inputs.grid.import_price), rtol=1e-12)
    assert apply_changes(inputs, None) is inputs
    assert apply_changes(inputs, Changes()) is inputs


# ------------------------------------------------------------------ assumption tables
def test_assumption_tables_hold_what_the_run_used(tmp_path):
    """costs.csv: the package rows with the scenario's overrides marked 'user';
    emission_factor.csv: the factor the LP used; tariff.csv: one row per park × period."""
    from types import SimpleNamespace

    import pandas as pd

    from energy_model.economics import emission_factor, load_costs
    from energy_model.paths import package_data
    from energy_model.pipeline import output
    from energy_model.results import read_csv

    example = Path(__file__).resolve().parents[1] / "scenarios" / "example_single_park.yaml"
    s = load_scenario(example, overrides={"costs.battery_energy.capex_vnd_per_kwh": 4.2e6})
    costs = output.costs_table(s)
    shipped = load_costs(year=2030).rows.astype(str)   # the run year's costs (issue 17)
    assert list(costs.columns) == ["name", "unit", "value", "source", "mark", "description"]
    changed = costs["value"] != shipped["value"]
    assert costs.loc[changed, "name"].tolist() == ["battery_energy_capex"]
    row = costs[costs["name"] == "battery_energy_capex"].iloc[0]
    assert float(row["value"]) == 4.2e6 and row["mark"] == "user"
    assert row["source"] == "scenario costs.battery_energy"

    ef = output.emission_factor_table(s)
    assert list(ef.columns) == output.EMISSION_COLUMNS and len(ef) == 1
    assert ef["value_t_per_mwh"].iloc[0] == pytest.approx(emission_factor(2030)[0], rel=1e-12)
    assert ef["method"].iloc[0].startswith("official series")
    assert ef[["year", "value_t_per_mwh", "mark"]].values.tolist() == [[2023, 0.6592, "S"]]
    path = output.emission_factor_table(
        load_scenario(example, overrides={"economics.emission_factor_method":
                                          "declining_trajectory"}))
    assert path[["year", "value_t_per_mwh", "mark"]].values.tolist() == [[2030, 0.375, "E"]]
    assert path["method"].iloc[0].startswith("declining trajectory")
    user = output.emission_factor_table(
        load_scenario(example, overrides={"economics.emission_factor_t_per_mwh": 0.5}))
    assert user[["year", "value_t_per_mwh", "method"]].values.tolist() == [[2030, 0.5, "user"]]

    index = pd.date_range("2030-01-01", periods=8760, freq="h", tz="Asia/Ho_Chi_Minh")
    park = s.parks[0]
    fake = SimpleNamespace(scenario=s, parks={park.id: SimpleNamespace(
        inputs=SimpleNamespace(park=park), sizing=SimpleNamespace(dispatch=pd.DataFrame(index=index)))})
    tariff = output.tariff_table(fake)
    assert list(tariff.columns) == output.TARIFF_COLUMNS
    assert sorted(tariff["period"]) == ["normal", "offpeak", "peak"]
    assert tariff["hours"].sum() == pytest.approx(8760, abs=1e-9)
    assert (tariff["voltage"] == "22_110kv").all() and (tariff["tariff"] == s.tariff.name).all()
    assert tariff.set_index("period")["price_vnd_per_kwh"].is_unique


def test_changes_bounds_costs_share_and_export_price(mixed):
    scenario, inputs = mixed
    ch = Changes(max_kw={"wind_small": 100.0}, capex_scale={"wind_big": 0.5},
                 min_renewable_share=0.3, export_price_vnd_per_kwh=5000.0)
    out = apply_changes(inputs, ch)
    small, big = out.technologies
    assert small.max_kw == 100.0 and small.capex_per_kw == inputs.technologies[0].capex_per_kw
    assert big.capex_per_kw == pytest.approx(0.5 * inputs.technologies[1].capex_per_kw, rel=1e-12)
    assert out.policy.min_renewable_share == 0.3
    imp = np.asarray(inputs.grid.import_price, dtype=float)
    # a flat export price above retail is capped 1 VND/kWh below it, as assemble does
    np.testing.assert_allclose(out.grid.export_price, np.minimum(5000.0, imp - 1.0), rtol=0)
    assert (np.asarray(out.grid.export_price) < imp).all()


def test_window_cuts_every_hourly_series_alike(mixed):
    """``ParkInputs.window``: hours 24..71 of a two-week input, every hourly series the same
    48 hours (values compared by position), scalars left as they are."""
    _, inputs = mixed
    w = inputs.window(48, start=24)
    assert len(w.load_kw) == 48 and w.load_kw.index[0] == inputs.load_kw.index[24]
    np.testing.assert_array_equal(w.load_kw.to_numpy(), inputs.load_kw.to_numpy()[24:72])
    np.testing.assert_array_equal(w.grid.import_price,
                                  np.asarray(inputs.grid.import_price)[24:72])
    for a, b in zip(w.technologies, inputs.technologies):
        np.testing.assert_array_equal(a.profile_per_kw, np.asarray(b.profile_per_kw)[24:72])
    np.testing.assert_array_equal(w.evening_share.to_numpy(),
                                  inputs.evening_share.to_numpy()[24:72])
    assert w.wind_per_kw.shape == (48, inputs.wind_per_kw.shape[1])
    assert np.ndim(w.grid.export_cap_share) == 0
    assert len(inputs.load_kw) == HOURS  # the original is untouched
    with pytest.raises(ValueError, match="does not fit"):
        inputs.window(HOURS, start=1)
