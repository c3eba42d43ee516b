"""Where a technology may stand: land for ground PV and onshore wind (floating PV on water).

Used by scenario validation (:func:`energy_model.scenario.reference_problems`); returns
messages with their key path, never raises.
"""
from __future__ import annotations

from energy_model.geo.land import sea_problem


def land_problems(park) -> list[tuple[str, tuple]]:
    """(message, key path below the park) for every ground PV array or onshore wind farm at sea.

    Ground PV and on-site wind stand at the park's location; a wind farm or an off-site
    solar farm with its own ``location`` stands there. Floating PV, rooftop PV and off-site farms (which may be
    nearshore) are not checked.
    """
    out: list[tuple[str, tuple]] = []
    lat, lon = park.location.lat, park.location.lon
    for j, a in enumerate(park.pv):
        own = getattr(a, "location", None)  # an off-site solar farm stands at its own
        if a.kind == "ground" and (own is not None or not getattr(a, "offsite", False)):
            where = (own.lat, own.lon) if own is not None else (lat, lon)
            msg = sea_problem(*where, f"park {park.id!r}: ground PV array {a.name!r}")
            if msg:
                out.append((msg, ("pv", j, "location") if own is not None else ("location",)))
    for j, farm in enumerate(park.wind):
        if getattr(farm, "offsite", False):
            continue
        own = getattr(farm, "location", None)
        where = (own.lat, own.lon) if own is not None else (lat, lon)
        key = ("wind", j, "location") if own is not None else ("location",)
        msg = sea_problem(*where, f"park {park.id!r}: onshore wind farm {farm.name!r}")
        if msg:
            out.append((msg, key))
    return out
