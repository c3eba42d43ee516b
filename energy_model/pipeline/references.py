"""Checks of a scenario's named references against the stages' data: weather stations
of the normals table, tariff names, library turbines and the files a scenario names.

This sits above the scenario schema and the stages: :func:`load_scenario` (the public
``energy_model.load_scenario``) loads a file with :func:`energy_model.scenario.load_scenario`
(schema only) and then checks its references here, so the scenario package imports no stage.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from energy_model import tariff as tariff_mod
from energy_model.errors import Problem, ScenarioError
from energy_model.geo.distance import great_circle_km
from energy_model.geo.siting import land_problems
from energy_model.scenario.locate import located_problem
from energy_model.scenario import load_scenario as load_schema
from energy_model.pipeline.offsite import (MAX_FARM_STATION_KM, OFFSITE_NOUN, nearest_station,
                                          offsite_assets)
from energy_model.pipeline.weather import normals_path
from energy_model.scenario.model import Scenario
from energy_model.substations import load_substations
from energy_model.weather.normals import load_normals
from energy_model.wind.turbines import get_turbine, turbine_library
from energy_model.yaml_io import LineMap

#: Farthest a park may lie from the weather station whose synthetic weather it uses [km].
#: The shipped catalog's parks lie within 26 km of theirs; Quảng Ninh is ~250 km long.
#: Beyond this the station's climate does not stand for the site, and the usual cause
#: is a typing slip (a dropped minus sign, swapped digits, lat and lon exchanged).
MAX_STATION_DISTANCE_KM = 100.0


def _station_too_far(park, station) -> str | None:
    """A message when a park lies farther than MAX_STATION_DISTANCE_KM from its station."""
    lat, lon = getattr(station, "latitude", None), getattr(station, "longitude", None)
    if lat is None or lon is None:
        return None
    km = great_circle_km(park.location.lat, park.location.lon, lat, lon)
    if km <= MAX_STATION_DISTANCE_KM:
        return None
    return (f"lat {park.location.lat:g}, lon {park.location.lon:g} is {km:,.0f} km from its "
            f"weather station {park.weather_station!r} (lat {lat:g}, lon {lon:g}); expected "
            f"within {MAX_STATION_DISTANCE_KM:g} km: check the sign and digits of lat and lon, "
            "or give a weather_file for this site")


def offsite_problems(scenario: Scenario, i: int, park, add) -> None:
    """Off-site farms (wind and solar): a named station must be in the normals table, and
    the nearest one within :data:`~energy_model.pipeline.offsite.MAX_FARM_STATION_KM` of
    the farm."""
    farms = offsite_assets(park)
    if not farms:
        return
    try:
        stations = dict(load_normals(normals_path(scenario)).stations)
    except Exception as exc:  # reported, not raised: list all problems together
        add(f"off-site farms take their weather from the normals table, which cannot "
            f"be read: {exc}", ("weather", "normals"))
        return
    for a in farms:
        what = f"off-site {OFFSITE_NOUN[a.kind]} {a.farm.name!r}"
        f = a.farm
        if f.station is not None and f.station not in stations:
            close = difflib.get_close_matches(f.station, sorted(stations), n=1)
            hint = (f"; did you mean {close[0]!r}?" if close
                    else f"; known: {', '.join(sorted(stations))}")
            add(f"unknown weather station {f.station!r} for {what}{hint}",
                ("parks", i, a.key, a.index, "station"))
        elif f.station is None and f.location is not None:
            sid, km = nearest_station(stations, f.location.lat, f.location.lon)
            if km > MAX_FARM_STATION_KM:
                add(f"{what} at lat {f.location.lat:g}, lon {f.location.lon:g} is {km:,.0f} "
                    f"km from the nearest normals station {sid!r}; expected within "
                    f"{MAX_FARM_STATION_KM:g} km: check lat and lon, or name a 'station'",
                    ("parks", i, a.key, a.index, "location"))


def reference_problems(scenario: Scenario, file: str, lines: LineMap) -> list[Problem]:
    """Check names and files the schema alone cannot: stations, tariffs, turbines, files."""
    problems: list[Problem] = []

    def add(msg: str, loc: tuple) -> None:
        problems.append(located_problem(msg, file, lines, loc))

    # weather
    w = scenario.weather
    stations: dict = {}
    if w.source == "normals":
        normals = normals_path(scenario)
        if not normals.exists():
            add(f"normals file not found: {normals}", ("weather", "normals"))
        else:
            try:
                stations = dict(load_normals(normals).stations)
            except Exception as exc:  # reported, not raised: list all problems together
                add(f"normals file cannot be read: {exc}", ("weather", "normals"))
    elif w.file and not Path(w.file).exists():
        add(f"weather file not found: {w.file}", ("weather", "file"))

    # tariff
    known = sorted(tariff_mod.load_tariff_table().tariffs)
    if scenario.tariff.name not in known:
        close = difflib.get_close_matches(scenario.tariff.name, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        add(f"unknown tariff {scenario.tariff.name!r}{hint} (known: {', '.join(known)})",
            ("tariff", "name"))

    for i, park in enumerate(scenario.parks):
        if park.weather_file and not Path(park.weather_file).exists():
            add(f"weather file not found: {park.weather_file}", ("parks", i, "weather_file"))
        elif w.source == "normals" and not park.weather_file and stations:
            if park.weather_station is None:
                add("weather_station is required when weather.source is 'normals'",
                    ("parks", i))
            elif park.weather_station not in stations:
                close = difflib.get_close_matches(park.weather_station, sorted(stations), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(sorted(stations))}"
                add(f"unknown weather station {park.weather_station!r}{hint}",
                    ("parks", i, "weather_station"))
            else:
                far = _station_too_far(park, stations[park.weather_station])
                if far:
                    add(far, ("parks", i, "location"))
        for msg, sub in land_problems(park):  # issue 20: ground PV / onshore wind at sea
            add(msg, ("parks", i, *sub))
        if park.grid.substation is not None:
            subs = load_substations()
            if park.grid.substation not in subs:
                close = difflib.get_close_matches(park.grid.substation, sorted(subs), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                add(f"unknown substation {park.grid.substation!r}{hint} (energy_model/data/"
                    "substations.csv)", ("parks", i, "grid", "substation"))
        meter = getattr(park.load, "meter_file", None)
        if meter and not Path(meter).exists():
            add(f"meter file not found: {meter}", ("parks", i, "load", "meter_file"))
        offsite_problems(scenario, i, park, add)  # issue 18: each farm's own station
        for j, farm in enumerate(park.wind):
            curve = getattr(farm, "power_curve", None)
            if curve:
                if not Path(curve).exists():
                    add(f"power curve file not found: {curve}", ("parks", i, "wind", j, "power_curve"))
                continue
            try:
                get_turbine(farm.turbine)
            except Exception:
                names = list(turbine_library()["name"])
                close = difflib.get_close_matches(str(farm.turbine), names, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else \
                    "; run 'energy-model wind --list-turbines' for the library"
                add(f"unknown turbine {farm.turbine!r}{hint}", ("parks", i, "wind", j, "turbine"))
    return problems


def load_scenario(path: str | Path | None = None, overrides: dict[str, Any] | None = None,
                  check_references: bool = True) -> Scenario:
    """Load, layer and validate a scenario file, and check its named references.

    Parameters
    ----------
    path : str or Path, optional
        Scenario YAML. Default: the Quảng Ninh catalog.
    overrides : dict, optional
        ``{"key.path": value}`` applied last (highest precedence).
    check_references : bool
        Also check named references: weather stations, tariffs, turbines and files.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        Listing every problem with its file, line and key path.
    """
    scenario = load_schema(path, overrides)
    if check_references:
        files = getattr(scenario, "_files", ())
        top = str(files[-1]) if files else str(path)
        problems = reference_problems(scenario, top, scenario._lines)
        if problems:
            raise ScenarioError(f"{top}: {len(problems)} problem(s) in the scenario",
                                problems, file=top)
    return scenario
