"""Shared fixtures and assertion helpers.

- The whole test run uses a private cache (``$ENERGY_MODEL_CACHE`` and ``$XDG_CACHE_HOME``
  in a temporary folder, set once per session), so no test reads or fills the user's cache.
- Greensboro NC (pvlib's bundled TMY3 file ``723170TYA.CSV``) comes in two named shapes:
  ``greensboro_record`` (the project's reader) and ``greensboro_pvlib`` (pvlib's reader,
  restamped); ``test_weather_validation`` adds ``greensboro_synthetic`` on top.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pvlib
import pytest

from energy_model.cli import main
from energy_model.weather import read_weather

matplotlib.use("Agg")

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = REPO / "scenarios"
CATALOG = SCENARIOS / "quang_ninh_2030.yaml"
PVLIB_DATA = Path(pvlib.__file__).parent / "data"
GREENSBORO = PVLIB_DATA / "723170TYA.CSV"


def pytest_configure(config):
    os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Every cache of the package (sweep results, weather, PVGIS) in a temporary folder, once
    for the whole run; tests of the cache itself point it elsewhere with monkeypatch."""
    root = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(root / "xdg"))
        mp.setenv("ENERGY_MODEL_CACHE", str(root / "energy_model"))
        mp.delenv("ENERGY_MODEL_CACHE_MAX_MB", raising=False)
        yield root


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def run_cli(capsys):
    """Run the CLI in-process; return (exit_code, stdout, stderr)."""
    def _run(*argv: str):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def tmy3_weather(filename: str) -> tuple[pd.DataFrame, dict]:
    """A pvlib bundled TMY3 file as canonical weather labelled at interval start.

    TMY3 labels hour-ending (01:00 is the 00:00–01:00 mean) and mixes years; the 8,760
    records are restamped onto 1990, first record at 00:00 (interval start).
    """
    df, meta = pvlib.iotools.read_tmy3(PVLIB_DATA / filename, map_variables=True)
    assert len(df) == 8760 and df.index[0].hour == 1  # hour-ending, starts 01:00
    tz = f"Etc/GMT{-int(meta['TZ']):+d}"
    index = pd.date_range("1990-01-01 00:00", periods=8760, freq="h", tz=tz)
    weather = pd.DataFrame({
        "ghi": df["ghi"].to_numpy(float), "dni": df["dni"].to_numpy(float),
        "dhi": df["dhi"].to_numpy(float), "temp_air": df["temp_air"].to_numpy(float),
        "wind_speed": df["wind_speed"].to_numpy(float),
        "pressure": df["pressure"].to_numpy(float) * 100.0}, index=index)
    location = {"latitude": meta["latitude"], "longitude": meta["longitude"],
                "altitude": meta["altitude"]}
    return weather, location


@pytest.fixture(scope="session")
def greensboro_record():
    """Greensboro's TMY3 file through :func:`energy_model.weather.read_weather`:
    ``(weather, meta)``."""
    return read_weather(GREENSBORO)


@pytest.fixture(scope="session")
def greensboro_pvlib():
    """Greensboro's TMY3 file read by pvlib and restamped (:func:`tmy3_weather`):
    ``(weather, location)``."""
    return tmy3_weather(GREENSBORO.name)
