"""Results on disk: written atomically, read back for the report.

Layout of ``results/<scenario-name>/``::

    summary.csv        one row per park plus a PROVINCE row; units in column names
    parks/<id>.csv     hourly load, PV, wind, battery, import, export, curtailment [kW]
    plots/*.png        figures (energy_model.report)
    report.html        self-contained bilingual report
    run.json           versions, seed, input hashes, resolved scenario, stage timings

Every CSV is UTF-8 with a BOM so that Excel shows Vietnamese names. The folder is built in
a temporary sibling folder and renamed into place only when complete: an interrupted run
leaves no partial folder, and an earlier result is replaced only with ``force=True``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from energy_model import files

CSV_ENCODING = "utf-8-sig"
SAFE_NAME = re.compile(r"[^A-Za-z0-9_.\-]")


def safe_name(name: str) -> str:
    """A file-name-safe form of a park id or scenario name (no path separators, no dots first)."""
    cleaned = SAFE_NAME.sub("_", name).lstrip(".")
    return cleaned or "_"


def file_sha256(path: str | Path) -> str:
    """SHA-256 hex digest of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


#: Float format of every CSV (``%`` style).
FLOAT_FORMAT = "%.6g"
#: Smallest frame [cells] written by :func:`hourly_csv_text` rather than pandas.
FAST_MIN_CELLS = 10_000
_PLAIN = re.compile(r"^[^,\"\r\n]*$")


def _column_text(values: np.ndarray) -> np.ndarray:
    """``FLOAT_FORMAT % v`` of each value ("" for NaN), formatting each distinct value once
    (by bit pattern, so that −0.0 stays ``-0``)."""
    bits, inverse = np.unique(values.view(np.int64), return_inverse=True)
    text = np.array(["" if v != v else FLOAT_FORMAT % v for v in bits.view(np.float64)],
                    dtype=object)
    return text[inverse.ravel()]


_INDEX_TEXT: dict[bytes, np.ndarray] = {}


def _index_text(index: pd.DatetimeIndex) -> np.ndarray:
    """Labels of a time-zone-aware index as pandas writes them (``2030-01-01 00:00:00+07:00``),
    kept for the next table on the same index (the run's tables share one)."""
    key = hashlib.blake2b(index.asi8.tobytes() + str(index.tz).encode(), digest_size=16).digest()
    if key not in _INDEX_TEXT:
        text = [f"{s[:-2]}:{s[-2:]}" for s in index.strftime("%Y-%m-%d %H:%M:%S%z")]
        _INDEX_TEXT.clear()  # one index at a time: the cache never grows
        _INDEX_TEXT[key] = np.asarray(text, dtype=object)
    return _INDEX_TEXT[key]


def hourly_csv_text(df: pd.DataFrame, index: bool = True) -> str | None:
    """The CSV text of an all-float frame, byte for byte as :meth:`pandas.DataFrame.to_csv`
    writes it with :data:`FLOAT_FORMAT` (tested), or ``None`` for any other frame.

    pandas formats each cell in Python (``%`` once a value) and a time-zone-aware index
    label by label: 0.16 s for a park's 8,760 × 14 hourly table. The hourly tables repeat
    few values (zeros, prices, a capped import), so formatting each distinct value once
    takes a third of that, and the run writes about 40 of them (issue 19).
    """
    if df.size < FAST_MIN_CELLS or not all(dt == np.float64 for dt in df.dtypes):
        return None
    names = [str(c) for c in df.columns]
    if index:
        if not isinstance(df.index, pd.DatetimeIndex) or df.index.tz is None or (
                df.index.nanosecond.any() or df.index.microsecond.any()):
            return None
        names = ["" if df.index.name is None else str(df.index.name)] + names
    if not all(_PLAIN.match(n) for n in names):
        return None
    cols = [_column_text(df[c].to_numpy(dtype=np.float64)) for c in df.columns]
    if index:
        cols = [_index_text(df.index)] + cols
    rows = np.column_stack(cols) if cols else np.empty((len(df), 0), dtype=object)
    return "\n".join([",".join(names), *map(",".join, rows.tolist())]) + "\n"


def write_csv(df: pd.DataFrame, path: Path, index: bool = True) -> None:
    """Write a CSV as UTF-8 with BOM, with stable float formatting (byte-reproducible)."""
    text = hourly_csv_text(df, index)
    with files.atomic_file(path) as tmp:
        if text is not None:
            Path(tmp).write_bytes(text.encode(CSV_ENCODING))
        else:
            df.to_csv(tmp, encoding=CSV_ENCODING, index=index, float_format=FLOAT_FORMAT,
                      lineterminator="\n")


def read_csv(path: Path, **kwargs) -> pd.DataFrame:
    return pd.read_csv(path, encoding=CSV_ENCODING, **kwargs)


def check_target(out_dir: Path, name: str, force: bool) -> Path:
    """Refuse to overwrite an earlier result unless ``force``; return the final folder path."""
    return files.check_target(out_dir, name, force, safe_name(name))


def write_atomically(out_dir: Path, name: str, force: bool,
                     fill: Callable[[Path], None]) -> Path:
    """Build a results folder with ``fill(tmp_dir)`` and rename it into place.

    Parameters
    ----------
    out_dir : Path
        Parent folder (``results/``); created if missing.
    name : str
        Scenario name; the folder is ``out_dir/safe_name(name)``.
    force : bool
        Replace an existing folder of that name.
    fill : callable
        Writes everything into the temporary folder it is given.

    Returns
    -------
    Path
        The final folder.
    """
    return files.atomic_folder(check_target(out_dir, name, force), fill)


def write_json(obj, path: Path) -> None:
    """Write a JSON file atomically (indented, sorted keys)."""
    files.write_json(obj, path)
