"""Checks of hourly weather frames, each failing with a :class:`WeatherError` that names
the file and the row (file line where known).

A reader calls them in this order: :func:`require_columns`, :func:`check_timestamps`
(duplicates, order, hourly step, gaps, Feb 29), :func:`check_missing`, optionally
:func:`fill_gaps`, then :func:`check_ranges` and :func:`check_tz_longitude`.

Row locations are passed as ``lines``: an integer array aligned with the frame's rows
giving each row's 1-based line in the file, or ``None`` for formats without lines (JSON),
in which case ``record_key`` names the record (``outputs.tmy_hourly[12]``).
"""

from __future__ import annotations

import calendar

import numpy as np
import pandas as pd

from energy_model.errors import Problem, WeatherError
from energy_model.weather.sun import interval_sun, utc_offset_hours

#: Canonical columns every frame must have [units in the README].
REQUIRED_COLUMNS = ("ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure")
#: Canonical columns a frame may have in addition.
OPTIONAL_COLUMNS = ("wind_direction", "relative_humidity")

#: Irradiance between this negative value and 0 [W/m²] is sensor night offset or rounding
#: and is set to 0 (counted in the metadata); anything lower is an error.
NEGATIVE_IRRADIANCE_TOLERANCE = 1.0
#: Margin above the extraterrestrial ceiling of an interval [W/m²] before a value is an
#: error: covers refraction and twilight at sunrise, and rounding in files.
EXTRATERRESTRIAL_MARGIN = 25.0
#: Physical ranges (low, high, unit) of the non-irradiance columns.
RANGES = {
    "temp_air": (-50.0, 60.0, "°C"),
    "wind_speed": (0.0, 70.0, "m/s"),
    "pressure": (30_000.0, 110_000.0, "Pa"),
    "relative_humidity": (0.0, 100.0, "%"),
    "wind_direction": (0.0, 360.0, "°"),
}
#: Largest accepted difference between a file's UTC offset and longitude/15 [h]; the
#: widest real case, western China on UTC+8, is 2.9 h.
MAX_TZ_LONGITUDE_MISMATCH_H = 3.5
#: Gaps up to this length [h] are filled by linear interpolation (with ``fill_gaps``).
MAX_INTERPOLATED_GAP_H = 3
#: Longer gaps up to this length [h] are filled with the same hours of the nearest day.
MAX_FILLED_GAP_H = 7 * 24
#: Most problems listed in one error.
MAX_PROBLEMS = 20
#: Years a weather record may carry (measured, reanalysis or typical-year stamps).
MIN_YEAR, MAX_YEAR = 1900, 2200


def _locate(i: int, file, lines, record_key) -> tuple[int | None, str | None]:
    """File line and key of row ``i``."""
    if lines is not None:
        return int(lines[i]), None
    if record_key:
        return None, f"{record_key}[{i}]"
    return None, f"row {i}"


def _problem(message, i, file, lines, record_key, column=None) -> Problem:
    line, key = _locate(i, file, lines, record_key)
    if column:
        key = f"{key}.{column}" if key else column
    return Problem(message, file=str(file) if file else None, line=line, key=key)


def _raise(problems: list[Problem], file, what: str) -> None:
    if problems:
        more = f" (first {MAX_PROBLEMS} shown)" if len(problems) >= MAX_PROBLEMS else ""
        raise WeatherError(f"{file or 'weather data'}: {what}{more}", problems=problems,
                           file=str(file) if file else None)


def require_columns(df: pd.DataFrame, file=None, required=REQUIRED_COLUMNS,
                    header_line: int | None = None, hint: str = "") -> None:
    """Fail unless every canonical column in ``required`` is present.

    Parameters
    ----------
    df : pandas.DataFrame
        Frame after renaming to canonical columns.
    file : str or path, optional
        File name used in the message.
    required : sequence of str
        Columns that must be present.
    header_line : int, optional
        1-based line of the header in the file.
    hint : str, optional
        Extra advice appended to the message (e.g. how to pass a column map).
    """
    missing = [c for c in required if c not in df.columns]
    if missing:
        found = ", ".join(map(str, df.columns)) or "none"
        msg = (f"missing column(s) {', '.join(missing)}; expected canonical columns "
               f"{', '.join(required)}; found {found}")
        if hint:
            msg += f". {hint}"
        raise WeatherError(f"{file or 'weather data'}: missing columns",
                           problems=[Problem(msg, file=str(file) if file else None,
                                             line=header_line)],
                           file=str(file) if file else None)


def to_numeric(df: pd.DataFrame, file=None, lines=None, record_key=None) -> pd.DataFrame:
    """Convert every column to float; fail on cells that are text, not numbers.

    Empty cells become NaN (reported later as missing values); any other text that is
    not a number raises, with its line and column.

    Parameters
    ----------
    df : pandas.DataFrame
        Columns as parsed from the file.
    file, lines, record_key
        Location of the rows, see the module docstring.

    Returns
    -------
    pandas.DataFrame
        The same frame with float64 columns.
    """
    out = {}
    problems: list[Problem] = []
    for col in df.columns:
        raw = df[col]
        values = pd.to_numeric(raw, errors="coerce").astype(float)
        text = raw.astype("string").str.strip()
        bad = np.flatnonzero((values.isna() & raw.notna() & (text != "")
                              & ~text.str.lower().isin(["nan", "na", "n/a"])).to_numpy(bool))
        for i in bad[: max(1, MAX_PROBLEMS // max(1, len(df.columns)))]:
            problems.append(_problem(f"{raw.iloc[i]!r} is not a number", i, file, lines,
                                     record_key, col))
        out[col] = values
    _raise(problems, file, "values that are not numbers")
    return pd.DataFrame(out, index=df.index)


def check_timestamps(index: pd.DatetimeIndex, file=None, lines=None, record_key=None,
                     allow_gaps: bool = False) -> list[tuple[int, int]]:
    """Check that ``index`` is tz-aware, unique, increasing and hourly.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Interval-start labels of the rows.
    file, lines, record_key
        Location of the rows, see the module docstring.
    allow_gaps : bool, default False
        Return missing stretches instead of failing on them.

    Returns
    -------
    list of (int, int)
        For each gap, the row before it and the number of missing hours.

    Raises
    ------
    WeatherError
        On a naive index, a duplicate, an unsorted or non-hourly step, a gap (unless
        ``allow_gaps``), or a Feb 29 that is missing from a leap-year record.
    """
    if index.tz is None:
        raise WeatherError(f"{file or 'weather data'}: timestamps have no time zone; "
                           "state the UTC offset in the file or pass tz=",
                           file=str(file) if file else None)
    problems: list[Problem] = []
    years = np.asarray(index.year)
    for i in np.flatnonzero((years < MIN_YEAR) | (years > MAX_YEAR))[:MAX_PROBLEMS]:
        problems.append(_problem(f"timestamp in year {years[i]}, outside {MIN_YEAR}–"
                                 f"{MAX_YEAR}", i, file, lines, record_key))
    _raise(problems, file, "timestamps out of range")
    values = index.as_unit("ns").asi8
    dup = np.flatnonzero(index.duplicated(keep="first"))
    for i in dup[:MAX_PROBLEMS]:
        first = int(np.flatnonzero(values == values[i])[0])
        where = _locate(first, file, lines, record_key)
        ref = f"line {where[0]}" if where[0] else where[1]
        problems.append(_problem(f"duplicate timestamp {index[i]} (first seen at {ref})",
                                 i, file, lines, record_key))
    _raise(problems, file, "duplicate timestamps")
    step = np.diff(values) / 3.6e12  # hours
    back = np.flatnonzero(step < 0)
    for i in back[:MAX_PROBLEMS]:
        problems.append(_problem(f"timestamp {index[i + 1]} comes after {index[i]}: "
                                 "rows must be in increasing time order",
                                 i + 1, file, lines, record_key))
    _raise(problems, file, "unsorted timestamps")
    odd = np.flatnonzero((step != np.round(step)) | (step < 1))
    for i in odd[:MAX_PROBLEMS]:
        problems.append(_problem(f"step of {step[i] * 60:g} min from {index[i]} to "
                                 f"{index[i + 1]}; expected hourly rows on the hour",
                                 i + 1, file, lines, record_key))
    _raise(problems, file, "non-hourly time steps")
    minutes = index.minute != 0
    if minutes.any():
        i = int(np.flatnonzero(minutes)[0])
        problems.append(_problem(f"timestamp {index[i]} is not on the hour; expected "
                                 "hourly interval-start labels such as 10:00",
                                 i, file, lines, record_key))
        _raise(problems, file, "timestamps off the hour")
    gaps = [(int(i), int(round(step[i])) - 1) for i in np.flatnonzero(step > 1)]
    leap_gap = [g for g in gaps if _is_missing_feb29(index, *g)]
    for i, n in leap_gap[:MAX_PROBLEMS]:
        problems.append(_problem(
            f"Feb 29 is missing after {index[i]}: {index[i].year} is a leap year, so a "
            "full-year record must hold 8784 hours; re-stamp a typical (365-day) year "
            "with to_year(), which copies Feb 28 into Feb 29", i, file, lines, record_key))
    _raise(problems, file, "leap day missing")
    if gaps and not allow_gaps:
        for i, n in gaps[:MAX_PROBLEMS]:
            problems.append(_problem(
                f"gap of {n} h after {index[i]} (next row {index[i + 1]}); pass "
                "fill_gaps=True (--fill-gaps) to fill gaps (interpolation up to "
                f"{MAX_INTERPOLATED_GAP_H} h, same hours of the nearest day up to "
                f"{MAX_FILLED_GAP_H // 24} days)", i, file, lines, record_key))
        _raise(problems, file, f"{len(gaps)} gap(s) in the hourly series")
    return gaps


def _is_missing_feb29(index, i, n) -> bool:
    start = index[i]
    return (n == 24 and start.month == 2 and start.day == 28 and start.hour == 23
            and calendar.isleap(start.year))


def check_missing(df: pd.DataFrame, file=None, lines=None, record_key=None,
                  columns=None) -> None:
    """Fail on NaN values in ``columns`` (default: all canonical columns present)."""
    columns = [c for c in (columns or REQUIRED_COLUMNS + OPTIONAL_COLUMNS) if c in df]
    problems = []
    for col in columns:
        bad = np.flatnonzero(df[col].isna().to_numpy())
        for i in bad[: max(1, MAX_PROBLEMS // len(columns))]:
            problems.append(_problem(f"missing value (NaN) at {df.index[i]}; pass "
                                     "fill_gaps=True (--fill-gaps) to fill it", i, file, lines,
                                     record_key, col))
    _raise(problems, file, "missing values")


def fill_gaps(df: pd.DataFrame, latitude: float, longitude: float, file=None,
              lines=None, record_key=None) -> tuple[pd.DataFrame, int, np.ndarray | None]:
    """Fill missing hours and NaN values; return the filled frame and the count.

    Runs of up to :data:`MAX_INTERPOLATED_GAP_H` hours are interpolated linearly in
    time; longer runs, up to :data:`MAX_FILLED_GAP_H` hours, take the values of the same
    hours on the nearest earlier (else later) day that has them. Irradiance is then set to
    0 where the sun is below the horizon for the whole hour.

    Parameters
    ----------
    df : pandas.DataFrame
        Frame on an increasing hourly index (gaps allowed).
    latitude, longitude : float
        Site position [°], for the night mask.
    file, lines, record_key
        Location of the rows, for the error message.

    Returns
    -------
    filled : pandas.DataFrame
        Frame on a complete hourly index.
    count : int
        Number of rows in which at least one value was filled.
    lines : numpy.ndarray or None
        File lines aligned with ``filled`` (0 for inserted rows).
    """
    full = pd.date_range(df.index[0], df.index[-1], freq="h")
    pos = full.get_indexer(df.index)
    out = df.reindex(full)
    new_lines = None
    if lines is not None:
        new_lines = np.zeros(len(full), dtype=int)
        new_lines[pos] = lines
    numeric = [c for c in out.columns if pd.api.types.is_numeric_dtype(out[c])]
    filled_rows = np.zeros(len(out), dtype=bool)
    for col in numeric:
        values = out[col].to_numpy(dtype=float, copy=True)
        nan = np.isnan(values)
        if not nan.any():
            continue
        for start, length in _runs(nan):
            if length > MAX_FILLED_GAP_H:
                i = max(start - 1, 0)
                raise WeatherError(
                    f"{file or 'weather data'}: gap too long to fill",
                    problems=[_problem(f"{length} h missing from {full[start]}; at most "
                                       f"{MAX_FILLED_GAP_H} h can be filled", i, file,
                                       new_lines, record_key, col)],
                    file=str(file) if file else None)
            if start == 0 or start + length == len(values) or length > MAX_INTERPOLATED_GAP_H:
                values[start:start + length] = _same_hours(values, start, length)
            else:
                a, b = values[start - 1], values[start + length]
                frac = np.arange(1, length + 1) / (length + 1)
                values[start:start + length] = a + (b - a) * frac
            filled_rows[start:start + length] = True
        out[col] = values
    sun = interval_sun(out.index, latitude, longitude)
    dark = sun.extra_horizontal <= 0
    for col in ("ghi", "dni", "dhi"):
        if col in out:
            out.loc[dark & filled_rows, col] = 0.0
    return out, int(filled_rows.sum()), new_lines


def _runs(mask: np.ndarray):
    """(start, length) of each run of True in ``mask``."""
    padded = np.concatenate([[False], mask, [False]])
    edges = np.flatnonzero(np.diff(padded.astype(int)))
    return list(zip(edges[::2], edges[1::2] - edges[::2]))


def _same_hours(values: np.ndarray, start: int, length: int) -> np.ndarray:
    """Values of the same hours on the nearest day (earlier first) that has them all."""
    n = len(values)
    for days in range(1, 8):
        for sign in (-1, 1):
            lo = start + sign * 24 * days
            if lo >= 0 and lo + length <= n:
                seg = values[lo:lo + length]
                if not np.isnan(seg).any():
                    return seg
    # fall back on the hourly mean of the record at those hours of day
    hours = (np.arange(start, start + length)) % 24
    by_hour = np.array([np.nanmean(values[h::24]) for h in range(24)])
    return by_hour[hours]


def clip_small_negative(df: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Set irradiance in (-:data:`NEGATIVE_IRRADIANCE_TOLERANCE`, 0) to 0; return count."""
    count = 0
    for col in ("ghi", "dni", "dhi"):
        if col in df:
            v = df[col].to_numpy(dtype=float)
            small = (v < 0) & (v > -NEGATIVE_IRRADIANCE_TOLERANCE)
            if small.any():
                df[col] = np.where(small, 0.0, v)
                count += int(small.sum())
    return df, count


def check_ranges(df: pd.DataFrame, latitude: float, longitude: float, file=None,
                 lines=None, record_key=None) -> None:
    """Fail on values outside physical ranges.

    Irradiance must be non-negative, GHI and DHI at most the highest extraterrestrial
    horizontal irradiance of the interval plus :data:`EXTRATERRESTRIAL_MARGIN`, DNI at
    most the extraterrestrial normal irradiance plus the margin. Other columns must lie
    in :data:`RANGES`. A GHI above the extraterrestrial ceiling most often means a wrong
    time zone or interval label, so the message says so.

    Parameters
    ----------
    df : pandas.DataFrame
        Canonical frame on an interval-start hourly index.
    latitude, longitude : float
        Site position [°].
    file, lines, record_key
        Location of the rows.
    """
    problems: list[Problem] = []
    per_kind = 4
    for col in ("ghi", "dni", "dhi"):
        if col not in df:
            continue
        v = df[col].to_numpy(dtype=float)
        for i in np.flatnonzero(v < 0)[:per_kind]:
            problems.append(_problem(f"negative irradiance {v[i]:g} W/m² at {df.index[i]}; "
                                     "expected >= 0", i, file, lines, record_key, col))
    if latitude is None or longitude is None:  # site unknown (wind needs none): no sun check
        _check_plain_ranges(df, problems, per_kind, file, lines, record_key)
        _raise(problems[:MAX_PROBLEMS], file, "values outside physical ranges")
        return
    sun = interval_sun(df.index, latitude, longitude)
    for col in ("ghi", "dhi"):
        if col not in df:
            continue
        v = df[col].to_numpy(dtype=float)
        ceiling = sun.extra_horizontal_max + EXTRATERRESTRIAL_MARGIN
        for i in np.flatnonzero(v > ceiling)[:per_kind]:
            problems.append(_problem(
                f"{col} = {v[i]:g} W/m² at {df.index[i]} is above the extraterrestrial "
                f"ceiling {sun.extra_horizontal_max[i]:.0f} W/m² of that hour at "
                f"lat {latitude:g}, lon {longitude:g}: check the time zone and whether "
                "the file labels hours at their end", i, file, lines, record_key, col))
    if "dni" in df:
        v = df["dni"].to_numpy(dtype=float)
        for i in np.flatnonzero(v > sun.dni_extra + EXTRATERRESTRIAL_MARGIN)[:per_kind]:
            problems.append(_problem(f"dni = {v[i]:g} W/m² at {df.index[i]} is above the "
                                     f"extraterrestrial {sun.dni_extra[i]:.0f} W/m²", i,
                                     file, lines, record_key, "dni"))
    _check_plain_ranges(df, problems, per_kind, file, lines, record_key)
    _raise(problems[:MAX_PROBLEMS], file, "values outside physical ranges")


def _check_plain_ranges(df, problems, per_kind, file, lines, record_key) -> None:
    """Append a problem per value outside :data:`RANGES` (first ``per_kind`` per column)."""
    for col, (low, high, unit) in RANGES.items():
        if col not in df:
            continue
        v = df[col].to_numpy(dtype=float)
        for i in np.flatnonzero((v < low) | (v > high))[:per_kind]:
            hint = " (is it in hPa/mbar instead of Pa?)" if col == "pressure" else ""
            problems.append(_problem(f"{col} = {v[i]:g} {unit} at {df.index[i]} is outside "
                                     f"{low:g} to {high:g} {unit}{hint}", i, file, lines,
                                     record_key, col))


def check_tz_longitude(index_or_offset, longitude: float, file=None) -> None:
    """Fail when the UTC offset contradicts the longitude.

    Parameters
    ----------
    index_or_offset : pandas.DatetimeIndex or float
        A tz-aware index, or a UTC offset [h].
    longitude : float
        Site longitude [°], east positive.
    """
    if isinstance(index_or_offset, pd.DatetimeIndex):
        offsets = utc_offset_hours(index_or_offset[:1])
        offset = float(offsets[0]) if len(offsets) else 0.0
        tzname = str(index_or_offset.tz)
    else:
        offset = float(index_or_offset)
        tzname = f"UTC{offset:+g}"
    solar = longitude / 15.0
    if abs(offset - solar) > MAX_TZ_LONGITUDE_MISMATCH_H:
        raise WeatherError(
            f"{file or 'weather data'}: time zone {tzname} (UTC{offset:+g} h) contradicts "
            f"longitude {longitude:g}°, whose solar time is UTC{solar:+.1f} h (more than "
            f"{MAX_TZ_LONGITUDE_MISMATCH_H:g} h apart); check the sign of the longitude "
            "and the time zone", file=str(file) if file else None)
