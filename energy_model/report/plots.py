"""Plots of a results folder: each a function of loaded results returning a Figure.

Every figure has a title, unit-bearing axis labels and a one-line caption (a text with
gid ``"caption"``, read back by :func:`caption_of`), in English or Vietnamese. Figures
are made with :class:`matplotlib.figure.Figure` (no pyplot state) in DejaVu Sans, which
carries the Vietnamese letters.

Province figures take ``(results, lang)``; park figures ``(results, park_id, lang)``.
Energy is power × 1 h summed over the hourly values (interval-start labels).

Colours follow the Okabe–Ito palette, readable with the common colour-vision
deficiencies; a colour keeps its meaning across figures.
"""

from __future__ import annotations

import functools
import math
import textwrap
from collections.abc import Callable, Iterator

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from energy_model.report.i18n import Translator, tick_formatter
from energy_model.report.load import PROVINCE, Results, supply_split
from energy_model.results import safe_name

#: matplotlib settings of every report figure
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.titlesize": 10.0,
    "axes.labelsize": 9.0,
    "legend.fontsize": 8.0,
    "xtick.labelsize": 8.0,
    "ytick.labelsize": 8.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "legend.frameon": False,
    "figure.dpi": 100,
    "axes.unicode_minus": True,
}
#: resolution of the PNG files [dot/inch]
DPI = 110
#: one colour per flow or technology (Okabe–Ito)
COLORS = {
    "pv_rooftop": "#E69F00", "pv_ground": "#F0E442", "pv_floating": "#CC79A7",
    "pv": "#E69F00", "wind": "#009E73", "battery": "#0072B2", "grid": "#9A9A9A",
    "unmet": "#000000", "export": "#56B4E9", "curtailment": "#D55E00",
    "charge": "#7FB2D9", "load": "#000000", "before": "#9A9A9A", "after": "#0072B2",
    "cap": "#D55E00", "low": "#56B4E9", "high": "#E69F00",
}
EDGE = "#4d4d4d"
#: meteorological seasons: key → months
SEASONS = {"winter": (12, 1, 2), "spring": (3, 4, 5), "summer": (6, 7, 8), "autumn": (9, 10, 11)}
#: hourly flows of the supply split, in stacking order, with their colours
SUPPLY = (("pv_to_load_kw", "pv"), ("wind_to_load_kw", "wind"),
          ("battery_to_load_kw", "battery"), ("grid_to_load_kw", "grid"), ("unmet_kw", "unmet"))
SINKS = (("battery_charge_kw", "charge"), ("export_kw", "export"),
         ("curtailment_kw", "curtailment"))
CAPTION_GID = "caption"


# --------------------------------------------------------------------------- figure helpers

def _figure(tr: Translator, title: str, caption: str, size: tuple[float, float],
            nrows: int = 1, ncols: int = 1, **subplot_kw):
    """A titled, captioned figure.

    The figure holds two sub-figures under one constrained layout: the panel (axes,
    legend, colour bars) and, below it, the caption, so that neither overlaps the other.

    Returns
    -------
    fig : Figure
    axes : numpy.ndarray of Axes, shape (nrows, ncols)
    panel : SubFigure
        Where figure-level legends and colour bars go.
    """
    with matplotlib.rc_context(STYLE):
        width_chars = int(size[0] * 72 / (8.5 * 0.55))  # ≈ characters per line at 8.5 pt
        lines = textwrap.wrap(caption, width=max(width_chars, 40))
        cap_h = 0.14 + 0.15 * len(lines)
        fig = Figure(figsize=(size[0], size[1] + cap_h), layout="constrained")
        FigureCanvasAgg(fig)
        panel, foot = fig.subfigures(2, 1, height_ratios=[size[1], cap_h])
        fig.suptitle(title, fontweight="bold", fontsize=11.5)
        foot.text(0.01, 0.5, "\n".join(lines), gid=CAPTION_GID, ha="left", va="center",
                  fontsize=8.5, style="italic", color="#333333")
        axes = panel.subplots(nrows, ncols, squeeze=False, **subplot_kw)
    return fig, axes, panel


def _style(func: Callable) -> Callable:
    """Run a plot function inside the report's matplotlib style."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context(STYLE):
            return func(*args, **kwargs)

    return wrapper


def caption_of(fig: Figure) -> str:
    """The one-line caption of a report figure (its text with gid ``caption``)."""
    for sub in (fig, *fig.subfigs):
        for t in sub.texts:
            if t.get_gid() == CAPTION_GID:
                return t.get_text().replace("\n", " ")
    return ""


def _numbers(ax, lang: str, x: bool = False, y: bool = True) -> None:
    """Write the tick labels of ``ax`` in the language's number format."""
    if x:
        ax.xaxis.set_major_formatter(tick_formatter(lang))
    if y:
        ax.yaxis.set_major_formatter(tick_formatter(lang))


def _legend(panel, handles, labels, ncol: int | None = None) -> None:
    """One legend for the figure, below the axes (outside them), above the caption."""
    if not handles:
        return
    panel.legend(handles, labels, loc="outside lower center",
               ncol=ncol or min(len(labels), 6), handlelength=1.4, columnspacing=1.2)


def _empty(ax, tr: Translator, key: str = "plot.no_data") -> None:
    ax.text(0.5, 0.5, tr(key), ha="center", va="center", transform=ax.transAxes,
            color="#666666")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)


def _park_name(res: Results, park_id: str) -> str:
    return str(res.parks.loc[park_id, "name"]) if park_id in res.parks.index else park_id


def _f(value) -> float:
    """A float, NaN for missing values."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return math.nan
    return v


def _hours(index: pd.DatetimeIndex) -> float:
    """Interval length of an hourly index [h]."""
    if len(index) < 2:
        return 1.0
    return float((index[1] - index[0]) / pd.Timedelta(hours=1))


# --------------------------------------------------------------------------- province map

def _place_labels(fig: Figure, ax, xs, ys, texts, radii, fontsize: float = 8.0) -> None:
    """Number labels beside their points, moved around until they overlap nothing.

    Greedy: each label tries eight directions at growing distances (in points) and takes
    the first whose box overlaps neither earlier labels nor any marker; a label placed
    far from its point gets a leader line.
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    pts = ax.transData.transform(np.column_stack([xs, ys]))
    scale = fig.dpi / 72.0
    boxes = [(x - r * scale, y - r * scale, x + r * scale, y + r * scale)
             for (x, y), r in zip(pts, radii)]
    directions = [(1, 1), (1, -1), (-1, 1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1)]

    def overlaps(b):
        return any(not (b[2] < o[0] or b[0] > o[2] or b[3] < o[1] or b[1] > o[3]) for o in boxes)

    for (px, py), text, r in zip(pts, texts, radii):
        probe = ax.text(0, 0, text, fontsize=fontsize, fontweight="bold")
        ext = probe.get_window_extent(renderer)
        probe.remove()
        w, h = ext.width, ext.height
        chosen = None
        for extra in (3, 7, 12, 18, 26, 36):
            dist = r + extra
            for dx, dy in directions:
                norm = math.hypot(dx, dy)
                ox, oy = dx / norm * dist * scale, dy / norm * dist * scale
                cx, cy = px + ox, py + oy
                b = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                if not overlaps(b):
                    chosen = (ox / scale, oy / scale, b, extra)
                    break
            if chosen:
                break
        if chosen is None:
            chosen = (r + 3.0, r + 3.0, (px, py, px + w, py + h), 3)
        ox, oy, b, dist = chosen
        boxes.append(b)
        ax.annotate(text, xy=ax.transData.inverted().transform((px, py)), xytext=(ox, oy),
                    textcoords="offset points", ha="center", va="center", fontsize=fontsize,
                    fontweight="bold", color="#1a1a1a",
                    arrowprops=({"arrowstyle": "-", "color": "#666666", "lw": 0.6,
                                 "shrinkA": 0, "shrinkB": r} if extra > 7 else None))


@_style
def province_map(res: Results, lang: str = "en") -> Figure:
    """Parks on an offline map of the province, sized by load and coloured by on-site share.

    Base layers (energy_model.geo, nothing fetched): land and sea from the shipped 1-km
    GLOBE mask with its coastline; the Hạ Long Bay World Heritage core and buffer zones and
    the Yên Tử complex sites in Quảng Ninh (outlines estimated, E). KCN are circles; KKT,
    whose outlines are not known, are larger squares sized by zone area; substations with a
    known rating are marked; parks flagged in a heritage zone carry a halo. A crowded
    cluster of parks is drawn again in an inset; numbered labels are placed without
    overlaps (energy_model.report.maplabels).
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Polygon

    from energy_model.geo.basemap import QUANG_NINH_EXTENT, heritage_zones, land_grid
    from energy_model.report.maplabels import cluster, place_labels

    tr = Translator(lang)
    parks = res.parks.reset_index(drop=True)
    fig, axes, panel = _figure(tr, tr("plot.map.title"), tr("plot.map.caption"), (12.0, 6.6),
                               1, 2, width_ratios=[2.5, 1.0])
    ax, side = axes[0]
    if parks.empty:
        _empty(ax, tr)
        return fig
    lon, lat = parks["lon"].astype(float).to_numpy(), parks["lat"].astype(float).to_numpy()
    load = parks["load_gwh"].astype(float).clip(lower=0)
    share = parks["self_sufficiency_pct"].astype(float).to_numpy()
    size = (30 + 520 * load / max(load.max(), 1e-9)).to_numpy()
    kinds = parks["kind"].astype(str).to_numpy()
    area_ha = np.array([float(res.park_scenario(pid).get("area_ha") or np.nan)
                        for pid in parks["park_id"]])
    kkt = kinds == "KKT"
    if kkt.any():  # KKT: no outline known: a square whose side grows with the zone's area
        side_pt = 14 + 10 * np.sqrt(np.nan_to_num(area_ha, nan=20000.0) / 20000.0)
        size = np.where(kkt, np.maximum(size, np.minimum(side_pt, 34.0) ** 2), size)
    buffer = (parks["heritage_buffer"].astype(bool).to_numpy() if "heritage_buffer" in parks
              else np.zeros(len(parks), dtype=bool))
    sub = np.array([bool((res.park_scenario(pid).get("grid") or {}).get("substation_mva"))
                    for pid in parks["park_id"]])
    top = math.ceil(np.nanmax(share) / 10) * 10 if np.isfinite(share).any() else 50.0
    vmax = max(50.0, top)
    zones = heritage_zones()
    styles = {("ha_long_bay", "buffer"): dict(fc="#b9dfb0", ec="#4d8f45", lw=0.8, ls="--",
                                              alpha=0.45),
              ("ha_long_bay", "core"): dict(fc="#7fbf72", ec="#2f6b28", lw=0.9, alpha=0.65),
              ("yen_tu", "buffer"): dict(fc="#c9a0dc", ec="#6a3d9a", lw=0.6, alpha=0.55),
              ("yen_tu", "core"): dict(fc="#6a3d9a", ec="#6a3d9a", lw=0.6, alpha=0.9)}

    def draw(a, extent, scale: float = 1.0):
        """Every layer on axes ``a`` over ``extent``; returns the park scatter."""
        x0, x1, y0, y1 = extent
        a.set_xlim(x0, x1)
        a.set_ylim(y0, y1)
        a.set_aspect(1.0 / math.cos(math.radians((y0 + y1) / 2)))
        a.grid(False)
        a.set_facecolor("#dcecf7")  # sea
        grid = land_grid(x0 - 0.02, x1 + 0.02, y0 - 0.02, y1 + 0.02)
        if grid is not None:
            glon, glat, land = grid
            a.contourf(glon, glat, land, levels=[0.5, 1.5], colors=["#f4f1e8"], zorder=0)
            a.contour(glon, glat, land, levels=[0.5], colors=["#6f8fa8"], linewidths=0.5,
                      zorder=0.5)
        else:
            a.set_facecolor("#f7f7f7")
        for z in sorted(zones, key=lambda z: z.zone != "buffer"):  # buffers under cores
            st = styles.get((z.site, z.zone))
            if st is not None:
                a.add_patch(Polygon(np.asarray(z.rings[0]), closed=True, zorder=1, **st))
        for z in zones:  # a marker keeps the small Yên Tử sites visible at province scale
            if z.site == "yen_tu" and z.zone == "buffer":
                c = np.asarray(z.rings[0]).mean(axis=0)
                a.scatter([c[0]], [c[1]], s=22, marker="o", color="#6a3d9a",
                          edgecolors="white", linewidths=0.6, zorder=2)
        s = size * scale
        if buffer.any():
            a.scatter(lon[buffer], lat[buffer], s=s[buffer] * 2.2 + 160 * scale,
                      color=COLORS["export"], alpha=0.45, linewidths=0, zorder=2)
        sc = None
        for kind, marker in (("KKT", "s"), ("KCN", "o")):  # large squares under circles
            m = kinds == kind
            if m.any():
                sc = a.scatter(lon[m], lat[m], s=s[m], c=share[m], cmap="viridis", vmin=0,
                               vmax=vmax, marker=marker, edgecolors=EDGE, linewidths=0.7,
                               alpha=0.85 if kind == "KKT" else 1.0, zorder=3)
        if sub.any():
            a.scatter(lon[sub], lat[sub], s=46, marker="^", color="#d7301f",
                      edgecolors="white", linewidths=0.7, zorder=4)
        return sc

    x0, x1, y0, y1 = QUANG_NINH_EXTENT
    extent = (min(x0, lon.min() - 0.08), max(x1, lon.max() + 0.08),
              min(y0, lat.min() - 0.06), max(y1, lat.max() + 0.06))
    sc = draw(ax, extent)
    ax.set_xlabel(tr("plot.map.xlabel"))
    ax.set_ylabel(tr("plot.map.ylabel"))
    _numbers(ax, lang, x=True, y=True)
    if sc is not None:
        cb = panel.colorbar(sc, ax=ax, shrink=0.55, pad=0.01, aspect=25)
        cb.set_label(tr("plot.map.colorbar"))
        cb.ax.yaxis.set_major_formatter(tick_formatter(lang))
    texts = [str(i + 1) for i in range(len(parks))]
    crowded = cluster(lon, lat, radius_km=9.0, min_members=4)
    outside = np.ones(len(parks), dtype=bool)
    if crowded.any():  # the crowded cluster again, zoomed, in an inset (north-west corner)
        cx0, cx1 = lon[crowded].min() - 0.035, lon[crowded].max() + 0.035
        cy0, cy1 = lat[crowded].min() - 0.03, lat[crowded].max() + 0.03
        inset = ax.inset_axes([0.005, 0.50, 0.34, 0.49])
        draw(inset, (cx0, cx1, cy0, cy1), scale=0.8)
        inset.set_xticks([])
        inset.set_yticks([])
        for spine in inset.spines.values():
            spine.set_visible(True)
            spine.set_color("#333333")
        ax.indicate_inset_zoom(inset, edgecolor="#333333", lw=0.8)
        place_labels(fig, inset, lon[crowded], lat[crowded],
                     [t for t, c in zip(texts, crowded) if c], np.sqrt(size[crowded] * 0.8) / 2)
        outside = ~crowded
        ibox = inset.get_window_extent(fig.canvas.get_renderer()).extents
        obstacles = [tuple(ibox)]
    else:
        obstacles = []
    place_labels(fig, ax, lon[outside], lat[outside],
                 [t for t, o in zip(texts, outside) if o], np.sqrt(size[outside]) / 2,
                 obstacles=obstacles)
    # legend: kinds, load sizes, halo, heritage, substations
    handles = [Line2D([], [], marker="o", ls="", color="#bbbbbb", mec=EDGE, ms=8,
                      label=tr("kind.KCN")),
               Line2D([], [], marker="s", ls="", color="#bbbbbb", mec=EDGE, ms=11,
                      label=tr("plot.map.kkt_legend"))]
    ref = _nice_round(load.max())
    for v in (ref / 4, ref):
        s_ = 30 + 520 * v / max(load.max(), 1e-9)
        handles.append(Line2D([], [], marker="o", ls="", color="none", mec=EDGE,
                              ms=math.sqrt(s_), label=tr("plot.map.size_legend",
                                                         value=tr.num(v, 0))))
    if buffer.any():
        handles.append(Line2D([], [], marker="o", ls="", color=COLORS["export"], alpha=0.5,
                              ms=14, mec="none", label=tr("plot.map.buffer_legend")))
    if zones:
        handles += [
            Patch(**styles[("ha_long_bay", "core")], label=tr("plot.map.core_legend")),
            Patch(**styles[("ha_long_bay", "buffer")],
                  label=tr("plot.map.heritage_buffer_legend")),
            Line2D([], [], marker="o", ls="", color="#6a3d9a", ms=6, mec="white",
                   label=tr("plot.map.yen_tu_legend"))]
    if sub.any():
        handles.append(Line2D([], [], marker="^", ls="", color="#d7301f", mec="white", ms=8,
                              label=tr("plot.map.substation_legend")))
    side.axis("off")
    side.grid(False)
    names = [f"{i + 1}  {n}" for i, n in enumerate(parks["name"].astype(str))]
    fs = 7.5 if len(names) <= 24 else 6.2
    side.text(0.0, 1.0, "\n".join(names), va="top", ha="left", fontsize=fs, linespacing=1.45,
              transform=side.transAxes)
    for h in handles:  # long labels (Vietnamese) wrap instead of widening the figure
        h.set_label(textwrap.fill(h.get_label(), 46))
    side.legend(handles=handles, loc="lower left", fontsize=7.0, labelspacing=1.1,
                borderpad=0.3, handletextpad=1.2, frameon=False, bbox_to_anchor=(0.0, -0.04))
    return fig


def _nice_round(value: float) -> float:
    """A round number near ``value`` (1, 2 or 5 × 10^k)."""
    if not value or not math.isfinite(value) or value <= 0:
        return 1.0
    k = 10 ** math.floor(math.log10(value))
    return min((1, 2, 5, 10), key=lambda m: abs(m * k - value)) * k


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
    """The weather used against the station normals it was made from.

    Three panels give each month's deviation of the mean GHI [%], air temperature [°C]
    and wind speed [%] from the normal; the fourth the deviation [%] of the hourly
    structure: Weibull k, lag-1 autocorrelation and diurnal strength of the wind and the
    daily temperature range (hollow markers: the normal is a default, mark E). A weather
    file without normals shows its monthly means instead.
    """
    tr = Translator(lang)
    fig, axes, panel = _figure(tr, tr("plot.weather.title"), tr("plot.weather.caption"),
                               (12.0, 4.4), 1, 4, width_ratios=[1, 1, 1, 1.3])
    w = res.weather_check
    if w is None or w.empty:
        for ax in axes[0]:
            _empty(ax, tr, "plot.no_analysis")
        return fig
    specs = (("ghi_kwh_m2_day", "ghi", "pct", 5.0), ("temp_air_c", "temp", "c", 0.5),
             ("wind_speed_m_s", "wind", "pct", 5.0))
    stations = list(dict.fromkeys(w["station"]))
    colors = dict(zip(stations, _station_colors(len(stations))))
    handles = {}
    months = list(range(1, 13))
    for ax, (col, key, kind, band) in zip(axes[0], specs):
        rec, nor = w[f"{col}_weather"].astype(float), w[f"{col}_normal"].astype(float)
        has = nor.notna()
        if has.any():
            dev = 100 * (rec / nor - 1) if kind == "pct" else rec - nor
            ax.axhspan(-band, band, color="#e3e3e3", lw=0)
            ax.axhline(0, color="#555555", lw=0.8)
            for s in stations:
                m = (w["station"] == s) & has
                if m.any():
                    handles[s] = ax.plot(w.loc[m, "month"], dev[m], color=colors[s], marker="o",
                                         ms=3, lw=1.0)[0]
            lim = max(2 * band, float(np.nanmax(np.abs(dev))) * 1.2)
            ax.set_ylim(-lim, lim)
            ax.set_ylabel(tr(f"plot.weather.dev_{kind}"))
        else:  # a weather file without normals: its monthly values
            for s in stations:
                m = w["station"] == s
                handles[s] = ax.plot(w.loc[m, "month"], rec[m], color=colors[s], marker="o",
                                     ms=3)[0]
            ax.set_ylabel(tr(f"plot.weather.{key}"))
        ax.set_title(tr(f"plot.weather.{key}_title"), fontsize=9.5)
        ax.set_xticks(months[::2], [tr.month(m) for m in months[::2]])
        ax.set_xlabel(tr("plot.month_axis"))
        _numbers(ax, lang)
    ax = axes[0][3]
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
    names = {s: str(w.loc[w["station"] == s, "name"].iloc[0]) for s in stations}
    _legend(panel, [handles[s] for s in stations if s in handles],
            [names[s] for s in stations if s in handles], ncol=min(len(handles), 6))
    return fig


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


# --------------------------------------------------------------------------- all figures

#: Province-level figures, in report order: (file stem, function).
PROVINCE_PLOTS = (("map", province_map), ("capacity_mix", capacity_mix),
                  ("energy_by_source", energy_by_source), ("coincident_peak", coincident_peak),
                  ("frontier", frontier), ("tornado", tornado), ("weather_check", weather_check))
#: Figures drawn for each park: (file stem prefix, function).
PARK_PLOTS = (("monthly", monthly_balance), ("typical_days", typical_days),
              ("import_duration", import_duration))


def all_figures(res: Results, lang: str = "en") -> Iterator[tuple[str, str | None, Figure]]:
    """Every report figure: ``(file stem, park id or None, Figure)``, in report order."""
    for stem, func in PROVINCE_PLOTS:
        yield stem, None, func(res, lang)
    for pid in res.park_ids:
        for stem, func in PARK_PLOTS:
            yield f"{stem}_{safe_name(pid)}", pid, func(res, pid, lang)


def save_png(fig: Figure, path) -> None:
    """Write a figure as PNG at :data:`DPI`, without time stamps (reproducible bytes)."""
    fig.savefig(path, dpi=DPI, format="png", metadata={"Software": None})
