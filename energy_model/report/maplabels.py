"""Label placement for the province map: each label beside its point, overlapping nothing.

A small greedy repel (no extra dependency): labels are placed one at a time, most crowded
point first; each tries 16 directions at growing distances and takes the first box that
overlaps no marker, no earlier label and stays inside the axes. A label far from its point
gets a leader line.
"""
from __future__ import annotations

import math

import numpy as np


def _overlaps(b, boxes) -> bool:
    return any(not (b[2] < o[0] or b[0] > o[2] or b[3] < o[1] or b[1] > o[3]) for o in boxes)


def place_labels(fig, ax, xs, ys, texts, radii, fontsize: float = 8.0,
                 obstacles=(), color: str = "#1a1a1a") -> list:
    """Place ``texts`` beside points (data coordinates) whose markers have ``radii`` [pt].

    ``obstacles``: extra boxes in display pixels to keep clear (e.g. legend, text).
    Returns the annotation artists, in input order.
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    pts = ax.transData.transform(np.column_stack([xs, ys]))
    scale = fig.dpi / 72.0
    axbox = ax.get_window_extent(renderer)
    boxes = [(x - r * scale, y - r * scale, x + r * scale, y + r * scale)
             for (x, y), r in zip(pts, radii)] + list(obstacles)
    angles = [math.radians(a) for a in (45, 135, 315, 225, 0, 180, 90, 270,
                                        22.5, 67.5, 112.5, 157.5, 202.5, 247.5, 292.5, 337.5)]
    # crowded points first: they have the fewest free places
    d = np.hypot(pts[:, None, 0] - pts[None, :, 0], pts[:, None, 1] - pts[None, :, 1])
    crowd = (d < 40 * scale).sum(axis=1)
    order = sorted(range(len(texts)), key=lambda i: -crowd[i])
    out: dict[int, object] = {}
    for i in order:
        (px, py), text, r = pts[i], texts[i], radii[i]
        probe = ax.text(0, 0, text, fontsize=fontsize, fontweight="bold")
        ext = probe.get_window_extent(renderer)
        probe.remove()
        w, h = ext.width + 2, ext.height + 1
        chosen = None
        for extra in (2, 5, 9, 14, 20, 28, 38, 50, 64, 80):
            dist = r + extra
            for a in angles:
                ox, oy = math.cos(a) * (dist * scale + w / 2), math.sin(a) * (dist * scale + h / 2)
                cx, cy = px + ox, py + oy
                b = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                inside = (b[0] >= axbox.x0 and b[2] <= axbox.x1 and b[1] >= axbox.y0
                          and b[3] <= axbox.y1)
                if inside and not _overlaps(b, boxes):
                    chosen = (ox / scale, oy / scale, b, extra)
                    break
            if chosen:
                break
        if chosen is None:
            chosen = (r + 3.0, r + 3.0, (px, py, px + w, py + h), 3)
        ox, oy, b, extra = chosen
        boxes.append(b)
        out[i] = ax.annotate(
            text, xy=ax.transData.inverted().transform((px, py)), xytext=(ox, oy),
            textcoords="offset points", ha="center", va="center", fontsize=fontsize,
            fontweight="bold", color=color, zorder=6,
            bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.75},
            arrowprops=({"arrowstyle": "-", "color": "#555555", "lw": 0.6, "shrinkA": 0,
                         "shrinkB": r} if extra > 5 else None))
    return [out[i] for i in range(len(texts))]


def label_boxes(fig, artists) -> list[tuple[float, float, float, float]]:
    """Display boxes of drawn artists (for overlap tests)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return [tuple(a.get_window_extent(renderer).extents) for a in artists]


def cluster(lon, lat, radius_km: float = 9.0, min_members: int = 4) -> np.ndarray:
    """Mask of the points in the densest cluster: those with at least ``min_members - 1``
    neighbours within ``radius_km``, and their neighbours; empty when none is that crowded."""
    from energy_model.geo.distance import great_circle_km

    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    d = great_circle_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    near = np.asarray(d) <= radius_km
    counts = near.sum(axis=1)
    if len(lon) == 0 or counts.max() < min_members:
        return np.zeros(len(lon), dtype=bool)
    seed = int(np.argmax(counts))
    return near[seed] | near[near[seed]].any(axis=0) & (counts >= 2)
