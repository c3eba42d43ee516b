"""``energy-model weather synth | check | fetch-pvgis`` through the CLI entry point."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from energy_model.cli import main
from energy_model.paths import shipped_dir
from energy_model.weather import read_weather

NORMALS = str(shipped_dir("weather") / "quang_ninh_normals.csv")
DATA = Path(__file__).parent / "data" / "weather"


def test_synth_writes_iso_time_then_canonical_columns(tmp_path, capsys):
    out = tmp_path / "bc.csv"
    assert main(["weather", "synth", "--normals", NORMALS, "--station", "bai_chay",
                 "--year", "2030", "--seed", "3", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "GHI 1342 kWh/m²" in printed and "estimates (defaults, mark E)" in printed
    body = pd.read_csv(out, comment="#")
    assert list(body.columns) == ["time", "ghi", "dni", "dhi", "temp_air", "wind_speed",
                                  "pressure"]
    assert body["time"].iloc[0] == "2030-01-01T00:00:00+07:00" and len(body) == 8760
    df, meta = read_weather(out)  # the file reads back with its header metadata
    assert meta["latitude"] == 20.95 and meta["station"] == "bai_chay"
    assert df["ghi"].sum() / 1000 == pytest.approx(1342, abs=1)


def test_synth_ensemble_files(tmp_path, capsys):
    out = tmp_path / "ens.csv"
    assert main(["weather", "synth", "--station", "co_to", "--years", "3", "--seed", "1",
                 "--out", str(out)]) == 0
    files = sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".csv")
    assert files == ["ens_y01.csv", "ens_y02.csv", "ens_y03.csv"]
    assert sorted(p.name for p in tmp_path.glob("*.meta.json")) == [f + ".meta.json" for f in files]
    sums = [pd.read_csv(tmp_path / f, comment="#")["ghi"].sum() for f in files]
    assert len(set(sums)) == 3


def test_check_against_normals(tmp_path, capsys):
    out = tmp_path / "mc.csv"
    main(["weather", "synth", "--station", "mong_cai", "--out", str(out)])
    capsys.readouterr()
    assert main(["weather", "check", str(out), "--against-normals", NORMALS,
                 "--station", "mong_cai"]) == 0
    text = capsys.readouterr().out
    for needle in ("annual GHI 1287 kWh/m²", "Weibull k", "lag-1 autocorrelation",
                   "kt_p10", "deviation from the normals", "default (E)"):
        assert needle in text


def test_check_a_real_file(capsys):
    assert main(["weather", "check", str(DATA / "ha_long_2days.epw")]) == 0
    assert "labels: interval start, file: end" in capsys.readouterr().out


def test_errors_exit_2_with_one_screen(tmp_path, capsys):
    assert main(["weather", "synth", "--station", "atlantis", "--out",
                 str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert "weather error" in err and "unknown station 'atlantis'" in err
    assert "Traceback" not in err
    assert main(["weather", "check", str(DATA / "ha_long_2days.csv"), "--station",
                 "bai_chay"]) == 2
    assert "--against-normals and --station go together" in capsys.readouterr().err
    assert main(["weather", "check", str(tmp_path / "none.epw")]) == 2
    assert "not found" in capsys.readouterr().err
    assert main(["weather"]) == 2
