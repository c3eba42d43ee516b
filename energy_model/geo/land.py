"""Land/sea mask of Vietnam and the Gulf of Tonkin, and the sea check of a site.

The mask is the GLOBE 30-arc-second (≈ 0.9 km) land mask as packaged by the PyPI package
``global-land-mask`` 1.0.0 (NOAA GLOBE, public domain), cropped by
``tools/make_geo_data.py`` to lat 8–24 N, lon 102–110 E and shipped bit-packed in
``geo/data/land_mask_vietnam.npz`` (15 kB). The full package loads a 0.9 GB array in ~11 s,
too heavy for every scenario check, hence the crop. Outside the crop no check is made.

A 1-km mask calls some coastal points sea (the Bãi Cháy station's own coordinates are
one), so a site counts as *at sea* only when no land cell lies within
:data:`SHORE_TOLERANCE_KM` of it.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from energy_model.geo.distance import great_circle_km
from energy_model.geo.polygons import DATA

#: A site at sea by the mask is accepted when land lies within this distance [km]:
#: 2 km = about two mask cells, covering the mask's coastline error and the E placement
#: of catalog coordinates on their ward (the largest catalog gap is Texhong Hải Hà, 1.1 km).
SHORE_TOLERANCE_KM = 2.0


@lru_cache(maxsize=1)
def land_mask() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lat, lon, mask): cell-centre latitudes (south to north), longitudes, bool mask."""
    with np.load(DATA / "land_mask_vietnam.npz") as z:
        rows, cols = (int(v) for v in z["shape"])
        mask = np.unpackbits(z["bits"], axis=1)[:, :cols].astype(bool)
        return z["lat"].copy(), z["lon"].copy(), mask


def covered(lat: float, lon: float) -> bool:
    """Whether the shipped mask covers this point."""
    la, lo, _ = land_mask()
    return bool(la[0] <= lat <= la[-1] and lo[0] <= lon <= lo[-1])


def is_land(lat: float, lon: float) -> bool | None:
    """Land (True), sea (False) or unknown outside the mask (None) at the nearest cell."""
    if not covered(lat, lon):
        return None
    la, lo, mask = land_mask()
    i = int(np.argmin(np.abs(la - lat)))
    j = int(np.argmin(np.abs(lo - lon)))
    return bool(mask[i, j])


def distance_to_land_km(lat: float, lon: float, search_km: float = 30.0) -> float | None:
    """Distance to the nearest land cell centre [km]; 0 on land; inf if none within
    ``search_km``; None outside the mask."""
    land = is_land(lat, lon)
    if land is None:
        return None
    if land:
        return 0.0
    la, lo, mask = land_mask()
    dlat = search_km / 111.0
    dlon = dlat / max(np.cos(np.radians(lat)), 0.1)
    rows = np.where(np.abs(la - lat) <= dlat)[0]
    cols = np.where(np.abs(lo - lon) <= dlon)[0]
    sub = mask[np.ix_(rows, cols)]
    if not sub.any():
        return float("inf")
    ii, jj = np.nonzero(sub)
    d = great_circle_km(lat, lon, la[rows][ii], lo[cols][jj])
    return float(np.min(d))


def sea_problem(lat: float, lon: float, what: str) -> str | None:
    """A message when ``what`` (e.g. "a ground PV array") would stand at sea, else None."""
    d = distance_to_land_km(lat, lon)
    if d is None or d <= SHORE_TOLERANCE_KM:
        return None
    far = "more than 30 km" if d == float("inf") else f"{d:.1f} km"
    return (f"lat {lat:g}, lon {lon:g} is at sea ({far} from the nearest land of the "
            f"1-km GLOBE land mask; accepted up to {SHORE_TOLERANCE_KM:g} km from shore): "
            f"{what} needs land; check lat and lon, or use a floating PV array or an "
            "offsite wind farm")
