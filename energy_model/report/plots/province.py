"""Province figures: capacity and energy bars per park, and the coincident peak.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from energy_model.report.i18n import Translator
from energy_model.report.load import Results, supply_split
from energy_model.report.plots.common import (COLORS, EDGE, SUPPLY, _empty, _figure, _hours,
                                              _legend, _numbers, _style)


# --------------------------------------------------------------------------- bars per park

def _bar_labels(res: Results) -> list[str]:
    return [str(n) for n in res.parks["name"]]


@_style
def capacity_mix(res: Results, lang: str = "en") -> Figure:
    """Stacked bars of the capacity built in each park: PV by kind and wind [MW], battery [MWh]."""
    tr = Translator(lang)
    parks = res.parks
    n = len(parks)
    fig, axes, panel = _figure(tr, tr("plot.capacity.title"), tr("plot.capacity.caption"),
                        (11.0, 1.6 + 0.34 * max(n, 2)), 1, 2, sharey=True, width_ratios=[2.2, 1.0])
    ax, axb = axes[0]
    y = np.arange(n)[::-1]
    left = np.zeros(n)
    handles, labels = [], []
    for col, key, label in (("pv_rooftop_mwp", "pv_rooftop", "flow.pv_rooftop"),
                            ("pv_ground_mwp", "pv_ground", "flow.pv_ground"),
                            ("pv_floating_mwp", "pv_floating", "flow.pv_floating"),
                            ("wind_mw", "wind", "flow.wind")):
        v = (parks[col].astype(float).fillna(0).clip(lower=0).to_numpy() if col in parks
             else np.zeros(n))
        if v.sum() <= 0:
            continue
        h = ax.barh(y, v, left=left, color=COLORS[key], edgecolor=EDGE, linewidth=0.5, height=0.7)
        left += v
        handles.append(h)
        labels.append(tr(label))
    for yi, total in zip(y, left):
        if total > 0:
            ax.text(total, yi, " " + tr.num(total, 1), va="center", fontsize=7.5)
    ax.set_yticks(y, _bar_labels(res))
    ax.set_xlabel(tr("plot.capacity.xlabel"))
    ax.set_xlim(0, max(left.max(), 1.0) * 1.15)
    _numbers(ax, lang, x=True, y=False)
    e = parks["battery_mwh"].astype(float).fillna(0).clip(lower=0).to_numpy()
    p = parks["battery_mw"].astype(float).fillna(0).clip(lower=0).to_numpy()
    hb = axb.barh(y, e, color=COLORS["battery"], edgecolor=EDGE, linewidth=0.5, height=0.7)
    for yi, ei, pi in zip(y, e, p):
        if ei > 0:
            axb.text(ei, yi, " " + tr("plot.capacity.battery_label", mwh=tr.num(ei, 1),
                                      mw=tr.num(pi, 1)), va="center", fontsize=7.5)
    axb.set_xlim(0, max(e.max(), 1.0) * 1.6)
    axb.set_xlabel(tr("plot.capacity.battery_xlabel"))
    axb.tick_params(axis="y", left=False)
    _numbers(axb, lang, x=True, y=False)
    handles.append(hb)
    labels.append(tr("flow.battery_energy"))
    _legend(panel, handles, labels)
    return fig


def _annual_split(res: Results) -> pd.DataFrame:
    """Annual energy of each supply flow and sink per park [GWh]."""
    rows = {}
    for pid in res.park_ids:
        h = res.hourly[pid]
        split = supply_split(h)
        rows[pid] = split.sum() * _hours(h.index) / 1e6
    return pd.DataFrame(rows).T


@_style
def energy_by_source(res: Results, lang: str = "en") -> Figure:
    """Annual energy by source per park: how each park's load is met, and what is lost.

    Left: GWh, with export and curtailment drawn left of zero. Right: shares of the load.
    """
    tr = Translator(lang)
    n = len(res.parks)
    fig, axes, panel = _figure(tr, tr("plot.energy.title"), tr("plot.energy.caption"),
                        (11.0, 1.6 + 0.34 * max(n, 2)), 1, 2, sharey=True,
                        width_ratios=[1.6, 1.0])
    ax, axp = axes[0]
    if n == 0:
        _empty(ax, tr)
        return fig
    a = _annual_split(res).loc[res.park_ids]
    y = np.arange(n)[::-1]
    left = np.zeros(n)
    leftp = np.zeros(n)
    load = a["load_kw"].to_numpy()
    handles, labels = [], []
    for col, key in SUPPLY:
        v = a[col].clip(lower=0).to_numpy()
        if v.sum() <= 0 and key not in ("grid",):
            continue
        h = ax.barh(y, v, left=left, color=COLORS[key], edgecolor=EDGE, linewidth=0.5, height=0.7)
        share = np.divide(100 * v, load, out=np.zeros(n), where=load > 0)
        axp.barh(y, share, left=leftp, color=COLORS[key], edgecolor=EDGE, linewidth=0.5, height=0.7)
        left += v
        leftp += share
        handles.append(h)
        labels.append(tr(f"flow.{key}_to_load"))
    neg = np.zeros(n)
    for col, key in (("export_kw", "export"), ("curtailment_kw", "curtailment")):
        v = a[col].clip(lower=0).to_numpy()
        if v.sum() <= 0:
            continue
        h = ax.barh(y, -v, left=-neg, color=COLORS[key], edgecolor=EDGE, linewidth=0.5,
                    height=0.7, hatch="//")
        neg += v
        handles.append(h)
        labels.append(tr(f"flow.{key}"))
    ax.axvline(0, color="#333333", lw=0.8)
    for yi, total in zip(y, left):
        ax.text(total, yi, " " + tr.num(total, 1), va="center", fontsize=7.5)
    ax.set_xlim(-max(neg.max(), 0) * 1.1 - 1e-9, max(left.max(), 1e-6) * 1.15)
    ax.set_yticks(y, _bar_labels(res))
    ax.set_xlabel(tr("plot.energy.xlabel"))
    _numbers(ax, lang, x=True, y=False)
    onsite = np.divide(100 * (load - a["grid_to_load_kw"].to_numpy() - a["unmet_kw"].to_numpy()),
                       load, out=np.full(n, np.nan), where=load > 0)
    for yi, s in zip(y, onsite):
        if math.isfinite(s):
            axp.text(max(s, 0) + 1.5, yi, tr.pct(s, 0), va="center", fontsize=7.5,
                     color="#1a1a1a", fontweight="bold")
    axp.set_xlim(0, 100)
    axp.set_xlabel(tr("plot.energy.share_xlabel"))
    axp.tick_params(axis="y", left=False)
    _numbers(axp, lang, x=True, y=False)
    _legend(panel, handles, labels)
    return fig


# --------------------------------------------------------------------------- province grid

def province_hourly(res: Results) -> pd.DataFrame:
    """Sum of all parks' load and grid import, hour by hour [kW]."""
    load = sum(res.hourly[p]["load_kw"] for p in res.park_ids)
    imp = sum(res.hourly[p]["grid_import_kw"] for p in res.park_ids)
    return pd.DataFrame({"load_kw": load, "grid_import_kw": imp})


def evening_window(res: Results, index: pd.DatetimeIndex) -> np.ndarray:
    """Share of each hour inside the run's evening peak window [-] (``assumptions/
    tou_frame.csv``; zeros when the folder lacks it)."""
    tou = res.tou_frame
    ev = None if tou is None else tou[tou["period"] == "evening_peak"]
    if ev is None or ev.empty:
        return np.zeros(len(index))
    start, end = float(ev["start_h"].iloc[0]), float(ev["end_h"].iloc[0])
    hour = index.tz_convert("Asia/Ho_Chi_Minh").hour.to_numpy(dtype=float)  # EVN's clock
    return np.clip(np.minimum(hour + 1.0, end) - np.maximum(hour, start), 0.0, 1.0)


@_style
def coincident_peak(res: Results, lang: str = "en") -> Figure:
    """Provincial grid pressure: coincident peak import before and after, and the peak days."""
    tr = Translator(lang)
    fig, axes, panel = _figure(tr, tr("plot.peak.title"), tr("plot.peak.caption"), (11.0, 4.8),
                               1, 2,
                        width_ratios=[1.0, 1.8])
    bars, ax = axes[0]
    if not res.park_ids:
        _empty(ax, tr)
        return fig
    prov = province_hourly(res) / 1000.0
    share = evening_window(res, prov.index)
    ev = share > 0
    groups = [("plot.peak.coincident", prov["load_kw"].max(), prov["grid_import_kw"].max())]
    if ev.any():
        groups.append(("plot.peak.evening", prov["load_kw"][ev].max(),
                       prov["grid_import_kw"][ev].max()))
    peaks_before = sum(res.hourly[p]["load_kw"].max() for p in res.park_ids) / 1000.0
    peaks_after = sum(res.hourly[p]["grid_import_kw"].max() for p in res.park_ids) / 1000.0
    groups.append(("plot.peak.sum_of_parks", peaks_before, peaks_after))
    x = np.arange(len(groups))
    w = 0.38
    top = max(max(g[1], g[2]) for g in groups)
    for i, (key, b, a) in enumerate(groups):
        bars.bar(i - w / 2, b, w, color=COLORS["before"], edgecolor=EDGE, lw=0.5,
                 label=tr("plot.before") if i == 0 else None)
        bars.bar(i + w / 2, a, w, color=COLORS["after"], edgecolor=EDGE, lw=0.5,
                 label=tr("plot.after") if i == 0 else None)
        bars.text(i - w / 2, b, tr.num(b, 1), ha="center", va="bottom", fontsize=7.5)
        bars.text(i + w / 2, a, tr.num(a, 1), ha="center", va="bottom", fontsize=7.5)
        if b > 0:
            bars.text(i, -0.09 * top, tr.pct(100 * (a - b) / b, 1, sign=True), ha="center",
                      va="top", fontsize=7.5, fontweight="bold", color=COLORS["after"])
    bars.set_xticks(x, [textwrap.fill(tr(g[0]), 16) for g in groups])
    bars.set_ylim(-0.16 * top, top * 1.12)
    bars.axhline(0, color="#333333", lw=0.6)
    bars.set_ylabel(tr("plot.peak.ylabel"))
    _numbers(bars, lang)
    # three days around the hour of the coincident peak before
    i = int(np.argmax(prov["load_kw"].to_numpy()))
    t0 = prov.index[i].normalize() - pd.Timedelta(days=1)
    win = prov[(prov.index >= t0) & (prov.index < t0 + pd.Timedelta(days=3))]
    hrs = (win.index - t0) / pd.Timedelta(hours=1)
    xs = np.append(hrs.to_numpy(dtype=float), float(hrs[-1]) + 1)
    for col, key, lab in (("load_kw", "before", "plot.before"),
                          ("grid_import_kw", "after", "plot.after")):
        ys = np.append(win[col].to_numpy(), win[col].to_numpy()[-1])
        ax.step(xs, ys, where="post", color=COLORS[key], lw=1.8, label=tr(lab))
    wshare = share[(prov.index >= t0) & (prov.index < t0 + pd.Timedelta(days=3))]
    for k, s in enumerate(wshare):
        if s > 0:
            ax.axvspan(hrs[k], hrs[k] + 1, color=COLORS["high"], alpha=0.18 * s, lw=0)
    ax.set_xlim(0, xs[-1])
    ax.set_xticks(np.arange(0, xs[-1] + 1, 6))
    ax.set_xticklabels([f"{int(v % 24)}" for v in np.arange(0, xs[-1] + 1, 6)])
    for d in range(1, 3):
        ax.axvline(24 * d, color="#555555", lw=0.6)
    ax.set_xlabel(tr("plot.peak.days_xlabel", start=_date(tr, t0),
                     end=_date(tr, t0 + pd.Timedelta(days=2))))
    ax.set_ylabel(tr("plot.peak.ylabel"))
    ax.set_title(tr("plot.peak.days_title"), fontsize=9.5)
    _numbers(ax, lang)
    hs, ls = bars.get_legend_handles_labels()
    if ev.any():
        hs.append(Patch(color=COLORS["high"], alpha=0.3))
        ls.append(tr("plot.peak.evening_window"))
    _legend(panel, hs, ls)
    return fig


def _date(tr: Translator, ts: pd.Timestamp) -> str:
    return tr("date.day_month", day=ts.day, month=ts.month, month_name=tr.month(ts.month))
