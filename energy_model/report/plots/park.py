"""Figures drawn for each park: monthly balance, typical days, import duration.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from energy_model.report.i18n import Translator
from energy_model.report.load import Results, supply_split
from energy_model.report.plots.common import (COLORS, EDGE, SEASONS, SINKS, SUPPLY, _empty,
                                              _figure, _hours, _legend, _numbers, _park_name,
                                              _style)


# --------------------------------------------------------------------------- one park

@_style
def monthly_balance(res: Results, park_id: str, lang: str = "en") -> Figure:
    """Monthly energy balance of a park: load against PV, wind, battery and grid [GWh]."""
    tr = Translator(lang)
    name = _park_name(res, park_id)
    fig, axes, panel = _figure(tr, tr("plot.monthly.title", park=name), tr("plot.monthly.caption"),
                        (10.0, 4.8))
    ax = axes[0][0]
    h = res.hourly[park_id]
    split = supply_split(h) * _hours(h.index) / 1e6
    monthly = split.groupby(split.index.month).sum()
    x = monthly.index.to_numpy()
    bottom = np.zeros(len(x))
    handles, labels = [], []
    for col, key in SUPPLY:
        v = monthly[col].clip(lower=0).to_numpy()
        if v.sum() <= 0 and key != "grid":
            continue
        handles.append(ax.bar(x, v, bottom=bottom, color=COLORS[key], edgecolor=EDGE,
                              linewidth=0.5, width=0.75))
        labels.append(tr(f"flow.{key}_to_load"))
        bottom += v
    neg = np.zeros(len(x))
    for col, key in SINKS[1:]:
        v = monthly[col].clip(lower=0).to_numpy()
        if v.sum() <= 0:
            continue
        handles.append(ax.bar(x, -v, bottom=-neg, color=COLORS[key], edgecolor=EDGE,
                              linewidth=0.5, width=0.75, hatch="//"))
        labels.append(tr(f"flow.{key}"))
        neg += v
    (line,) = ax.plot(x, monthly["load_kw"].to_numpy(), color=COLORS["load"], marker="_",
                      ms=22, mew=2.0, ls="")
    handles.append(line)
    labels.append(tr("flow.load"))
    ax.axhline(0, color="#333333", lw=0.8)
    ax.set_xticks(x, [tr.month(m) for m in x])
    ax.set_xlabel(tr("plot.month_axis"))
    ax.set_ylabel(tr("plot.monthly.ylabel"))
    _numbers(ax, lang)
    _legend(panel, handles, labels)
    return fig


def _step(x_hours: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hour-start values as a step curve over [h, h + 1): x and y with the last repeated."""
    return np.append(x_hours, x_hours[-1] + 1), np.append(values, values[-1])


@_style
def typical_days(res: Results, park_id: str, lang: str = "en") -> Figure:
    """Mean day of each season: how the load is met hour by hour (dispatch stack) [MW].

    Each value is the mean over the season's days of the hour starting at that clock
    time; charging, export and curtailment are drawn below zero.
    """
    tr = Translator(lang)
    name = _park_name(res, park_id)
    h = res.hourly[park_id]
    split = supply_split(h) / 1000.0
    present = [s for s, months in SEASONS.items() if split.index.month.isin(months).any()]
    ncols = 2 if len(present) > 1 else 1
    nrows = max(1, math.ceil(len(present) / 2))
    fig, axes, panel = _figure(tr, tr("plot.days.title", park=name), tr("plot.days.caption"),
                        (10.0, 2.0 + 2.9 * nrows), nrows, ncols, sharex=True, sharey=True)
    flat = axes.ravel()
    handles, labels = {}, {}
    cap = h["import_cap_kw"] / 1000.0 if "import_cap_kw" in h else None
    for ax, season in zip(flat, present):
        mask = split.index.month.isin(SEASONS[season])
        day = split[mask].groupby(split.index[mask].hour).mean().reindex(range(24), fill_value=0.0)
        x = day.index.to_numpy(dtype=float)
        bottom = np.zeros(24)
        for col, key in SUPPLY:
            v = day[col].clip(lower=0).to_numpy()
            if v.sum() <= 0 and key != "grid":
                continue
            xs, lo = _step(x, bottom)
            _, hi = _step(x, bottom + v)
            handles[key] = ax.fill_between(xs, lo, hi, step="post", color=COLORS[key], lw=0)
            labels[key] = tr(f"flow.{key}_to_load")
            bottom = bottom + v
        neg = np.zeros(24)
        for col, key in SINKS:
            v = day[col].clip(lower=0).to_numpy()
            if v.sum() <= 0:
                continue
            xs, lo = _step(x, -neg - v)
            _, hi = _step(x, -neg)
            handles[key] = ax.fill_between(xs, lo, hi, step="post", color=COLORS[key], lw=0,
                                           hatch="//" if key != "charge" else None,
                                           edgecolor="white")
            labels[key] = tr(f"flow.{key}")
            neg = neg + v
        xs, ys = _step(x, day["load_kw"].to_numpy())
        (handles["load"],) = ax.step(xs, ys, where="post", color=COLORS["load"], lw=1.6)
        labels["load"] = tr("flow.load")
        if cap is not None and np.isfinite(cap[mask]).any():
            c = float(np.nanmin(cap[mask]))
            handles["cap"] = ax.axhline(c, color=COLORS["cap"], ls="--", lw=1.0)
            labels["cap"] = tr("plot.import_cap")
        ax.axhline(0, color="#333333", lw=0.6)
        ax.set_title(tr(f"season.{season}"), fontsize=9.5)
        ax.set_xlim(0, 24)
        ax.set_xticks(range(0, 25, 3))
        _numbers(ax, lang, x=False, y=True)
    for ax in flat[len(present):]:
        ax.set_visible(False)
    if not present:
        _empty(flat[0], tr)
    for ax in axes[-1]:
        ax.set_xlabel(tr("plot.days.xlabel"))
    for ax in axes[:, 0]:
        ax.set_ylabel(tr("plot.days.ylabel"))
    order = [k for k in ("pv", "wind", "battery", "grid", "unmet", "charge", "export",
                         "curtailment", "load", "cap") if k in handles]
    _legend(panel, [handles[k] for k in order], [labels[k] for k in order], ncol=5)
    return fig


@_style
def import_duration(res: Results, park_id: str, lang: str = "en") -> Figure:
    """Grid import duration curve before (grid only) and after, with the import cap [MW]."""
    tr = Translator(lang)
    name = _park_name(res, park_id)
    h = res.hourly[park_id]
    dt = _hours(h.index)
    fig, axes, panel = _figure(tr, tr("plot.duration.title", park=name),
                               tr("plot.duration.caption"),
                        (10.0, 4.6), 1, 2, width_ratios=[2.0, 1.0])
    ax, zoom = axes[0]
    before = np.sort(h["load_kw"].to_numpy())[::-1] / 1000.0
    after = np.sort(h["grid_import_kw"].to_numpy())[::-1] / 1000.0
    hours = np.arange(1, len(before) + 1) * dt
    top = max(1, min(len(before), int(round(300 / dt))))
    cap = h["import_cap_kw"].to_numpy() / 1000.0 if "import_cap_kw" in h else np.array([np.nan])
    cap_mw = float(np.nanmin(cap)) if np.isfinite(cap).any() else math.nan
    for a, n in ((ax, len(before)), (zoom, top)):
        # a sorted curve loses nothing drawn through ≤ 2,000 of its points
        k = np.unique(np.linspace(0, n - 1, min(n, 2000)).astype(int))
        a.plot(hours[k], before[k], color=COLORS["before"], lw=1.8,
               label=tr("plot.duration.before", value=tr.num(before[0], 1)))
        a.plot(hours[k], after[k], color=COLORS["after"], lw=1.8,
               label=tr("plot.duration.after", value=tr.num(after[0], 1)))
        if math.isfinite(cap_mw):
            a.axhline(cap_mw, color=COLORS["cap"], ls="--", lw=1.1,
                      label=tr("plot.import_cap_value", value=tr.num(cap_mw, 1)))
        a.set_xlabel(tr("plot.duration.xlabel"))
        a.set_ylim(bottom=min(0.0, float(after.min()) * 1.1))
        _numbers(a, lang, x=True, y=True)
    ax.set_ylabel(tr("plot.duration.ylabel"))
    zoom.set_title(tr("plot.duration.zoom", hours=tr.num(top * dt, 0)), fontsize=9)
    hs, ls = ax.get_legend_handles_labels()
    _legend(panel, hs, ls)
    return fig
