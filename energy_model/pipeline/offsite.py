"""Off-site (DPPA) farms, wind or solar: their own weather station, their output, and the
hourly match of that output against the park's metered grid consumption.

An off-site farm (``offsite: true`` on a wind farm or on a ground PV array) stands away
from its park, a wind farm often at sea. Its output is computed from the synthetic weather
of a station of the normals table: the one it names (``station``), else the one nearest its
``location`` (great-circle distance). The station's own weather goes to the project's wind
module or solar chain unchanged (a solar farm's sun position is taken at its ``location``,
else at its station). The farm's weather year is the same synthetic year (seed, weather
year) as the park's, so the two are coincident hours of one correlated province-wide draw.
One mechanism serves both kinds: :func:`offsite_supply` gives one column per farm.

**Hourly matching** (the volume a DPPA settles against): in each hour the matched off-site
energy is the part of the farms' output the park could take from the grid that hour,

    offsite_matched_kw = min(offsite output, grid_import_kw),

where ``grid_import_kw`` is the park's import after its own PV, wind and battery (the
metered consumption a Decree 57/2025 contract is settled on). The rest is sold into the
market by the generator.

**Caveat (nearshore wind).** The reference gives northern *offshore* wind about 50 % of its
annual energy in November–February (quang_ninh.md §3, S2). The island stations' normals
(Cô Tô, Vân Đồn) follow the monthly shape of the Qinzhou coastal record as §7 instructs,
and give a nearshore farm about 30 % at a 4–10 % capacity factor (by turbine, hub height
and station): the nearshore DPPA figures are a lower bound on winter complementarity
(flagged ``nearshore`` per farm; the normals are not tuned to the 50 %).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from energy_model.economics.contracts import match_hourly
from energy_model.errors import ScenarioError
from energy_model.geo.distance import great_circle_km
from energy_model.geo.land import is_land
from energy_model.pipeline.weather import normals_path
from energy_model.scenario import Park, Scenario
from energy_model.solar import pv_profiles_per_kwp
from energy_model.weather.normals import load_normals
from energy_model.weather.synthetic import synthesize
from energy_model.wind import farm_turbine, simulate_wind

#: Farthest an off-site farm may lie from its nearest normals station [km]: beyond this the
#: station does not stand for the farm's wind (the usual cause is a typing slip in lat/lon).
MAX_FARM_STATION_KM = 100.0
#: months of the northern winter monsoon whose share of the annual energy is reported
WINTER_MONTHS = (11, 12, 1, 2)
#: what an off-site farm of each kind is called in messages
OFFSITE_NOUN = {"wind": "wind farm", "pv": "solar farm"}
#: island stations whose normals follow the Qinzhou coastal record's monthly wind shape
#: (quang_ninh.md §7): a wind farm on their weather is nearshore (see the module caveat)
ISLAND_STATIONS = ("co_to", "van_don")


@dataclass(frozen=True)
class OffsiteAsset:
    """An off-site farm of a park and where it sits in the scenario.

    Attributes
    ----------
    farm : WindFarm or PVArray
    kind : str
        ``wind`` or ``pv``.
    key : str
        Scenario list it is in (``wind`` or ``pv``), for located messages.
    index : int
        Its position in that list.
    """

    farm: object
    kind: str
    key: str
    index: int


def offsite_assets(park: Park) -> list[OffsiteAsset]:
    """The park's off-site farms: its ``offsite`` PV arrays, then its ``offsite`` wind farms."""
    return ([OffsiteAsset(a, "pv", "pv", j) for j, a in enumerate(park.pv)
             if getattr(a, "offsite", False)]
            + [OffsiteAsset(f, "wind", "wind", j) for j, f in enumerate(park.wind)
               if getattr(f, "offsite", False)])


def offsite_capacity_kw(asset: OffsiteAsset) -> float:
    """Nameplate of an off-site farm [kW]: turbines × nominal power, or the solar farm's
    DC capacity ``fixed_kwp`` [kWp]."""
    f = asset.farm
    if asset.kind == "pv":
        return float(f.fixed_kwp)
    return float(farm_turbine(f).nominal_kw * f.fleet_size)


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
            raise ScenarioError(f"off-site farm {farm.name!r}: unknown station {farm.station!r}; "
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


def farm_output_kw(asset: OffsiteAsset, weather: pd.DataFrame, station) -> np.ndarray:
    """Hourly output of one off-site farm [kW] in its station's weather.

    Parameters
    ----------
    asset : OffsiteAsset
    weather : pandas.DataFrame
        The station's hourly weather (:func:`station_weather`).
    station : StationNormals
        The station (its position and altitude place a solar farm without a ``location``).

    Returns
    -------
    numpy.ndarray
        Wind: :func:`energy_model.wind.simulate_wind`; solar: the life-mean AC output per
        kWp of :func:`energy_model.solar.pv_profiles_per_kwp` (the on-site arrays' chain)
        × ``fixed_kwp``.
    """
    f = asset.farm
    if asset.kind == "wind":
        return simulate_wind(weather, [f])[f"{f.name}_kw"].to_numpy(dtype=float)
    loc = f.location
    site = {"latitude": loc.lat if loc is not None else station.latitude,
            "longitude": loc.lon if loc is not None else station.longitude,
            "altitude": station.altitude, "name": f.name}
    per_kwp = pv_profiles_per_kwp(weather, site, [f])[f.name]
    return per_kwp.to_numpy(dtype=float) * float(f.fixed_kwp)


def is_nearshore(asset: OffsiteAsset, station: str) -> bool:
    """A wind farm located at sea, or on an island station's weather (the module caveat)."""
    if asset.kind != "wind":
        return False
    loc = asset.farm.location
    return station in ISLAND_STATIONS or (loc is not None and is_land(loc.lat, loc.lon) is False)


def offsite_supply(scenario: Scenario, park: Park, park_weather: pd.DataFrame
                   ) -> tuple[pd.DataFrame | None, list[dict], list[str]]:
    """Hourly output of a park's off-site farms (wind and solar), each from its own
    station's weather.

    Parameters
    ----------
    scenario : Scenario
    park : Park
    park_weather : pandas.DataFrame
        The park's weather (gives the index and the synthetic weather year).

    Returns
    -------
    kw : pandas.DataFrame or None
        One column per off-site farm (its name) [kW] on the park's index; None without
        off-site farms.
    farms : list of dict
        Per farm: ``farm``, ``kind`` (wind, pv), ``station``, ``station_name``,
        ``distance_km``, ``capacity_kw`` (solar: DC kWp), ``energy_mwh``,
        ``nov_feb_share``, ``nearshore`` (:func:`is_nearshore`).
    notes : list of str
        Which station each farm uses and how far it is.
    """
    assets = offsite_assets(park)
    if not assets:
        return None, [], []
    stations = load_normals(normals_path(scenario)).stations
    year = int(park_weather.attrs.get("weather_year", 0) or 0)
    cols, farms, notes = {}, [], []
    for a in assets:
        f = a.farm
        sid, km = farm_station(f, stations)
        weather = station_weather(scenario, sid, year)
        if len(weather) != len(park_weather):
            raise ScenarioError(f"park {park.id!r}, off-site farm {f.name!r}: station {sid!r} "
                                f"gives {len(weather)} hours, the park's weather "
                                f"{len(park_weather)}")
        kw = farm_output_kw(a, weather, stations[sid])
        cols[f.name] = kw
        cap = offsite_capacity_kw(a)
        monthly = np.bincount(park_weather.index.month - 1, weights=kw, minlength=12)
        farms.append({"farm": f.name, "kind": a.kind, "station": sid,
                      "station_name": stations[sid].name, "distance_km": km,
                      "capacity_kw": cap, "energy_mwh": float(kw.sum() / 1000),
                      "nov_feb_share": _winter_share(monthly),
                      "nearshore": is_nearshore(a, sid)})
        how = ("named station" if f.station is not None else "nearest normals station")
        far = "" if km is None else f", {km:,.1f} km from the farm"
        size = f"{cap / 1000:,.1f} MW" if a.kind == "wind" else f"{cap / 1000:,.1f} MWp"
        notes.append(f"{park.id}.{f.name}: off-site {'wind' if a.kind == 'wind' else 'solar'} "
                     f"{size} from the weather of {stations[sid].name} ({sid}, {how}{far}), "
                     f"not the park's {park_weather.attrs.get('station', 'weather')}; "
                     "reported as DPPA supply, not on-site")
    return pd.DataFrame(cols, index=park_weather.index), farms, notes


def offsite_by_kind(offsite_kw: pd.DataFrame | None, park: Park, kind: str
                    ) -> pd.Series | None:
    """Summed output of a park's off-site farms of one kind [kW] (None without one).

    Parameters
    ----------
    offsite_kw : pandas.DataFrame or None
        One column per off-site farm (:func:`offsite_supply`).
    park : Park
    kind : str
        ``wind``, ``pv`` or ``all``.
    """
    if offsite_kw is None:
        return None
    names = {a.farm.name for a in offsite_assets(park) if kind in ("all", a.kind)}
    cols = [c for c in offsite_kw.columns if c in names]
    if not cols:
        return None
    return offsite_kw[cols].sum(axis=1).rename(f"offsite_{kind}_kw")


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


def _monthly_per_kw(series: pd.Series | None, cap_kw: float) -> np.ndarray:
    """Monthly energy per kW of nameplate [kWh/kW]; NaN without the series."""
    if series is None or not cap_kw > 0:
        return np.full(12, np.nan)
    return np.bincount(series.index.month - 1, weights=series.to_numpy(float),
                       minlength=12) / cap_kw


def offsite_tables(result) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """``offsite_farms.csv`` (one row per off-site farm: kind, station, distance, annual
    energy, Nov–Feb share, nearshore flag; and an ``ALL`` row per park with the matched
    energy) and ``offsite_monthly.csv`` (per park and month: park PV [kWh/kWp], off-site wind
    [kWh/kW] and off-site solar [kWh/kWp], and their shares of the annual energy; NaN for a
    kind the park does not have); None for a run without off-site farms."""
    farms, months = [], []
    for pid, p in result.parks.items():
        off = p.inputs.offsite_kw
        if off is None:
            continue
        info = getattr(p.inputs, "offsite_farms", []) or []
        cap = {k: sum(f["capacity_kw"] for f in info if k in ("all", f["kind"]))
               for k in ("all", "wind", "pv")}
        total = off.sum(axis=1)
        matched = p.hourly["offsite_matched_kw"].to_numpy(float)
        by_kind = {k: _monthly_per_kw(offsite_by_kind(off, p.inputs.park, k), cap[k])
                   for k in ("wind", "pv")}
        pv = _pv_per_kwp(p)
        pv_m = (np.bincount(pv.index.month - 1, weights=pv.to_numpy(), minlength=12)
                if pv is not None else np.full(12, np.nan))
        for f in info:
            farms.append({"park_id": pid, **f, "matched_mwh": np.nan})
        farms.append({"park_id": pid, "farm": "ALL", "kind": "", "station": "",
                      "station_name": "", "distance_km": np.nan,
                      "capacity_kw": cap["all"] or np.nan,
                      "energy_mwh": float(total.sum()) / 1000,
                      "matched_mwh": float(matched.sum()) / 1000,
                      "nov_feb_share": _winter_share(np.bincount(
                          total.index.month - 1, weights=total.to_numpy(float), minlength=12)),
                      "nearshore": any(f.get("nearshore", False) for f in info)})
        for m in range(12):
            months.append({"park_id": pid, "month": m + 1, "pv_kwh_per_kwp": pv_m[m],
                           "offsite_wind_kwh_per_kw": by_kind["wind"][m],
                           "offsite_pv_kwh_per_kwp": by_kind["pv"][m],
                           "pv_share": _share(pv_m, m),
                           "offsite_wind_share": _share(by_kind["wind"], m),
                           "offsite_pv_share": _share(by_kind["pv"], m)})
    if not farms:
        return None
    return pd.DataFrame(farms), pd.DataFrame(months)


def _share(monthly: np.ndarray, m: int) -> float:
    total = np.nansum(monthly)
    return float(monthly[m] / total) if np.isfinite(monthly[m]) and total > 0 else np.nan


def offsite_summary(inputs, grid_import_kw) -> dict:
    """The off-site columns of a park's ``summary.csv`` row: ``offsite_mw`` (nameplate; a
    solar farm's DC MWp), ``offsite_energy_mwh``, ``offsite_matched_mwh`` (:func:`matched_kw`
    against the park's grid import) and ``offsite_station`` (the farms' stations, ``;``
    separated); zeros and '' for a park without an off-site farm."""
    off = getattr(inputs, "offsite_kw", None)
    if off is None:
        return {"offsite_mw": 0.0, "offsite_energy_mwh": 0.0, "offsite_matched_mwh": 0.0,
                "offsite_station": ""}
    total = off.sum(axis=1).to_numpy(float)
    info = getattr(inputs, "offsite_farms", []) or []
    return {"offsite_mw": sum(f["capacity_kw"] for f in info) / 1000,
            "offsite_energy_mwh": float(total.sum()) / 1000,
            "offsite_matched_mwh": float(matched_kw(total, grid_import_kw).sum()) / 1000,
            "offsite_station": ";".join(dict.fromkeys(f["station"] for f in info))}


def write_offsite(result, folder: Path, write_csv) -> None:
    """Write ``offsite_farms.csv`` and ``offsite_monthly.csv`` (nothing without off-site
    farms); ``write_csv`` is the results folder's writer."""
    tables = offsite_tables(result)
    if tables is None:
        return
    write_csv(tables[0], folder / "offsite_farms.csv", index=False)
    write_csv(tables[1], folder / "offsite_monthly.csv", index=False)
