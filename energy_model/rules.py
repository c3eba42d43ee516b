"""Siting rules shared by the generation modules and sizing.

The Hạ Long Bay World Heritage buffer zone (a ring 5–7 km wide around the 434 km² core,
S) is modelled as a per-park flag. Inside it only rooftop PV may be built. This is an
interpretation (mark E): the regulation's own text was not found, but UNESCO (2023, 2024)
asks for impact assessments of any project in the buffer zone, and ground-mounted PV,
floating PV and wind turbines are the visible ones.
"""

from __future__ import annotations

#: technology kind -> allowed inside the heritage buffer zone
HERITAGE_BUFFER_ALLOWED: dict[str, bool] = {
    "rooftop": True,
    "ground": False,
    "floating": False,
    "wind": False,
    "battery": True,  # containerised storage beside existing buildings
}

HERITAGE_RULE_BASIS = (
    "E: Hạ Long Bay buffer zone read as forbidding ground PV, floating PV and wind; "
    "rooftop PV and batteries allowed (regulation text not found; UNESCO 2023/2024 "
    "asks impact assessments for projects in the buffer zone)."
)


def allowed_in_heritage_buffer(kind: str) -> bool:
    """Return whether a technology ``kind`` may be built inside the heritage buffer zone.

    Parameters
    ----------
    kind : str
        One of ``rooftop``, ``ground``, ``floating``, ``wind``, ``battery``.
    """
    try:
        return HERITAGE_BUFFER_ALLOWED[kind]
    except KeyError:
        raise ValueError(f"unknown technology kind {kind!r}; expected one of "
                         f"{sorted(HERITAGE_BUFFER_ALLOWED)}") from None
