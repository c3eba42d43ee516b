"""Determinism: the same scenario and seed give byte-identical results files.

``summary.csv`` and every ``parks/<id>.csv`` must be equal byte for byte across two runs
of one scenario, and across 1 and 2 worker processes (``run.json`` holds timings and is
not compared). A difference means hidden state: an unseeded random draw, a dict or set
iteration order, a solver run that is not reproducible, or a timing in a results table.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest


REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "scenarios" / "example_single_park.yaml"
QUICK = ["--no-report", "--quiet"]


def _run(run_cli, scenario: Path, out: Path, *extra: str) -> Path:
    code, stdout, stderr = run_cli("run", scenario, "--out", out, *QUICK, *extra)
    assert code == 0, stderr
    folders = [p for p in out.iterdir() if not p.name.startswith(".")]
    assert len(folders) == 1, folders
    return folders[0]


def _result_files(folder: Path) -> dict[str, bytes]:
    files = {"summary.csv": (folder / "summary.csv").read_bytes()}
    for p in sorted((folder / "parks").glob("*.csv")):
        files[f"parks/{p.name}"] = p.read_bytes()
    return files


def _assert_identical(a: Path, b: Path) -> None:
    fa, fb = _result_files(a), _result_files(b)
    assert sorted(fa) == sorted(fb)
    assert len(fa) >= 2  # a summary and at least one hourly file
    for name in fa:
        if fa[name] != fb[name]:
            la = fa[name].decode("utf-8-sig").splitlines()
            lb = fb[name].decode("utf-8-sig").splitlines()
            first = next((i for i, (x, y) in enumerate(zip(la, lb)) if x != y),
                         min(len(la), len(lb)))
            pytest.fail(f"{name} differs between runs, first at line {first + 1}:\n"
                        f"  {la[first] if first < len(la) else '<end>'}\n"
                        f"  {lb[first] if first < len(lb) else '<end>'}")


@pytest.mark.slow
def test_two_runs_are_byte_identical(tmp_path, run_cli):
    """The shipped one-park example (full year, battery sized by the LP), run twice."""
    a = _run(run_cli, EXAMPLE, tmp_path / "a")
    b = _run(run_cli, EXAMPLE, tmp_path / "b")
    _assert_identical(a, b)
    hourly = (a / "parks" / "demo_park.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(hourly) == 1 + 8760  # header and every hour of 2030


def _two_park_scenario(tmp_path: Path) -> Path:
    """The example plus a second park on another station, batteries off (a fast LP)."""
    path = tmp_path / "two_parks.yaml"
    path.write_text(textwrap.dedent(f"""\
        extends: {EXAMPLE}
        name: two_parks
        parks:
          - id: demo_park
            battery: {{allowed: false}}
          - id: second_park
            name: "Second park"
            kind: KCN
            location: {{lat: 21.03, lon: 107.36, altitude_m: 5}}
            weather_station: van_don
            area_ha: 80
            occupancy: 0.5
            occupancy_year: 2025
            industries:
              - {{cls: garment_footwear, share: 1.0}}
            load: {{source: bottom_up}}
            pv:
              - {{name: roof, kind: rooftop, tilt: 12, azimuth: 180}}
            battery: {{allowed: false}}
            grid: {{voltage: 22_110kv, substation_mva: 40, transformers: 2}}
        """), encoding="utf-8")
    return path


@pytest.mark.slow
def test_one_and_two_workers_are_byte_identical(tmp_path, run_cli):
    scenario = _two_park_scenario(tmp_path)
    a = _run(run_cli, scenario, tmp_path / "w1", "--workers", "1")
    b = _run(run_cli, scenario, tmp_path / "w2", "--workers", "2")
    _assert_identical(a, b)
    assert sorted(p.name for p in (a / "parks").iterdir()) == ["demo_park.csv", "second_park.csv"]
