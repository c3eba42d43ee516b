"""Decree 243/2026 in the sizing LP: PV-charged battery export and an hourly hosting limit
on reverse flow, on 48-hour cases worked by hand.

Common case: load 100 kW in every hour; a rooftop array producing 1 kW/kW at 10–13 h;
import 1,000 VND/kWh except the evening 17–21 h at 3,000; export pays 2,500 VND/kWh in
17–21 h and nothing otherwise (so the PV's only use of export is through the battery);
export cap 50 % of the rooftop energy (Decree 243 energy basis, never binding here); a
free 200 kW / 2,000 kWh battery with eta_charge 1, eta_discharge 0.8 (round trip 0.8).
Operating costs of 48 h are scaled to a year by W = 8760 / 48 = 182.5.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from energy_model.errors import ScenarioError
from energy_model.sizing import Battery, Finance, Grid, Options, Technology, optimize, prepare
from energy_model.sizing.lp import build_lp
from energy_model.sizing.solve import solve_lp

T = 48
W = 8760 / 48
HOUR = np.arange(T) % 24
EVENING = (HOUR >= 17) & (HOUR <= 21)
SUN = ((HOUR >= 10) & (HOUR <= 13)).astype(float)
LOAD = np.full(T, 100.0)
BAT = Battery(capex_per_kwh=0.0, eta_charge=1.0, eta_discharge=0.8, fixed_kw=200.0,
              fixed_kwh=2000.0)


def _roof(kw: float, fixed: bool = True) -> Technology:
    return Technology("roof", "rooftop", SUN, 0.0 if fixed else 1.0, max_kw=kw,
                      fixed_kw=kw if fixed else None)


def _grid(**kw) -> Grid:
    return Grid(import_price=np.where(EVENING, 3000.0, 1000.0),
                export_price=np.where(EVENING, 2500.0, 0.0), export_cap_share=0.5,
                export_cap_basis="energy", **kw)


def test_pv_charged_energy_is_exported_in_the_evening_by_hand():
    """Roof 300 kW: PV surplus 200 kW × 4 h = 800 kWh/day charged (power limit 200 kW)
    → 640 kWh AC. Evening: 5 h × 200 kW = 1,000 kWh AC out at most; load 500 kWh.
    Per AC kWh: PV exported 2,500; PV to the evening load 3,000 but grid-charged energy
    (1,000 / 0.8 = 1,250 per AC kWh) could serve it, net 1,750. So the PV's 640 kWh: 500
    exported (power limit: 1,000 − 500 load), 140 to the load; grid-charged 360 AC (450 kWh
    bought at 1,000) to the rest of the evening load. Per day: import 1,500 kWh (15 hours
    outside sun and evening) + 450 = 1,950 kWh → 1,950,000; export 500 × 2,500 =
    1,250,000; net 700,000. Two days: 1,400,000 × W = 255,500,000 VND/yr.

    Today's rule (no battery export): the PV's 640 kWh AC serve the evening load 500 and
    140 more load at 1,000; per day import 1,500 − 140 = 1,360 kWh, 2,720,000 over 48 h,
    × W = 496,400,000.
    """
    none = optimize(LOAD, [_roof(300.0)], _grid(), BAT)
    pv = optimize(LOAD, [_roof(300.0)], _grid(battery_export="pv_charged"), BAT)
    assert none.objective == pytest.approx(W * 2_720_000, rel=1e-9)
    assert pv.objective == pytest.approx(W * 1_400_000, rel=1e-9)
    d = pv.dispatch
    assert d["grid_export_kw"].sum() == pytest.approx(1000.0, abs=1e-6)
    assert d["battery_export_kw"].sum() == pytest.approx(1000.0, abs=1e-6)
    assert d["grid_export_kw"][~EVENING].sum() == pytest.approx(0.0, abs=1e-6)
    assert d["grid_import_kw"][EVENING].sum() == pytest.approx(0.0, abs=1e-6)
    # physically: 800 kWh/day from the PV in the sun hours, 450 kWh/day bought outside
    # them; the PV label needs to cover only the 1,000 kWh AC sold (1,000 / 0.8 = 1,250)
    sun = SUN > 0
    assert d["battery_charge_kw"][sun].sum() == pytest.approx(1600.0, abs=1e-6)
    assert d["battery_charge_kw"][~sun].sum() == pytest.approx(900.0, abs=1e-6)
    assert d["battery_charge_pv_kw"][~sun].sum() == pytest.approx(0.0, abs=1e-9)
    assert 1250.0 - 1e-6 <= d["battery_charge_pv_kw"].sum() <= 1600.0 + 1e-6
    assert none.dispatch["grid_export_kw"].sum() == pytest.approx(0.0, abs=1e-9)


def test_grid_charged_energy_is_never_sold_by_hand():
    """Roof 150 kW: PV surplus only 50 kW × 4 h = 200 kWh/day → 160 kWh AC. Exporting
    pays 2,500 per AC kWh and grid-charged energy costs 1,250, so the LP would sell grid
    energy if it could; it may sell only the PV's 160 kWh AC per day (= 0.8 × 200), and
    serves the evening load 500 with 625 kWh charged from the grid. Per day: import
    1,500 + 625 = 2,125 kWh → 2,125,000; export 160 × 2,500 = 400,000; net 1,725,000.
    Two days × W = 3,450,000 × 182.5 = 629,625,000 VND/yr.

    The PV must serve the load first: in the sun hours the park imports to charge at up
    to 200 kW, and that import, relabelled as "load served by the grid while the PV
    charges", would credit 150 kWh/h of PV instead of 50. Without the surplus rule (the
    relaxed first-solve accounting) the LP does exactly that and sells more.
    """
    roof = _roof(150.0)
    pv = optimize(LOAD, [roof], _grid(battery_export="pv_charged"), BAT)
    assert pv.objective == pytest.approx(W * 3_450_000, rel=1e-9)
    d = pv.dispatch
    assert d["battery_charge_pv_kw"].sum() == pytest.approx(400.0, abs=1e-6)
    assert d["grid_export_kw"].sum() == pytest.approx(320.0, abs=1e-6)
    assert (d["battery_charge_pv_kw"] <= 50.0 + 1e-6).all()
    pb = prepare(LOAD, [roof], _grid(battery_export="pv_charged"), BAT)
    assert pb.surplus_hours.sum() == 8 and pb.surplus_hours[SUN > 0].all()
    relaxed = build_lp(dataclasses.replace(pb, surplus_hours=None))
    sol = solve_lp(relaxed)
    # relaxed: 150 kWh/h credited → 600 kWh/day → 480 kWh AC/day could be sold; the
    # energy cap on the TOTAL export (0.5 × 2 × 600 kWh = 600 kWh) binds instead
    exported = sol.x[relaxed.layout.col("exp")].sum()
    assert exported == pytest.approx(600.0, abs=1e-6)
    assert sol.objective < pv.objective - 1e6


def test_battery_export_honours_the_hourly_hosting_limit_by_hand():
    """Roof 300 kW, export ≤ 50 kW in every hour: evening export 5 × 50 = 250 kWh/day of
    PV energy; the rest of the PV's 640 kWh AC (390) serves the evening load, grid-charged
    110 kWh AC (137.5 kWh bought) the remaining 110. Per day: import 1,500 + 137.5 →
    1,637,500; export 250 × 2,500 = 625,000; net 1,012,500. × 2 × W = 369,562,500."""
    pv = optimize(LOAD, [_roof(300.0)], _grid(battery_export="pv_charged",
                                              export_limit_kw=50.0), BAT)
    assert pv.objective == pytest.approx(W * 2_025_000, rel=1e-9)
    assert pv.dispatch["grid_export_kw"].max() == pytest.approx(50.0, abs=1e-6)


def test_hourly_hosting_limit_on_rooftop_export_by_hand():
    """No battery; load 100 kW; roof 300 kW at 10–13 h → surplus 200 kW; import 2,000,
    export 1,000 VND/kWh; energy cap 50 % of 2 × 1,200 kWh = 1,200 kWh (binding without a
    limit: 1,600 kWh of surplus). Imports: 2 × 20 h × 100 kW × 2,000 = 8,000,000.
    - no limit: export 1,200 → 8,000,000 − 1,200,000 = 6,800,000;
    - 120 kW: 8 h × 120 = 960 → 7,040,000;
    - hourly 100 kW, 30 kW at 12–13 h: 2 × (100 + 100 + 30 + 30) = 520 → 7,480,000;
    - 0 kW: no export → 8,000,000. (× W each.)"""
    grid = Grid(import_price=np.full(T, 2000.0), export_price=1000.0, export_cap_share=0.5,
                export_cap_basis="energy")
    hourly = np.where((HOUR == 12) | (HOUR == 13), 30.0, 100.0)
    cases = [(np.inf, 6_800_000, 1200.0), (120.0, 7_040_000, 960.0),
             (hourly, 7_480_000, 520.0), (0.0, 8_000_000, 0.0)]
    for limit, cost, exported in cases:
        r = optimize(LOAD, [_roof(300.0)], dataclasses.replace(grid, export_limit_kw=limit))
        assert r.objective == pytest.approx(W * cost, rel=1e-9), limit
        assert r.dispatch["grid_export_kw"].sum() == pytest.approx(exported, abs=1e-6)
        assert (r.dispatch["grid_export_kw"] <= np.broadcast_to(limit, T) + 1e-6).all()


def test_defaults_reproduce_todays_lp_exactly():
    """battery_export="none" and export_limit_kw=inf (the defaults) build the very LP of
    before (no new columns or rows, same bounds) and give the same objective; pv_charged
    without a battery is the same LP too."""
    roof = _roof(300.0)
    base = build_lp(prepare(LOAD, [roof], _grid(), BAT))
    explicit = build_lp(prepare(LOAD, [roof], _grid(battery_export="none",
                                                    export_limit_kw=np.full(T, np.inf)), BAT))
    assert base.layout.n_cols == 3 + 4 * T and base.layout.n_rows == explicit.layout.n_rows
    assert (base.a != explicit.a).nnz == 0
    np.testing.assert_array_equal(base.ub, explicit.ub)
    np.testing.assert_array_equal(base.c, explicit.c)
    assert set(base.layout.rows) == {"balance", "dis_min", "dis_max", "ch_max", "soc_max",
                                     "exp_src", "exp_energy"}
    a = optimize(LOAD, [roof], _grid())
    b = optimize(LOAD, [roof], _grid(battery_export="pv_charged"))
    assert a.objective == b.objective
    assert list(a.dispatch.columns) == list(b.dispatch.columns)


def test_sized_roof_with_battery_export_two_passes():
    """A roof to size (1,000 VND/kW capex, cheap): the surplus hours come from a first
    solve with the relaxed accounting.
    - Roof ≤ 300 kW: the relaxed optimum (300 kW) already meets the rule at the same cost,
      so it is optimal outright (fast path kept): the fixed-roof hand case + roof cost.
    - Roof ≤ 150 kW: the relaxed optimum relabels imports as PV charge (test above), so
      the dispatch at 150 kW costs more under the rule; the second solve keeps output ≥
      load in the surplus hours, is monolithic (stated), and gives the fixed-roof hand
      case: 3,450,000 × W + roof cost. Every hour's PV charge plus direct export is within
      the surplus over the load."""
    for kw, fast_kept in ((300.0, True), (150.0, False)):
        roof = Technology("roof", "rooftop", SUN, 1000.0, max_kw=kw)
        fixed = dataclasses.replace(roof, fixed_kw=kw)
        grid = _grid(battery_export="pv_charged")
        r = optimize(LOAD, [roof], grid, BAT, options=Options(method="fast"))
        ref = optimize(LOAD, [fixed], grid, BAT, options=Options(method="monolithic"))
        assert r.capacities["roof_kw"] == pytest.approx(kw, rel=1e-9)
        assert r.objective == pytest.approx(ref.objective, rel=1e-9)
        if fast_kept:
            assert r.path == "fast" and r.fallback == ""
        else:
            assert r.path == "monolithic" and "PV-charged battery export" in r.fallback
        d = r.dispatch
        surplus = np.maximum(d["pv_kw"] - d["load_kw"], 0.0)
        direct = d["grid_export_kw"] - d["battery_export_kw"]
        assert (d["battery_charge_pv_kw"] + direct <= surplus + 1e-6).all()
        assert d["battery_export_kw"].sum() <= 0.8 * d["battery_charge_pv_kw"].sum() + 1e-6
    # the last reference is the 150 kW hand case plus the roof's annuity
    assert ref.objective == pytest.approx(W * 3_450_000 + 150.0 * Finance().crf(25.0) * 1000.0,
                                          rel=1e-9)


def test_bad_values_are_located():
    with pytest.raises(ScenarioError) as exc:
        prepare(LOAD, [_roof(300.0)], _grid(battery_export="yes", export_limit_kw=-1.0), BAT)
    keys = {p.key for p in exc.value.problems}
    assert keys == {"grid.battery_export", "grid.export_limit_kw"}


def test_fast_path_honours_the_hosting_limit_and_pv_charged_export():
    """The fast path gives the monolithic objective: a roof to size under an hourly limit
    (a column bound), and a battery to size with PV-charged export behind a fixed roof
    (the surplus hours are then known in advance)."""
    limit = np.where(EVENING, 60.0, 40.0)
    roof = Technology("roof", "rooftop", SUN, 5_000.0, max_kw=300.0)
    bat = dataclasses.replace(BAT, capex_per_kwh=2_000.0, fixed_kw=None, fixed_kwh=None,
                              max_kw=400.0, max_kwh=3000.0)
    midday_pays = dataclasses.replace(_grid(export_limit_kw=limit),
                                      export_price=np.where(EVENING, 2500.0, 500.0))
    for techs, grid, b in (([roof], midday_pays, None),
                           ([_roof(300.0)], _grid(battery_export="pv_charged",
                                                  export_limit_kw=limit), bat)):
        fast = optimize(LOAD, techs, grid, b, options=Options(method="fast"))
        mono = optimize(LOAD, techs, grid, b, options=Options(method="monolithic"))
        assert fast.path == "fast"
        assert fast.objective == pytest.approx(mono.objective, rel=1e-6)
        assert (fast.dispatch["grid_export_kw"] <= limit + 1e-6).all()
        assert fast.dispatch["grid_export_kw"].sum() > 100.0      # the limit matters
