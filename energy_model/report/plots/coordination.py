"""Figures of province-coordinated sizing (issue 16), from ``province/`` only: the relief
cost curve (``curve.csv``) and the hourly shadow price of the cap on the summed import
(``shadow_prices.csv``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from energy_model.report.i18n import Translator
from energy_model.report.plots.common import COLORS, _empty, _figure, _legend, _numbers

__all__ = ["plot_relief_curve", "plot_shadow_prices", "shown_point"]


def shown_point(prices: pd.DataFrame) -> float:
    """Relief [MW] whose hourly prices are drawn: the largest target below the largest
    relief (its prices are finite), else the largest point."""
    pts = prices.drop_duplicates("relief_mw")
    targets = pts[(pts["kind"] == "target") & (pts["relief_mw"] > 0)]
    return float((targets if len(targets) else pts)["relief_mw"].max())


def plot_relief_curve(points: pd.DataFrame, lang: str = "en") -> Figure:
    """Cost of relief against relief [MW]: the average cost of a MW-yr (cost increase /
    relief) and the marginal cost (Σ hourly shadow prices) [billion VND per MW-yr]."""
    tr = Translator(lang)
    fig, axes, panel = _figure(tr, tr("province.curve.title"), tr("province.curve.caption"),
                               (7.5, 3.6))
    ax = axes[0, 0]
    p = points[points["relief_mw"] > 0].sort_values("relief_mw")
    if p.empty:
        _empty(ax, tr)
        return fig
    h1 = ax.plot(p["relief_mw"], p["vnd_per_mw_yr"] / 1e9, marker="o",
                 color=COLORS["battery"])[0]
    t = p[p["kind"] != "largest"]
    h2 = ax.plot(t["relief_mw"], t["marginal_vnd_per_mw_yr"] / 1e9, marker="s", ls="--",
                 color=COLORS["cap"])[0]
    ax.set_xlabel(tr("province.relief_axis"))
    ax.set_ylabel(tr("province.cost_axis"))
    ax.set_ylim(bottom=0)
    _numbers(ax, lang, x=True)
    _legend(panel, [h1, h2], [tr("province.average"), tr("province.marginal")])
    return fig


def plot_shadow_prices(prices: pd.DataFrame, lang: str = "en") -> Figure:
    """Hourly shadow price of the cap [million VND per MW-yr] over the window hours, and
    the summed import before and after [MW], at :func:`shown_point`."""
    tr = Translator(lang)
    relief = shown_point(prices) if len(prices) else np.nan
    fig, axes, panel = _figure(tr, tr("province.prices.title", relief=tr.num(relief)),
                               tr("province.prices.caption"), (7.5, 4.6), nrows=2, sharex=True)
    top, bottom = axes[0, 0], axes[1, 0]
    d = prices[np.isclose(prices["relief_mw"], relief)] if len(prices) else prices
    if d.empty:
        _empty(top, tr)
        _empty(bottom, tr)
        return fig
    x = np.arange(len(d))
    y = d["shadow_price_vnd_per_kw_yr"].to_numpy(float) * 1e3 / 1e6
    nz = np.flatnonzero(y > 0)          # few hours carry a price: stems stay visible
    top.vlines(x[nz], 0.0, y[nz], color=COLORS["battery"], lw=1.0)
    top.plot(x[nz], y[nz], "o", ms=2.5, color=COLORS["battery"])
    top.set_xlim(-0.5, len(x) - 0.5)
    top.set_ylim(bottom=0)
    top.set_ylabel(tr("province.price_axis"))
    h1 = bottom.plot(x, d["province_import_before_mw"], lw=0.8, color=COLORS["before"])[0]
    h2 = bottom.plot(x, d["province_import_after_mw"], lw=0.8,
                     color=COLORS["after"])[0]
    bottom.set_ylabel(tr("grid.import_axis"))
    bottom.set_xlabel(tr("province.hour_axis"))
    _numbers(top, lang)
    _numbers(bottom, lang)
    _legend(panel, [h1, h2], [tr("province.before"), tr("province.after")])
    return fig
