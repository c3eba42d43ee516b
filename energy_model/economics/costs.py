"""Cost data: the technology list, the cost table (``data/costs.csv``) read and checked,
and the per-unit cost of each technology, in constant base-year VND excluding VAT."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from energy_model.errors import Problem, ScenarioError
from energy_model.paths import package_data

MARKS = ("S", "S2", "E", "NF")
TABLE_COLUMNS = ("name", "unit", "value", "source", "mark", "description")

#: technology name -> (capacity unit, category)
TECHNOLOGIES: dict[str, tuple[str, str]] = {
    "pv_rooftop": ("kWp", "generation"),
    "pv_ground": ("kWp", "generation"),
    "pv_floating": ("kWp", "generation"),
    "wind_small": ("kW", "generation"),
    "wind_medium": ("kW", "generation"),
    "battery_energy": ("kWh", "storage"),
    "battery_power": ("kW", "storage"),
}

# --------------------------------------------------------------------------- cost data

@dataclass(frozen=True)
class TechnologyCost:
    """Installed-system cost of one technology, per unit of capacity, in base-year real VND.

    Attributes
    ----------
    name : str
        Technology, a key of :data:`TECHNOLOGIES`.
    unit : str
        Capacity unit: ``kWp`` (PV, DC), ``kW`` or ``kWh``.
    capex_vnd_per_unit : float
        Installed system cost [VND/unit].
    fixed_om_vnd_per_unit_yr : float
        Fixed O&M [VND/unit/yr].
    life_yr : int
        Economic life [yr].
    replacement_interval_yr : int or None
        Interval of a component replacement within the life (inverter, cells) [yr].
    replacement_vnd_per_unit : float
        Cost of that replacement [VND/unit].
    category : str
        ``generation`` (in the LCOE) or ``storage`` (in the LCOS).
    """

    name: str
    unit: str
    capex_vnd_per_unit: float
    fixed_om_vnd_per_unit_yr: float
    life_yr: int
    replacement_interval_yr: int | None = None
    replacement_vnd_per_unit: float = 0.0
    category: str = "generation"


@dataclass(frozen=True)
class CostTable:
    """The cost data file, read and checked.

    Attributes
    ----------
    technologies : dict of str to TechnologyCost
        Costs by technology.
    pv_degradation : float
        Yearly relative loss of PV output [1/yr].
    battery_throughput_cost_vnd_per_kwh : float
        Degradation proxy for the dispatch LP [VND/kWh discharged].
    vnd_per_usd : float
        Exchange rate the USD benchmarks were converted with [VND/USD].
    rows : pandas.DataFrame
        The file's rows, with sources and quality marks.
    """

    technologies: dict[str, TechnologyCost]
    pv_degradation: float
    battery_throughput_cost_vnd_per_kwh: float
    vnd_per_usd: float
    rows: pd.DataFrame = field(repr=False)


_FIELDS = {  # name suffix -> (TechnologyCost field, unit pattern, required)
    "capex": ("capex_vnd_per_unit", "VND/{u}", True),
    "fixed_om": ("fixed_om_vnd_per_unit_yr", "VND/{u}/yr", True),
    "life": ("life_yr", "yr", True),
    "replacement_interval": ("replacement_interval_yr", "yr", False),
    "replacement_cost": ("replacement_vnd_per_unit", "VND/{u}", False),
}
_SCALARS = {"pv_degradation": "1/yr", "battery_energy_throughput_cost": "VND/kWh",
            "vnd_per_usd": "VND/USD"}


#: the year the cost table's values belong to; :func:`load_costs` without a year returns them
COST_BASE_YEAR = 2025
#: the columns of ``data/cost_trajectories.csv``
TRAJECTORY_COLUMNS = ("name", "year", "unit", "value", "source", "mark", "description")


def load_costs(path: str | Path | None = None, year: int | None = None,
               trajectories: str | Path | None = None) -> CostTable:
    """Read a cost table (default ``energy_model/data/costs.csv``) and check every row.

    Parameters
    ----------
    path : str or Path, optional
        A CSV with columns ``name, unit, value, source, mark, description``.
    year : int, optional
        Milestone year whose costs are wanted. None: the table as written (base year
        :data:`COST_BASE_YEAR`). Otherwise every row listed in the trajectory file is scaled
        by the trajectory's value at ``year`` over its value at the base year (linear between
        listed years, held before the first and after the last); the row's ``mark`` becomes
        the trajectory's (``E`` between listed years) and its ``source`` says so.
    trajectories : str or Path, optional
        Default ``energy_model/data/cost_trajectories.csv``.

    Returns
    -------
    CostTable
    """
    path = str(path or package_data("costs.csv"))
    if year is None:
        return _load_costs(path)
    return _costs_for_year(path, int(year),
                           str(trajectories or package_data("cost_trajectories.csv")))


def load_cost_trajectories(path: str | Path | None = None) -> pd.DataFrame:
    """The cost trajectories (default ``energy_model/data/cost_trajectories.csv``), checked.

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`TRAJECTORY_COLUMNS`, ``value`` and ``year`` numeric, sorted by
        name and year.
    """
    return _load_trajectories(str(path or package_data("cost_trajectories.csv"))).copy()


@lru_cache(maxsize=4)
def _load_trajectories(path: str) -> pd.DataFrame:
    rows = _read_table(path, TRAJECTORY_COLUMNS)
    problems: list[Problem] = []
    records = []
    for line, row in rows:
        name = row["name"]
        expected = _expected_unit(name)
        try:
            year, value = int(row["year"]), float(row["value"])
        except ValueError:
            problems.append(Problem("year must be an integer and value a number", path, line,
                                    key=name))
            continue
        if expected is None or not name.endswith("_capex"):
            problems.append(Problem("expected a <technology>_capex row of the cost table",
                                    path, line, key=name))
        elif row["unit"] != expected:
            problems.append(Problem(f"unit must be {expected!r}, got {row['unit']!r}",
                                    path, line, key=name))
        if row["mark"] not in MARKS or not row["source"].strip():
            problems.append(Problem(f"mark must be one of {MARKS} and source non-empty",
                                    path, line, key=name))
        if not np.isfinite(value) or value <= 0:
            problems.append(Problem(f"value must be finite and > 0, got {value}", path, line,
                                    key=name))
        records.append({**row, "year": year, "value": value, "line": line})
    table = pd.DataFrame(records)
    if not problems:
        for name, g in table.groupby("name"):
            if COST_BASE_YEAR not in set(g["year"]) or not g["year"].is_unique:
                problems.append(Problem(f"years must be unique and include the base year "
                                        f"{COST_BASE_YEAR}", path, int(g["line"].iloc[0]),
                                        key=name))
    if problems:
        raise ScenarioError(f"cost trajectories {path} have {len(problems)} problem(s)",
                            problems, file=path)
    return table.sort_values(["name", "year"]).reset_index(drop=True)


def trajectory_factor(trajectory: pd.DataFrame, name: str, year: int) -> tuple[float, str, str]:
    """Relative cost of row ``name`` in ``year`` against the base year, its mark and a
    source note (linear between listed years, held outside them)."""
    g = trajectory[trajectory["name"] == name]
    years = g["year"].to_numpy(dtype=float)
    values = g["value"].to_numpy(dtype=float)
    base = float(values[years == COST_BASE_YEAR][0])
    value = float(np.interp(year, years, values))
    if year in set(g["year"]):
        r = g[g["year"] == year].iloc[0]
        mark, note = str(r["mark"]), f"cost_trajectories.csv {year}: {r['source']}"
    else:
        lo = int(years[years <= year].max()) if (years <= year).any() else int(years.min())
        hi = int(years[years >= year].min()) if (years >= year).any() else int(years.max())
        mark = "E"
        note = (f"cost_trajectories.csv: linear between {lo} and {hi}" if lo != hi else
                f"cost_trajectories.csv: held at {lo}")
    return value / base, mark, note


@lru_cache(maxsize=16)
def _costs_for_year(path: str, year: int, trajectory_path: str) -> CostTable:
    table = _load_costs(path)
    if year == COST_BASE_YEAR:
        return table
    trajectory = _load_trajectories(trajectory_path)
    techs = dict(table.technologies)
    rows = table.rows.copy()
    for name in trajectory["name"].unique():
        tech = name[: -len("_capex")]
        if tech not in techs:
            continue
        factor, mark, note = trajectory_factor(trajectory, name, year)
        value = techs[tech].capex_vnd_per_unit * factor
        techs[tech] = replace(techs[tech], capex_vnd_per_unit=value)
        hit = rows["name"] == name
        rows.loc[hit, "value"] = f"{value:.0f}"
        rows.loc[hit, "mark"] = mark
        rows.loc[hit, "source"] = f"{note} (× {factor:.4f} of the {COST_BASE_YEAR} value)"
    return replace(table, technologies=techs, rows=rows)


def _check_cost_row(row: dict, path: str, line: int, problems: list[Problem]) -> float | None:
    """Check one cost row (name, unit, mark, source, value); return its value or None."""
    name, unit = row["name"], row["unit"]
    expected = _expected_unit(name)
    if expected is None:
        problems.append(Problem(f"unknown cost row; expected <technology>_<{'|'.join(_FIELDS)}> "
                                f"with technology in {sorted(TECHNOLOGIES)}, or one of "
                                f"{sorted(_SCALARS)}", path, line, key=name))
        return None
    if unit != expected:
        problems.append(Problem(f"unit must be {expected!r}, got {unit!r}", path, line, key=name))
    if row["mark"] not in MARKS:
        problems.append(Problem(f"mark must be one of {MARKS}, got {row['mark']!r}",
                                path, line, key=name))
    if not row["source"].strip():
        problems.append(Problem("source is empty; say where the value comes from",
                                path, line, key=name))
    try:
        value = float(row["value"])
    except ValueError:
        problems.append(Problem(f"value must be a number, got {row['value']!r}",
                                path, line, key=name))
        return None
    if not np.isfinite(value) or value < 0:
        problems.append(Problem(f"value must be finite and ≥ 0, got {value}",
                                path, line, key=name))
    return value


def _technology_cost(tech: str, values: dict[str, float], path: str, lines: dict[str, int],
                     problems: list[Problem]) -> TechnologyCost | None:
    """Assemble one technology's cost from its rows; None if a required row is missing."""
    unit, category = TECHNOLOGIES[tech]
    kwargs = {}
    for suffix, (attr, _, required) in _FIELDS.items():
        key = f"{tech}_{suffix}"
        if key not in values:
            if required:
                problems.append(Problem(f"missing row {key!r}", path, key=key))
            continue
        value = values[key]
        if attr.endswith("_yr") and attr != "fixed_om_vnd_per_unit_yr":
            if value != int(value) or (suffix == "life" and value < 1):
                problems.append(Problem(f"must be a whole number of years"
                                        f"{' ≥ 1' if suffix == 'life' else ''}, got {value}",
                                        path, lines.get(key), key=key))
            value = int(value)
        kwargs[attr] = value
    if not all(f"{tech}_{s}" in values for s, spec in _FIELDS.items() if spec[2]):
        return None
    return TechnologyCost(name=tech, unit=unit, category=category, **kwargs)


@lru_cache(maxsize=8)
def _load_costs(path: str) -> CostTable:
    rows = _read_table(path)
    problems: list[Problem] = []
    values: dict[str, float] = {}
    for line, row in rows:
        value = _check_cost_row(row, path, line, problems)
        if value is not None:
            values[row["name"]] = value
    lines = {row["name"]: line for line, row in rows}
    techs = {}
    for tech in TECHNOLOGIES:
        cost = _technology_cost(tech, values, path, lines, problems)
        if cost is not None:
            techs[tech] = cost
    for key in _SCALARS:
        if key not in values:
            problems.append(Problem(f"missing row {key!r}", path, key=key))
    if problems:
        raise ScenarioError(f"cost table {path} has {len(problems)} problem(s)", problems,
                            file=path)
    table = pd.DataFrame([r for _, r in rows])
    return CostTable(technologies=techs, pv_degradation=values["pv_degradation"],
                     battery_throughput_cost_vnd_per_kwh=values["battery_energy_throughput_cost"],
                     vnd_per_usd=values["vnd_per_usd"], rows=table)


def _read_table(path: str, columns: Sequence[str] = TABLE_COLUMNS) -> list[tuple[int, dict]]:
    """Rows of a data CSV with their 1-based line numbers; checks the header."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise ScenarioError(f"{path}:1: data table lacks columns {missing}; expected "
                                    f"{list(columns)}", file=path)
            return [(reader.line_num, dict(r)) for r in reader]
    except OSError as exc:
        raise ScenarioError(f"cannot read data table {path}: {exc.strerror}", file=path) from None


#: Optional rows (issue 20): read and checked when present, not required.
_OPTIONAL_SCALARS = {"pv_ground_tracker_capex_adder": "VND/kWp"}


def _expected_unit(name: str) -> str | None:
    """The unit a cost row must carry, or None for an unknown row name."""
    if name in _SCALARS:
        return _SCALARS[name]
    if name in _OPTIONAL_SCALARS:
        return _OPTIONAL_SCALARS[name]
    for tech, (unit, _) in TECHNOLOGIES.items():
        suffix = name[len(tech) + 1:] if name.startswith(tech + "_") else None
        if suffix in _FIELDS:
            return _FIELDS[suffix][1].format(u=unit)
    return None


#: Cost-table row of a single-axis tracker's extra capex over fixed ground PV [VND/kWp].
TRACKER_ADDER_ROW = "pv_ground_tracker_capex_adder"


def tracker_cost(ground_cost, cost_rows):
    """The ground-PV cost of a single-axis tracker array: ``pv_ground`` plus the capex adder.

    Parameters
    ----------
    ground_cost : TechnologyCost
        The table's (possibly user-overridden) ``pv_ground`` cost.
    cost_rows : pandas.DataFrame
        The cost table's rows (``name``, ``value``).

    Returns
    -------
    TechnologyCost
        A copy named ``pv_ground_tracker`` whose capex includes the adder [VND/kWp].
    """
    hit = cost_rows.loc[cost_rows["name"] == TRACKER_ADDER_ROW, "value"]
    if hit.empty:
        raise ScenarioError(f"the cost table has no row {TRACKER_ADDER_ROW!r} [VND/kWp], which "
                            "arrays with tracking: single_axis need")
    return replace(ground_cost, name="pv_ground_tracker",
                   capex_vnd_per_unit=ground_cost.capex_vnd_per_unit + float(hit.iloc[0]))
