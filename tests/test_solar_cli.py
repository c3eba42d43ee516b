"""``energy-model pv`` on an EPW file, end to end."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest

from energy_model.solar import PVArray, simulate_pv
from conftest import PVLIB_DATA, tmy3_weather


def write_epw_from_tmy3(tmy3: Path, out: Path) -> Path:
    """Write pvlib's bundled TMY3 file as an EPW file (hour-ending, as EPW is)."""
    df, meta = pvlib.iotools.read_tmy3(tmy3, map_variables=True)
    name = str(meta["Name"]).strip('"')
    head = [f"LOCATION,{name},{meta['State']},USA,TMY3,{meta['USAF']},{meta['latitude']},"
            f"{meta['longitude']},{meta['TZ']},{meta['altitude']}",
            "DESIGN CONDITIONS,0", "TYPICAL/EXTREME PERIODS,0", "GROUND TEMPERATURES,0",
            "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0",
            "COMMENTS 1,written by energy_model tests from pvlib's bundled TMY3 file",
            "COMMENTS 2,", "DATA PERIODS,1,1,Data,Sunday, 1/ 1,12/31"]
    n = len(df)
    start = pd.date_range("1990-01-01", periods=n, freq="h")  # interval starts
    fill = [9999] * 3
    cols = [np.full(n, 1990), start.month, start.day, np.tile(np.arange(1, 25), n // 24),
            np.full(n, 60), np.full(n, "?"), df["temp_air"], df["temp_dew"],
            df["relative_humidity"], (df["pressure"] * 100).round().astype(int),
            *[np.full(n, v) for v in fill], df["ghi"], df["dni"], df["dhi"],
            *[np.full(n, 999999)] * 3, np.full(n, 9999), df["wind_direction"],
            df["wind_speed"], *[np.full(n, v) for v in (99, 99, 9999, 99999, 9, 999999999,
                                                       999, 0.999, 999, 99, 0.2, 0, 0)]]
    body = pd.DataFrame({i: np.asarray(c) for i, c in enumerate(cols)})
    out.write_text("\n".join(head) + "\n" + body.to_csv(header=False, index=False))
    return out


@pytest.fixture(scope="module")
def epw(tmp_path_factory) -> Path:
    return write_epw_from_tmy3(PVLIB_DATA / "723170TYA.CSV",
                               tmp_path_factory.mktemp("pv") / "greensboro.epw")


def test_cli_pv_on_epw_matches_simulate_pv(run_cli, epw, tmp_path):
    out = tmp_path / "roof.csv"
    code, stdout, stderr = run_cli("pv", "--weather", epw, "--lat", 36.1, "--lon", -79.95,
                                   "--kwp", 1000, "--tilt", 20, "--azimuth", 180,
                                   "--mounting", "roof", "--out", out)
    assert code == 0, stderr
    assert "Annual AC energy" in stdout and "kWh/kWp" in stdout and "Dec" in stdout
    csv = pd.read_csv(out)
    assert list(csv.columns) == ["time", "ac_kw", "dc_kw", "poa_global", "temp_cell"]
    assert len(csv) == 8760 and csv["time"].iloc[0].startswith("1990-01-01T00:00:00")
    # same physics as the API on the same weather (the EPW reader shifts hour-ending)
    weather, loc = tmy3_weather("723170TYA.CSV")
    array = PVArray(name="pv", kind="rooftop", mounting="close_roof", tilt=20,
                    fixed_kwp=1000)
    ref = simulate_pv(weather, loc, array, operating_year=1)["ac_kw"]
    assert csv["ac_kw"].sum() == pytest.approx(ref.sum(), rel=1e-3)
    annual = f"{csv['ac_kw'].sum():,.0f}"
    assert f"Annual AC energy: {annual} kWh" in stdout


def test_cli_pvwatts_mode_matches_pysam(run_cli, epw, tmp_path):
    import PySAM.Pvwattsv8 as pvw
    from energy_model.solar.pvwatts import pysam_solar_resource

    out = tmp_path / "pvwatts.csv"
    code, stdout, stderr = run_cli("pv", "--weather", epw, "--kwp", 1, "--tilt", 20,
                                   "--losses", 14.08, "--dc-ac", 1.2, "--inv-eff", 96,
                                   "--mounting", "open_rack", "--pvwatts", "--out", out)
    assert code == 0, stderr
    weather, loc = tmy3_weather("723170TYA.CSV")
    model = pvw.new()
    model.SolarResource.solar_resource_data = pysam_solar_resource(weather, loc)
    model.SolarResource.albedo = [0.2]
    for key, value in {"system_capacity": 1, "module_type": 0, "dc_ac_ratio": 1.2,
                       "array_type": 0, "tilt": 20, "azimuth": 180, "gcr": 0.01,
                       "losses": 14.08, "inv_eff": 96}.items():
        setattr(model.SystemDesign, key, value)
    model.execute()
    assert pd.read_csv(out)["ac_kw"].sum() == pytest.approx(model.Outputs.ac_annual, rel=0.01)


def test_cli_pv_errors(run_cli, epw, tmp_path):
    code, _, err = run_cli("pv", "--weather", tmp_path / "missing.epw")
    assert code == 2 and "not found" in err
    code, _, err = run_cli("pv", "--weather", epw, "--tilt", 120)
    assert code == 2 and "--tilt" in err
    code, _, err = run_cli("pv", "--weather", epw, "--mounting", "carport")
    assert code == 2
    code, _, err = run_cli("pv", "--weather", epw, "--operating-year", 0)
    assert code == 2 and "--operating-year" in err


def test_cli_reconcile_table(run_cli, epw):
    code, stdout, stderr = run_cli("pv", "--weather", epw, "--tilt", 20, "--mounting", "roof",
                                   "--reconcile")
    assert code == 0, stderr
    assert "PVWatts v8 (mirror)" in stdout and "temperature" in stdout
