"""The closed-form dispatch of a fixed design without storage (energy_model.sizing.separable)
against HiGHS on the same LP, and on a 4-hour case worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from energy_model.errors import InfeasibleError
from energy_model.sizing import Battery, Grid, Options, Technology, optimize, prepare
from energy_model.sizing.lp import build_lp
from energy_model.sizing.separable import solve_separable
from energy_model.sizing.solve import solve_lp

T = 24 * 14
HOUR = np.arange(T) % 24
SUN = np.clip(np.sin(np.pi * (HOUR - 6) / 12), 0.0, None)
EVENING = (HOUR >= 17) & (HOUR <= 21)


def _case(seed: int, basis: str, share: float, charge: float, fixed_battery: bool,
          export_price_kind: str):
    rng = np.random.default_rng(seed)
    load = 800.0 + 400.0 * rng.random(T)
    roof = Technology("roof", "rooftop", SUN * (0.6 + 0.4 * rng.random(T)), 1.5e7,
                      max_kw=3000.0, fixed_kw=1500.0 + 500.0 * seed)
    wind = Technology("wind", "wind", 0.3 * rng.random(T), 2.5e7, max_kw=900.0,
                      fixed_kw=300.0)
    price = np.where(EVENING, 3000.0, 1500.0)
    export = {"flat": 800.0, "tou": np.where(HOUR < 12, 600.0, 1200.0),
              "mixed": np.where(HOUR < 11, 0.0, 700.0), "zero": 0.0}[export_price_kind]
    grid = Grid(import_price=price, export_price=export, export_cap_share=share,
                export_cap_basis=basis, capacity_charge_per_kw_month=charge,
                month_of_hour=(np.arange(T) // 168) if charge else None,
                emission_factor_t_per_mwh=0.0)
    battery = Battery(capex_per_kwh=5e6, fixed_kw=0.0, fixed_kwh=0.0) if fixed_battery else None
    return load, [roof, wind], grid, battery


CASES = [(0, "power", 0.2, 0.0, False, "flat"), (1, "power", 0.5, 1e5, True, "tou"),
         (2, "energy", 0.1, 0.0, False, "tou"), (3, "energy", 0.3, 1e5, True, "mixed"),
         (1, "power", 1.0, 0.0, False, "zero"), (2, "energy", 0.05, 0.0, True, "flat")]


@pytest.mark.parametrize("case", CASES)
def test_closed_form_equals_highs(case):
    load, techs, grid, battery = _case(*case)
    model = build_lp(prepare(load, techs, grid, battery))
    closed = solve_separable(model)
    assert closed is not None
    x, row, objective = closed
    highs = solve_lp(model)
    assert objective == pytest.approx(highs.objective, rel=1e-10)
    imp = model.layout.col("imp")
    np.testing.assert_allclose(x[imp], highs.x[imp], atol=1e-6)
    result = optimize(load, techs, grid, battery, options=Options(method="monolithic"))
    assert result.path == "separable" and result.objective == pytest.approx(objective,
                                                                            rel=1e-12)


def test_energy_cap_goes_to_the_dearest_hours_by_hand():
    """4 hours, load 100 kW, a fixed 300 kW roof at 1 kW/kW in every hour: surplus 200 kW an
    hour, 800 kWh. The cap is 25 % of the roof's 1,200 kWh: 300 kWh. Export prices 100,
    400, 300, 200: the budget goes to hour 1 (200 kWh) then hour 2 (100 kWh); revenue
    200 × 400 + 100 × 300 = 110,000 VND over 4 h, × 8760 / 4 a year."""
    roof = Technology("roof", "rooftop", np.ones(4), 0.0, fixed_kw=300.0)
    grid = Grid(import_price=1000.0, export_price=np.array([100.0, 400.0, 300.0, 200.0]),
                export_cap_share=0.25, export_cap_basis="energy")
    model = build_lp(prepare(np.full(4, 100.0), [roof], grid))
    x, _, objective = solve_separable(model)
    np.testing.assert_allclose(x[model.layout.col("exp")], [0.0, 200.0, 100.0, 0.0])
    assert objective == pytest.approx(-110_000 * 8760 / 4, rel=1e-12)


def test_not_applied_with_a_battery_or_a_binding_import_cap():
    load, techs, grid, _ = _case(0, "power", 0.2, 0.0, False, "flat")
    with_battery = build_lp(prepare(load, techs, grid,
                                    Battery(capex_per_kwh=5e6, fixed_kw=100.0,
                                            fixed_kwh=400.0)))
    assert solve_separable(with_battery) is None
    sized = build_lp(prepare(load, [techs[0], Technology("w", "wind", techs[1].profile_per_kw,
                                                         2.5e7, max_kw=900.0)], grid))
    assert solve_separable(sized) is None
    capped = Grid(import_price=1500.0, import_cap_kw=500.0)
    assert solve_separable(build_lp(prepare(load, techs, capped))) is None
    with pytest.raises(InfeasibleError, match="import cap is below the load"):
        optimize(load, techs, capped)
