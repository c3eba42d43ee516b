"""Small polygon helpers in numpy (no GIS dependency): point-in-polygon and GeoJSON rings."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent / "data"


def point_in_ring(lon: float, lat: float, ring) -> bool:
    """Whether (lon, lat) lies inside a closed ring of (lon, lat) vertices (even-odd rule)."""
    xy = np.asarray(ring, dtype=float)
    x, y = xy[:, 0], xy[:, 1]
    x2, y2 = np.roll(x, -1), np.roll(y, -1)
    crosses = (y > lat) != (y2 > lat)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_at = x + (lat - y) * (x2 - x) / (y2 - y)
    return bool(np.count_nonzero(crosses & (lon < x_at)) % 2 == 1)


def point_in_polygon(lon: float, lat: float, rings) -> bool:
    """Inside the exterior ring (``rings[0]``) and outside every hole (``rings[1:]``)."""
    if not point_in_ring(lon, lat, rings[0]):
        return False
    return not any(point_in_ring(lon, lat, hole) for hole in rings[1:])


@lru_cache(maxsize=None)
def load_features(name: str) -> tuple[dict, ...]:
    """The features of a shipped GeoJSON file in ``geo/data/`` (read once)."""
    doc = json.loads((DATA / name).read_text(encoding="utf-8"))
    return tuple(doc["features"])
