"""The HTML report: one self-contained file, images embedded, no network, two languages.

Order: the executive summary (grid-pressure decision numbers with their ranges across rule
sets, the parks to build first, caveats, grid figures and tables: :mod:`.executive`), the
summary for decision makers (key numbers of the province, a few sentences,
the province figures and a table of the parks), one section per park, then methods and
assumptions: quality marks of every sourced figure, tariffs, costs, the emission factor,
the weather check, the run's provenance and a bilingual glossary.

Text written by people outside this program (source notes in scenario and data files,
the run log) is quoted verbatim and tagged with ``lang="en"``; everything else comes
from the message catalogs (:mod:`energy_model.report.i18n`).
"""

from __future__ import annotations

import base64
import html
import math
import re
from dataclasses import dataclass
from string import Template

import numpy as np
import pandas as pd

from energy_model import __version__
from energy_model.paths import PACKAGE_DIR
from energy_model.report import executive as ex
from energy_model.report.i18n import MISSING, Translator
from energy_model.report.load import RULES_COMPARISON, Results
from energy_model.report.plots import evening_window, province_hourly

TEMPLATE = PACKAGE_DIR / "report" / "templates" / "report.html"
#: province figures of the summary, in order (the weather check goes to the methods)
SUMMARY_FIGURES = ("map", "capacity_mix", "energy_by_source", "coincident_peak", "tornado",
                   "frontier")
#: grid-pressure figures of the executive summary, in order
EXECUTIVE_FIGURES = ("grid_same_hour", "grid_evening_duration", "grid_reverse_flow")


@dataclass
class FigureFile:
    """A rendered figure for the report.

    Attributes
    ----------
    stem : str
        File stem under ``plots/``.
    park_id : str or None
        The park of a park figure.
    png : bytes
        The PNG image.
    title, caption : str
        Title and one-line caption, in the report's language.
    """

    stem: str
    park_id: str | None
    png: bytes
    title: str
    caption: str


def esc(text) -> str:
    """HTML-escaped text."""
    return html.escape(str(text), quote=True)


class Raw(str):
    """Text that is already HTML (inserted by :func:`message` without escaping)."""


def code(text) -> Raw:
    """An identifier (file, scenario or station name) shown as code."""
    return Raw(f"<code>{esc(text)}</code>")


def message(tr: Translator, key: str, **values) -> str:
    """A catalog message as HTML: its text escaped, :class:`Raw` values kept as HTML."""
    return esc(tr(key)).format(**{k: v if isinstance(v, Raw) else esc(v)
                                  for k, v in values.items()})


def _f(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def verbatim(text: str, lang: str) -> str:
    """Text quoted as written by its author (English), tagged so."""
    if not text:
        return ""
    return f'<span class="verbatim" lang="en">{esc(text)}</span>'


def figure_html(fig: FigureFile) -> str:
    """A ``<figure>`` with the PNG embedded as a data URI."""
    data = base64.b64encode(fig.png).decode("ascii")
    return (f'<figure id="fig-{esc(fig.stem)}"><img src="data:image/png;base64,{data}" '
            f'alt="{esc(fig.title)}"><figcaption class="visually-hidden">{esc(fig.caption)}'
            "</figcaption></figure>")


def table_html(header: list[str], rows: list[list[str]], numeric: set[int] = frozenset(),
               raw: bool = False) -> str:
    """An HTML table; cells are escaped unless ``raw`` (already HTML)."""
    def cell(tag, i, v):
        cls = ' class="num"' if i in numeric else ""
        return f"<{tag}{cls}>{v if raw else esc(v)}</{tag}>"

    head = "".join(cell("th", i, esc(h) if raw else h) for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(r)) + "</tr>"
                   for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def mark_html(tr: Translator, mark: str) -> str:
    m = esc(mark or "NF")
    return f'<span class="mark mark-{m}" title="{esc(tr.mark(mark))}">{m}</span>'


# --------------------------------------------------------------------------- executive summary

def _decision(label: str, value: str, details: list[str]) -> str:
    """A decision-number card; ``details`` are HTML lines (already escaped)."""
    d = "".join(f'<div class="detail">{x}</div>' for x in details if x)
    return (f'<div class="card decision"><div class="label">{esc(label)}</div>'
            f'<div class="value">{esc(value)}</div>{d}</div>')


def _range_line(tr: Translator, res: Results, column: str, fmt) -> str:
    """'Across n rule sets: low (rule) to high (rule)', or '' without a comparison."""
    r = ex.rule_range(res, column)
    if r is None:
        return ""
    return message(tr, "exec.range", n=r.n, low=fmt(r.low), low_rule=code(r.low_rule),
                   high=fmt(r.high), high_rule=code(r.high_rule))


def _outside_evening(res: Results, tr: Translator) -> str:
    """A warning when the grid-only peak hour lies outside the evening window: its relief
    is midday relief, not evening relief."""
    h = res.grid_hourly
    if h is None or "evening_share" not in h:
        return ""
    ts = ex.timestamp(res, (ex.headline(res) or {}).get("peak_hour"))
    if ts is None or ts not in h.index or float(h.loc[ts, "evening_share"]) > 0:
        return ""
    return message(tr, "exec.relief.outside_evening")


def decision_cards(res: Results, tr: Translator) -> str:
    """The 4–5 decision numbers of the province, each with its range across rule sets."""
    h = ex.headline(res) or {}
    p = res.province
    num = tr.num

    def mw(v):
        return f"{num(v, 1)} MW"

    def hour(key):
        return ex.hour_label(tr, ex.timestamp(res, h.get(key)))

    cards = []
    cards.append(_decision(
        tr("exec.evening.label"), mw(h.get("evening_firm_contribution_mw")),
        [message(tr, "exec.evening.detail", n=num(h.get("evening_top_n"), 0),
                 window=h.get("evening_window", MISSING), frame=code(h.get("frame", MISSING)),
                 before=num(h.get("evening_mean_import_before_mw"), 1),
                 after=num(h.get("evening_mean_import_after_mw"), 1)),
         _range_line(tr, res, "evening_firm_contribution_mw", mw)]))
    cards.append(_decision(
        tr("exec.relief.label"), mw(h.get("relief_at_peak_hour_mw")),
        [message(tr, "exec.relief.detail", hour=hour("peak_hour"),
                 before=num(h.get("import_at_peak_hour_before_mw"), 1),
                 after=num(h.get("import_at_peak_hour_after_mw"), 1)),
         message(tr, "exec.relief.peak_to_peak", before=num(h.get(
             "import_at_peak_hour_before_mw"), 1), hour_before=hour("peak_hour"),
                 after=num(h.get("peak_after_mw"), 1), hour_after=hour("peak_after_hour")),
         _outside_evening(res, tr),
         _range_line(tr, res, "relief_at_peak_hour_mw", mw)]))
    cards.append(_decision(
        tr("exec.reverse.label"), mw(h.get("export_max_mw")),
        [message(tr, "exec.reverse.detail", hour=hour("export_max_hour"),
                 threshold=num(h.get("export_threshold_mw"), 0),
                 above=num(h.get("export_hours_above_threshold_h"), 0),
                 hours=num(h.get("export_hours_h"), 0), gwh=num(h.get("export_gwh"), 1)),
         _range_line(tr, res, "export_max_mw", mw)]))
    cards.append(_decision(
        tr("exec.money.label"), tr.billion(p.get("npv_billion_vnd")),
        [message(tr, "exec.money.detail", pv=num(p.get("pv_mwp"), 1),
                 battery=num(p.get("battery_mwh"), 1)),
         _range_line(tr, res, "npv_billion_vnd", tr.billion),
         _range_line(tr, res, "pv_mwp", lambda v: f"{num(v, 1)} MWp"),
         _range_line(tr, res, "battery_mwh", lambda v: f"{num(v, 1)} MWh")]))
    cards.append(_decision(
        tr("exec.co2.label"), tr("summary.card.co2_value", value=num(p.get("co2_avoided_kt"), 1)),
        [_range_line(tr, res, "co2_avoided_kt", lambda v: f"{num(v, 1)} kt")]))
    return '<div class="cards">' + "".join(cards) + "</div>"


def rules_table(res: Results, tr: Translator) -> str:
    """The headline under each rule set (``rules_comparison.csv``)."""
    rc = res.rules_comparison
    cols = [("evening_firm_contribution_mw", 1), ("relief_at_peak_hour_mw", 1),
            ("export_max_mw", 1), ("pv_mwp", 1), ("battery_mwh", 1), ("npv_billion_vnd", 1)]
    cols = [(c, d) for c, d in cols if c in rc.columns]
    rows = [[code(r["rule_set"]),
             verbatim(r["description"] if isinstance(r.get("description"), str) else "",
                      tr.lang)]
            + [esc(tr.num(r[c], d)) for c, d in cols] for _, r in rc.iterrows()]
    header = [esc(tr("exec.col.rule_set")), esc(tr("exec.col.description"))] + [
        esc(tr(f"exec.col.{c}")) for c, _ in cols]
    return table_html(header, rows, numeric=set(range(2, 2 + len(cols))), raw=True)


def ranking_table(res: Results, tr: Translator) -> str:
    """The parks ranked by evening relief per cost, with NPV per MWp and its rank."""
    rk = ex.build_here_first(res)
    rows = []
    for pid, r in rk.iterrows():
        rows.append([tr.num(r["rank_relief"], 0) if r["rank_relief"] else MISSING, r["name"],
                     tr.num(r["evening_relief_mwh"], 0),
                     tr.num(r["annualised_cost_billion_vnd"], 2),
                     tr.num(r["relief_per_cost_mwh_per_billion_vnd"], 1),
                     tr.num(r["npv_per_mwp_billion_vnd"], 2),
                     tr.num(r["rank_npv"], 0) if r["rank_npv"] else MISSING])
    header = [tr(f"exec.rank.{c}") for c in ("rank", "park", "relief", "cost", "per_cost",
                                              "npv_per_mwp", "rank_npv")]
    return table_html(header, rows, numeric={0, 2, 3, 4, 5, 6})


def substations_table(res: Results, tr: Translator) -> str:
    """Coincident import and N-1 exceedance hours per substation group (``grid/
    substations.csv``); unknown, never the park's own peak, where the rating is NF."""
    subs = res.grid_substations
    names = res.parks["name"].astype(str).to_dict()
    rows = []
    for _, r in subs.iterrows():
        known = bool(r.get("headroom_known", False))
        hours = [tr.num(r.get(c), 0) if known else tr("exec.sub.unknown")
                 for c in ("hours_over_firm_before_h", "hours_over_firm_after_h")]
        parks = ", ".join(names.get(p, p) for p in re.split(r"[,\s]+", str(r.get("parks", "")))
                          if p and p != "nan")
        rows.append([esc(ex.group_label(res, tr, r["group"], r.get("name"))), esc(parks),
                     esc(tr.num(r.get("firm_mva"), 0)) + " " + mark_html(tr, str(r.get("mark"))),
                     esc(tr.num(r.get("coincident_import_before_mw"), 1)),
                     esc(tr.num(r.get("coincident_import_after_mw"), 1)),
                     esc(hours[0]), esc(hours[1])])
    header = [esc(tr(f"exec.sub.{c}")) for c in ("group", "parks", "firm", "before", "after",
                                                  "hours_before", "hours_after")]
    return table_html(header, rows, numeric={2, 3, 4, 5, 6}, raw=True)


def cuts_text(res: Results, tr: Translator) -> str:
    """The MW cuts with the grid up (``grid/cuts.csv``): cut, covered on site, still shed."""
    cuts = res.grid_cuts
    rows = [[tr("plot.province") if r["scope"] == "province" else
             str(res.parks["name"].get(r["id"], r["id"])), str(r["schedule"]),
             tr.num(r["cut_mwh"], 1), tr.num(r["covered_mwh"], 1), tr.num(r["shed_mwh"], 1)]
            for _, r in cuts.iterrows()]
    header = [tr(f"exec.cuts.{c}") for c in ("scope", "schedule", "cut", "covered", "shed")]
    return (f"<p>{esc(tr('exec.cuts.text'))}</p>"
            + table_html(header, rows, numeric={2, 3, 4}))


def caveats_list(res: Results, tr: Translator) -> str:
    c = ex.caveats(res)
    items = []
    if math.isfinite(c.pv_at_limit_pct):
        items.append(tr("exec.caveat.pv_limit", share=tr.pct(c.pv_at_limit_pct, 1),
                        mwp=tr.num(c.pv_at_limit_mwp, 1)))
    else:
        items.append(tr("exec.caveat.pv_limit_missing"))
    if c.uncertain_load_pct == 0:
        items.append(tr("exec.caveat.planned_none"))
    elif math.isfinite(c.uncertain_load_pct):
        names = ", ".join(str(res.parks.loc[p, "name"]) for p in c.uncertain_parks) or MISSING
        items.append(tr("exec.caveat.planned", share=tr.pct(c.uncertain_load_pct, 1),
                        planned=tr.pct(c.planned_load_pct, 1),
                        unverified=tr.pct(c.unverified_load_pct, 1), parks=names))
    else:
        items.append(tr("exec.caveat.planned_missing"))
    return "<ul>" + "".join(f"<li>{esc(t)}</li>" for t in items) + "</ul>"


def executive_section(res: Results, tr: Translator, figures: dict[str, FigureFile]) -> str:
    """The executive summary: decision numbers with their ranges across rule sets, the parks
    to build first, the caveats and the grid-pressure figures."""
    parts = [f'<section id="executive"><h2>{esc(tr("section.executive"))}</h2>']
    if res.grid_headline is None:
        note = message(tr, "exec.grid_missing", folder=code("grid/"),
                       command=code("energy-model run"))
        parts.append(f'<p class="note">{note}</p>')
    parts.append(decision_cards(res, tr))
    kkt = (ex.headline(res) or {}).get("kkt_metering")
    if isinstance(kkt, str) and kkt and (res.parks["kind"] == "KKT").any():
        key = f"exec.kkt.{kkt}"
        parts.append("<p>" + (esc(tr(key)) if tr.has(key) else
                              message(tr, "exec.kkt.other", value=code(kkt))) + "</p>")
    if res.rules_comparison is None:
        note = message(tr, "exec.no_rules", file=code(RULES_COMPARISON),
                       command=code("energy-model run --compare-rules"))
        parts.append(f'<p class="note">{note}</p>')
    else:
        parts += [f"<h3>{esc(tr('exec.rules_title'))}</h3>", rules_table(res, tr)]
    crf = ex.capital_recovery_factor(res)
    econ = res.scenario.get("economics", {})
    parts += [f"<h3>{esc(tr('exec.rank_title'))}</h3>",
              "<p>" + esc(tr("exec.rank_definition", crf=tr.num(crf, 4),
                             rate=tr.pct(100 * _f(econ.get("discount_rate_real")), 1),
                             years=econ.get("lifetime_years", MISSING))) + "</p>",
              ranking_table(res, tr),
              f"<h3>{esc(tr('exec.caveats_title'))}</h3>", caveats_list(res, tr)]
    parts += [figure_html(figures[s]) for s in EXECUTIVE_FIGURES if s in figures]
    if res.grid_substations is not None:
        parts += [f"<h3>{esc(tr('exec.sub.title'))}</h3>", substations_table(res, tr)]
    if res.grid_cuts is not None:
        parts += [f"<h3>{esc(tr('exec.cuts.title'))}</h3>", cuts_text(res, tr)]
    parts.append("</section>")
    return "\n".join(parts)


# --------------------------------------------------------------------------- summary

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


# --------------------------------------------------------------------------- parks

def park_section(res: Results, tr: Translator, pid: str, figures: list[FigureFile]) -> str:
    r = res.parks.loc[pid]
    ps = res.park_scenario(pid)
    yes_no = tr("word.yes") if bool(r.get("heritage_buffer")) else tr("word.no")
    facts = [
        (tr("park.kind"), tr(f"kind.{r['kind']}") if tr.has(f"kind.{r['kind']}") else r["kind"]),
        (tr("park.location"), tr("park.location_value", lat=tr.num(r["lat"], 3),
                                 lon=tr.num(r["lon"], 3))),
        (tr("park.area"), tr("park.area_value", area=tr.num(ps.get("area_ha"), 1),
                             occupancy=tr.pct(100 * _f(ps.get("occupancy")), 1),
                             year=ps.get("occupancy_year", MISSING))),
        (tr("park.weather"), code(r.get("weather", ""))),
        (tr("park.buffer"), yes_no),
        (tr("col.load_gwh"), tr.num(r["load_gwh"], 1)),
        (tr("col.peak_load_mw"), tr.num(r["peak_load_mw"], 1)),
        (tr("park.pv"), tr("park.pv_value", total=tr.num(r["pv_mwp"], 1),
                          rooftop=tr.num(r["pv_rooftop_mwp"], 1),
                          ground=tr.num(r["pv_ground_mwp"], 1),
                          floating=tr.num(r["pv_floating_mwp"], 1))),
        (tr("col.wind_mw"), tr.num(r["wind_mw"], 1)),
        (tr("park.battery"), tr("park.battery_value", mwh=tr.num(r["battery_mwh"], 1),
                               mw=tr.num(r["battery_mw"], 1))),
        (tr("col.self_sufficiency_pct"), tr.num(r["self_sufficiency_pct"], 1)),
        (tr("col.self_consumption_pct"), tr.num(r["self_consumption_pct"], 1)),
        (tr("park.peak"), tr("park.before_after", before=tr.num(r["peak_import_before_mw"], 1),
                            after=tr.num(r["peak_import_after_mw"], 1), unit="MW")),
        (tr("col.import_cap_mw"), tr.num(r["import_cap_mw"], 1)),
        (tr("col.hours_at_cap_h"), tr.num(r["hours_at_cap_h"], 0)),
        (tr("park.evening"), tr("park.before_after",
                                before=tr.num(r["evening_import_before_gwh"], 2),
                                after=tr.num(r["evening_import_after_gwh"], 2), unit="GWh")),
        (tr("park.annual_cost"), tr("park.before_after",
                                    before=tr.billion(r["grid_only_cost_billion_vnd"]),
                                    after=tr.billion(r["annual_cost_billion_vnd"]), unit="")),
        (tr("summary.card.saving"), tr.billion(r["annual_saving_billion_vnd"])),
        (tr("park.capex"), tr.billion(r["capex_billion_vnd"])),
        (tr("park.npv"), tr.billion(r["npv_billion_vnd"])),
        (tr("col.irr_real_pct"), tr.num(r["irr_real_pct"], 1)),
        (tr("col.payback_yr"), tr.num(r["payback_yr"], 1)),
        (tr("col.lcoe_vnd_per_kwh"), tr.num(r["lcoe_vnd_per_kwh"], 0)),
        (tr("col.lcos_vnd_per_kwh"), tr.num(r["lcos_vnd_per_kwh"], 0)),
        (tr("col.co2_avoided_kt"), tr.num(r["co2_avoided_kt"], 2)),
        (tr("col.critical_load_served_pct"), tr.num(r["critical_load_served_pct"], 1)),
    ]
    items = "".join(f"<li>{esc(a)}: <b>{b if isinstance(b, Raw) else esc(b)}</b></li>"
                    for a, b in facts)
    parts = [f'<section id="park-{esc(pid)}"><h3>{esc(r["name"])}</h3>',
             f'<ul class="park-facts">{items}</ul>']
    parts += [figure_html(f) for f in figures]
    parts.append("</section>")
    return "\n".join(parts)


# --------------------------------------------------------------------------- methods

def field_label(tr: Translator, key: str) -> str:
    """A readable label of a scenario field path, with the path itself in code."""
    for probe in (key, key.split(".")[0]):
        if tr.has(f"field.{probe}"):
            label = tr(f"field.{probe}")
            return f"{esc(label)} <code>{esc(key)}</code>"
    return f"<code>{esc(key)}</code>"


def sources_table(res: Results, tr: Translator) -> str:
    sc = res.scenario
    rows = []
    for key, s in sorted((sc.get("sources") or {}).items()):
        rows.append([esc(tr("plot.province")), field_label(tr, key), mark_html(tr, s.get("mark")),
                     verbatim(s.get("source", ""), tr.lang)])
    for p in sc.get("parks", []):
        for key, s in sorted((p.get("sources") or {}).items()):
            rows.append([esc(p.get("name", p.get("id"))), field_label(tr, key),
                         mark_html(tr, s.get("mark")), verbatim(s.get("source", ""), tr.lang)])
    if not rows:
        return f"<p>{esc(tr('methods.no_sources'))}</p>"
    header = [esc(tr("methods.col.scope")), esc(tr("methods.col.field")),
              esc(tr("methods.col.mark")), esc(tr("methods.col.source"))]
    return table_html(header, rows, raw=True)


def marks_legend(tr: Translator) -> str:
    rows = [[mark_html(tr, m), esc(tr.mark(m))] for m in ("S", "S2", "E", "NF", "user")]
    return table_html([esc(tr("methods.col.mark")), esc(tr("methods.col.meaning"))], rows, raw=True)


def _day_range(tr: Translator, days) -> str:
    days = sorted(int(d) for d in days)
    if not days:
        return MISSING
    if days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        return f"{tr(f'weekday.{days[0]}')}–{tr(f'weekday.{days[-1]}')}"
    return ", ".join(tr(f"weekday.{d}") for d in days)


def missing_table(tr: Translator, res: Results, name: str) -> str:
    """The note shown instead of a section whose assumption table the folder lacks."""
    return (f'<p class="note">'
            f"{message(tr, 'methods.assumption_missing', file=code('assumptions/' + name))}</p>")


def _hours(value: float) -> str:
    """Clock time of a decimal hour: 9.5 → ``09:30``."""
    minutes = int(round(float(value) * 60))
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def tariff_section(res: Results, tr: Translator) -> str:
    """The tariff the run used, from ``assumptions/tariff.csv`` and ``tou_frame.csv``."""
    sc = res.scenario
    name = sc.get("tariff", {}).get("name", MISSING)
    parts = [f"<h3>{esc(tr('methods.tariff'))}</h3>"]
    tou = res.tou_frame
    if tou is None:
        parts.append(missing_table(tr, res, "tou_frame.csv"))
    else:
        ev = tou[tou["period"] == "evening_peak"]
        evening = (f"{_hours(ev['start_h'].iloc[0])}–{_hours(ev['end_h'].iloc[0])}"
                   if len(ev) else MISSING)
        first = tou.iloc[0]
        parts.append(f"<p>{message(tr, 'methods.tariff_text', name=code(name), evening=evening)} "
                     f"{mark_html(tr, str(first['mark']))} "
                     f"{verbatim(str(first['source']), tr.lang)}</p>")
        weekdays = [int(d) for d in str(first["peak_weekdays"]).split()]
        windows = {}
        for _, r in tou[tou["period"] != "evening_peak"].iterrows():
            windows.setdefault((r["days"], r["period"]), []).append(
                f"{_hours(r['start_h'])}–{_hours(r['end_h'])}")
        rows = [[tr(f"period.{key}"),
                 ", ".join(windows.get(("peak_weekdays", key), [])) or MISSING,
                 ", ".join(windows.get(("other_days", key), [])) or MISSING]
                for key in ("peak", "normal", "offpeak")]
        other_days = [d for d in range(7) if d not in weekdays]
        parts.append(table_html([tr("methods.col.period"),
                                 tr("methods.days", days=_day_range(tr, weekdays)),
                                 tr("methods.days", days=_day_range(tr, other_days))], rows))
    prices = res.tariff
    if prices is None:
        parts.append(missing_table(tr, res, "tariff.csv"))
    else:
        price_rows = []
        for (customer, voltage), g in prices.groupby(["customer", "voltage"], sort=True):
            by = g.drop_duplicates("period").set_index("period")["price_vnd_per_kwh"]
            price_rows.append([tr(f"customer.{customer}"), tr(f"voltage.{voltage}")]
                              + [tr.num(by.get(p), 0) for p in ("offpeak", "normal", "peak")])
        parts.append(table_html([tr("methods.col.customer"), tr("methods.col.voltage"),
                                 tr("methods.col.price", period=tr("period.offpeak")),
                                 tr("methods.col.price", period=tr("period.normal")),
                                 tr("methods.col.price", period=tr("period.peak"))],
                                price_rows, numeric={2, 3, 4}))
        hours = prices.drop_duplicates("period").set_index("period")["hours"]
        parts.append("<p>" + esc(tr("methods.tariff_hours",
                                    **{p: tr.num(hours.get(p), 0)
                                       for p in ("offpeak", "normal", "peak")})) + "</p>")
    ex = sc.get("tariff", {}).get("export", {})
    parts.append("<p>" + esc(tr("methods.export_text",
                                price=tr.num(ex.get("price_vnd_per_kwh"), 1),
                                share=tr.pct(100 * _f(ex.get("cap_share")), 0),
                                basis=tr(f"methods.basis.{ex.get('basis', 'power')}"))) + "</p>")
    return "\n".join(parts)


def _unit(tr: Translator, unit: str) -> str:
    """A unit string in the report's language (VND → đồng, yr → năm)."""
    out = str(unit)
    for en_key in ("VND", "yr"):
        out = out.replace(en_key, tr(f"unit.{en_key}"))
    return out


def cost_value(tr: Translator, value: float, unit: str) -> str:
    if unit.startswith("VND/") and unit != "VND/USD":
        rest = _unit(tr, unit[len("VND"):])
        return tr.money(value, 2) + rest
    if unit == "1/yr":
        return tr.pct(100 * value, 2) + _unit(tr, "/yr")
    return f"{tr.num(value, 0 if float(value).is_integer() else 4)} {_unit(tr, unit)}"


def cost_label(tr: Translator, name: str) -> str:
    for suffix in ("replacement_interval", "replacement_cost", "throughput_cost", "fixed_om",
                   "capex", "life"):
        if name.endswith("_" + suffix):
            tech = name[: -len(suffix) - 1]
            t = tr(f"tech.{tech}") if tr.has(f"tech.{tech}") else tech
            return tr("methods.cost_item", tech=t, item=tr(f"cost.{suffix}"))
    return tr(f"cost.{name}") if tr.has(f"cost.{name}") else name


def costs_section(res: Results, tr: Translator) -> str:
    """The cost table the run used (``assumptions/costs.csv``), overrides marked ``user``."""
    body = [f"<h3>{esc(tr('methods.costs'))}</h3>", f"<p>{esc(tr('methods.costs_text'))}</p>"]
    if res.costs is None:
        return "\n".join(body + [missing_table(tr, res, "costs.csv")])
    rows = []
    for _, r in res.costs.iterrows():
        name, unit, value, mark = str(r["name"]), str(r["unit"]), float(r["value"]), str(r["mark"])
        rows.append([esc(cost_label(tr, name)) + f" <code>{esc(name)}</code>",
                     esc(cost_value(tr, value, unit)), mark_html(tr, mark),
                     verbatim(str(r.get("source", "")), tr.lang)])
    body.append(table_html([esc(tr("methods.col.item")), esc(tr("methods.col.value")),
                            esc(tr("methods.col.mark")), esc(tr("methods.col.source"))],
                           rows, raw=True))
    overrides = res.scenario.get("costs") or {}
    if overrides:
        orow = []
        for tech, o in sorted(overrides.items()):
            for k, v in sorted(o.items()):
                if v is not None:
                    orow.append([f"<code>{esc(tech)}.{esc(k)}</code>", esc(tr.num(v, 0)),
                                 mark_html(tr, "user")])
        body += [f"<p>{esc(tr('methods.cost_overrides'))}</p>",
                 table_html([esc(tr("methods.col.item")), esc(tr("methods.col.value")),
                             esc(tr("methods.col.mark"))], orow, raw=True)]
    return "\n".join(body)


def emission_factor_used(res: Results) -> tuple[float, str]:
    """Grid emission factor the run used [tCO2/MWh] and its quality mark
    (``assumptions/emission_factor.csv``; NaN and ``NF`` when the folder lacks it)."""
    table = res.emission_factor
    if table is None or table.empty:
        return math.nan, "NF"
    return float(table["value_t_per_mwh"].iloc[0]), str(table["mark"].iloc[0])


def economics_section(res: Results, tr: Translator) -> str:
    sc = res.scenario
    econ = sc.get("economics", {})
    src = sc.get("sources") or {}

    def row(key, value):
        s = src.get(f"economics.{key}", {})
        return [esc(tr(f"econ.{key}")) + f" <code>{esc(key)}</code>", esc(value),
                mark_html(tr, s.get("mark", "E") if s else "E") if s else "",
                verbatim(s.get("source", ""), tr.lang) if s else esc(tr("methods.default"))]

    rows = [row("discount_rate_real", tr.pct(100 * _f(econ.get("discount_rate_real")), 2)),
            row("inflation", tr.pct(100 * _f(econ.get("inflation")), 2)),
            row("lifetime_years", tr.num(econ.get("lifetime_years"), 0)),
            row("tariff_escalation_real", tr.pct(100 * _f(econ.get("tariff_escalation_real")), 2)),
            row("vnd_per_usd", tr.num(econ.get("vnd_per_usd"), 0)),
            row("co2_price_vnd_per_t", tr.num(econ.get("co2_price_vnd_per_t"), 0))]
    ef, mark = emission_factor_used(res)
    return "\n".join([
        f"<h3>{esc(tr('methods.economics'))}</h3>",
        table_html([esc(tr("methods.col.item")), esc(tr("methods.col.value")),
                    esc(tr("methods.col.mark")), esc(tr("methods.col.source"))], rows, raw=True),
        f"<h3>{esc(tr('methods.emission'))}</h3>",
        f"<p>{esc(tr('methods.emission_text', ef=tr.num(ef, 4), year=sc.get('year', MISSING)))} "
        f"{mark_html(tr, mark)}</p>"])


def methods_section(res: Results, tr: Translator, figures: dict[str, FigureFile]) -> str:
    sc = res.scenario
    w = sc.get("weather", {})
    parts = [f'<section id="methods"><h2>{esc(tr("section.methods"))}</h2>',
             "<ul>" + "".join(f"<li>{esc(tr(f'methods.step.{i}'))}</li>" for i in range(1, 8))
             + "</ul>",
             f'<p class="note">{esc(tr("methods.admin_note"))}</p>',
             f"<h3>{esc(tr('methods.marks'))}</h3>", marks_legend(tr),
             f"<p>{esc(tr('methods.sources_text'))}</p>", sources_table(res, tr),
             tariff_section(res, tr), costs_section(res, tr), economics_section(res, tr),
             f"<h3>{esc(tr('methods.weather'))}</h3>",
             "<p>" + esc(tr(f"methods.weather_text.{w.get('source', 'normals')}",
                            seed=w.get("seed", MISSING), years=w.get("years", 1))) + "</p>"]
    if "weather_check" in figures:
        parts.append(figure_html(figures["weather_check"]))
    parts.append(run_section(res, tr))
    parts.append(glossary_section(tr))
    parts.append("</section>")
    return "\n".join(parts)


def run_section(res: Results, tr: Translator) -> str:
    run = res.run
    versions = run.get("versions") or {}
    vrows = [[f"<code>{esc(k)}</code>", f"<code>{esc(v)}</code>"]
             for k, v in sorted(versions.items())]
    trows = [[stage_label(tr, k), esc(tr.num(v, 1))]
             for k, v in (run.get("timings_s") or {}).items()]
    parts = [f"<h3>{esc(tr('methods.run'))}</h3>",
             f"<p>{esc(tr('methods.run_text', seed=run.get('seed', MISSING)))}</p>",
             table_html([esc(tr("methods.col.package")), esc(tr("methods.col.version"))], vrows,
                        raw=True),
             table_html([esc(tr("methods.col.stage")), esc(tr("methods.col.seconds"))], trows,
                        numeric={1}, raw=True)]
    notes = run.get("notes") or []
    if notes:
        parts.append(f"<p>{esc(tr('methods.notes'))}</p>")
        parts.append('<pre class="log" lang="en">' + esc("\n".join(notes)) + "</pre>")
    return "\n".join(parts)


def stage_label(tr: Translator, key: str) -> str:
    """HTML label of a timing key such as ``sizing (cpu)``; an unknown stage stays in code."""
    base, _, qual = key.partition(" (")
    qual = qual.rstrip(")")
    if not tr.has(f"stage.{base}") or (qual and not tr.has(f"stage.{qual}")):
        return f"<code>{esc(key)}</code>"
    label = tr(f"stage.{base}")
    return esc(f"{label} ({tr(f'stage.{qual}')})" if qual else label)


def glossary_section(tr: Translator) -> str:
    rows = [[f'<span lang="en">{esc(g.get("en", ""))}</span>', esc(g.get("vi", "")),
             esc(g.get("note_vi" if tr.lang == "vi" else "note_en", ""))] for g in tr.glossary]
    return (f"<h3>{esc(tr('methods.glossary'))}</h3>"
            + table_html([esc(tr("methods.col.english")), esc(tr("methods.col.vietnamese")),
                          esc(tr("methods.col.meaning"))], rows, raw=True))


# --------------------------------------------------------------------------- page

def render(res: Results, lang: str, figures: list[FigureFile]) -> str:
    """The whole report as one HTML string.

    Parameters
    ----------
    res : Results
        The results folder, loaded.
    lang : str
        ``"en"`` or ``"vi"``.
    figures : list of FigureFile
        The figures, rendered in the same language.

    Returns
    -------
    str
    """
    tr = Translator(lang)
    sc = res.scenario
    by_stem = {f.stem: f for f in figures if f.park_id is None}
    by_park: dict[str, list[FigureFile]] = {}
    for f in figures:
        if f.park_id is not None:
            by_park.setdefault(f.park_id, []).append(f)
    title = tr("report.title", year=sc.get("year", MISSING))
    header = (f"<header><h1>{esc(title)}</h1>"
              + "<p>" + message(tr, "report.subtitle", name=code(sc.get("name", MISSING)),
                                year=sc.get("year", MISSING), n=len(res.park_ids)) + "</p>"
              + "<p>" + message(tr, "report.generated", version=code("energy_model " + __version__))
              + "</p></header>")
    nav = (f'<nav><a href="#executive">{esc(tr("section.executive"))}</a>'
           f'<a href="#summary">{esc(tr("section.summary"))}</a>'
           f'<a href="#parks">{esc(tr("section.parks"))}</a>'
           f'<a href="#methods">{esc(tr("section.methods"))}</a></nav>')
    body = [header, nav, "<main>", executive_section(res, tr, by_stem),
            summary_section(res, tr, by_stem),
            f'<section id="parks"><h2>{esc(tr("section.parks"))}</h2>'
            f"<p>{esc(tr('parks.intro'))}</p>"]
    body += [park_section(res, tr, pid, by_park.get(pid, [])) for pid in res.park_ids]
    body.append("</section>")
    body.append(methods_section(res, tr, by_stem))
    body.append("</main>")
    page = Template(TEMPLATE.read_text(encoding="utf-8"))
    return page.substitute(lang=lang, title=esc(title), version=esc(__version__),
                           body="\n".join(body))
