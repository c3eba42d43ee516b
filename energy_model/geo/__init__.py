"""Geometry of the province: distances, land/sea mask, heritage zones (offline data only).

- :func:`energy_model.geo.distance.great_circle_km`: the one great-circle distance.
- :mod:`energy_model.geo.land`: the shipped land/sea mask and the sea check of a site.
- :mod:`energy_model.geo.heritage`: World Heritage polygons and the park flag from geometry.

The data in ``geo/data/`` is built by ``tools/make_geo_data.py`` (see ``geo/data/README.md``).
"""
from energy_model.geo.distance import great_circle_km

__all__ = ["great_circle_km"]
