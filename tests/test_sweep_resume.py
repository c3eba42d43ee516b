"""Kill a sweep mid-way (SIGKILL of the command and its pool), re-run it, and check that
only the variants without a result ran again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from pathlib import Path

import pytest

from energy_model.studies.sweep import run_sweep
from sweep_probe import EXAMPLE, probe_spec
from test_sweep import crf, write_probe_sweep, write_sweep_file


def test_killed_sweep_resumes_with_only_the_missing_variants(tmp_path):
    spec = write_probe_sweep(tmp_path, name="killme", sleep_s=0.3)
    path = write_sweep_file(tmp_path, "killme")
    out = tmp_path / "out"
    parts = out / "killme" / "parts"
    # the probe sweep run by tests/sweep_probe.py as a process of its own, killed below
    probe_main = Path(__file__).with_name("sweep_probe.py")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(Path(__file__).parents[1]), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, str(probe_main), str(path), str(out), "0.3"],
                            start_new_session=True, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        if parts.exists() and len(list(parts.glob("*.json"))) >= 6:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the sweep finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)  # the command and its worker, no clean-up
    proc.wait(10)
    done = {p.stem for p in parts.glob("*.json")}
    assert 6 <= len(done) < 20
    assert not (out / "killme" / "results.parquet").exists()
    journal = tmp_path / "journal.txt"
    first_run = journal.read_text().split()

    res = run_sweep(spec, out, workers=2)
    second_run = journal.read_text().split()[len(first_run):]
    missing = {v for v in res.table["variant_key"]} - done
    assert len(missing) == 20 - len(done)
    assert set(res.ran) == missing and len(res.ran) == len(missing)
    assert set(second_run) == missing and len(second_run) == len(missing)
    assert set(res.skipped) == done
    # the table is complete and right
    t = res.table
    assert len(t) == 60 and (t["status"] == "ok").all()
    prov = t[t["park_id"] == "PROVINCE"]
    expected = [crf(r, n) * c for r, n, c in zip(prov["economics.discount_rate_real"],
                                                  prov["economics.lifetime_years"], prov["capex"])]
    assert prov["annual_cost_billion_vnd"].tolist() == pytest.approx(expected, rel=1e-12)


def test_a_lost_worker_is_not_recorded_and_is_retried(tmp_path):
    """A worker process that dies (os._exit) breaks the pool: its variants are 'lost', not
    written, and the next run evaluates exactly those."""
    path = tmp_path / "crash.yaml"
    path.write_text(f"name: crash\nbase: {EXAMPLE}\n"
                    "parameters:\n  - key: capex\n    values: [1.0, 2.0, 3.0, 4.0]\n", encoding="utf-8")
    path = probe_spec(path, journal="journal.txt", crash_once="crashed")  # injected by the test
    first = run_sweep(path, tmp_path / "out", workers=1)
    lost = first.table[first.table["status"] == "lost"]
    assert len(lost) >= 1 and lost["error"].str.contains("worker lost").all()
    assert (tmp_path / "crashed").exists()
    parts = {p.stem for p in (tmp_path / "out" / "crash" / "parts").glob("*.json")}
    assert not parts & set(lost["variant_key"])
    second = run_sweep(path, tmp_path / "out", workers=1)
    assert set(second.ran) == set(lost["variant_key"])
    assert (second.table["status"] == "ok").all() and len(second.table) == 12
