"""Every ```python and ```bash block of README.md runs as written (issue 20, item 3).

Rules (stated here so the test stays honest about what it does not run):

1. **Install lines.** A bash block that starts by making a virtual environment and installing
   the package (``python3 -m venv .venv && . .venv/bin/activate && pip install ... &&``) is
   run *after* that prefix, in the environment running the tests: the install itself needs
   the network and is what CI's fresh clone does (``.ci/run``). The prefix must still be
   there, spelled as below, so a change to it fails :func:`test_readme_blocks_are_classified`.
2. **The test command's own pytest** (``python -m pytest`` at the end of the test command) is
   this very test run: it is not started again inside itself.
3. **Full catalog runs** (``energy-model run`` without a scenario, ``run_scenario`` on the
   catalog) take minutes: those blocks are marked ``slow`` (CI runs them).

Python blocks run in a subprocess from the repository root, so relative paths such as
``scenarios/quang_ninh_2030.yaml`` resolve as a reader's would in a checkout.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
INSTALL_PREFIX = re.compile(
    r"^python3 -m venv \.venv && \. \.venv/bin/activate && pip install -c constraints\.txt "
    r"(\.|\"\.\[test\]\") && ")
SELF_PYTEST = re.compile(r"(^|&& )python -m pytest\s*$")
SLOW = re.compile(r"energy-model run\b|run_scenario\(")


def blocks() -> list[tuple[int, str, str]]:
    """(line, language, code) of every ```python / ```bash block of the README."""
    text = README.read_text(encoding="utf-8")
    out = []
    for m in re.finditer(r"^```(python|bash)\n(.*?)^```", text, flags=re.M | re.S):
        out.append((text[:m.start()].count("\n") + 1, m.group(1), m.group(2)))
    return out


def runnable(lang: str, code: str) -> str | None:
    """The part of a block the test runs (rules 1-2), or None when nothing is left."""
    if lang == "python":
        return code
    lines = [ln for ln in code.strip().splitlines() if ln.strip()]
    kept = []
    for ln in lines:
        ln = INSTALL_PREFIX.sub("", ln)
        ln = SELF_PYTEST.sub("", ln).rstrip().removesuffix("&&").strip()
        if ln:
            kept.append(ln)
    return "\n".join(kept) or None


def _params():
    out = []
    for line, lang, code in blocks():
        marks = [pytest.mark.slow] if SLOW.search(code) else []
        out.append(pytest.param(line, lang, code, id=f"README.md:{line}:{lang}", marks=marks))
    return out


def test_readme_blocks_are_classified():
    found = blocks()
    assert {lang for _, lang, _ in found} == {"python", "bash"}
    for line, lang, code in found:
        if lang == "bash":  # rule 1: the install prefix is recognised, not silently run
            assert INSTALL_PREFIX.search(code.strip()), f"README.md:{line}: unknown install line"
    # the two commands the README promises: run the catalog, run the tests
    runs = [runnable(lang, code) for _, lang, code in found if lang == "bash"]
    assert "energy-model run --milestones" in runs  # with the 2050 run and the pathway
    assert runnable("bash", "python3 -m venv .venv && . .venv/bin/activate && pip install -c "
                            "constraints.txt \".[test]\" && python -m pytest") is None


@pytest.mark.parametrize("line, lang, code", _params())
def test_readme_block_runs_as_written(line, lang, code, tmp_path):
    body = runnable(lang, code)
    if body is None:
        pytest.skip(f"README.md:{line}: nothing left after rules 1-2 (install + this pytest)")
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
           "MPLBACKEND": "Agg"}
    bindir = Path(sys.executable).parent
    env["PATH"] = str(bindir) + os.pathsep + env.get("PATH", "")
    if lang == "python":
        cmd, cwd = [sys.executable, "-c", body], ROOT
    else:  # shell commands run in a scratch folder so results/ lands there; the import
        # contracts (lint-imports) are read from the checkout's pyproject.toml
        cmd = ["bash", "-euo", "pipefail", "-c", body]
        cwd = ROOT if body.startswith("lint-imports") else tmp_path
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=3000)
    assert done.returncode == 0, (f"README.md:{line} ({lang}) failed:\n"
                                  f"{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
