"""EVN time-of-use tariffs, hourly prices and rooftop-PV export rules.

The tariffs, their time-of-use frames and the export rules are read from
``energy_model/data/tariffs.yaml`` (prices in VND/kWh without VAT, each schedule with its
source and quality mark S/S2/E/NF). The shipped names are:

========================  =================================================  ====
tariff                    meaning                                            mark
========================  =================================================  ====
``evn_2023``              QĐ 2941 (2023) prices, 2023 frame                  S
``evn_2025``              QĐ 1279 (2025) prices, 2023 frame (current)        S2
``evn_2026``              QĐ 1279 prices on the QĐ 963/2026 frame            S2
``evn_two_component_2026``  two-component pilot: capacity + energy, 2026 frame  S2
========================  =================================================  ====

Export rules: ``decree_135_2024`` (20 % of installed capacity, power basis, S),
``amendment_2026`` (50 % read on the power basis, S2/E) and ``decree_243_2026`` (50 % of
the energy at the inverter output, PV-charged storage may export, S2: the rule in force
from 2027). Scenarios from 2027 on default to ``evn_2026`` + Decree 243 (see
:mod:`energy_model.rules_in_force`).

Time is hourly and labelled at interval start (the value at 10:00 covers 10:00–11:00),
on a tz-aware index that is read in local time (Asia/Ho_Chi_Minh). Period boundaries fall
on half hours (09:30, 11:30, 17:30, 22:30), so each hour is evaluated as two half-hour
slots and an hour split by a boundary gets the time-weighted (mean) price. The Sunday rule
(no peak on Sunday) applies to each slot's own local date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from energy_model.errors import Problem, ScenarioError
from energy_model.paths import package_data

#: Time-of-use periods, in increasing price order; codes 0, 1, 2.
PERIODS: tuple[str, ...] = ("offpeak", "normal", "peak")
#: Voltage levels of the EVN retail tariff.
VOLTAGES: tuple[str, ...] = ("ge110kv", "22_110kv", "6_22kv", "lt6kv")
#: Customer classes: manufacturing (sản xuất) and business (kinh doanh).
CUSTOMERS: tuple[str, ...] = ("manufacturing", "business")
#: Local time zone of every EVN schedule.
LOCAL_TZ = "Asia/Ho_Chi_Minh"
#: Half-hour slots per day.
SLOTS_PER_DAY = 48


@dataclass(frozen=True)
class TouFrame:
    """A time-of-use frame: which period each half hour of a day belongs to.

    Attributes
    ----------
    name : str
        Frame name, e.g. ``frame_2023``.
    weekday_slots : tuple of int
        Period code (0 off-peak, 1 normal, 2 peak) of the 48 half-hour slots of a day that
        follows the weekday schedule [-].
    sunday_slots : tuple of int
        The same for the other days (Sunday under EVN's rule) [-].
    peak_weekdays : tuple of int
        Days of week (Monday = 0) that follow ``weekday_slots`` [-].
    evening_peak : tuple of float
        Start and end of the system evening peak window, local clock hours [h].
    description, source, mark : str
        What the frame is, where it comes from, and its quality mark.
    """

    name: str
    weekday_slots: tuple[int, ...]
    sunday_slots: tuple[int, ...]
    peak_weekdays: tuple[int, ...]
    evening_peak: tuple[float, float]
    description: str = ""
    source: str = ""
    mark: str = ""


@dataclass(frozen=True)
class Tariff:
    """A named retail tariff: a frame, energy prices and an optional capacity charge.

    Attributes
    ----------
    name : str
        Tariff name, e.g. ``evn_2025``.
    frame : TouFrame
        Its time-of-use frame.
    energy_prices : dict
        ``{customer: {voltage: {period: price}}}``, prices [VND/kWh] without VAT.
    capacity_prices : dict
        ``{voltage: charge}`` [VND/kW/month] on the monthly peak demand; empty for a
        one-component tariff.
    energy_prices_name, capacity_prices_name : str
        Names of the schedules in the data file.
    description, source, mark : str
        What the tariff is, where its prices come from, and their quality mark.
    """

    name: str
    frame: TouFrame
    energy_prices: dict = field(compare=False)
    capacity_prices: dict = field(default_factory=dict, compare=False)
    energy_prices_name: str = ""
    capacity_prices_name: str = ""
    description: str = ""
    source: str = ""
    mark: str = ""


@dataclass(frozen=True)
class ExportRule:
    """Rules for selling rooftop-PV surplus to EVN.

    Attributes
    ----------
    name : str
        Rule name, e.g. ``decree_135_2024``.
    price_vnd_per_kwh : float
        Price paid for exported energy [VND/kWh].
    cap_share : float
        Export cap as a share of installed rooftop capacity or generation [-].
    cap_basis : str
        ``"power"``: export [kW] ≤ share × installed rooftop capacity in every hour (read
        as DC kWp or AC kW: :func:`export_cap_kw_per_kwp`);
        ``"energy"``: annual export [kWh] ≤ share × annual rooftop generation [kWh].
    storage_export : bool
        Whether energy discharged from storage charged by the rooftop PV may be part of the
        surplus (Decree 243/2026) [-].
    description, source, mark : str
        What the rule is, where it comes from, and its quality mark.
    """

    name: str
    price_vnd_per_kwh: float
    cap_share: float
    cap_basis: str
    storage_export: bool = False
    description: str = ""
    source: str = ""
    mark: str = ""


@dataclass(frozen=True)
class TariffTable:
    """Everything in one tariff data file.

    Attributes
    ----------
    frames : dict of str to TouFrame
    tariffs : dict of str to Tariff
    export_rules : dict of str to ExportRule
    path : str
        The file it was read from.
    """

    frames: dict = field(compare=False)
    tariffs: dict = field(compare=False)
    export_rules: dict = field(compare=False)
    path: str = ""


# --------------------------------------------------------------------------- reading

def _clock_to_slot(text, where: Problem) -> int:
    """Half-hour slot (0–48) of a clock time ``"HH:MM"``; MM must be 00 or 30."""
    try:
        hh, mm = str(text).split(":")
        hh, mm = int(hh), int(mm)
    except ValueError:
        raise ScenarioError("bad clock time in tariff file", [
            Problem(f"expected a clock time 'HH:MM', got {text!r}", where.file, where.line,
                    key=where.key)]) from None
    if mm not in (0, 30) or not 0 <= hh <= 24 or (hh == 24 and mm):
        raise ScenarioError("bad clock time in tariff file", [
            Problem(f"period boundaries must fall on whole or half hours between 00:00 "
                    f"and 24:00, got {text!r}", where.file, where.line, key=where.key)])
    return hh * 2 + mm // 30


def _day_slots(segments, file: str, key: str, line) -> tuple[int, ...]:
    """Expand ``[[start, end, period], ...]`` covering one day into 48 period codes."""
    where = Problem("", file, line, key=key)
    slots = [-1] * SLOTS_PER_DAY
    if not isinstance(segments, list) or not segments:
        raise ScenarioError("bad time-of-use frame", [
            Problem("expected a list of [start, end, period] segments", file, line, key=key)])
    for i, seg in enumerate(segments):
        if not (isinstance(seg, list) and len(seg) == 3 and seg[2] in PERIODS):
            raise ScenarioError("bad time-of-use frame", [
                Problem(f"expected [start, end, period] with period one of {PERIODS}, "
                        f"got {seg!r}", file, line, key=f"{key}[{i}]")])
        start, end = _clock_to_slot(seg[0], where), _clock_to_slot(seg[1], where)
        if end <= start:
            raise ScenarioError("bad time-of-use frame", [
                Problem(f"segment end {seg[1]} is not after its start {seg[0]}", file, line,
                        key=f"{key}[{i}]")])
        for s in range(start, end):
            if slots[s] != -1:
                raise ScenarioError("bad time-of-use frame", [
                    Problem(f"segments overlap at slot {s // 2:02d}:{30 * (s % 2):02d}",
                            file, line, key=f"{key}[{i}]")])
            slots[s] = PERIODS.index(seg[2])
    if -1 in slots:
        s = slots.index(-1)
        raise ScenarioError("bad time-of-use frame", [
            Problem(f"segments leave {s // 2:02d}:{30 * (s % 2):02d} uncovered; they must "
                    "cover 00:00–24:00", file, line, key=key)])
    return tuple(slots)


def _read_frame(name: str, raw: dict, file: str, lines) -> TouFrame:
    from energy_model.yaml_io import line_of

    key = f"frames.{name}"
    line = line_of(lines, ("frames", name))
    missing = [k for k in ("weekday", "sunday", "evening_peak") if k not in raw]
    if missing:
        raise ScenarioError("bad time-of-use frame", [
            Problem(f"missing {', '.join(missing)}", file, line, key=key)])
    where = Problem("", file, line_of(lines, ("frames", name, "evening_peak")),
                    key=f"{key}.evening_peak")
    ev = tuple(_clock_to_slot(t, where) / 2.0 for t in raw["evening_peak"])
    return TouFrame(
        name=name,
        weekday_slots=_day_slots(raw["weekday"], file, f"{key}.weekday",
                                 line_of(lines, ("frames", name, "weekday"))),
        sunday_slots=_day_slots(raw["sunday"], file, f"{key}.sunday",
                                line_of(lines, ("frames", name, "sunday"))),
        peak_weekdays=tuple(int(d) for d in raw.get("peak_weekdays", range(6))),
        evening_peak=(ev[0], ev[1]),
        description=str(raw.get("description", "")).strip(),
        source=str(raw.get("source", "")), mark=str(raw.get("mark", "")))


def _lookup(table: dict, name, what: str, file: str, line, key: str):
    if name not in table:
        raise ScenarioError(f"unknown {what} in tariff file", [
            Problem(f"{name!r} is not one of {sorted(table)}", file, line, key=key)])
    return table[name]


@lru_cache(maxsize=8)
def _load_cached(path: str) -> TariffTable:
    from energy_model.yaml_io import line_of, load_yaml

    raw, lines = load_yaml(path, what="tariff")
    if not isinstance(raw, dict):
        raise ScenarioError("bad tariff file", [Problem("expected a mapping", path, 1)])
    frames = {n: _read_frame(n, f, path, lines) for n, f in raw.get("frames", {}).items()}
    energy = raw.get("energy_prices", {})
    capacity = raw.get("capacity_prices", {})
    tariffs = {}
    for name, t in raw.get("tariffs", {}).items():
        line = line_of(lines, ("tariffs", name))
        key = f"tariffs.{name}"
        frame = _lookup(frames, t.get("frame"), "frame", path, line, key + ".frame")
        ep = _lookup(energy, t.get("energy_prices"), "energy price schedule", path, line,
                     key + ".energy_prices")
        cp = {}
        if t.get("capacity_prices"):
            cp = _lookup(capacity, t["capacity_prices"], "capacity price schedule", path,
                         line, key + ".capacity_prices")["value"]
        tariffs[name] = Tariff(
            name=name, frame=frame, energy_prices=ep["value"], capacity_prices=dict(cp),
            energy_prices_name=str(t["energy_prices"]),
            capacity_prices_name=str(t.get("capacity_prices") or ""),
            description=str(t.get("description", "")).strip(),
            source=str(ep.get("source", "")), mark=str(t.get("mark", ep.get("mark", ""))))
    rules = {}
    for name, r in raw.get("export_rules", {}).items():
        basis = r.get("cap_basis")
        if basis not in ("power", "energy"):
            raise ScenarioError("bad export rule", [
                Problem(f"cap_basis must be 'power' or 'energy', got {basis!r}", path,
                        line_of(lines, ("export_rules", name, "cap_basis")),
                        key=f"export_rules.{name}.cap_basis")])
        rules[name] = ExportRule(
            name=name, price_vnd_per_kwh=float(r["price_vnd_per_kwh"]),
            cap_share=float(r["cap_share"]), cap_basis=basis,
            storage_export=bool(r.get("storage_export", False)),
            description=str(r.get("description", "")).strip(),
            source=str(r.get("source", "")), mark=str(r.get("mark", "")))
    return TariffTable(frames=frames, tariffs=tariffs, export_rules=rules, path=path)


def load_tariff_table(path: str | Path | None = None) -> TariffTable:
    """Read a tariff data file (default: the shipped ``energy_model/data/tariffs.yaml``).

    Parameters
    ----------
    path : str or Path, optional
        A tariff file with the structure of the shipped one.

    Returns
    -------
    TariffTable

    Raises
    ------
    ScenarioError
        A malformed file, with the file, line and key of the problem.
    """
    return _load_cached(str(path or package_data("tariffs.yaml")))


def get_tariff(name: str | Tariff, path: str | Path | None = None) -> Tariff:
    """Return the named tariff (a :class:`Tariff` is returned unchanged)."""
    if isinstance(name, Tariff):
        return name
    table = load_tariff_table(path)
    return _lookup(table.tariffs, name, "tariff", table.path, None, "tariff")


def get_frame(name: str | TouFrame | Tariff, path: str | Path | None = None) -> TouFrame:
    """Return a time-of-use frame by name, or the frame of a tariff."""
    if isinstance(name, TouFrame):
        return name
    if isinstance(name, Tariff):
        return name.frame
    table = load_tariff_table(path)
    if name in table.tariffs:
        return table.tariffs[name].frame
    return _lookup(table.frames, name, "time-of-use frame", table.path, None, "frame")


def get_export_rule(name: str | ExportRule, path: str | Path | None = None) -> ExportRule:
    """Return the named export rule (``decree_135_2024``, ``amendment_2026``, ``decree_243_2026``)."""
    if isinstance(name, ExportRule):
        return name
    table = load_tariff_table(path)
    return _lookup(table.export_rules, name, "export rule", table.path, None, "export_rule")


# --------------------------------------------------------------------------- time

def _local_index(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """Check an hourly, tz-aware, on-the-hour index; return it in local (VN) time."""
    if not isinstance(index, pd.DatetimeIndex):
        raise ScenarioError(f"expected a pandas DatetimeIndex, got {type(index).__name__}")
    if index.tz is None:
        raise ScenarioError("the time index must be tz-aware (interval-start labels in "
                            f"{LOCAL_TZ}); got a naive index")
    local = index.tz_convert(LOCAL_TZ)
    if len(local) and ((local.minute != 0).any() or (local.second != 0).any()):
        raise ScenarioError("hourly labels must fall on the hour (interval start); got "
                            f"{local[(local.minute != 0) | (local.second != 0)][0]}")
    return local


def _slot_codes(index: pd.DatetimeIndex, frame: TouFrame) -> np.ndarray:
    """Period codes of the two half-hour slots of each hour, shape (n, 2)."""
    local = _local_index(index)
    weekday = np.asarray(frame.weekday_slots)
    sunday = np.asarray(frame.sunday_slots)
    follows_weekday = np.isin(local.day_of_week, frame.peak_weekdays)
    slot = np.asarray(local.hour) * 2
    codes = np.empty((len(local), 2), dtype=int)
    for k in (0, 1):
        codes[:, k] = np.where(follows_weekday, weekday[slot + k], sunday[slot + k])
    return codes


def period_shares(index: pd.DatetimeIndex, frame: str | TouFrame | Tariff) -> pd.DataFrame:
    """Share of each hour spent in each time-of-use period.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Hourly, tz-aware, interval-start labels.
    frame : str, TouFrame or Tariff
        The time-of-use frame (or a tariff, whose frame is used).

    Returns
    -------
    pandas.DataFrame
        Columns ``offpeak``, ``normal``, ``peak`` [-], each 0, 0.5 or 1; rows sum to 1.
    """
    codes = _slot_codes(index, get_frame(frame))
    shares = {p: (codes == i).mean(axis=1) for i, p in enumerate(PERIODS)}
    return pd.DataFrame(shares, index=index)


def period_of_hour(index: pd.DatetimeIndex, frame: str | TouFrame | Tariff) -> pd.Series:
    """Time-of-use period of each hour.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Hourly, tz-aware, interval-start labels.
    frame : str, TouFrame or Tariff
        The time-of-use frame.

    Returns
    -------
    pandas.Series of str
        ``offpeak``, ``normal`` or ``peak`` for an hour inside one period; for an hour
        split by a half-hour boundary, both names in price order joined by ``+``
        (e.g. ``normal+peak`` for 09:00–10:00 under ``frame_2023``).
    """
    codes = _slot_codes(index, get_frame(frame))
    lo, hi = codes.min(axis=1), codes.max(axis=1)
    names = np.asarray(PERIODS, dtype=object)
    label = np.where(lo == hi, names[lo], names[lo] + "+" + names[hi])
    return pd.Series(label, index=index, name="period")


def _check_choice(value: str, choices: tuple, what: str) -> None:
    if value not in choices:
        raise ScenarioError(f"unknown {what} {value!r}; expected one of {list(choices)}")


def energy_price_table(tariff: str | Tariff, voltage: str,
                       customer: str = "manufacturing") -> dict[str, float]:
    """Prices of one customer class and voltage level, ``{period: VND/kWh}``.

    Raises
    ------
    ScenarioError
        Unknown voltage or customer, or a schedule that does not publish that class.
    """
    tariff = get_tariff(tariff)
    _check_choice(voltage, VOLTAGES, "voltage level")
    _check_choice(customer, CUSTOMERS, "customer class")
    try:
        row = tariff.energy_prices[customer][voltage]
    except (KeyError, TypeError):
        raise ScenarioError(
            f"tariff {tariff.name!r} (schedule {tariff.energy_prices_name!r} in "
            f"{package_data('tariffs.yaml').name}) has no {customer} prices at {voltage}; "
            "the source does not publish them (NF). Choose another tariff or voltage."
        ) from None
    return {p: float(row[p]) for p in PERIODS}


def hourly_prices(index: pd.DatetimeIndex, tariff: str | Tariff, voltage: str,
                  customer: str = "manufacturing") -> pd.Series:
    """Hourly energy price of an EVN tariff, time-weighted over split hours.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Hourly, tz-aware, interval-start labels (converted to Asia/Ho_Chi_Minh).
    tariff : str or Tariff
        A tariff name of the data file, e.g. ``"evn_2025"``.
    voltage : str
        ``ge110kv``, ``22_110kv``, ``6_22kv`` or ``lt6kv``.
    customer : str, default ``"manufacturing"``
        ``manufacturing`` (KCN tenants) or ``business`` (KKT service loads).

    Returns
    -------
    pandas.Series
        ``price_vnd_per_kwh`` [VND/kWh] without VAT, on ``index``.
    """
    tariff = get_tariff(tariff)
    table = energy_price_table(tariff, voltage, customer)
    shares = period_shares(index, tariff.frame)
    price = sum(shares[p].to_numpy() * table[p] for p in PERIODS)
    return pd.Series(price, index=index, name="price_vnd_per_kwh")


def capacity_charge(tariff: str | Tariff, voltage: str) -> float:
    """Capacity charge of a two-component tariff [VND/kW/month]; 0 for a one-component one.

    Raises
    ------
    ScenarioError
        A two-component tariff that publishes no capacity price at ``voltage``.
    """
    tariff = get_tariff(tariff)
    _check_choice(voltage, VOLTAGES, "voltage level")
    if not tariff.capacity_prices:
        return 0.0
    if voltage not in tariff.capacity_prices:
        raise ScenarioError(
            f"tariff {tariff.name!r} publishes a capacity charge only at "
            f"{sorted(tariff.capacity_prices)}, not at {voltage} (NF)")
    return float(tariff.capacity_prices[voltage])


def evening_window(frame: str | TouFrame | Tariff) -> tuple[float, float]:
    """The evening stress window of a frame, local clock hours ``(start, end)`` [h].

    Read from the frame's ``evening_peak`` entry in the tariff data file (e.g. 17.5, 22.5
    for ``frame_2026``); no clock time is held in code.
    """
    start, end = get_frame(frame).evening_peak
    return float(start), float(end)


def evening_window_label(frame: str | TouFrame | Tariff) -> str:
    """The evening window as ``"HH:MM–HH:MM"`` (e.g. ``"17:30–22:30"``)."""
    def clock(h: float) -> str:
        return f"{int(h):02d}:{int(round((h - int(h)) * 60)):02d}"

    start, end = evening_window(frame)
    return f"{clock(start)}–{clock(end)}"


def evening_peak_share(index: pd.DatetimeIndex, frame: str | TouFrame | Tariff) -> pd.Series:
    """Share of each hour inside the system evening peak window (every day).

    The window is the frame's ``evening_peak`` in the tariff data file
    (:func:`evening_window`: 17:00–20:00 under ``frame_2023``, 17:30–22:30 under
    ``frame_2026``); energy in the window is ``(power_kw * share).sum()`` [kWh] over
    hourly values.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Hourly, tz-aware, interval-start labels.
    frame : str, TouFrame or Tariff
        The time-of-use frame.

    Returns
    -------
    pandas.Series of float
        ``evening_peak_share`` [-], 0, 0.5 or 1.
    """
    start, end = evening_window(frame)
    hour = _local_index(index).hour.to_numpy(dtype=float)
    overlap = np.clip(np.minimum(hour + 1.0, end) - np.maximum(hour, start), 0.0, 1.0)
    return pd.Series(overlap, index=index, name="evening_peak_share")


def evening_peak_mask(index: pd.DatetimeIndex, frame: str | TouFrame | Tariff) -> pd.Series:
    """Whether each hour overlaps the system evening peak window (every day).

    An hour half inside the window (17:00 and 22:00 under ``frame_2026``) is ``True``;
    use :func:`evening_peak_share` to weight energy exactly.

    Returns
    -------
    pandas.Series of bool
    """
    return (evening_peak_share(index, frame) > 0).rename("evening_peak")


# --------------------------------------------------------------------------- export cap

#: readings of "installed capacity" in a power-basis export cap
CAPACITY_BASES: tuple[str, ...] = ("dc", "ac")


def export_cap_kw_per_kwp(cap_share: float, capacity_basis: str = "ac",
                          dc_ac_ratio: float = 1.0) -> float:
    """Hourly export limit per kWp of rooftop PV under a power-basis cap [kW/kWp].

    ``export_kw ≤ cap_share × installed capacity``, where installed capacity is the DC
    module nameplate [kWp] (``"dc"``) or the inverter AC rating, kWp / dc_ac_ratio [kW]
    (``"ac"``). The LP is linear in kWp, so the cap is this coefficient × kWp.

    Parameters
    ----------
    cap_share : float
        Export cap share of installed capacity [-], 0–1.
    capacity_basis : str, default ``"ac"``
        ``"dc"`` or ``"ac"``.
    dc_ac_ratio : float, default 1.0
        DC nameplate over inverter AC rating of the array [-] (> 0).

    Returns
    -------
    float
        Export limit per kWp of DC nameplate [kW/kWp].
    """
    _check_choice(capacity_basis, CAPACITY_BASES, "capacity basis")
    if not 0.0 <= cap_share <= 1.0:
        raise ScenarioError(f"export cap share must lie in [0, 1], got {cap_share!r}")
    if not dc_ac_ratio > 0:
        raise ScenarioError(f"dc_ac_ratio must be > 0, got {dc_ac_ratio!r}")
    return cap_share if capacity_basis == "dc" else cap_share / dc_ac_ratio
