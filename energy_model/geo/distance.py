"""Great-circle distance: the one implementation used across the package."""
from __future__ import annotations

import numpy as np

#: Mean Earth radius [km] (sphere).
EARTH_RADIUS_KM = 6371.0


def great_circle_km(lat1, lon1, lat2, lon2):
    """Great-circle (haversine) distance on a sphere of radius 6,371 km [km].

    Accepts scalars or numpy arrays (broadcast); returns a float for scalars.
    """
    p = np.pi / 180.0
    lat1, lon1, lat2, lon2 = (np.asarray(v, dtype=float) for v in (lat1, lon1, lat2, lon2))
    h = (np.sin((lat2 - lat1) * p / 2) ** 2
         + np.cos(lat1 * p) * np.cos(lat2 * p) * np.sin((lon2 - lon1) * p / 2) ** 2)
    d = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return float(d) if d.ndim == 0 else d
