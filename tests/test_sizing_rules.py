"""Rule-based TOU dispatch of a fixed design, against hand traces and the LP."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from energy_model.dispatch_rules import evaluate_dispatch, tou_dispatch
from energy_model.errors import ScenarioError
from energy_model.sizing import Battery, Grid, Technology, check_dispatch, optimize, prepare
from energy_model.tariff import period_shares

T = 48
W = 8760 / 48
TZ = "Asia/Ho_Chi_Minh"


def test_fixed_battery_rule_versus_lp_by_hand():
    """Mon–Tue, frame 2023, QĐ 1279 at 22–110 kV; load 1000 kW; a lossless, free
    1000 kW / 2000 kWh battery.

    Rule, per day: charge 2000 kWh off-peak (1190); at 09:00 and 11:00 (half peak) discharge
    500 kW, at 10:00 1000 kW (hour prices 2615.5, 3398, 2615.5); empty by the evening peak.
    Saving 500 × 2615.5 × 2 + 1000 × 3398 − 2000 × 1190 = 3,633,500 VND.
    LP, per day: off-peak → 10:00 and 09:00 (or 11:00); recharge 2000 kWh at 12–16 (1833)
    → 17:00 and 18:00. Saving 3398 + 2615.5 − 2 × 1190 + 2 × (3398 − 1833) thousand
    = 6,763,500 VND. The rule captures 54 % of the battery's value.
    """
    index = pd.date_range("2025-06-09", periods=T, freq="h", tz=TZ)
    load = pd.Series(1000.0, index=index)
    grid = Grid.from_tariff(index, "evn_2025", "22_110kv")
    bat = Battery(capex_per_kwh=0.0, eta_charge=1.0, eta_discharge=1.0, fixed_kw=1000.0,
                  fixed_kwh=2000.0)
    lp = optimize(load, [], grid, bat)
    rule = tou_dispatch(load, [], grid, bat, period_shares(index, "evn_2025"))
    cost = evaluate_dispatch(rule, [], grid, bat)
    grid_only = 2 * 47_959_000
    assert lp.objective == pytest.approx(W * (grid_only - 2 * 6_763_500), rel=1e-9)
    assert cost.total == pytest.approx(W * (grid_only - 2 * 3_633_500), rel=1e-12)
    dis = rule["battery_discharge_kw"].to_numpy()
    np.testing.assert_allclose(dis[[9, 10, 11, 33, 34, 35]], [500, 1000, 500] * 2)
    assert dis.sum() == pytest.approx(4000.0)
    assert rule.columns.equals(lp.dispatch.columns)
    pb = prepare(load, [], grid, bat)
    check_dispatch(pb, rule, lp.capacities, cyclic=False)


def test_surplus_export_and_import_cap_rules_by_hand():
    """Load 100 kW; a 300 kW roof producing 1 kW/kW at 10–13 h; 200 kW / 400 kWh lossless
    battery; export cap 20 % of 300 kW = 60 kW; peak at 18–19 h; import capped at 50 kW
    at 20 h; no off-peak charging.

    Steady day (second pass starts at 150 kWh): 10 h charge 200 → 350; 11 h charge 50 →
    400, export 60, curtail 90; 12 h and 13 h export 60, curtail 140; 18 h and 19 h
    discharge 100; 20 h discharge 50 to keep the import at the 50 kW cap → 150 kWh.
    """
    roof = Technology("roof", "rooftop", np.tile(np.isin(np.arange(24), [10, 11, 12, 13]), 2)
                      .astype(float), 0.0, max_kw=300.0, fixed_kw=300.0)
    cap = np.full(T, np.inf)
    cap[[20, 44]] = 50.0
    grid = Grid(import_price=np.full(T, 2000.0), export_price=1000.0, export_cap_share=0.2,
                import_cap_kw=cap)
    bat = Battery(capex_per_kwh=0.0, eta_charge=1.0, eta_discharge=1.0, fixed_kw=200.0,
                  fixed_kwh=400.0)
    periods = pd.DataFrame({"offpeak": 0.0, "peak": np.tile(np.isin(np.arange(24), [18, 19]),
                                                            2).astype(float)}, index=range(T))
    d = tou_dispatch(np.full(T, 100.0), [roof], grid, bat, periods)
    day = d.iloc[24:48].reset_index(drop=True)
    np.testing.assert_allclose(day["battery_charge_kw"][[10, 11]], [200, 50])
    np.testing.assert_allclose(day["grid_export_kw"][[11, 12, 13]], [60, 60, 60])
    np.testing.assert_allclose(day["curtailment_kw"][[11, 12, 13]], [90, 140, 140])
    np.testing.assert_allclose(day["battery_discharge_kw"][[18, 19, 20]], [100, 100, 50])
    assert day["grid_import_kw"][20] == pytest.approx(50.0)
    assert day["battery_soc_kwh"][0] == pytest.approx(150.0)
    assert d["grid_import_kw"].sum() == pytest.approx(2 * 1750.0)
    assert d["unmet_kw"].sum() == 0.0
    pb = prepare(np.full(T, 100.0), [roof], grid, bat)
    check_dispatch(pb, d, {"roof_kw": 300.0, "battery_kw": 200.0, "battery_kwh": 400.0},
                   cyclic=True)


def test_rule_needs_a_fixed_design():
    free = Technology("pv", "ground", np.full(T, 0.2), 1e6, max_kw=100.0)
    periods = pd.DataFrame({"offpeak": np.zeros(T), "peak": np.zeros(T)})
    with pytest.raises(ScenarioError, match=r"capacities\['pv_kw'\]"):
        tou_dispatch(np.full(T, 10.0), [free], Grid(import_price=np.full(T, 1.0)), None,
                     periods)
    d = tou_dispatch(np.full(T, 10.0), [free], Grid(import_price=np.full(T, 1.0)), None,
                     periods, capacities={"pv_kw": 20.0})
    assert d["pv_kw"].sum() == pytest.approx(T * 4.0)
    assert d["grid_import_kw"].sum() == pytest.approx(T * 6.0)
