"""Weather files without metadata (issue 20, items 1-2): --lat/--lon for pv, nothing for wind,
and the plain synth CSV with its sidecar JSON."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from energy_model.cli import main
from energy_model.errors import WeatherError
from energy_model.weather import read_weather
from energy_model.weather.readers import sidecar_path

DATA = Path(__file__).parent / "data" / "weather"


def _bare_csv(tmp_path) -> Path:
    """The 2-day Hạ Long test file without its '# key: value' lines (no position at all)."""
    body = pd.read_csv(DATA / "ha_long_2days.csv", comment="#")
    path = tmp_path / "bare.csv"
    body.to_csv(path, index=False)
    return path


def _year_csv(tmp_path, header_lines=False) -> Path:
    out = tmp_path / "bc.csv"
    argv = ["weather", "synth", "--station", "bai_chay", "--year", "2030", "--seed", "3",
            "--out", str(out)] + (["--header-lines"] if header_lines else [])
    assert main(argv) == 0
    return out


def test_bare_csv_without_position_fails_for_pv_reading_and_names_the_flags(tmp_path):
    with pytest.raises(WeatherError, match=r"pass --lat and --lon"):
        read_weather(_bare_csv(tmp_path))


def test_bare_csv_reads_without_position_when_not_required(tmp_path):
    df, meta = read_weather(_bare_csv(tmp_path), require_site=False)
    assert meta["latitude"] is None and meta["longitude"] is None
    assert len(df) == 48 and "pressure" in df


def test_pv_cli_takes_lat_lon_for_a_csv_without_metadata(tmp_path, capsys):
    src = _bare_csv(tmp_path)
    out = tmp_path / "pv.csv"
    assert main(["pv", "--weather", str(src), "--lat", "20.95", "--lon", "107.07",
                 "--kwp", "100", "--no-check", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Site: 20.9500 °N, 107.0700 °E" in printed
    ac = pd.read_csv(out)["ac_kw"]
    assert len(ac) == 48 and ac.max() > 10.0  # 100 kWp produces by day


def test_pv_cli_lat_wins_over_file_metadata_with_a_note(tmp_path, capsys):
    src = _year_csv(tmp_path)  # sidecar says 20.95 N, 107.07 E
    capsys.readouterr()
    assert main(["pv", "--weather", str(src), "--lat", "21.5", "--kwp", "1",
                 "--out", str(tmp_path / "o.csv")]) == 0
    printed = capsys.readouterr().out
    assert "note: latitude 21.5 from the command line overrides the file's 20.95" in printed
    assert "Site: 21.5000 °N, 107.0700 °E" in printed


def test_pv_cli_without_any_position_is_a_one_screen_error(tmp_path, capsys):
    assert main(["pv", "--weather", str(_bare_csv(tmp_path)), "--kwp", "1"]) != 0
    err = capsys.readouterr().err
    assert "bare.csv" in err and "--lat" in err and "Traceback" not in err
    assert len(err.splitlines()) <= 12


def test_wind_cli_needs_no_position_at_all(tmp_path, capsys):
    out = tmp_path / "wind.csv"
    assert main(["wind", "--weather", str(_bare_csv(tmp_path)), "--turbine", "Generic-54/500",
                 "--hub-height", "50", "--out", str(out)]) == 0
    power = pd.read_csv(out)["power_kw"]
    assert len(power) == 48 and power.max() > 0.0
    assert "mean ρ" in capsys.readouterr().out


def test_synth_csv_is_plain_and_round_trips_through_pandas(tmp_path):
    out = _year_csv(tmp_path)
    first = out.read_text(encoding="utf-8").splitlines()[0]
    assert first == "time,ghi,dni,dhi,temp_air,wind_speed,pressure"
    body = pd.read_csv(out)  # as is: no comment=, no skiprows=
    assert len(body) == 8760
    t = pd.to_datetime(body["time"], format="ISO8601")
    assert str(t.dt.tz) == "UTC+07:00" and t.iloc[0] == pd.Timestamp("2030-01-01T00:00+07:00")
    side = json.loads(sidecar_path(out).read_text(encoding="utf-8"))
    assert side["latitude"] == 20.95 and side["station"] == "bai_chay"
    df, meta = read_weather(out)  # the project's reader takes the sidecar
    assert meta["latitude"] == 20.95 and meta["longitude"] == 107.07
    assert meta["station"] == "bai_chay"
    assert df["ghi"].to_numpy() == pytest.approx(body["ghi"].to_numpy(), abs=1e-9)
    assert df["ghi"].sum() / 1000 == pytest.approx(1342, abs=1)


def test_synth_header_lines_flag_keeps_the_old_form_and_both_read_alike(tmp_path):
    plain = _year_csv(tmp_path)
    df_plain, meta_plain = read_weather(plain)
    old_dir = tmp_path / "old"
    old_dir.mkdir()
    old = _year_csv(old_dir, header_lines=True)
    text = old.read_text(encoding="utf-8")
    assert text.startswith("# energy_model hourly weather") and "# latitude: 20.95" in text
    assert not sidecar_path(old).exists()
    df_old, meta_old = read_weather(old)
    assert meta_old["latitude"] == meta_plain["latitude"]
    pd.testing.assert_frame_equal(df_old, df_plain, check_like=True)


def test_broken_sidecar_is_a_located_error(tmp_path):
    out = _year_csv(tmp_path)
    sidecar_path(out).write_text("{not json", encoding="utf-8")
    with pytest.raises(WeatherError, match=r"bc\.csv\.meta\.json: metadata sidecar"):
        read_weather(out)
