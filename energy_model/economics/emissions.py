"""CO2 a park avoids.

CO2 is location-based: grid import × the average grid emission factor of the year
(emission_factors.csv). The official series' basis was not found (NF); energy_model assumes
it is the average factor. Exports earn no credit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from energy_model.economics.costs import MARKS, TABLE_COLUMNS, _read_table
from energy_model.errors import EnergyModelError, Problem, ScenarioError
from energy_model.paths import package_data

CO2_BASIS = ("location-based: grid import × the national average grid emission factor "
             "(official series 2014–2023, S; a later year holds the latest official value "
             "unless another method is chosen). The official series' basis (average or "
             "margin) was not found (NF); it is assumed to be the average.")

#: ``economics.emission_factor_method`` values -> the label written in the run's
#: assumption table (``assumptions/emission_factor.csv``, column ``method``).
EMISSION_FACTOR_METHODS = {
    "official_latest": "official series, latest year ≤ run year",
    "declining_trajectory": "declining trajectory (PDP8 coal phase-down, E), interpolated to "
                            "the run year",
    "research_estimate": "unofficial research estimates 2024–2025 (E, a sensitivity), latest "
                         "year ≤ run year",
}
#: the default method: the latest official figure (2023, 0.6592 tCO2/MWh, S)
DEFAULT_EMISSION_METHOD = "official_latest"

# --------------------------------------------------------------------------- CO2

def load_emission_factors(path: str | Path | None = None) -> pd.DataFrame:
    """The grid emission-factor table (default ``energy_model/data/emission_factors.csv``).

    Parameters
    ----------
    path : str or Path, optional
        A CSV with columns ``year`` and ``name, unit, value, source, mark, description``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``year``; ``value`` [tCO2/MWh], ``mark``, ``source``.
    """
    return _load_emission_factors(str(path or package_data("emission_factors.csv"))).copy()


def _ef_records(path: str) -> tuple[list[Problem], list[dict]]:
    """Rows of an emission-factor CSV (``year`` + the table columns, optional ``method``),
    checked: problems located at file, line and row name; records by year."""
    problems, records = [], []
    for line, row in _read_table(path, ("year",) + TABLE_COLUMNS):
        try:
            year, value = int(row["year"]), float(row["value"])
        except ValueError:
            problems.append(Problem("year must be an integer and value a number",
                                    path, line, key=row.get("name")))
            continue
        if row["unit"] != "tCO2/MWh" or not 0 <= value <= 2 or row["mark"] not in MARKS:
            problems.append(Problem(f"expected unit tCO2/MWh, a value in [0, 2] and a mark in "
                                    f"{MARKS}; got {row['unit']!r}, {value}, {row['mark']!r}",
                                    path, line, key=row["name"]))
        records.append({"year": year, "value": value, "mark": row["mark"], "source": row["source"],
                        # a table without a method column is read as an official series
                        "method": (row.get("method") or "official").strip()})
    return problems, records


@lru_cache(maxsize=4)
def _load_emission_factors(path: str) -> pd.DataFrame:
    problems, records = _ef_records(path)
    table = pd.DataFrame(records).set_index("year").sort_index() if records else pd.DataFrame()
    if not problems and (table.empty or not table.index.is_unique
                         or np.any(np.diff(table.index) != 1)):
        problems.append(Problem("years must be consecutive and unique", path))
    if problems:
        raise ScenarioError(f"emission-factor table {path} has {len(problems)} problem(s)",
                            problems, file=path)
    return table


@dataclass(frozen=True)
class EmissionFactor:
    """One grid emission factor as a run uses it.

    Attributes
    ----------
    value : float
        Factor [tCO2/MWh].
    mark : str
        Quality mark of the value (S, S2, E, NF).
    year : int
        Year the value belongs to (the latest listed year ≤ the run year, or the run year for
        an interpolated trajectory value).
    source : str
        Where it comes from.
    method : str
        A key of :data:`EMISSION_FACTOR_METHODS`.
    """

    value: float
    mark: str
    year: int
    source: str
    method: str

    @property
    def label(self) -> str:
        """The method's words for the assumption table and the report."""
        return EMISSION_FACTOR_METHODS[self.method]


def load_emission_trajectory(path: str | Path | None = None) -> pd.DataFrame:
    """The declining emission-factor path (default
    ``energy_model/data/emission_factor_trajectory.csv``), indexed by year."""
    return _load_trajectory(str(path or package_data("emission_factor_trajectory.csv"))).copy()


@lru_cache(maxsize=4)
def _load_trajectory(path: str) -> pd.DataFrame:
    problems, records = _ef_records(path)
    records = [{k: v for k, v in r.items() if k != "method"} for r in records]
    table = pd.DataFrame(records).set_index("year").sort_index() if records else pd.DataFrame()
    if not problems and (table.empty or not table.index.is_unique):
        problems.append(Problem("years must be unique and at least one given", path))
    if problems:
        raise ScenarioError(f"emission-factor trajectory {path} has {len(problems)} "
                            "problem(s)", problems, file=path)
    return table


def grid_emission_factor(year: int, method: str = DEFAULT_EMISSION_METHOD,
                         table: pd.DataFrame | None = None,
                         trajectory: pd.DataFrame | None = None) -> EmissionFactor:
    """The average grid emission factor a run of ``year`` uses under ``method``.

    Parameters
    ----------
    year : int
        Run (calendar) year.
    method : str
        ``official_latest`` (default): the official series' value of the latest year ≤
        ``year`` (2023's 0.6592 for any later year). ``research_estimate``: the same over the
        table including the unofficial 2024–2025 estimates (E), a sensitivity.
        ``declining_trajectory``: the PDP8-based path of
        ``emission_factor_trajectory.csv``, linear between its years, held after its last;
        before its first year the official series.
    table, trajectory : pandas.DataFrame, optional
        From :func:`load_emission_factors` and :func:`load_emission_trajectory`.

    Returns
    -------
    EmissionFactor
    """
    if method not in EMISSION_FACTOR_METHODS:
        raise EnergyModelError(f"unknown emission-factor method {method!r}; expected one of "
                               f"{', '.join(EMISSION_FACTOR_METHODS)}")
    table = load_emission_factors() if table is None else table
    first = int(table.index.min())
    if year < first:
        raise EnergyModelError(f"no grid emission factor before {first}; got year {year}")
    if method == "declining_trajectory":
        path = load_emission_trajectory() if trajectory is None else trajectory
        years = path.index.to_numpy(dtype=int)
        if year >= years[0]:
            if year in path.index:
                r = path.loc[year]
                return EmissionFactor(float(r["value"]), str(r["mark"]), int(year),
                                      str(r["source"]), method)
            value = float(np.interp(year, years, path["value"].to_numpy(dtype=float)))
            last = int(years[-1])
            src = (f"held from {last}: {path.loc[last, 'source']}" if year > last else
                   "linear interpolation between the trajectory's years "
                   f"{int(years[years < year].max())} and {int(years[years > year].min())}")
            return EmissionFactor(value, "E", int(year), src, method)
        method_rows = table[table["method"] == "official"]
    elif method == "official_latest":
        method_rows = table[table["method"] == "official"]
    else:
        method_rows = table
    listed = method_rows[method_rows.index <= year]
    if listed.empty:
        raise EnergyModelError(f"no official grid emission factor at or before {year}")
    y = int(listed.index.max())
    r = listed.loc[y]
    return EmissionFactor(float(r["value"]), str(r["mark"]), y, str(r["source"]), method)


def emission_factor(year: int, table: pd.DataFrame | None = None,
                    method: str = DEFAULT_EMISSION_METHOD) -> tuple[float, str]:
    """Location-based average grid emission factor of a year, and its quality mark.

    By default the latest official value at or before the year (2023's 0.6592, S, for any
    later year); see :func:`grid_emission_factor` for the other methods.

    Parameters
    ----------
    year : int
        Calendar year.
    table : pandas.DataFrame, optional
        From :func:`load_emission_factors`.
    method : str
        A key of :data:`EMISSION_FACTOR_METHODS`.

    Returns
    -------
    tuple of (float, str)
        Factor [tCO2/MWh] and mark.
    """
    ef = grid_emission_factor(year, method, table)
    return ef.value, ef.mark


@dataclass(frozen=True)
class Co2Avoided:
    """Location-based CO2 avoided by cutting grid import.

    Attributes
    ----------
    per_year : pandas.DataFrame
        Index ``year``; ``emission_factor_t_per_mwh``, ``mark``, ``grid_import_before_kwh``,
        ``grid_import_after_kwh``, ``co2_before_t``, ``co2_after_t``, ``co2_avoided_t``.
    co2_avoided_t : float
        Total over the years [tCO2].
    basis : str
        How the factor was chosen.
    """

    per_year: pd.DataFrame
    co2_avoided_t: float
    basis: str


def co2_avoided(grid_import_before_kwh, grid_import_after_kwh, year: int, trajectory=None,
                table: pd.DataFrame | None = None,
                method: str = DEFAULT_EMISSION_METHOD) -> Co2Avoided:
    """CO2 avoided by importing less, with the average grid factor of each year.

    Parameters
    ----------
    grid_import_before_kwh, grid_import_after_kwh : float or array_like
        Grid import without and with the system [kWh]; an array gives consecutive years
        starting at ``year`` (e.g. a cash-flow table's columns over the asset life).
    year : int
        Calendar year of the first value.
    trajectory : None, float or mapping of int to float
        None: the factor of each year by ``method``. A float: the
        factor of ``year`` declining by that relative share every year [1/yr]. A mapping:
        the factor of each year [tCO2/MWh].
    table : pandas.DataFrame, optional
        From :func:`load_emission_factors`.
    method : str
        A key of :data:`EMISSION_FACTOR_METHODS` (default ``official_latest``).

    Returns
    -------
    Co2Avoided
    """
    before = np.atleast_1d(np.asarray(grid_import_before_kwh, dtype=float))
    after = np.atleast_1d(np.asarray(grid_import_after_kwh, dtype=float))
    if before.shape != after.shape or before.ndim != 1:
        raise EnergyModelError("grid_import_before_kwh and grid_import_after_kwh must be "
                               f"scalars or 1-D arrays of one length, got {before.shape}, "
                               f"{after.shape}")
    years = np.arange(year, year + len(before))
    if trajectory is None:
        pairs = [emission_factor(int(y), table, method) for y in years]
        basis = CO2_BASIS if method == DEFAULT_EMISSION_METHOD else (
            f"location-based: {EMISSION_FACTOR_METHODS[method]}")
    elif isinstance(trajectory, Mapping):
        missing = [int(y) for y in years if int(y) not in trajectory]
        if missing:
            raise EnergyModelError(f"emission-factor trajectory lacks years {missing}")
        pairs = [(float(trajectory[int(y)]), "E") for y in years]
        basis = "location-based: user trajectory of average grid emission factors"
    else:
        start, _ = emission_factor(int(year), table, method)
        pairs = [(start * (1.0 - float(trajectory)) ** k, "E") for k in range(len(years))]
        basis = (f"location-based: the average factor of {year} declining "
                 f"{float(trajectory):.1%}/yr over the asset life (E)")
    factor = np.array([p[0] for p in pairs])
    per_year = pd.DataFrame({
        "emission_factor_t_per_mwh": factor, "mark": [p[1] for p in pairs],
        "grid_import_before_kwh": before, "grid_import_after_kwh": after,
        "co2_before_t": before / 1000.0 * factor, "co2_after_t": after / 1000.0 * factor,
    }, index=pd.Index(years, name="year"))
    per_year["co2_avoided_t"] = per_year["co2_before_t"] - per_year["co2_after_t"]
    return Co2Avoided(per_year=per_year, co2_avoided_t=float(per_year["co2_avoided_t"].sum()),
                      basis=basis)
