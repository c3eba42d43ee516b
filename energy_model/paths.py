"""Where the shipped data lives, in a source checkout and in an installed wheel.

In a checkout the folders ``scenarios/`` and ``weather/`` sit beside the package.
The wheel carries the same folders as ``energy_model/_data/`` (see pyproject.toml),
so the installed package finds them without the repository.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """Return the folder of shipped data ``name`` (``"scenarios"`` or ``"weather"``)."""
    for candidate in (PACKAGE_DIR.parent / name, PACKAGE_DIR / "_data" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"shipped data folder {name!r} not found beside {PACKAGE_DIR}")


def default_scenario() -> Path:
    """The Quảng Ninh catalog, the scenario ``energy-model run`` uses with no argument."""
    return shipped_dir("scenarios") / "quang_ninh_2030.yaml"


def package_data(*parts: str) -> Path:
    """A file inside ``energy_model/data`` (equipment, intensities, tariffs)."""
    return PACKAGE_DIR.joinpath("data", *parts)
