"""Results folders get the permissions the user's umask gives a new folder (issue 20, item 9)."""
import os
import stat

from energy_model.results import write_atomically


def _fill(folder):
    (folder / "a.txt").write_text("x", encoding="utf-8")


def test_results_folder_readable_by_group_and_others_under_umask_022(tmp_path):
    old = os.umask(0o022)
    try:
        final = write_atomically(tmp_path / "results", "demo", False, _fill)
    finally:
        os.umask(old)
    mode = stat.S_IMODE(final.stat().st_mode)
    assert mode == 0o755, oct(mode)
    assert mode & stat.S_IRGRP and mode & stat.S_IROTH and mode & stat.S_IXOTH


def test_results_folder_follows_a_stricter_umask(tmp_path):
    old = os.umask(0o077)
    try:
        final = write_atomically(tmp_path / "results", "demo", False, _fill)
    finally:
        os.umask(old)
    assert stat.S_IMODE(final.stat().st_mode) == 0o700
