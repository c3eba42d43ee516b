"""Invariants: each checker passes a correct dispatch and raises InvariantError on a
corrupted one (a checker that cannot fail is a defect).

The reference dispatch is a real 48-hour LP optimum (rooftop PV, wind, a battery with
losses, an import cap and a TOU tariff), so the checks run on what the solver writes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from energy_model import invariants as inv
from energy_model.bands import BANDS
from energy_model.errors import InvariantError
from energy_model.metrics import check_dispatch as metrics_check
from energy_model.sizing import Battery, Grid, Technology, optimize

T = 48
ETA_C, ETA_D, SOC_MIN = 0.96, 0.94, 0.1


def _daily(values: dict[int, float], default: float = 0.0) -> np.ndarray:
    day = np.full(24, default)
    for h, v in values.items():
        day[h] = v
    return np.tile(day, T // 24)


@pytest.fixture(scope="module")
def solved():
    rng = np.random.default_rng(3)
    load = 800 + 400 * rng.random(T)
    roof = Technology("roof", "rooftop", _daily({h: np.sin(np.pi * (h - 6) / 12)
                                                 for h in range(7, 18)}), 8e6, 100e3, 25,
                      max_kw=1500)
    wind = Technology("wind", "wind", 0.5 * rng.random(T), 20e6, 400e3, 20, max_kw=800)
    price = _daily({h: 3400.0 for h in (17, 18, 19)} | {h: 1190.0 for h in range(4)},
                   default=1833.0)
    grid = Grid(import_price=price, export_price=1000.0, export_cap_share=0.5,
                import_cap_kw=_daily({18: 700.0}, default=1100.0))
    bat = Battery(capex_per_kwh=3e6, capex_per_kw=1e6, soc_min=SOC_MIN, eta_charge=ETA_C,
                  eta_discharge=ETA_D, throughput_cost_per_kwh=50.0, max_kwh=5000.0)
    from energy_model.sizing import Options

    index = pd.date_range("2030-06-01", periods=T, freq="h", tz="Asia/Ho_Chi_Minh")
    r = optimize(pd.Series(load, index=index), [roof, wind], grid, bat,
                 options=Options(index=index))
    assert r.capacities["battery_kwh"] > 100  # the case exercises the battery
    return r, bat


def test_reference_dispatch_passes_every_check(solved):
    r, bat = solved
    d = r.dispatch
    metrics_check(d, "ref")
    inv.check_soc(d, r.capacities["battery_kwh"], SOC_MIN, "ref")
    inv.check_battery_exclusive(d, ETA_C, ETA_D, "ref")
    inv.check_capacities(r.capacities, {"roof_kw": (0, 1500), "wind_kw": (0, 800),
                                        "battery_kwh": (0, 5000), "battery_kw": (0, np.inf)})
    inv.check_finite(d, what="ref")


# ------------------------------------------------------------------ energy balance
def test_balance_violation_raises(solved):
    d = solved[0].dispatch.copy()
    d.iloc[7, d.columns.get_loc("grid_import_kw")] += 1.0  # 1 kW from nowhere
    with pytest.raises(InvariantError, match="energy balance misses by 1 kW"):
        metrics_check(d, "park")


def test_balance_tolerance_is_round_off_only(solved):
    d = solved[0].dispatch.copy()
    tol = 1e-6 * d["load_kw"].max()
    d.iloc[7, d.columns.get_loc("grid_import_kw")] += 0.5 * tol
    metrics_check(d, "park")  # solver round-off passes
    d.iloc[7, d.columns.get_loc("grid_import_kw")] += 2 * tol
    with pytest.raises(InvariantError):
        metrics_check(d, "park")


# ------------------------------------------------------------------ state of charge
@pytest.mark.parametrize("factor,hour", [(1.05, None), (0.0, 20)])
def test_soc_outside_bounds_raises(solved, factor, hour):
    r, _ = solved
    d = r.dispatch.copy()
    e = r.capacities["battery_kwh"]
    col = d.columns.get_loc("battery_soc_kwh")
    if hour is None:
        d.iloc[int(np.argmax(d["battery_soc_kwh"])), col] = factor * e  # above E
    else:
        d.iloc[hour, col] = 0.0  # below soc_min × E
    with pytest.raises(InvariantError, match="state of charge outside"):
        inv.check_soc(d, e, SOC_MIN, "park")


# ------------------------------------------------------------------ charge and discharge
def test_simultaneous_charge_and_discharge_raises(solved):
    d = solved[0].dispatch.copy()
    hour = int(np.argmin(d["curtailment_kw"].to_numpy() + d["battery_charge_kw"].to_numpy()))
    d.iloc[hour, d.columns.get_loc("battery_charge_kw")] += 50.0
    d.iloc[hour, d.columns.get_loc("battery_discharge_kw")] += 50.0
    metrics_check(d, "park")  # the balance still closes: only this check sees it
    with pytest.raises(InvariantError, match="charges and discharges in the same hour"):
        inv.check_battery_exclusive(d, ETA_C, ETA_D, "park")


def test_loop_dumping_a_curtailed_surplus_is_allowed_within_it():
    index = pd.date_range("2030-06-01 10:00", periods=2, freq="h", tz="Asia/Ho_Chi_Minh")
    d = pd.DataFrame({"load_kw": [100.0, 100.0], "battery_charge_kw": [50.0, 50.0],
                      "battery_discharge_kw": [50.0, 50.0], "curtailment_kw": [30.0, 2.0]},
                     index=index)
    loss = 50.0 * (1 - ETA_C * ETA_D)  # 4.88 kW burnt by the loop
    assert 2.0 < loss < 30.0
    with pytest.raises(InvariantError, match=r"1 hour\(s\), first 2030-06-01 11:00"):
        inv.check_battery_exclusive(d, ETA_C, ETA_D, "park")
    inv.check_battery_exclusive(d.iloc[:1], ETA_C, ETA_D, "park")


# ------------------------------------------------------------------ capacities
@pytest.mark.parametrize("caps,limits,match", [
    ({"roof_kw": 1500.1}, {"roof_kw": (0, 1500)}, "roof_kw = 1500.1 outside"),
    ({"battery_kwh": -1.0}, {"battery_kwh": (0, np.inf)}, "battery_kwh = -1"),
    ({"wind_kw": 499.0}, {"wind_kw": (500, 500)}, "wind_kw = 499"),       # a fixed fleet
    ({"battery_kw": np.nan}, {"battery_kw": (0, 10)}, "battery_kw = nan"),
])
def test_capacity_outside_limits_raises(caps, limits, match):
    with pytest.raises(InvariantError, match=match):
        inv.check_capacities(caps, limits, "park")


def test_capacity_at_its_limit_passes():
    inv.check_capacities({"roof_kw": 1500.0 * (1 + 1e-9), "battery_kwh": -1e-9,
                          "wind_kw": 500.0}, {"roof_kw": (0, 1500), "wind_kw": (500, 500)})


# ------------------------------------------------------------------ no NaN in outputs
def test_nan_in_hourly_output_raises(solved):
    d = solved[0].dispatch.copy()
    d["import_cap_kw"] = np.nan  # NaN here means "no cap": allowed
    inv.check_finite(d, inv.NULLABLE_HOURLY, "park hourly")
    d.iloc[3, d.columns.get_loc("pv_kw")] = np.nan
    with pytest.raises(InvariantError, match=r"pv_kw \(NaN in 1 row"):
        inv.check_finite(d, inv.NULLABLE_HOURLY, "park hourly")


def test_infinity_raises_even_where_nan_is_allowed():
    t = pd.DataFrame({"import_cap_kw": [np.inf, np.nan], "load_kw": [1.0, 2.0]})
    with pytest.raises(InvariantError, match="import_cap_kw \\(infinite\\)"):
        inv.check_finite(t, inv.NULLABLE_HOURLY)


def test_nan_in_summary_raises():
    s = pd.DataFrame({"park_id": ["a", "PROVINCE"], "npv_billion_vnd": [12.0, np.nan],
                      "irr_real_pct": [np.nan, np.nan]})
    with pytest.raises(InvariantError, match="npv_billion_vnd"):
        inv.check_finite(s, inv.NULLABLE_SUMMARY, "summary.csv")
    inv.check_finite(s.assign(npv_billion_vnd=[12.0, 12.0]), inv.NULLABLE_SUMMARY)


# ------------------------------------------------------------------ capacity-factor bands
def _year(cf_shape: np.ndarray) -> pd.DatetimeIndex:
    return pd.date_range("2030-01-01", periods=len(cf_shape), freq="h", tz="Asia/Ho_Chi_Minh")


@pytest.mark.parametrize("name", sorted(BANDS))
def test_each_band_passes_inside_and_raises_outside(name):
    band = BANDS[name]
    assert band.basis and band.unit and band.low < band.high
    span = band.high - band.low
    assert band.check((band.low + band.high) / 2) == (band.low + band.high) / 2
    band.check(band.low)
    band.check(band.high)
    for value in (band.low - 0.01 * span, band.high + 0.01 * span):
        with pytest.raises(InvariantError, match="outside the plausible band"):
            band.check(value, "park x")


def test_pv_capacity_factor_band_on_a_year():
    hours = np.arange(8760) % 24
    shape = np.clip(np.sin(np.pi * (hours + 0.5 - 6) / 12), 0, None)  # clear 12-h days
    idx = _year(shape)
    for target, ok in ((0.12, True), (0.25, False), (0.05, False)):
        pv = pd.Series(shape / shape.mean() * target * 1000.0, index=idx)  # 1 MW
        d = pd.DataFrame({"pv_kw": pv, "wind_kw": 0.0})
        assert inv.capacity_factor(d["pv_kw"], 1000.0) == pytest.approx(target)
        if ok:
            inv.check_capacity_factors(d, 1000.0, 0.0, "park")
        else:
            with pytest.raises(InvariantError, match="park PV: fixed-tilt PV AC capacity"):
                inv.check_capacity_factors(d, 1000.0, 0.0, "park")


def test_wind_capacity_factor_band_on_a_year():
    idx = _year(np.zeros(8760))
    d = pd.DataFrame({"pv_kw": 0.0, "wind_kw": np.full(8760, 700.0)}, index=idx)
    with pytest.raises(InvariantError, match="park wind: wind capacity factor = 0.7"):
        inv.check_capacity_factors(d, 0.0, 1000.0, "park")
    inv.check_capacity_factors(d.assign(wind_kw=250.0), 0.0, 1000.0, "park")
    inv.check_capacity_factors(d, 0.0, 0.5, "park")  # below 1 kW: not checked


# ------------------------------------------------------------------ every run is checked
def test_a_run_that_breaks_an_invariant_fails_loudly_and_writes_nothing(tmp_path, run_cli,
                                                                         monkeypatch):
    """Every run checks every invariant before anything is written: a corrupted park (PV
    output tripled and the surplus curtailed, so the balance still closes but the PV
    capacity factor leaves its band) exits 4 and leaves no results folder."""
    from pathlib import Path

    from energy_model.pipeline import run as pipeline_run

    real = pipeline_run.park_task

    def corrupted(*args, **kwargs):
        result, stage = real(*args, **kwargs)
        d = result.sizing.dispatch
        extra = 2.0 * d["pv_kw"]
        d["pv_kw"] += extra
        d["curtailment_kw"] += extra
        return result, stage

    monkeypatch.setattr(pipeline_run, "park_task", corrupted)
    example = Path(__file__).resolve().parents[1] / "scenarios" / \
        "example_single_park.yaml"
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("run", example, "--out", out, "--no-report", "--quiet",
                                   "--workers", "1", "--set", "parks[0].battery.allowed=false")
    assert code == 4, stderr
    assert "invariant violated" in stderr
    assert "demo_park PV: fixed-tilt PV AC capacity factor" in stderr
    assert "Traceback" not in stderr
    assert not out.exists() or list(out.iterdir()) == []
