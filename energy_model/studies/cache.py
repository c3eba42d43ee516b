"""A content-addressed cache of computed inputs (weather ensembles, profiles), with a size limit.

Each entry is keyed by the SHA-256 of everything its value depends on (the scenario
fields used, the content of the files read, the package version and the model settings),
so a stale entry is never returned: a changed input gives a new key. Entries are pickled
Python objects (DataFrames keep their time zone and ``attrs``) written atomically under
``<cache dir>/<kind>/<key>.pkl``. Only this package writes them; do not put files from
elsewhere in the cache folder (unpickling runs code).

Where: ``$ENERGY_MODEL_CACHE`` if set, else ``$XDG_CACHE_HOME/energy_model`` (default
``~/.cache/energy_model``). Size limit: ``$ENERGY_MODEL_CACHE_MAX_MB`` (default 2048 MB);
after each write the least recently used entries are removed until the folder fits.
``ENERGY_MODEL_CACHE_MAX_MB=0`` disables the cache. ``energy-model cache clear`` empties it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from energy_model import __version__, files
from energy_model.errors import UsageError
from energy_model.pipeline import scenario_weather as compute_weather
from energy_model.pipeline import weather_sources
from energy_model.results import file_sha256
from energy_model.scenario import Scenario
from energy_model.weather.synthetic import DEFAULT_SETTINGS

DEFAULT_MAX_MB = 2048.0
#: cached downloads (sub-folder → file pattern) that ``cache info|clear`` also cover; they
#: are not evicted by the size limit (a re-download needs the network)
DOWNLOADS = {"pvgis": "*.json"}


def cache_dir() -> Path:
    """The cache folder (not created): :func:`energy_model.files.cache_dir`."""
    return files.cache_dir()


def canonical_json(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=True, default=str, separators=(",", ":"))


def content_hash(obj: Any) -> str:
    """SHA-256 (hex) of a JSON-able object in canonical form (sorted keys)."""
    return hashlib.sha256(canonical_json(obj).encode("utf-8")).hexdigest()


def max_bytes() -> int:
    """Size limit of the cache folder [bytes] (``$ENERGY_MODEL_CACHE_MAX_MB``)."""
    raw = os.environ.get("ENERGY_MODEL_CACHE_MAX_MB", str(DEFAULT_MAX_MB))
    try:
        mb = float(raw)
    except ValueError:
        raise UsageError(f"ENERGY_MODEL_CACHE_MAX_MB={raw!r}: expected a number of "
                         "megabytes") from None
    if mb < 0:
        raise UsageError(f"ENERGY_MODEL_CACHE_MAX_MB={raw!r}: must be ≥ 0")
    return int(mb * 1024 * 1024)


def entries(folder: Path | None = None, downloads: bool = False) -> list[Path]:
    """Every entry file of the cache (with ``downloads``: also the PVGIS files)."""
    folder = cache_dir() if folder is None else Path(folder)
    if not folder.exists():
        return []
    found = list(folder.glob("*/*.pkl"))
    if downloads:
        for kind, pattern in DOWNLOADS.items():
            found += (folder / kind).glob(pattern)
    return sorted(found)


def usage(folder: Path | None = None) -> tuple[int, int]:
    """Number of entries (PVGIS files included) and their total size [bytes]."""
    found = entries(folder, downloads=True)
    return len(found), sum(_size(p) for p in found)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def enforce_limit(limit: int | None = None, folder: Path | None = None) -> int:
    """Remove least recently used entries until the cache fits ``limit`` [bytes].

    Returns
    -------
    int
        Number of entries removed.
    """
    limit = max_bytes() if limit is None else limit
    files = []
    for p in entries(folder):
        try:
            st = p.stat()
        except OSError:
            continue
        files.append((st.st_mtime, st.st_size, p))
    total = sum(s for _, s, _ in files)
    removed = 0
    for _, size, p in sorted(files):  # oldest use first
        if total <= limit:
            break
        p.unlink(missing_ok=True)
        total -= size
        removed += 1
    return removed


def clear(kind: str | None = None, folder: Path | None = None) -> tuple[int, int]:
    """Delete cache entries (all, or of one kind), PVGIS files included.

    Returns
    -------
    tuple of int
        Entries removed and bytes freed.
    """
    found = [p for p in entries(folder, downloads=True) if kind is None or p.parent.name == kind]
    freed = 0
    for p in found:
        freed += _size(p)
        p.unlink(missing_ok=True)
    return len(found), freed


def cached(kind: str, inputs: dict, compute: Callable[[], Any]) -> Any:
    """Return the cached value for ``inputs``, computing and storing it if missing.

    Parameters
    ----------
    kind : str
        Entry family (``weather``, ``resource_years``, ...): a sub-folder.
    inputs : dict
        JSON-able description of everything the value depends on; hashed with the
        package version.
    compute : callable
        Computes the value when it is not cached.
    """
    limit = max_bytes()
    if limit == 0:
        return compute()
    key = content_hash({"kind": kind, "inputs": inputs, "version": __version__})
    path = cache_dir() / kind / f"{key}.pkl"
    try:
        with open(path, "rb") as fh:
            value = pickle.load(fh)
        os.utime(path)  # mark as recently used
        return value
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        pass
    value = compute()
    try:
        files.write_bytes(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        if _size(path) > limit:
            path.unlink(missing_ok=True)  # larger than the whole cache: not kept
        else:
            enforce_limit(limit)
    except OSError:
        pass  # a read-only or full disk never breaks a run
    return value


# ----------------------------------------------------------------------------- inputs
def weather_inputs(scenario: Scenario) -> dict:
    """What :func:`energy_model.pipeline.scenario_weather` depends on (for the key): the
    sources :func:`energy_model.pipeline.weather_sources` names, with file contents."""
    w = scenario.weather
    src = weather_sources(scenario)
    used = list(src.files) + ([str(src.normals)] if src.normals is not None else [])
    return {"weather": w.model_dump(mode="json"), "year": scenario.year, "tz": scenario.timezone,
            "parks": sorted((p.weather_file or "", p.weather_station or "") for p in scenario.parks),
            "files": {f: file_sha256(f) for f in sorted(used) if Path(f).exists()},
            "settings": dataclasses.asdict(DEFAULT_SETTINGS)}


def scenario_weather(scenario: Scenario) -> dict:
    """:func:`energy_model.pipeline.scenario_weather`, through the cache."""
    return cached("weather", weather_inputs(scenario), lambda: compute_weather(scenario))
