"""Parsers of the published weather-file formats (EPW, TMY3, PVGIS CSV/JSON, NSRDB PSM3)
into raw frames, and the stamping of typical (mixed-year) records onto one year.

Used by :func:`energy_model.weather.readers.read_weather`, which adds the common checks.
"""

from __future__ import annotations

import calendar
from pathlib import Path

import numpy as np
import pandas as pd

from energy_model.errors import Problem, WeatherError
from energy_model.weather import checks


#: Year onto which a typical (mixed-year) record without Feb 29 is stamped.
TYPICAL_YEAR = 1990
#: Year onto which a typical record holding Feb 29 is stamped.
TYPICAL_LEAP_YEAR = 1988
#: Wind height of NSRDB PSM v3 files [m] (NSRDB webinar Q&A, Oct 2020: "As of PSM v3
#: the windspeed data is at 2m"; quoted in pvlib issue #1814).
PSM3_WIND_HEIGHT_M = 2.0
#: Missing-value codes of EPW (EnergyPlus Auxiliary Programs, weather file format).
_EPW_MISSING = {"temp_air": 99.9, "relative_humidity": 999, "pressure": 999999,
                "ghi": 9999, "dni": 9999, "dhi": 9999, "wind_direction": 999,
                "wind_speed": 999}
_TMY3_MISSING = -9900.0


class _Raw:
    """A parsed file before the common checks."""

    def __init__(self, df, lines=None, record_key=None, **meta):
        self.df = df
        self.lines = lines
        self.record_key = record_key
        self.meta = meta
        self.notes: list[str] = []


def _stamp(dates: pd.DataFrame, hour_start: np.ndarray, path, lines, typical_hint=True):
    """Naive interval-start timestamps from year/month/day columns and start hours.

    Returns the timestamps, whether the record is typical (mixed years), and the year it
    was stamped onto.
    """
    years = dates["year"].to_numpy(dtype=int)
    months = dates["month"].to_numpy(dtype=int)
    days = dates["day"].to_numpy(dtype=int)
    typical = typical_hint and len(np.unique(years)) > 1
    if typical:
        leap = bool(((months == 2) & (days == 29)).any())
        stamp_year = TYPICAL_LEAP_YEAR if leap else TYPICAL_YEAR
        years = np.full_like(years, stamp_year)
    else:
        stamp_year = int(np.bincount(years - years.min()).argmax() + years.min())
    frame = pd.DataFrame({"year": years, "month": months, "day": days})
    ts = pd.to_datetime(frame, errors="coerce")
    bad = np.flatnonzero(ts.isna().to_numpy())
    if len(bad):
        problems = []
        for i in bad[:checks.MAX_PROBLEMS]:
            leapmsg = (" (Feb 29 in a non-leap year)"
                       if months[i] == 2 and days[i] == 29 else "")
            problems.append(Problem(f"invalid date {years[i]}-{months[i]:02d}-{days[i]:02d}"
                                    f"{leapmsg}", file=str(path),
                                    line=int(lines[i]) if lines is not None else None))
        raise WeatherError(f"{path}: invalid dates", problems=problems, file=str(path))
    ts = pd.DatetimeIndex(ts) + pd.to_timedelta(hour_start, unit="h")
    return ts, typical, stamp_year


# --------------------------------------------------------------------------- formats

def _check_epw_dates(path) -> None:
    """Report invalid dates (Feb 29 of a non-leap year, day 32...) with their line,
    before pvlib's parser fails on them without one."""
    problems = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for no, text in enumerate(f, start=1):
            if no <= 8:
                continue
            parts = text.split(",", 4)
            try:
                y, m, d = int(parts[0]), int(parts[1]), int(parts[2])
            except (ValueError, IndexError):
                problems.append(Problem(f"cannot read year, month, day from {text[:30]!r}",
                                        file=str(path), line=no))
                continue
            if not (1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]):
                leap = " (Feb 29 in a non-leap year)" if (m, d) == (2, 29) else ""
                problems.append(Problem(f"invalid date {y}-{m:02d}-{d:02d}{leap}",
                                        file=str(path), line=no))
            if len(problems) >= checks.MAX_PROBLEMS:
                break
    if problems:
        raise WeatherError(f"{path}: invalid dates", problems=problems, file=str(path))


def _read_epw(path, **_) -> _Raw:
    from pvlib.iotools import read_epw

    _check_epw_dates(path)
    data, meta = read_epw(str(path))
    n = len(data)
    lines = np.arange(n) + 9  # 8 header lines
    data = data.reset_index(drop=True)
    for col, code in _EPW_MISSING.items():
        src = "atmospheric_pressure" if col == "pressure" else col
        data.loc[data[src] >= code, src] = np.nan
    df = pd.DataFrame({
        "ghi": data["ghi"], "dni": data["dni"], "dhi": data["dhi"],
        "temp_air": data["temp_air"], "wind_speed": data["wind_speed"],
        "pressure": data["atmospheric_pressure"],
        "wind_direction": data["wind_direction"],
        "relative_humidity": data["relative_humidity"]})
    start_hour = data["hour"].to_numpy(dtype=int) - 1  # EPW hour 1 = 00:00-01:00
    ts, typical, year = _stamp(data, start_hour, path, lines)
    df.index = ts.tz_localize(_fixed_tz(meta["TZ"]))
    raw = _Raw(df, lines, latitude=meta["latitude"], longitude=meta["longitude"],
               altitude=meta["altitude"], source_label="end", typical_year=typical,
               year=year, station=meta.get("city"), source_metadata=meta)
    raw.notes.append("EPW hours 1-24 label the end of each hour; shifted to interval start")
    if typical:
        raw.notes.append(f"typical year (months from several years) stamped onto {year}")
    return raw


def _read_tmy3(path, **_) -> _Raw:
    from pvlib.iotools import read_tmy3

    data, meta = read_tmy3(str(path), map_variables=True)
    data = data.reset_index(drop=True)
    n = len(data)
    lines = np.arange(n) + 3  # station line, header line
    date = pd.to_datetime(data["Date (MM/DD/YYYY)"], format="%m/%d/%Y", errors="coerce")
    hhmm = data["Time (HH:MM)"].astype(str).str.split(":")
    hour = hhmm.str[0].astype(int).to_numpy()
    dates = pd.DataFrame({"year": date.dt.year, "month": date.dt.month,
                          "day": date.dt.day})
    if dates.isna().to_numpy().any():
        i = int(np.flatnonzero(dates.isna().any(axis=1).to_numpy())[0])
        raise WeatherError(f"{path}: invalid date",
                           problems=[Problem(f"cannot read date "
                                             f"{data['Date (MM/DD/YYYY)'].iloc[i]!r}; "
                                             "expected MM/DD/YYYY", file=str(path),
                                             line=int(lines[i]))], file=str(path))
    df = pd.DataFrame({c: data[c] for c in ("ghi", "dni", "dhi", "temp_air", "wind_speed",
                                            "wind_direction", "relative_humidity")})
    df["pressure"] = data["pressure"] * 100.0  # mbar -> Pa
    df = df.mask(df.le(_TMY3_MISSING + 0.5))
    ts, typical, year = _stamp(dates.astype(int), hour - 1, path, lines)  # 01:00..24:00
    df.index = ts.tz_localize(_fixed_tz(meta["TZ"]))
    raw = _Raw(df, lines, latitude=meta["latitude"], longitude=meta["longitude"],
               altitude=meta["altitude"], source_label="end", typical_year=typical,
               year=year, station=str(meta.get("Name", "")).strip('"') or None,
               source_metadata=meta)
    raw.notes.append("TMY3 times 01:00-24:00 label the end of each hour; shifted to "
                     "interval start; pressure converted from mbar to Pa")
    if typical:
        raw.notes.append(f"typical year (months from several years) stamped onto {year}")
    return raw


def _pvgis_frame(data: pd.DataFrame, path, lines, record_key, meta_in, offset) -> _Raw:
    """Common part of the PVGIS TMY readers (data already mapped to pvlib names)."""
    idx = data.index
    dates = pd.DataFrame({"year": idx.year, "month": idx.month, "day": idx.day})
    ts, typical, year = _stamp(dates, np.asarray(idx.hour), path, lines)
    df = pd.DataFrame({c: data[c].to_numpy(dtype=float) for c in
                       ("ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure")})
    for c in ("wind_direction", "relative_humidity"):
        if c in data:
            df[c] = data[c].to_numpy(dtype=float)
    df.index = ts.tz_localize("UTC")
    inputs = meta_in.get("inputs", {})
    loc = inputs.get("location", inputs)
    lat = loc.get("latitude")
    lon = loc.get("longitude")
    alt = loc.get("elevation", 0.0)
    label = "start" if offset is None else f"instant at start + {offset:g} h"
    raw = _Raw(df, lines, record_key, latitude=float(lat) if lat is not None else None,
               longitude=float(lon) if lon is not None else None,
               altitude=float(alt or 0.0), source_label=label, typical_year=typical,
               year=year, utc_stamped=True, source_metadata=meta_in)
    raw.notes.append("PVGIS TMY stamps are UTC; each hourly value is taken as the mean of "
                     "the hour starting at its stamp (PVGIS irradiance is a satellite "
                     "estimate near the start of the hour)")
    if typical:
        raw.notes.append(f"typical year (months from several years) stamped onto {year}")
    return raw


def _read_pvgis_json(path, **_) -> _Raw:
    from pvlib.iotools import read_pvgis_tmy

    data, meta = read_pvgis_tmy(str(path), pvgis_format="json", map_variables=True)
    return _pvgis_frame(data, path, None, "outputs.tmy_hourly", meta, None)


def _read_pvgis_csv(path, **_) -> _Raw:
    from pvlib.iotools import read_pvgis_tmy

    text = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    header = next((i for i, t in enumerate(text) if t.startswith("time(UTC)")), None)
    if header is None:
        raise WeatherError(f"{path}: no 'time(UTC)' header line; not a PVGIS TMY csv",
                           file=str(path))
    n_rows = sum(1 for t in text[header + 1:] if t[:8].isdigit())
    if n_rows != 8760:
        raise WeatherError(f"{path}: a PVGIS TMY csv holds 8760 hourly rows after line "
                           f"{header + 1}; found {n_rows}", file=str(path))
    data, meta = read_pvgis_tmy(str(path), pvgis_format="csv", map_variables=True)
    lines = np.arange(len(data)) + header + 2
    offset = meta.get("inputs", {}).get("irradiance time offset")
    return _pvgis_frame(data, path, lines, None, meta, offset)


def _read_psm3(path, **_) -> _Raw:
    from pvlib.iotools import read_nsrdb_psm4

    data, meta = read_nsrdb_psm4(str(path), map_variables=True)
    lines = np.arange(len(data)) + 4  # two metadata lines and the header
    minute = np.asarray(data.index.minute)
    df = pd.DataFrame({c: data[c].to_numpy(dtype=float) for c in
                       ("ghi", "dni", "dhi", "temp_air", "wind_speed")})
    df["pressure"] = data["pressure"].to_numpy(dtype=float) * 100.0  # mbar -> Pa
    for c in ("wind_direction", "relative_humidity"):
        if c in data:
            df[c] = data[c].to_numpy(dtype=float)
    dates = pd.DataFrame({"year": data["Year"].to_numpy(), "month": data["Month"].to_numpy(),
                          "day": data["Day"].to_numpy()})
    ts, typical, year = _stamp(dates, data["Hour"].to_numpy(dtype=int), path, lines)
    df.index = ts.tz_localize(_fixed_tz(meta["Time Zone"]))
    if np.all(minute == 30):
        label = "middle (instant at hh:30)"
        note = "NSRDB instants at hh:30 taken as the mean of the hour hh:00-hh+1:00"
    elif np.all(minute == 0):
        label = "start (instant at hh:00)"
        note = ("NSRDB instants at hh:00 taken as the mean of the hour that follows "
                "(30 min early on average)")
    else:
        raise WeatherError(f"{path}: NSRDB minutes must be all 0 or all 30 for hourly "
                           "data", file=str(path))
    raw = _Raw(df, lines, latitude=meta["latitude"], longitude=meta["longitude"],
               altitude=float(meta["altitude"]), source_label=label, typical_year=typical,
               year=year, wind_height_m=PSM3_WIND_HEIGHT_M,
               station=meta.get("Location ID"), source_metadata=meta)
    raw.notes += [note, "pressure converted from mbar to Pa",
                  f"NSRDB PSM v3 wind speed is at {PSM3_WIND_HEIGHT_M:g} m"]
    if typical:
        raw.notes.append(f"typical year (months from several years) stamped onto {year}")
    return raw


def _fixed_tz(hours: float):
    """A fixed-offset tzinfo for a UTC offset in hours."""
    import datetime as _dt

    return _dt.timezone(_dt.timedelta(hours=float(hours)))
