"""The province map figure: offline base layers, parks, an inset for a crowded cluster,
numbered labels and a side legend."""

from __future__ import annotations

import math
import textwrap

from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon

from energy_model.geo.basemap import QUANG_NINH_EXTENT, heritage_zones, land_grid
from energy_model.report.i18n import Translator, tick_formatter
from energy_model.report.load import Results
from energy_model.report.maplabels import cluster, place_labels
from energy_model.report.plots.common import COLORS, EDGE, _empty, _figure, _numbers, _style


# --------------------------------------------------------------------------- province map

#: Fill and edge of the heritage zones, by (site, zone).
_HERITAGE_STYLES = {("ha_long_bay", "buffer"): dict(fc="#b9dfb0", ec="#4d8f45", lw=0.8, ls="--",
                                                    alpha=0.45),
                    ("ha_long_bay", "core"): dict(fc="#7fbf72", ec="#2f6b28", lw=0.9,
                                                  alpha=0.65),
                    ("yen_tu", "buffer"): dict(fc="#c9a0dc", ec="#6a3d9a", lw=0.6, alpha=0.55),
                    ("yen_tu", "core"): dict(fc="#6a3d9a", ec="#6a3d9a", lw=0.6, alpha=0.9)}


@dataclass(frozen=True)
class _MapData:
    """What the map draws of each park (arrays in park order) and the heritage zones."""

    lon: np.ndarray
    lat: np.ndarray
    load: pd.Series  # annual load [GWh], ≥ 0
    share: np.ndarray  # self-sufficiency [%]
    size: np.ndarray  # marker area [pt²]
    kinds: np.ndarray
    buffer: np.ndarray  # park flagged in a heritage buffer
    sub: np.ndarray  # park with a known substation rating
    vmax: float  # top of the colour scale [%]
    zones: list


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
    tr = Translator(lang)
    parks = res.parks.reset_index(drop=True)
    fig, axes, panel = _figure(tr, tr("plot.map.title"), tr("plot.map.caption"), (12.0, 6.6),
                               1, 2, width_ratios=[2.5, 1.0])
    ax, side = axes[0]
    if parks.empty:
        _empty(ax, tr)
        return fig
    d = _map_data(res, parks)
    x0, x1, y0, y1 = QUANG_NINH_EXTENT
    extent = (min(x0, d.lon.min() - 0.08), max(x1, d.lon.max() + 0.08),
              min(y0, d.lat.min() - 0.06), max(y1, d.lat.max() + 0.06))
    sc = _draw_layers(ax, extent, d)
    ax.set_xlabel(tr("plot.map.xlabel"))
    ax.set_ylabel(tr("plot.map.ylabel"))
    _numbers(ax, lang, x=True, y=True)
    if sc is not None:
        cb = panel.colorbar(sc, ax=ax, shrink=0.55, pad=0.01, aspect=25)
        cb.set_label(tr("plot.map.colorbar"))
        cb.ax.yaxis.set_major_formatter(tick_formatter(lang))
    _label_parks(fig, ax, d)
    _map_legend(tr, side, parks, d)
    return fig


def _map_data(res: Results, parks: pd.DataFrame) -> _MapData:
    """Positions, marker sizes, colours and flags of the parks, and the heritage zones."""
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
    return _MapData(lon=lon, lat=lat, load=load, share=share, size=size, kinds=kinds,
                    buffer=buffer, sub=sub, vmax=vmax, zones=heritage_zones())


def _draw_layers(a, extent, d: _MapData, scale: float = 1.0):
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
    for z in sorted(d.zones, key=lambda z: z.zone != "buffer"):  # buffers under cores
        st = _HERITAGE_STYLES.get((z.site, z.zone))
        if st is not None:
            a.add_patch(Polygon(np.asarray(z.rings[0]), closed=True, zorder=1, **st))
    for z in d.zones:  # a marker keeps the small Yên Tử sites visible at province scale
        if z.site == "yen_tu" and z.zone == "buffer":
            c = np.asarray(z.rings[0]).mean(axis=0)
            a.scatter([c[0]], [c[1]], s=22, marker="o", color="#6a3d9a",
                      edgecolors="white", linewidths=0.6, zorder=2)
    lon, lat, buffer, sub = d.lon, d.lat, d.buffer, d.sub
    s = d.size * scale
    if buffer.any():
        a.scatter(lon[buffer], lat[buffer], s=s[buffer] * 2.2 + 160 * scale,
                  color=COLORS["export"], alpha=0.45, linewidths=0, zorder=2)
    sc = None
    for kind, marker in (("KKT", "s"), ("KCN", "o")):  # large squares under circles
        m = d.kinds == kind
        if m.any():
            sc = a.scatter(lon[m], lat[m], s=s[m], c=d.share[m], cmap="viridis", vmin=0,
                           vmax=d.vmax, marker=marker, edgecolors=EDGE, linewidths=0.7,
                           alpha=0.85 if kind == "KKT" else 1.0, zorder=3)
    if sub.any():
        a.scatter(lon[sub], lat[sub], s=46, marker="^", color="#d7301f",
                  edgecolors="white", linewidths=0.7, zorder=4)
    return sc


def _label_parks(fig: Figure, ax, d: _MapData) -> None:
    """Number the parks; a crowded cluster is drawn again, zoomed, in an inset."""
    lon, lat, size = d.lon, d.lat, d.size
    texts = [str(i + 1) for i in range(len(lon))]
    crowded = cluster(lon, lat, radius_km=9.0, min_members=4)
    outside = np.ones(len(lon), dtype=bool)
    if crowded.any():  # the crowded cluster again, zoomed, in an inset (north-west corner)
        cx0, cx1 = lon[crowded].min() - 0.035, lon[crowded].max() + 0.035
        cy0, cy1 = lat[crowded].min() - 0.03, lat[crowded].max() + 0.03
        inset = ax.inset_axes([0.005, 0.50, 0.34, 0.49])
        _draw_layers(inset, (cx0, cx1, cy0, cy1), d, scale=0.8)
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


def _map_legend(tr: Translator, side, parks: pd.DataFrame, d: _MapData) -> None:
    """The side panel: numbered park names and the legend (kinds, sizes, halo, heritage,
    substations)."""
    load = d.load
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
    if d.buffer.any():
        handles.append(Line2D([], [], marker="o", ls="", color=COLORS["export"], alpha=0.5,
                              ms=14, mec="none", label=tr("plot.map.buffer_legend")))
    if d.zones:
        handles += [
            Patch(**_HERITAGE_STYLES[("ha_long_bay", "core")], label=tr("plot.map.core_legend")),
            Patch(**_HERITAGE_STYLES[("ha_long_bay", "buffer")],
                  label=tr("plot.map.heritage_buffer_legend")),
            Line2D([], [], marker="o", ls="", color="#6a3d9a", ms=6, mec="white",
                   label=tr("plot.map.yen_tu_legend"))]
    if d.sub.any():
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


def _nice_round(value: float) -> float:
    """A round number near ``value`` (1, 2 or 5 × 10^k)."""
    if not value or not math.isfinite(value) or value <= 0:
        return 1.0
    k = 10 ** math.floor(math.log10(value))
    return min((1, 2, 5, 10), key=lambda m: abs(m * k - value)) * k
