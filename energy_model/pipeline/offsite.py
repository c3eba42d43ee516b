"""Off-site (DPPA) wind farms: their own weather station, their output, and the hourly
match of that output against the park's metered grid consumption.

An off-site farm (``offsite: true``) stands away from its park, often at sea. Its output
is computed from the synthetic weather of a station of the normals table: the one it names
(``station``), else the one nearest its ``location`` (great-circle distance). The station's
own wind speed, measurement height and terrain go to the wind module unchanged; the wind
module alone carries them to hub height. The farm's weather year is the same synthetic year
(seed, weather year) as the park's, so the two are coincident hours of one correlated
province-wide draw.

**Hourly matching** (the volume a DPPA settles against): in each hour the matched off-site
energy is the part of the farm's output the park could take from the grid that hour,

    offsite_matched_kw = min(offsite_wind_kw, grid_import_kw),

where ``grid_import_kw`` is the park's import after its own PV, wind and battery (the
metered consumption a Decree 57/2025 contract is settled on). The rest,
``offsite_wind_kw − offsite_matched_kw``, is sold into the market by the generator.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from energy_model.economics.contracts import match_hourly
from energy_model.errors import ScenarioError
from energy_model.geo.distance import great_circle_km
from energy_model.pipeline.weather import normals_path
from energy_model.scenario import Park, Scenario
from energy_model.weather.normals import load_normals
from energy_model.weather.synthetic import synthesize
from energy_model.wind import farm_turbine, simulate_wind

#: Farthest an off-site farm may lie from its nearest normals station [km]: beyond this the
#: station does not stand for the farm's wind (the usual cause is a typing slip in lat/lon).
MAX_FARM_STATION_KM = 100.0
#: months of the northern winter monsoon whose share of the annual energy is reported
WINTER_MONTHS = (11, 12, 1, 2)


def nearest_station(stations: dict, lat: float, lon: float) -> tuple[str, float]:
    """The normals station nearest a point, and its distance.

    Parameters
    ----------
    stations : dict of str to StationNormals
        ``Normals.stations``.
    lat, lon : float
        Position [deg].

    Returns
    -------
    station : str
    distance_km : float
        Great-circle distance [km].
    """
    ids = sorted(stations)
    d = [float(great_circle_km(lat, lon, stations[s].latitude, stations[s].longitude))
         for s in ids]
    k = int(np.argmin(d))
    return ids[k], d[k]


def farm_station(farm, stations: dict) -> tuple[str, float | None]:
    """The station an off-site farm's weather comes from, and its distance from the farm.

    Returns
    -------
    station : str
        The farm's ``station``, else the one nearest its ``location``.
    distance_km : float or None
        Farm to station [km]; None when the farm names a station and gives no location.

    Raises
    ------
    ScenarioError
        For an unknown station (the scenario check reports it located first).
    """
    loc = farm.location
    if farm.station is not None:
        if farm.station not in stations:
            raise ScenarioError(f"wind farm {farm.name!r}: unknown station {farm.station!r}; "
                                f"known: {', '.join(sorted(stations))}")
        st = stations[farm.station]
        km = (None if loc is None else
              float(great_circle_km(loc.lat, loc.lon, st.latitude, st.longitude)))
        return farm.station, km
    return nearest_station(stations, loc.lat, loc.lon)


@functools.lru_cache(maxsize=16)
def _station_year(normals: str, station: str, year: int, seed: int, years: int, tz: str,
                  weather_year: int) -> pd.DataFrame:
    return synthesize(load_normals(normals), [station], year, seed, years=years,
                      tz=tz)[station][weather_year]


def station_weather(scenario: Scenario, station: str, weather_year: int = 0) -> pd.DataFrame:
    """Synthetic hourly weather of a normals station in the scenario's year and seed.

    The same frame :func:`~energy_model.pipeline.scenario_weather` gives that station
    (the draws of all stations come from one correlated process). Cached per process.

    Parameters
    ----------
    scenario : Scenario
    station : str
        Station id of the scenario's normals table.
    weather_year : int
        Index of the synthetic weather year (0 for the typical year).
    """
    w = scenario.weather
    years = max(int(w.years), weather_year + 1)
    return _station_year(str(normals_path(scenario)), station, int(scenario.year),
                         int(w.seed), years, str(scenario.timezone), int(weather_year)).copy()


def offsite_wind(scenario: Scenario, park: Park, park_weather: pd.DataFrame
                 ) -> tuple[pd.Series | None, list[dict], list[str]]:
    """Hourly output of a park's off-site farms, each from its own station's weather.

    Parameters
    ----------
    scenario : Scenario
    park : Park
    park_weather : pandas.DataFrame
        The park's weather (gives the index and the synthetic weather year).

    Returns
    -------
    kw : pandas.Series or None
        Summed off-site output [kW] on the park's index; None without off-site farms.
    farms : list of dict
        Per farm: ``farm``, ``station``, ``station_name``, ``distance_km``,
        ``capacity_kw``, ``energy_mwh``.
    notes : list of str
        Which station each farm uses and how far it is.
    """
    offsite = [f for f in park.wind if f.offsite]
    if not offsite:
        return None, [], []
    stations = load_normals(normals_path(scenario)).stations
    year = int(park_weather.attrs.get("weather_year", 0) or 0)
    total = np.zeros(len(park_weather))
    farms, notes = [], []
    for f in offsite:
        sid, km = farm_station(f, stations)
        weather = station_weather(scenario, sid, year)
        if len(weather) != len(park_weather):
            raise ScenarioError(f"park {park.id!r}, wind farm {f.name!r}: station {sid!r} "
                                f"gives {len(weather)} hours, the park's weather "
                                f"{len(park_weather)}")
        kw = simulate_wind(weather, [f])[f"{f.name}_kw"].to_numpy(dtype=float)
        total += kw
        cap = farm_turbine(f).nominal_kw * f.fleet_size
        monthly = np.bincount(park_weather.index.month - 1, weights=kw, minlength=12)
        farms.append({"farm": f.name, "station": sid, "station_name": stations[sid].name,
                      "distance_km": km, "capacity_kw": float(cap),
                      "energy_mwh": float(kw.sum() / 1000),
                      "nov_feb_share": _winter_share(monthly)})
        how = ("named station" if f.station is not None else "nearest normals station")
        far = "" if km is None else f", {km:,.1f} km from the farm"
        notes.append(f"{park.id}.{f.name}: off-site wind {cap / 1000:,.1f} MW from the weather "
                     f"of {stations[sid].name} ({sid}, {how}{far}), not the park's "
                     f"{park_weather.attrs.get('station', 'weather')}; reported as DPPA "
                     "supply, not on-site")
    return pd.Series(total, index=park_weather.index, name="offsite_wind_kw"), farms, notes


def matched_kw(offsite_kw, grid_import_kw) -> np.ndarray:
    """Off-site output matched hour by hour with the park's grid import [kW].

    ``min(offsite, import)`` each hour (see the module docstring): the contracts' own
    matching, :func:`energy_model.economics.contracts.match_hourly`, with the whole farm
    and no grid losses.
    """
    off = pd.Series(np.asarray(offsite_kw, dtype=float))
    imp = pd.Series(np.asarray(grid_import_kw, dtype=float), index=off.index)
    return match_hourly(off, imp)["matched_kw"].to_numpy()


def _winter_share(monthly: np.ndarray) -> float:
    total = float(np.sum(monthly))
    return float(sum(monthly[m - 1] for m in WINTER_MONTHS) / total) if total > 0 else np.nan


def _pv_per_kwp(p) -> pd.Series | None:
    """Park PV output per kWp [kW/kWp]: arrays weighted by built capacity, else their mean."""
    per = p.inputs.pv_per_kwp
    if per is None or per.shape[1] == 0:
        return None
    caps = p.sizing.capacities
    w = np.array([caps.get(f"pv_{c.removesuffix('_kw_per_kwp')}_kw", 0.0) for c in per.columns])
    w = w if w.sum() > 0 else np.ones(per.shape[1])
    return pd.Series(per.to_numpy(float) @ (w / w.sum()), index=per.index)


def offsite_tables(result) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """``offsite_farms.csv`` (one row per off-site farm: station, distance, annual and
    matched energy, Nov–Feb share) and ``offsite_monthly.csv`` (per park and month: park PV
    [kWh/kWp] and off-site wind [kWh/kW] and their shares of the annual energy); None for
    a run without off-site farms."""
    farms, months = [], []
    for pid, p in result.parks.items():
        off = p.inputs.offsite_wind_kw
        if off is None:
            continue
        info = getattr(p.inputs, "offsite_farms", []) or []
        cap = sum(f["capacity_kw"] for f in info) or np.nan
        matched = p.hourly["offsite_matched_kw"].to_numpy(float)
        m_idx = off.index.month
        wind_m = np.bincount(m_idx - 1, weights=off.to_numpy(float), minlength=12) / cap
        pv = _pv_per_kwp(p)
        pv_m = (np.bincount(pv.index.month - 1, weights=pv.to_numpy(), minlength=12)
                if pv is not None else np.full(12, np.nan))
        for f in info:
            farms.append({"park_id": pid, **f, "matched_mwh": np.nan})
        farms.append({"park_id": pid, "farm": "ALL", "station": "", "station_name": "",
                      "distance_km": np.nan, "capacity_kw": cap,
                      "energy_mwh": float(off.sum()) / 1000,
                      "matched_mwh": float(matched.sum()) / 1000,
                      "nov_feb_share": _winter_share(wind_m)})
        for m in range(12):
            months.append({"park_id": pid, "month": m + 1, "pv_kwh_per_kwp": pv_m[m],
                           "offsite_wind_kwh_per_kw": wind_m[m],
                           "pv_share": pv_m[m] / np.nansum(pv_m) if pv is not None else np.nan,
                           "offsite_wind_share": wind_m[m] / np.nansum(wind_m)})
    if not farms:
        return None
    return pd.DataFrame(farms), pd.DataFrame(months)


def write_offsite(result, folder: Path, write_csv) -> None:
    """Write ``offsite_farms.csv`` and ``offsite_monthly.csv`` (nothing without off-site
    farms); ``write_csv`` is the results folder's writer."""
    tables = offsite_tables(result)
    if tables is None:
        return
    write_csv(tables[0], folder / "offsite_farms.csv", index=False)
    write_csv(tables[1], folder / "offsite_monthly.csv", index=False)
