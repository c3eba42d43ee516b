"""The 110 kV substations that serve the catalog parks: ratings, firm capacity and marks.

Read from ``energy_model/data/substations.csv`` (or a user file with the same columns).
A park names its substation in ``parks[].grid.substation``; parks naming the same id form a
*substation group* for the grid-pressure metrics (:func:`energy_model.metrics.substation_groups`).
A rating or firm capacity that was not found is ``None`` with mark ``NF``: the metrics then
report headroom as unknown, never as the park's own peak.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from energy_model.errors import Problem, ScenarioError
from energy_model.paths import package_data

SUBSTATION_COLUMNS = ("id", "name", "rating_mva", "firm_mva", "transformers", "power_factor",
                      "id_mark", "rating_mark", "firm_mark", "source", "note")
MARKS = ("S", "S2", "E", "NF", "user")


@dataclass(frozen=True)
class Substation:
    """One 110 kV substation.

    Attributes
    ----------
    id, name : str
    rating_mva : float or None
        Nameplate [MVA]; None where not found.
    firm_mva : float or None
        Firm (N-1) capacity [MVA]; None where not found.
    transformers : int or None
        Number of transformers.
    power_factor : float
        Power factor of the load it serves [-] (firm MW = firm MVA × pf).
    id_mark, rating_mark, firm_mark : str
        Marks of the park→substation assignment, the rating and the firm capacity.
    source, note : str
    """

    id: str
    name: str
    rating_mva: float | None
    firm_mva: float | None
    transformers: int | None
    power_factor: float
    id_mark: str
    rating_mark: str
    firm_mark: str
    source: str = ""
    note: str = ""

    @property
    def firm_mw(self) -> float | None:
        """Firm (N-1) capacity × power factor [MW]; None where the firm capacity is not known."""
        return None if self.firm_mva is None else self.firm_mva * self.power_factor

    @property
    def rating_mw(self) -> float | None:
        """Nameplate × power factor [MW]; None where the rating is not known."""
        return None if self.rating_mva is None else self.rating_mva * self.power_factor


def _num(value) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return None
    return float(value)


def load_substations(path: str | Path | None = None) -> dict[str, Substation]:
    """Read a substation table (default: the shipped ``energy_model/data/substations.csv``).

    Returns
    -------
    dict of str to Substation
        By id.

    Raises
    ------
    ScenarioError
        Missing columns, duplicate ids, bad marks or numbers, with the file and line.
    """
    path = Path(path) if path is not None else package_data("substations.csv")
    try:
        table = pd.read_csv(path, comment="#", dtype={"id": str}, keep_default_na=True)
    except (OSError, ValueError) as exc:
        raise ScenarioError(f"{path}: cannot read the substation table: {exc}",
                            file=str(path)) from None
    missing = [c for c in SUBSTATION_COLUMNS if c not in table.columns]
    if missing:
        raise ScenarioError(f"{path}: substation table lacks columns {missing}",
                            [Problem(f"expected columns {list(SUBSTATION_COLUMNS)}", str(path), 1)],
                            file=str(path))
    header = next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                  if line.startswith("id,"))
    out: dict[str, Substation] = {}
    problems: list[Problem] = []
    for i, row in table.iterrows():
        line = header + 1 + int(i)
        sid = str(row["id"])
        if sid in out:
            problems.append(Problem(f"duplicate substation id {sid!r}", str(path), line, key="id"))
            continue
        for col in ("id_mark", "rating_mark", "firm_mark"):
            if row[col] not in MARKS:
                problems.append(Problem(f"{col} must be one of {MARKS}, got {row[col]!r}",
                                        str(path), line, key=col))
        rating, firm = _num(row["rating_mva"]), _num(row["firm_mva"])
        pf = _num(row["power_factor"]) or 0.9
        if (rating is not None and rating <= 0) or (firm is not None and firm <= 0) \
                or not 0.5 < pf <= 1.0:
            problems.append(Problem("rating_mva and firm_mva must be > 0 (or empty) and "
                                    "power_factor in (0.5, 1]", str(path), line))
            continue
        if firm is not None and rating is not None and firm > rating:
            problems.append(Problem(f"firm_mva {firm:g} exceeds rating_mva {rating:g}",
                                    str(path), line, key="firm_mva"))
        if (rating is None) != (row["rating_mark"] == "NF"):
            problems.append(Problem("rating_mark must be NF exactly when rating_mva is empty",
                                    str(path), line, key="rating_mark"))
        if (firm is None) != (row["firm_mark"] == "NF"):
            problems.append(Problem("firm_mark must be NF exactly when firm_mva is empty",
                                    str(path), line, key="firm_mark"))
        n = _num(row["transformers"])
        out[sid] = Substation(
            id=sid, name=str(row["name"]), rating_mva=rating, firm_mva=firm,
            transformers=None if n is None else int(n), power_factor=pf,
            id_mark=str(row["id_mark"]), rating_mark=str(row["rating_mark"]),
            firm_mark=str(row["firm_mark"]),
            source="" if pd.isna(row["source"]) else str(row["source"]),
            note="" if pd.isna(row["note"]) else str(row["note"]))
    if problems:
        raise ScenarioError(f"{path}: {len(problems)} problem(s) in the substation table",
                            problems, file=str(path))
    return out
