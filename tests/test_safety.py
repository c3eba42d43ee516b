"""Safety: YAML builds no objects, names from ids cannot escape a folder, and a run
writes nothing outside ``--out`` (scenario files and the paths they name are read-only
inputs)."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
import yaml

from energy_model.errors import ScenarioError
from energy_model.results import safe_name, write_atomically
from energy_model.yaml_io import load_yaml

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "energy_model"
GOOD = REPO / "tests" / "data" / "bad" / "good.yaml"


def _snapshot(folder: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every file under ``folder`` (folders as '<dir>')."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        out[rel] = "<dir>" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
    return out


# ----------------------------------------------------------------------------- YAML
@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/apply:subprocess.call [['touch', '{marker}']]",
    "!!python/object/new:pathlib.Path ['{marker}']",
    "!!python/name:os.system",
    "!!python/module:os",
])
def test_yaml_tags_never_construct_objects(tmp_path, tag):
    marker = tmp_path / "executed"
    path = tmp_path / "s.yaml"
    path.write_text(f"name: x\nyear: {tag.format(marker=marker)}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="could not determine a constructor"):
        load_yaml(path)
    assert not marker.exists()


def test_the_package_loads_yaml_only_with_safe_loaders():
    """No yaml.load with an unsafe Loader, no unsafe_load/full_load anywhere in the code."""
    unsafe = re.compile(r"yaml\.(unsafe_load|full_load|load_all)\(|Loader=yaml\.(Loader|"
                        r"FullLoader|UnsafeLoader)|yaml\.load\((?![^)]*Loader=(_UniqueKey"
                        r"Loader|yaml\.SafeLoader|yaml\.CSafeLoader))")
    offenders = []
    for p in PACKAGE.rglob("*.py"):
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if unsafe.search(line):
                offenders.append(f"{p.relative_to(REPO)}:{n}: {line.strip()}")
    assert offenders == []
    from energy_model import yaml_io

    assert issubclass(yaml_io._UniqueKeyLoader, yaml.SafeLoader)


# ----------------------------------------------------------------------------- names
@pytest.mark.parametrize("name", ["../../etc/passwd", "..", ".", "/abs/path", "a/b\\c",
                                  ".hidden", "", "Cẩm Phả", "con\x00nul", "~root", "a" * 300])
def test_safe_name_stays_inside_its_folder(tmp_path, name):
    cleaned = safe_name(name)
    assert cleaned and "/" not in cleaned and "\\" not in cleaned and "\x00" not in cleaned
    assert not cleaned.startswith(".")
    assert (tmp_path / cleaned).resolve().parent == tmp_path.resolve()


@pytest.mark.parametrize("key,value", [("name", "../../outside"), ("name", "/tmp/x"),
                                       ("parks[0].id", "../x"), ("parks[0].id", "a/b")])
def test_path_like_names_and_ids_are_refused(run_cli, key, value):
    code, out, err = run_cli("validate", GOOD, "--set", f"{key}={value}")
    assert code == 2
    assert key in err and "should match pattern" in err


def test_atomic_write_keeps_the_old_result_when_filling_fails(tmp_path):
    out = tmp_path / "out"
    write_atomically(out, "case", False, lambda d: (d / "summary.csv").write_text("old"))
    (out / "neighbour").mkdir()

    def broken(folder: Path) -> None:
        (folder / "summary.csv").write_text("half")
        raise KeyboardInterrupt  # the user pressed Ctrl-C half-way

    with pytest.raises(KeyboardInterrupt):
        write_atomically(out, "case", True, broken)
    assert sorted(p.name for p in out.iterdir()) == ["case", "neighbour"]  # no .partial
    assert (out / "case" / "summary.csv").read_text() == "old"
    folder = write_atomically(out, "../../escape", False, lambda d: (d / "f").write_text("x"))
    assert folder.parent == out and folder.name == "_.._escape"


# ----------------------------------------------------------------------------- a real run
def test_a_run_writes_only_under_out(tmp_path, run_cli, monkeypatch):
    """A whole run, with the scenario and its normals file in a folder of their own and
    HOME, caches and temporary files pointed into watched folders: only --out changes."""
    inputs = tmp_path / "inputs"
    (inputs / "scenario").mkdir(parents=True)
    (inputs / "data").mkdir()
    shutil.copy(REPO / "weather" / "quang_ninh_normals.csv", inputs / "data" / "normals.csv")
    scenario = inputs / "scenario" / "s.yaml"
    scenario.write_text(GOOD.read_text(encoding="utf-8").replace(
        "  seed: 1\n", "  seed: 1\n  normals: ../data/normals.csv\n"), encoding="utf-8")
    home, cwd, out = tmp_path / "home", tmp_path / "cwd", tmp_path / "out"
    for d in (home, cwd):
        d.mkdir()
    for var in ("HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(var, str(home))
    monkeypatch.chdir(cwd)
    watched = {p: _snapshot(p) for p in (inputs, REPO / "scenarios", REPO / "weather",
                                         REPO / "energy_model" / "data")}
    code, stdout, stderr = run_cli("run", scenario, "--out", out, "--no-report", "--quiet",
                                   "--set", "parks[0].battery.allowed=false")
    assert code == 0, stderr
    for folder, before in watched.items():
        assert _snapshot(folder) == before, f"{folder} changed"
    assert _snapshot(home) == {} and _snapshot(cwd) == {}
    written = _snapshot(out)
    assert all(k.startswith("bad_case") for k in written), written
    assert {"bad_case/summary.csv", "bad_case/run.json",
            "bad_case/parks/demo_park.csv"} <= set(written)
    # a second run without --force refuses before computing and changes nothing
    code, stdout, stderr = run_cli("run", scenario, "--out", out, "--no-report", "--quiet")
    assert code == 2 and "already exists; pass --force" in stderr
    assert _snapshot(out) == written
