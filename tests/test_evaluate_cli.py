"""``energy-model evaluate``: a fixed design under rule-based and optimal dispatch (issue 18).

The command runs on the one-park example; its inputs are cut to the first two weeks of
January (``assemble`` patched), so each LP solves in well under a second.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import energy_model.pipeline as pipeline
from energy_model.cli.evaluate import parse_fixed
from energy_model.dispatch_rules import evaluate_dispatch, tou_dispatch
from energy_model.errors import UsageError
from energy_model.pipeline import Changes, load_scenario, park_weather_key, scenario_weather, solve
from energy_model.results import read_csv
from energy_model.studies.fixed_design import complete_design, evaluate_design
from energy_model.tariff import get_tariff, period_shares

from conftest import SCENARIOS

EXAMPLE = SCENARIOS / "example_single_park.yaml"
HOURS = 14 * 24
OFFER = "battery_kw=2000,battery_kwh=6000"


@pytest.fixture(scope="module")
def short_assemble():
    real = pipeline.assemble

    def assemble(scenario, park, weather):
        return real(scenario, park, weather).window(HOURS)

    return assemble


@pytest.fixture(scope="module")
def inputs(short_assemble):
    s = load_scenario(EXAMPLE)
    park = s.parks[0]
    return short_assemble(s, park, scenario_weather(s)[park_weather_key(s, park)][0])


@pytest.fixture
def cli(run_cli, monkeypatch, short_assemble):
    monkeypatch.setattr(pipeline, "assemble", short_assemble)
    return run_cli


@pytest.fixture(scope="module")
def both(tmp_path_factory, short_assemble):
    """stdout and CSV table of the offer under both dispatches."""
    from energy_model.cli import main

    out = tmp_path_factory.mktemp("evaluate")
    mp = pytest.MonkeyPatch()
    mp.setattr(pipeline, "assemble", short_assemble)
    try:
        import contextlib
        import io

        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            code = main(["evaluate", str(EXAMPLE), "--park", "demo_park", "--fixed", OFFER,
                         "--dispatch", "both", "--out", str(out)])
    finally:
        mp.undo()
    assert code == 0
    return buf.getvalue(), read_csv(out / "evaluate_demo_park.csv", index_col="key"), out


def test_design_is_the_offer_plus_the_park_today(inputs):
    caps, notes = complete_design(inputs, {"battery_kw": 2000, "battery_kwh": 6000})
    assert caps == {"pv_roof_kw": 0.0, "battery_kw": 2000.0, "battery_kwh": 6000.0}
    assert any(n.startswith("pv_roof_kw = 0: not in --fixed") for n in notes)
    caps, _ = complete_design(inputs, {"battery_kw": 2000, "battery_kwh": 6000,
                                       "pv_roof_kw": 3000})
    assert caps["pv_roof_kw"] == 3000.0


def test_both_dispatches_priced_as_the_pipeline_prices_them(both, inputs):
    text, table, _ = both
    caps = {"pv_roof_kw": 0.0, "battery_kw": 2000.0, "battery_kwh": 6000.0}
    lp = solve(inputs, changes=Changes(fixed=caps, fix_all=True))
    periods = period_shares(inputs.load_kw.index, get_tariff(inputs.tariff).frame)
    rule = tou_dispatch(inputs.load_kw, inputs.technologies, inputs.grid, inputs.battery,
                        periods, capacities=caps, index=inputs.load_kw.index)
    rule_cost = evaluate_dispatch(rule, inputs.technologies, inputs.grid, inputs.battery,
                                  capacities=caps, finance=inputs.finance)
    cost = table.loc["annualised_cost_vnd_per_yr"]
    assert cost["optimal"] == pytest.approx(lp.objective, rel=1e-9)
    assert cost["rules"] == pytest.approx(rule_cost.total, rel=1e-9)
    # the LP dispatches the same design at least as cheaply as the rules (by construction)
    assert lp.objective <= rule_cost.total
    lost = rule_cost.total - lp.objective
    assert table.loc["annualised_cost_vnd_per_yr", "rules_minus_optimal"] == pytest.approx(
        lost, rel=1e-6)
    # By hand: the evn_2026 peak is 17:30-22:30 Mon-Sat, so the 17:00 hour is half peak
    # (price (1833 + 3398) / 2 = 2615.5 VND/kWh at 22-110 kV). The rules discharge 1000 kWh
    # there (2 MW x 0.5); the LP keeps them for a full-peak hour (3398). Both empty 6 MWh a
    # day and recharge off-peak, so that is the whole gap: 12 peak days in Jan 1-14 2030
    # (Sundays 6 and 13 have no peak), 782,500 VND a day, scaled to a year (8760 / 336).
    price = np.asarray(inputs.grid.import_price, float)
    monday = inputs.load_kw.index.get_loc(pd.Timestamp("2030-01-07 00:00", tz="Asia/Ho_Chi_Minh"))
    p17, p20 = price[monday + 17], price[monday + 20]
    assert (p17, p20) == (pytest.approx((1833 + 3398) / 2), pytest.approx(3398))
    assert lost == pytest.approx(12 * 1000 * (p20 - p17) * 8760 / HOURS, rel=1e-3)
    assert lost == pytest.approx(244.8e6, rel=1e-3)
    w = 8760 / HOURS
    dis = rule["battery_discharge_kw"].sum() * w / 1000
    assert table.loc["battery_discharge_mwh_per_yr", "rules"] == pytest.approx(dis, rel=1e-5)
    assert table.loc["battery_cycles_per_yr", "rules"] == pytest.approx(dis * 1000 / 6000,
                                                                         rel=1e-5)
    imp = lp.dispatch["grid_import_kw"]
    assert table.loc["peak_import_kw", "optimal"] == pytest.approx(imp.max(), rel=1e-5)
    evening = float(imp.to_numpy() @ inputs.evening_share.to_numpy()) * w / 1000
    assert table.loc["evening_import_mwh_per_yr", "optimal"] == pytest.approx(evening, rel=1e-5)
    # the rules discharge only in peak hours; the LP's battery value beats theirs by `lost`
    assert rule["battery_discharge_kw"][periods["peak"].to_numpy() == 0].sum() == 0.0
    value = table.loc["battery_value_vnd_per_yr"]
    assert value["optimal"] - value["rules"] == pytest.approx(lost, rel=1e-6)
    share = lost / value["optimal"]
    assert 0.0 < share < 1.0
    assert f"({share * 100:.1f} % of the LP's battery value)" in text
    assert f"value lost by the rules: {lost / 1e6:,.1f} million VND/yr" in text


def test_energy_balance_of_both(both, inputs):
    _, table, _ = both
    load = inputs.load_kw.sum() * 8760 / HOURS / 1000
    for col in ("rules", "optimal"):
        t = table[col]
        losses = t["import_mwh_per_yr"] - t["export_mwh_per_yr"] - load + t["unmet_mwh_per_yr"]
        # no PV: the battery's round-trip losses are the only difference, ≥ 0 and < discharge
        assert 0.0 <= losses < 0.2 * t["battery_discharge_mwh_per_yr"]


def test_one_dispatch_only(cli, tmp_path):
    code, out, err = cli("evaluate", EXAMPLE, "--park", "demo_park", "--fixed", OFFER,
                         "--dispatch", "rules", "--out", tmp_path)
    assert code == 0, err
    table = read_csv(tmp_path / "evaluate_demo_park.csv", index_col="key")
    assert "optimal" not in table.columns and "rules" in table.columns
    assert "value lost" not in out
    assert [p.name for p in tmp_path.iterdir()] == ["evaluate_demo_park.csv"]  # no leftovers


@pytest.mark.parametrize("args, words", [
    (["--park", "nope", "--fixed", OFFER], ["--park nope: no such park", "known: demo_park"]),
    (["--park", "demo_park", "--fixed", "battery_kw=6000,battery_kwh=6000"],
     ["--fixed battery_kw", "6,000 is above battery.max_kw", "5,000"]),
    (["--park", "demo_park", "--fixed", "pv_roof_kw=50000"],
     ["--fixed pv_roof_kw", "above the pv_roof capacity limit"]),
    (["--park", "demo_park", "--fixed", "batery_kw=10"],
     ["--fixed batery_kw: unknown capacity", "battery_kw, battery_kwh, pv_roof_kw"]),
    (["--park", "demo_park", "--fixed", "battery_kw2000"], ["expected KEY=VALUE"]),
    (["--park", "demo_park", "--fixed", "battery_kw=two"], ["'two' is not a number"]),
    (["--park", "demo_park", "--fixed", "battery_kw=-1,battery_kwh=1"],
     ["battery_kw=-1: expected a capacity ≥ 0"]),
    (["--park", "demo_park", "--fixed", "battery_kw=100"], ["give both battery_kw and"]),
])
def test_errors_on_one_screen(cli, tmp_path, args, words):
    code, out, err = cli("evaluate", EXAMPLE, *args, "--out", tmp_path)
    assert code == 2
    assert "Traceback" not in err and len(err.splitlines()) <= 5
    for w in words:
        assert w in err
    assert not any(tmp_path.iterdir())  # nothing written


def test_parse_fixed():
    assert parse_fixed(["battery_kw=2000,battery_kwh=6_000", "pv_roof_kw=1.5e3"]) == {
        "battery_kw": 2000.0, "battery_kwh": 6000.0, "pv_roof_kw": 1500.0}
    with pytest.raises(UsageError, match="given twice"):
        parse_fixed(["battery_kw=1,battery_kw=2"])
    with pytest.raises(UsageError, match="no capacity given"):
        parse_fixed([","])
    with pytest.raises(UsageError, match="expected a capacity"):
        parse_fixed(["battery_kw=nan"])


def test_no_battery_value_without_a_battery(inputs):
    ev = evaluate_design(inputs, {"pv_roof_kw": 2000.0}, "both")
    assert ev.capacities["battery_kw"] == 0.0
    assert ev.value_lost_share is None
    assert np.isnan(ev.table.loc["battery_value_vnd_per_yr", "rules"])
    assert isinstance(ev.table, pd.DataFrame)


def test_battery_offer_where_no_battery_is_allowed(inputs):
    import dataclasses

    bare = dataclasses.replace(inputs, battery=None)
    with pytest.raises(UsageError, match="allows no battery") as e:
        evaluate_design(bare, {"battery_kw": 2000.0, "battery_kwh": 6000.0})
    assert "--fixed battery_kw" in str(e.value) and "--fixed battery_kwh" in str(e.value)
