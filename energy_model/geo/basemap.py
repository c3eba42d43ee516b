"""Offline base layers for maps: land/sea grid (for the coastline) and heritage polygons.

Everything comes from ``geo/data`` (see its README): nothing is fetched.
"""
from __future__ import annotations

import numpy as np

from energy_model.geo.heritage import Zone, zones
from energy_model.geo.land import land_mask

#: The province and its sea, for the map's default extent [deg]: lon0, lon1, lat0, lat1.
QUANG_NINH_EXTENT = (106.42, 108.12, 20.68, 21.72)


def land_grid(lon0: float, lon1: float, lat0: float, lat1: float, step: int = 1
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(lon, lat, land) of the shipped 1-km mask inside a box, or None outside its cover.

    ``land`` is float (1 land, 0 sea) for contouring; ``step`` thins the grid.
    """
    la, lo, mask = land_mask()
    if lon1 < lo[0] or lon0 > lo[-1] or lat1 < la[0] or lat0 > la[-1]:
        return None
    rows = np.where((la >= lat0) & (la <= lat1))[0][::step]
    cols = np.where((lo >= lon0) & (lo <= lon1))[0][::step]
    if len(rows) < 2 or len(cols) < 2:
        return None
    return lo[cols], la[rows], mask[np.ix_(rows, cols)].astype(float)


def heritage_zones() -> list[Zone]:
    """The heritage polygons to draw (core and buffer of each site)."""
    return zones()
