"""The bad-input corpus (tests/data/bad/cases.yaml) run through the command line.

Every case must end with exit code 2 (input error) or 3 (infeasible), never 1; no
traceback; at most 25 lines of output; the message names the file and the line or key
(or, for command-line misuse, the offending argument) and contains the expected
fragment; and nothing is written: neither the ``--out`` folder nor the working folder
gains a single file. A summary line reports cases tried / clear errors / tracebacks /
partial outputs.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

BAD = Path(__file__).resolve().parent / "data" / "bad"
CASES = yaml.safe_load((BAD / "cases.yaml").read_text(encoding="utf-8"))["cases"]
MAX_LINES = 25
HUGE_BYTES = 50 * 1024 * 1024

#: case id -> (clear error, traceback, partial output); filled by the tests
TALLY: dict[str, tuple[bool, bool, bool]] = {}


@pytest.fixture(scope="module", autouse=True)
def _summary(request):
    yield
    n = len(TALLY)
    clear = sum(v[0] for v in TALLY.values())
    tb = sum(v[1] for v in TALLY.values())
    partial = sum(v[2] for v in TALLY.values())
    line = (f"bad-input corpus: {n} cases tried, {clear} clear errors, {tb} tracebacks, "
            f"{partial} partial outputs")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if capture is not None and reporter is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            reporter.write_line(line)
    else:  # pragma: no cover
        print(line)


def _case_file(case: dict, tmp: Path) -> Path | None:
    name = case.get("file")
    if name is None:
        return None
    if name == "generate:50MB":
        path = tmp / "huge.yaml"
        with open(path, "wb") as fh:
            fh.write(b"name: huge\n")
            block = b"# padding line of a scenario that is far too large\n" * 20_000
            while fh.tell() < HUGE_BYTES:
                fh.write(block)
        return path
    return (BAD / name).resolve()


def _argv(case: dict, file: Path | None, out: Path) -> list[str]:
    text = case["argv"].format(file=file, dir=BAD, tmp=out)
    return shlex.split(text)


def _files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _run_in_process(argv: list[str], capsys) -> tuple[int, str]:
    from energy_model.cli import main

    try:
        code = main(argv)
    except SystemExit as exc:  # argparse usage errors
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _check(case: dict, file: Path | None, code: int, text: str) -> list[str]:
    """What is wrong with the CLI's answer to a case (empty when it is a clear error)."""
    wrong = []
    if code != case["exit"]:
        wrong.append(f"exit code {code}, expected {case['exit']}")
    if "Traceback" in text or "internal error" in text:
        wrong.append("traceback or internal error")
    lines = text.strip().splitlines()
    if len(lines) > MAX_LINES:
        wrong.append(f"{len(lines)} lines of output (limit {MAX_LINES})")
    if case["expect"] not in text:
        wrong.append(f"fragment {case['expect']!r} missing")
    where = str(case["where"])
    if file is not None and not case["id"].startswith("cli_"):  # misuse names the argument
        if file.name not in text:
            wrong.append(f"file name {file.name!r} not named")
        if where.startswith(":") and f"{file.name}{where}" not in text:
            wrong.append(f"line {file.name}{where} not named")
    if not where.startswith(":") and where not in text:
        wrong.append(f"key or argument {where!r} not named")
    return wrong


def test_corpus_size_and_coverage():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    assert len(CASES) >= 40
    for c in CASES:
        assert c["exit"] in (2, 3), c["id"]
        if c.get("file") and not c["file"].startswith("generate:") \
                and c["id"] != "cli_scenario_missing":
            assert (BAD / c["file"]).exists(), c["file"]
    # every kind of mistake the issue lists is present
    kinds = {"yaml_", "unknown_", "misspelt_", "tilt_95", "area_1e12", "latitude_",
             "longitude_", "duplicate_park_ids", "missing_weather_file", "unknown_turbine",
             "unknown_tariff", "empty_parks", "import_cap_below_load", "efficiency_above_1",
             "battery_power_without_energy", "year_1990", "non_utf8", "huge_file",
             "weather_truncated", "weather_wrong_columns", "weather_nan_run",
             "weather_duplicate_times", "weather_30min_steps", "weather_shifted_time_zone",
             "weather_leap_day", "weather_negative_irradiance", "cli_"}
    for k in kinds:
        assert any(i.startswith(k) for i in ids), k


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_bad_input_gives_a_clear_error(case, tmp_path, monkeypatch, capsys):
    work = tmp_path / "cwd"
    out = tmp_path / "out"
    work.mkdir()
    out.mkdir()
    monkeypatch.chdir(work)  # the default --out (results/) would land here
    file = _case_file(case, tmp_path)
    corpus_before = _files_under(BAD)
    code, text = _run_in_process(_argv(case, file, out), capsys)
    written = _files_under(out) + _files_under(work)
    wrong = _check(case, file, code, text)
    TALLY[case["id"]] = (not wrong, "Traceback" in text or code == 1, bool(written))
    assert not wrong, f"{case['id']}: {'; '.join(wrong)}\n--- output ---\n{text}"
    assert not written, f"{case['id']}: files written: {written}"
    assert _files_under(BAD) == corpus_before, "the corpus folder was modified"


@pytest.mark.parametrize("case_id", ["yaml_unclosed_bracket", "import_cap_below_load"])
def test_real_process_exit_code(case_id, tmp_path):
    """The exit code seen by a shell, from a real process (not argparse's SystemExit)."""
    case = next(c for c in CASES if c["id"] == case_id)
    out = tmp_path / "out"
    out.mkdir()
    file = _case_file(case, tmp_path)
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run([sys.executable, "-m", "energy_model", *_argv(case, file, out)],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    text = proc.stdout + proc.stderr
    assert proc.returncode == case["exit"], text
    assert "Traceback" not in text
    assert case["expect"] in text
    assert _files_under(out) == []


def test_debug_flag_shows_the_traceback(capsys):
    """--debug is the only way to a traceback: the error propagates as itself."""
    from energy_model.cli import main
    from energy_model.errors import ScenarioError

    with pytest.raises(ScenarioError, match="did you mean 'year'"):
        main(["--debug", "validate", str(BAD / "s_unknown_top_key.yaml")])
