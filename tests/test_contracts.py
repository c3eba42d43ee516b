"""Contracts (issue 18): the virtual DPPA's CfD worked by hand, a private-line DPPA's
energy and money, an ESCO rooftop PPA and lease against an independent loop, and the
attribution of the bill saving to assets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from energy_model.economics import contracts as ct
from energy_model.economics.costs import TechnologyCost
from energy_model.finance import irr, real_rate

IDX48 = pd.date_range("2030-01-07", periods=48, freq="h", tz="Asia/Ho_Chi_Minh")


def _s(values) -> pd.Series:
    return pd.Series(np.asarray(values, float), index=IDX48)


def _hand_case():
    """Day 1: farm 1,000 kW; day 2: 3,000 kW; park import 2,000 kW every hour.
    Market 1,000 VND/kWh in the first 12 hours of each day, 2,000 in the last 12;
    retail 1,800 flat; strike 1,400; service 360 + adder 163."""
    farm = _s([1000] * 24 + [3000] * 24)
    imp = _s([2000] * 48)
    market = _s(([1000] * 12 + [2000] * 12) * 2)
    retail = _s([1800] * 48)
    return farm, imp, market, retail


def test_virtual_dppa_48h_settlement_by_hand():
    farm, imp, market, retail = _hand_case()
    m = ct.match_hourly(farm, imp)
    # matched: 1,000 kW × 24 h + 2,000 kW × 24 h = 72,000 kWh; unmatched 1,000 × 24
    assert m["matched_kw"].sum() == pytest.approx(72_000, abs=1e-9)
    assert m["unmatched_kw"].sum() == pytest.approx(24_000, abs=1e-9)
    s = ct.virtual_settlement(m, market, strike=1400, system_service=360,
                              settlement_adder=163, retail_vnd_per_kwh=retail)
    # market: day 1 12×1,000×1,000 + 12×1,000×2,000 = 36e6; day 2 twice that = 72e6
    assert s["market_vnd"].sum() == pytest.approx(108e6, rel=1e-12)
    assert s["service_vnd"].sum() == pytest.approx(72_000 * 523, rel=1e-12)  # 37,656,000
    # CfD: 72,000 × 1,400 − 108e6 = −7.2e6: the generator pays the tenant
    assert s["cfd_vnd"].sum() == pytest.approx(-7.2e6, rel=1e-12)
    assert s["retail_avoided_vnd"].sum() == pytest.approx(129.6e6, rel=1e-12)
    # tenant: 129.6e6 − 108e6 − 37.656e6 + 7.2e6 = 72,000 × (1,800 − 1,400 − 523)
    assert s["tenant_net_vnd"].sum() == pytest.approx(-8_856_000, rel=1e-12)
    # generator: spot on all output (36e6 + 108e6) plus the CfD
    assert s["generator_spot_vnd"].sum() == pytest.approx(144e6, rel=1e-12)
    assert s["generator_revenue_vnd"].sum() == pytest.approx(136.8e6, rel=1e-12)
    # the same through the yearly flows (no escalation, no inflation): year 1 = the 48 h
    year1 = ct.ContractYear(output_kwh=96_000, delivered_kwh=72_000, unmatched_kwh=24_000,
                            priced_quantity=72_000, tenant_value_vnd=129.6e6,
                            market_vnd=108e6, service_vnd=37_656_000, spot_vnd=144e6)
    terms = ct.Terms("dppa_virtual", 1400.0, 0.0, 2)
    rates = ct.Rates(0.05, 0.0, 0.0)
    costs = pd.DataFrame(0.0, index=range(3), columns=["capex", "om", "replacement", "salvage"])
    f = ct.cash_flows(year1, terms, costs, rates)
    assert f["tenant_net_vnd"].iloc[1] == pytest.approx(-8_856_000, rel=1e-12)
    assert f["investor_revenue_vnd"].iloc[1] == pytest.approx(136.8e6, rel=1e-12)
    be_year, be_life, be_investor = ct.breakeven_price(year1, terms, costs, rates)
    assert be_year == pytest.approx(1800 - 523, abs=1e-6)   # strike + charges = retail
    assert be_life == pytest.approx(1277, abs=1e-6)
    # no investor costs: the generator breaks even where spot + CfD = 0 on its output,
    # strike × 72,000 = 108e6 − 144e6 → −500 VND/kWh
    assert be_investor == pytest.approx(-500, abs=1e-6)


def test_loss_factor_and_share_scale_the_offer():
    farm, imp, _, _ = _hand_case()
    m = ct.match_hourly(farm, imp, share=0.5, loss_factor=0.9)
    # offered = farm × 0.5 × 0.9: 450 kW then 1,350 kW, all under the 2,000 kW import
    assert m["offered_kw"].sum() == pytest.approx(24 * 450 + 24 * 1350, rel=1e-12)
    assert m["unmatched_kw"].sum() == pytest.approx(0.0, abs=1e-9)
    assert m["farm_kw"].sum() == pytest.approx(24 * 500 + 24 * 1500, rel=1e-12)


def test_private_line_dppa_energy_and_money():
    farm = _s(np.r_[np.full(24, 1500.0), np.full(24, 500.0)])
    imp = _s(np.r_[np.full(12, 1000.0), np.full(12, 2000.0), np.full(24, 800.0)])
    m = ct.match_hourly(farm, imp)
    # energy: every farm kWh is delivered or spilled; delivered never exceeds the import
    assert (m["matched_kw"] + m["unmatched_kw"]).sum() == pytest.approx(farm.sum(), rel=1e-12)
    assert (imp - m["matched_kw"]).min() >= 0
    # by hand: 12 h × 1,000 + 12 h × 1,500 + 24 h × 500 = 42,000 kWh; spill 12 × 500
    assert m["matched_kw"].sum() == pytest.approx(42_000, rel=1e-12)
    assert m["unmatched_kw"].sum() == pytest.approx(6_000, rel=1e-12)
    retail, price = 1800.0, 1300.0
    year1 = ct.ContractYear(output_kwh=48_000, delivered_kwh=42_000, unmatched_kwh=6_000,
                            priced_quantity=42_000, tenant_value_vnd=42_000 * retail)
    wind = TechnologyCost("wind_medium", "kW", 1_000_000.0, 20_000.0, 20)
    costs = ct.investor_costs({"wind_medium": 2000.0}, {"wind_medium": wind}, 3)
    f = ct.cash_flows(year1, ct.Terms("dppa_private", price, 0.0, 3), costs,
                      ct.Rates(0.05, 0.0, 0.0))
    # money: the tenant pays 42,000 × 1,300 = 54.6e6 and saves 42,000 × 1,800 = 75.6e6
    assert f["tenant_payment_vnd"].iloc[1] == pytest.approx(54.6e6, rel=1e-12)
    assert f["tenant_net_vnd"].iloc[1] == pytest.approx(21.0e6, rel=1e-12)
    # the generator's revenue is the tenant's payment; capex 2e9 in year 0; salvage of
    # 17 of 20 years' life at the end of the 3-year term
    assert f["investor_revenue_vnd"].iloc[1:].tolist() == pytest.approx([54.6e6] * 3)
    assert f["investor_capex_vnd"].iloc[0] == pytest.approx(2e9)
    assert f["investor_salvage_vnd"].iloc[3] == pytest.approx(2e9 * 17 / 20)
    assert f["investor_net_vnd"].iloc[1] == pytest.approx(54.6e6 - 40e6)


ROOF = TechnologyCost("pv_rooftop", "kWp", 13_000_000.0, 195_000.0, 25,
                      replacement_interval_yr=15, replacement_vnd_per_unit=1_250_000.0)


def _independent_loop(kind, kwp, delivered, value, price, esc, term, infl, tar, d, f0):
    """The ESCO's and the tenant's flows written out year by year (no shared code)."""
    tenant, investor = [0.0], [-kwp * ROOF.capex_vnd_per_unit]
    for t in range(1, term + 1):
        i_t = (1 + infl) ** t
        vol = (1 - d) ** (t - 1) / f0
        saving = value * vol * (1 + tar) ** t * i_t
        if kind == "ppa":
            pay = price * delivered * vol * (1 + esc) ** (t - 1)
        else:
            pay = price * kwp * (1 + esc) ** (t - 1)
        cost = kwp * ROOF.fixed_om_vnd_per_unit_yr * i_t
        if t == 15:  # inverters at 15 years
            cost += kwp * ROOF.replacement_vnd_per_unit * i_t
        if t == term:  # salvage: 5 of 25 years of the array; the year-15 inverters serve
            # only the array's last 5 years (HOMER), 5 of their 15
            cost -= kwp * (ROOF.capex_vnd_per_unit * 5 / 25
                           + ROOF.replacement_vnd_per_unit * 5 / 15) * i_t
        tenant.append(saving - pay)
        investor.append(pay - cost)
    return np.array(tenant), np.array(investor)


@pytest.mark.parametrize("kind,price", [("ppa", 1500.0), ("lease", 1_900_000.0)])
def test_esco_rooftop_matches_an_independent_loop(kind, price):
    kwp, delivered, value, term = 2000.0, 2_600_000.0, 4.9e9, 20
    rates = ct.Rates(0.063, 0.035, 0.005, degradation=0.005, pv_output_factor=0.94,
                     degrades=True)
    year1 = ct.ContractYear(output_kwh=2.65e6, delivered_kwh=delivered, unmatched_kwh=5e4,
                            priced_quantity=delivered if kind == "ppa" else kwp,
                            tenant_value_vnd=value)
    costs = ct.investor_costs({"pv_rooftop": kwp}, {"pv_rooftop": ROOF}, term)
    f = ct.cash_flows(year1, ct.Terms(kind, price, 0.02, term), costs, rates)
    tenant, investor = _independent_loop(kind, kwp, delivered, value, price, 0.02, term,
                                         0.035, 0.005, 0.005, 0.94)
    np.testing.assert_allclose(f["tenant_net_vnd"], tenant, rtol=1e-10, atol=1e-3)
    np.testing.assert_allclose(f["investor_net_vnd"], investor, rtol=1e-10, atol=1e-3)
    res = ct.party_result(f["investor_net_vnd"].to_numpy(), rates)
    assert res.irr_real == pytest.approx(real_rate(irr(investor), 0.035), abs=1e-9)
    assert 0.0 < res.irr_real < 0.5
    assert ct.party_result(f["tenant_net_vnd"].to_numpy(), rates).irr_real is None


def test_asset_shares_add_up_to_the_bill_saving():
    """PV and wind shares of curtailment and export plus the battery's time shift give
    exactly the energy part of the bill saving."""
    idx = IDX48[:4]
    d = pd.DataFrame({"load_kw": [100, 100, 100, 100],
                      "pv_roof_kw": [0, 150, 80, 0], "wind_w_kw": [20, 50, 0, 10],
                      "curtailment_kw": [0, 20, 0, 0], "battery_charge_kw": [0, 40, 0, 0],
                      "battery_discharge_kw": [0, 0, 0, 36], "grid_export_kw": [0, 40, 0, 0]},
                     index=idx, dtype=float)
    d["pv_kw"], d["wind_kw"] = d["pv_roof_kw"], d["wind_w_kw"]
    d["grid_import_kw"] = (d["load_kw"] - d["pv_kw"] - d["wind_kw"] + d["curtailment_kw"]
                           - d["battery_discharge_kw"] + d["battery_charge_kw"]
                           + d["grid_export_kw"])
    assert d["grid_import_kw"].min() >= 0
    p, pe = np.array([1000.0, 1800.0, 1800.0, 3000.0]), 1426.6
    total = 0.0
    for col in ("pv_roof_kw", "wind_w_kw"):
        s = ct.onsite_share(d, col)
        total += float(s["used_kw"] @ p + s["exported_kw"].sum() * pe)
    total += float((d["battery_discharge_kw"] - d["battery_charge_kw"]).to_numpy() @ p)
    saving = float((d["load_kw"] - d["grid_import_kw"]).to_numpy() @ p
                   + d["grid_export_kw"].sum() * pe)
    assert total == pytest.approx(saving, rel=1e-12)
