"""Key paths of scenario problems: ``("parks", 3, "wind", 0, "turbine")`` →
``parks[3].wind[0].turbine``, with the YAML line it came from."""

from __future__ import annotations

from energy_model.errors import Problem
from energy_model.yaml_io import LineMap, line_of


def format_loc(loc: tuple) -> str:
    """A key path as written in messages, e.g. ``parks[3].wind[0].turbine``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def located_problem(msg: str, file: str, lines: LineMap, loc: tuple) -> Problem:
    """A :class:`Problem` at key path ``loc`` of ``file``, with its line from ``lines``."""
    return Problem(msg, file=file, line=line_of(lines, loc), key=format_loc(loc))
