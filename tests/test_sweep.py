"""Sweep engine: sweep files, expansion, content-hash keys, local pool, failures, resume,
CLI, and one real two-variant run through the pipeline."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from energy_model.errors import ScenarioError
from energy_model.studies.sweep import SweepSpec, expand, load_sweep, run_sweep, variants
from sweep_probe import EXAMPLE, probe, probe_spec

REPO = Path(__file__).resolve().parents[1]


def write_probe_sweep(folder: Path, name: str = "probe20", sleep_s: float = 0.0,
                      fail_when: dict | None = None) -> SweepSpec:
    """A 20-variant probe sweep: 5 rates × (2 lives zipped with 2 capex values) × 2 tags,
    evaluated by the test-only probe (tests/sweep_probe.py)."""
    options = {"journal": "journal.txt", "sleep_s": sleep_s}
    if fail_when:
        options["fail_when"] = fail_when
    return probe_spec(write_sweep_file(folder, name), **options)


def write_sweep_file(folder: Path, name: str) -> Path:
    """The probe sweep's file (the base scenario is the one-park example)."""
    text = textwrap.dedent(f"""\
        name: {name}
        base: {EXAMPLE}
        parameters:
          - key: economics.discount_rate_real
            range: {{start: 0.02, stop: 0.10, step: 0.02}}
          - zip:
              economics.lifetime_years: [20, 25]
              capex: [100.0, 250.0]
          - key: tag
            values: [a, b]
        """)
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def crf(r: float, n: int) -> float:
    return r / (1 - (1 + r) ** -n)


# ----------------------------------------------------------------------------- sweep files
def test_expand_product_range_and_zip(tmp_path):
    spec = write_probe_sweep(tmp_path)
    combos = expand(spec)
    assert len(combos) == 5 * 2 * 2
    rates = sorted({c["economics.discount_rate_real"] for c in combos})
    assert rates == pytest.approx([0.02, 0.04, 0.06, 0.08, 0.10], abs=1e-12)
    # zipped keys move together, never crossed
    assert {(c["economics.lifetime_years"], c["capex"]) for c in combos} == {(20, 100.0), (25, 250.0)}
    # first axis slowest
    assert combos[0]["economics.discount_rate_real"] == combos[3]["economics.discount_rate_real"]
    assert combos[0]["tag"] == "a" and combos[1]["tag"] == "b"


def test_keys_are_content_hashes(tmp_path):
    spec = write_probe_sweep(tmp_path)
    keys = [v.key for v in variants(spec)]
    assert len(set(keys)) == 20 and all(len(k) == 64 for k in keys)
    assert keys == [v.key for v in variants(write_probe_sweep(tmp_path))]
    # the journal path does not change what a variant computes, so not its key
    other = tmp_path / "other"
    other.mkdir()
    assert keys == [v.key for v in variants(write_probe_sweep(other))]


def test_scenario_keys_follow_the_resolved_scenario(tmp_path):
    """Two spellings of one scenario share a key; a change of the base file changes it."""
    base = tmp_path / "base.yaml"
    base.write_text((REPO / "scenarios" / "example_single_park.yaml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    sweep = tmp_path / "s.yaml"
    sweep.write_text("name: s\nbase: base.yaml\nparameters:\n"
                     "  - key: load_case\n    values: [base, high]\n", encoding="utf-8")
    k1 = [v.key for v in variants(load_sweep(sweep))]
    layered = tmp_path / "layered.yaml"
    layered.write_text("extends: base.yaml\nname: example_single_park\n", encoding="utf-8")
    sweep.write_text("name: s\nbase: layered.yaml\nparameters:\n"
                     "  - key: load_case\n    values: [base, high]\n", encoding="utf-8")
    assert [v.key for v in variants(load_sweep(sweep))] == k1
    base.write_text(base.read_text(encoding="utf-8").replace("seed: 1", "seed: 2"), encoding="utf-8")
    k3 = [v.key for v in variants(load_sweep(sweep))]
    assert not set(k3) & set(k1)


@pytest.mark.parametrize("body, key, words", [
    ("name: s\nbase: BASE\nparameters:\n  - key: a\n    range: {start: 0, stop: 1, step: -1}\n",
     "parameters.0", "never reaches"),
    ("name: s\nbase: BASE\nparameters:\n  - zip: {a: [1, 2], b: [1]}\n",
     "parameters.0", "equal lengths"),
    ("name: s\nbase: BASE\nparameters:\n  - key: a\n    values: [1]\n    range: {start: 0, stop: 1, step: 1}\n",
     "parameters.0", "exactly one of"),
    ("name: s\nbase: BASE\nparamters: []\n", "paramters", "unknown key"),
    ("name: s\nparameters:\n  - key: a\n    values: [1]\n", "base", "base scenario"),
    ("name: s\nbase: nowhere.yaml\nparameters:\n  - key: a\n    values: [1]\n", "base", "not found"),
])
def test_sweep_file_errors_name_file_line_and_key(tmp_path, body, key, words):
    path = tmp_path / "bad.yaml"
    path.write_text(body.replace("BASE", str(EXAMPLE)), encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_sweep(path)
    p = err.value.problems[0]
    assert p.file == str(path.resolve()) and p.key == key and p.line is not None
    assert words in str(err.value)


# ----------------------------------------------------------------------------- local runs
def test_local_sweep_of_20_variants_records_failure_and_resumes(tmp_path):
    path = write_probe_sweep(tmp_path, fail_when={"economics.discount_rate_real": 0.06, "tag": "b"})
    out = tmp_path / "out"
    res = run_sweep(path, out, workers=2)
    t = res.table
    # 18 ok variants × 3 rows (2 parks + PROVINCE) + 2 failed variants × 1 row
    assert len(res.ran) == 20 and not res.skipped
    assert len(t) == 18 * 3 + 2
    failed = t[t["status"] == "failed"]
    assert sorted(failed["variant"]) == [9, 11]  # rate 0.06 is the 3rd rate; tag b odd
    assert failed["error"].str.contains("deliberate failure").all()
    assert len(res.failed) == 2
    ok = t[t["status"] == "ok"]
    expected = [crf(r, n) * c for r, n, c in
                zip(ok["economics.discount_rate_real"], ok["economics.lifetime_years"], ok["capex"])]
    prov = ok["park_id"] == "PROVINCE"
    assert ok.loc[prov, "annual_cost_billion_vnd"].to_numpy() == pytest.approx(
        pd.Series(expected)[prov.to_numpy()].to_numpy(), rel=1e-12)
    # parquet and CSV written, equal to the returned table
    back = pd.read_parquet(res.folder / "results.parquet")
    pd.testing.assert_frame_equal(back, t, check_dtype=False)
    csv = pd.read_csv(res.folder / "results.csv", encoding="utf-8-sig")
    assert len(csv) == len(t) and list(csv.columns) == list(t.columns)
    # a second run evaluates nothing and gives the same table
    journal = (tmp_path / "journal.txt").read_text().split()
    assert len(journal) == 20
    again = run_sweep(path, out, workers=2)
    assert again.ran == [] and len(again.skipped) == 20
    assert (tmp_path / "journal.txt").read_text().split() == journal
    pd.testing.assert_frame_equal(again.table, t)
    # retry_failed runs exactly the two failed variants again
    retry = run_sweep(path, out, workers=2, retry_failed=True)
    assert sorted(retry.ran) == sorted(res.failed)


def test_probe_is_deterministic():
    task = {"key": "k", "overrides": {"economics.discount_rate_real": 0.05,
                                      "economics.lifetime_years": 20, "capex": 10.0}}
    rows = probe(task)
    assert rows[-1]["annual_cost_billion_vnd"] == pytest.approx(10 * crf(0.05, 20), rel=1e-12)
    assert math.isclose(rows[0]["annual_cost_billion_vnd"] + rows[1]["annual_cost_billion_vnd"],
                        rows[2]["annual_cost_billion_vnd"], rel_tol=1e-12)


def test_sweep_file_has_no_probe_key(tmp_path):
    """Fault injection is not part of the sweep schema: 'probe' and 'evaluate: probe' are
    unknown to a sweep file."""
    path = tmp_path / "p.yaml"
    path.write_text(f"name: s\nbase: {EXAMPLE}\nevaluate: probe\nprobe: {{crash_once: x}}\n"
                    "parameters:\n  - key: a\n    values: [1]\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_sweep(path)
    assert [p.key for p in err.value.problems] == ["evaluate", "probe"]
    assert [p.line for p in err.value.problems] == [3, 4]


def test_cli_sweep(tmp_path, run_cli, monkeypatch):
    from energy_model.studies import sweep as sweep_mod

    spec = write_probe_sweep(tmp_path, name="cli")
    path = write_sweep_file(tmp_path, "cli")
    monkeypatch.setattr(sweep_mod, "load_sweep", lambda p: spec)
    code, out, err = run_cli("sweep", path, "--workers", "1", "--out", tmp_path / "o", "--quiet")
    assert code == 0, err
    assert "ran 20" in out and (tmp_path / "o" / "cli" / "results.csv").exists()
    assert (tmp_path / "o" / "cli" / "plots" / "sensitivity_annual_cost_billion_vnd.png").exists()
    code, out, err = run_cli("sweep", path, "--workers", "1", "--out", tmp_path / "o", "--quiet")
    assert code == 0 and "ran 0, skipped 20" in out
    code, out, err = run_cli("sweep", tmp_path / "missing.yaml")
    assert code == 2 and "missing.yaml" in err
    code, out, err = run_cli("sweep", path, "--workers", "0")
    assert code == 2 and "--workers" in err


def test_shipped_example_sweep_is_valid():
    spec = load_sweep(REPO / "scenarios" / "sweeps" / "example_battery_tariff.yaml")
    vs = variants(spec)
    assert len(vs) == 12 and len({v.key for v in vs}) == 12


@pytest.mark.slow
def test_real_two_variant_sweep(tmp_path):
    """Two full-year LPs of the one-park example through the pipeline, on 2 workers.

    ``load_calibration`` is one scalar on every hour of load, so the load energy and peak
    scale by exactly 1.2, while the sizing answers (an LP) differ.
    """
    sweep = tmp_path / "real.yaml"
    sweep.write_text(
        f"name: real\nbase: {REPO / 'scenarios' / 'example_single_park.yaml'}\n"
        "parameters:\n  - key: load_calibration\n    values: [1.0, 1.2]\n"
        "outputs: [load_gwh, peak_load_mw, pv_mwp, battery_mwh, self_sufficiency_pct,"
        " annual_cost_billion_vnd]\n", encoding="utf-8")
    res = run_sweep(sweep, tmp_path / "out", workers=2)
    t = res.table
    assert (t["status"] == "ok").all(), t["error"].dropna().tolist()
    assert list(t["park_id"]) == ["demo_park", "PROVINCE", "demo_park", "PROVINCE"]
    park = t[t["park_id"] == "demo_park"].set_index("load_calibration")
    assert park.loc[1.2, "load_gwh"] / park.loc[1.0, "load_gwh"] == pytest.approx(1.2, rel=1e-9)
    assert park.loc[1.2, "peak_load_mw"] / park.loc[1.0, "peak_load_mw"] == pytest.approx(1.2, rel=1e-9)
    # a bigger load costs more per year, and the one-park PROVINCE row sums to the park
    assert park.loc[1.2, "annual_cost_billion_vnd"] > park.loc[1.0, "annual_cost_billion_vnd"]
    prov = t[t["park_id"] == "PROVINCE"].set_index("load_calibration")
    assert prov["load_gwh"].to_numpy() == pytest.approx(park["load_gwh"].to_numpy(), rel=1e-12)
    assert set(t.columns) >= {"pv_mwp", "battery_mwh", "self_sufficiency_pct"}
    assert "solve_s" not in t.columns


def test_main_effects_and_tornado(tmp_path):
    from energy_model.report.sweep_plots import plot_sensitivity
    from energy_model.studies.sweep import main_effects

    res = run_sweep(write_probe_sweep(tmp_path, name="fx"), tmp_path / "o", workers=1)
    fx = main_effects(res.table, "annual_cost_billion_vnd")
    assert set(fx["key"]) == {"economics.discount_rate_real", "economics.lifetime_years", "capex", "tag"}
    assert fx[fx["key"] == "tag"]["swing"].iloc[0] == 0.0  # the probe's cost ignores 'tag'
    from energy_model.studies.sweep import read_table

    pd.testing.assert_frame_equal(main_effects(read_table(res.folder), "annual_cost_billion_vnd"), fx)
    rate = fx[fx["key"] == "economics.discount_rate_real"].set_index("value")["mean"]
    # mean over (n=20, capex 100) and (n=25, capex 250), by hand
    by_hand = (100 * crf(0.04, 20) + 250 * crf(0.04, 25)) / 2
    assert rate.loc[0.04] == pytest.approx(by_hand, rel=1e-12)
    assert rate.is_monotonic_increasing  # dearer money, dearer annuity
    assert (fx.groupby("key")["n"].sum() == 20).all()
    fig = plot_sensitivity(fx, "annual_cost_billion_vnd", "billion VND/yr")
    assert len(fig.axes[0].patches) == 4
