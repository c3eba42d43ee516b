"""Pathways: myopic milestones, existing assets fixed and sunk, retirement, schedule."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from energy_model.studies import pathways as pw
from energy_model.errors import InvariantError, ScenarioError

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "scenarios" / "example_single_park.yaml"


def test_schedule_by_hand():
    """Battery 2025 (20 yr) retires before 2050; PV 2025 (25 yr) retires in 2050 exactly."""
    builds = [pw.Build("p", "pv_roof", 2025, 1000.0, 25, 1.0),
              pw.Build("p", "pv_roof", 2030, 500.0, 25, 1.0),
              pw.Build("p", "battery_energy", 2025, 2000.0, 20, 1.0),
              pw.Build("p", "battery_energy", 2050, 3000.0, 20, 1.0)]
    s = pw.schedule(builds, [2025, 2030, 2045, 2050]).set_index(["technology", "year"])
    assert s.loc[("pv_roof", 2030), "installed"] == 1500.0
    assert s.loc[("pv_roof", 2050), "installed"] == 500.0      # 2025 + 25 = 2050: retired
    assert s.loc[("pv_roof", 2050), "retired"] == 1000.0
    assert s.loc[("battery_energy", 2045), "installed"] == 0.0  # 2025 + 20 = 2045: retired
    assert s.loc[("battery_energy", 2045), "retired"] == 2000.0
    assert s.loc[("battery_energy", 2050), "cumulative_built"] == 5000.0
    pw.check_schedule(s.reset_index())
    broken = s.reset_index()
    broken.loc[broken.index[-1], "cumulative_built"] = 0.0
    with pytest.raises(InvariantError):
        pw.check_schedule(broken)


def test_pathway_file_errors(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(textwrap.dedent(f"""\
        name: p
        base: {EXAMPLE}
        milestones:
          - year: 2030
          - year: 2025
          - {{year: 2040, set: {{year: 2041}}}}
        """), encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        pw.load_pathway(path)
    text = str(err.value)
    assert "must increase strictly" in text and "not 'year'" in text
    assert all(p.line is not None for p in err.value.problems)


def test_shipped_example_pathway_is_valid():
    spec = pw.load_pathway(REPO / "scenarios" / "sweeps" / "example_pathway.yaml")
    assert [m.year for m in spec.milestones] == [2025, 2030, 2035, 2050]
    assert spec.milestones[1].overrides == {"year": 2030, "tariff.name": "evn_two_component_2026",
                                            "costs.battery_energy.capex_vnd_per_kwh": 4200000}


@pytest.mark.slow
def test_myopic_pathway_of_the_example(tmp_path):
    """2025 → 2030 → 2050 on the one-park example (three full-year LPs)."""
    path = tmp_path / "p.yaml"
    path.write_text(f"name: p\nbase: {EXAMPLE}\nmilestones:\n  - year: 2025\n  - year: 2030\n"
                    "  - year: 2050\n", encoding="utf-8")
    res = pw.run_pathway(path)
    s, m = res.schedule, res.milestones
    assert not s.empty
    # cumulative builds never decrease; installed never exceeds them
    for _, g in s.groupby(["park_id", "technology"]):
        g = g.sort_values("year")
        assert (np.diff(g["cumulative_built"].to_numpy()) >= 0).all()
        assert (g["installed"] <= g["cumulative_built"] + 1e-9).all()
    pw.check_schedule(s)
    park = m[m["park_id"] == "demo_park"].set_index("year")
    # the load is projected per milestone: occupancy grows from 2025
    assert park.loc[2030, "load_gwh"] > park.loc[2025, "load_gwh"]
    # the summary's installed PV is the schedule's in-service PV (existing + new)
    pv = s[s["technology"].str.startswith("pv_")].groupby("year")["installed"].sum()
    for y in (2025, 2030, 2050):
        assert park.loc[y, "pv_mwp"] == pytest.approx(pv.get(y, 0.0) / 1000, rel=1e-6, abs=1e-6)
    # what was built in 2025 still runs in 2030 (existing assets are kept) ...
    pv25 = res.builds[(res.builds["year"] == 2025) & res.builds["technology"].str.startswith("pv_")]
    assert pv.get(2030, 0.0) >= pv25["amount"].sum() - 1e-6
    # ... and retires by 2050 (life 25 yr): 2050 in service is only 2030 and 2050 builds
    later = res.builds[(res.builds["year"] > 2025) & res.builds["technology"].str.startswith("pv_")]
    assert pv.get(2050, 0.0) == pytest.approx(later["amount"].sum(), rel=1e-9, abs=1e-6)
    # the sunk annuity of the 2025 assets is counted in 2030, nothing of it in 2025
    assert park.loc[2025, "existing_annuity_billion_vnd"] == 0.0
    if pv25["amount"].sum() > 0:
        assert park.loc[2030, "existing_annuity_billion_vnd"] > 0
    out = pw.write_pathway(res, tmp_path / "out")
    assert pd.read_csv(out / "schedule.csv", encoding="utf-8-sig").shape[0] == len(s)


def test_cli_dispatches_pathway_files(tmp_path, run_cli):
    path = tmp_path / "p.yaml"
    path.write_text(f"name: p\nbase: {EXAMPLE}\nmilestones:\n  - year: 1990\n", encoding="utf-8")
    code, out, err = run_cli("sweep", path)
    assert code == 2 and "milestones.0.year" in err and "1990" in err


@pytest.mark.slow
def test_run_milestones_of_the_example():
    """``energy-model run --milestones`` (issue 17 item 8) on the one-park example: the
    2050 run is the scenario at 2050 on seed 2050, the pathway runs 2025 under the 2023
    frame and the 20 % power cap, and solving the parks in two processes changes nothing."""
    from energy_model.pipeline import load_scenario, run_scenario

    scenario = load_scenario(EXAMPLE)
    spec = pw.run_milestones_spec()
    assert [m.year for m in spec] == [2025, 2030, 2050]
    assert spec[0].overrides["tariff.export.cap_share"] == 0.2
    assert spec[0].overrides["tariff.export.basis"] == "power"
    assert spec[0].overrides["tariff.name"] == "evn_2025"
    runs = pw.run_milestones(scenario, workers=2)
    far = run_scenario(load_scenario(EXAMPLE, overrides={"year": 2050, "weather.seed": 2050}))
    got = runs.far_summary.set_index("park_id")
    want = far.summary.set_index("park_id")
    for col in ("load_gwh", "pv_mwp", "battery_mwh", "npv_billion_vnd"):
        assert got.loc["PROVINCE", col] == pytest.approx(want.loc["PROVINCE", col], rel=1e-9)
    seq = pw.pathway_of([(m.year, pw.with_overrides(scenario, m.overrides)) for m in spec],
                        workers=1)
    pd.testing.assert_frame_equal(runs.pathway.milestones, seq.milestones)
    pd.testing.assert_frame_equal(runs.pathway.schedule, seq.schedule)
    m = runs.pathway.milestones.set_index(["year", "park_id"])
    assert m.loc[(2050, "demo_park"), "load_gwh"] > m.loc[(2025, "demo_park"), "load_gwh"]


@pytest.mark.slow
def test_run_command_with_milestones(tmp_path, run_cli):
    """``energy-model run --milestones`` writes milestones/2050/ and pathway/ into the
    results folder, and the report shows the 2050 and pathway headlines from them."""
    code, out, err = run_cli("run", EXAMPLE, "--milestones", "--out", tmp_path, "--quiet",
                             "--lang", "vi")
    assert code == 0, err
    folder = tmp_path / "example_single_park"
    far = pd.read_csv(folder / "milestones" / "2050" / "summary.csv", encoding="utf-8-sig")
    path = pd.read_csv(folder / "pathway" / "milestones.csv", encoding="utf-8-sig")
    assert sorted(path["year"].unique()) == [2025, 2030, 2050]
    assert (folder / "pathway" / "schedule.csv").is_file()
    html = (folder / "report.html").read_text(encoding="utf-8")
    section = html[html.index('id="milestones"'):]
    section = section[:section.index("</section>")]
    assert "<table" in section and "2025 → 2030 → 2050" in section
    pv = float(far.loc[far["park_id"] == "PROVINCE", "pv_mwp"].iloc[0])
    assert f"{pv:.1f}".replace(".", ",") in section        # Vietnamese decimal comma
