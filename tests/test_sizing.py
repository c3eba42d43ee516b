"""Sizing LP: 48-hour cases whose optimum is worked out by hand, invariants, input checks.

Every case runs 48 hours, so operating costs are scaled to a year by
w = 8760 / 48 = 182.5. Capital costs are given as fixed O&M per kW-year (capex 0) where
that keeps the arithmetic short; the annuity path is tested on its own.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from energy_model.errors import InfeasibleError, InvariantError, ScenarioError
from energy_model.sizing import (Battery, Finance, Grid, Options, Policy, Technology,
                                 check_dispatch, crf, life_mean_factor, optimize, prepare)

T = 48
W = 8760 / 48          # year weight of a 48-hour horizon
TZ = "Asia/Ho_Chi_Minh"
REL = 1e-9             # the hand optimum is exact; allow only solver round-off


@pytest.fixture(autouse=True, params=["monolithic", "fast"])
def method(request, monkeypatch):
    """Run every case through both solution paths (issue 11): the monolithic LP and the
    fast exact decomposition, the latter to a proven gap of 1e-9 as the hand optima are
    checked to 1e-9. Calls with explicit ``options`` keep their own."""
    from functools import partial

    from energy_model.sizing import core

    extra = {"gap_tol": 1e-9} if request.param == "fast" else {}
    monkeypatch.setattr(core, "Options", partial(Options, method=request.param, **extra))
    return request.param


def daily(hours_values: dict[int, float], default: float = 0.0) -> np.ndarray:
    """48 hourly values repeating one day: {hour of day: value}."""
    day = np.full(24, default)
    for h, v in hours_values.items():
        day[h] = v
    return np.tile(day, 2)


def flat(value: float) -> np.ndarray:
    return np.full(T, float(value))


def ideal_battery(**kw) -> Battery:
    """Lossless, free battery; tests override what they need."""
    base = dict(capex_per_kwh=0.0, eta_charge=1.0, eta_discharge=1.0)
    base.update(kw)
    return Battery(**base)


# --------------------------------------------------------------------------- finance

def test_crf_and_life_mean_factor():
    # 1 / present value of 1 VND a year, summed year by year; interest tables (A/P) give
    # 0.09368 at 8 % over 25 years and 0.16275 at 10 % over 10 years
    for rate, years, table in ((0.08, 25, 0.09368), (0.10, 10, 0.16275)):
        pv = sum((1 + rate) ** -k for k in range(1, years + 1))
        assert crf(rate, years) == pytest.approx(1 / pv, rel=1e-12)
        assert Finance(rate).crf(years) == pytest.approx(table, abs=5e-6)
    assert crf(0.0, 20) == 0.05
    # mean of 0.995**k for k = 0..24 = (1 - 0.995**25) / (25 * 0.005)
    assert life_mean_factor(0.005, 25) == pytest.approx((1 - 0.995**25) / 0.125, rel=1e-12)
    assert life_mean_factor(0.0, 25) == 1.0


def test_capex_is_annualised_by_crf():
    """One tech, always-on profile, cheaper than the grid: built to the load."""
    tech = Technology("wind", "wind", flat(1.0), capex_per_kw=10e6, life_years=20,
                      fixed_om_per_kw_yr=50e3, max_kw=5000)
    r = optimize(flat(100.0), [tech], Grid(import_price=flat(2000.0)),
                 finance=Finance(0.08))
    assert r.capacities["wind_kw"] == pytest.approx(100.0, rel=REL)
    annuity = crf(0.08, 20) * 10e6 * 100
    assert r.costs.capex_annuity["wind"] == pytest.approx(annuity, rel=1e-12)
    assert r.objective == pytest.approx(annuity + 50e3 * 100, rel=REL)


# --------------------------------------------------------------------------- tariffs

def _tariff_case(start: str, tariff: str, battery: Battery):
    index = pd.date_range(start, periods=T, freq="h", tz=TZ)
    load = pd.Series(1000.0, index=index)
    grid = Grid.from_tariff(index, tariff, "22_110kv")
    return optimize(load, [], grid, battery), grid


def test_half_hour_boundaries_2026_frame():
    """Mon–Tue on the 2026 frame (peak 17:30–22:30), 22–110 kV, QĐ 1279 prices.

    Battery 1000 kW / 6000 kWh, lossless, load 1000 kW. Hand optimum per day: charge
    6000 kWh in the six off-peak hours 00–05 (1190), discharge 1000 kW in the four full
    peak hours 18–21 (3398) and in the two half-peak hours 17 and 22, each priced
    (1833 + 3398) / 2 = 2615.5. No other cycle pays: the discharge hours above 1833 are
    full and off-peak hours can charge only 6000 kWh.
    Daily grid cost 1000 × (6×1190 + 13×1833 + 5×3398) = 47,959,000 VND.
    """
    bat = ideal_battery(fixed_kw=1000.0, fixed_kwh=6000.0)
    r, _ = _tariff_case("2025-06-09", "evn_2026", bat)
    saving = 1000 * (4 * 3398 + 2 * 2615.5) - 6000 * 1190      # 11,683,000 per day
    assert r.grid_only_cost == pytest.approx(W * 2 * 47_959_000, rel=1e-12)
    assert r.objective == pytest.approx(W * (2 * 47_959_000 - 2 * saving), rel=REL)
    dis = r.dispatch["battery_discharge_kw"].to_numpy()
    for day in (0, 24):
        np.testing.assert_allclose(dis[day + 17: day + 23], 1000.0, rtol=1e-9)


def test_sunday_rule():
    """Sat–Sun on the 2023 frame, QĐ 1279 prices; battery 1000 kW / 1000 kWh, lossless.

    Saturday has peaks (09:30–11:30, 17:00–20:00); Sunday none. Cycles (cyclic horizon):
    off-peak (1190) → Sat 10:00 (3398): 2208; Sat normal 12–16 (1833) → Sat 17:00 (3398):
    1565; Sat 22:00–Sun 03:00 off-peak → a Sunday normal hour (1833): 643. Nothing else
    pays: each discharge needs a cheaper charging hour between it and the previous one.
    Saving 1000 × (2208 + 1565 + 643) = 4,416,000 VND. Grid cost: Saturday
    1000 × (6×1190 + 13×1833 + 5×3398) = 47,959,000, Sunday 1000 × (6×1190 + 18×1833)
    = 40,134,000 VND. Treating Sunday as a weekday would save another 3,130,000.
    """
    bat = ideal_battery(fixed_kw=1000.0, fixed_kwh=1000.0)
    r, _ = _tariff_case("2025-06-07", "evn_2025", bat)
    assert r.grid_only_cost == pytest.approx(W * (47_959_000 + 40_134_000), rel=1e-12)
    assert r.objective == pytest.approx(W * (47_959_000 + 40_134_000 - 4_416_000), rel=REL)
    dis = r.dispatch["battery_discharge_kw"]
    assert dis.iloc[10] == pytest.approx(1000.0, rel=1e-9)          # Saturday 10:00
    assert dis.iloc[24 + 10] + dis.iloc[24 + 17] <= 1000.0 + 1e-6   # Sunday: one cycle


# --------------------------------------------------------------------------- export

# Rooftop output per kW: 0.5 at 10:00 and 13:00, 1.0 at 11:00 and 12:00; load 200 kW;
# import 2000 and export 1000 VND/kWh; rooftop costs 400,000 VND/kW/yr.
ROOF = daily({10: 0.5, 11: 1.0, 12: 1.0, 13: 0.5})


def _export_case(basis: str, share: float = 0.2):
    tech = Technology("roof", "rooftop", ROOF, capex_per_kw=0.0, fixed_om_per_kw_yr=400e3,
                      max_kw=5000)
    grid = Grid(import_price=flat(2000), export_price=flat(1000), export_cap_share=share,
                export_cap_basis=basis)
    return optimize(flat(200.0), [tech], grid)


def test_power_basis_export_cap():
    """Marginal value of a rooftop kW over 48 h [VND], times w:

    C < 200: 12,000; 200–250: 8,000; 250–400: 4,800; 400–666.7: 2,800 (the 1.0 hours
    export only 0.2 kW per kW, the 0.5 hours 0.5); above 666.7: 1,600 (0.2 × 8 h × 1000).
    At 400,000/yr (= 2,192 × w) the optimum is C = 200 / 0.3 = 666.67 kW, exporting
    133.33 kW in each of the 8 sunny hours.
    """
    r = _export_case("power")
    c = 2000 / 3
    assert r.capacities["roof_kw"] == pytest.approx(c, rel=1e-7)
    exp = r.dispatch["grid_export_kw"].to_numpy()
    sunny = ROOF > 0
    np.testing.assert_allclose(exp[sunny], 0.2 * c, rtol=1e-7)
    assert np.all(exp[~sunny] == 0)
    operating = 40 * 200 * 2000 - 8 * (0.2 * c) * 1000
    assert r.objective == pytest.approx(400e3 * c + W * operating, rel=REL)


def test_energy_basis_export_cap():
    """Energy basis: export over the horizon ≤ 0.2 × 6 kWh/kW × C = 1.2 C.

    Marginal value [VND per kW per 48 h]: 200–285.7 kW: 8,000; 285.7–400: 5,200
    (self-consumption in the 0.5 hours 4,000 + capped export 1.2 × 1000); above 400: 1,200.
    At 400,000/yr (2,192 × w) the optimum is C = 400 kW, exporting 480 kWh.
    """
    r = _export_case("energy")
    assert r.capacities["roof_kw"] == pytest.approx(400.0, rel=1e-7)
    assert r.dispatch["grid_export_kw"].sum() == pytest.approx(480.0, rel=1e-7)
    operating = 40 * 200 * 2000 - 480 * 1000
    assert r.objective == pytest.approx(400e3 * 400 + W * operating, rel=REL)


def test_without_a_cap_the_roof_limit_binds():
    r = _export_case("power", share=1.0)
    assert r.capacities["roof_kw"] == pytest.approx(5000.0, rel=1e-9)


def test_no_export_from_batteries():
    """Night import 500, day 3000, export 2000 VND/kWh; 100 kW rooftop at 10–13 h, load 100 kW.

    A 1000 kW / 5000 kWh lossless battery could charge 5000 kWh a night and sell it at
    2000. It may not: export is at most the rooftop output (100 kW in 4 hours a day).
    Hand optimum per day: charge 1800 kWh at night; serve the 14 day hours without sun
    (1400 kWh) and, in the 4 sunny hours, serve the load while the roof exports 100 kW
    (400 kWh at 2000). Night import 600 + 1800 kWh at 500; revenue 400 × 2000; a
    throughput cost of 1 VND/kWh makes the battery's cycling unique.
    """
    price = daily({h: 500.0 for h in range(6)}, default=3000.0)
    roof = Technology("roof", "rooftop", daily({10: 1, 11: 1, 12: 1, 13: 1}), 0.0,
                      max_kw=100.0, fixed_kw=100.0)
    grid = Grid(import_price=price, export_price=flat(2000), export_cap_share=1.0)
    bat = ideal_battery(fixed_kw=1000.0, fixed_kwh=5000.0, throughput_cost_per_kwh=1.0)
    r = optimize(flat(100.0), [roof], grid, bat)
    d = r.dispatch
    assert np.all(d["grid_export_kw"] <= d["roof_kw"] + 1e-9)
    assert d["grid_export_kw"].sum() == pytest.approx(2 * 400.0, rel=1e-9)
    assert d["battery_charge_kw"].sum() == pytest.approx(2 * 1800.0, rel=1e-9)
    assert d["battery_discharge_kw"].sum() == pytest.approx(2 * 1800.0, rel=1e-9)
    per_day = (600 + 1800) * 500 - 400 * 2000 + 1800 * 1.0
    assert r.objective == pytest.approx(W * 2 * per_day, rel=REL)


def test_export_price_not_below_import_price_is_refused():
    roof = Technology("roof", "rooftop", daily({12: 1.0}), 0.0, max_kw=100.0)
    price = daily({12: 1000.0}, default=2000.0)
    grid = Grid(import_price=price, export_price=1000.0, export_cap_share=0.2)
    with pytest.raises(ScenarioError, match="hour 12 .*1000 ≥ 1000"):
        optimize(flat(100.0), [roof], grid)
    # an export price above the import price only at night (no rooftop output) is fine
    grid = Grid(import_price=daily({2: 900.0}, default=2000.0), export_price=1000.0,
                export_cap_share=0.2)
    optimize(flat(100.0), [roof], grid)


def test_clip_export_price_on_the_two_component_tariff():
    """The pilot's normal price 1275 is below the 1426.6 surplus price: refuse, or clip."""
    index = pd.date_range("2026-07-06", periods=T, freq="h", tz=TZ)
    roof = Technology("roof", "rooftop", daily({12: 0.8}), 12e6, max_kw=500.0)
    grid = Grid.from_tariff(index, "evn_two_component_2026", "22_110kv",
                            export_rule="decree_135_2024")
    with pytest.raises(ScenarioError, match="export price"):
        optimize(flat(300.0), [roof], grid)
    grid = Grid.from_tariff(index, "evn_two_component_2026", "22_110kv",
                            export_rule="decree_135_2024", clip_export_price=True)
    assert (grid.export_price[grid.import_price <= 1426.6] == 0).all()
    assert (grid.export_price[grid.import_price > 1426.6] == 1426.6).all()
    optimize(flat(300.0), [roof], grid)


# --------------------------------------------------------------------------- grid limits

def test_capacity_charge():
    """Load 1000 kW, 2000 kW at 18:00 on day 1; flat 1000 VND/kWh; 235,414 VND/kW/month.

    A 48-hour horizon in one billing month is billed 12 months a year. A lossless 1-hour
    battery at 1,000,000 VND/kW/yr (< 12 × 235,414) flattens the import to its mean,
    (47 × 1000 + 2000) / 48 = 1020.83 kW, which needs 2000 − 1020.83 = 979.17 kW;
    more battery cannot lower the peak below the mean.
    """
    load = flat(1000.0)
    load[18] = 2000.0
    charge = 235_414.0
    grid = Grid(import_price=flat(1000), capacity_charge_per_kw_month=charge,
                month_of_hour=np.full(T, 6))
    bat = ideal_battery(fixed_om_per_kw_yr=1e6, duration_h=1.0)
    r = optimize(load, [], grid, bat)
    mean = 49_000 / 48
    assert r.capacities["battery_kw"] == pytest.approx(2000 - mean, rel=1e-7)
    assert r.dispatch["grid_import_kw"].max() == pytest.approx(mean, rel=1e-9)
    expected = 1e6 * (2000 - mean) + 12 * charge * mean + W * 1000 * 49_000
    assert r.objective == pytest.approx(expected, rel=REL)
    assert r.costs.capacity_charge == pytest.approx(12 * charge * mean, rel=1e-9)
    assert r.grid_only_cost == pytest.approx(12 * charge * 2000 + W * 1000 * 49_000, rel=1e-12)


def test_capacity_charge_full_year_bills_each_month_once():
    hours = 8760
    index = pd.date_range("2025-01-01", periods=hours, freq="h", tz=TZ)
    pb = prepare(np.full(hours, 10.0), [], Grid(import_price=np.full(hours, 1.0),
                                                capacity_charge_per_kw_month=5.0,
                                                month_of_hour=index.month))
    np.testing.assert_array_equal(pb.billed_months, np.ones(12))
    assert pb.year_weight == 1.0


def test_hourly_import_cap():
    """Load 1000 kW; import capped at 600 kW in 17–19 h each day; flat price 1000 VND/kWh.

    A battery with 95 % one-way efficiencies must deliver 400 kW for 3 hours: P = 400 kW,
    E = 1200 / 0.95 kWh, and it recharges 1200 / 0.95² kWh a day. Costs 300,000 VND/kW/yr
    and 200,000 VND/kWh/yr.
    """
    cap = daily({17: 600.0, 18: 600.0, 19: 600.0}, default=np.inf)
    grid = Grid(import_price=flat(1000), import_cap_kw=cap)
    bat = Battery(capex_per_kwh=0.0, fixed_om_per_kwh_yr=200e3, fixed_om_per_kw_yr=300e3,
                  eta_charge=0.95, eta_discharge=0.95)
    r = optimize(flat(1000.0), [], grid, bat)
    e = 1200 / 0.95
    assert r.capacities["battery_kw"] == pytest.approx(400.0, rel=1e-7)
    assert r.capacities["battery_kwh"] == pytest.approx(e, rel=1e-7)
    assert (r.dispatch["grid_import_kw"] <= cap + 1e-9).all()
    energy = 48_000 + 2 * (1200 / 0.95**2 - 1200)
    assert r.objective == pytest.approx(300e3 * 400 + 200e3 * e + W * 1000 * energy, rel=REL)


def test_import_cap_below_load_is_infeasible_or_unmet_with_slack():
    cap = daily({18: 600.0}, default=np.inf)
    with pytest.raises(InfeasibleError, match="import cap is below the load in 2 hour"):
        optimize(flat(1000.0), [], Grid(import_price=flat(1000), import_cap_kw=cap))
    r = optimize(flat(1000.0), [], Grid(import_price=flat(1000), import_cap_kw=cap,
                                        allow_unmet=True))
    assert r.dispatch["unmet_kw"].sum() == pytest.approx(800.0, rel=1e-9)
    # slack priced at 100 × the highest import price
    assert r.costs.unmet == pytest.approx(W * 800 * 100 * 1000, rel=1e-9)


def test_peak_reduction_target():
    """Cut the peak import 10 % below the grid-only peak (= peak load 1000 kW)."""
    load = daily({18: 1000.0}, default=500.0)
    bat = ideal_battery(fixed_om_per_kw_yr=1000.0, fixed_om_per_kwh_yr=1000.0)
    r = optimize(load, [], Grid(import_price=flat(1000), peak_reduction_target=0.1), bat)
    assert r.dispatch["grid_import_kw"].max() == pytest.approx(900.0, rel=1e-9)
    assert r.capacities["battery_kw"] == pytest.approx(100.0, rel=1e-7)
    assert r.capacities["battery_kwh"] == pytest.approx(100.0, rel=1e-7)


# --------------------------------------------------------------------------- policy

def _heritage_case(buffer: bool):
    wind = Technology("wind", "wind", flat(1.0), 0.0, fixed_om_per_kw_yr=5e6, max_kw=5000)
    ground = Technology("field", "ground", daily({10: 1, 11: 1, 12: 1, 13: 1}), 0.0,
                        fixed_om_per_kw_yr=0.5e6, max_kw=5000)
    roof = Technology("roof", "rooftop", daily({10: 1, 11: 1, 12: 1, 13: 1}), 0.0,
                      fixed_om_per_kw_yr=1e6, max_kw=300)
    return optimize(flat(1000.0), [wind, ground, roof], Grid(import_price=flat(2000)),
                    policy=Policy(heritage_buffer=buffer))


def test_heritage_buffer_allows_only_rooftop():
    """Load 1000 kW, 2000 VND/kWh. Wind (always on, 5 M/kW/yr, worth 17.52 M) serves it all
    outside the buffer zone; the sunny hours then need no PV. Inside, only the roof (300 kW,
    1 M/kW/yr, worth 8 h × 2000 × w = 2.92 M) may be built."""
    free = _heritage_case(False)
    assert free.capacities["wind_kw"] == pytest.approx(1000.0, rel=1e-9)
    assert free.capacities["field_kw"] == pytest.approx(0.0, abs=1e-6)
    assert free.objective == pytest.approx(5e6 * 1000, rel=REL)
    zone = _heritage_case(True)
    assert zone.capacities["wind_kw"] == 0.0 and zone.capacities["field_kw"] == 0.0
    assert zone.capacities["roof_kw"] == pytest.approx(300.0, rel=1e-9)
    assert zone.objective == pytest.approx(1e6 * 300 + W * 2000 * (48_000 - 8 * 300), rel=REL)


def test_heritage_buffer_refuses_a_fixed_wind_farm():
    wind = Technology("wind", "wind", flat(0.3), 20e6, max_kw=5000, fixed_kw=2000)
    with pytest.raises(ScenarioError, match=r"technologies\[0\].fixed_kw.*heritage"):
        optimize(flat(100.0), [wind], Grid(import_price=flat(2000)),
                 policy=Policy(heritage_buffer=True))


def test_min_renewable_share_and_co2_price():
    """An always-on wind kW costs 20 M/yr, above its energy value (2000 × 48 × w = 17.52 M):
    without a floor none is built; a 40 % floor buys exactly 400 kW. A CO2 price of
    500,000 VND/t at 0.6 t/MWh adds 300 VND/kWh, making wind worth 20.15 M: built to 1000 kW."""
    wind = Technology("wind", "wind", flat(1.0), 0.0, fixed_om_per_kw_yr=20e6, max_kw=5000)
    grid = Grid(import_price=flat(2000))
    assert optimize(flat(1000.0), [wind], grid).capacities["wind_kw"] == pytest.approx(0, abs=1e-6)
    r = optimize(flat(1000.0), [wind], grid, policy=Policy(min_renewable_share=0.4))
    assert r.capacities["wind_kw"] == pytest.approx(400.0, rel=1e-9)
    co2 = dataclasses.replace(grid, co2_price_per_t=500e3, emission_factor_t_per_mwh=0.6)
    r = optimize(flat(1000.0), [wind], co2)
    assert r.capacities["wind_kw"] == pytest.approx(1000.0, rel=1e-9)
    assert r.costs.co2 == 0.0


# --------------------------------------------------------------------------- invariants

def _rich_case():
    rng = np.random.default_rng(3)
    load = 800 + 400 * rng.random(T)
    roof = Technology("roof", "rooftop", daily({h: np.sin(np.pi * (h - 6) / 12)
                                                for h in range(7, 18)}), 8e6, 100e3, 25,
                      max_kw=1500)
    wind = Technology("wind", "wind", 0.5 * rng.random(T), 20e6, 400e3, 20, max_kw=800)
    price = daily({h: 3400.0 for h in (17, 18, 19)} | {h: 1190.0 for h in range(4)},
                  default=1833.0)
    grid = Grid(import_price=price, export_price=1000.0, export_cap_share=0.5,
                import_cap_kw=daily({18: 700.0}, default=1100.0),
                capacity_charge_per_kw_month=100e3, month_of_hour=np.full(T, 1))
    bat = Battery(capex_per_kwh=3e6, capex_per_kw=1e6, soc_min=0.1, eta_charge=0.96,
                  eta_discharge=0.94, throughput_cost_per_kwh=50.0)
    return load, [roof, wind], grid, bat


def test_balance_and_invariants_hold_in_every_hour(method):
    load, techs, grid, bat = _rich_case()
    r = optimize(load, techs, grid, bat)
    d = r.dispatch
    resid = (d.pv_kw + d.wind_kw - d.curtailment_kw + d.battery_discharge_kw
             - d.battery_charge_kw + d.grid_import_kw - d.grid_export_kw + d.unmet_kw
             - d.load_kw)
    assert np.abs(resid).max() <= 1e-6 * load.max()
    assert (np.minimum(d.grid_import_kw, d.grid_export_kw) <= 1e-6 * load.max()).all()
    soc_next = d.battery_soc_kwh + 0.96 * d.battery_charge_kw - d.battery_discharge_kw / 0.94
    np.testing.assert_allclose(np.roll(d.battery_soc_kwh, -1), soc_next, atol=1e-6 * load.max())
    assert (d.battery_soc_kwh >= 0.1 * r.capacities["battery_kwh"] - 1e-6).all()
    assert r.costs.total == pytest.approx(r.objective, rel=1e-9)
    assert r.status == "Optimal" and r.path == method and r.iterations > 0
    assert r.fallback == "" and (r.gap <= 1e-9 if method == "fast" else r.gap == 0.0)
    assert set(r.dispatch.columns) >= {"load_kw", "roof_kw", "wind_kw", "pv_kw",
                                       "curtailment_kw", "battery_charge_kw",
                                       "battery_discharge_kw", "battery_soc_kwh",
                                       "grid_import_kw", "grid_export_kw", "unmet_kw"}


def test_invariant_check_catches_a_broken_dispatch():
    load, techs, grid, bat = _rich_case()
    r = optimize(load, techs, grid, bat)
    pb = prepare(load, techs, grid, bat)
    broken = r.dispatch.copy()
    broken.loc[5, "grid_import_kw"] += 1.0          # energy from nowhere
    with pytest.raises(InvariantError, match="energy balance does not close"):
        check_dispatch(pb, broken, r.capacities)
    broken = r.dispatch.copy()
    broken["battery_soc_kwh"] *= 1.01
    with pytest.raises(InvariantError, match="state"):
        check_dispatch(pb, broken, r.capacities)


def test_ipm_and_simplex_agree():
    load, techs, grid, bat = _rich_case()
    a = optimize(load, techs, grid, bat, options=Options(solver="simplex"))
    b = optimize(load, techs, grid, bat, options=Options(solver="ipm"))
    assert a.objective == pytest.approx(b.objective, rel=1e-8)


# --------------------------------------------------------------------------- input checks

def test_bad_inputs_are_collected_with_keys():
    bad = Technology("pv", "rooftop", np.full(T - 1, 0.5), -1.0, max_kw=100)
    with pytest.raises(ScenarioError) as err:
        optimize(flat(100.0), [bad, Technology("pv", "tidal", flat(0.1), 1.0)],
                 Grid(import_price=flat(2000), export_cap_share=1.5),
                 Battery(capex_per_kwh=1.0, eta_charge=1.2))
    text = str(err.value)
    for key in ("technologies[0].profile_per_kw", "technologies[0].capex_per_kw",
                "technologies[1].name", "technologies[1].kind", "battery.eta_charge",
                "grid.export_cap_share"):
        assert key in text


def test_profile_in_kw_instead_of_per_kw_is_refused():
    with pytest.raises(ScenarioError, match="per kW of capacity"):
        optimize(flat(100.0), [Technology("pv", "ground", flat(80.0), 1.0)],
                 Grid(import_price=flat(2000)))


def test_exportable_technology_needs_a_roof_limit():
    roof = Technology("roof", "rooftop", flat(0.2), 1.0)
    with pytest.raises(ScenarioError, match="finite max_kw"):
        optimize(flat(100.0), [roof], Grid(import_price=flat(2000), export_price=100.0,
                                           export_cap_share=0.2))


def test_capacity_charge_needs_months():
    with pytest.raises(ScenarioError, match="grid.month_of_hour"):
        optimize(flat(100.0), [], Grid(import_price=flat(2000),
                                       capacity_charge_per_kw_month=1000.0))


def test_series_load_lends_its_index():
    index = pd.date_range("2025-03-03", periods=T, freq="h", tz=TZ)
    r = optimize(pd.Series(100.0, index=index), [], Grid(import_price=flat(1500)))
    assert r.dispatch.index.equals(index)
    assert r.objective == pytest.approx(W * 100 * 48 * 1500, rel=1e-12)
    assert r.annual_kwh()["grid_import_kwh"] == pytest.approx(876_000, rel=1e-12)


def test_time_limit_is_an_error_not_a_result():
    from energy_model.errors import EnergyModelError

    load, techs, grid, bat = _rich_case()
    with pytest.raises(EnergyModelError, match="time_limit"):
        optimize(load, techs, grid, bat, options=Options(time_limit_s=1e-9))


def test_tiny_profile_values_do_not_upset_highs():
    """A dawn output of 1e-12 kW/kW is below HiGHS' small_matrix_value (1e-9)."""
    prof = daily({6: 1e-12, 10: 1.0})
    r = optimize(flat(100.0), [Technology("pv", "ground", prof, 0.0, fixed_om_per_kw_yr=1.0,
                                          max_kw=50.0)], Grid(import_price=flat(2000)))
    assert r.capacities["pv_kw"] == pytest.approx(50.0)
