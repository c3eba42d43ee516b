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

CO2_BASIS = ("location-based: grid import × the national average grid emission factor of the "
             "year (official series 2014–2023, S; research estimates 2024–2025, E; later years "
             "hold the last value unless a trajectory is given). The official series' basis "
             "(average or margin) was not found (NF); it is assumed to be the average.")

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


@lru_cache(maxsize=4)
def _load_emission_factors(path: str) -> pd.DataFrame:
    rows = _read_table(path, ("year",) + TABLE_COLUMNS)
    problems = []
    records = []
    for line, row in rows:
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
        records.append({"year": year, "value": value, "mark": row["mark"], "source": row["source"]})
    table = pd.DataFrame(records).set_index("year").sort_index() if records else pd.DataFrame()
    if not problems and (table.empty or not table.index.is_unique
                         or np.any(np.diff(table.index) != 1)):
        problems.append(Problem("years must be consecutive and unique", path))
    if problems:
        raise ScenarioError(f"emission-factor table {path} has {len(problems)} problem(s)",
                            problems, file=path)
    return table


def emission_factor(year: int, table: pd.DataFrame | None = None) -> tuple[float, str]:
    """Location-based average grid emission factor of a year, and its quality mark.

    Years after the table hold its last value (mark ``E``).

    Parameters
    ----------
    year : int
        Calendar year.
    table : pandas.DataFrame, optional
        From :func:`load_emission_factors`.

    Returns
    -------
    tuple of (float, str)
        Factor [tCO2/MWh] and mark.
    """
    table = load_emission_factors() if table is None else table
    first, last = int(table.index.min()), int(table.index.max())
    if year < first:
        raise EnergyModelError(f"no grid emission factor before {first}; got year {year}")
    if year > last:
        return float(table.loc[last, "value"]), "E"
    return float(table.loc[year, "value"]), str(table.loc[year, "mark"])


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
                table: pd.DataFrame | None = None) -> Co2Avoided:
    """CO2 avoided by importing less, with the average grid factor of each year.

    Parameters
    ----------
    grid_import_before_kwh, grid_import_after_kwh : float or array_like
        Grid import without and with the system [kWh]; an array gives consecutive years
        starting at ``year`` (e.g. a cash-flow table's columns over the asset life).
    year : int
        Calendar year of the first value.
    trajectory : None, float or mapping of int to float
        None: the table's factor of each year (held after its last year). A float: the
        factor of ``year`` declining by that relative share every year [1/yr]. A mapping:
        the factor of each year [tCO2/MWh].
    table : pandas.DataFrame, optional
        From :func:`load_emission_factors`.

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
        pairs = [emission_factor(int(y), table) for y in years]
        basis = CO2_BASIS
    elif isinstance(trajectory, Mapping):
        missing = [int(y) for y in years if int(y) not in trajectory]
        if missing:
            raise EnergyModelError(f"emission-factor trajectory lacks years {missing}")
        pairs = [(float(trajectory[int(y)]), "E") for y in years]
        basis = "location-based: user trajectory of average grid emission factors"
    else:
        start, _ = emission_factor(int(year), table)
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
