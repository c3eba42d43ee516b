"""Terrain classes and their aerodynamic roughness length, one table for the whole model.

Used by the weather normals (the surroundings of a wind station) and by the wind stage
(the 10 m → hub-height step at the station and at the farm site).
"""

from __future__ import annotations

#: Roughness length [m] of each terrain class (Davenport–Wieringa classes, Wieringa 1992;
#: European Wind Atlas, Troen & Petersen 1989). Mark E: class values, not site surveys.
TERRAIN_ROUGHNESS_M: dict[str, float] = {
    "sea": 0.0002,
    "coast": 0.005,
    "open": 0.03,
    "suburban": 0.4,
    "industrial": 0.5,
}

#: Basis of each entry of :data:`TERRAIN_ROUGHNESS_M` (mark E: class values, not site surveys).
TERRAIN_BASIS: dict[str, str] = {
    "sea": "open sea: European Wind Atlas roughness class 0 (Troen & Petersen 1989); "
           "Davenport-Wieringa class 1",
    "coast": "beaches, mud flats, flat coastal land: Davenport-Wieringa class 2 'smooth' "
             "(Wieringa 1992; WMO-No. 8 annex on exposure)",
    "open": "level open country, low grass, airfields: Davenport-Wieringa class 3 'open', "
            "European Wind Atlas class 1; the WMO reference exposure of a 10 m anemometer",
    "suburban": "villages, small towns, suburbs: European Wind Atlas class 3",
    "industrial": "area moderately covered by low buildings with open yards (industrial "
                  "park sheds): Davenport-Wieringa class 6 'very rough'",
}
