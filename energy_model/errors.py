"""Exception family of energy_model.

Every user mistake raises a subclass of :class:`EnergyModelError`. The CLI prints
``str(error)`` on one screen and exits with :attr:`EnergyModelError.exit_code`;
a traceback appears only with ``--debug``.

Exit codes: 2 for input errors (scenario, weather file, command line),
3 for an infeasible problem, 4 for an internal check (invariant) that failed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One located problem in a user input.

    Attributes
    ----------
    message : str
        What is wrong and what was expected.
    file : str or None
        The file the problem is in.
    line : int or None
        1-based line in that file, where known.
    column : int or None
        1-based column, where known.
    key : str or None
        Key path inside the file, e.g. ``parks[3].pv[0].tilt``.
    """

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
        parts = [p for p in (where, self.key) if p]
        prefix = " ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message


class EnergyModelError(Exception):
    """Base class of every error energy_model raises on purpose."""

    exit_code = 2
    title = "error"

    def __init__(self, message: str = "", problems: list[Problem] | None = None,
                 file: str | None = None):
        self.problems = list(problems or [])
        self.file = file
        if not message and self.problems:
            message = f"{len(self.problems)} problem(s)"
        super().__init__(message)

    def __str__(self) -> str:
        head = super().__str__()
        if not self.problems:
            return head
        max_lines = 20
        lines = [head]
        for p in self.problems[:max_lines]:
            lines.append(f"  - {p}")
        if len(self.problems) > max_lines:
            lines.append(f"  ... and {len(self.problems) - max_lines} more")
        return "\n".join(lines)


class ScenarioError(EnergyModelError):
    """A scenario or sweep file is malformed or inconsistent."""

    title = "scenario error"


class WeatherError(EnergyModelError):
    """A weather file or normals table is malformed or physically implausible."""

    title = "weather error"


class InfeasibleError(EnergyModelError):
    """The sizing problem has no solution (e.g. an import cap below the load)."""

    exit_code = 3
    title = "infeasible"


class InvariantError(EnergyModelError):
    """A result violates a physical invariant; this is a bug or a solver failure."""

    exit_code = 4
    title = "invariant violated"


class UsageError(EnergyModelError):
    """The command line is wrong."""

    title = "usage error"
