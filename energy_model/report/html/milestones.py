"""The milestones section: the scenario in 2050 and its 2025 → 2030 → 2050 build-out
pathway (issue 17 item 8), read from ``milestones/2050/summary.csv`` and
``pathway/{milestones,schedule}.csv`` (written by ``energy-model run --milestones``)."""

from __future__ import annotations

import pandas as pd

from energy_model.report.html.common import _f, code, esc, message, table_html
from energy_model.report.i18n import Translator
from energy_model.report.load import MILESTONE_FILES, PROVINCE, Results

#: province columns of the milestones table: (column, decimals)
COLUMNS = (("load_gwh", 0), ("pv_mwp", 1), ("wind_mw", 1), ("battery_mwh", 1),
           ("self_sufficiency_pct", 1), ("peak_import_after_mw", 1),
           ("annual_cost_billion_vnd", 1), ("co2_avoided_kt", 1))


def _province(df: pd.DataFrame | None, year: int | None = None) -> pd.Series | None:
    """The PROVINCE row of a summary (of one ``year`` of a pathway table)."""
    if df is None:
        return None
    rows = df[df["park_id"] == PROVINCE]
    if year is not None:
        rows = rows[rows["year"] == year]
    return None if rows.empty else rows.iloc[0]


def milestone_rows(res: Results) -> list[tuple[str, int, pd.Series]]:
    """``(case key, year, PROVINCE row)`` of this run, the 2050 run and each pathway
    milestone; a pathway's annual cost includes the annuities of earlier builds."""
    out = []
    year = int(_f(res.scenario.get("year")))
    out.append(("run", year, res.province))
    far = _province(res.far_summary)
    if far is not None:
        out.append(("far", 2050, far))
    pm = res.pathway_milestones
    if pm is not None:
        for y in sorted(pm["year"].unique()):
            row = _province(pm, y).copy()
            if "total_annual_cost_billion_vnd" in row.index:
                row["annual_cost_billion_vnd"] = row["total_annual_cost_billion_vnd"]
            out.append(("pathway", int(y), row))
    return out


def _table(tr: Translator, rows: list[tuple[str, int, pd.Series]]) -> str:
    header = [esc(tr("milestones.col.case")), esc(tr("milestones.col.year"))] + [
        esc(tr(f"milestones.col.{c}")) for c, _ in COLUMNS]
    body = [[esc(tr(f"milestones.case.{case}")), esc(str(y))]
            + [esc(tr.num(r.get(c), d)) for c, d in COLUMNS] for case, y, r in rows]
    return table_html(header, body, numeric=set(range(1, 2 + len(COLUMNS))), raw=True)


def headline(res: Results, tr: Translator) -> str:
    """The 2050 and pathway headlines in one paragraph (HTML)."""
    parts = []
    far = _province(res.far_summary)
    if far is not None:
        parts.append(message(tr, "milestones.far", pv=tr.num(far.get("pv_mwp"), 1),
                             battery=tr.num(far.get("battery_mwh"), 1),
                             ss=tr.pct(far.get("self_sufficiency_pct"), 1),
                             load=tr.num(far.get("load_gwh"), 0),
                             npv=tr.billion(far.get("npv_billion_vnd"))))
    pm = res.pathway_milestones
    if pm is not None:
        years = sorted(pm["year"].unique())
        pv = [tr.num(_province(pm, y).get("pv_mwp"), 1) for y in years]
        ss = [tr.pct(_province(pm, y).get("self_sufficiency_pct"), 1) for y in years]
        parts.append(message(tr, "milestones.pathway",
                             years=" → ".join(str(y) for y in years), pv=" → ".join(pv),
                             ss=" → ".join(ss)))
    return "<p>" + " ".join(parts) + "</p>" if parts else ""


def milestones_section(res: Results, tr: Translator) -> str:
    """The section; a note with the command to run when the folder lacks the tables."""
    parts = [f'<section id="milestones"><h2>{esc(tr("section.milestones"))}</h2>']
    if res.far_summary is None and res.pathway_milestones is None:
        note = message(tr, "milestones.missing",
                       files=code(", ".join(MILESTONE_FILES.values())),
                       command=code("energy-model run --milestones"))
        parts.append(f'<p class="note">{note}</p></section>')
        return "\n".join(parts)
    parts += [f"<p>{esc(tr('milestones.intro'))}</p>", headline(res, tr),
              _table(tr, milestone_rows(res)), "</section>"]
    return "\n".join(parts)
