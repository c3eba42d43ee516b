"""Regenerate the small weather files of this folder (run from the repository root).

    python tests/data/weather/make_test_files.py

The files are made-up but physically consistent: two days (1-2 January) at Hạ Long,
GHI = 0.6 × pvlib Ineichen clear sky for each hour, split with Erbs, smooth temperature
and wind. Each file is in the layout of its format (EPW, NSRDB/PSM3 csv, PVGIS TMY json
and csv head, generic csv), with the format's own time convention.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib

HERE = Path(__file__).resolve().parent
LAT, LON, ALT, TZ = 20.95, 107.07, 10.0, 7


def hourly(start_utc: str, hours: int) -> pd.DataFrame:
    """Interval-start frame with canonical columns, index in UTC."""
    idx = pd.date_range(start_utc, periods=hours, freq="h", tz="UTC")
    mid = idx + pd.Timedelta("30min")
    loc = pvlib.location.Location(LAT, LON, altitude=ALT)
    cs = loc.get_clearsky(mid, model="ineichen", linke_turbidity=3.3)
    ghi = 0.6 * cs["ghi"].to_numpy()
    zen = loc.get_solarposition(mid)["zenith"].to_numpy()
    split = pvlib.irradiance.erbs(ghi, zen, mid.day_of_year)
    local_h = (idx.hour + TZ) % 24
    temp = 17.0 + 3.0 * np.cos(2 * np.pi * (local_h + 0.5 - 14.5) / 24)
    wind = 2.5 + 0.8 * np.sin(2 * np.pi * np.arange(hours) / 17.0)
    return pd.DataFrame({"ghi": ghi.round(1), "dni": np.asarray(split["dni"]).round(1),
                         "dhi": np.asarray(split["dhi"]).round(1), "temp_air": temp.round(1),
                         "wind_speed": wind.round(1), "pressure": 101200.0,
                         "wind_direction": 45.0, "relative_humidity": 85.0}, index=idx)


def local_frame() -> pd.DataFrame:
    """48 hours from 2021-01-01 00:00 local (UTC+7), interval-start labels."""
    df = hourly("2020-12-31 17:00", 48)
    df.index = df.index.tz_convert("Etc/GMT-7")
    return df


def write_epw(df: pd.DataFrame) -> None:
    head = [f"LOCATION,Ha Long,QN,VNM,energy_model test,000000,{LAT},{LON},{TZ:.1f},{ALT}",
            "DESIGN CONDITIONS,0", "TYPICAL/EXTREME PERIODS,0", "GROUND TEMPERATURES,0",
            "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0", "COMMENTS 1,made-up test data",
            "COMMENTS 2,GHI = 0.6 x Ineichen clear sky",
            "DATA PERIODS,1,1,Data,Friday, 1/ 1, 1/ 2"]
    rows = []
    for t, r in df.iterrows():
        end = t + pd.Timedelta("1h")  # EPW hour h covers (h-1):00 to h:00
        hour = 24 if end.hour == 0 else end.hour
        day = t if end.hour == 0 else end
        rows.append(",".join(map(str, [
            day.year, day.month, day.day, hour, 60, "?9?9?9?9E0?9?9?9?9?9?9?9?9?9?9?9?9?9*9*9",
            r.temp_air, 14.0, r.relative_humidity, int(r.pressure), 9999, 9999, 320,
            r.ghi, r.dni, r.dhi, 999999, 999999, 999999, 9999, r.wind_direction,
            r.wind_speed, 5, 5, 10.0, 77777, 9, 999999999, 30, 0.1, 0, 88, 0.2, 0, 1])))
    (HERE / "ha_long_2days.epw").write_text("\n".join(head + rows) + "\n")


def write_psm3(df: pd.DataFrame) -> None:
    meta_keys = ["Source", "Location ID", "City", "State", "Country", "Latitude",
                 "Longitude", "Time Zone", "Elevation", "Local Time Zone", "Version"]
    meta_vals = ["NSRDB", "999999", "-", "-", "-", str(LAT), str(LON), str(TZ),
                 str(int(ALT)), str(TZ), "3.2.2"]
    cols = ["Year", "Month", "Day", "Hour", "Minute", "GHI", "DHI", "DNI", "Temperature",
            "Wind Speed", "Pressure", "Relative Humidity", "Wind Direction"]
    lines = [",".join(meta_keys), ",".join(meta_vals), ",".join(cols)]
    for t, r in df.iterrows():
        lines.append(",".join(map(str, [t.year, t.month, t.day, t.hour, 30, r.ghi, r.dhi,
                                        r.dni, r.temp_air, r.wind_speed,
                                        r.pressure / 100, r.relative_humidity,
                                        r.wind_direction])))
    (HERE / "ha_long_2days_psm3.csv").write_text("\n".join(lines) + "\n")


def pvgis_records(df_utc: pd.DataFrame) -> list[dict]:
    return [{"time(UTC)": t.strftime("%Y%m%d:%H%M"), "T2m": r.temp_air,
             "RH": r.relative_humidity, "G(h)": r.ghi, "Gb(n)": r.dni, "Gd(h)": r.dhi,
             "IR(h)": 320.0, "WS10m": r.wind_speed, "WD10m": r.wind_direction,
             "SP": r.pressure} for t, r in df_utc.iterrows()]


def write_pvgis_json() -> None:
    df = hourly("2016-01-01 00:00", 48)
    doc = {"inputs": {"location": {"latitude": LAT, "longitude": LON, "elevation": ALT},
                      "meteo_data": {"radiation_db": "PVGIS-SARAH3", "meteo_db": "ERA5",
                                     "year_min": 2005, "year_max": 2023,
                                     "use_horizon": True, "horizon_db": "DEM-calculated"}},
           "outputs": {"months_selected": [{"month": m, "year": 2016} for m in range(1, 13)],
                       "tmy_hourly": pvgis_records(df)},
           "meta": {"inputs": {"location": {"description": "Selected location"}},
                    "outputs": {"tmy_hourly": {"description": "Typical Meteorological Year"}}}}
    (HERE / "pvgis_tmy_2days.json").write_text(json.dumps(doc, indent=1) + "\n")


def pvgis_csv_text(df_utc: pd.DataFrame, months_selected) -> str:
    """A PVGIS TMY csv document (pvlib's parser needs all 8760 rows)."""
    lines = [f"Latitude (decimal degrees): {LAT:.3f}", f"Longitude (decimal degrees): {LON:.3f}",
             f"Elevation (m): {ALT:.1f}", "Irradiance Time Offset (h): 0.1761", "month,year"]
    lines += [f"{m},{y}" for m, y in months_selected]
    lines.append("time(UTC),T2m,RH,G(h),Gb(n),Gd(h),IR(h),WS10m,WD10m,SP")
    for rec in pvgis_records(df_utc):
        lines.append(",".join(str(v) for v in rec.values()))
    lines += ["T2m: 2-m air temperature (degree Celsius)", "RH: relative humidity (%)",
              "G(h): Global irradiance on the horizontal plane (W/m2)",
              "PVGIS (c) European Union, 2001-2024"]
    return "\r\n".join(lines) + "\r\n"


def write_generic(df: pd.DataFrame) -> None:
    head = ["# made-up test data: 0.6 x clear sky at Hạ Long",
            f"# latitude: {LAT}", f"# longitude: {LON}", f"# altitude: {ALT}",
            "# wind_height_m: 10"]
    out = df.copy()
    out.insert(0, "time", [t.isoformat() for t in df.index])
    (HERE / "ha_long_2days.csv").write_text("\n".join(head) + "\n"
                                            + out.to_csv(index=False, lineterminator="\n"))


if __name__ == "__main__":
    frame = local_frame()
    write_epw(frame)
    write_psm3(frame)
    write_generic(frame)
    write_pvgis_json()
