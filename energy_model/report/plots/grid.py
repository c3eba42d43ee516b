"""Grid-pressure figures of a results folder: relief at the same hour, the evening window,
reverse flow.

They read only the run's ``grid/`` tables (``province_hourly.csv``, ``substations.csv``,
``reverse_flow.csv``, ``headline.csv``) and ``summary.csv``; a folder without them gives a
figure that says so. Before is the grid-only case (each park imports its whole load), after
the sized dispatch, always compared at the same hours.

The evening hours are those of the frame in force: ``evening_share`` of
``province_hourly.csv`` (0..1, an hour half inside the window weighs 0.5). The top-N evening
hours are chosen as in :func:`energy_model.metrics.evening_firm_contribution`: the N hours
touching the window with the highest grid-only provincial import, means weighted by share.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from energy_model.report.executive import group_label, headline, hour_label, timestamp
from energy_model.report.i18n import Translator
from energy_model.report.load import Results
from energy_model.report.plots.common import (COLORS, EDGE, _empty, _figure, _legend, _numbers,
                                              _style)

#: hours kept when the headline does not say (metrics.EVENING_TOP_N)
DEFAULT_TOP_N = 100


def top_evening_hours(res: Results) -> tuple[np.ndarray, np.ndarray]:
    """Positions in ``grid_hourly`` of the top-N evening hours, and their window shares."""
    h = res.grid_hourly
    head = headline(res) or {}
    n = int(head.get("evening_top_n") or DEFAULT_TOP_N)
    share = h["evening_share"].to_numpy(dtype=float)
    before = h["province_import_before_mw"].to_numpy(dtype=float)
    inside = np.flatnonzero(share > 0)
    order = inside[np.argsort(-before[inside], kind="stable")][:n]
    return order, share[order]


def peak_hour_position(res: Results) -> int:
    """Position in ``grid_hourly`` of the grid-only provincial peak (headline, else argmax)."""
    h = res.grid_hourly
    ts = timestamp(res, (headline(res) or {}).get("peak_hour"))
    if ts is not None and ts in h.index:
        return int(h.index.get_loc(ts))
    return int(np.argmax(h["province_import_before_mw"].to_numpy(dtype=float)))


def scopes(res: Results, tr: Translator) -> list[tuple[str, str]]:
    """(column prefix, label): the province, then each substation group with hourly columns."""
    out = [("province", tr("plot.province"))]
    subs = res.grid_substations
    h = res.grid_hourly
    if subs is not None:
        for _, r in subs.iterrows():
            g = str(r["group"])
            if f"{g}_import_before_mw" in h.columns:
                name = group_label(res, tr, g, r.get("name"))
                known = r.get("headroom_known", True) or g.startswith("unmapped:")
                out.append((g, name if known else tr("grid.rating_nf_label", name=name)))
    return out


def _missing(res: Results, fig, axes, tr: Translator) -> bool:
    if res.grid_hourly is None:
        for ax in np.ravel(axes):
            _empty(ax, tr, "grid.plot_missing")
        return True
    return False


def _barh(ax, labels, before, after, tr: Translator, lang: str) -> None:
    y = np.arange(len(labels))
    hgt = 0.38
    ax.barh(y - hgt / 2, before, hgt, color=COLORS["before"], edgecolor=EDGE, lw=0.5,
            label=tr("plot.before"))
    ax.barh(y + hgt / 2, after, hgt, color=COLORS["after"], edgecolor=EDGE, lw=0.5,
            label=tr("plot.after"))
    top = max([*before, *after, 1e-9])
    for yy, b, a in zip(y, before, after):
        ax.text(b + 0.01 * top, yy - hgt / 2, tr.num(b, 1), va="center", fontsize=7.5)
        ax.text(a + 0.01 * top, yy + hgt / 2, tr.num(a, 1), va="center", fontsize=7.5)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.18)
    ax.set_xlabel(tr("grid.import_axis"))
    ax.grid(axis="y", visible=False)
    _numbers(ax, lang, x=True, y=False)


@_style
def same_hour_import(res: Results, lang: str = "en") -> Figure:
    """Coincident import of the province and of each substation group, before and after, at
    the grid-only provincial peak hour and over the top-N evening hours."""
    tr = Translator(lang)
    n_scopes = 1 if res.grid_substations is None else 1 + len(res.grid_substations)
    height = 1.6 + 0.42 * min(n_scopes, 24)
    fig, axes, panel = _figure(tr, tr("grid.same_hour.title"), tr("grid.same_hour.caption"),
                               (11.0, height), 1, 2)
    left, right = axes[0]
    if _missing(res, fig, axes, tr):
        return fig
    h = res.grid_hourly
    sc = scopes(res, tr)
    i = peak_hour_position(res)
    order, w = top_evening_hours(res)
    labels, b_peak, a_peak, b_ev, a_ev = [], [], [], [], []
    for prefix, label in sc:
        bcol, acol = f"{prefix}_import_before_mw", f"{prefix}_import_after_mw"
        b = h[bcol].to_numpy(dtype=float)
        a = h[acol].to_numpy(dtype=float)
        labels.append(label)
        b_peak.append(b[i])
        a_peak.append(a[i])
        ws = w.sum()
        b_ev.append(float((b[order] * w).sum() / ws) if ws > 0 else np.nan)
        a_ev.append(float((a[order] * w).sum() / ws) if ws > 0 else np.nan)
    _barh(left, labels, b_peak, a_peak, tr, lang)
    left.set_title(tr("grid.same_hour.at_peak", hour=hour_label(tr, h.index[i])), fontsize=9.5)
    _barh(right, labels, b_ev, a_ev, tr, lang)
    head = headline(res) or {}
    right.set_title(tr("grid.same_hour.evening", n=len(order),
                       window=head.get("evening_window", "–")), fontsize=9.5)
    right.set_yticklabels([])
    _legend(panel, *left.get_legend_handles_labels())
    return fig


@_style
def evening_duration(res: Results, lang: str = "en") -> Figure:
    """Provincial import over the evening-window hours, before and after, each sorted."""
    tr = Translator(lang)
    head = headline(res) or {}
    fig, axes, panel = _figure(tr, tr("grid.evening.title", window=head.get("evening_window",
                                                                            "–")),
                               tr("grid.evening.caption"), (9.0, 4.6))
    ax = axes[0][0]
    if _missing(res, fig, axes, tr):
        return fig
    h = res.grid_hourly
    inside = h["evening_share"].to_numpy(dtype=float) > 0
    order, _ = top_evening_hours(res)
    before = h["province_import_before_mw"].to_numpy(dtype=float)[inside]
    after = h["province_import_after_mw"].to_numpy(dtype=float)[inside]
    rank = np.argsort(-before, kind="stable")
    x = np.arange(1, len(before) + 1)
    ax.plot(x, before[rank], color=COLORS["before"], lw=1.8, label=tr("plot.before"))
    ax.plot(x, np.sort(after)[::-1], color=COLORS["after"], lw=1.8, label=tr("plot.after"))
    ax.plot(x, after[rank], color=COLORS["after"], lw=0.8, ls=":", alpha=0.8,
            label=tr("grid.evening.same_hours"))
    ax.axvline(len(order), color=COLORS["cap"], lw=1.0, ls="--",
               label=tr("grid.evening.top_n", n=len(order)))
    ax.set_xlim(0, max(int(inside.sum()), 1))
    ax.set_ylim(bottom=0)
    ax.set_xlabel(tr("grid.evening.xlabel"))
    ax.set_ylabel(tr("grid.import_axis"))
    _numbers(ax, lang, x=True)
    _legend(panel, *ax.get_legend_handles_labels())
    return fig


@_style
def reverse_flow(res: Results, lang: str = "en") -> Figure:
    """Province export duration, and each park's export maximum with its hours of export."""
    tr = Translator(lang)
    rf = res.grid_reverse_flow
    n_parks = 0 if rf is None else int((rf["scope"] == "park").sum())
    fig, axes, panel = _figure(tr, tr("grid.reverse.title"), tr("grid.reverse.caption"),
                               (11.0, max(4.4, 1.4 + 0.3 * n_parks)), 1, 2,
                               width_ratios=[1.3, 1.0])
    left, right = axes[0]
    if _missing(res, fig, axes, tr):
        return fig
    head = headline(res) or {}
    threshold = float(head.get("export_threshold_mw") or 100.0)
    exp = np.sort(res.grid_hourly["province_export_mw"].to_numpy(dtype=float))[::-1]
    exp = exp[exp > 0]
    handles = []
    if len(exp):
        left.plot(np.arange(1, len(exp) + 1), exp, color=COLORS["export"], lw=1.8)
        left.set_xlim(0, len(exp))
        above = int((exp > threshold).sum())
        left.axhline(threshold, color=COLORS["cap"], lw=1.0, ls="--")
        handles = [Line2D([], [], color=COLORS["export"], lw=1.8),
                   Line2D([], [], color=COLORS["cap"], lw=1.0, ls="--")]
        labels = [tr("grid.reverse.province"),
                  tr("grid.reverse.threshold", mw=tr.num(threshold, 0), hours=tr.num(above, 0))]
        left.set_ylim(bottom=0, top=max(exp.max(), threshold) * 1.1)
    else:
        left.text(0.5, 0.5, tr("grid.reverse.none"), ha="center", va="center",
                  transform=left.transAxes, color="#666666")
    left.set_xlabel(tr("grid.reverse.xlabel"))
    left.set_ylabel(tr("grid.reverse.ylabel"))
    left.set_title(tr("grid.reverse.left_title"), fontsize=9.5)
    _numbers(left, lang, x=True)
    parks = (pd.DataFrame() if rf is None else
             rf[rf["scope"] == "park"].sort_values("export_max_mw", ascending=False))
    if parks.empty:
        _empty(right, tr, "grid.reverse.no_table")
    else:
        names = [str(res.parks.loc[p, "name"]) if p in res.parks.index else str(p)
                 for p in parks["id"]]
        y = np.arange(len(parks))
        mx = parks["export_max_mw"].to_numpy(dtype=float)
        right.barh(y, mx, 0.6, color=COLORS["export"], edgecolor=EDGE, lw=0.5)
        top = max(mx.max(), 1e-9)
        for yy, m, hrs in zip(y, mx, parks["export_hours_h"].to_numpy(dtype=float)):
            right.text(m + 0.01 * top, yy, tr("grid.reverse.bar_label", mw=tr.num(m, 1),
                                             hours=tr.num(hrs, 0)), va="center", fontsize=7.5)
        right.set_yticks(y, names)
        right.invert_yaxis()
        right.set_xlim(0, top * 1.5)
        right.grid(axis="y", visible=False)
        right.set_xlabel(tr("grid.reverse.park_xlabel"))
        _numbers(right, lang, x=True, y=False)
    right.set_title(tr("grid.reverse.right_title"), fontsize=9.5)
    if handles:
        _legend(panel, handles, labels)
    return fig


#: the grid-pressure figures, for the report's province plot list: (file stem, function)
GRID_PLOTS = (("grid_same_hour", same_hour_import), ("grid_evening_duration", evening_duration),
              ("grid_reverse_flow", reverse_flow))
