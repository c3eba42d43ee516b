"""The executive summary section: the province's grid-pressure decision numbers with their
ranges across rule sets, the parks to build first, the caveats, the grid figures and tables.
The numbers come from :mod:`energy_model.report.executive`; this module only lays them out."""

from __future__ import annotations

import math
import re

from energy_model.report import executive as ex
from energy_model.report.html.common import (FigureFile, _f, code, esc, figure_html, mark_html,
                                             message, table_html, verbatim)
from energy_model.report.i18n import MISSING, Translator
from energy_model.report.load import RULES_COMPARISON, Results

#: grid-pressure figures of the executive summary, in order
EXECUTIVE_FIGURES = ("grid_same_hour", "grid_evening_duration", "grid_reverse_flow")


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
