"""Files on disk: the one atomic write and the one cache folder of the package.

Every file the package writes goes through :func:`atomic_file` (a temporary sibling
renamed into place: a reader never sees half a file, an interrupted write leaves none),
and every results folder through :func:`atomic_folder`. Every cache (the content-hash
cache of :mod:`energy_model.studies.cache`, the PVGIS downloads) lives under
:func:`cache_dir`.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from energy_model.errors import UsageError

_UMASK = os.umask(0o022)
os.umask(_UMASK)
#: environment variable that moves every cache of the package
CACHE_ENV = "ENERGY_MODEL_CACHE"


def cache_dir(kind: str | None = None) -> Path:
    """The cache folder (not created).

    ``$ENERGY_MODEL_CACHE`` if set, else ``$XDG_CACHE_HOME/energy_model`` (default
    ``~/.cache/energy_model``).

    Parameters
    ----------
    kind : str, optional
        A sub-folder (``weather``, ``pvgis``, ...).
    """
    env = os.environ.get(CACHE_ENV)
    if env:
        root = Path(env).expanduser()
    else:
        root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "energy_model"
    return root / kind if kind else root


@contextmanager
def atomic_file(path: str | Path) -> Iterator[Path]:
    """Write a file atomically: yields a temporary path beside ``path``; renamed into place
    when the block ends without an error, removed otherwise.

    Examples
    --------
    >>> with atomic_file(target) as tmp:          # doctest: +SKIP
    ...     frame.to_parquet(tmp)
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_UMASK)  # as an ordinary open() would create it, not mkstemp's 0600
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes(path: str | Path, data: bytes) -> None:
    """Write bytes atomically."""
    with atomic_file(path) as tmp:
        tmp.write_bytes(data)


def write_text(path: str | Path, text: str) -> None:
    """Write UTF-8 text atomically."""
    with atomic_file(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_json(obj, path: str | Path, *, indent: int | None = 2, sort_keys: bool = True,
               newline: bool = True) -> None:
    """Write JSON atomically (UTF-8, non-ASCII kept, unknown types as text)."""
    text = json.dumps(obj, indent=indent, ensure_ascii=False, sort_keys=sort_keys, default=str)
    write_text(path, text + ("\n" if newline else ""))


def check_target(out_dir: Path, name: str, force: bool, final_name: str) -> Path:
    """Refuse to overwrite an earlier folder unless ``force``; return the final path."""
    final = Path(out_dir) / final_name
    if final.exists() and not force:
        raise UsageError(f"results folder {final} already exists; pass --force to replace it "
                         "(the old folder is kept until the new one is complete)")
    return final


def current_umask() -> int:
    """The process umask (read by setting and restoring it; there is no getter)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_folder(final: Path, fill: Callable[[Path], None]) -> Path:
    """Build a folder with ``fill(tmp_dir)`` and rename it to ``final`` (replacing it).

    Parameters
    ----------
    final : Path
        The folder to create or replace; its parent is created if missing.
    fill : callable
        Writes everything into the temporary sibling folder it is given.

    Returns
    -------
    Path
        ``final``.
    """
    out_dir = final.parent
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.partial-", dir=out_dir))
    # mkdtemp makes the folder 0700: give it the mode a new folder gets under the umask,
    # so colleagues on a shared drive can read the results
    tmp.chmod(0o777 & ~current_umask())
    try:
        fill(tmp)
        replace_folder(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def replace_folder(new: Path, old: Path) -> None:
    """Put the complete folder ``new`` where ``old`` is, by renames only.

    An existing ``old`` is moved aside first and put back if the rename of ``new`` fails,
    so ``old`` always holds either the previous or the new content; then it is deleted.
    """
    if old.exists():
        trash = Path(tempfile.mkdtemp(prefix=f".{old.name}-old-", dir=old.parent))
        trash.rmdir()
        os.rename(old, trash)
        try:
            os.rename(new, old)
        except BaseException:
            os.rename(trash, old)
            raise
        shutil.rmtree(trash, ignore_errors=True)
    else:
        os.rename(new, old)
