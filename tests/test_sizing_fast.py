"""The fast exact sizing path (issue 11): same optimum as the monolithic LP, a proven gap,
open fallbacks, and warm starts across a sweep.

The 48-hour hand-worked cases of ``test_sizing.py`` and the PyPSA equivalence of
``test_sizing_pypsa.py`` run through both paths; here are the properties of the path
itself, on two weeks of the synthetic park (each solve well under a second).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from energy_model.errors import InfeasibleError, ScenarioError
from energy_model.sizing import Battery, Finance, Grid, Options, Technology, optimize, prepare
from energy_model.sizing.decomposition import (dispatch_fingerprint, penalty_price,
                                               representative_days)
from energy_model.sizing.lp import build_lp
from energy_model.testing.synthetic import synthetic_park

HOURS = 336
FAST = Options(method="fast")
MONO = Options(method="monolithic")


def _case(hours: int = HOURS, pv_capex: float = 11e6, kwh_capex: float = 4.5e6,
          duration_h: float | None = 3.0, cap_share: float = 0.8):
    park = synthetic_park(max(hours, 48))
    sl = slice(0, hours)
    techs = [Technology("pv", "ground", park.pv_per_kw[sl], pv_capex, 150e3, 25,
                        max_kw=60_000),
             Technology("wind", "wind", park.wind_per_kw[sl], 18e6, 500e3, 20, max_kw=30_000)]
    bat = Battery(capex_per_kwh=kwh_capex, capex_per_kw=1.5e6, fixed_om_per_kw_yr=100e3,
                  eta_charge=0.95, eta_discharge=0.95, duration_h=duration_h,
                  throughput_cost_per_kwh=100.0)
    grid = Grid(import_price=park.import_price[sl],
                import_cap_kw=cap_share * park.load_kw.max())
    return park.load_kw[sl], techs, grid, bat, Finance(0.08)


def test_fast_equals_monolithic_with_a_proven_gap():
    args = _case(duration_h=None)             # four capacities: pv, wind, kWh, kW
    mono = optimize(*args, options=MONO)
    fast = optimize(*args, options=FAST)
    assert fast.path == "fast" and fast.fallback == "" and fast.status == "Optimal"
    assert 0.0 <= fast.gap <= 1e-6 and fast.outer_iterations >= 3
    assert fast.objective == pytest.approx(mono.objective, rel=1e-6)
    # the proven bound: the monolithic optimum is never below ours by more than the gap
    assert fast.objective >= mono.objective * (1 - 1e-9)
    for key, value in mono.capacities.items():
        assert fast.capacities[key] == pytest.approx(value, rel=2e-3, abs=1.0), key
    # PV and both battery capacities are built and the import cap binds
    assert min(fast.capacities[k] for k in ("pv_kw", "battery_kw", "battery_kwh")) > 1000.0
    assert (fast.dispatch["grid_import_kw"] >= 0.8 * args[0].max() - 1e-6).sum() >= 10
    assert fast.total_s > 0 and mono.path == "monolithic" and mono.outer_iterations == 0


def test_tighter_gap_is_honoured():
    args = _case(hours=168)
    loose = optimize(*args, options=Options(method="fast", gap_tol=1e-3))
    tight = optimize(*args, options=Options(method="fast", gap_tol=1e-9))
    mono = optimize(*args, options=MONO)
    assert loose.gap <= 1e-3 and tight.gap <= 1e-9
    assert abs(loose.objective - mono.objective) <= 1e-3 * mono.objective
    assert tight.objective == pytest.approx(mono.objective, rel=1e-9)
    assert loose.outer_iterations < tight.outer_iterations


def test_nothing_to_size_falls_back_openly():
    load, techs, grid, bat, fin = _case(hours=48)
    fixed = [dataclasses.replace(t, fixed_kw=1000.0) for t in techs]
    bat = dataclasses.replace(bat, fixed_kw=500.0)
    r = optimize(load, fixed, dataclasses.replace(grid, import_cap_kw=None), bat, fin,
                 options=FAST)
    assert r.path == "monolithic" and "no capacity to size" in r.fallback


def test_iteration_limit_falls_back_to_the_same_optimum():
    args = _case(hours=168)
    r = optimize(*args, options=Options(method="fast", max_outer=2))
    assert r.path == "monolithic" and "no proven gap" in r.fallback
    assert r.objective == pytest.approx(optimize(*args, options=MONO).objective, rel=1e-9)


def test_infeasible_case_still_raises_through_the_fast_path():
    """An import cap far below the load with tiny capacity limits: the elastic slack stays
    in use, so the fast path gives up and the monolithic LP diagnoses the case."""
    load, techs, grid, bat, fin = _case(hours=48, cap_share=0.2)
    small = [dataclasses.replace(t, max_kw=10.0) for t in techs]
    bat = dataclasses.replace(bat, max_kw=10.0)
    with pytest.raises(InfeasibleError, match="import cap is below the load"):
        optimize(load, small, grid, bat, fin, options=FAST)


def test_warm_start_reuses_cuts_across_a_cost_sweep():
    """Capital costs change Q(x) not at all, so the cuts of the previous variant are kept."""
    first = optimize(*_case(), options=FAST)
    cold = optimize(*_case(pv_capex=10e6, kwh_capex=4.0e6), options=FAST)
    warm = optimize(*_case(pv_capex=10e6, kwh_capex=4.0e6), options=FAST, warm_start=first)
    assert warm.path == "fast" and warm.start == "warm start + cuts"
    assert cold.start == "lower bounds"
    assert warm.objective == pytest.approx(cold.objective, rel=1e-6)
    assert warm.outer_iterations < cold.outer_iterations
    assert warm.capacities["pv_kw"] > first.capacities["pv_kw"]   # cheaper PV: more of it


def test_warm_start_with_other_data_keeps_only_the_start_point():
    first = optimize(*_case(), options=FAST)
    load, techs, grid, bat, fin = _case()
    other = optimize(1.1 * load, techs, grid, bat, fin, options=FAST, warm_start=first)
    ref = optimize(1.1 * load, techs, grid, bat, fin, options=MONO)
    assert other.start == "warm start"
    assert other.objective == pytest.approx(ref.objective, rel=1e-6)
    # capacities as a plain dict are a start point too
    again = optimize(*_case(), options=FAST, warm_start=dict(first.capacities))
    assert again.start == "warm start"
    assert again.objective == pytest.approx(first.objective, rel=1e-6)


def test_fingerprint_ignores_capacity_costs_and_limits_only():
    load, techs, grid, bat, fin = _case(hours=48)
    base = dispatch_fingerprint(build_lp(prepare(load, techs, grid, bat, fin)))
    cheaper = [dataclasses.replace(techs[0], capex_per_kw=5e6, max_kw=1e5), techs[1]]
    assert dispatch_fingerprint(build_lp(prepare(load, cheaper, grid, bat, fin))) == base
    other_price = dataclasses.replace(grid, import_price=grid.import_price * 1.01)
    assert dispatch_fingerprint(build_lp(prepare(load, techs, other_price, bat, fin))) != base


def test_penalty_dominates_prices_and_capacity_costs():
    pb = prepare(*_case(hours=48))
    model = build_lp(pb)
    assert penalty_price(model) > 10 * pb.import_price.max() * pb.year_weight
    assert penalty_price(model) > 10 * model.c[model.layout.col("cap")].sum()


def test_representative_days_are_whole_days_in_order_with_the_worst_cap_day():
    pb = prepare(*_case(hours=2184, cap_share=2.0))      # no binding cap: 12 days
    hours = representative_days(pb)
    assert len(hours) == 12 * 24 and np.all(np.diff(hours) > 0)
    assert np.all(hours.reshape(12, 24)[:, 0] % 24 == 0)
    pb = prepare(*_case(hours=2184, cap_share=0.8))
    days = representative_days(pb).reshape(-1, 24)[:, 0] // 24
    short = np.maximum(pb.load_kw - pb.import_cap_kw, 0).reshape(-1, 24).sum(axis=1)
    assert len(days) in (12, 13) and int(short.argmax()) in days


def test_auto_picks_the_path_by_horizon():
    short = optimize(*_case(hours=48), options=Options(method="auto"))
    assert short.path == "monolithic" and short.fallback == ""


@pytest.mark.slow
def test_auto_takes_the_fast_path_on_long_horizons():
    args = _case(hours=2184)                     # 13 weeks: representative-day start
    fast = optimize(*args)
    mono = optimize(*args, options=MONO)
    assert fast.path == "fast" and fast.start == "representative days"
    assert fast.objective == pytest.approx(mono.objective, rel=1e-6)


def test_bad_method_is_a_scenario_error():
    with pytest.raises(ScenarioError, match="options.method"):
        optimize(*_case(hours=48), options=Options(method="kelley"))
    with pytest.raises(ScenarioError, match="options.gap_tol"):
        optimize(*_case(hours=48), options=Options(gap_tol=0.0))


def test_results_with_a_warm_state_pickle_and_still_warm_start():
    """Results cross process boundaries (parallel parks, sweeps): the HiGHS basis inside
    the warm state is stored as integer arrays when pickled."""
    import pickle

    first = optimize(*_case(hours=168), options=FAST)
    back = pickle.loads(pickle.dumps(first))
    assert isinstance(back.warm_state.basis, tuple)
    warm = optimize(*_case(hours=168, pv_capex=10e6), options=FAST, warm_start=back)
    cold = optimize(*_case(hours=168, pv_capex=10e6), options=MONO)
    assert warm.start == "warm start + cuts"
    assert warm.objective == pytest.approx(cold.objective, rel=1e-6)


def test_renewable_share_floor_frontier_on_the_fast_path():
    """The report's cost-vs-self-sufficiency frontier (issue 19): re-solves of one park
    with a rising renewable-share floor stay on the fast path, each warm-started from the
    previous point, and every point is the monolithic LP's optimum."""
    from energy_model.sizing import Policy

    args = _case(duration_h=None)
    base = optimize(*args, options=FAST)
    d = base.dispatch
    share0 = 1.0 - d["grid_import_kw"].sum() / d["load_kw"].sum()
    assert 0.4 < share0 < 0.5                   # 45.8 % without a floor
    prev = base
    for step in (0.05, 0.10, 0.15):
        policy = Policy(min_renewable_share=float(share0 + step))
        mono = optimize(*args, policy=policy, options=MONO)
        warm = optimize(*args, policy=policy, options=FAST, warm_start=prev)
        assert warm.path == "fast" and warm.fallback == "" and warm.start == "warm start"
        assert warm.gap <= 1e-6
        assert warm.objective == pytest.approx(mono.objective, rel=1e-6)
        assert warm.objective >= mono.objective * (1 - 1e-9)
        # the floor binds: imports are exactly (1 - share) of the load
        w = warm.dispatch
        assert w["grid_import_kw"].sum() == pytest.approx(
            (1.0 - share0 - step) * w["load_kw"].sum(), rel=1e-6)
        assert warm.objective > prev.objective   # a higher floor costs more
        prev = warm
