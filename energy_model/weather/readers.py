"""Readers of hourly weather files into canonical, interval-start frames.

Each reader wraps the pvlib.iotools parser of its format and converts at the edge:
column names (``ghi``, ``dni``, ``dhi`` [W/m²], ``temp_air`` [°C], ``wind_speed`` [m/s],
``pressure`` [Pa], optional ``wind_direction`` [°], ``relative_humidity`` [%]), units
(mbar → Pa) and time labels. Every frame comes back **labelled at interval start**: the
value at 10:00 is the mean over 10:00–11:00. Files that label hours at their end (EPW,
TMY3) are shifted back by one hour; NSRDB/PSM3 instants at hh:30 are taken as the mean of
the hour that contains them. The metadata says what was done (``label="start"``,
``source_label``).

Typical-year files (TMY3, EPW, PVGIS and NSRDB TMY) mix months from different years. They
are stamped onto one year (:data:`~energy_model.weather.formats.TYPICAL_YEAR`, or
:data:`~energy_model.weather.formats.TYPICAL_LEAP_YEAR` when the record holds Feb 29);
:func:`to_year` re-stamps them onto any calendar year.

Formats (``format=``): ``"epw"``, ``"tmy3"``, ``"pvgis_csv"``, ``"pvgis_json"``,
``"psm3"`` and ``"csv"`` (generic: a ``time`` column with ISO 8601 timestamps, canonical
or mapped column names; ``latitude``, ``longitude``, ``altitude``, ``tz``, ``wind_height_m``
and ``label`` come from a sidecar ``<file>.meta.json`` when present, from optional
``# key: value`` header lines (which win over the sidecar), or from ``site=``).
The parsers of the published formats are in :mod:`energy_model.weather.formats`.
"""

from __future__ import annotations

import calendar
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd

from energy_model.errors import Problem, WeatherError
from energy_model.weather import checks
from energy_model.weather.formats import (_Raw, _read_epw, _read_psm3, _read_pvgis_csv,
                                          _read_pvgis_json, _read_tmy3)


FORMATS = ("epw", "tmy3", "pvgis_csv", "pvgis_json", "psm3", "csv")
#: Anemometer height when a file does not state it [m] (WMO standard).
DEFAULT_WIND_HEIGHT_M = 10.0
#: Columns a generic CSV may map to.
CANONICAL = checks.REQUIRED_COLUMNS + checks.OPTIONAL_COLUMNS


# --------------------------------------------------------------------------- detection

def detect_format(path) -> str:
    """Guess the format of a weather file from its extension and first lines.

    Parameters
    ----------
    path : str or path
        The file.

    Returns
    -------
    str
        One of :data:`FORMATS`.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    with open(path, "r", encoding="utf-8", errors="replace") as f:
        head = [f.readline() for _ in range(2)]
    first = head[0].lstrip("\ufeff")
    if suffix == ".epw" or first.startswith("LOCATION,"):
        return "epw"
    if suffix == ".json" or first.lstrip().startswith("{"):
        return "pvgis_json"
    if first.startswith("Latitude (decimal degrees)"):
        return "pvgis_csv"
    if first.startswith("Source,") and "Location ID" in first:
        return "psm3"
    if head[1].startswith("Date (MM/DD/YYYY)"):
        return "tmy3"
    return "csv"


# --------------------------------------------------------------------------- public API

def read_weather(path, format: str | None = None, column_map: dict | None = None,
                 fill_gaps: bool = False, *, tz=None, site: dict | None = None,
                 require_site: bool = True) -> tuple[pd.DataFrame, dict]:
    """Read an hourly weather file into a canonical, interval-start frame.

    Parameters
    ----------
    path : str or path
        The weather file.
    format : str, optional
        One of :data:`FORMATS`; detected from the extension and content when omitted.
    column_map : dict, optional
        Generic CSV only: ``{file column: canonical column}``; map the timestamp
        column to ``"time"``.
    fill_gaps : bool, default False
        Fill missing hours and NaN values (see :func:`checks.fill_gaps`) and report the
        number of filled rows in ``metadata["filled_count"]``. Off by default: gaps fail.
    tz : str or tzinfo, optional
        Time zone of the returned index. Naive generic-CSV timestamps are localized in
        it; other files are converted to it (a typical year is rotated so it still
        starts on 1 January, local time). Default: the file's own time zone (UTC for
        PVGIS).
    site : dict, optional
        ``latitude``, ``longitude`` [°] and ``altitude`` [m] for any format: they supply
        what the file lacks and win over the file's own values (a note in
        ``metadata["notes"]`` says so). Generic CSV also takes ``wind_height_m`` [m],
        ``tz`` and ``label`` (``"start"``, ``"end"`` or ``"middle"``), overriding
        ``# key: value`` header lines and the sidecar ``<file>.meta.json``.
    require_site : bool, default True
        Fail when latitude or longitude stays unknown. ``False`` (wind needs no
        position: air density comes from temperature and pressure) returns them as
        ``None`` and skips the checks that need the sun's position.

    Returns
    -------
    data : pandas.DataFrame
        Hourly frame with canonical columns on a tz-aware DatetimeIndex labelled at
        interval start. ``data.attrs`` holds a copy of the metadata.
    metadata : dict
        ``latitude``, ``longitude`` [°], ``altitude`` [m], ``tz``, ``wind_height_m``
        [m], ``label`` (always ``"start"``), ``source_label`` (the file's convention),
        ``format``, ``file``, ``filled_count``, ``clipped_negative_count``,
        ``typical_year`` (bool), ``year``, ``station``, ``notes`` and
        ``source_metadata`` (the pvlib metadata as parsed).

    Raises
    ------
    WeatherError
        If the file is missing, unparsable, or fails a check; the message names the file
        and the line (or JSON record) of the offending row.
    """
    path = Path(path)
    if not path.is_file():
        raise WeatherError(f"{path}: weather file not found", file=str(path))
    fmt = format or detect_format(path)
    if fmt not in FORMATS:
        raise WeatherError(f"{path}: unknown weather format {fmt!r}; expected one of "
                           f"{', '.join(FORMATS)}", file=str(path))
    if column_map and fmt != "csv":
        raise WeatherError(f"{path}: column_map applies to generic CSV files only, but the "
                           f"file was read as {fmt!r}", file=str(path))
    parser = {"epw": _read_epw, "tmy3": _read_tmy3, "pvgis_csv": _read_pvgis_csv,
              "pvgis_json": _read_pvgis_json, "psm3": _read_psm3, "csv": _read_csv}[fmt]
    try:
        raw = parser(path, column_map=column_map, site=site or {}, tz=tz)
    except WeatherError:
        raise
    except Exception as exc:  # a parser failure is a malformed file
        raise WeatherError(f"{path}: cannot be read as {fmt}: {type(exc).__name__}: {exc}",
                           file=str(path)) from exc
    _apply_site(raw, fmt, site or {})
    return _finish(raw, path, fmt, fill_gaps, tz, require_site)


def _apply_site(raw: _Raw, fmt: str, site: dict) -> None:
    """Caller's latitude/longitude/altitude win over the file's, with a note when they differ."""
    for key in ("latitude", "longitude", "altitude"):
        value = site.get(key)
        if value is None:
            continue
        value = float(value)
        if fmt == "csv":  # the CSV reader merged site already; compare with the file's own
            before = raw.meta.get("file_site", {}).get(key)
        else:
            before = raw.meta.get(key)
        if before is not None and abs(float(before) - value) > 1e-9:
            raw.notes.append(f"{key} {value:g} given by the caller overrides the file's "
                             f"{float(before):g}")
        raw.meta[key] = value


def to_year(df: pd.DataFrame, year: int) -> pd.DataFrame:
    """Re-stamp a full typical-year frame onto calendar year ``year``.

    Month, day and hour of every row are kept; only the year changes. A leap target year
    without Feb 29 in the source gets Feb 29 as a copy of Feb 28; a source Feb 29 is
    dropped for a non-leap target. What was done is appended to ``attrs["notes"]``.

    Parameters
    ----------
    df : pandas.DataFrame
        Hourly frame of one full year (8760 or 8784 rows from 1 January 00:00), on a
        tz-aware index in a time zone without daylight saving.
    year : int
        Target calendar year.

    Returns
    -------
    pandas.DataFrame
        The same values on an index of ``year`` (8760 or 8784 rows).
    """
    idx = df.index
    file = df.attrs.get("file")
    where = f"{file}: " if file else ""
    if not isinstance(idx, pd.DatetimeIndex) or idx.tz is None or len(idx) == 0:
        raise WeatherError(f"{where}to_year needs a frame on a tz-aware hourly "
                           "DatetimeIndex", file=file)
    first = idx[0]
    n = len(idx)
    leap_src = n == 8784
    if n not in (8760, 8784) or (first.month, first.day, first.hour) != (1, 1, 0):
        raise WeatherError(f"{where}the weather must cover one full hourly year starting "
                           f"1 January 00:00 (8760 or 8784 rows); got {n} rows starting "
                           f"{first}", file=file)
    tz = idx.tz
    jan = pd.Timestamp(year=year, month=1, day=1, tz=tz).utcoffset()
    jul = pd.Timestamp(year=year, month=7, day=1, tz=tz).utcoffset()
    if jan != jul:
        raise WeatherError(f"to_year needs a time zone without daylight saving; {tz} "
                           "changes offset within the year (use a fixed offset such as "
                           "'Etc/GMT-7' for UTC+7)")
    notes = list(df.attrs.get("notes", []))
    has_feb29 = bool(((idx.month == 2) & (idx.day == 29)).any())
    out = df
    if has_feb29 != leap_src:
        raise WeatherError("to_year: a 8784-hour record must contain Feb 29 and a "
                           "8760-hour one must not")
    if has_feb29 and not calendar.isleap(year):
        out = df[~((idx.month == 2) & (idx.day == 29))]
        notes.append(f"to_year: Feb 29 of the source dropped (24 h), {year} is not a "
                     "leap year")
    elif not has_feb29 and calendar.isleap(year):
        feb28 = (idx.month == 2) & (idx.day == 28)
        cut = int(np.flatnonzero(feb28)[-1]) + 1
        out = pd.concat([df.iloc[:cut], df[feb28], df.iloc[cut:]])
        notes.append(f"to_year: Feb 29 of {year} filled with a copy of Feb 28")
    new_index = pd.date_range(pd.Timestamp(year=year, month=1, day=1),
                              periods=len(out), freq="h").tz_localize(tz)
    new_index.name = df.index.name
    out = out.set_axis(new_index)
    out.attrs = {**df.attrs, "notes": notes, "year": int(year)}
    return out


# --------------------------------------------------------------------------- common end

def _finish(raw: _Raw, path: Path, fmt: str, fill: bool, tz, require_site: bool = True
            ) -> tuple[pd.DataFrame, dict]:
    df = raw.df
    meta = {"latitude": None, "longitude": None, "altitude": 0.0, "tz": None,
            "wind_height_m": DEFAULT_WIND_HEIGHT_M, "label": "start",
            "source_label": "start", "format": fmt, "file": str(path), "filled_count": 0,
            "clipped_negative_count": 0, "typical_year": False, "year": None,
            "station": None, "notes": raw.notes, "source_metadata": {}}
    meta.update(raw.meta)
    meta.pop("file_site", None)
    hint = ("Map file columns with column_map={'file name': 'canonical name'}"
            if fmt == "csv" else "")
    located = meta["latitude"] is not None and meta["longitude"] is not None
    if not located and require_site:
        raise WeatherError(f"{path}: latitude and longitude are unknown; pass --lat and "
                           "--lon (energy-model pv), or give them in the file (a sidecar "
                           f"{path.name}.meta.json or '# latitude: ..' header lines) or as "
                           "site={'latitude': .., 'longitude': ..}", file=str(path))
    if not located and fill:
        raise WeatherError(f"{path}: filling gaps needs the site's latitude and longitude "
                           "(night hours); give them", file=str(path))
    checks.require_columns(df, path, header_line=meta.pop("header_line", None), hint=hint)
    extra = [c for c in checks.OPTIONAL_COLUMNS if c in df]
    lines = raw.lines
    df = checks.to_numeric(df[list(checks.REQUIRED_COLUMNS) + extra], path, lines,
                           raw.record_key)
    gaps = checks.check_timestamps(df.index, path, lines, raw.record_key, allow_gaps=fill)
    has_nan = bool(df.isna().to_numpy().any())
    if fill and (gaps or has_nan):
        df, count, lines = checks.fill_gaps(df, meta["latitude"], meta["longitude"], path,
                                            lines, raw.record_key)
        meta["filled_count"] = count
        raw.notes.append(f"{count} hourly row(s) filled (interpolation up to "
                         f"{checks.MAX_INTERPOLATED_GAP_H} h, same hours of the nearest "
                         "day beyond)")
    else:
        checks.check_missing(df, path, lines, raw.record_key)
    df, clipped = checks.clip_small_negative(df)
    meta["clipped_negative_count"] = clipped
    if not meta.pop("utc_stamped", False) and located:
        checks.check_tz_longitude(df.index, meta["longitude"], path)
    checks.check_ranges(df, meta["latitude"], meta["longitude"], path, lines,
                        raw.record_key)
    if tz is not None and fmt != "csv":
        df = _to_tz(df, tz, meta["typical_year"], raw.notes)
        if located:
            checks.check_tz_longitude(df.index, meta["longitude"], path)
    meta["tz"] = str(df.index.tz)
    if meta["year"] is None:
        meta["year"] = int(df.index[len(df) // 2].year)
    df.index.name = "time"
    df.attrs = {k: v for k, v in meta.items() if k != "source_metadata"}
    return df, meta


def _to_tz(df: pd.DataFrame, tz, typical: bool, notes: list) -> pd.DataFrame:
    """Convert to ``tz``; rotate a typical year so it starts on 1 January local time."""
    local = df.index.tz_convert(tz)
    if not typical:
        return df.set_axis(local)
    year = int(df.index[len(df) // 2].year)
    wall = local.tz_localize(None)
    wall = pd.DatetimeIndex([t.replace(year=year) for t in wall])
    order = np.argsort(wall.asi8, kind="stable")
    out = df.iloc[order].set_axis(wall[order].tz_localize(tz))
    notes.append(f"typical year converted to {tz} and rotated so it starts on "
                 "1 January 00:00 local time (hours that crossed the year end wrap around)")
    return out


def _read_csv(path, column_map=None, site=None, tz=None, **_) -> _Raw:
    data, data_lines, header_line, header_meta = _csv_table(path, column_map)
    sidecar = _read_sidecar(path)
    file_info = {**sidecar, **header_meta}
    info = {**file_info, **(site or {})}

    def number(key, default=None):
        value = info.get(key, default)
        if value is None:
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise WeatherError(f"{path}: {key} must be a number, got {value!r}",
                               file=str(path)) from None

    idx, label = _csv_index(path, data, data_lines, header_line, info, tz)
    df = data.drop(columns=["time"]).set_axis(idx)
    df = df[[c for c in df.columns if c in CANONICAL]]
    altitude = number("altitude", 0.0)
    notes = []
    if "pressure" not in df.columns:
        import pvlib

        df["pressure"] = float(pvlib.atmosphere.alt2pres(altitude))
        notes.append(f"no pressure column: {df['pressure'].iloc[0]:.0f} Pa from the "
                     f"altitude {altitude:g} m (pvlib alt2pres)")
    if label != "start":
        notes.append(f"file labels hours at their {label}; shifted to interval start")
    raw = _Raw(df, data_lines, latitude=number("latitude"), longitude=number("longitude"),
               altitude=altitude, source_label=label,
               wind_height_m=number("wind_height_m", DEFAULT_WIND_HEIGHT_M),
               station=info.get("station"), header_line=header_line,
               source_metadata=file_info,
               file_site={k: _number_or_none(file_info.get(k))
                          for k in ("latitude", "longitude", "altitude")})
    raw.notes += notes
    return raw


def _csv_table(path, column_map) -> tuple[pd.DataFrame, np.ndarray, int, dict]:
    """The generic CSV's ``# key: value`` header lines, its table with ``column_map``
    applied, the file line of each data row and the line of the column header."""
    text = Path(path).read_text(encoding="utf-8-sig")
    all_lines = text.splitlines()
    header_meta: dict = {}
    first = 0
    while first < len(all_lines) and (all_lines[first].startswith("#")
                                      or not all_lines[first].strip()):
        body = all_lines[first].lstrip("#").strip()
        if ":" in body:
            key, value = body.split(":", 1)
            header_meta[key.strip()] = value.strip()
        first += 1
    if first >= len(all_lines):
        raise WeatherError(f"{path}: no header line found", file=str(path))
    header_line = first + 1
    data_lines = np.array([i + 1 for i in range(first + 1, len(all_lines))
                           if all_lines[i].strip()], dtype=int)
    data = pd.read_csv(io.StringIO("\n".join(all_lines[first:])), skip_blank_lines=True)
    data.columns = [str(c).strip() for c in data.columns]
    column_map = dict(column_map or {})
    unknown = sorted(set(column_map.values()) - set(CANONICAL) - {"time"})
    if unknown:
        raise WeatherError(f"{path}: column_map targets {', '.join(unknown)} are not "
                           f"canonical; expected time, {', '.join(CANONICAL)}",
                           file=str(path))
    absent = [k for k in column_map if k not in data.columns]
    if absent:
        raise WeatherError(f"{path}:{header_line}: column_map names column(s) "
                           f"{', '.join(absent)} that the header does not have; header: "
                           f"{', '.join(data.columns)}", file=str(path))
    return data.rename(columns=column_map), data_lines, header_line, header_meta


def _csv_index(path, data: pd.DataFrame, data_lines: np.ndarray, header_line: int,
               info: dict, tz) -> tuple[pd.DatetimeIndex, str]:
    """The interval-start, tz-aware index of the generic CSV's ``time`` column, and the
    label the file declared (start, end or middle)."""
    if "time" not in data.columns:
        raise WeatherError(f"{path}:{header_line}: no 'time' column; name the timestamp "
                           "column 'time' or map it with column_map={'Timestamp': 'time'}",
                           file=str(path))
    text_times = data["time"].astype(str)
    try:
        stamps = pd.to_datetime(text_times, errors="coerce", format="ISO8601")
    except ValueError:  # offsets change within the file (daylight saving): go through UTC
        stamps = pd.to_datetime(text_times, errors="coerce", format="ISO8601", utc=True)
    if isinstance(stamps, pd.Series) and stamps.isna().any():
        i = int(np.flatnonzero(stamps.isna().to_numpy())[0])
        raise WeatherError(f"{path}: unreadable timestamp", problems=[Problem(
            f"cannot read {data['time'].iloc[i]!r} as an ISO 8601 time", file=str(path),
            line=int(data_lines[i]), key="time")], file=str(path))
    idx = pd.DatetimeIndex(stamps)
    zone = tz if tz is not None else info.get("tz")
    if idx.tz is None:
        if zone is None:
            raise WeatherError(f"{path}: timestamps carry no UTC offset; give offsets "
                               "(2030-01-01T00:00:00+07:00), a '# tz: ..' header line or "
                               "tz= (--tz)", file=str(path))
        idx = idx.tz_localize(zone, ambiguous="raise", nonexistent="raise")
    elif zone is not None:
        idx = idx.tz_convert(zone)
    label = str(info.get("label", "start")).strip().lower()
    shift = {"start": 0.0, "end": -1.0, "middle": -0.5}.get(label)
    if shift is None:
        raise WeatherError(f"{path}: label must be start, end or middle, got {label!r}",
                           file=str(path))
    return idx + pd.Timedelta(hours=shift), label


def sidecar_path(path) -> Path:
    """The metadata sidecar of a weather CSV: ``<file>.meta.json`` beside it."""
    path = Path(path)
    return path.with_name(path.name + ".meta.json")


def _read_sidecar(path) -> dict:
    """Metadata of a CSV's sidecar JSON, or {} when there is none."""
    side = sidecar_path(path)
    if not side.is_file():
        return {}
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise WeatherError(f"{side}: metadata sidecar cannot be read as JSON: {exc}",
                           file=str(side)) from None
    if not isinstance(data, dict):
        raise WeatherError(f"{side}: metadata sidecar must be a JSON object "
                           "({\"latitude\": .., \"longitude\": .., ...})", file=str(side))
    return {str(k): v for k, v in data.items() if v is not None}


def _number_or_none(value):
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


#: Metadata keys written as ``# key: value`` lines by :func:`write_weather_csv`.
_HEADER_KEYS = ("station", "name", "latitude", "longitude", "altitude", "wind_height_m",
                "terrain", "roughness_length_m", "tz", "label", "source", "seed", "year",
                "weather_year", "years", "normals_file", "estimated")
#: Decimals written per column.
_DECIMALS = {"ghi": 2, "dni": 2, "dhi": 2, "temp_air": 2, "wind_speed": 3, "pressure": 0,
             "wind_direction": 1, "relative_humidity": 1}


def write_weather_csv(df: pd.DataFrame, path, meta: dict | None = None, *,
                      header_lines: bool = False) -> Path:
    """Write a canonical frame as a weather CSV that :func:`read_weather` reads.

    By default the CSV is plain: the header on line 1 (``time`` in ISO 8601 with UTC
    offset, then the canonical columns rounded to 0.01 W/m², 0.01 °C, 0.001 m/s and 1 Pa),
    so ``pandas.read_csv(path)`` and spreadsheets read it as is. The metadata (station,
    position, time zone, label, seed, ...) goes to the sidecar ``<file>.meta.json``
    (:func:`sidecar_path`). ``header_lines=True`` writes the older single-file form instead:
    ``# key: value`` lines above the header, and no sidecar.

    Parameters
    ----------
    df : pandas.DataFrame
        Canonical hourly frame labelled at interval start.
    path : str or path
        Output file.
    meta : dict, optional
        Metadata (default ``df.attrs``).
    header_lines : bool, default False
        Metadata as ``# key: value`` lines in the CSV instead of a sidecar JSON.

    Returns
    -------
    pathlib.Path
        The CSV written.
    """
    path = Path(path)
    meta = dict(meta or df.attrs)
    kept = {}
    for key in _HEADER_KEYS:
        value = meta.get(key)
        if value is None or value == [] or value == "":
            continue
        if isinstance(value, (np.generic,)):
            value = value.item()
        kept[key] = value
    cols = [c for c in CANONICAL if c in df.columns]
    out = pd.DataFrame({c: df[c].round(_DECIMALS[c]) for c in cols})
    out.insert(0, "time", [t.isoformat() for t in df.index])
    body = out.to_csv(index=False, lineterminator="\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    side = sidecar_path(path)
    if header_lines:
        lines = ["# energy_model hourly weather; values labelled at interval start "
                 "(the value at 10:00 is the mean over 10:00-11:00)"]
        for key, value in kept.items():
            if isinstance(value, (list, tuple)):
                value = ", ".join(map(str, value))
            lines.append(f"# {key}: {value}")
        path.write_text("\n".join(lines) + "\n" + body, encoding="utf-8")
        if side.exists():  # a stale sidecar would contradict the header lines
            side.unlink()
        return path
    doc = {"description": "energy_model hourly weather; values labelled at interval start "
                          "(the value at 10:00 is the mean over 10:00-11:00)",
           "units": {"ghi": "W/m2", "dni": "W/m2", "dhi": "W/m2", "temp_air": "degC",
                     "wind_speed": "m/s", "pressure": "Pa", "wind_direction": "deg",
                     "relative_humidity": "%"},
           **{k: (list(v) if isinstance(v, tuple) else v) for k, v in kept.items()}}
    path.write_text(body, encoding="utf-8")
    side.write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n",
                    encoding="utf-8")
    return path
