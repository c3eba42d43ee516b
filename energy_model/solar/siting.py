"""Siting rule for PV arrays: the heritage-buffer table of :mod:`energy_model.rules`."""

from __future__ import annotations

from collections.abc import Iterable

from energy_model.errors import Problem, ScenarioError
from energy_model.rules import HERITAGE_RULE_BASIS, allowed_in_heritage_buffer
from energy_model.scenario.pv import PVArray


def check_heritage_buffer(arrays: Iterable[PVArray], in_buffer: bool, where: str = "") -> None:
    """Raise :class:`ScenarioError` if a park in the heritage buffer has non-rooftop PV.

    Parameters
    ----------
    arrays : iterable of PVArray
        The park's arrays.
    in_buffer : bool
        Whether the park lies in the Hạ Long Bay World Heritage buffer zone.
    where : str, optional
        Key path of the park's array list (e.g. ``parks[3].pv``), for the message.
    """
    if not in_buffer:
        return
    problems = [Problem(f"a {a.kind} array is not allowed in the heritage buffer zone; only "
                        "rooftop PV is", key=f"{where}[{i}]" if where else a.name)
                for i, a in enumerate(arrays) if not allowed_in_heritage_buffer(a.kind)]
    if problems:
        raise ScenarioError(f"heritage buffer rule ({HERITAGE_RULE_BASIS})", problems=problems)
