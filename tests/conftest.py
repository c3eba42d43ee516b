"""Shared fixtures and assertion helpers."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = REPO / "scenarios"
CATALOG = SCENARIOS / "quang_ninh_2030.yaml"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture
def run_cli(capsys):
    """Run the CLI in-process; return (exit_code, stdout, stderr)."""
    from energy_model.cli import main

    def _run(*argv: str):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def pytest_configure(config):
    os.environ.setdefault("MPLBACKEND", "Agg")
