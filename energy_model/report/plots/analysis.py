"""Figures of the studies written into the results folder: frontier, weather check, tornado.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from energy_model.report.i18n import Translator
from energy_model.report.load import PROVINCE, Results
from energy_model.report.plots.common import (COLORS, EDGE, _empty, _figure, _legend, _numbers,
                                              _park_name, _style)


# --------------------------------------------------------------------------- analysis plots

@_style
def frontier(res: Results, lang: str = "en") -> Figure:
    """Annual cost against self-sufficiency for one park (``analysis/frontier.csv``)."""
    tr = Translator(lang)
    f = res.frontier
    park = (str(f["park_id"].iloc[0]) if f is not None and len(f) else "")
    title = tr("plot.frontier.title", park=_park_name(res, park) if park else "")
    fig, axes, panel = _figure(tr, title,
                        tr("plot.frontier.caption"), (9.0, 5.2))
    ax = axes[0][0]
    if f is None or f.empty:
        _empty(ax, tr, "plot.no_analysis")
        return fig
    ok = f[f["status"].isin(["grid_only", "optimal"])].sort_values("self_sufficiency_pct")
    curve = ok[ok["point"] != "grid_only"]
    ax.plot(curve["self_sufficiency_pct"], curve["annual_cost_billion_vnd"], color=COLORS["after"],
            lw=1.4, zorder=2)
    grid = ok[ok["point"] == "grid_only"]
    if len(grid):
        ax.axhline(float(grid["annual_cost_billion_vnd"].iloc[0]), color=COLORS["grid"], ls=":",
                   lw=1.0, zorder=1)
    for _, r in ok.iterrows():
        kind = r["point"]
        marker, color, size = {"grid_only": ("s", COLORS["grid"], 60),
                               "chosen": ("*", COLORS["high"], 220)}.get(
                                   kind, ("o", COLORS["after"], 45))
        ax.scatter(r["self_sufficiency_pct"], r["annual_cost_billion_vnd"], marker=marker,
                   s=size, color=color, edgecolors=EDGE, zorder=3)
        if kind == "grid_only":
            text = tr("plot.frontier.grid_only")
        else:
            text = tr("plot.frontier.point", pv=tr.num(r["pv_mwp"], 0),
                      wind=tr.num(r["wind_mw"], 0),
                      battery=tr.num(r["battery_mwh"], 0))
            if kind == "chosen":
                text = tr("plot.frontier.chosen") + "\n" + text
        ax.annotate(text, (r["self_sufficiency_pct"], r["annual_cost_billion_vnd"]),
                    xytext=(6, -6 if kind != "grid_only" else 8), textcoords="offset points",
                    fontsize=7.2, va="top" if kind != "grid_only" else "bottom", color="#222222")
    bound = f[f["point"] == "ceiling"]
    for _, r in bound.iterrows():
        ax.axvline(r["self_sufficiency_pct"], color="#555555", ls="--", lw=1.0)
        label = tr("plot.frontier.ceiling", value=tr.pct(r["self_sufficiency_pct"], 1))
        ax.text(r["self_sufficiency_pct"], 0.02, " " + label,
                transform=ax.get_xaxis_transform(), rotation=90, va="bottom", ha="right",
                fontsize=7.5, color="#555555")
    bad = f[~f["status"].isin(["grid_only", "optimal", "bound"])]
    for _, r in bad.iterrows():
        ax.axvline(r["target_share_pct"], color=COLORS["cap"], ls=":", lw=1.2)
        ax.text(r["target_share_pct"], 0.02, " " + tr("plot.frontier.unreachable",
                                                      value=tr.pct(r["target_share_pct"], 0)),
                transform=ax.get_xaxis_transform(), rotation=90, va="bottom", ha="right",
                fontsize=7.5, color=COLORS["cap"])
    xs = pd.concat([ok["self_sufficiency_pct"], bad["target_share_pct"],
                    bound["self_sufficiency_pct"]])
    ax.set_xlim(min(0.0, float(xs.min())) - 2, float(xs.max()) * 1.08 + 5)
    ys = ok["annual_cost_billion_vnd"]
    span = max(float(ys.max() - ys.min()), 1e-6)
    ax.set_ylim(float(ys.min()) - 0.25 * span, float(ys.max()) + 0.12 * span)
    ax.set_xlabel(tr("plot.frontier.xlabel"))
    ax.set_ylabel(tr("plot.frontier.ylabel"))
    _numbers(ax, lang, x=True, y=True)
    return fig


#: hourly-structure parameters drawn in the weather check, in order
WEATHER_PARAMETERS = ("weibull_k", "wind_autocorr_1h", "diurnal_strength", "temp_range_c")


@_style
def weather_check(res: Results, lang: str = "en") -> Figure:
    """Where the design weather year sits in a 30-year ensemble (``analysis/weather_check.csv``).

    Two panels, one row per station: the PV yield [kWh/kWp/yr] and the wind power density
    [W/m²] of each synthetic ensemble year (grey) and of the design year (coloured, with
    its exceedance: P90 = 90 % of the years do better); the third gives the deviation [%]
    of the design year's hourly structure from the normals: Weibull k, lag-1
    autocorrelation and diurnal strength of the wind and the daily temperature range
    (hollow markers: the normal is a default, mark E).
    """
    tr = Translator(lang)
    fig, axes, panel = _figure(tr, tr("plot.weather.title"), tr("plot.weather.caption"),
                               (12.0, 4.6), 1, 3, width_ratios=[1, 1, 1.2])
    w = res.weather_check
    if w is None or w.empty or "quantity" not in w.columns:
        for ax in axes[0]:
            _empty(ax, tr, "plot.no_analysis")
        return fig
    stations = list(dict.fromkeys(w["station"]))
    colors = dict(zip(stations, _station_colors(len(stations))))
    names = {s: str(w.loc[w["station"] == s, "name"].iloc[0]) for s in stations}
    for ax, q in zip(axes[0], ("pv_yield", "wind_power_density")):
        _ensemble_panel(ax, tr, w[w["quantity"] == q], stations, colors, names)
        ax.set_title(tr(f"plot.weather.{q}_title"), fontsize=9.5)
        ax.set_xlabel(tr(f"plot.weather.{q}_axis"))
        _numbers(ax, lang, x=True, y=False)
    handles = [axes[0][0].scatter([], [], s=10, color="#9a9a9a"),
               axes[0][0].scatter([], [], s=60, marker="D", color="#555555", edgecolors=EDGE)]
    _legend(panel, handles, [tr("plot.weather.ensemble"), tr("plot.weather.design")], ncol=2)
    ax = axes[0][2]
    p = res.weather_params
    p = p[p["parameter"].isin(WEATHER_PARAMETERS)] if p is not None and not p.empty else None
    if p is None or p.empty:
        _empty(ax, tr, "plot.no_analysis")
    else:
        ax.axvline(0, color="#555555", lw=0.8)
        ax.axvspan(-10, 10, color="#e3e3e3", lw=0)
        offsets = np.linspace(-0.25, 0.25, max(len(stations), 1))
        rows = list(WEATHER_PARAMETERS)[::-1]
        for i, name in enumerate(rows):
            for s, dy in zip(stations, offsets):
                r = p[(p["parameter"] == name) & (p["station"] == s)]
                if r.empty:
                    continue
                rec, nor = float(r["record"].iloc[0]), float(r["normal"].iloc[0])
                est = str(r["estimated"].iloc[0]) in ("True", "true", "1")
                ax.scatter(100 * (rec / nor - 1), i + dy, s=18, marker="o",
                           facecolors="none" if est else colors[s], edgecolors=colors[s])
        ax.set_yticks(range(len(rows)), [textwrap.fill(tr(f"plot.weather.param.{n}"), 16,
                                                       break_long_words=False) for n in rows])
        ax.set_ylim(-0.6, len(rows) - 0.4)
        lim = max(15.0, float(np.nanmax(np.abs(100 * (p["record"].astype(float)
                                                      / p["normal"].astype(float) - 1)))) * 1.2)
        ax.set_xlim(-lim, lim)
        ax.set_xlabel(tr("plot.weather.dev_pct"))
        ax.set_title(tr("plot.weather.param_title"), fontsize=9.5)
        ax.grid(axis="y", visible=False)
        _numbers(ax, lang, x=True, y=False)
    return fig


def _ensemble_panel(ax, tr: Translator, q: pd.DataFrame, stations, colors, names) -> None:
    """One quantity of the weather check: a row of ensemble years per station, the design
    year on it with its exceedance (P-value) written next to it."""
    rows = stations[::-1]
    for i, s in enumerate(rows):
        r = q[q["station"] == s]
        ens = r[r["weather_year"].astype(int) > 0]["value"].astype(float)
        ax.scatter(ens, np.full(len(ens), i), s=10, color="#9a9a9a", zorder=2)
        d = r[r["weather_year"].astype(int) == 0]
        if d.empty:
            continue
        v, p = float(d["value"].iloc[0]), float(d["exceedance"].iloc[0])
        ax.scatter([v], [i], s=60, marker="D", color=colors[s], edgecolors=EDGE, zorder=3)
        if np.isfinite(p):
            ax.annotate(tr("plot.weather.p_label", p=tr.num(100 * p, 0)), (v, i),
                        xytext=(0, 7), textcoords="offset points", ha="center",
                        fontsize=7.2, color="#222222")
    ax.set_yticks(range(len(rows)), [textwrap.fill(names[s], 18, break_long_words=False)
                                     for s in rows])
    ax.set_ylim(-0.6, len(rows) - 0.2)
    ax.grid(axis="y", visible=False)


def _station_colors(n: int) -> list:
    cmap = colormaps["tab10" if n <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(n)]


def _driver_label(tr: Translator, row) -> str:
    name = tr(f"driver.{row['driver']}")
    if row["unit"] == "factor":
        lo = tr.pct(100 * (float(row["low_value"]) - 1), 0, sign=True)
        hi = tr.pct(100 * (float(row["high_value"]) - 1), 0, sign=True)
        return tr("plot.tornado.range_rel", name=name, low=lo, high=hi)
    return tr("plot.tornado.range_rate", name=name, low=tr.num(row["low_value"], 1),
              high=tr.num(row["high_value"], 1))


@_style
def tornado(res: Results, lang: str = "en", scope: str = PROVINCE) -> Figure:
    """What drives the NPV: each input at its low and high value (``analysis/tornado.csv``)."""
    tr = Translator(lang)
    t = res.tornado
    title_scope = tr("plot.province") if scope == PROVINCE else _park_name(res, scope)
    fig, axes, panel = _figure(tr, tr("plot.tornado.title", scope=title_scope),
                        tr("plot.tornado.caption"), (10.0, 4.8))
    ax = axes[0][0]
    if t is None or t.empty or not (t["scope"] == scope).any():
        _empty(ax, tr, "plot.no_analysis")
        return fig
    d = t[t["scope"] == scope].copy()
    d["span"] = (d["npv_high_billion_vnd"] - d["npv_low_billion_vnd"]).abs()
    d = d.sort_values("span")
    base = float(d["npv_base_billion_vnd"].iloc[0])
    y = np.arange(len(d))
    for yi, (_, r) in zip(y, d.iterrows()):
        for col, key in (("npv_low_billion_vnd", "low"), ("npv_high_billion_vnd", "high")):
            v = float(r[col])
            ax.barh(yi, v - base, left=base, color=COLORS[key], edgecolor=EDGE, lw=0.5,
                    height=0.6)
        lo, hi = float(r["npv_low_billion_vnd"]), float(r["npv_high_billion_vnd"])
        if abs(hi - lo) < 1e-9 * max(abs(base), 1.0):
            ax.text(base, yi, "  " + tr("plot.tornado.no_effect"), va="center", fontsize=7.5,
                    color="#555555")
            continue
        for v, other in ((lo, hi), (hi, lo)):
            ax.text(v, yi, (" " if v >= other else "") + tr.num(v, 0) + (" " if v < other else ""),
                    va="center", ha="left" if v >= other else "right", fontsize=7.5)
    ax.axvline(base, color="#333333", lw=1.0)
    lo_all = float(d[["npv_low_billion_vnd", "npv_high_billion_vnd"]].min().min())
    hi_all = float(d[["npv_low_billion_vnd", "npv_high_billion_vnd"]].max().max())
    span = max(hi_all - lo_all, abs(base) * 0.05, 1e-6)
    ax.set_xlim(lo_all - 0.22 * span, hi_all + 0.22 * span)
    if lo_all - 0.22 * span < 0 < hi_all + 0.22 * span:
        ax.axvline(0, color=COLORS["cap"], lw=0.9, ls=":")
    ax.set_yticks(y, [_driver_label(tr, r) for _, r in d.iterrows()])
    ax.set_xlabel(tr("plot.tornado.xlabel"))
    ax.grid(axis="y", visible=False)
    _numbers(ax, lang, x=True, y=False)
    _legend(panel, [Patch(color=COLORS["low"]), Patch(color=COLORS["high"]),
                  ax.get_lines()[0]],
            [tr("plot.tornado.low"), tr("plot.tornado.high"),
             tr("plot.tornado.base", value=tr.num(base, 0))])
    return fig
