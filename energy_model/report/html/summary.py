"""The summary for decision makers: key numbers of the province, a few sentences, the
province figures and a table of the parks."""

from __future__ import annotations

import math

from energy_model.report import executive as ex
from energy_model.report.html.assumptions import emission_factor_used
from energy_model.report.html.common import FigureFile, _f, esc, figure_html, table_html
from energy_model.report.i18n import MISSING, Translator
from energy_model.report.load import Results
from energy_model.report.plots import evening_window, province_hourly

#: province figures of the summary, in order (the weather check goes to the methods)
SUMMARY_FIGURES = ("map", "capacity_mix", "energy_by_source", "coincident_peak", "tornado",
                   "frontier")


def key_numbers(res: Results) -> dict:
    """The province's headline numbers from the summary and the hourly files."""
    p = res.province
    parks = res.parks
    out = {k: _f(p.get(k)) for k in (
        "load_gwh", "pv_mwp", "pv_rooftop_mwp", "pv_ground_mwp", "pv_floating_mwp", "wind_mw",
        "battery_mwh", "battery_mw", "self_sufficiency_pct", "peak_import_before_mw",
        "peak_import_after_mw", "evening_import_before_gwh", "evening_import_after_gwh",
        "annual_saving_billion_vnd", "capex_billion_vnd", "npv_billion_vnd", "co2_avoided_kt",
        "grid_import_gwh", "grid_export_gwh", "curtailment_gwh", "annual_cost_billion_vnd",
        "grid_only_cost_billion_vnd")}
    out["n_parks"] = len(parks)
    out["n_kcn"] = int((parks["kind"] == "KCN").sum())
    out["n_kkt"] = int((parks["kind"] == "KKT").sum())
    out["evening_peak_before_mw"] = out["evening_peak_after_mw"] = math.nan
    out["peak_before_hour"] = ex.timestamp(res, p.get("peak_import_before_hour"))
    out["peak_after_hour"] = ex.timestamp(res, p.get("peak_import_after_hour"))
    if res.park_ids:
        prov = province_hourly(res) / 1000.0
        if out["peak_before_hour"] is None:  # folders written before the hours were
            out["peak_before_hour"] = prov["load_kw"].idxmax()
        if out["peak_after_hour"] is None:
            out["peak_after_hour"] = prov["grid_import_kw"].idxmax()
        ev = evening_window(res, prov.index) > 0
        if ev.any():
            out["evening_peak_before_mw"] = float(prov["load_kw"][ev].max())
            out["evening_peak_after_mw"] = float(prov["grid_import_kw"][ev].max())
    return out


def card(label: str, value: str, detail: str = "") -> str:
    d = f'<div class="detail">{esc(detail)}</div>' if detail else ""
    return (f'<div class="card"><div class="label">{esc(label)}</div>'
            f'<div class="value">{esc(value)}</div>{d}</div>')


def _change(tr: Translator, before: float, after: float) -> str:
    if not (math.isfinite(before) and math.isfinite(after)) or before == 0:
        return MISSING
    return tr.pct(100 * (after - before) / before, 1, sign=True)


def summary_section(res: Results, tr: Translator, figures: dict[str, FigureFile]) -> str:
    k = key_numbers(res)
    sc = res.scenario
    econ = sc.get("economics", {})
    num = tr.num
    cards = [
        card(tr("summary.card.load"), f"{tr.num(k['load_gwh'], 1)} GWh",
             tr("summary.card.load_detail", n=k["n_parks"], kcn=k["n_kcn"], kkt=k["n_kkt"])),
        card(tr("summary.card.pv"), f"{tr.num(k['pv_mwp'], 1)} MWp",
             tr("summary.card.pv_detail", rooftop=tr.num(k["pv_rooftop_mwp"], 1),
                ground=tr.num(k["pv_ground_mwp"], 1), floating=tr.num(k["pv_floating_mwp"], 1))),
        card(tr("summary.card.wind"), f"{tr.num(k['wind_mw'], 1)} MW"),
        card(tr("summary.card.battery"), f"{tr.num(k['battery_mwh'], 1)} MWh",
             tr("summary.card.battery_detail", mw=tr.num(k["battery_mw"], 1))),
        card(tr("summary.card.self_sufficiency"), tr.pct(k["self_sufficiency_pct"], 1),
             tr("summary.card.self_sufficiency_detail")),
        card(tr("summary.card.peak"),
             f"{num(k['peak_import_before_mw'], 1)} → {num(k['peak_import_after_mw'], 1)} MW",
             tr("summary.card.peak_detail",
                hour_before=ex.hour_label(tr, k["peak_before_hour"]),
                hour_after=ex.hour_label(tr, k["peak_after_hour"]),
                change=_change(tr, k["peak_import_before_mw"], k["peak_import_after_mw"]))),
        card(tr("summary.card.evening"),
             f"{num(k['evening_peak_before_mw'], 1)} → {num(k['evening_peak_after_mw'], 1)} MW",
             tr("summary.card.evening_detail", before=tr.num(k["evening_import_before_gwh"], 1),
                after=tr.num(k["evening_import_after_gwh"], 1))),
        card(tr("summary.card.saving"), tr.billion(k["annual_saving_billion_vnd"]),
             tr("summary.card.saving_detail")),
        card(tr("summary.card.capex"), tr.billion(k["capex_billion_vnd"])),
        card(tr("summary.card.npv"), tr.billion(k["npv_billion_vnd"]),
             tr("summary.card.npv_detail", years=econ.get("lifetime_years", MISSING),
                rate=tr.pct(100 * _f(econ.get("discount_rate_real")), 1))),
        card(tr("summary.card.co2"),
             tr("summary.card.co2_value", value=tr.num(k["co2_avoided_kt"], 1))),
    ]
    ef, _ = emission_factor_used(res)
    text = [
        tr("summary.lead", year=sc.get("year", MISSING), n=k["n_parks"], kcn=k["n_kcn"],
           kkt=k["n_kkt"], load=tr.num(k["load_gwh"], 1),
           peak=tr.num(k["peak_import_before_mw"], 1)),
        tr("summary.design", pv=tr.num(k["pv_mwp"], 1), wind=tr.num(k["wind_mw"], 1),
           battery=tr.num(k["battery_mwh"], 1), share=tr.pct(k["self_sufficiency_pct"], 1)),
        tr("summary.grid", before=tr.num(k["peak_import_before_mw"], 1),
           after=tr.num(k["peak_import_after_mw"], 1),
           hour_before=ex.hour_label(tr, k["peak_before_hour"]),
           hour_after=ex.hour_label(tr, k["peak_after_hour"]),
           change=_change(tr, k["peak_import_before_mw"], k["peak_import_after_mw"]),
           ev_before=tr.num(k["evening_import_before_gwh"], 1),
           ev_after=tr.num(k["evening_import_after_gwh"], 1)),
        tr("summary.money", capex=tr.billion(k["capex_billion_vnd"]),
           saving=tr.billion(k["annual_saving_billion_vnd"]),
           life=econ.get("lifetime_years", MISSING), npv=tr.billion(k["npv_billion_vnd"])),
        tr("summary.co2", co2=tr.num(k["co2_avoided_kt"], 1), ef=tr.num(ef, 4)),
    ]
    parts = [f'<section id="summary"><h2>{esc(tr("section.summary"))}</h2>',
             '<div class="cards">' + "".join(cards) + "</div>",
             "".join(f"<p>{esc(t)}</p>" for t in text)]
    for stem in SUMMARY_FIGURES:
        if stem in figures:
            parts.append(figure_html(figures[stem]))
    parts.append(f"<h3>{esc(tr('summary.table_title'))}</h3>")
    parts.append(parks_table(res, tr))
    parts.append("</section>")
    return "\n".join(parts)


def parks_table(res: Results, tr: Translator) -> str:
    cols = [("name", None), ("kind", None), ("load_gwh", 1), ("peak_load_mw", 1), ("pv_mwp", 1),
            ("wind_mw", 1), ("battery_mwh", 1), ("self_sufficiency_pct", 1),
            ("peak_import_before_mw", 1), ("peak_import_after_mw", 1),
            ("annual_saving_billion_vnd", 1), ("npv_billion_vnd", 1), ("payback_yr", 1)]
    header = [tr(f"col.{c}") for c, _ in cols]
    rows = []
    for _, r in res.summary.iterrows():
        row = []
        for c, d in cols:
            v = r.get(c)
            if c == "name" and r["park_id"] == "PROVINCE":
                row.append(tr("plot.province"))
            elif c == "kind":
                row.append(tr(f"kind.{v}") if tr.has(f"kind.{v}") else str(v))
            elif d is None:
                row.append(str(v))
            else:
                row.append(tr.num(v, d))
        rows.append(row)
    return table_html(header, rows, numeric=set(range(2, len(cols))))
