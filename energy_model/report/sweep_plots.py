"""Figures of studies, drawn from their tables: the sweep's sensitivity tornado
(:func:`plot_sensitivity` of :func:`energy_model.studies.sweep.main_effects`), and the
uncertainty study's yield distributions and load-versus-weather ranges.

Each function takes a table and returns a matplotlib Figure; nothing here computes a
result (the studies layer draws no plots).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd


def plot_sensitivity(effects: pd.DataFrame, metric: str, unit: str = ""):
    """Tornado of :func:`main_effects`: for each key, the range of the mean of ``metric``
    across its values, widest on top. Returns a matplotlib Figure."""
    g = effects.groupby("key")["mean"].agg(["min", "max"])
    g = g.assign(swing=g["max"] - g["min"]).sort_values("swing")
    fig, ax = plt.subplots(figsize=(7, 0.6 + 0.45 * max(len(g), 1)))
    ax.barh(range(len(g)), g["swing"], left=g["min"], color="#6baed6")
    for i, (k, r) in enumerate(g.iterrows()):
        low = effects[(effects["key"] == k) & (effects["mean"] == r["min"])]["value"].iloc[0]
        high = effects[(effects["key"] == k) & (effects["mean"] == r["max"])]["value"].iloc[0]
        ax.text(r["min"], i, f"{low} ", ha="right", va="center", fontsize=7)
        ax.text(r["max"], i, f" {high}", ha="left", va="center", fontsize=7)
    ax.set_yticks(range(len(g)), list(g.index), fontsize=8)
    ax.set_xlabel(f"{metric}" + (f" [{unit}]" if unit else ""))
    ax.set_title("sensitivity: mean over the other keys", fontsize=9)
    fig.tight_layout()
    return fig


def plot_yield_distribution(resource: pd.DataFrame, levels: pd.DataFrame, park_id: str):
    """Histogram of a park's annual specific PV (and wind) yield over the weather years,
    with P50, P75 and P90 (weather ⊕ data) marked. Returns a matplotlib Figure."""
    metrics = [m for m in ("pv_kwh_per_kwp", "wind_kwh_per_kw")
               if resource.loc[resource["park_id"] == park_id, m].notna().all()]
    fig, axes = plt.subplots(1, max(len(metrics), 1), figsize=(5.5 * max(len(metrics), 1), 3.6),
                             squeeze=False)
    for ax, m in zip(axes[0], metrics):
        v = resource.loc[resource["park_id"] == park_id, m]
        ax.hist(v, bins=min(12, max(len(v) // 2, 3)), color="#9ecae1", edgecolor="#3182bd")
        row = levels[(levels["park_id"] == park_id) & (levels["metric"] == m)]
        if not row.empty:
            for x, style in ((50, "-"), (75, "--"), (90, ":")):
                ax.axvline(row.iloc[0][f"p{x}"], color="k", ls=style, label=f"P{x}")
        unit = "kWh/kWp/yr" if m.startswith("pv") else "kWh/kW/yr"
        ax.set_xlabel(f"{'PV' if m.startswith('pv') else 'wind'} specific yield [{unit}]")
        ax.set_ylabel("weather years")
        ax.legend(fontsize=8)
    fig.suptitle(f"{park_id}: {resource['weather_year'].nunique()} synthetic weather years")
    fig.tight_layout()
    return fig


def plot_load_vs_weather(table: pd.DataFrame):
    """Range of each metric from weather (P50↔P90) beside the load cases (low↔high), in %
    of the base; the usual finding is that load dominates. Returns a matplotlib Figure."""
    t = table[table["park_id"] == "PROVINCE"] if (table["park_id"] == "PROVINCE").any() else table
    fig, ax = plt.subplots(figsize=(6.5, 0.5 + 0.55 * len(t)))
    y = np.arange(len(t))
    ax.barh(y + 0.18, t["load_range_pct"], height=0.35, color="#fd8d3c", label="load low↔high")
    ax.barh(y - 0.18, t["weather_range_pct"], height=0.35, color="#6baed6", label="weather P50↔P90")
    ax.set_yticks(y, [f"{m} [{u}]" for m, u in zip(t["metric"], t["unit"])], fontsize=8)
    ax.set_xlabel("range [% of base / P50]")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
