"""Where the design weather year sits in a 30-year ensemble (issue 17 item 7).

The design year of a synthetic station is a *typical* year: its monthly means equal the
normals it was built from, so comparing it with those normals checks nothing. Instead,
:data:`ENSEMBLE_YEARS` synthetic years are drawn from the same normals with another seed
(``weather.seed`` + :data:`ENSEMBLE_SEED_OFFSET`; year-to-year anomalies on, as
``energy-model weather synth --years 30``), and two yearly figures of each station are
ranked:

- **PV yield** [kWh/kWp/yr]: the project's solar chain (:func:`energy_model.solar.simulate_pv`,
  first operating year) on a reference rooftop array (preset ``factory_roof_10deg``, 1 kWp);
- **wind power density** [W/m²]: the yearly mean of ½ ρ v³ at the station's measurement
  height, ρ = p / (287.05 × T). Extrapolating to a hub height multiplies every year by the
  same factor, so the rank is that of the hub-height power density.

The design year's **exceedance** is the share of ensemble years with a larger value (ties
count half) :func:`exceedance`: 0.9 means 90 % of years do better, a P90 (poor) year; 0.5 a
median year. :func:`energy_model.studies.analysis.write_analysis` saves the long table as
``analysis/weather_check.csv`` (one row per station, quantity and year: ``weather_year`` 0
is the design year, 1…30 the ensemble) and the hourly-structure parameters of the design
year against its normals as ``analysis/weather_params.csv``.

CPU on the 2030 catalog (9 stations): about 3.5 s to synthesise the 30 years and 0.014 s
per station-year for the PV chain (≈ 4 s), measured on the shared 2-core machine.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from energy_model.scenario.pv import PVArray
from energy_model.solar import simulate_pv
from energy_model.weather.normals import load_normals
from energy_model.weather.stats import weather_stats
from energy_model.weather.synthetic import synthesize

#: synthetic years of the ensemble
ENSEMBLE_YEARS = 30
#: the ensemble's seed is the scenario's plus this (another draw than the design year)
ENSEMBLE_SEED_OFFSET = 1000
#: specific gas constant of dry air [J/kg/K]
R_DRY_AIR = 287.05
#: reference PV array of the yield (pv_presets.yaml)
REFERENCE_PRESET = "factory_roof_10deg"
#: quantities ranked: name → unit
QUANTITIES = {"pv_yield": "kWh/kWp/yr", "wind_power_density": "W/m2"}

COLUMNS = ["station", "name", "quantity", "unit", "weather_year", "value", "exceedance",
           "n_years"]


def exceedance(value: float, ensemble) -> float:
    """Share of ``ensemble`` values above ``value``, ties counting half [-].

    Parameters
    ----------
    value : float
        The design year's figure.
    ensemble : array_like
        The ensemble years' figures.

    Returns
    -------
    float
        In [0, 1]; NaN for an empty ensemble or a NaN value.
    """
    e = np.asarray(ensemble, dtype=float)
    e = e[np.isfinite(e)]
    if e.size == 0 or not np.isfinite(value):
        return math.nan
    return float((np.sum(e > value) + 0.5 * np.sum(e == value)) / e.size)


def pv_yield_kwh_per_kwp(weather: pd.DataFrame) -> float:
    """Yearly AC yield of the reference rooftop array in its first year [kWh/kWp]; NaN for
    a weather frame that does not say where it is."""
    a = weather.attrs
    if a.get("latitude") is None or a.get("longitude") is None:
        return math.nan
    array = PVArray.preset(REFERENCE_PRESET, name="ref", latitude=a.get("latitude"))
    site = {"latitude": a["latitude"], "longitude": a["longitude"],
            "altitude": a.get("altitude", 0.0), "name": a.get("station", "")}
    out = simulate_pv(weather, site, [array], operating_year=1, check=False)
    return float(out["ref_ac_kw"].sum())  # hourly kW → kWh (a leap year has 24 h more)


def wind_power_density_w_m2(weather: pd.DataFrame) -> float:
    """Yearly mean wind power density ½ ρ v³ at the measurement height [W/m²] (ρ at
    101,325 Pa where the frame has no pressure)."""
    if "pressure" not in weather:
        weather = weather.assign(pressure=101325.0)
    v = weather["wind_speed"].to_numpy(dtype=float)
    rho = (weather["pressure"].to_numpy(dtype=float)
           / (R_DRY_AIR * (weather["temp_air"].to_numpy(dtype=float) + 273.15)))
    return float(np.mean(0.5 * rho * v ** 3))


def year_figures(weather: pd.DataFrame) -> dict[str, float]:
    """The ranked figures of one weather year (see :data:`QUANTITIES`)."""
    return {"pv_yield": pv_yield_kwh_per_kwp(weather),
            "wind_power_density": wind_power_density_w_m2(weather)}


def ensemble_table(station: str, name: str, design: pd.DataFrame,
                   ensemble: list[pd.DataFrame]) -> pd.DataFrame:
    """Long table of one station: the design year (``weather_year`` 0, with its
    exceedance) and each ensemble year."""
    figures = [year_figures(design)] + [year_figures(df) for df in ensemble]
    rows = []
    for q, unit in QUANTITIES.items():
        values = [f[q] for f in figures]
        p = exceedance(values[0], values[1:])
        for y, v in enumerate(values):
            rows.append({"station": station, "name": name, "quantity": q, "unit": unit,
                         "weather_year": y, "value": v, "exceedance": p if y == 0 else math.nan,
                         "n_years": len(values) - 1})
    return pd.DataFrame(rows, columns=COLUMNS)


def _ensembles(result) -> dict[str, list[pd.DataFrame]]:
    """30 synthetic years of every synthetic station of the run, by normals file."""
    by_file: dict[str, list[str]] = {}
    for key, years in result.weather.items():
        a = years[0].attrs
        nfile = a.get("normals_file")
        if a.get("source") == "synthetic" and nfile and Path(nfile).is_file():
            by_file.setdefault(nfile, []).append(a.get("station", key))
    sc = result.scenario
    out: dict[str, list[pd.DataFrame]] = {}
    for nfile, stations in by_file.items():
        out.update(synthesize(load_normals(nfile), stations, sc.year,
                              sc.weather.seed + ENSEMBLE_SEED_OFFSET, years=ENSEMBLE_YEARS,
                              tz=sc.timezone))
    return out


def _parameters(result) -> pd.DataFrame:
    """Hourly-structure parameters of each synthetic design year against its normals."""
    params, cache = [], {}
    for key, years in result.weather.items():
        df = years[0]
        a = df.attrs
        nfile = a.get("normals_file")
        if not (a.get("source") == "synthetic" and nfile and Path(nfile).is_file()):
            continue
        if nfile not in cache:
            cache[nfile] = load_normals(nfile)
        stats = weather_stats(df, normals=cache[nfile].station(a.get("station", key)))
        if stats.parameters is not None:
            p = stats.parameters.reset_index()[["parameter", "record", "normal", "estimated"]]
            p.insert(0, "name", a.get("name", key))
            p.insert(0, "station", key)
            params.append(p)
    return (pd.concat(params, ignore_index=True) if params else
            pd.DataFrame(columns=["station", "name", "parameter", "record", "normal",
                                  "estimated"]))


def weather_check(result) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The design year of each station within a 30-year ensemble, and its hourly structure.

    Parameters
    ----------
    result : energy_model.pipeline.ScenarioResult

    Returns
    -------
    table : pandas.DataFrame
        :data:`COLUMNS`: per station, quantity (:data:`QUANTITIES`) and weather year (0 the
        design year, 1… the ensemble): ``value`` [its unit]; ``exceedance`` [-] on the
        design row (NaN for a weather file: no ensemble).
    parameters : pandas.DataFrame
        Per synthetic station and hourly-structure parameter (``weibull_k``,
        ``wind_autocorr_1h``, ``diurnal_strength``, ``peak_hour``, ``temp_range_c``):
        ``record``, ``normal`` and ``estimated`` (the normal is a default, mark E).
    """
    ensembles = _ensembles(result)
    frames = []
    for key, years in result.weather.items():
        design = years[0]
        station = design.attrs.get("station", key)
        frames.append(ensemble_table(key, design.attrs.get("name", key), design,
                                     ensembles.get(station, [])))
    table = (pd.concat(frames, ignore_index=True) if frames
             else pd.DataFrame(columns=COLUMNS))
    return table, _parameters(result)
