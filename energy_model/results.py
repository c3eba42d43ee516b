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
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from energy_model.errors import UsageError

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


def write_csv(df: pd.DataFrame, path: Path, index: bool = True) -> None:
    """Write a CSV as UTF-8 with BOM, with stable float formatting (byte-reproducible)."""
    df.to_csv(path, encoding=CSV_ENCODING, index=index, float_format="%.6g",
              lineterminator="\n")


def read_csv(path: Path, **kwargs) -> pd.DataFrame:
    return pd.read_csv(path, encoding=CSV_ENCODING, **kwargs)


def check_target(out_dir: Path, name: str, force: bool) -> Path:
    """Refuse to overwrite an earlier result unless ``force``; return the final folder path."""
    final = Path(out_dir) / safe_name(name)
    if final.exists() and not force:
        raise UsageError(f"results folder {final} already exists; pass --force to replace it "
                         "(the old folder is kept until the new one is complete)")
    return final


def _current_umask() -> int:
    """The process umask (read by setting and restoring it; there is no getter)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


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
    final = check_target(out_dir, name, force)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.partial-", dir=out_dir))
    # mkdtemp makes the folder 0700; give it the mode a new folder gets under the umask
    tmp.chmod(0o777 & ~_current_umask())
    try:
        fill(tmp)
        if final.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{final.name}.old-", dir=out_dir))
            old.rmdir()
            os.rename(final, old)
            try:
                os.rename(tmp, final)
            except BaseException:
                os.rename(old, final)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def write_json(obj, path: Path) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=True, default=str)
                    + "\n", encoding="utf-8")
