"""Weather of a scenario: which files and stations its parks use, and their hourly frames.

:func:`weather_sources` is the one description of what :func:`scenario_weather` reads;
the studies' weather cache keys on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from energy_model.errors import WeatherError
from energy_model.paths import shipped_dir
from energy_model.scenario import Park, Scenario
from energy_model.weather.normals import SHIPPED_NORMALS, load_normals
from energy_model.weather.readers import read_weather, to_year
from energy_model.weather.synthetic import synthesize
from energy_model.wind import coastal_wind_check

#: stations of the coastal wind check (energy_model.wind.coastal_wind_check)
COASTAL_STATIONS = ("co_to", "van_don", "mong_cai", "hai_ha", "quang_yen")


@dataclass(frozen=True)
class WeatherSources:
    """What a scenario's weather is made from.

    Attributes
    ----------
    files : tuple of str
        Weather files read (sorted).
    stations : tuple of str
        Stations synthesised from the normals (sorted).
    normals : Path or None
        Normals file of the synthetic stations (None when there are none).
    """

    files: tuple[str, ...]
    stations: tuple[str, ...]
    normals: Path | None


def normals_path(scenario: Scenario) -> Path:
    """The scenario's normals file (default: the shipped Quảng Ninh normals)."""
    w = scenario.weather
    return Path(w.normals) if w.normals else shipped_dir("weather") / SHIPPED_NORMALS


def weather_sources(scenario: Scenario) -> WeatherSources:
    """The files and synthetic stations :func:`scenario_weather` uses."""
    w = scenario.weather
    files = {p.weather_file for p in scenario.parks if p.weather_file}
    if w.source == "file" and w.file:
        files.add(w.file)
    stations = sorted({p.weather_station for p in scenario.parks
                       if not p.weather_file and w.source == "normals" and p.weather_station})
    return WeatherSources(files=tuple(sorted(str(f) for f in files)), stations=tuple(stations),
                          normals=normals_path(scenario) if w.source == "normals" else None)


def _read_file(scenario: Scenario, f: str) -> pd.DataFrame:
    df, meta = read_weather(f, tz=scenario.timezone)
    try:
        df = to_year(df, scenario.year)
    except WeatherError as exc:  # name the file the record came from
        if str(f) in str(exc):
            raise
        raise WeatherError(f"{f}: {exc}", exc.problems, file=str(f)) from exc
    df.attrs.update({k: v for k, v in meta.items() if k not in df.attrs})
    return df


def scenario_weather(scenario: Scenario) -> dict[str, list[pd.DataFrame]]:
    """Hourly weather for every station (or file) the parks use.

    Synthetic stations are driven by one correlated process (one call), so cloudy days
    and calm nights come together across the province.

    Parameters
    ----------
    scenario : Scenario

    Returns
    -------
    dict of str to list of pandas.DataFrame
        Keyed by :func:`park_weather_key`; one frame per weather year (``weather.years``
        for synthetic stations, one for files).
    """
    src = weather_sources(scenario)
    out: dict[str, list[pd.DataFrame]] = {}
    for f in src.files:
        out[f"file:{f}"] = [_read_file(scenario, f)]
    if src.stations:
        w = scenario.weather
        out.update(synthesize(load_normals(src.normals), list(src.stations), scenario.year,
                              w.seed, years=w.years, tz=scenario.timezone))
    return out


def park_weather_key(scenario: Scenario, park: Park) -> str:
    """Key of :func:`scenario_weather`'s dict that a park uses."""
    if park.weather_file:
        return f"file:{park.weather_file}"
    if scenario.weather.source == "file":
        return f"file:{scenario.weather.file}"
    return park.weather_station


def wind_resource_table(scenario: Scenario, weather: dict) -> pd.DataFrame | None:
    """Hub-height wind, Weibull k and reference-turbine capacity factor of the coastal and
    island stations (:func:`energy_model.wind.coastal_wind_check`), against published
    figures.

    Stations of the check that no park uses (Cô Tô, whose 4.4 m/s at 65 m is the published
    anchor) are synthesised in a separate call with the same seed, so the parks' weather
    does not depend on the check.
    """
    frames = {k: v for k, v in weather.items() if not k.startswith("file:")}
    if scenario.weather.source == "normals":
        normals = load_normals(normals_path(scenario))
        extra = [st for st in COASTAL_STATIONS if st in normals.stations and st not in frames]
        if extra:
            frames.update(synthesize(normals, extra, scenario.year, scenario.weather.seed,
                                     years=1, tz=scenario.timezone))
    if not frames:
        return None
    table = coastal_wind_check({k: v[0] for k, v in frames.items()})
    return table if len(table) else None
