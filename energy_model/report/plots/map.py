"""The province map figure.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from energy_model.report.i18n import Translator, tick_formatter
from energy_model.report.load import Results
from energy_model.report.plots.common import COLORS, EDGE, _empty, _figure, _numbers, _style


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
