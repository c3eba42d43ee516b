"""``energy-model run --compare-rules``: the headline under each rule set (issue 15), on the
report fixture's two parks cut to two weeks (no full-year solve)."""

from __future__ import annotations

import pytest

import test_report as T
from energy_model.cli.run import run_and_report
from energy_model.pipeline import load_scenario
from energy_model.pipeline import run as pipeline_run
from energy_model.results import read_csv
from energy_model.rules_in_force import rule_sets
from energy_model.studies.rules import SUMMARY_COLUMNS, with_overrides

HORIZON = ("2030-06-01", "2030-06-15")  # holds 6 June, the day of the shipped cuts


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    base = tmp_path_factory.mktemp("rules")
    path = T.write_inputs(base)
    # the rules in force are the 2030 default: drop the fixture's explicit 2023 tariff
    path.write_text(path.read_text(encoding="utf-8").replace("tariff: {name: evn_2025}\n", ""),
                    encoding="utf-8")
    scenario = load_scenario(path)
    mp = pytest.MonkeyPatch()
    mp.setattr(pipeline_run, "assemble", T.short_park_inputs(horizon=HORIZON))
    try:
        folder, result = run_and_report(scenario, base / "results", report=False,
                                        progress=False, workers=1, compare_rules=True)
    finally:
        mp.undo()
    return scenario, folder, result


def test_one_row_per_rule_set_with_the_headline_columns(run):
    _, folder, _ = run
    table = read_csv(folder / "rules_comparison.csv")
    headline = read_csv(folder / "grid" / "headline.csv")
    assert table["rule_set"].tolist() == list(rule_sets())
    assert list(table.columns) == (["rule_set", "description"] + list(headline.columns)
                                   + list(SUMMARY_COLUMNS))
    t = table.set_index("rule_set")
    # the evening window follows each set's frame
    assert t.loc["in_force", "evening_window"] == "17:30–22:30"
    assert t.loc["frame_2023", "evening_window"] == "17:00–20:00"
    assert t.loc["legacy_2023", "tariff"] == "evn_2025"
    assert t.loc["pilot", "tariff"] == "evn_two_component_2026"


def test_in_force_row_is_the_run_itself(run):
    """The scenario is on the rules in force, so its row re-sizes the same problem: the same
    headline and PROVINCE figures as the run (same LP, same data)."""
    _, folder, result = run
    t = read_csv(folder / "rules_comparison.csv").set_index("rule_set")
    h = result.grid.headline
    for col in ("evening_firm_contribution_mw", "relief_at_peak_hour_mw", "export_max_mw",
                "cut_covered_mwh"):
        assert t.loc["in_force", col] == pytest.approx(h[col], rel=1e-5, abs=1e-6)  # csv: 6 digits
    prov = result.summary.set_index("park_id").loc["PROVINCE"]
    for col in SUMMARY_COLUMNS:
        assert t.loc["in_force", col] == pytest.approx(prov[col], rel=1e-5, abs=1e-6)
    # 6 June is inside the horizon: the 51.2 MW province cut of 13–17 h is asked in full
    # unless the load is smaller (4 h × min(51.2, load))
    hourly = result.grid.province_hourly
    on = (hourly.index.month == 6) & (hourly.index.day == 6) & \
        (hourly.index.hour >= 13) & (hourly.index.hour < 17)
    expect = hourly.loc[on, "province_import_before_mw"].clip(upper=51.2).sum()
    assert h["cut_mwh"] == pytest.approx(expect, rel=1e-9)


def test_summary_and_grid_files_of_the_run(run):
    _, folder, result = run
    s = read_csv(folder / "summary.csv").set_index("park_id")
    for col in ("substation", "status", "name_verified", "pv_at_limit_mwp", "cut_covered_pct",
                "cut_shed_mwh", "blackout_critical_served_pct"):
        assert col in s.columns
    assert s.loc["dong_mai", "status"] == "operating"
    assert s.loc["PROVINCE", "peak_import_before_hour"].startswith("2030-06")
    assert s.loc["PROVINCE", "pv_at_limit_mwp"] <= s.loc["PROVINCE", "pv_mwp"] + 1e-9
    # a park's cut is 12.7 % of its load 13–17 h on 6 June; covered + shed = cut
    d = result.parks["hai_ha"].sizing.dispatch
    on = (d.index.day == 6) & (d.index.hour >= 13) & (d.index.hour < 17)
    cut = 0.127 * d.loc[on, "load_kw"].sum() / 1000
    assert s.loc["hai_ha", "cut_mwh"] == pytest.approx(cut, rel=1e-5)
    assert s.loc["hai_ha", "cut_covered_mwh"] + s.loc["hai_ha", "cut_shed_mwh"] == \
        pytest.approx(cut, rel=1e-5)
    for name in ("headline", "province_hourly", "substations", "reverse_flow", "cuts"):
        assert (folder / "grid" / f"{name}.csv").exists()


def test_with_overrides_keeps_files_and_changes_only_the_rules(run):
    scenario = run[0]
    rs = rule_sets()["export_20pct_power"]
    changed = with_overrides(scenario, rs.overrides)
    assert (changed.tariff.export.cap_share, changed.tariff.export.basis) == (0.2, "power")
    assert changed.tariff.export.price_vnd_per_kwh == scenario.tariff.export.price_vnd_per_kwh
    assert [p.id for p in changed.parks] == [p.id for p in scenario.parks]
    assert changed._files == scenario._files
