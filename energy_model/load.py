"""Hourly load projection of industrial parks (KCN) and economic zones (KKT).

Every hourly value is labelled at interval start: the value at 10:00 is the mean
power [kW] over 10:00–11:00, so energy [kWh] is power × 1 h.

Annual energy, one of four sources (``LoadSpec.source``):

* ``bottom_up`` (KCN): occupied industrial land [ha] × energy intensity [MWh/ha/yr] per
  industry class of ``energy_model/data/industry_intensity.csv``. The intensity is the
  planning norm [kW/ha] (QCVN 01 classes; process energy for PV cells and wafers) × the
  class load factor × 8.76;
* ``annual``: a given annual energy [MWh] in ``base_year``, shaped by an industry mix;
* ``meter``: an hourly meter CSV (columns ``time``, ``load_kw``), re-laid on the target
  year's calendar day by day and scaled by the projection;
* ``kkt_components`` (KKT): port, airport, services & trade and tourism loads from
  ``energy_model/data/kkt_components.csv``. Area × intensity does not apply to a zone of
  islands and sea; the KCN inside a KKT are separate parks and are not counted here.

Hourly shape: the class's shift pattern (one, two, three shifts, continuous, or a service
pattern) on working days; Sundays and public holidays (``holidays.Vietnam``: Tết, Hùng
Kings, 30/4, 1/5, 2/9) at reduced levels; a Tết closure of
:data:`TET_DAYS_BEFORE` + official days + :data:`TET_DAYS_AFTER` with a ramp back of
:data:`TET_RAMP`; cooling that grows with hourly air temperature above
:data:`COOLING_BALANCE_C`; optional HOMER-style daily and hourly noise (energy-preserving).

Projection to year Y: occupancy on an S-curve (or linear ramp) toward the planned fill, an
intensity trend and electrification compounding from the base year, and named cases
(``low``/``base``/``high`` multipliers). One calibration scalar (the scenario's
``load_calibration``, from :func:`calibrate` on Sông Khoai's June 2023 peak) multiplies
every park's bottom-up energy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from energy_model.errors import InvariantError, Problem, ScenarioError, WeatherError

# ---------------------------------------------------------------------------- constants

#: Year the intensities of ``industry_intensity.csv`` describe; trends compound from here.
INTENSITY_BASE_YEAR = 2023

#: Hạ Long monthly mean air temperature [°C], Jan–Dec. Derived: the Hà Nội Nội Bài
#: typical-year monthly means (quang_ninh.md §7, western stations lean on Hà Nội's shape)
#: mapped affinely so that the coldest month is 16.7 °C and June 28.6 °C (S, Hạ Long).
#: The annual mean that follows, 23.56 °C, lies in the published 23.0–23.7 °C (S). The
#: S record puts the coldest month in February, the Hà Nội shape in January; both months
#: stay below the cooling balance point, so the load is unaffected.
HA_LONG_TEMP_AIR_MONTHLY = (16.7, 18.7, 21.6, 23.6, 26.8, 28.6, 28.2, 27.6, 26.9, 24.4,
                            21.9, 17.8)

#: Half the diurnal temperature range of the climatology [°C] (E: humid coastal
#: north-east Vietnam has a daily range of about 6 °C); maximum at 14:30 local.
DIURNAL_HALF_RANGE_C = 3.0

#: Air temperature above which mechanical cooling load grows [°C] (E: chillers, AC and
#: ventilation of factory halls in north Vietnam run from late spring, about 20 °C).
COOLING_BALANCE_C = 20.0

#: Tết closure: days closed before Lunar New Year's Eve's official holiday block and
#: after it (E: Vietnamese factories close from about 28 Tết and restart around mùng 7–8).
TET_DAYS_BEFORE = 1
TET_DAYS_AFTER = 2
#: Fraction of the way back from the holiday level to normal on the days after the
#: closure (E: workers return over several days).
TET_RAMP = (0.5, 0.75, 0.9)

#: Default usable roof share of occupied industrial land for PV [-] (E: QCVN 01 caps the
#: net building density of factory plots at 70 %; built parks reach about 50–60 %, and
#: skylights, HVAC plant, fire paths and weak roofs leave about 60–70 % of roof usable:
#: 0.55 × 0.64 ≈ 0.35).
DEFAULT_ROOF_SHARE = 0.35

#: Relative weekday level by hour of day (interval start, local time) of each pattern,
#: for a whole park (many tenants). Industrial patterns follow common Vietnamese shift
#: times (E): one shift 07:00–16:00 with the 11:30–12:30 meal break over a 12 % base
#: (lighting, compressors, security); two shifts 06:00–22:00 over an 18 % base; three
#: shifts round the clock with dips at the 06/14/22 changeovers and 85 % at night.
#: Service patterns (E): port operations peak by day, airport from 05:00 to midnight,
#: commerce 08:00–21:00, hotels peak in the evening.
SHIFT_PATTERNS: dict[str, tuple[float, ...]] = {
    "one_shift": (0.12, 0.12, 0.12, 0.12, 0.12, 0.12, 0.35, 1.0, 1.0, 1.0, 1.0, 0.8,
                  0.8, 1.0, 1.0, 1.0, 0.55, 0.3, 0.2, 0.15, 0.12, 0.12, 0.12, 0.12),
    "two_shift": (0.18, 0.18, 0.18, 0.18, 0.18, 0.25, 0.85, 1.0, 1.0, 1.0, 1.0, 0.92,
                  0.92, 1.0, 0.92, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.95, 0.4, 0.22),
    "three_shift": (0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.9, 1.0, 1.0, 1.0, 1.0, 0.97,
                    0.97, 1.0, 0.9, 1.0, 1.0, 1.0, 1.0, 1.0, 0.97, 0.93, 0.88, 0.85),
    "continuous": (1.0,) * 24,
    "port": (0.6, 0.6, 0.6, 0.6, 0.6, 0.65, 0.8, 0.95, 1.0, 1.0, 1.0, 0.9,
             0.9, 1.0, 1.0, 1.0, 1.0, 0.95, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6),
    "airport": (0.35, 0.3, 0.3, 0.3, 0.35, 0.6, 0.85, 0.95, 1.0, 1.0, 1.0, 1.0,
                1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.95, 0.85, 0.65, 0.45),
    "commercial": (0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.3, 0.5, 0.85, 1.0, 1.0, 1.0,
                   1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.95, 0.9, 0.8, 0.55, 0.35, 0.3),
    "hotel": (0.55, 0.5, 0.5, 0.5, 0.5, 0.55, 0.7, 0.8, 0.75, 0.7, 0.7, 0.7,
              0.75, 0.7, 0.7, 0.7, 0.75, 0.85, 1.0, 1.0, 1.0, 0.95, 0.8, 0.65),
}

#: Customer class of EVN's retail tariff by zone kind: a KKT's port, airport, trade and
#: tourism loads buy on the business tariff, not the manufacturing one (quang_ninh.md §4).
TARIFF_CLASS = {"KCN": "manufacturing", "KKT": "business"}

Case = Literal["low", "base", "high"]

_INDUSTRY_COLUMNS = ("name", "unit", "value", "source", "mark", "description", "load_factor",
                     "mwh_per_ha_yr", "shift_pattern", "sunday_level", "holiday_level",
                     "cooling_sensitivity", "band_low_kw_per_ha", "band_high_kw_per_ha",
                     "shape_mark", "basis")
_KKT_COLUMNS = ("name", "unit", "value", "source", "mark", "description", "size_field",
                "energy_field", "shift_pattern", "sunday_level", "holiday_level",
                "cooling_sensitivity", "basis")


# ---------------------------------------------------------------------------- schema

class IndustryShare(BaseModel):
    """One industry class and its share of a park's occupied area."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cls: str = Field(description="Industry class name, a row `name` of "
                                 "energy_model/data/industry_intensity.csv (e.g. `textile`).")
    share: float = Field(gt=0.0, le=1.0,
                         description="Share of the occupied area held by this class [-].")


class KKTComponents(BaseModel):
    """Loads of an economic zone (KKT) outside its industrial parks.

    Each component is given either as an annual energy (``*_mwh``) or as a size with the
    intensity of ``energy_model/data/kkt_components.csv`` (a size and an energy for the
    same component is an error). Sizes and energies refer to ``LoadSpec.base_year``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    port_mwh: float | None = Field(None, ge=0, description="Port annual energy [MWh/yr].")
    airport_mwh: float | None = Field(None, ge=0, description="Airport annual energy [MWh/yr].")
    services_mwh: float | None = Field(None, ge=0,
                                       description="Services and trade annual energy [MWh/yr].")
    tourism_mwh: float | None = Field(None, ge=0,
                                      description="Tourism (hotels, resorts) annual energy "
                                                  "[MWh/yr].")
    port_throughput_t: float | None = Field(None, ge=0,
                                            description="Port cargo throughput [t/yr].")
    airport_passengers: float | None = Field(None, ge=0,
                                             description="Airport passengers [pax/yr].")
    services_floor_m2: float | None = Field(None, ge=0,
                                            description="Commercial, office and trade floor "
                                                        "area [m²].")
    hotel_rooms: float | None = Field(None, ge=0, description="Hotel and resort rooms [-].")

    @model_validator(mode="after")
    def _one_way_each(self):
        pairs = (("port_mwh", "port_throughput_t"), ("airport_mwh", "airport_passengers"),
                 ("services_mwh", "services_floor_m2"), ("tourism_mwh", "hotel_rooms"))
        both = [f"{a} and {b}" for a, b in pairs
                if getattr(self, a) is not None and getattr(self, b) is not None]
        if both:
            raise ValueError(f"give either an energy or a size per component, not both: "
                             f"{'; '.join(both)}")
        if all(getattr(self, f) is None for pair in pairs for f in pair):
            raise ValueError("no component given: expected at least one of "
                             + ", ".join(f for pair in pairs for f in pair))
        return self


class LoadSpec(BaseModel):
    """How a park's hourly load is built and projected (one per park in the scenario).

    Defaults marked E are estimates whose basis is given in the field description; a
    scenario that relies on them says so in a comment and may override them.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Literal["bottom_up", "annual", "meter", "kkt_components"] = Field(
        "bottom_up",
        description="Where the annual energy comes from: `bottom_up` occupied area × "
                    "intensity per industry (KCN); `annual` a given MWh with a shape; "
                    "`meter` an hourly meter CSV; `kkt_components` port, airport, services "
                    "and tourism loads (KKT).")
    # --- meter ---
    meter_file: str | None = Field(
        None, description="Meter CSV with columns `time` (ISO, interval start) and "
                          "`load_kw` [kW]; relative paths are resolved by the caller "
                          "against the scenario file.")
    meter_year: int | None = Field(
        None, ge=1990, le=2100,
        description="Year the meter data was recorded; the projection scales from it.")
    # --- annual ---
    annual_mwh: float | None = Field(
        None, gt=0, description="Annual energy in `base_year` [MWh/yr] (source `annual`).")
    shape: list[IndustryShare] | None = Field(
        None, description="Industry mix that gives the hourly shape for `annual` "
                          "(default: the park's industries).")
    # --- kkt ---
    components: KKTComponents | None = Field(
        None, description="Economic-zone components (source `kkt_components`).")
    base_year: int | None = Field(
        None, ge=1990, le=2100,
        description="Year that `annual_mwh` or `components` describe (default: the "
                    "park's `occupancy_year`).")
    # --- projection ---
    leasable_share: float = Field(
        0.68, gt=0, le=1,
        description="Share of a park's planned area that is leasable industrial land [-]; "
                    "`occupancy` is the leased share of it, as in Vietnamese fill rates "
                    "(E: QCVN 01 land-use structure, factory plots ≤ 70 %, greenery ≥ 10 %, "
                    "roads and utilities the rest; Vietnamese parks report 65–72 %).")
    occupancy_target: float | None = Field(
        None, gt=0, le=1,
        description="Planned long-run fill of the park [-]; default 0.85 or the current "
                    "fill if higher (E: mature Vietnamese parks run 80–90 % full; the "
                    "province's 10 operating KCN averaged 57.9 % in Nov 2025, S).")
    occupancy_midpoint_year: float | None = Field(
        None, ge=1990, le=2100,
        description="Year of the steepest fill of the S-curve (default: occupancy_year "
                    "+ 5, E: Vietnamese parks fill over 10–15 years).")
    occupancy_steepness: float = Field(
        0.35, gt=0, le=5,
        description="Logistic steepness [1/yr]; 0.35 takes the curve from 15 % to 85 % in "
                    "about 10 years (E).")
    growth_mix: list[IndustryShare] | None = Field(
        None, description="Industry mix of the land leased after `occupancy_year` (default: "
                          "the park's industries). A park whose current tenants are unusual "
                          "(Jinko's PV plants at Sông Khoai) fills with a different mix.")
    occupancy_ramp_years: float | None = Field(
        None, gt=0, le=60,
        description="If given, a linear ramp from `occupancy` in `occupancy_year` to "
                    "`occupancy_target` over this many years replaces the S-curve [yr].")
    intensity_trend_pct_per_yr: float = Field(
        -1.0, ge=-10, le=10,
        description="Change of electricity use per occupied hectare from efficiency "
                    "[%/yr], from 2023; default -1.0 (E: IEA industrial energy-intensity "
                    "gains of 1–2 %/yr, about half of it in electricity).")
    electrification_pct_per_yr: float = Field(
        1.0, ge=-10, le=10,
        description="Growth of electricity use from electrification of process heat and "
                    "transport [%/yr], from 2023; default 1.0 (E: IEA net-zero pathways "
                    "raise the electricity share of industrial final energy by about one "
                    "point a year).")
    activity_growth_pct_per_yr: float = Field(
        0.0, ge=-20, le=50,
        description="Growth of a KKT's component activity (port throughput, passengers, "
                    "hotel rooms, floor area) from `base_year` [%/yr], on top of the "
                    "intensity trend; default 0 (no source: set it per zone in the "
                    "scenario, with its basis). Source `kkt_components` only.")
    case_low: float = Field(
        0.85, gt=0, le=1,
        description="Multiplier on the base-case load for case `low` [-] (E: ±15 %, "
                    "the spread of planning norms around measured park loads).")
    case_high: float = Field(
        1.15, ge=1, le=3,
        description="Multiplier on the base-case load for case `high` [-] (E).")
    # --- noise ---
    noise_daily_sigma: float = Field(
        0.0, ge=0, le=0.5,
        description="HOMER-style day-to-day variability: standard deviation of a daily "
                    "multiplier [-]; 0 turns it off. Annual energy is kept.")
    noise_hourly_sigma: float = Field(
        0.0, ge=0, le=0.5,
        description="HOMER-style time-step variability: standard deviation of an hourly "
                    "multiplier [-]; 0 turns it off. Annual energy is kept.")
    # --- resilience ---
    critical_share: float = Field(
        0.30, ge=0, le=1,
        description="Share of the load that must be served in an outage [-]; default "
                    "0.30 (E: safety, IT, cold chain, and furnaces or crystal pullers "
                    "that cannot stop cold; continuous-process parks should raise it).")

    @model_validator(mode="after")
    def _source_fields(self):
        need = {"meter": ("meter_file", "meter_year"), "annual": ("annual_mwh",),
                "kkt_components": ("components",)}
        missing = [f for f in need.get(self.source, ()) if getattr(self, f) is None]
        if missing:
            raise ValueError(f"source {self.source!r} needs {', '.join(missing)}")
        stray = [f for src, fields in need.items() if src != self.source for f in fields
                 if getattr(self, f) is not None]
        if stray:
            raise ValueError(f"{', '.join(stray)} given but source is {self.source!r}")
        for field in ("shape", "growth_mix"):
            mix = getattr(self, field)
            if mix is not None:
                total = sum(s.share for s in mix)
                if abs(total - 1.0) > 0.01:
                    raise ValueError(f"{field} shares must sum to 1, got {total:.3f}")
        if self.activity_growth_pct_per_yr != 0 and self.source != "kkt_components":
            raise ValueError("activity_growth_pct_per_yr applies to source 'kkt_components' "
                             f"only, not {self.source!r}")
        if self.growth_mix is not None and self.source != "bottom_up":
            raise ValueError(f"growth_mix applies to source 'bottom_up' only, not {self.source!r}")
        return self


# ---------------------------------------------------------------------------- data tables

def _read_table(name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    from energy_model.paths import package_data

    path = package_data(name)
    table = pd.read_csv(path, comment="#", skipinitialspace=True)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InvariantError(f"{path}: missing columns {missing}")
    if table["name"].duplicated().any():
        dup = list(table["name"][table["name"].duplicated()])
        raise InvariantError(f"{path}: duplicate names {dup}")
    bad = sorted(set(table["shift_pattern"]) - set(SHIFT_PATTERNS))
    if bad:
        raise InvariantError(f"{path}: unknown shift_pattern {bad}; known {sorted(SHIFT_PATTERNS)}")
    return table.set_index("name")


@lru_cache(maxsize=1)
def industry_table() -> pd.DataFrame:
    """The industry classes of ``energy_model/data/industry_intensity.csv``, by name.

    Columns: ``value`` planning norm [kW/ha of occupied industrial land], ``load_factor``
    [-], ``mwh_per_ha_yr`` [MWh/ha/yr], ``shift_pattern``, ``sunday_level`` and
    ``holiday_level`` (day mean relative to a working day [-]), ``cooling_sensitivity``
    [1/K], ``band_low_kw_per_ha``/``band_high_kw_per_ha`` [kW/ha], marks and basis.
    """
    return _read_table("industry_intensity.csv", _INDUSTRY_COLUMNS)


@lru_cache(maxsize=1)
def kkt_table() -> pd.DataFrame:
    """The KKT components of ``energy_model/data/kkt_components.csv``, by name."""
    return _read_table("kkt_components.csv", _KKT_COLUMNS)


def _check_industries(industries: list[IndustryShare], key: str) -> None:
    known = industry_table().index
    problems = [Problem(f"unknown industry class {s.cls!r}; expected one of "
                        f"{', '.join(known)}", key=f"{key}[{i}].cls")
                for i, s in enumerate(industries) if s.cls not in known]
    if not industries:
        problems.append(Problem("no industry classes given: a bottom-up or annual load needs "
                                "at least one", key=key))
    else:
        total = sum(s.share for s in industries)
        if abs(total - 1.0) > 0.01:
            problems.append(Problem(f"shares must sum to 1, got {total:.3f}", key=key))
    if problems:
        raise ScenarioError("industry mix", problems)


# ---------------------------------------------------------------------------- calendar

def hourly_index(year: int, tz: str = "Asia/Ho_Chi_Minh") -> pd.DatetimeIndex:
    """The hourly interval-start index of calendar ``year`` in time zone ``tz``."""
    return pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="h", tz=tz,
                         inclusive="left", name="time")


@lru_cache(maxsize=64)
def _holiday_dates(year: int) -> tuple[dict, pd.Timestamp]:
    import holidays

    hol = holidays.Vietnam(years=year)
    dates = {pd.Timestamp(d): name for d, name in hol.items()}
    tet = [d for d, n in dates.items() if n == "Lunar New Year"]
    if len(tet) != 1:
        raise InvariantError(f"holidays.Vietnam gave no single Lunar New Year for {year}")
    return dates, tet[0]


def day_levels(days: pd.DatetimeIndex, sunday_level: float, holiday_level: float
               ) -> np.ndarray:
    """Mean level of each day relative to a working day [-].

    Parameters
    ----------
    days : DatetimeIndex
        Local calendar days (midnight, tz-naive or tz-aware).
    sunday_level : float
        Sunday mean relative to a working day [-].
    holiday_level : float
        Public-holiday and Tết-closure mean relative to a working day [-].

    Returns
    -------
    numpy.ndarray
        One level per day: 1 on working days (Monday–Saturday, the six-day week common
        in Vietnamese manufacturing), ``sunday_level`` on Sundays, ``holiday_level`` on
        public holidays and the Tết closure, a ramp back after Tết.
    """
    naive = pd.DatetimeIndex(days).tz_localize(None).normalize()
    level = np.where(naive.day_of_week == 6, sunday_level, 1.0).astype(float)
    for year in np.unique(naive.year):
        dates, tet = _holiday_dates(int(year))
        official = sorted(d for d, n in dates.items() if "Lunar New Year" in n)
        closed = pd.date_range(official[0] - pd.Timedelta(days=TET_DAYS_BEFORE),
                               official[-1] + pd.Timedelta(days=TET_DAYS_AFTER), freq="D")
        holiday_days = pd.DatetimeIndex(sorted(set(dates) | set(closed)))
        level = np.where(naive.isin(holiday_days), np.minimum(level, holiday_level), level)
        for k, frac in enumerate(TET_RAMP, start=1):
            ramp_day = closed[-1] + pd.Timedelta(days=k)
            ramp_level = holiday_level + frac * (1.0 - holiday_level)
            level = np.where(naive == ramp_day, np.minimum(level, ramp_level), level)
    return level


def tet_closure(year: int) -> pd.DatetimeIndex:
    """Days of the modelled Tết closure of ``year`` (local dates, tz-naive)."""
    dates, _ = _holiday_dates(year)
    official = sorted(d for d, n in dates.items() if "Lunar New Year" in n)
    return pd.date_range(official[0] - pd.Timedelta(days=TET_DAYS_BEFORE),
                         official[-1] + pd.Timedelta(days=TET_DAYS_AFTER), freq="D")


def reduced_day(pattern: np.ndarray, level: np.ndarray) -> np.ndarray:
    """Hourly profiles of days whose mean is ``level`` × the working-day mean.

    A reduced day keeps the pattern's base load and scales only the shift part above
    it; a day below the base load is flat. A level above 1 (tourism at weekends) scales
    the part above the base up.

    Parameters
    ----------
    pattern : array of 24 floats
        Working-day relative level by hour [-].
    level : array of n floats
        Day mean relative to a working day [-].

    Returns
    -------
    numpy.ndarray
        Shape (n, 24), relative level by day and hour [-].
    """
    p = np.asarray(pattern, float)
    lvl = np.asarray(level, float)[:, None]
    mean, base = p.mean(), p.min()
    target = lvl * mean
    if mean - base > 1e-9:
        f = np.maximum((target - base) / (mean - base), 0.0)
        shaped = base + f * (p - base)
        return np.where(target >= base, shaped, np.broadcast_to(target, (lvl.shape[0], 24)))
    return np.broadcast_to(p, (lvl.shape[0], 24)) * lvl


# ---------------------------------------------------------------------------- weather

def climatology_temp_air(index: pd.DatetimeIndex) -> pd.Series:
    """Hourly air temperature from the Hạ Long monthly climatology [°C].

    Monthly means of :data:`HA_LONG_TEMP_AIR_MONTHLY` are interpolated linearly between
    mid-months (cyclic over the year), plus a cosine diurnal cycle of half-range
    :data:`DIURNAL_HALF_RANGE_C` peaking at 14:30 local. Values are interval means
    evaluated at the interval midpoint (label + 30 min).

    Parameters
    ----------
    index : DatetimeIndex
        Hourly, tz-aware, interval-start labels.

    Returns
    -------
    pandas.Series
        ``temp_air`` [°C] on ``index``.
    """
    mid = index + pd.Timedelta(minutes=30)
    doy = (mid.day_of_year - 1 + (mid.hour + mid.minute / 60.0) / 24.0).to_numpy()
    months = np.asarray(HA_LONG_TEMP_AIR_MONTHLY)
    centres = (np.arange(12) + 0.5) * 365.25 / 12
    xs = np.concatenate([centres - 365.25, centres, centres + 365.25])
    seasonal = np.interp(doy, xs, np.tile(months, 3))
    hour = (mid.hour + mid.minute / 60.0).to_numpy()
    diurnal = DIURNAL_HALF_RANGE_C * np.cos(2 * np.pi * (hour - 14.5) / 24.0)
    return pd.Series(seasonal + diurnal, index=index, name="temp_air")


def cooling_factor(temp_air, cooling_sensitivity: float,
                   balance_c: float = COOLING_BALANCE_C):
    """Load multiplier from cooling, ``1 + s × max(temp_air − balance, 0)`` [-].

    Parameters
    ----------
    temp_air : numeric
        Air temperature [°C].
    cooling_sensitivity : float
        Fractional load increase per kelvin above the balance point [1/K].
    balance_c : float, default :data:`COOLING_BALANCE_C`
        Balance-point temperature [°C].
    """
    return 1.0 + cooling_sensitivity * np.maximum(np.asarray(temp_air, float) - balance_c, 0.0)


def _temp_on(index: pd.DatetimeIndex, temp_air: pd.Series | None) -> np.ndarray:
    if temp_air is None:
        return climatology_temp_air(index).to_numpy()
    if not isinstance(temp_air, pd.Series) or len(temp_air) != len(index) \
            or not temp_air.index.equals(index):
        raise WeatherError("temp_air must be an hourly Series on the load's own index "
                           f"({index[0]} … {index[-1]}, {len(index)} hours)")
    values = temp_air.to_numpy(float)
    if not np.isfinite(values).all():
        raise WeatherError("temp_air has missing or infinite values")
    return values


# ---------------------------------------------------------------------------- shapes

def class_shape(index: pd.DatetimeIndex, shift_pattern: str, sunday_level: float,
                holiday_level: float, cooling_sensitivity: float,
                temp_air: np.ndarray) -> np.ndarray:
    """Relative hourly level of one load class on ``index`` [-] (not normalised).

    Parameters
    ----------
    index : DatetimeIndex
        Hourly interval-start labels, tz-aware, whole local days.
    shift_pattern : str
        Key of :data:`SHIFT_PATTERNS`.
    sunday_level, holiday_level : float
        Day mean relative to a working day [-].
    cooling_sensitivity : float
        Fractional load increase per kelvin above :data:`COOLING_BALANCE_C` [1/K].
    temp_air : array
        Air temperature on ``index`` [°C].
    """
    local = index.tz_localize(None) if index.tz is not None else index
    days = local.normalize()
    inverse, unique_days = pd.factorize(days)
    levels = day_levels(pd.DatetimeIndex(unique_days), sunday_level, holiday_level)
    profiles = reduced_day(np.asarray(SHIFT_PATTERNS[shift_pattern]), levels)
    relative = profiles[inverse, local.hour]
    return relative * cooling_factor(temp_air, cooling_sensitivity)


def _row_shape(row: pd.Series, index, temp) -> np.ndarray:
    return class_shape(index, row["shift_pattern"], float(row["sunday_level"]),
                       float(row["holiday_level"]), float(row["cooling_sensitivity"]), temp)


def add_noise(load_kw: np.ndarray, index: pd.DatetimeIndex, daily_sigma: float,
              hourly_sigma: float, seed: int) -> np.ndarray:
    """HOMER-style random variability that keeps the annual energy.

    Each day is multiplied by ``1 + δ_d`` and each hour by ``1 + δ_h`` with δ normal of
    standard deviation ``daily_sigma`` and ``hourly_sigma`` (clipped so no factor falls
    below 0), then the series is rescaled to its original energy.

    Parameters
    ----------
    load_kw : array
        Hourly load [kW].
    index : DatetimeIndex
        Its interval-start labels.
    daily_sigma, hourly_sigma : float
        Standard deviations of the multipliers [-].
    seed : int
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same series.
    """
    if daily_sigma <= 0 and hourly_sigma <= 0:
        return load_kw
    rng = np.random.default_rng(seed)
    local = index.tz_localize(None) if index.tz is not None else index
    day_of, _ = pd.factorize(local.normalize())
    daily = np.clip(1.0 + daily_sigma * rng.standard_normal(day_of.max() + 1), 0.0, None)
    hourly = np.clip(1.0 + hourly_sigma * rng.standard_normal(len(index)), 0.0, None)
    noisy = load_kw * daily[day_of] * hourly
    total = noisy.sum()
    return noisy * (load_kw.sum() / total) if total > 0 else noisy


# ---------------------------------------------------------------------------- projection

def occupancy_at(spec: LoadSpec, occupancy: float, occupancy_year: int, year: int) -> float:
    """Fill share of the park's leasable land in ``year`` [-].

    The S-curve is a logistic ``L(y) = 1 / (1 + exp(−k (y − m)))`` rescaled to pass
    through ``occupancy`` in ``occupancy_year`` and tend to ``occupancy_target``:
    ``o(y) = o₀ + (o_∞ − o₀) (L(y) − L(y₀)) / (1 − L(y₀))``, clipped to [0, 1]. With
    ``occupancy_ramp_years`` a linear ramp replaces it. A park already fuller than its
    target keeps its current fill.

    Parameters
    ----------
    spec : LoadSpec
        Gives target, midpoint, steepness or ramp.
    occupancy : float
        Fill share in ``occupancy_year`` [-].
    occupancy_year : int
        Year of that figure.
    year : int
        Year wanted.
    """
    target = spec.occupancy_target if spec.occupancy_target is not None else max(0.85, occupancy)
    if occupancy >= target:
        return float(occupancy)
    if spec.occupancy_ramp_years is not None:
        frac = (year - occupancy_year) / spec.occupancy_ramp_years
        value = occupancy + (target - occupancy) * min(frac, 1.0)
    else:
        mid = spec.occupancy_midpoint_year if spec.occupancy_midpoint_year is not None \
            else occupancy_year + 5
        k = spec.occupancy_steepness
        logistic = lambda y: 1.0 / (1.0 + math.exp(-k * (y - mid)))  # noqa: E731
        l0 = logistic(occupancy_year)
        value = occupancy + (target - occupancy) * (logistic(year) - l0) / (1.0 - l0)
    return float(min(max(value, 0.0), 1.0))


def occupied_area_ha(spec: LoadSpec, area_ha: float, occupancy: float, occupancy_year: int,
                     year: int) -> float:
    """Occupied industrial land of a park in ``year`` [ha].

    ``area_ha × spec.leasable_share × occupancy_at(...)``: the planned area [ha] times
    its leasable share [-] times the fill on the S-curve [-].
    """
    return area_ha * spec.leasable_share * occupancy_at(spec, occupancy, occupancy_year, year)


def rooftop_area_m2(occupied_ha: float, roof_share: float = DEFAULT_ROOF_SHARE) -> float:
    """Roof area usable for PV on occupied industrial land [m²].

    Parameters
    ----------
    occupied_ha : float
        Occupied industrial land [ha] (:func:`occupied_area_ha`).
    roof_share : float, default :data:`DEFAULT_ROOF_SHARE`
        Usable roof area per unit of occupied land [-].
    """
    return float(occupied_ha) * 1.0e4 * roof_share


def growth_factor(spec: LoadSpec, year: int, base_year: int = INTENSITY_BASE_YEAR) -> float:
    """Intensity trend × electrification from ``base_year`` to ``year`` [-]."""
    rate = (1 + spec.intensity_trend_pct_per_yr / 100) * (1 + spec.electrification_pct_per_yr / 100)
    return rate ** (year - base_year)


def case_multiplier(spec: LoadSpec, case: Case) -> float:
    """Multiplier of the named case (``low``, ``base``, ``high``) [-]."""
    try:
        return {"low": spec.case_low, "base": 1.0, "high": spec.case_high}[case]
    except KeyError:
        raise ScenarioError(f"load case {case!r}: expected low, base or high") from None


def kkt_component_mwh(components: KKTComponents) -> dict[str, float]:
    """Annual energy of each KKT component [MWh/yr] from energies or sizes × intensities."""
    out = {}
    for name, row in kkt_table().iterrows():
        energy = getattr(components, row["energy_field"])
        size = getattr(components, row["size_field"])
        if energy is not None:
            out[name] = float(energy)
        elif size is not None:
            out[name] = float(size) * float(row["value"]) / 1000.0  # kWh -> MWh
    return out


# ---------------------------------------------------------------------------- meter

def read_meter(path: str | Path, tz: str = "Asia/Ho_Chi_Minh") -> pd.Series:
    """Read an hourly meter CSV (columns ``time``, ``load_kw``) as ``load_kw`` [kW].

    Times are interval starts; naive times are taken as local time in ``tz``. The series
    must be hourly, without gaps or duplicates, and non-negative.
    """
    path = Path(path)
    try:
        raw = pd.read_csv(path)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read the meter CSV ({exc})", file=str(path)) from None
    missing = [c for c in ("time", "load_kw") if c not in raw.columns]
    if missing:
        raise ScenarioError(f"{path}:1: meter CSV lacks column(s) {missing}; expected "
                            "'time' and 'load_kw'", file=str(path))
    time = pd.to_datetime(raw["time"], errors="coerce", utc=False, format="ISO8601")
    values = pd.to_numeric(raw["load_kw"], errors="coerce")
    problems = []
    for what, bad in (("time is not an ISO date-time", time.isna()),
                      ("load_kw is not a number", values.isna()),
                      ("load_kw is negative", values < 0)):
        if bad.any():
            first = int(np.flatnonzero(bad.to_numpy())[0])
            problems.append(Problem(f"{what} ({int(bad.sum())} rows)", file=str(path),
                                    line=first + 2, key="load_kw" if "load" in what else "time"))
    if problems:
        raise ScenarioError("meter CSV", problems, file=str(path))
    index = pd.DatetimeIndex(time)
    index = index.tz_localize(tz) if index.tz is None else index.tz_convert(tz)
    if len(index) > 1:
        step = (index[1:] - index[:-1]) != pd.Timedelta(hours=1)
        if step.any():
            first = int(np.flatnonzero(step)[0])
            raise ScenarioError(f"{path}:{first + 3}: meter data must be hourly with no gaps "
                                f"or duplicates (row after {index[first]})", file=str(path))
    return pd.Series(values.to_numpy(float), index=index.rename("time"), name="load_kw")


def _day_kinds(year: int) -> tuple[pd.DatetimeIndex, dict, pd.DatetimeIndex]:
    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    dates, _ = _holiday_dates(year)
    names = {d: n.replace(" (observed)", "") for d, n in dates.items()}
    return days, names, tet_closure(year)


def meter_day_map(meter_year: int, year: int) -> np.ndarray:
    """For each day of ``year``, the day of ``meter_year`` whose profile it takes.

    Tết-closure days and ramp days take the meter's day at the same offset from its own
    closure; named holidays take the meter's day of the same holiday; other days take the
    nearest ordinary meter day of the same weekday (searching ±1, ±2 … weeks). So the
    profile of year Y follows Y's calendar.

    Returns
    -------
    numpy.ndarray
        Day-of-year positions (0-based) into ``meter_year``.
    """
    src_days, src_names, src_tet = _day_kinds(meter_year)
    tgt_days, tgt_names, tgt_tet = _day_kinds(year)
    special_src = set(src_names) | set(src_tet) | {
        src_tet[-1] + pd.Timedelta(days=k) for k in range(1, len(TET_RAMP) + 1)}
    by_name = {}
    for d, n in sorted(src_names.items()):
        by_name.setdefault(n, d)
    n_src = len(src_days)
    out = np.empty(len(tgt_days), dtype=int)
    for i, day in enumerate(tgt_days):
        tet_offset = (day - tgt_tet[0]).days
        if 0 <= tet_offset < len(tgt_tet) + len(TET_RAMP):
            src = src_tet[0] + pd.Timedelta(days=tet_offset)
        elif day in tgt_names and tgt_names[day] in by_name:
            src = by_name[tgt_names[day]]
        else:
            same = src_days[min(day.day_of_year, n_src) - 1]
            shift = (day.day_of_week - same.day_of_week + 3) % 7 - 3
            src = same + pd.Timedelta(days=shift)
            for k in (0, 7, -7, 14, -14, 21, -21):
                cand = src + pd.Timedelta(days=k)
                if cand.year == meter_year and cand not in special_src:
                    src = cand
                    break
        src = min(max(src, src_days[0]), src_days[-1])
        out[i] = src.day_of_year - 1
    return out


def meter_profile(meter: pd.Series, meter_year: int, index: pd.DatetimeIndex) -> np.ndarray:
    """Hourly meter load [kW] re-laid on the calendar of ``index``'s year."""
    local = meter.index.tz_convert(index.tz).tz_localize(None)
    sel = local.year == meter_year
    if sel.sum() < 365 * 24:
        raise ScenarioError(f"meter data cover {int(sel.sum())} hours of {meter_year}; "
                            "a whole year is needed (meter_year must match the file)")
    table = pd.Series(meter.to_numpy()[sel], index=local[sel])
    days = table.index.normalize()
    grid = table.groupby([days, table.index.hour]).mean().unstack()
    if grid.isna().any().any() or grid.shape[1] != 24:
        raise ScenarioError(f"meter data of {meter_year} have incomplete days")
    src = meter_day_map(meter_year, int(index[0].tz_localize(None).year))
    loc = index.tz_localize(None)
    day_pos = loc.day_of_year.to_numpy() - 1
    return grid.to_numpy()[src[day_pos], loc.hour.to_numpy()]


# ---------------------------------------------------------------------------- main

def _class_energies_bottom_up(industries, occupied_ha: float) -> dict[str, float]:
    table = industry_table()
    return {s.cls: occupied_ha * s.share * float(table.at[s.cls, "mwh_per_ha_yr"])
            for s in industries}


def bottom_up_energies(spec: LoadSpec, area_ha: float, occupancy: float, occupancy_year: int,
                       industries: list[IndustryShare], year: int) -> dict[str, float]:
    """Annual energy of each industry class in ``year`` before trends [MWh/yr].

    The land occupied in ``occupancy_year`` keeps its mix ``industries`` (scaled down
    proportionally for earlier years); land leased later takes ``spec.growth_mix``
    (default ``industries``). Energy is occupied land [ha] × share × ``mwh_per_ha_yr``.
    """
    now_ha = area_ha * spec.leasable_share * occupancy
    year_ha = occupied_area_ha(spec, area_ha, occupancy, occupancy_year, year)
    if spec.growth_mix is None or year_ha <= now_ha:
        return _class_energies_bottom_up(industries, year_ha)
    energies = _class_energies_bottom_up(industries, now_ha)
    for cls, mwh in _class_energies_bottom_up(spec.growth_mix, year_ha - now_ha).items():
        energies[cls] = energies.get(cls, 0.0) + mwh
    return energies


def project_load(spec: LoadSpec, *, kind: Literal["KCN", "KKT"], area_ha: float,
                 occupancy: float, occupancy_year: int, industries: list[IndustryShare],
                 year: int, temp_air: pd.Series | None = None, seed: int = 0,
                 case: Case = "base", calibration: float = 1.0,
                 tz: str = "Asia/Ho_Chi_Minh", name: str = "") -> pd.Series:
    """Hourly load of one park or zone in ``year`` [kW].

    Parameters
    ----------
    spec : LoadSpec
        The park's load specification.
    kind : {"KCN", "KKT"}
        Industrial park or economic zone. A KKT cannot use ``bottom_up``.
    area_ha : float
        Planned area of the park [ha].
    occupancy : float
        Leased share of its leasable land in ``occupancy_year`` [-].
    occupancy_year : int
        Year of ``occupancy``.
    industries : list of IndustryShare
        Industry mix of the occupied land (shares sum to 1).
    year : int
        Calendar year of the output (its real weekdays and holidays).
    temp_air : pandas.Series, optional
        Hourly air temperature on the output index [°C]; default the Hạ Long climatology
        (:func:`climatology_temp_air`). Bottom-up energies are those of the climatology,
        so a hotter year raises energy; ``annual`` and ``meter`` keep their energy.
    seed : int, default 0
        Noise seed (used only if ``spec`` sets noise).
    case : {"low", "base", "high"}
        Projection case (:func:`case_multiplier`).
    calibration : float, default 1.0
        The scenario's one calibration scalar [-]; applies to bottom-up energy only (a
        metered or stated energy is not re-scaled).
    tz : str
        IANA time zone of the output.
    name : str
        Park id, used in error messages.

    Returns
    -------
    pandas.Series
        ``load_kw`` [kW], hourly, interval-start labels in ``tz``.

    Notes
    -----
    Energy in ``year`` by source, before the case multiplier and noise:

    * ``bottom_up``: Σ occupied land [ha] × share × ``mwh_per_ha_yr`` (land leased after
      ``occupancy_year`` takes ``spec.growth_mix``) × :func:`growth_factor` from 2023 ×
      ``calibration``;
    * ``annual``: ``annual_mwh`` × occupancy(year) / occupancy(base_year) × growth from
      ``base_year``;
    * ``meter``: metered energy of ``meter_year`` × the same ratios from ``meter_year``;
    * ``kkt_components``: Σ components × growth from ``base_year`` × (1 + activity
      growth)^(year − base_year); ``occupancy`` and ``industries`` are not used.

    Noise is energy-preserving; the result's load factor is checked against the
    ``load_factor`` band of :mod:`energy_model.bands`.
    """
    key = f"parks[{name}]" if name else "park"
    index = hourly_index(year, tz)
    temp = _temp_on(index, temp_air)
    mult = case_multiplier(spec, case)
    base_year = spec.base_year if spec.base_year is not None else occupancy_year

    if spec.source == "bottom_up":
        if kind == "KKT":
            raise ScenarioError(f"{key}.load.source: a KKT is not an industrial park; area × "
                                "intensity does not apply to it. Use source kkt_components "
                                "(or annual)")
        _check_industries(industries, f"{key}.industries")
        if spec.growth_mix is not None:
            _check_industries(spec.growth_mix, f"{key}.load.growth_mix")
        energies = bottom_up_energies(spec, area_ha, occupancy, occupancy_year, industries, year)
        factor = growth_factor(spec, year) * mult * calibration
        load = _shaped(energies, industry_table(), index, temp, climatology_norm=True) * factor
    elif spec.source == "annual":
        mix = spec.shape or industries
        _check_industries(mix, f"{key}.load.shape" if spec.shape else f"{key}.industries")
        weights = _class_energies_bottom_up(mix, 1.0)
        energy = spec.annual_mwh * _projection_ratio(spec, occupancy, occupancy_year,
                                                     base_year, year) * mult
        load = _shaped(weights, industry_table(), index, temp, climatology_norm=False)
        load = load * (energy * 1000.0 / load.sum()) if load.sum() > 0 else load
    elif spec.source == "kkt_components":
        energies = kkt_component_mwh(spec.components)
        ratio = growth_factor(spec, year, base_year) \
            * (1 + spec.activity_growth_pct_per_yr / 100) ** (year - base_year)
        load = _shaped(energies, kkt_table(), index, temp, climatology_norm=True) * ratio * mult
    else:  # meter
        meter = read_meter(spec.meter_file, tz)
        profile = meter_profile(meter, spec.meter_year, index)
        sel = meter.index.tz_convert(tz).year == spec.meter_year
        energy_kwh = meter.to_numpy()[sel].sum() * _projection_ratio(
            spec, occupancy, occupancy_year, spec.meter_year, year) * mult
        load = profile * (energy_kwh / profile.sum()) if profile.sum() > 0 else profile

    load = add_noise(np.asarray(load, float), index, spec.noise_daily_sigma,
                     spec.noise_hourly_sigma, seed)
    series = pd.Series(load, index=index, name="load_kw")
    if series.sum() > 0:
        from energy_model.bands import check

        check("load_factor", load_summary(series)["load_factor"], what=f"{key} {year}")
    return series


def _projection_ratio(spec, occupancy, occupancy_year, base_year, year) -> float:
    o_base = occupancy_at(spec, occupancy, occupancy_year, base_year)
    o_year = occupancy_at(spec, occupancy, occupancy_year, year)
    occ = o_year / o_base if o_base > 0 else 1.0
    return occ * growth_factor(spec, year, base_year)


def _shaped(energies: dict[str, float], table: pd.DataFrame, index, temp,
            climatology_norm: bool) -> np.ndarray:
    """Sum of class loads [kW] whose annual energies are ``energies`` [MWh].

    With ``climatology_norm`` each class shape is normalised by its sum under the Hạ Long
    climatology, so the energy is exact for the climatology and follows ``temp``
    otherwise; without, by its own sum (energy exact whatever ``temp``).
    """
    total = np.zeros(len(index))
    clim = None
    if climatology_norm:
        clim = climatology_temp_air(index).to_numpy()
        if np.array_equal(clim, temp):
            climatology_norm = False  # the reference is the shape itself
    for cls, mwh in energies.items():
        if mwh <= 0:
            continue
        row = table.loc[cls]
        shape = _row_shape(row, index, temp)
        ref = _row_shape(row, index, clim).sum() if climatology_norm else shape.sum()
        total += shape * (mwh * 1000.0 / ref)
    return total


# ---------------------------------------------------------------------------- summaries

def step_hours(index: pd.DatetimeIndex) -> float:
    """Length of one step of a regular index [h]."""
    if len(index) < 2:
        return 1.0
    return float((index[1] - index[0]) / pd.Timedelta(hours=1))


def load_summary(series: pd.Series) -> dict[str, float]:
    """Annual energy [MWh], peak [kW] and load factor [-] of a load series [kW].

    Energy is power × step hours; the load factor is mean / peak (NaN for a zero load).
    """
    values = series.to_numpy(float)
    energy_mwh = values.sum() * step_hours(series.index) / 1000.0
    peak = float(values.max()) if len(values) else 0.0
    lf = float(values.mean() / peak) if peak > 0 else float("nan")
    return {"annual_mwh": float(energy_mwh), "peak_kw": peak, "load_factor": lf}


def implied_kw_per_ha(peak_kw: float, occupied_ha: float) -> float:
    """Peak load per hectare of occupied industrial land [kW/ha] (NaN if no land)."""
    return float(peak_kw / occupied_ha) if occupied_ha > 0 else float("nan")


def kw_per_ha_band(industries: list[IndustryShare]) -> tuple[float, float]:
    """Plausible band of peak kW/ha for an industry mix [kW/ha], share-weighted."""
    _check_industries(industries, "industries")
    table = industry_table()
    low = sum(s.share * float(table.at[s.cls, "band_low_kw_per_ha"]) for s in industries)
    high = sum(s.share * float(table.at[s.cls, "band_high_kw_per_ha"]) for s in industries)
    return low, high


def critical_load_kw(series: pd.Series, spec: LoadSpec) -> pd.Series:
    """Load that must be served in an outage [kW]: ``critical_share`` × load."""
    return (series * spec.critical_share).rename("critical_load_kw")


def tariff_class(kind: Literal["KCN", "KKT"]) -> str:
    """EVN customer class of a zone kind: ``manufacturing`` (KCN) or ``business`` (KKT)."""
    return TARIFF_CLASS[kind]


# ---------------------------------------------------------------------------- calibration

@dataclass(frozen=True)
class Calibration:
    """Result of :func:`calibrate`.

    Attributes
    ----------
    scalar : float
        The one calibration scalar for all parks [-].
    uncalibrated_peak_kw : float
        Modelled peak of the reference park with scalar 1 [kW].
    calibrated_peak_kw : float
        Modelled peak with the scalar [kW].
    target_peak_kw : float
        Observed peak [kW].
    firm_limit_kw : float or None
        Substation firm capacity × power factor [kW], if given.
    year : int
        Year of the observation.
    """

    scalar: float
    uncalibrated_peak_kw: float
    calibrated_peak_kw: float
    target_peak_kw: float
    firm_limit_kw: float | None
    year: int


#: A calibration scalar outside this range means the intensities, not the scalar, are wrong.
CALIBRATION_RANGE = (0.67, 1.5)


def calibrate(spec: LoadSpec, *, kind: Literal["KCN", "KKT"], area_ha: float,
              occupancy: float, occupancy_year: int, industries: list[IndustryShare],
              target_peak_kw: float = 63_000.0, year: int = 2023,
              firm_limit_kw: float | None = None, temp_air: pd.Series | None = None,
              tz: str = "Asia/Ho_Chi_Minh") -> Calibration:
    """The one scalar that brings a reference park's modelled peak to its observed peak.

    Default reference: Sông Khoai (Amata City Hạ Long) drew 63 MW in June 2023 (S). The
    scalar is ``target / uncalibrated peak`` and applies to the bottom-up energy of all
    parks; its distance from 1 measures how wrong the intensities are.

    Parameters
    ----------
    spec, kind, area_ha, occupancy, occupancy_year, industries
        The reference park, as for :func:`project_load`.
    target_peak_kw : float
        Observed peak [kW].
    year : int
        Year of the observation.
    firm_limit_kw : float, optional
        Substation firm capacity × power factor [kW]; the calibrated peak must stay under.
    temp_air : pandas.Series, optional
        Air temperature of ``year`` [°C]; default the climatology.

    Raises
    ------
    InvariantError
        If the scalar lies outside :data:`CALIBRATION_RANGE` (fix the intensities from
        their sources instead) or the calibrated peak exceeds the firm limit.
    """
    load = project_load(spec, kind=kind, area_ha=area_ha, occupancy=occupancy,
                        occupancy_year=occupancy_year, industries=industries, year=year,
                        temp_air=temp_air, case="base", calibration=1.0, tz=tz)
    peak = float(load.max())
    if peak <= 0:
        raise InvariantError("calibration reference park has no load")
    scalar = target_peak_kw / peak
    lo, hi = CALIBRATION_RANGE
    if not lo <= scalar <= hi:
        raise InvariantError(
            f"load calibration scalar {scalar:.3f} is outside {lo}–{hi}: the modelled "
            f"{year} peak {peak / 1000:.1f} MW is far from the observed "
            f"{target_peak_kw / 1000:.1f} MW, so the intensities or the park's occupancy "
            "are wrong; fix them from their sources before calibrating")
    calibrated = peak * scalar
    if firm_limit_kw is not None and calibrated > firm_limit_kw:
        raise InvariantError(f"calibrated peak {calibrated / 1000:.1f} MW exceeds the "
                             f"substation firm limit {firm_limit_kw / 1000:.1f} MW")
    return Calibration(scalar, peak, calibrated, target_peak_kw, firm_limit_kw, year)
