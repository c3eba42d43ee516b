"""Issue 17 item 6: cash flows re-dispatched in milestone years (load growth and PV
degradation), linear between them and flat after the last; the tornado's load-growth bar
moves NPV by the hand-computed amount (three weeks of a small park, no full-year LP)."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pytest

from energy_model import economics as ec
from energy_model.errors import EnergyModelError
from energy_model.pipeline import assemble, evaluate, load_scenario, scenario_weather, solve
from energy_model.pipeline import redispatch as rd
from energy_model.studies import tornado as tm

HOURS = 21 * 24
START = 120 * 24
KWP = 15000.0

# a full park (occupancy at its target) with no load trend: the projection keeps the load
# flat, so year Y's load is the scenario year's × (1 + g)^(Y − 2030) exactly; no battery
# and every surplus kWh exported, so the dispatch is known by hand
SCENARIO = f"""\
name: redispatch
year: 2030
weather: {{source: normals, seed: 1}}
tariff:
  name: evn_2026
  export: {{cap_share: 1.0, basis: power, hosting_limit: none}}
economics: {{lifetime_years: 11, redispatch_years: [2035, 2040]}}
parks:
  - id: p
    name: "Test park"
    kind: KCN
    location: {{lat: 21.01, lon: 106.87, altitude_m: 10}}
    weather_station: quang_yen
    area_ha: 60
    occupancy: 0.9
    occupancy_year: 2025
    industries: [{{cls: textile, share: 1.0}}]
    load: {{source: bottom_up, occupancy_target: 0.9, intensity_trend_pct_per_yr: 0,
           electrification_pct_per_yr: 0}}
    battery: {{allowed: false}}
    pv:
      - {{name: roof, kind: rooftop, tilt: 10, azimuth: 180, fixed_kwp: {KWP}}}
    grid: {{voltage: 22_110kv, substation_mva: 40, transformers: 2}}
"""


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    path = tmp_path_factory.mktemp("redispatch") / "s.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    s = load_scenario(path)
    inputs = assemble(s, s.parks[0], scenario_weather(s)["quang_yen"][0]).window(HOURS, START)
    sizing = solve(inputs)
    return SimpleNamespace(scenario=s, inputs=inputs, sizing=sizing,
                           parks={"p": evaluate(s, inputs, sizing)})


def _hand_saving(inputs, growth: float, year: int) -> float:
    """Saving [VND] of the fixed PV in ``year`` by hand: self-consumed at the import price,
    the rest exported at the export price (no battery, no cap)."""
    array = inputs.park.pv[0]
    t = year - 2030 + 1
    pv = (np.asarray(inputs.technologies[0].profile_per_kw) * KWP
          * array.degradation_factor(t) / array.degradation_factor(None))
    load = inputs.load_kw.to_numpy() * (1 + growth) ** (year - 2030)
    used = np.minimum(pv, load)
    price = np.asarray(inputs.grid.import_price, float)
    xprice = np.broadcast_to(np.asarray(inputs.grid.export_price, float), len(pv))
    return float(used @ price + (pv - used) @ xprice)


def _hand_npv_of_savings(scenario, savings: dict[int, float]) -> float:
    """NPV [VND] of the saving line: linear between operating years 1, 6, 11, escalated,
    inflated and discounted at the nominal rate."""
    e = scenario.economics
    years = np.arange(1, 12)
    real = np.interp(years, sorted(savings), [savings[k] for k in sorted(savings)])
    nominal = real * ((1 + e.tariff_escalation_real) * (1 + e.inflation)) ** years
    rate = (1 + e.discount_rate_real) * (1 + e.inflation) - 1
    return float(np.sum(nominal / (1 + rate) ** years))


def test_projection_keeps_this_park_flat(case):
    assert rd.load_ratio(case.scenario, case.inputs.park, 2040) == pytest.approx(1.0, abs=1e-12)
    assert rd.load_ratio(case.scenario, case.inputs.park, 2040, 0.04) == pytest.approx(
        1.04 ** 10, rel=1e-12)


def test_operating_years_of_the_milestones(case):
    assert rd.operating_years(case.scenario, [2035, 2040, 2050]) == {2030: 1, 2035: 6, 2040: 11}


def test_run_cash_flow_is_redispatched_by_hand(case):
    table = case.parks["p"].cash_flow
    assert table.attrs["between"] == "interpolate"
    e = case.scenario.economics
    for year in (2030, 2035, 2040):
        t = year - 2029
        hand = _hand_saving(case.inputs, 0.0, year)
        got = table.at[t, "savings_vnd"] / table.at[t, "inflation_index"] / (
            1 + e.tariff_escalation_real) ** t
        assert got == pytest.approx(hand, rel=1e-6), year
    # between milestones: linear in the saving (year 3 is 2/5 of the way from 1 to 6)
    s = table["savings_vnd"] / table["inflation_index"] / (1 + e.tariff_escalation_real) ** \
        table.index.to_numpy()
    assert s.loc[3] == pytest.approx(s.loc[1] + 0.4 * (s.loc[6] - s.loc[1]), rel=1e-12)


def test_load_growth_bar_moves_npv_by_hand(case):
    t = tm.tornado(case)
    row = t[(t["scope"] == "p") & (t["driver"] == "load_growth")].iloc[0]
    base = case.parks["p"].economics.npv_vnd
    assert row["npv_base_billion_vnd"] * 1e9 == pytest.approx(base, rel=1e-12)
    s = case.scenario
    expected = {}
    for g in (-0.02, 0.04):
        shift = (_hand_npv_of_savings(s, {1 + y - 2030: _hand_saving(case.inputs, g, y)
                                          for y in (2030, 2035, 2040)})
                 - _hand_npv_of_savings(s, {1 + y - 2030: _hand_saving(case.inputs, 0.0, y)
                                            for y in (2030, 2035, 2040)}))
        expected[g] = shift
    # a growing load absorbs exported surplus, paid at the import price instead
    assert expected[0.04] > 5e7 and expected[-0.02] < -2e7, expected
    assert row["npv_high_billion_vnd"] * 1e9 - base == pytest.approx(expected[0.04], rel=1e-6)
    assert row["npv_low_billion_vnd"] * 1e9 - base == pytest.approx(expected[-0.02], rel=1e-6)


def test_interpolated_cash_flow_is_flat_after_the_last_milestone():
    cost = ec.TechnologyCost(name="pv_rooftop", category="generation", unit="kWp",
                             capex_vnd_per_unit=1e7, fixed_om_vnd_per_unit_yr=0.0, life_yr=30)
    res = {y: ec.AnnualResult(grid_only_bill_vnd=100.0 * y, system_bill_vnd=100.0 * y - s,
                              pv_kwh=1.0, wind_kwh=0.0, onsite_supply_kwh=s / 10,
                              battery_discharge_kwh=0.0, grid_import_before_kwh=1.0,
                              grid_import_after_kwh=1.0)
           for y, s in ((1, 10.0), (5, 50.0))}
    table = ec.cash_flow_table({"pv_rooftop": 1.0}, {"pv_rooftop": cost}, res,
                               tariff_escalation_real=0.0, degradation=0.5, load_growth=0.3,
                               discount_rate_real=0.05, inflation=0.0, life=8,
                               between="interpolate")
    assert list(table["savings_vnd"]) == pytest.approx([0, 10, 20, 30, 40, 50, 50, 50, 50])
    assert table.at[3, "grid_only_bill_vnd"] == pytest.approx(300.0)
    with pytest.raises(EnergyModelError, match="between"):
        ec.cash_flow_table({"pv_rooftop": 1.0}, {"pv_rooftop": cost}, res,
                           tariff_escalation_real=0.0, degradation=0.0, load_growth=0.0,
                           discount_rate_real=0.05, inflation=0.0, life=8, between="step")


def test_years_before_the_scenario_year_or_after_the_life_are_left_out(case):
    # a 2050 scenario layered on a list made for 2030, and an 11-year life from 2030
    assert rd.operating_years(case.scenario, [2020, 2030, 2041, 2045]) == {2030: 1}
    assert rd.operating_years(case.scenario, [2025, 2035, 2040]) == {2030: 1, 2035: 6,
                                                                      2040: 11}


@pytest.fixture(scope="module")
def frozen(tmp_path_factory):
    """The same park with the run's cash flow frozen at the sizing year (the default)."""
    path = tmp_path_factory.mktemp("frozen") / "s.yaml"
    path.write_text(SCENARIO.replace(", redispatch_years: [2035, 2040]", ""), encoding="utf-8")
    s = load_scenario(path)
    inputs = assemble(s, s.parks[0], scenario_weather(s)["quang_yen"][0]).window(HOURS, START)
    sizing = solve(inputs)
    return SimpleNamespace(scenario=s, inputs=inputs, sizing=sizing,
                           parks={"p": evaluate(s, inputs, sizing)})


def test_load_growth_bar_of_a_frozen_run_by_hand(frozen):
    """Default run (no redispatch_years): the tornado re-dispatches 2040 (2050 is past the
    11-year life) and adds the change to the run's NPV; the scenario year cancels out."""
    assert frozen.parks["p"].cash_flow.attrs["between"] == "project"
    t = tm.tornado(frozen)
    row = t[(t["scope"] == "p") & (t["driver"] == "load_growth")].iloc[0]
    base = frozen.parks["p"].economics.npv_vnd
    s, inputs = frozen.scenario, frozen.inputs
    first = _hand_saving(inputs, 0.0, 2030)
    for g, col in ((-0.02, "npv_low_billion_vnd"), (0.04, "npv_high_billion_vnd")):
        shift = (_hand_npv_of_savings(s, {1: first, 11: _hand_saving(inputs, g, 2040)})
                 - _hand_npv_of_savings(s, {1: first, 11: _hand_saving(inputs, 0.0, 2040)}))
        assert abs(shift) > 1e7
        assert row[col] * 1e9 - base == pytest.approx(shift, rel=1e-6), g


def test_milestone_inputs_by_hand(case):
    inputs = case.inputs
    array = inputs.park.pv[0]
    m = rd.milestone_inputs(inputs, 1.25, 11)
    # PV of operating year 11: (1 − d)^10 over the life-mean factor the profile carries
    k = array.degradation_factor(11) / array.degradation_factor(None)
    assert k == pytest.approx((1 - array.degradation_pct_per_year / 100) ** 10
                              / array.degradation_factor(None), rel=1e-12)
    np.testing.assert_allclose(m.technologies[0].profile_per_kw,
                               np.asarray(inputs.technologies[0].profile_per_kw) * k)
    np.testing.assert_allclose(m.load_kw.to_numpy(), inputs.load_kw.to_numpy() * 1.25)
    # the connection grows with the load; a smaller load keeps the cap
    np.testing.assert_allclose(m.import_cap_kw, np.asarray(inputs.import_cap_kw) * 1.25)
    low = rd.milestone_inputs(inputs, 0.8, 11)
    np.testing.assert_allclose(low.import_cap_kw, inputs.import_cap_kw)
    assert m.policy.min_renewable_share == 0.0 and m.grid.peak_reduction_target is None
    opened = rd.open_import_cap(dataclasses.replace(
        m, import_cap_kw=np.zeros(len(m.load_kw)),
        grid=dataclasses.replace(m.grid, import_cap_kw=np.zeros(len(m.load_kw)))))
    np.testing.assert_allclose(opened.import_cap_kw, m.load_kw.to_numpy())
    np.testing.assert_allclose(opened.grid.import_cap_kw, m.load_kw.to_numpy())


def test_a_cap_the_fixed_design_cannot_meet_is_opened(case):
    from energy_model.pipeline import Changes

    inputs = case.inputs
    low_cap = 0.5 * inputs.load_kw.to_numpy()  # nights: no PV, no battery → infeasible
    tight = dataclasses.replace(inputs, import_cap_kw=low_cap,
                                grid=dataclasses.replace(inputs.grid, import_cap_kw=low_cap))
    fixed = Changes(fixed=dict(case.sizing.capacities), fix_all=True)
    m_inputs, m_sizing = rd._dispatch(case.scenario, tight, fixed)
    np.testing.assert_allclose(m_inputs.import_cap_kw, inputs.load_kw.to_numpy())
    d = m_sizing.dispatch
    assert float(d["unmet_kw"].sum()) == 0.0
    night = d["pv_kw"].to_numpy() == 0
    np.testing.assert_allclose(d["grid_import_kw"].to_numpy()[night],
                               inputs.load_kw.to_numpy()[night], rtol=1e-7)
