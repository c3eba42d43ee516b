"""World Heritage zones as polygons, and the heritage flag of a park from its location.

The polygons (``geo/data/heritage.geojson``, all mark E) approximate the published
descriptions: the Hạ Long Bay core zone (434 km², S) and its 5–7 km buffer ring (S, drawn at
6 km), and the Quảng Ninh sites of the Yên Tử – Vĩnh Nghiêm – Côn Sơn, Kiếp Bạc complex
(core 525.75 ha, buffer 4,380.19 ha for 12 sites, S2), each a circle of an equal share.

A park is *in a heritage zone* when its location falls inside a core or buffer polygon.
The scenario's ``heritage_override: {value, reason}`` replaces that answer for one park.
"""
from __future__ import annotations

from dataclasses import dataclass

from energy_model.geo.polygons import load_features, point_in_polygon

FILE = "heritage.geojson"


@dataclass(frozen=True)
class Zone:
    """One heritage polygon."""

    id: str
    name: str
    zone: str          # "core" or "buffer"
    site: str          # "ha_long_bay" or "yen_tu"
    rings: tuple       # GeoJSON rings of (lon, lat)
    area_km2: float
    method: str


def zones() -> list[Zone]:
    """Every shipped heritage polygon."""
    out = []
    for f in load_features(FILE):
        p = f["properties"]
        out.append(Zone(p["id"], p["name"], p["zone"], p["site"],
                        tuple(tuple(map(tuple, r)) for r in f["geometry"]["coordinates"]),
                        float(p["area_km2"]), p["method"]))
    return out


def zones_at(lat: float, lon: float) -> list[Zone]:
    """The heritage polygons containing a point (core and buffer may both hold it)."""
    return [z for z in zones() if point_in_polygon(lon, lat, z.rings)]


def in_heritage_zone(lat: float, lon: float) -> bool:
    """Whether a point lies in a World Heritage core or buffer zone (by the polygons)."""
    return bool(zones_at(lat, lon))
