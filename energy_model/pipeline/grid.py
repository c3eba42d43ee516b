"""Grid pressure of a run (issue 15): :func:`grid_pressure` and the ``grid/*.csv`` tables.

Every figure compares the grid-only case (import = load) with the dispatch *at the same
hours*. The evening window comes from the tariff frame in force
(:func:`energy_model.tariff.evening_peak_share`), never from a clock written here. A
substation whose firm rating is not known (NF) has unknown headroom: the park's own peak
never stands in for it. Shortages are MW cuts with the grid up (the shipped 6/6/2023
schedule), not blackouts.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from energy_model import metrics as mt
from energy_model import tariff as tf
from energy_model.pipeline.evaluate import PARK_CUT_SCHEDULE
from energy_model.pipeline.types import GridPressure, ParkResult
from energy_model.scenario import Scenario
from energy_model.substations import load_substations

HEADLINE_EXTRA = ["tariff", "frame", "kkt_metering"]
SUBSTATION_COLUMNS = ["group", "name", "parks", "rating_mva", "firm_mva", "mark",
                      "coincident_import_before_mw", "coincident_import_after_mw",
                      "hours_over_firm_before_h", "hours_over_firm_after_h", "headroom_known"]
REVERSE_COLUMNS = ["scope", "id", "export_hours_h", "export_max_mw", "export_gwh",
                   "curtailment_gwh"]
CUT_COLUMNS = ["scope", "id", "schedule", "cut_mwh", "covered_mwh", "shed_mwh"]


def park_substations(parks: Mapping[str, ParkResult]) -> dict[str, str | None]:
    """Park id → id of the 110 kV substation serving it (``parks[].grid.substation``)."""
    return {pid: p.inputs.park.grid.substation for pid, p in parks.items()}


def _dispatches(parks: Mapping[str, ParkResult]) -> dict[str, pd.DataFrame]:
    return {pid: p.sizing.dispatch for pid, p in parks.items()}


def province_hourly(dispatches: Mapping[str, pd.DataFrame], groups: Mapping[str, str | None],
                    tariff: str) -> pd.DataFrame:
    """``grid/province_hourly.csv``: provincial and per-substation-group import [MW].

    Columns ``province_import_before_mw`` (Σ load: grid-only), ``province_import_after_mw``
    (Σ import), ``province_export_mw`` (Σ export), ``evening_share`` (share of the hour
    inside the evening window of ``tariff``'s frame, 0..1), then per group ``g``
    ``<g>_import_before_mw`` and ``<g>_import_after_mw``; index ``time``.
    """
    first = next(iter(dispatches.values()))
    index = first.index
    total = {c: sum(d[c].to_numpy(dtype=float) for d in dispatches.values()) / 1000.0
             for c in ("load_kw", "grid_import_kw", "grid_export_kw")}
    out = pd.DataFrame({"province_import_before_mw": total["load_kw"],
                        "province_import_after_mw": total["grid_import_kw"],
                        "province_export_mw": total["grid_export_kw"],
                        "evening_share": tf.evening_peak_share(index, tariff).to_numpy(float)},
                       index=index)
    by_group: dict[str, list[str]] = {}
    for pid in dispatches:
        by_group.setdefault(groups.get(pid) or f"unmapped:{pid}", []).append(pid)
    for g, members in by_group.items():
        out[f"{g}_import_before_mw"] = sum(
            dispatches[p]["load_kw"].to_numpy(dtype=float) for p in members) / 1000.0
        out[f"{g}_import_after_mw"] = sum(
            dispatches[p]["grid_import_kw"].to_numpy(dtype=float) for p in members) / 1000.0
    out.index.name = "time"
    return out


def grid_pressure(scenario: Scenario, parks: Mapping[str, ParkResult]) -> GridPressure:
    """Evening firm contribution, relief at the peak hour, substation groups, reverse flow
    and MW cuts of a run's parks (all on one hourly index).

    Parameters
    ----------
    scenario : Scenario
        The run's scenario: its tariff gives the evening window; ``kkt_metering`` is
        reported.
    parks : mapping of str to ParkResult

    Returns
    -------
    GridPressure
    """
    tariff = scenario.tariff.name
    frame = tf.get_tariff(tariff).frame.name
    dispatches = _dispatches(parks)
    groups = park_substations(parks)
    subs = load_substations()
    schedules, default = mt.load_cut_schedules()
    headline = mt.grid_pressure_headline(dispatches, tariff, groups, cuts=schedules[default])
    headline.update(tariff=tariff, frame=frame, kkt_metering=scenario.kkt_metering)
    cuts = {name: mt.shortage_cuts(dispatches, schedules[name], tz=scenario.timezone)
            for name in dict.fromkeys([default, PARK_CUT_SCHEDULE]) if name in schedules}
    table = mt.substation_groups(dispatches, groups, subs)
    return GridPressure(
        tariff=tariff, frame=frame, kkt_metering=scenario.kkt_metering, headline=headline,
        evening=mt.evening_firm_contribution(dispatches, tariff),
        relief=mt.relief_at_peak_hour(dispatches), substations=table,
        substation_names={g: (subs[g].name if g in subs else "") for g in table.index},
        reverse=mt.reverse_flow(dispatches, groups), cuts=cuts, cut_schedule=default,
        province_hourly=province_hourly(dispatches, groups, tariff))


# ------------------------------------------------------------------------------- tables

def headline_table(gp: GridPressure) -> pd.DataFrame:
    """``grid/headline.csv``: one row, the headline + ``tariff``, ``frame``, ``kkt_metering``."""
    return pd.DataFrame([gp.headline])


def substations_table(gp: GridPressure) -> pd.DataFrame:
    """``grid/substations.csv``: one row per substation group.

    ``coincident_import_before_mw`` / ``_after_mw`` are the group's highest coincident
    import over the year, grid-only and with the systems (each at its own hour; the
    same-hour series are in ``province_hourly.csv``). Ratings, firm capacity and hours over
    firm are empty and ``headroom_known`` false where the firm rating is NF.
    """
    subs = load_substations()
    rows = []
    for g, r in gp.substations.iterrows():
        s = subs.get(g)
        known = bool(np.isfinite(r["firm_mw"]))
        rows.append({
            "group": g, "name": gp.substation_names.get(g, ""),
            "parks": " ".join(str(r["parks"]).split(",")),
            "rating_mva": np.nan if s is None or s.rating_mva is None else s.rating_mva,
            "firm_mva": np.nan if s is None or s.firm_mva is None else s.firm_mva,
            "mark": r["firm_mark"],
            "coincident_import_before_mw": r["peak_import_before_mw"],
            "coincident_import_after_mw": r["peak_import_after_mw"],
            "hours_over_firm_before_h": r["n1_exceed_hours_before_h"] if known else np.nan,
            "hours_over_firm_after_h": r["n1_exceed_hours_after_h"] if known else np.nan,
            "headroom_known": known})
    return pd.DataFrame(rows, columns=SUBSTATION_COLUMNS)


def reverse_flow_table(gp: GridPressure) -> pd.DataFrame:
    """``grid/reverse_flow.csv``: export hours, peak and energy, and curtailment, per park,
    per substation group (Σ of its parks' export) and province-wide."""
    rf = gp.reverse
    rows = [{"scope": "park", "id": pid, "export_hours_h": r["export_hours_h"],
             "export_max_mw": r["export_max_mw"], "export_gwh": r["export_mwh"] / 1000,
             "curtailment_gwh": r["curtailment_mwh"] / 1000} for pid, r in rf.parks.iterrows()]
    rows += [{"scope": "group", "id": g, "export_hours_h": r["export_hours_h"],
              "export_max_mw": r["export_max_mw"], "export_gwh": r["export_mwh"] / 1000,
              "curtailment_gwh": r["curtailment_mwh"] / 1000} for g, r in rf.groups.iterrows()]
    rows.append({"scope": "province", "id": "PROVINCE",
                 "export_hours_h": rf.province_export_hours_h,
                 "export_max_mw": rf.province_export_max_mw,
                 "export_gwh": rf.province_export_mwh / 1000,
                 "curtailment_gwh": rf.province_curtailment_mwh / 1000})
    return pd.DataFrame(rows, columns=REVERSE_COLUMNS)


def cuts_table(gp: GridPressure) -> pd.DataFrame:
    """``grid/cuts.csv``: MWh cut, covered by on-site supply and shed, per cut scope
    (``province`` or a park) and schedule (the default 6/6/2023 schedule first)."""
    rows = []
    for name, res in gp.cuts.items():
        for scope, r in res.scopes.iterrows():
            rows.append({"scope": "province" if scope == "province" else "park",
                         "id": "PROVINCE" if scope == "province" else scope, "schedule": name,
                         "cut_mwh": r["cut_mwh"], "covered_mwh": r["covered_mwh"],
                         "shed_mwh": r["shed_mwh"]})
    return pd.DataFrame(rows, columns=CUT_COLUMNS)
