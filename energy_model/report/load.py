"""Read a results folder back into memory, for the plots and the report.

The folder is the one ``energy-model run`` writes: the pipeline's ``summary.csv``,
``parks/<id>.csv``, ``run.json`` and the assumptions the run used
(``assumptions/costs.csv``, ``emission_factor.csv``, ``tariff.csv``, ``tou_frame.csv``),
plus the tables of the studies (``analysis/frontier.csv``, ``analysis/tornado.csv``,
``analysis/weather_check.csv``, ``analysis/weather_params.csv``), the grid-pressure
tables (``grid/headline.csv``, ``province_hourly.csv``, ``substations.csv``,
``reverse_flow.csv``, ``cuts.csv``) and, when the run compared rule sets,
``rules_comparison.csv``. Nothing here re-runs a model stage or reads the package's data
tables; a missing optional table is ``None`` (and listed in ``Results.missing``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from energy_model.errors import UsageError
from energy_model.results import read_csv, safe_name

#: park_id of the province total row of summary.csv
PROVINCE = "PROVINCE"
#: analysis tables the studies write (energy_model.studies.analysis), by attribute name
ANALYSIS_FILES = {"frontier": "frontier.csv", "tornado": "tornado.csv",
                  "weather_check": "weather_check.csv", "weather_params": "weather_params.csv"}
#: assumption tables the run writes, by attribute name
ASSUMPTION_FILES = {"costs": "costs.csv", "emission_factor": "emission_factor.csv",
                    "tariff": "tariff.csv", "tou_frame": "tou_frame.csv"}
#: grid-pressure tables the run writes under ``grid/``, by attribute name
GRID_FILES = {"grid_headline": "headline.csv", "grid_hourly": "province_hourly.csv",
              "grid_substations": "substations.csv", "grid_reverse_flow": "reverse_flow.csv",
              "grid_cuts": "cuts.csv"}
#: the headline under each rule set (only when the run was asked: ``--compare-rules``)
RULES_COMPARISON = "rules_comparison.csv"
#: the 2050 run and the pathway (only when the run was asked: ``--milestones``), by
#: attribute name
MILESTONE_FILES = {"far_summary": "milestones/2050/summary.csv",
                   "pathway_milestones": "pathway/milestones.csv",
                   "pathway_schedule": "pathway/schedule.csv"}


@dataclass
class Results:
    """A results folder in memory.

    Attributes
    ----------
    folder : Path
        The folder read.
    summary : pandas.DataFrame
        ``summary.csv``: one row per park plus the ``PROVINCE`` row; units in column names.
    hourly : dict of str to pandas.DataFrame
        Park id → hourly flows [kW] on a tz-aware index labelled at interval start.
    run : dict
        ``run.json``: versions, seed, input hashes, resolved scenario, timings, notes.
    frontier, tornado, weather_check, weather_params : pandas.DataFrame or None
        Analysis tables, when the folder has them.
    costs, emission_factor, tariff, tou_frame : pandas.DataFrame or None
        The assumptions the run used (``assumptions/``), when the folder has them.
    grid_headline, grid_hourly, grid_substations, grid_reverse_flow, grid_cuts : \
pandas.DataFrame or None
        The grid-pressure tables (``grid/``), when the folder has them. ``grid_hourly`` is
        on a tz-aware index; ``grid_substations.headroom_known`` is boolean.
    rules_comparison : pandas.DataFrame or None
        ``rules_comparison.csv``: one row per rule set, when the run compared them.
    far_summary, pathway_milestones, pathway_schedule : pandas.DataFrame or None
        ``milestones/2050/summary.csv`` and ``pathway/{milestones,schedule}.csv``, when
        the run was asked for its milestones (``--milestones``).
    missing : list of str
        Analysis and assumption files the folder lacks (relative paths).
    """

    folder: Path
    summary: pd.DataFrame
    hourly: dict[str, pd.DataFrame]
    run: dict
    frontier: pd.DataFrame | None = None
    tornado: pd.DataFrame | None = None
    weather_check: pd.DataFrame | None = None
    weather_params: pd.DataFrame | None = None
    costs: pd.DataFrame | None = None
    emission_factor: pd.DataFrame | None = None
    tariff: pd.DataFrame | None = None
    tou_frame: pd.DataFrame | None = None
    grid_headline: pd.DataFrame | None = None
    grid_hourly: pd.DataFrame | None = None
    grid_substations: pd.DataFrame | None = None
    grid_reverse_flow: pd.DataFrame | None = None
    grid_cuts: pd.DataFrame | None = None
    rules_comparison: pd.DataFrame | None = None
    far_summary: pd.DataFrame | None = None
    pathway_milestones: pd.DataFrame | None = None
    pathway_schedule: pd.DataFrame | None = None
    missing: list[str] = field(default_factory=list)

    @property
    def scenario(self) -> dict:
        """The resolved scenario as saved in ``run.json``."""
        return self.run.get("scenario", {})

    @property
    def parks(self) -> pd.DataFrame:
        """Summary rows of the parks (without the province row), indexed by park id."""
        return self.summary[self.summary["park_id"] != PROVINCE].set_index("park_id", drop=False)

    @property
    def province(self) -> pd.Series:
        """The ``PROVINCE`` row of the summary."""
        rows = self.summary[self.summary["park_id"] == PROVINCE]
        if rows.empty:
            raise UsageError(f"{self.folder / 'summary.csv'}: no row with park_id PROVINCE")
        return rows.iloc[0]

    @property
    def park_ids(self) -> list[str]:
        """Park ids in summary order."""
        return list(self.parks.index)

    def park_scenario(self, park_id: str) -> dict:
        """The scenario entry of one park (empty if not found)."""
        for p in self.scenario.get("parks", []):
            if p.get("id") == park_id:
                return p
        return {}

    def largest_park(self) -> str:
        """Id of the park with the largest annual load."""
        return str(self.parks["load_gwh"].astype(float).idxmax())


def _read_hourly(path: Path, tz: str) -> pd.DataFrame:
    """One ``parks/<id>.csv`` with its ISO time stamps back on a tz-aware index."""
    df = read_csv(path)
    if "time" not in df.columns:
        raise UsageError(f"{path}: no 'time' column; expected an hourly results file")
    index = pd.to_datetime(df.pop("time"), utc=True).dt.tz_convert(tz)
    df.index = pd.DatetimeIndex(index, name="time")
    return df.astype(float)


def _bools(values: pd.Series) -> pd.Series:
    """A column of true/false written as text (any case) or as booleans; missing → False."""
    return values.map(lambda v: str(v).strip().lower() in ("true", "1", "yes")).astype(bool)


def check_folder(folder) -> Path:
    """``folder`` as a Path if it holds ``summary.csv`` and ``run.json``; else UsageError."""
    folder = Path(folder)
    needed = [folder / "summary.csv", folder / "run.json"]
    missing = [p.name for p in needed if not p.is_file()]
    if not folder.is_dir() or missing:
        what = "missing " + ", ".join(missing) if folder.is_dir() else "no such folder"
        raise UsageError(f"{folder} is not a results folder: {what}; expected summary.csv, "
                         "run.json and parks/<id>.csv from energy-model run")
    return folder


def load_results(folder) -> Results:
    """Read a results folder.

    Parameters
    ----------
    folder : str or Path
        ``results/<scenario-name>/`` as written by ``energy-model run``.

    Returns
    -------
    Results

    Raises
    ------
    UsageError
        The folder or one of its required files (``summary.csv``, ``run.json``, the hourly
        file of a park of the summary) is missing.
    """
    folder = check_folder(folder)
    summary = read_csv(folder / "summary.csv")
    summary["park_id"] = summary["park_id"].astype(str)
    for col in ("heritage_buffer", "name_verified"):
        if col in summary.columns:
            summary[col] = _bools(summary[col])
    run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    tz = run.get("scenario", {}).get("timezone", "Asia/Ho_Chi_Minh")
    hourly = {}
    for pid in summary.loc[summary["park_id"] != PROVINCE, "park_id"]:
        path = folder / "parks" / f"{safe_name(pid)}.csv"
        if not path.is_file():
            raise UsageError(f"{path}: hourly file of park {pid!r} missing from the results folder")
        hourly[pid] = _read_hourly(path, tz)
    tables = {}
    absent = []
    for sub, files in (("analysis", ANALYSIS_FILES), ("assumptions", ASSUMPTION_FILES)):
        for attr, name in files.items():
            path = folder / sub / name
            if path.is_file():
                tables[attr] = (read_csv(path) if sub == "analysis" else
                                read_csv(path, keep_default_na=False, na_values=[""]))
            else:
                absent.append(f"{sub}/{name}")
    for attr, name in GRID_FILES.items():
        path = folder / "grid" / name
        if not path.is_file():
            absent.append(f"grid/{name}")
        elif attr == "grid_hourly":
            tables[attr] = _read_hourly(path, tz)
        else:
            tables[attr] = read_csv(path, keep_default_na=False, na_values=[""])
    if "grid_substations" in tables and "headroom_known" in tables["grid_substations"]:
        tables["grid_substations"]["headroom_known"] = _bools(
            tables["grid_substations"]["headroom_known"])
    if (folder / RULES_COMPARISON).is_file():
        tables["rules_comparison"] = read_csv(folder / RULES_COMPARISON, keep_default_na=False,
                                              na_values=[""])
    else:
        absent.append(RULES_COMPARISON)
    for attr, name in MILESTONE_FILES.items():
        if (folder / name).is_file():
            tables[attr] = read_csv(folder / name, keep_default_na=False, na_values=[""])
            tables[attr]["park_id"] = tables[attr]["park_id"].astype(str)
        else:
            absent.append(name)
    return Results(folder=folder, summary=summary, hourly=hourly, run=run, missing=absent,
                   **tables)


def supply_split(hourly: pd.DataFrame) -> pd.DataFrame:
    """Split each hour's load by where it came from [kW].

    The battery's discharge meets the load first (less any part of it that is exported),
    then on-site output kept on site (generation − curtailment − export), shared between
    PV and wind in proportion to their available output; only what is left of that output
    charges the battery, and the grid supplies the rest of the load (its import less
    what charges the battery). So that

    ``pv_to_load + wind_to_load + battery_to_load + grid_to_load + unmet = load``.

    Parameters
    ----------
    hourly : pandas.DataFrame
        Hourly flows [kW]: ``load_kw, pv_kw, wind_kw, curtailment_kw, battery_charge_kw,
        battery_discharge_kw, grid_import_kw, grid_export_kw, unmet_kw``.

    Returns
    -------
    pandas.DataFrame
        ``pv_to_load_kw, wind_to_load_kw, battery_to_load_kw, grid_to_load_kw,
        unmet_kw, load_kw, export_kw, curtailment_kw, battery_charge_kw`` [kW].
    """
    h = hourly
    zero = 0.0 * h["load_kw"]
    pv, wind, unmet = h.get("pv_kw", zero), h.get("wind_kw", zero), h.get("unmet_kw", zero)
    gen = pv + wind
    kept_raw = gen - h["curtailment_kw"] - h["grid_export_kw"]
    kept = kept_raw.clip(lower=0.0)
    battery_export = (-kept_raw).clip(lower=0.0)  # export beyond on-site output: from the battery
    battery_to_load = h["battery_discharge_kw"] - battery_export
    direct = np.minimum(kept, (h["load_kw"] - battery_to_load - unmet).clip(lower=0.0))
    share_pv = (pv / gen.where(gen > 0)).fillna(0.0)
    return pd.DataFrame({
        "pv_to_load_kw": direct * share_pv,
        "wind_to_load_kw": direct * (1.0 - share_pv),
        "battery_to_load_kw": battery_to_load,
        "grid_to_load_kw": h["load_kw"] - battery_to_load - unmet - direct,
        "unmet_kw": unmet,
        "load_kw": h["load_kw"],
        "export_kw": h["grid_export_kw"],
        "curtailment_kw": h["curtailment_kw"],
        "battery_charge_kw": h["battery_charge_kw"],
    }, index=h.index)
