"""Economics: annuities, the cash-flow table against an independent calculation written out
here in plain loops and against SAM's Cashloan model, IRR/NPV, payback, LCOE/LCOS, CO2 and
the cost data files."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from energy_model import economics as econ
from energy_model.errors import EnergyModelError, ScenarioError
from energy_model.economics import AnnualResult, TechnologyCost

# --------------------------------------------------------------------------- a test system

#: test costs (not the shipped defaults, so the test does not move when the data is refined)
COSTS = {
    "pv_rooftop": TechnologyCost("pv_rooftop", "kWp", 13_000_000, 195_000, 25, 15, 1_250_000),
    "wind_medium": TechnologyCost("wind_medium", "kW", 37_500_000, 937_500, 20),
    "battery_energy": TechnologyCost("battery_energy", "kWh", 5_250_000, 131_250, 20, 10,
                                     3_500_000, "storage"),
    "battery_power": TechnologyCost("battery_power", "kW", 3_500_000, 87_500, 20,
                                    category="storage"),
}
CAPS = {"pv_rooftop": 2000.0, "battery_energy": 1000.0, "battery_power": 500.0}
YEAR1 = AnnualResult(grid_only_bill_vnd=20.0e9, system_bill_vnd=15.0e9, pv_kwh=2.3e6,
                     wind_kwh=0.0, onsite_supply_kwh=2.25e6, battery_discharge_kwh=3.0e5,
                     grid_import_before_kwh=10.0e6, grid_import_after_kwh=7.9e6)
R_REAL, INFL, ESC_REAL, DEG, GROWTH, N = 0.05, 0.035, 0.005, 0.005, 0.03, 25


def _table(**kw):
    args = dict(tariff_escalation_real=ESC_REAL, degradation=DEG, load_growth=GROWTH,
                discount_rate_real=R_REAL, inflation=INFL, life=N)
    args.update(kw)
    return econ.cash_flow_table(CAPS, COSTS, YEAR1, **args)


def _independent():
    """The same system, year by year, in plain loops from the documented conventions."""
    r_nom = (1 + R_REAL) * (1 + INFL) - 1
    capex_gen = 2000 * 13_000_000
    capex_sto = 1000 * 5_250_000 + 500 * 3_500_000
    net, gen_real, sto_real, onsite, discharge = [], [], [], [], []
    for t in range(N + 1):
        infl = (1 + INFL) ** t
        if t == 0:
            net.append(-(capex_gen + capex_sto))
            gen_real.append(capex_gen)
            sto_real.append(capex_sto)
            onsite.append(0.0)
            discharge.append(0.0)
            continue
        saving = 5.0e9 * (1 - DEG) ** (t - 1) * (1 + ESC_REAL) ** t       # real VND
        om_gen = 2000 * 195_000
        om_sto = 1000 * 131_250 + 500 * 87_500
        rep_gen = 2000 * 1_250_000 if t == 15 else 0.0                   # inverter
        rep_sto = 0.0
        if t == 10:
            rep_sto += 1000 * 3_500_000                                   # cells
        if t == 20:
            rep_sto += capex_sto                                          # whole battery again
        salv_sto = capex_sto * 15 / 20 if t == 25 else 0.0               # 15 of 20 yr left
        net.append((saving - om_gen - om_sto - rep_gen - rep_sto + salv_sto) * infl)
        gen_real.append(om_gen + rep_gen)
        sto_real.append(om_sto + rep_sto - salv_sto)
        onsite.append(2.25e6 * (1 - DEG) ** (t - 1))
        discharge.append(3.0e5)
    npv = sum(cf / (1 + r_nom) ** t for t, cf in enumerate(net))
    disc = [(1 + R_REAL) ** -t for t in range(N + 1)]
    lcoe = sum(c * d for c, d in zip(gen_real, disc)) / sum(e * d for e, d in zip(onsite, disc))
    lcos = sum(c * d for c, d in zip(sto_real, disc)) / sum(e * d for e, d in zip(discharge, disc))
    cum, payback = 0.0, None
    for t, cf in enumerate(net):
        if cum + cf >= 0 and payback is None and t > 0:
            payback = t - 1 + (-cum) / cf
        cum += cf
    # IRR from the polynomial in x = 1 / (1 + r): the real positive root nearest r = 0
    roots = np.roots(net[::-1])
    rates = [1 / x.real - 1 for x in roots if abs(x.imag) < 1e-9 and x.real > 0]
    irr = min(rates, key=abs)
    return dict(npv=npv, lcoe=lcoe, lcos=lcos, payback=payback, irr=irr, net=np.array(net))


# --------------------------------------------------------------------------- rates and annuities

def test_crf_known_values():
    # interest tables (A/P): 8 %, 20 yr = 0.10185; 10 %, 10 yr = 0.16275; 5 %, 25 yr = 0.07095
    assert econ.crf(0.08, 20) == pytest.approx(0.1018522088, rel=1e-9)
    assert econ.crf(0.10, 10) == pytest.approx(0.1627453949, rel=1e-9)
    assert econ.crf(0.05, 25) == pytest.approx(0.0709524573, rel=1e-9)
    assert econ.crf(0.0, 10) == 0.1
    assert econ.crf(1e-12, 10) == pytest.approx(0.1, rel=1e-9)      # no cancellation near 0
    np.testing.assert_allclose(econ.crf([0.08, 0.10], [20, 10]), [0.1018522088, 0.1627453949])
    # an annuity of crf for n years repays exactly 1
    repaid = sum(econ.crf(0.07, 15) / 1.07 ** t for t in range(1, 16))
    assert repaid == pytest.approx(1.0, rel=1e-12)
    assert econ.annualised_capex(1e9, 0.08, 20) == pytest.approx(101_852_208.8, rel=1e-9)
    with pytest.raises(EnergyModelError):
        econ.crf(0.05, 0)


def test_fisher_relation():
    nominal = econ.nominal_rate(0.05, 0.035)
    assert nominal == pytest.approx(0.08675, abs=1e-12)
    assert econ.real_rate(nominal, 0.035) == pytest.approx(0.05, abs=1e-15)
    # the S2 finance facts: 8.5 % loan, 12–15 % equity, 70 % debt, 20 % tax → 8.8 % nominal
    assert econ.real_rate(0.088, 0.035) == pytest.approx(0.0512, abs=1e-4)


def test_npv_irr_payback_known_cases():
    assert econ.irr([-100, 110]) == pytest.approx(0.10, abs=1e-12)
    assert econ.irr([-1000] + [300] * 5) == pytest.approx(0.152382, abs=1e-6)
    flows = [-1000, 200, 300, 400, 500]
    r = econ.irr(flows)
    assert econ.npv(r, flows) == pytest.approx(0.0, abs=1e-8)
    # two roots (10 % and 20 %): the one nearest zero, as numpy-financial
    assert econ.irr([-100, 230, -132]) == pytest.approx(0.10, abs=1e-10)
    assert econ.irr([-100, -5, -5]) is None
    assert econ.irr([0, 0]) is None
    # losing money: 10 x² + 10 x − 100 = 0 with x = 1 / (1 + r) → x = (√4100 − 10) / 20
    assert econ.irr([-100, 10, 10]) == pytest.approx(20 / (math.sqrt(4100) - 10) - 1, abs=1e-12)
    assert econ.npv(0.1, [-100, 110]) == pytest.approx(0.0, abs=1e-12)
    assert econ.simple_payback([-100, 30, 30, 30, 30]) == pytest.approx(10 / 3, rel=1e-12)
    assert econ.simple_payback([-100, 30, 30]) is None
    assert econ.simple_payback([0, 5]) == 0.0


# --------------------------------------------------------------------------- the cash-flow table

def test_cash_flow_matches_independent_calculation():
    table = _table()
    res = econ.evaluate(table, discount_rate_real=R_REAL, inflation=INFL)
    ref = _independent()
    np.testing.assert_allclose(table["net_cash_flow_vnd"], ref["net"], rtol=1e-3, atol=1.0)
    assert res.npv_vnd == pytest.approx(ref["npv"], rel=1e-3)
    assert res.irr_nominal == pytest.approx(ref["irr"], rel=1e-3)
    assert res.lcoe_vnd_per_kwh == pytest.approx(ref["lcoe"], rel=1e-3)
    assert res.lcos_vnd_per_kwh == pytest.approx(ref["lcos"], rel=1e-3)
    assert res.simple_payback_yr == pytest.approx(ref["payback"], rel=1e-3)
    assert res.capex_vnd == 2000 * 13e6 + 1000 * 5.25e6 + 500 * 3.5e6
    # the numbers themselves: a worthwhile rooftop system with a battery
    assert res.npv_vnd == pytest.approx(ref["npv"], rel=1e-9)
    assert 20e9 < res.npv_vnd < 40e9
    assert 0.12 < res.irr_nominal < 0.20
    assert 6 < res.simple_payback_yr < 9


def test_npv_at_irr_is_zero_and_real_equals_nominal():
    table = _table()
    res = econ.evaluate(table, discount_rate_real=R_REAL, inflation=INFL)
    flows = table["net_cash_flow_vnd"].to_numpy()
    assert econ.npv(res.irr_nominal, flows) == pytest.approx(0.0, abs=1e-9 * res.capex_vnd)
    real_flows = flows / table["inflation_index"].to_numpy()
    # real flows at the real rate give the nominal NPV exactly (Fisher), and the real IRR
    assert econ.npv(R_REAL, real_flows) == pytest.approx(res.npv_vnd, rel=1e-12)
    assert econ.irr(real_flows) == pytest.approx(res.irr_real, abs=1e-10)
    assert res.irr_real == pytest.approx((1 + res.irr_nominal) / (1 + INFL) - 1, abs=1e-12)
    assert table["discounted_cash_flow_vnd"].sum() == pytest.approx(res.npv_vnd, rel=1e-12)


def test_levelised_annual_cost_against_grid_only():
    table = _table()
    res = econ.evaluate(table, discount_rate_real=R_REAL, inflation=INFL)
    a = res.annual
    assert a.saving_vnd_per_yr == pytest.approx(res.npv_vnd * econ.crf(R_REAL, N), rel=1e-10)
    assert a.system_total_vnd_per_yr == pytest.approx(
        a.capital_vnd_per_yr + a.om_vnd_per_yr + a.grid_bill_vnd_per_yr, rel=1e-12)
    # grid-only bill: 20 bn VND in year 1 (× 1.005 escalation), growing 3 %/yr with the load
    pv_grid_only = sum(20e9 * 1.005 ** t * 1.03 ** (t - 1) / 1.05 ** t for t in range(1, 26))
    assert a.grid_only_vnd_per_yr == pytest.approx(pv_grid_only * econ.crf(0.05, 25), rel=1e-10)


def test_projection_of_load_growth_degradation_and_given_years():
    table = _table()
    y1, y11 = table.loc[1], table.loc[11]
    infl11 = 1.035 ** 11
    # grid-only grows with the load and the tariff; the saving follows degraded PV output
    assert y11["grid_only_bill_vnd"] / infl11 == pytest.approx(
        20e9 * 1.03 ** 10 * 1.005 ** 11, rel=1e-12)
    assert y11["savings_vnd"] / y1["savings_vnd"] == pytest.approx(
        0.995 ** 10 * 1.005 ** 10 * 1.035 ** 10, rel=1e-12)
    assert y11["grid_import_after_kwh"] == pytest.approx(
        10e6 * 1.03 ** 10 - 2.1e6 * 0.995 ** 10, rel=1e-12)
    # a result given for year 11 is used as is (then projected onward)
    y11_given = AnnualResult(25e9, 19e9, 2.3e6 * 0.995 ** 10, 0.0, 2.2e6, 3e5, 13e6, 10.5e6,
                             pv_output_factor=0.995 ** 10)
    t2 = econ.cash_flow_table(CAPS, COSTS, {1: YEAR1, 11: y11_given}, tariff_escalation_real=0.0,
                              degradation=DEG, load_growth=GROWTH, discount_rate_real=R_REAL,
                              inflation=0.0, life=N)
    assert t2.loc[11, "savings_vnd"] == pytest.approx(6e9, rel=1e-12)
    assert t2.loc[12, "savings_vnd"] == pytest.approx(6e9 * 0.995, rel=1e-12)
    assert t2.loc[12, "grid_only_bill_vnd"] == pytest.approx(25e9 * 1.03, rel=1e-12)
    # wind does not degrade: with half the output from wind the decline halves
    mixed = AnnualResult(20e9, 15e9, 1.0e6, 1.0e6, 2.0e6, 0.0, 10e6, 8e6)
    t3 = econ.cash_flow_table({"pv_rooftop": 1000.0, "wind_medium": 500.0}, COSTS, mixed,
                              tariff_escalation_real=0.0, degradation=0.01, load_growth=0.0,
                              discount_rate_real=R_REAL, inflation=0.0, life=N)
    assert t3.loc[2, "savings_vnd"] == pytest.approx(5e9 * (0.5 + 0.5 * 0.99), rel=1e-12)
    # a result made on life-mean PV output (factor 0.95) produces more in year 1
    lifemean = AnnualResult(20e9, 15e9, 2.0e6, 0.0, 2.0e6, 0.0, 10e6, 8e6, pv_output_factor=0.95)
    t4 = econ.cash_flow_table({"pv_rooftop": 1000.0}, COSTS, lifemean, tariff_escalation_real=0.0,
                              degradation=0.005, load_growth=0.0, discount_rate_real=R_REAL,
                              inflation=0.0, life=N)
    assert t4.loc[1, "savings_vnd"] == pytest.approx(5e9 / 0.95, rel=1e-12)


def test_replacement_schedule_and_salvage():
    rs = econ.replacement_schedule(CAPS, COSTS, 25)
    got = {(r.year, r.item): (r.replacement_vnd, r.salvage_vnd) for r in rs.itertuples()}
    assert got == {
        (15, "pv_rooftop component"): (2000 * 1.25e6, 0.0),
        (10, "battery_energy component"): (1000 * 3.5e6, 0.0),
        (20, "battery_energy"): (1000 * 5.25e6, 0.0),
        (25, "battery_energy"): (0.0, 1000 * 5.25e6 * 15 / 20),
        (20, "battery_power"): (500 * 3.5e6, 0.0),
        (25, "battery_power"): (0.0, 500 * 3.5e6 * 15 / 20),
    }
    # a 30-year analysis: the year-15 inverter is salvaged after PV's year-25 re-purchase…
    rs30 = econ.replacement_schedule({"pv_rooftop": 1.0}, COSTS, 30)
    got30 = {(r.year, r.item): (r.replacement_vnd, r.salvage_vnd) for r in rs30.itertuples()}
    assert got30 == {(15, "pv_rooftop component"): (1.25e6, 0.0),
                     (25, "pv_rooftop"): (13e6, 0.0),
                     (30, "pv_rooftop"): (0.0, 13e6 * 20 / 25)}
    with pytest.raises(EnergyModelError, match="no cost for this technology"):
        econ.replacement_schedule({"pv_roof": 1.0}, COSTS, 25)


def test_cash_flow_matches_sam_cashloan():
    """PV only, no debt, no tax: SAM's Cashloan discounts, escalates and levelises as we do."""
    import PySAM.Cashloan as Cashloan
    import PySAM.PySSC as PySSC

    caps = {"pv_rooftop": 1000.0}
    costs = {"pv_rooftop": TechnologyCost("pv_rooftop", "kWp", 13e6, 195_000, 25)}
    year1 = AnnualResult(8e9, 6.2e9, 1.1e6, 0.0, 1.1e6, 0.0, 4e6, 2.9e6)
    table = econ.cash_flow_table(caps, costs, year1, tariff_escalation_real=ESC_REAL,
                                 degradation=DEG, load_growth=0.0, discount_rate_real=R_REAL,
                                 inflation=INFL, life=N)
    ours = econ.evaluate(table, discount_rate_real=R_REAL, inflation=INFL)

    m = Cashloan.new()
    fp = m.FinancialParameters
    fp.analysis_period = N
    fp.real_discount_rate = R_REAL * 100
    fp.inflation_rate = INFL * 100
    for name in ("debt_fraction", "insurance_rate", "loan_rate", "loan_term", "mortgage",
                 "prop_tax_assessed_decline", "property_tax_rate", "salvage_percentage",
                 "system_heat_rate"):
        setattr(fp, name, 0)
    fp.federal_tax_rate, fp.state_tax_rate = [0], [0]
    fp.market, fp.prop_tax_cost_assessed_percent, fp.system_capacity = 1, 100, 1000.0
    sc = m.SystemCosts
    sc.total_installed_cost = 13e9
    # SAM quotes O&M in year-1 money; ours is base-year (year-0) money escalated once
    sc.om_capacity = [195_000 * (1 + INFL)]
    sc.om_fixed, sc.om_production, sc.om_fuel_cost = [0], [0], [0]
    for name in ("om_capacity_escal", "om_fixed_escal", "om_production_escal",
                 "om_fuel_cost_escal", "annual_fuel_usage", "om_replacement_cost_escal",
                 "add_om_num_types"):
        setattr(sc, name, 0)
    m.SystemOutput.gen = tuple(np.full(8760, 1.1e6 / 8760))
    m.SystemOutput.degradation = [DEG * 100]
    # the bill saving, written independently: 1.8 bn VND in year 1, PV degrading, tariff
    # escalating (1 + e_real)(1 + i) a year from the base year
    saving = [0.0] + [1.8e9 * (1 - DEG) ** (t - 1) * ((1 + ESC_REAL) * (1 + INFL)) ** t
                      for t in range(1, N + 1)]
    grid_only = [0.0] + [8e9 * ((1 + ESC_REAL) * (1 + INFL)) ** t for t in range(1, N + 1)]
    m.SystemOutput.annual_energy_value = saving
    m.Lifetime.system_use_lifetime_output = 0
    m.ElectricityRates.rate_escalation = [0]
    m.Depreciation.depr_fed_type, m.Depreciation.depr_sta_type = 0, 0
    m.BatterySystem.en_batt = 0
    months = [[0.0] * 12 for _ in range(N + 1)]
    cb = m.ChargesByMonth
    cb.utility_bill_w_sys = [a - b for a, b in zip(grid_only, saving)]
    for name in ("nm_dollars_applied_ym", "charge_w_sys_dc_tou_ym", "charge_w_sys_ec_ym",
                 "charge_w_sys_fixed_ym", "net_billing_credits_ym", "true_up_credits_ym"):
        setattr(cb, name, months)
    for name in ("year1_hourly_ec_with_system", "year1_hourly_dc_with_system",
                 "year1_hourly_e_fromgrid"):
        setattr(m.TimeSeries, name, [0.0] * 8760)
    PySSC.PySSC().data_set_array(m.get_data_ptr(), b"utility_bill_wo_sys", grid_only)
    m.execute()
    sam = m.Outputs
    np.testing.assert_allclose(table["net_cash_flow_vnd"], sam.cf_after_tax_cash_flow, rtol=1e-9)
    assert ours.npv_vnd == pytest.approx(sam.npv, rel=1e-6)
    assert ours.irr_nominal * 100 == pytest.approx(sam.irr, rel=1e-6)
    assert ours.lcoe_vnd_per_kwh * 100 == pytest.approx(sam.lcoe_real, rel=1e-6)  # SAM: cents
    assert ours.discount_rate_nominal * 100 == pytest.approx(sam.nominal_discount_rate, rel=1e-12)
    assert ours.simple_payback_yr == pytest.approx(sam.payback, rel=1e-3)


def test_annual_result_from_a_dispatch_by_hand():
    idx = pd.date_range("2030-01-31 22:00", periods=4, freq="h", tz="Asia/Ho_Chi_Minh")
    d = pd.DataFrame(0.0, index=idx, columns=["load_kw", "pv_kw", "wind_kw", "curtailment_kw",
                                              "battery_charge_kw", "battery_discharge_kw",
                                              "battery_soc_kwh", "grid_import_kw",
                                              "grid_export_kw", "unmet_kw"])
    d["load_kw"] = [100.0, 100.0, 100.0, 100.0]
    d["pv_kw"] = [0.0, 0.0, 150.0, 0.0]
    d["grid_import_kw"] = [100.0, 100.0, 0.0, 100.0]
    d["grid_export_kw"] = [0.0, 0.0, 50.0, 0.0]
    price = pd.Series([1000.0, 1000.0, 2000.0, 3000.0], index=idx)
    r = econ.annual_result(d, price, 500.0, capacity_charge_vnd_per_kw_month=10_000.0)
    # grid-only: energy 7,000 × 100 = 700,000; capacity: Jan 100 kW + Feb 100 kW → 2,000,000
    assert r.grid_only_bill_vnd == pytest.approx(700_000 + 2_000_000)
    # with PV: 500,000 energy − 50 × 500 export + (100 + 100) × 10,000
    assert r.system_bill_vnd == pytest.approx(500_000 - 25_000 + 2_000_000)
    assert r.savings_vnd == pytest.approx(225_000)
    assert (r.pv_kwh, r.onsite_supply_kwh, r.grid_import_after_kwh) == (150.0, 150.0, 300.0)


def test_errors_in_inputs_are_named():
    with pytest.raises(EnergyModelError, match="operating year 1"):
        econ.cash_flow_table(CAPS, COSTS, {2: YEAR1}, tariff_escalation_real=0, degradation=0,
                             load_growth=0, discount_rate_real=0.05, inflation=0, life=N)
    with pytest.raises(EnergyModelError, match=r"capacities\['pv_rooftop'\] must be finite"):
        econ.cash_flow_table({"pv_rooftop": -1.0}, COSTS, YEAR1, tariff_escalation_real=0,
                             degradation=0, load_growth=0, discount_rate_real=0.05, inflation=0,
                             life=N)


# --------------------------------------------------------------------------- cost data

def test_shipped_cost_table_is_complete_sourced_and_marked():
    costs = econ.load_costs()
    assert set(costs.technologies) == set(econ.TECHNOLOGIES)
    rows = costs.rows
    assert set(rows["mark"]) <= {"S", "S2", "E", "NF"}
    assert rows["source"].str.len().min() > 10
    # rooftop capex inside the S2 range 11–15 M VND/kWp; the battery default is a SYSTEM price
    assert 11e6 <= costs.technologies["pv_rooftop"].capex_vnd_per_unit <= 15e6
    battery = rows.set_index("name").loc["battery_energy_capex"]
    assert "SYSTEM" in battery["description"] and battery["mark"] == "E"
    usd_per_kwh = (costs.technologies["battery_energy"].capex_vnd_per_unit
                   + costs.technologies["battery_power"].capex_vnd_per_unit / 2) / costs.vnd_per_usd
    assert 1.5 * 140 <= usd_per_kwh <= 2.5 * 140          # a 2-hour system: 1.5–2.5 × the pack
    assert costs.pv_degradation == 0.005


def test_default_ground_pv_lcoe_is_near_the_ceiling_price():
    """Ground PV at the default costs, 1,100 kWh/kWp, the WACC of the S2 finance facts."""
    costs = econ.load_costs()
    r_real = econ.real_rate(0.088, 0.035)
    year1 = AnnualResult(0.0, 0.0, 1100.0, 0.0, 1100.0, 0.0, 0.0, 0.0)
    table = econ.cash_flow_table({"pv_ground": 1.0}, costs, year1, tariff_escalation_real=0.0,
                                 degradation=costs.pv_degradation, load_growth=0.0,
                                 discount_rate_real=r_real, inflation=0.035, life=25)
    lcoe = econ.lcoe(table, r_real)
    # North ground-PV ceiling price 1,382.7 VND/kWh (QĐ 988/2025, S2) includes developer margin
    assert 1000 < lcoe < 1382.7
    # by hand: capex, O&M and the year-15 inverter over degrading output, all real
    disc = [(1 + r_real) ** -t for t in range(26)]
    cost = 14e6 + sum(210_000 * disc[t] for t in range(1, 26)) + 1e6 * disc[15]
    energy = sum(1100 * 0.995 ** (t - 1) * disc[t] for t in range(1, 26))
    assert lcoe == pytest.approx(cost / energy, rel=1e-9)
    assert lcoe == pytest.approx(1190, abs=1)             # the figure quoted in costs.csv


def test_broken_cost_file_names_file_line_and_key(tmp_path):
    text = econ.package_data("costs.csv").read_text(encoding="utf-8")
    text = text.replace("pv_ground_capex,VND/kWp,14000000", "pv_ground_capex,VND/kW,abc")
    text = re.sub(r"\nwind_small_life,[^\n]*", "", text)
    text = text.replace("battery_power_life,yr,20,", "battery_power_life,yr,12.5,")
    text += 'pv_roof_capex,VND/kWp,1,"typo in the name",E,x\n'
    bad = tmp_path / "costs.csv"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        econ.load_costs(bad)
    msg = str(info.value)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("pv_ground_capex"))
    assert f"costs.csv:{line} pv_ground_capex: unit must be 'VND/kWp'" in msg
    assert "value must be a number" in msg
    assert "wind_small_life: missing row" in msg
    assert re.search(r"costs\.csv:\d+ battery_power_life: must be a whole number of years", msg)
    assert "pv_roof_capex: unknown cost row" in msg


# --------------------------------------------------------------------------- CO2

def test_emission_factor_table():
    t = econ.load_emission_factors()
    assert list(t.index) == list(range(2014, 2026))
    assert t.loc[2022, "value"] == 0.6766 and t.loc[2023, "value"] == 0.6592
    assert set(t.loc[2014:2023, "mark"]) == {"S"} and set(t.loc[2024:2025, "mark"]) == {"E"}
    assert econ.emission_factor(2023) == (0.6592, "S")
    # default: the latest OFFICIAL value (2023), not the unofficial 2025 estimate
    assert econ.emission_factor(2030) == (0.6592, "S")
    assert econ.emission_factor(2030, method="research_estimate") == (0.6235, "E")
    assert econ.emission_factor(2024, method="research_estimate") == (0.6811, "E")
    assert econ.emission_factor(2022, method="research_estimate") == (0.6766, "S")
    assert set(t["method"]) == {"official", "research_estimate"}
    with pytest.raises(EnergyModelError, match="before 2014"):
        econ.emission_factor(2010)


def test_co2_avoided_location_based():
    one = econ.co2_avoided(10e6, 7e6, 2023)
    assert one.co2_avoided_t == pytest.approx(3000 * 0.6592, rel=1e-12)    # 1,977.6 t
    assert "location-based" in one.basis and "average" in one.basis
    # over an asset life with a 3 %/yr decline from the 2025 factor
    life = econ.co2_avoided([10e6] * 3, [7e6] * 3, 2025, trajectory=0.03)
    expected = 3000 * 0.6592 * (1 + 0.97 + 0.97 ** 2)
    assert life.co2_avoided_t == pytest.approx(expected, rel=1e-12)
    assert list(life.per_year.index) == [2025, 2026, 2027]
    table = econ.co2_avoided([1e6, 1e6], [0.0, 0.0], 2022)
    assert table.co2_avoided_t == pytest.approx(676.6 + 659.2, rel=1e-12)
    explicit = econ.co2_avoided(1e6, 0.0, 2040, trajectory={2040: 0.4})
    assert explicit.co2_avoided_t == pytest.approx(400.0)
    with pytest.raises(EnergyModelError, match="lacks years"):
        econ.co2_avoided(1e6, 0.0, 2041, trajectory={2040: 0.4})


def test_declining_emission_trajectory():
    path = econ.load_emission_trajectory()
    assert list(path.index) == [2023, 2030, 2040, 2050]
    assert path.loc[2023, "mark"] == "S" and set(path.loc[2030:, "mark"]) == {"E"}
    f = econ.grid_emission_factor
    assert f(2030, "declining_trajectory").value == 0.375
    assert f(2050, "declining_trajectory").value == 0.025
    # by hand: 2035 is halfway between 2030 (0.375) and 2040 (0.200)
    mid = f(2035, "declining_trajectory")
    assert mid.value == pytest.approx(0.2875, abs=1e-12) and mid.mark == "E"
    # 2025 is 2/7 of the way from 2023 (0.6592) to 2030 (0.375)
    assert f(2025, "declining_trajectory").value == pytest.approx(
        0.6592 + 2 / 7 * (0.375 - 0.6592), abs=1e-12)
    assert f(2060, "declining_trajectory").value == 0.025          # held after 2050
    assert f(2020, "declining_trajectory").value == 0.8041         # official before the path
    off = f(2030)
    assert (off.value, off.mark, off.year, off.method) == (0.6592, "S", 2023, "official_latest")
    assert off.label.startswith("official series")
    assert "declining" in f(2030, "declining_trajectory").label
    life = econ.co2_avoided([1e6] * 2, [0.0] * 2, 2030, method="declining_trajectory")
    assert life.co2_avoided_t == pytest.approx(375.0 + 1000 * (0.375 - 0.0175), rel=1e-12)
    with pytest.raises(EnergyModelError, match="unknown emission-factor method"):
        f(2030, "marginal")


def test_broken_emission_table_is_refused(tmp_path):
    text = econ.package_data("emission_factors.csv").read_text(encoding="utf-8")
    bad = tmp_path / "ef.csv"
    bad.write_text(text.replace("2016,vn_grid_ef_2016,tCO2/MWh,0.9185",
                                "2016,vn_grid_ef_2016,kgCO2/kWh,0.9185"), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"ef.csv:4 vn_grid_ef_2016: expected unit tCO2/MWh"):
        econ.load_emission_factors(bad)
    assert not math.isnan(econ.emission_factor(2016)[0])
