"""Residuals of the load calibration against every other load figure of the reference.

The one calibration scalar (the scenario's ``load_calibration``, 0.909 in the catalog) is
fitted on Sông Khoai's 63 MW peak of June 2023 (:func:`energy_model.demand.calibrate`);
about 90 % of that park's modelled energy is the Jinko PV-cell and wafer plants, so the fit
says little about the textile, electronics or chemicals norms. The reference
(``shared/reference/quang_ninh.md``) gives no other park's measured load (NF); it does give
figures that bound one (``energy_model/data/load_checks.csv``, with marks):

- ``fit``: the calibration target itself (residual ≈ 0 by construction);
- ``upper`` / ``lower``: a supply or substation figure the modelled peak must stay under,
  or a registered need it must reach;
- ``nf``: a figure without a number (Texhong Hải Hà's substation "at full capacity", its
  rating NF): the modelled peak is reported, no residual.

Method (:func:`calibration_residuals`): each check's parks are projected for its year in the
base case with the scenario's scalar (``modelled_mw``, their coincident peak [MW]) and with
scalar 1 (``uncalibrated_mw``); ``residual_pct`` = 100 × (modelled / reference − 1);
``within`` says whether a bound holds (``fit``: within ±10 %). ``industry_mix`` gives the
share of the modelled energy by industry class, so one can see which norm a check tests.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from energy_model.demand.projection import bottom_up_energies, project_load
from energy_model.errors import InvariantError
from energy_model.paths import package_data

#: columns of data/load_checks.csv
CHECK_COLUMNS = ("id", "parks", "year", "kind", "reference_mw", "mark", "source", "note")
#: check kinds
KINDS = ("fit", "upper", "lower", "nf")
#: a fit within this relative distance passes [-]
FIT_TOLERANCE = 0.10

RESIDUAL_COLUMNS = ["id", "parks", "year", "kind", "reference_mw", "mark", "modelled_mw",
                    "uncalibrated_mw", "residual_pct", "within", "industry_mix", "source",
                    "note"]


def load_checks(path=None) -> pd.DataFrame:
    """The checks of ``energy_model/data/load_checks.csv`` (or ``path``), checked."""
    path = package_data("load_checks.csv") if path is None else path
    table = pd.read_csv(path, comment="#", skipinitialspace=True)
    missing = [c for c in CHECK_COLUMNS if c not in table.columns]
    if missing:
        raise InvariantError(f"{path}: missing columns {missing}")
    bad = sorted(set(table["kind"]) - set(KINDS))
    if bad:
        raise InvariantError(f"{path}: unknown kind {bad}; expected {list(KINDS)}")
    if table["mark"].isna().any() or not table["mark"].isin(["S", "S2", "E", "NF"]).all():
        raise InvariantError(f"{path}: every check needs a mark S, S2, E or NF")
    return table


def _park_load(scenario, park, year: int, calibration: float) -> pd.Series:
    return project_load(park.load, kind=park.kind, area_ha=park.area_ha,
                        occupancy=park.occupancy, occupancy_year=park.occupancy_year,
                        industries=list(park.industries), year=year, case="base",
                        calibration=calibration, tz=scenario.timezone, name=park.id)


def industry_mix(scenario, parks, year: int) -> str:
    """Share of the bottom-up energy of ``parks`` in ``year`` by industry class, as text
    (``"pv_wafer 0.55, pv_cell 0.36, …"``); non-bottom-up parks are named by their source."""
    energies: dict[str, float] = {}
    for park in parks:
        if park.kind == "KCN" and park.load.source == "bottom_up":
            for cls, mwh in bottom_up_energies(park.load, park.area_ha, park.occupancy,
                                               park.occupancy_year, list(park.industries),
                                               year).items():
                energies[cls] = energies.get(cls, 0.0) + mwh
        else:
            energies[park.load.source] = energies.get(park.load.source, 0.0) + math.nan
    known = {k: v for k, v in energies.items() if np.isfinite(v)}
    total = sum(known.values())
    parts = [f"{k} {v / total:.2f}" for k, v in sorted(known.items(), key=lambda kv: -kv[1])
             if total > 0]
    return ", ".join(parts + [k for k in energies if k not in known])


def _within(kind: str, modelled: float, reference: float) -> bool | None:
    if kind == "upper":
        return modelled <= reference
    if kind == "lower":
        return modelled >= reference
    if kind == "fit":
        return abs(modelled / reference - 1) <= FIT_TOLERANCE
    return None


def calibration_residuals(scenario, checks: pd.DataFrame | None = None) -> pd.DataFrame:
    """What the calibration scalar leaves at every load check of the reference.

    Parameters
    ----------
    scenario : Scenario
        Gives the parks and the scalar (``load_calibration``).
    checks : pandas.DataFrame, optional
        :func:`load_checks` (default the shipped table). A check naming a park the scenario
        does not have is skipped.

    Returns
    -------
    pandas.DataFrame
        :data:`RESIDUAL_COLUMNS`: reference and modelled coincident peaks [MW] (modelled
        with the scalar and with 1), ``residual_pct`` [%] (NaN for ``nf``), ``within``
        (bound holds; fit within ±10 %; None for ``nf``), the industry mix of the energy.
    """
    checks = load_checks() if checks is None else checks
    by_id = {p.id: p for p in scenario.parks}
    rows = []
    for c in checks.itertuples(index=False):
        ids = str(c.parks).split("+")
        if any(i not in by_id for i in ids):
            continue
        parks, year = [by_id[i] for i in ids], int(c.year)
        peak = {}
        for scalar in (scenario.load_calibration, 1.0):
            total = sum(_park_load(scenario, p, year, scalar).to_numpy() for p in parks)
            peak[scalar] = float(np.max(total)) / 1000.0
        modelled, ref = peak[scenario.load_calibration], float(c.reference_mw)
        has_ref = c.kind != "nf" and np.isfinite(ref) and ref > 0
        rows.append({"id": c.id, "parks": c.parks, "year": year, "kind": c.kind,
                     "reference_mw": ref if has_ref else math.nan, "mark": c.mark,
                     "modelled_mw": modelled, "uncalibrated_mw": peak[1.0],
                     "residual_pct": 100 * (modelled / ref - 1) if has_ref else math.nan,
                     "within": _within(c.kind, modelled, ref) if has_ref else None,
                     "industry_mix": industry_mix(scenario, parks, year),
                     "source": c.source, "note": c.note})
    return pd.DataFrame(rows, columns=RESIDUAL_COLUMNS)
