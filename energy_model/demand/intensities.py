"""Data tables and planning constants of the load model: industry intensities
(``data/industry_intensity.csv``), KKT components (``data/kkt_components.csv``), shift
patterns, the Hạ Long temperature climatology, the roof share and the tariff class.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import pandas as pd

from energy_model.errors import InvariantError, Problem, ScenarioError
from energy_model.paths import package_data
from energy_model.scenario.load import IndustryShare, KKTComponents

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


#: The rooftop-potential factors of ``data/pv_layout.csv`` (each with low/base/high, mark E).
ROOF_FACTOR_ROWS = ("roof_share", "roof_structural_factor", "roof_tenant_uptake",
                    "roof_existing_pv_share")


@dataclass(frozen=True)
class RoofFactors:
    """The roof-potential factors of one case, from ``data/pv_layout.csv``.

    technical roof [m²] = occupied land [m²] × ``roof_share``;
    achievable roof [m²] = technical × ``structural`` × ``uptake`` − technical × ``existing``.
    """

    roof_share: float
    structural: float
    uptake: float
    existing: float

    def achievable_share(self) -> float:
        """Achievable roof as a share of the technical roof [-] (≥ 0)."""
        return max(0.0, self.structural * self.uptake - self.existing)


def roof_factor_table() -> dict[str, dict[str, float]]:
    """``{row: {"low", "base", "high"}}`` of the roof factors in ``data/pv_layout.csv``."""
    return {k: dict(v) for k, v in _roof_factor_table().items()}


@lru_cache(maxsize=1)
def _roof_factor_table() -> dict[str, dict[str, float]]:
    path = package_data("pv_layout.csv")
    with open(path, newline="", encoding="utf-8") as fh:
        rows = {r["name"]: (line, r) for line, r in enumerate(csv.DictReader(fh), start=2)}
    out, problems = {}, []
    for name in ROOF_FACTOR_ROWS:
        if name not in rows:
            problems.append(Problem(f"missing row {name!r}", str(path), key=name))
            continue
        line, r = rows[name]
        try:
            low, base, high = float(r["low"]), float(r["value"]), float(r["high"])
        except (TypeError, ValueError):
            problems.append(Problem("low, value and high must be numbers", str(path), line,
                                    key=name))
            continue
        if not 0 <= low <= base <= high <= 1 or r.get("mark") not in ("S", "S2", "E", "NF"):
            problems.append(Problem(f"expected 0 ≤ low ≤ value ≤ high ≤ 1 and a mark; got "
                                    f"{low}, {base}, {high}, {r.get('mark')!r}", str(path), line,
                                    key=name))
        out[name] = {"low": low, "base": base, "high": high}
    if problems:
        raise ScenarioError(f"roof factors in {path} have {len(problems)} problem(s)", problems,
                            file=str(path))
    return out


def roof_factors(case: Literal["low", "base", "high"] = "base") -> RoofFactors:
    """Roof factors of a potential case: ``low`` takes the ends that give the smaller
    potential (low share, structure and uptake, high existing PV), ``high`` the opposite."""
    t = _roof_factor_table()
    inverse = {"low": "high", "base": "base", "high": "low"}
    if case not in inverse:
        raise ScenarioError(f"roof case {case!r}: expected low, base or high")
    return RoofFactors(roof_share=t["roof_share"][case],
                       structural=t["roof_structural_factor"][case],
                       uptake=t["roof_tenant_uptake"][case],
                       existing=t["roof_existing_pv_share"][inverse[case]])


#: Default usable roof share of occupied industrial land for PV [-]: the base
#: ``roof_share`` of ``data/pv_layout.csv`` (E, basis there).
DEFAULT_ROOF_SHARE = _roof_factor_table()["roof_share"]["base"]

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

_INDUSTRY_COLUMNS = ("name", "unit", "value", "source", "mark", "description", "load_factor",
                     "mwh_per_ha_yr", "shift_pattern", "sunday_level", "holiday_level",
                     "cooling_sensitivity", "band_low_kw_per_ha", "band_high_kw_per_ha",
                     "shape_mark", "basis")
_KKT_COLUMNS = ("name", "unit", "value", "source", "mark", "description", "size_field",
                "energy_field", "shift_pattern", "sunday_level", "holiday_level",
                "cooling_sensitivity", "basis")


def _read_table(name: str, columns: tuple[str, ...]) -> pd.DataFrame:
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


def kw_per_ha_band(industries: list[IndustryShare]) -> tuple[float, float]:
    """Plausible band of peak kW/ha for an industry mix [kW/ha], share-weighted."""
    _check_industries(industries, "industries")
    table = industry_table()
    low = sum(s.share * float(table.at[s.cls, "band_low_kw_per_ha"]) for s in industries)
    high = sum(s.share * float(table.at[s.cls, "band_high_kw_per_ha"]) for s in industries)
    return low, high


def tariff_class(kind: Literal["KCN", "KKT"]) -> str:
    """EVN customer class of a zone kind: ``manufacturing`` (KCN) or ``business`` (KKT)."""
    return TARIFF_CLASS[kind]
