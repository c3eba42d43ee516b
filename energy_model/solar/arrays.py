"""Sites of PV simulations: :class:`Location` and :func:`as_location`.

The PV array schema (:class:`~energy_model.scenario.pv.PVArray`, presets, losses) is in
the scenario layer, :mod:`energy_model.scenario.pv`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from energy_model.errors import ScenarioError

# --------------------------------------------------------------------------------------
# Location
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    """A site: latitude [deg N], longitude [deg E], altitude [m]."""

    latitude: float
    longitude: float
    altitude: float = 0.0
    name: str = ""


def as_location(location: Any) -> Location:
    """Coerce a pvlib ``Location``, a dict, a 2–3 tuple or any object with ``latitude``,
    ``longitude`` (and optionally ``altitude``) into a :class:`Location`.

    Parameters
    ----------
    location : object
        Dict keys may be ``latitude``/``lat``, ``longitude``/``lon``,
        ``altitude``/``altitude_m``/``elevation``.
    """
    if isinstance(location, Location):
        return location
    if isinstance(location, (tuple, list)) and len(location) in (2, 3):
        return _checked(*location)
    if isinstance(location, dict):
        get = location.get
    else:
        def get(key, default=None):
            return getattr(location, key, default)
    lat = _first(get, ("latitude", "lat"))
    lon = _first(get, ("longitude", "lon"))
    alt = _first(get, ("altitude", "altitude_m", "elevation"), 0.0)
    if lat is None or lon is None:
        raise ScenarioError(f"location {location!r} needs latitude and longitude")
    return _checked(lat, lon, alt, str(get("name", "") or ""))


def _first(get, keys, default=None):
    for k in keys:
        v = get(k, None)
        if v is not None:
            return v
    return default


def _checked(lat, lon, alt=0.0, name="") -> Location:
    lat, lon, alt = float(lat), float(lon), float(alt or 0.0)
    if not (-90 <= lat <= 90 and -180 <= lon <= 360 and -500 <= alt <= 9000
            and all(math.isfinite(v) for v in (lat, lon, alt))):
        raise ScenarioError(f"location latitude {lat}, longitude {lon}, altitude {alt} m is "
                            "out of range (expected −90…90 °N, −180…360 °E, −500…9000 m)")
    return Location(lat, lon, alt, name)
