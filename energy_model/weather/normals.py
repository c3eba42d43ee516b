"""Monthly climate normals of weather stations: the input of the synthetic generator.

One CSV per region, one row per station and month (see ``weather/README.md``)::

    station, name, lat, lon, altitude_m, month, ghi_kwh_m2_day, temp_air_c,
    wind_speed_m_s, wind_height_m

Optional per-station columns (the same value on all 12 rows of a station; blank means
the default, which is then flagged as an estimate):

- ``weibull_k`` [-], ``wind_autocorr_1h`` [-], ``diurnal_strength`` [-], ``peak_hour``
  [h]: HOMER's synthetic-wind parameters, defaults 2.0, 0.85, 0.25, 15 (HOMER Pro manual,
  "Synthetic wind speed data").
- ``temp_range_c`` [°C]: mean daily range of air temperature, default
  :data:`DEFAULT_TEMP_RANGE_C`.
- ``terrain`` (sea, coast, open, suburban, industrial) and ``roughness_length_m`` [m]:
  the surroundings of the wind station, which the wind module uses to carry the station
  speed to hub height; a blank length takes the value of the terrain class
  (:data:`ROUGHNESS_BY_TERRAIN`).
- ``source`` (free text: how the row was made) and ``mark`` (quality marks S, S2, E, NF:
  either one mark for the whole row, or ``column=MARK`` pairs separated by ``;``).

Lines starting with ``#`` are comments.
"""

from __future__ import annotations

import csv
import functools
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from energy_model.errors import Problem, WeatherError
from energy_model.paths import shipped_dir
from energy_model.terrain import TERRAIN_ROUGHNESS_M

#: file name of the normals shipped in ``weather/`` (the default of :func:`load_normals`)
SHIPPED_NORMALS = "quang_ninh_normals.csv"

REQUIRED_COLUMNS = ("station", "name", "lat", "lon", "altitude_m", "month",
                    "ghi_kwh_m2_day", "temp_air_c", "wind_speed_m_s", "wind_height_m")
#: HOMER Pro's defaults for synthetic wind (manual, "Synthetic wind speed data"):
#: Weibull k, lag-1 autocorrelation, diurnal pattern strength, hour of peak wind speed.
HOMER_WIND_DEFAULTS = {"weibull_k": 2.0, "wind_autocorr_1h": 0.85,
                       "diurnal_strength": 0.25, "peak_hour": 15.0}
#: Default mean daily temperature range [°C] (E: humid subtropical and coastal tropical
#: stations typically show 6-9 °C; used only when the normals leave it blank).
DEFAULT_TEMP_RANGE_C = 7.0
#: Roughness length of each terrain class [m]: the model's one table, energy_model.terrain.
ROUGHNESS_BY_TERRAIN = TERRAIN_ROUGHNESS_M
STATION_COLUMNS = (tuple(HOMER_WIND_DEFAULTS) + ("temp_range_c", "terrain",
                                                 "roughness_length_m", "source", "mark"))
ALLOWED_COLUMNS = REQUIRED_COLUMNS + STATION_COLUMNS
MARKS = ("S", "S2", "E", "NF")
#: Accepted ranges (low, high, unit) of numeric columns.
BOUNDS = {
    "lat": (-90.0, 90.0, "°"), "lon": (-180.0, 180.0, "°"),
    "altitude_m": (-430.0, 6000.0, "m"), "month": (1, 12, ""),
    "ghi_kwh_m2_day": (0.0, 12.0, "kWh/m²/day"), "temp_air_c": (-50.0, 45.0, "°C"),
    "wind_speed_m_s": (0.0, 30.0, "m/s"), "wind_height_m": (1.0, 200.0, "m"),
    "weibull_k": (0.8, 5.0, ""), "wind_autocorr_1h": (0.5, 0.99, ""),
    "diurnal_strength": (0.0, 0.6, ""), "peak_hour": (0.0, 24.0, "h"),
    "temp_range_c": (0.0, 30.0, "°C"), "roughness_length_m": (1e-5, 3.0, "m"),
}
#: Monthly clearness index (GHI over extraterrestrial) outside this range is not a
#: climate on Earth (desert maxima about 0.75).
KT_MONTH_RANGE = (0.03, 0.80)


@dataclass(frozen=True)
class StationNormals:
    """Monthly normals and synthesis parameters of one station.

    Attributes
    ----------
    station : str
        Short id, e.g. ``bai_chay``.
    name : str
        Display name.
    latitude, longitude : float
        Position [°], north and east positive.
    altitude : float
        Height above sea level [m].
    wind_height_m : float
        Height of the wind speeds [m].
    monthly : pandas.DataFrame
        Indexed by month 1..12, columns ``ghi_kwh_m2_day`` [kWh/m²/day],
        ``temp_air_c`` [°C], ``wind_speed_m_s`` [m/s].
    weibull_k : float
        Weibull shape of hourly wind speed over the year [-].
    wind_autocorr_1h : float
        Lag-1 (1 h) autocorrelation of hourly wind speed [-].
    diurnal_strength : float
        Relative amplitude of the mean daily wind cycle [-].
    peak_hour : float
        Local clock time of the daily wind maximum [h].
    temp_range_c : float
        Mean daily temperature range [°C].
    terrain : str or None
        Terrain class of the wind station's surroundings.
    roughness_length_m : float or None
        Roughness length of those surroundings [m].
    source : str
        How the row was made.
    marks : dict
        Quality mark per column (S, S2, E, NF); ``"*"`` applies to all.
    estimated : tuple of str
        Parameters that took a default because the normals left them blank.
    """

    station: str
    name: str
    latitude: float
    longitude: float
    altitude: float
    wind_height_m: float
    monthly: pd.DataFrame
    weibull_k: float = HOMER_WIND_DEFAULTS["weibull_k"]
    wind_autocorr_1h: float = HOMER_WIND_DEFAULTS["wind_autocorr_1h"]
    diurnal_strength: float = HOMER_WIND_DEFAULTS["diurnal_strength"]
    peak_hour: float = HOMER_WIND_DEFAULTS["peak_hour"]
    temp_range_c: float = DEFAULT_TEMP_RANGE_C
    terrain: str | None = None
    roughness_length_m: float | None = None
    source: str = ""
    marks: dict = field(default_factory=dict)
    estimated: tuple = ()

    def mark(self, column: str) -> str | None:
        """Quality mark of ``column`` (S, S2, E, NF), or None when not stated."""
        return self.marks.get(column, self.marks.get("*"))

    @property
    def annual_ghi_kwh_m2(self) -> float:
        """Annual global horizontal irradiation [kWh/m²] (non-leap year)."""
        days = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
        return float((self.monthly["ghi_kwh_m2_day"].to_numpy() * days).sum())


@dataclass(frozen=True)
class Normals:
    """A table of station normals, keyed by station id in file order.

    Attributes
    ----------
    stations : dict
        ``{station id: StationNormals}``.
    file : str or None
        The CSV it was read from.
    """

    stations: dict
    file: str | None = None

    @property
    def ids(self) -> tuple:
        """Station ids in file order."""
        return tuple(self.stations)

    def station(self, station_id: str) -> StationNormals:
        """The normals of ``station_id``; WeatherError naming the known ids otherwise."""
        try:
            return self.stations[station_id]
        except KeyError:
            raise WeatherError(f"{self.file or 'normals'}: unknown station "
                               f"{station_id!r}; known: {', '.join(self.ids)}",
                               file=self.file) from None

    @classmethod
    def from_stations(cls, stations, file: str | None = None) -> "Normals":
        """Build a table from StationNormals objects."""
        return cls({s.station: s for s in stations}, file)

    def to_frame(self) -> pd.DataFrame:
        """The table in file layout (one row per station and month)."""
        rows = []
        for s in self.stations.values():
            marks = ";".join(f"{k}={v}" for k, v in s.marks.items() if k != "*")
            if "*" in s.marks:
                marks = s.marks["*"] + (";" + marks if marks else "")
            for month, r in s.monthly.iterrows():
                rows.append({
                    "station": s.station, "name": s.name, "lat": s.latitude,
                    "lon": s.longitude, "altitude_m": s.altitude, "month": int(month),
                    "ghi_kwh_m2_day": r["ghi_kwh_m2_day"], "temp_air_c": r["temp_air_c"],
                    "wind_speed_m_s": r["wind_speed_m_s"],
                    "wind_height_m": s.wind_height_m,
                    **{k: (None if k in s.estimated else getattr(s, k))
                       for k in (*HOMER_WIND_DEFAULTS, "temp_range_c")},
                    "terrain": s.terrain, "roughness_length_m": s.roughness_length_m,
                    "source": s.source, "mark": marks})
        return pd.DataFrame(rows, columns=list(ALLOWED_COLUMNS))

    def to_csv(self, path) -> None:
        """Write the table as a normals CSV that :func:`load_normals` reads back."""
        self.to_frame().to_csv(path, index=False, float_format="%.6g")


# --------------------------------------------------------------------------- loading

def load_normals(path: str | Path | None = None) -> Normals:
    """Read and validate a monthly normals CSV.

    Parameters
    ----------
    path : str or path, optional
        The CSV (see the module docstring for its columns). Default: the Quảng Ninh
        normals shipped with the project (``weather/quang_ninh_normals.csv``).

    Returns
    -------
    Normals
        Stations in file order.

    Raises
    ------
    WeatherError
        Listing every problem with its file, line and column: unknown or missing
        columns, unreadable or out-of-range numbers, a month missing or repeated, a
        station parameter that changes between months, an unknown terrain or mark, or a
        monthly GHI that implies an impossible clearness index.
    """
    path = Path(path) if path is not None else shipped_dir("weather") / SHIPPED_NORMALS
    if not path.is_file():
        raise WeatherError(f"{path}: normals file not found", file=str(path))
    fname = str(path)
    problems: list[Problem] = []
    body, header, col_no = _read_header(path, fname)
    rows = []
    for line_no, text in body[1:]:
        cells = [c.strip() for c in next(csv.reader([text]))]
        if len(cells) != len(header):
            problems.append(Problem(f"{len(cells)} fields, header has {len(header)}",
                                    fname, line_no))
            continue
        rows.append((line_no, dict(zip(header, cells))))
    stations = _collect_stations(rows, fname, col_no, problems)
    if problems:
        raise WeatherError(f"{fname}: invalid normals", problems=problems, file=fname)

    out = []
    for sid, st in stations.items():
        params = {k: v for k, (v, _) in st["params"].items()}
        line = st["first_line"]
        out.append(_build_station(sid, st, params, fname, line, col_no, problems))
    if problems:
        raise WeatherError(f"{fname}: invalid normals", problems=problems, file=fname)
    return Normals.from_stations(out, fname)


def _read_header(path: Path, fname: str) -> tuple[list, list[str], dict[str, int]]:
    """The numbered non-comment lines, the header and each column's number; raises on an
    unknown or missing column."""
    problems: list[Problem] = []
    with open(path, newline="", encoding="utf-8-sig") as f:
        numbered = [(i + 1, line) for i, line in enumerate(f.read().splitlines())]
    body = [(n, t) for n, t in numbered if t.strip() and not t.lstrip().startswith("#")]
    if not body:
        raise WeatherError(f"{fname}: no header line", file=fname)
    header_no, header_text = body[0]
    header = [h.strip() for h in next(csv.reader([header_text]))]
    col_no = {h: i + 1 for i, h in enumerate(header)}
    for h in header:
        if h not in ALLOWED_COLUMNS:
            problems.append(Problem(f"unknown column {h!r}; allowed: "
                                    f"{', '.join(ALLOWED_COLUMNS)}", fname, header_no,
                                    col_no[h], h))
    for h in REQUIRED_COLUMNS:
        if h not in col_no:
            problems.append(Problem(f"missing required column {h!r}", fname, header_no))
    if problems:
        raise WeatherError(f"{fname}: bad normals header", problems=problems, file=fname)
    return body, header, col_no


def _cell(problems: list[Problem], fname: str, col_no: dict[str, int], line_no: int,
          row: dict, key: str, required: bool = True):
    """One checked cell: text for the text columns, a number within :data:`BOUNDS`
    otherwise; None (and a problem) when empty, unreadable or out of range."""
    raw = row.get(key, "")
    if raw == "":
        if required:
            problems.append(Problem("empty value", fname, line_no, col_no.get(key), key))
        return None
    if key in ("station", "name", "terrain", "source", "mark"):
        return raw
    try:
        value = float(raw)
    except ValueError:
        problems.append(Problem(f"expected a number, got {raw!r}", fname, line_no,
                                col_no[key], key))
        return None
    low, high, unit = BOUNDS[key]
    if not (low <= value <= high) or math.isnan(value):
        problems.append(Problem(f"{value:g} {unit} is outside {low:g}..{high:g} {unit}",
                                fname, line_no, col_no[key], key))
        return None
    if key == "month" and value != int(value):
        problems.append(Problem(f"month must be an integer 1..12, got {raw}", fname,
                                line_no, col_no[key], key))
        return None
    return value


def _collect_stations(rows, fname: str, col_no: dict[str, int],
                      problems: list[Problem]) -> dict[str, dict]:
    """Group the rows by station: the 12 months' values and the station parameters, which
    must be the same on every row; every problem is appended to ``problems``."""
    cell = functools.partial(_cell, problems, fname, col_no)
    stations: dict[str, dict] = {}
    for line_no, row in rows:
        sid = cell(line_no, row, "station")
        if sid is None:
            continue
        if not sid.replace("_", "").isalnum():
            problems.append(Problem(f"station id {sid!r} must be letters, digits and "
                                    "underscores", fname, line_no, col_no["station"],
                                    "station"))
        st = stations.setdefault(sid, {"months": {}, "first_line": line_no,
                                       "params": {}, "lines": {}})
        month = cell(line_no, row, "month")
        values = {k: cell(line_no, row, k) for k in
                  ("ghi_kwh_m2_day", "temp_air_c", "wind_speed_m_s")}
        if month is not None:
            m = int(month)
            if m in st["months"]:
                problems.append(Problem(f"month {m} of station {sid!r} repeated (first "
                                        f"at line {st['lines'][m]})", fname, line_no,
                                        col_no["month"], "month"))
            else:
                st["months"][m] = values
                st["lines"][m] = line_no
        for key in ("name", "lat", "lon", "altitude_m", "wind_height_m",
                    *[c for c in STATION_COLUMNS if c in col_no]):
            value = cell(line_no, row, key, required=key in REQUIRED_COLUMNS)
            if key in st["params"]:
                first_value, first_line = st["params"][key]
                if value != first_value:
                    problems.append(Problem(
                        f"{key} of station {sid!r} is {row.get(key)!r} here but "
                        f"{first_value!r} at line {first_line}; station parameters must be "
                        "the same on all 12 rows", fname, line_no, col_no[key], key))
            else:
                st["params"][key] = (value, line_no)
    for sid, st in stations.items():
        missing = sorted(set(range(1, 13)) - set(st["months"]))
        if missing:
            problems.append(Problem(f"station {sid!r} lacks month(s) "
                                    f"{', '.join(map(str, missing))}", fname,
                                    st["first_line"], col_no["month"], "month"))
    return stations


def _build_station(sid, st, params, fname, line, col_no, problems) -> StationNormals:
    monthly = pd.DataFrame.from_dict(st["months"], orient="index").sort_index()
    monthly.index.name = "month"
    estimated = []
    kwargs = {}
    for key, default in (*HOMER_WIND_DEFAULTS.items(), ("temp_range_c", DEFAULT_TEMP_RANGE_C)):
        value = params.get(key)
        if value is None:
            estimated.append(key)
            value = default
        kwargs[key] = float(value)
    terrain = params.get("terrain")
    if terrain is not None and terrain not in ROUGHNESS_BY_TERRAIN:
        problems.append(Problem(f"terrain {terrain!r} is not one of "
                                f"{', '.join(ROUGHNESS_BY_TERRAIN)}", fname, line,
                                col_no.get("terrain"), "terrain"))
    z0 = params.get("roughness_length_m")
    if z0 is None and terrain in ROUGHNESS_BY_TERRAIN:
        z0 = ROUGHNESS_BY_TERRAIN[terrain]
    marks = _parse_marks(params.get("mark"), fname, line, col_no, problems)
    lat = float(params["lat"])
    kt = _monthly_kt(monthly["ghi_kwh_m2_day"].to_numpy(), lat)
    for m, k in zip(monthly.index, kt):
        if not (KT_MONTH_RANGE[0] <= k <= KT_MONTH_RANGE[1]):
            problems.append(Problem(
                f"ghi_kwh_m2_day {monthly.loc[m, 'ghi_kwh_m2_day']:g} in month {m} gives a "
                f"clearness index {k:.2f} at latitude {lat:g}; expected "
                f"{KT_MONTH_RANGE[0]}..{KT_MONTH_RANGE[1]}", fname, st["lines"][m],
                col_no["ghi_kwh_m2_day"], "ghi_kwh_m2_day"))
    return StationNormals(
        station=sid, name=params["name"], latitude=lat, longitude=float(params["lon"]),
        altitude=float(params["altitude_m"]), wind_height_m=float(params["wind_height_m"]),
        monthly=monthly, terrain=terrain, roughness_length_m=z0,
        source=params.get("source") or "", marks=marks, estimated=tuple(estimated),
        **kwargs)


def _parse_marks(text, fname, line, col_no, problems) -> dict:
    if not text:
        return {}
    marks = {}
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        key, _, mark = part.rpartition("=")
        key = key.strip() or "*"
        mark = mark.strip()
        if mark not in MARKS or (key != "*" and key not in ALLOWED_COLUMNS):
            problems.append(Problem(f"mark {part!r}: expected MARK or column=MARK with MARK "
                                    f"in {', '.join(MARKS)} and a column of the table",
                                    fname, line, col_no.get("mark"), "mark"))
            continue
        marks[key] = mark
    return marks


def _monthly_kt(ghi_kwh_m2_day: np.ndarray, latitude: float) -> np.ndarray:
    """Monthly clearness index from mean daily GHI, with the daily extraterrestrial
    irradiation of each day of a non-leap year (Duffie & Beckman eq. 1.10.3)."""
    import pvlib

    doy = np.arange(1, 366)
    dec = np.asarray(pvlib.solarposition.declination_spencer71(doy))
    lat = np.radians(latitude)
    ws = np.arccos(np.clip(-np.tan(lat) * np.tan(dec), -1, 1))
    e0 = np.asarray(pvlib.irradiance.get_extra_radiation(doy, method="spencer"))
    h0 = 24 / np.pi * e0 * (np.cos(lat) * np.cos(dec) * np.sin(ws)
                            + ws * np.sin(lat) * np.sin(dec)) / 1000.0  # kWh/m²/day
    month = pd.Timestamp("2001-01-01") + pd.to_timedelta(doy - 1, unit="D")
    h0m = pd.Series(h0).groupby(np.asarray(month.month)).mean().to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(h0m > 0, ghi_kwh_m2_day / h0m, np.inf)


# --------------------------------------------------------------------------- derivation

def normals_from_weather(df: pd.DataFrame, meta: dict | None = None,
                         station: str = "site", name: str | None = None,
                         source: str = "") -> StationNormals:
    """Derive a station's normals and wind/temperature parameters from an hourly record.

    Used to validate the synthetic generator against a real typical year: the record's
    monthly means, Weibull k, lag-1 autocorrelation, diurnal strength, peak hour and
    daily temperature range become the normals from which a synthetic year is made.

    Parameters
    ----------
    df : pandas.DataFrame
        Canonical hourly frame (interval-start labels), one or more full years.
    meta : dict, optional
        Reader metadata (``latitude``, ``longitude``, ``altitude``, ``wind_height_m``);
        ``df.attrs`` is used when omitted.
    station : str
        Id of the derived station.
    name : str, optional
        Display name (default: the metadata's station name).
    source : str
        Free text recorded in the ``source`` field.

    Returns
    -------
    StationNormals
        All parameters measured, none estimated.
    """
    from energy_model.weather import stats

    meta = dict(meta or df.attrs)
    ws = stats.wind_statistics(df["wind_speed"])
    monthly = pd.DataFrame({
        "ghi_kwh_m2_day": stats.monthly_ghi_kwh_m2_day(df["ghi"]),
        "temp_air_c": df["temp_air"].groupby(df.index.month).mean(),
        "wind_speed_m_s": df["wind_speed"].groupby(df.index.month).mean()})
    monthly.index.name = "month"
    daily = df["temp_air"].resample("D")
    temp_range = float((daily.max() - daily.min()).mean())
    return StationNormals(
        station=station, name=name or meta.get("station") or station,
        latitude=float(meta["latitude"]), longitude=float(meta["longitude"]),
        altitude=float(meta.get("altitude") or 0.0),
        wind_height_m=float(meta.get("wind_height_m") or 10.0), monthly=monthly,
        weibull_k=ws["weibull_k"], wind_autocorr_1h=ws["wind_autocorr_1h"],
        diurnal_strength=ws["diurnal_strength"], peak_hour=ws["peak_hour"],
        temp_range_c=temp_range, source=source or f"derived from {meta.get('file', 'a record')}",
        marks={"*": "S"}, estimated=())


def with_params(normals: StationNormals, **changes) -> StationNormals:
    """A copy of ``normals`` with some fields replaced (e.g. ``station=``)."""
    return replace(normals, **changes)
