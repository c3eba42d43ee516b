"""Optional online fetch of a PVGIS typical year, cached on disk.

Never used by default, never in tests: the model runs offline on synthetic weather.
:func:`fetch_pvgis_tmy` asks the EU JRC PVGIS service (through
``pvlib.iotools.get_pvgis_tmy``) once per position, stores the answer as a PVGIS-format
JSON file in the cache folder, and from then on reads that file with
:func:`energy_model.weather.read_weather`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from energy_model import files
from energy_model.errors import WeatherError
from energy_model.files import CACHE_ENV  # noqa: F401  (re-exported: the variable's name)


def cache_dir(path=None) -> Path:
    """Folder of cached PVGIS files: ``path``, else the package cache's ``pvgis`` folder
    (:func:`energy_model.files.cache_dir`: $ENERGY_MODEL_CACHE, $XDG_CACHE_HOME/energy_model
    or ``~/.cache/energy_model``); ``energy-model cache info|clear`` cover it."""
    if path is not None:
        return Path(path)
    return files.cache_dir("pvgis")


def cache_file(latitude: float, longitude: float, path=None) -> Path:
    """Cache file name of a position (4 decimals, about 10 m)."""
    return cache_dir(path) / f"pvgis_tmy_{latitude:+.4f}_{longitude:+.4f}.json"


def fetch_pvgis_tmy(latitude: float, longitude: float, cache=None, refresh: bool = False,
                    timeout: float = 30.0, tz=None) -> tuple[pd.DataFrame, dict]:
    """PVGIS typical year of a position, from the disk cache or fetched once.

    Parameters
    ----------
    latitude, longitude : float
        Position [°], north and east positive.
    cache : str or path, optional
        Cache folder (see :func:`cache_dir`).
    refresh : bool, default False
        Fetch again even when cached.
    timeout : float
        Network timeout [s].
    tz : str, optional
        Time zone of the returned index (PVGIS stamps are UTC).

    Returns
    -------
    data, metadata
        As :func:`energy_model.weather.read_weather` returns them; ``metadata["file"]``
        is the cache file.

    Raises
    ------
    WeatherError
        If the position is invalid, or the service cannot be reached and nothing is
        cached.
    """
    from energy_model.weather.readers import read_weather

    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise WeatherError(f"PVGIS: position ({latitude}, {longitude}) is not a valid "
                           "latitude/longitude")
    target = cache_file(latitude, longitude, cache)
    if refresh or not target.is_file():
        document = _download(latitude, longitude, timeout)
        files.write_text(target, json.dumps(document))
    return read_weather(target, format="pvgis_json", tz=tz)


def _download(latitude: float, longitude: float, timeout: float) -> dict:
    """Fetch through pvlib and rebuild the PVGIS JSON document it parsed."""
    import pvlib

    try:
        data, meta = pvlib.iotools.get_pvgis_tmy(latitude, longitude, outputformat="json",
                                                 map_variables=False, coerce_year=None,
                                                 timeout=timeout)
    except Exception as exc:  # network or service error
        raise WeatherError(f"PVGIS: cannot fetch the typical year of ({latitude}, "
                           f"{longitude}) and nothing is cached: {type(exc).__name__}: "
                           f"{exc}") from exc
    return pvgis_document(data, meta)


def pvgis_document(data: pd.DataFrame, meta: dict) -> dict:
    """The PVGIS TMY JSON document of a frame as pvlib parses it (unmapped columns).

    Parameters
    ----------
    data : pandas.DataFrame
        PVGIS columns (``T2m``, ``G(h)``, ...) on a UTC index.
    meta : dict
        pvlib's metadata (``inputs`` with ``descriptions``, ``months_selected``, ...).
    """
    inputs = {k: v for k, v in meta.get("inputs", {}).items() if k != "descriptions"}
    src_meta = {k: v for k, v in meta.items() if k not in ("inputs", "months_selected")}
    src_meta["inputs"] = meta.get("inputs", {}).get("descriptions", {})
    stamps = data.index.tz_convert("UTC").strftime("%Y%m%d:%H%M")
    records = [{"time(UTC)": t, **{c: float(v) for c, v in row.items()}}
               for t, row in zip(stamps, data.to_dict(orient="records"))]
    return {"inputs": inputs,
            "outputs": {"months_selected": meta.get("months_selected", []),
                        "tmy_hourly": records},
            "meta": src_meta}
