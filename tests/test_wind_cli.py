"""The ``energy-model wind`` command."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from energy_model.cli import main
from test_wind import weibull_weather


def test_list_turbines(capsys):
    assert main(["wind", "--list-turbines"]) == 0
    out = capsys.readouterr().out
    assert "Generic-54/500" in out and "E-82/2000" in out and "69 turbines" in out


def test_wind_run_prints_summary_and_writes_csv(tmp_path, monkeypatch, capsys):
    df = weibull_weather(mean_10m=5.0)
    monkeypatch.setattr("energy_model.cli.wind._read_weather", lambda path: df.copy())
    out = tmp_path / "farm.csv"
    code = main(["wind", "--weather", "x.csv", "--turbine", "Generic-54/500", "--hub-height",
                 "75", "--count", "2", "--roughness", "0.1", "--out", str(out)])
    assert code == 0
    text = capsys.readouterr().out
    csv = pd.read_csv(out)
    assert list(csv.columns) == ["time", "wind_speed_hub", "power_kw"]
    assert len(csv) == 8760 and csv["time"][0] == "2030-01-01T00:00:00+07:00"
    annual = csv["power_kw"].sum() / 1000.0
    assert f"annual energy          {annual:8.1f} MWh/yr" in text
    cf = csv["power_kw"].mean() / 1000.0
    assert f"capacity factor        {cf * 100:8.1f} %" in text
    assert "z0 = 0.1 m" in text and "wake dena_mean" in text
    # hub wind: single log profile with the given roughness
    expected = df["wind_speed"].to_numpy() * np.log(75 / 0.1) / np.log(10 / 0.1)
    np.testing.assert_allclose(csv["wind_speed_hub"], expected, atol=6e-4)
    assert text.count("\n  ") >= 12  # the monthly table


@pytest.mark.parametrize("argv, message", [
    (["wind", "--turbine", "E-82/2000", "--hub-height", "80"], "needs --weather"),
    (["wind", "--weather", "w.csv", "--hub-height", "80", "--out", "o.csv"],
     "--turbine or --power-curve"),
    (["wind", "--weather", "w.csv", "--turbine", "E-82/2000", "--hub-height", "-5", "--out",
      "o.csv"], "--hub-height-m: Input should be greater than 0"),
    (["wind", "--weather", "w.csv", "--turbine", "E-82/2000", "--hub-height", "80", "--out",
      "/no/such/dir/o.csv"], "does not exist"),
])
def test_wind_usage_errors(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_wind_unknown_turbine_is_located(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("energy_model.cli.wind._read_weather", lambda path: weibull_weather())
    code = main(["wind", "--weather", "w.csv", "--turbine", "E-82/200", "--hub-height", "80",
                 "--out", str(tmp_path / "o.csv")])
    assert code == 2
    assert "did you mean" in capsys.readouterr().err


def test_wind_with_real_tmy3_reader(tmp_path, capsys):
    import pvlib

    tmy3 = Path(pvlib.__file__).parent / "data" / "703165TY.csv"
    out = tmp_path / "o.csv"
    assert main(["wind", "--weather", str(tmy3), "--turbine", "E-82/2000", "--hub-height", "80",
                 "--terrain", "coast", "--out", str(out)]) == 0
    csv = pd.read_csv(out)
    assert len(csv) == 8760
    # Sand Point AK: 5.07 m/s at 10 m; coast z0 = 0.005 m → × ln(16000)/ln(2000)
    assert csv["wind_speed_hub"].mean() == pytest.approx(5.072 * 1.2736, rel=0.01)
