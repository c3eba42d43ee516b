"""Our sizing LP against an identical PyPSA model (one bus, PV, wind, a fixed-duration
battery, the EVN TOU import price and an import cap), solved by ``n.optimize()``.

Done-when of issue 7: objective within 1e-6 relative; capacities within 1e-3 relative or
1 kW absolute (the optimum is flat, so equal objectives may leave capacities slightly apart).
Issue 11: both solution paths, the monolithic LP and the fast exact decomposition.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from energy_model.sizing import (Battery, Finance, Grid, Options, Technology, optimize,
                                 prepare)
from energy_model.testing.synthetic import synthetic_park

from energy_model.testing.pypsa_mirror import pypsa_network, pypsa_optimize


def _problem(hours: int):
    """The first ``hours`` of a synthetic park-year (a 20 MW two-shift park)."""
    park = synthetic_park(8760)
    sl = slice(0, hours)
    techs = [Technology("pv", "ground", park.pv_per_kw[sl], 11e6, 150e3, 25, max_kw=60_000),
             Technology("wind", "wind", park.wind_per_kw[sl], 18e6, 500e3, 20, max_kw=30_000)]
    battery = Battery(capex_per_kwh=4.5e6, capex_per_kw=1.5e6, fixed_om_per_kw_yr=100e3,
                      life_years=15, eta_charge=0.95, eta_discharge=0.95, duration_h=3.0,
                      throughput_cost_per_kwh=100.0)
    cap = 0.8 * park.load_kw.max()
    grid = Grid(import_price=park.import_price[sl], import_cap_kw=cap)
    return park.load_kw[sl], techs, grid, battery, Finance(0.08), cap


@functools.cache
def _reference(hours: int) -> dict:
    """PyPSA's solution, computed once per horizon for both of our paths."""
    load, techs, grid, battery, finance, _ = _problem(hours)
    return pypsa_optimize(prepare(load, techs, grid, battery, finance))


def _compare(hours: int, method: str = "auto"):
    load, techs, grid, battery, finance, cap = _problem(hours)
    ours = optimize(load, techs, grid, battery, finance, options=Options(method=method))
    if method != "auto":
        assert ours.path == method, ours.fallback
    ref = _reference(hours)
    assert ref["status"] == "ok/optimal"
    assert ours.objective == pytest.approx(ref["objective"], rel=1e-6)
    for key, value in ref["capacities"].items():
        assert abs(ours.capacities[key] - value) <= max(1e-3 * abs(value), 1.0), key
    # the comparison must exercise every part: all three capacities built, the cap binding
    assert min(ours.capacities["pv_kw"], ours.capacities["wind_kw"],
               ours.capacities["battery_kw"]) > 1000.0
    assert (ours.dispatch["grid_import_kw"] >= cap - 1e-6).sum() >= 10
    # the import cap and prices really are PyPSA's
    n = ref["network"]
    grid_p = n.generators_t.p["grid"].to_numpy()
    assert grid_p.max() <= cap + 1e-6
    np.testing.assert_allclose(n.generators_t.marginal_cost["grid"].to_numpy(),
                               grid.import_price)
    return ours, ref


@pytest.mark.parametrize("method", ["monolithic", "fast"])
def test_two_weeks_match_pypsa(method):
    _compare(336, method)


@pytest.mark.slow
@pytest.mark.parametrize("method", ["monolithic", "fast"])
def test_full_year_matches_pypsa(method):
    ours, _ = _compare(8760, method)
    assert ours.year_weight == 1.0
    if method == "fast":
        assert ours.gap <= 1e-6 and ours.outer_iterations >= 2


def test_mirror_refuses_what_it_cannot_model():
    load, techs, grid, battery, finance, _ = _problem(48)
    free_duration = Battery(capex_per_kwh=1e6)
    with pytest.raises(NotImplementedError, match="fixed duration"):
        pypsa_network(prepare(load, techs, grid, free_duration, finance))


@pytest.mark.slow
def test_benchmark_script_runs(capsys):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "sizing_vs_pypsa.py"
    spec = importlib.util.spec_from_file_location("sizing_vs_pypsa", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--hours", "48", "--variants", "3"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    ratio, diff = (float(part.split("=")[1]) for part in last.split())
    assert last.startswith("min_ratio_vs_pypsa=") and diff < 1e-6 and ratio > 0
