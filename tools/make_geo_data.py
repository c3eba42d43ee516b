"""Build the geometry data shipped in energy_model/geo/data/ (run once; not at run time).

    python tools/make_geo_data.py

Needs, at build time only, ``global-land-mask`` (GLOBE 30-arc-second land/sea mask, NOAA,
public domain) and ``shapely``. It writes:

- ``land_mask_vietnam.npz``: the GLOBE land mask cropped to lat 8–24 N, lon 102–110 E
  (Vietnam, its coast and the Gulf of Tonkin), bit-packed. Cells are 1/120° (≈ 0.9 km).
- ``heritage.geojson``: World Heritage core and buffer polygons approximated from the
  published descriptions (mark E, method in each feature's ``method``).

Nothing here is fetched: both inputs are offline (a PyPI wheel and the constants below).
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "energy_model" / "geo" / "data"
LAT0, LAT1, LON0, LON1 = 8.0, 24.0, 102.0, 110.0
KM_PER_DEG = 111.195  # mean great-circle km per degree on the 6,371 km sphere


def land_mask() -> None:
    from global_land_mask import globe  # loads ~0.9 GB; build time only

    # the package stores an ocean mask (True = water): is_land() is its negation
    lat, lon, mask = globe._lat, globe._lon, ~globe._mask
    rows = np.where((lat >= LAT0) & (lat <= LAT1))[0]
    cols = np.where((lon >= LON0) & (lon <= LON1))[0]
    sub = mask[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    la = lat[rows.min():rows.max() + 1]
    lo = lon[cols.min():cols.max() + 1]
    order = np.argsort(la)  # south to north
    sub, la = sub[order], la[order]
    np.savez_compressed(OUT / "land_mask_vietnam.npz", bits=np.packbits(sub, axis=1),
                        shape=np.array(sub.shape), lat=la.astype("float64"),
                        lon=lo.astype("float64"))


def _to_km(lon, lat, lat0):
    return (np.asarray(lon) * KM_PER_DEG * math.cos(math.radians(lat0)),
            np.asarray(lat) * KM_PER_DEG)


def _to_deg(x, y, lat0):
    return (np.asarray(x) / (KM_PER_DEG * math.cos(math.radians(lat0))),
            np.asarray(y) / KM_PER_DEG)


def _ring(poly, lat0):
    x, y = poly.exterior.xy
    lon, lat = _to_deg(x, y, lat0)
    return [[round(float(a), 5), round(float(b), 5)] for a, b in zip(lon, lat)]


def heritage() -> None:
    from shapely.affinity import scale
    from shapely.geometry import Point, Polygon

    features = []
    # Hạ Long Bay core zone: 434 km² (S), bounded by Đầu Gỗ island (west), Ba Hầm lake
    # (south) and Cống Tây island (east) (published description, S2). The outline below
    # joins those landmarks and the bay's island belt, then is scaled about its centroid
    # to exactly 434 km² (E).
    lat0 = 20.85
    pts = [(107.035, 20.915), (107.08, 20.935), (107.14, 20.925), (107.20, 20.905),
           (107.26, 20.895), (107.305, 20.870), (107.300, 20.835), (107.255, 20.800),
           (107.19, 20.775), (107.12, 20.770), (107.07, 20.790), (107.040, 20.840)]
    x, y = _to_km([p[0] for p in pts], [p[1] for p in pts], lat0)
    core = Polygon(zip(x, y))
    f = math.sqrt(434.0 / core.area)
    core = scale(core, f, f, origin="centroid")
    buffer = core.buffer(6.0, quad_segs=8)  # the 5–7 km ring (S), taken as 6 km (E)
    features.append(_feature("ha_long_core", "Hạ Long Bay core zone", "core", "ha_long_bay",
                             _ring(core, lat0), round(core.area, 1),
                             "E: landmarks of the published boundary (Đầu Gỗ W, Ba Hầm S, Cống "
                             "Tây E) joined along the island belt, scaled to 434 km² (S)"))
    features.append(_feature("ha_long_buffer", "Hạ Long Bay buffer zone", "buffer", "ha_long_bay",
                             _ring(buffer, lat0), round(buffer.area, 1),
                             "E: the core outline grown by 6 km, the middle of the published "
                             "5–7 km ring (S); the Cát Bà part (Hải Phòng) is not drawn"))
    # Yên Tử – Vĩnh Nghiêm – Côn Sơn, Kiếp Bạc: 12 sites, core 525.75 ha, buffer 4,380.19 ha
    # (S2). Per-site areas NF: each site gets an equal share (43.8 ha core, 365.0 ha buffer)
    # as a circle on its E location.
    core_ha, buffer_ha = 525.75 / 12, 4380.19 / 12
    sites = [("hoa_yen", "Chùa Hoa Yên (Yên Tử)", 106.7200, 21.1540),
             ("lan", "Chùa Lân (Trúc Lâm Yên Tử)", 106.7380, 21.1270),
             ("ngoa_van", "Chùa Ngọa Vân", 106.5560, 21.1520),
             ("tran_temple", "Khu di tích nhà Trần (Đông Triều)", 106.5860, 21.1050),
             ("yen_giang", "Bãi cọc Yên Giang", 106.8060, 20.9360)]
    for sid, name, lon, lat in sites:
        cx, cy = _to_km(lon, lat, lat)
        r_core = math.sqrt(core_ha / 100.0 / math.pi)
        r_buf = math.sqrt((core_ha + buffer_ha) / 100.0 / math.pi)
        for zone, r in (("core", r_core), ("buffer", r_buf)):
            poly = Point(float(cx), float(cy)).buffer(r, quad_segs=8)
            features.append(_feature(
                f"yen_tu_{sid}_{zone}", f"{name}, {zone}", zone, "yen_tu",
                _ring(poly, lat), round(poly.area, 3),
                "E: circle of 1/12 of the complex's published " + zone + " area (core 525.75 ha, "
                "buffer 4,380.19 ha, S2) on the site's location (E, placed on the named pagoda, "
                "temple or stake field)"))
    doc = {"type": "FeatureCollection",
           "note": "World Heritage zones approximated from published descriptions; all "
                   "outlines mark E. Built by tools/make_geo_data.py.",
           "features": features}
    (OUT / "heritage.geojson").write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n",
                                          encoding="utf-8")


def _feature(fid, name, zone, site, ring, area_km2, method):
    return {"type": "Feature",
            "properties": {"id": fid, "name": name, "zone": zone, "site": site,
                           "area_km2": area_km2, "mark": "E", "method": method},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    heritage()
    land_mask()
