"""The hourly market (spot) price a virtual DPPA settles against [VND/kWh].

Two sources, never mixed:

- the **proxy** (default, mark E): :data:`PROXY_FILE`, the reference's average market
  price of 2025 (1,426.6 VND/kWh, S2) spread over the day with the two-component pilot's
  peak/normal/off-peak energy-price ratios on the QĐ 963/2026 frame (E; the file states
  the basis). ``price(h) = mean × factor(h) / mean over the year of factor``, so the
  simulated year's time-weighted mean equals the reference figure exactly;
- a **user file** (``contracts.market_price_file``): a CSV with a ``time`` column (ISO 8601
  with a UTC offset, one row per hour of the simulated year, interval start) and a
  ``price_vnd_per_kwh`` column. Optional ``# key: value`` comment lines at the top are
  metadata; a file whose metadata says it is test data (``test_data: true`` or ``purpose:
  test``) is refused, so a fixture cannot silently stand in for a market series.

Every mistake in the file is reported with its line and what was expected (length,
time zone, units).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from energy_model.errors import Problem, ScenarioError
from energy_model.paths import package_data
from energy_model.yaml_io import load_yaml

#: the shipped proxy's definition (mean S2, daily shape E)
PROXY_FILE = "spot_price_proxy.yaml"
#: plausible range of a VND/kWh spot price; outside it the units are probably wrong
PRICE_RANGE_VND_PER_KWH = (0.0, 10000.0)
#: metadata values that mark a file as test data
TEST_MARKERS = {("test_data", "true"), ("test_data", "yes"), ("purpose", "test")}


@dataclass(frozen=True)
class MarketPrice:
    """An hourly market price with where it came from.

    Attributes
    ----------
    price : pandas.Series
        Hourly price [VND/kWh] on the dispatch index.
    source : str
        ``proxy`` or the user file's path.
    mark : str
        Quality mark of the series (``E`` for the proxy, ``user`` for a file).
    mean_vnd_per_kwh : float
        Time-weighted mean of the series [VND/kWh].
    """

    price: pd.Series
    source: str
    mark: str
    mean_vnd_per_kwh: float


@lru_cache(maxsize=2)
def _proxy_definition(path: str) -> dict:
    data, _ = load_yaml(Path(path))
    for key in ("weekday_factors", "sunday_factors"):
        if len(data[key]) != 24:
            raise ScenarioError(f"{path}: {key} must have 24 hourly factors", file=path)
    return data


def proxy_market_price(index: pd.DatetimeIndex, tz: str = "Asia/Ho_Chi_Minh") -> MarketPrice:
    """The synthetic spot-price proxy on ``index`` (see the module docstring).

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Hourly, interval-start labels (tz-aware, or naive local time).
    tz : str
        Local time zone of the daily shape.

    Returns
    -------
    MarketPrice
        Mark ``E``; its mean is the proxy's ``mean_vnd_per_kwh`` [VND/kWh].
    """
    path = package_data(PROXY_FILE)
    d = _proxy_definition(str(path))
    local = index.tz_convert(tz) if index.tz is not None else index
    hours = np.asarray(local.hour)
    sunday = np.asarray(local.day_of_week) == 6
    factor = np.where(sunday, np.asarray(d["sunday_factors"], float)[hours],
                      np.asarray(d["weekday_factors"], float)[hours])
    price = float(d["mean_vnd_per_kwh"]) * factor / factor.mean()
    return MarketPrice(pd.Series(price, index=index, name="market_price_vnd_per_kwh"),
                       "proxy", str(d["mark"]), float(price.mean()))


def _metadata(lines: list[str]) -> dict[str, str]:
    meta = {}
    for line in lines:
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].partition(":")
        if sep:
            meta[key.strip().lower()] = value.strip().lower()
    return meta


def _fail(file: str, msg: str, line: int | None = None, key: str | None = None):
    raise ScenarioError(f"{file}: {msg}", [Problem(msg, file=file, line=line, key=key)],
                        file=file)


def _read_rows(path: Path) -> tuple[pd.DataFrame, int]:
    """The CSV's rows and the file line of its header (comments skipped)."""
    file = str(path)
    if not path.exists():
        _fail(file, "market price file not found")
    text = path.read_text(encoding="utf-8-sig").splitlines()
    meta = _metadata(text)
    if any((k, v) in TEST_MARKERS for k, v in meta.items()):
        _fail(file, "this file's metadata marks it as test data; a market price series must "
                    "be a real or documented one (remove the file or the marker)", 1)
    header_line = next((i + 1 for i, t in enumerate(text) if t and not t.startswith("#")), 1)
    df = pd.read_csv(path, comment="#", skip_blank_lines=True, encoding="utf-8-sig")
    cols = list(df.columns)
    if "time" not in cols or "price_vnd_per_kwh" not in cols:
        wrong = [c for c in cols if "price" in c and c != "price_vnd_per_kwh"]
        hint = (f"; {wrong[0]!r} is in other units: convert to VND/kWh" if wrong else "")
        _fail(file, f"expected columns 'time' and 'price_vnd_per_kwh' (VND/kWh), got "
                    f"{cols}{hint}", header_line)
    return df, header_line


def _check_times(df: pd.DataFrame, file: str, header_line: int,
                 index: pd.DatetimeIndex) -> None:
    for k, raw in enumerate(df["time"].astype(str)):
        stamp = pd.Timestamp(raw) if raw != "nan" else None
        if stamp is None or stamp.tzinfo is None:
            _fail(file, f"time {raw!r} has no UTC offset; expected ISO 8601 with an offset, "
                        "e.g. 2030-01-01T00:00+07:00", header_line + 1 + k, "time")
        if k >= len(index):
            break
        if stamp != index[k]:
            _fail(file, f"time {raw!r} is not hour {k} of the simulated year "
                        f"({index[k].isoformat()}): expected one row per hour from "
                        f"{index[0].isoformat()}, in order", header_line + 1 + k, "time")


def read_market_price(path: str | Path, index: pd.DatetimeIndex) -> MarketPrice:
    """A user's hourly market price, checked against the simulated year.

    Parameters
    ----------
    path : str or Path
        CSV with ``time`` and ``price_vnd_per_kwh`` (see the module docstring).
    index : pandas.DatetimeIndex
        The dispatch's hourly index (tz-aware).

    Returns
    -------
    MarketPrice
        Mark ``user``.

    Raises
    ------
    ScenarioError
        Located at the file's line: missing file, test-data marker, columns or units,
        length, a time without offset or out of order, a non-numeric or implausible price.
    """
    path = Path(path)
    file = str(path)
    df, header = _read_rows(path)
    if len(df) != len(index):
        _fail(file, f"{len(df)} rows; expected {len(index)}, one per hour of the simulated "
                    f"year from {index[0].isoformat()}", header + 1 + min(len(df), len(index)))
    _check_times(df, file, header, index)
    price = pd.to_numeric(df["price_vnd_per_kwh"], errors="coerce").to_numpy(float)
    low, high = PRICE_RANGE_VND_PER_KWH
    bad = np.flatnonzero(~np.isfinite(price) | (price < low) | (price > high))
    if bad.size:
        k = int(bad[0])
        _fail(file, f"price_vnd_per_kwh {df['price_vnd_per_kwh'].iloc[k]!r} is not a price in "
                    f"VND/kWh between {low:g} and {high:g} (a VND/MWh or USD figure?)",
              header + 1 + k, "price_vnd_per_kwh")
    series = pd.Series(price, index=index, name="market_price_vnd_per_kwh")
    return MarketPrice(series, file, "user", float(price.mean()))


def market_price(index: pd.DatetimeIndex, file: str | Path | None = None,
                 tz: str = "Asia/Ho_Chi_Minh") -> MarketPrice:
    """The user's file if one is named, else the proxy."""
    return read_market_price(file, index) if file else proxy_market_price(index, tz)
