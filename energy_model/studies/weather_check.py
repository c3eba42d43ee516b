"""Each station's weather against the normals it was synthesised from.

Monthly means and hourly-structure parameters (Weibull k, autocorrelation, diurnal cycle);
:func:`energy_model.studies.analysis.write_analysis` saves them as
``analysis/weather_check.csv`` and ``analysis/weather_params.csv``.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from energy_model.weather.normals import load_normals
from energy_model.weather.stats import weather_stats


def weather_check(result) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each station's weather against the normals it was made from.

    Parameters
    ----------
    result : energy_model.pipeline.ScenarioResult

    Returns
    -------
    monthly : pandas.DataFrame
        One row per station and month: ``station``, ``name``, ``month``, and for each of
        ``ghi_kwh_m2_day`` [kWh/m²/day], ``temp_air_c`` [°C], ``wind_speed_m_s`` [m/s] the
        record's value (``_weather``) and the normal (``_normal``, NaN for a weather file
        without normals).
    parameters : pandas.DataFrame
        One row per station and hourly-structure parameter (``weibull_k``,
        ``wind_autocorr_1h``, ``diurnal_strength``, ``peak_hour``, ``temp_range_c``):
        ``record``, ``normal`` and ``estimated`` (the normal is a default, mark E); empty
        without normals.
    """
    cols = ("ghi_kwh_m2_day", "temp_air_c", "wind_speed_m_s")
    frames, params = [], []
    normals_cache: dict[str, object] = {}
    for key, years in result.weather.items():
        df = years[0]
        attrs = df.attrs
        normals = None
        nfile = attrs.get("normals_file")
        if attrs.get("source") == "synthetic" and nfile and Path(nfile).is_file():
            if nfile not in normals_cache:
                normals_cache[nfile] = load_normals(nfile)
            normals = normals_cache[nfile].station(attrs.get("station", key))
        stats = weather_stats(df, normals=normals)
        m = stats.monthly
        name = attrs.get("name", key)
        out = pd.DataFrame({"station": key, "name": name, "month": m.index})
        for c in cols:
            out[f"{c}_weather"] = m[c].to_numpy()
            out[f"{c}_normal"] = (normals.monthly.loc[m.index, c].to_numpy()
                                  if normals is not None else math.nan)
        frames.append(out)
        if stats.parameters is not None:
            p = stats.parameters.reset_index()[["parameter", "record", "normal", "estimated"]]
            p.insert(0, "name", name)
            p.insert(0, "station", key)
            params.append(p)
    monthly = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    parameters = (pd.concat(params, ignore_index=True) if params else
                  pd.DataFrame(columns=["station", "name", "parameter", "record", "normal",
                                        "estimated"]))
    return monthly, parameters
