"""Plots and the bilingual HTML report of a results folder.

Public API::

    build_report(folder, lang="en") -> Path                   # plots/*.png + report.html
    load_results(folder) -> Results                            # read a results folder back
    plots.<name>(results, [park_id,] lang) -> matplotlib Figure

The report only reads: the run's tables (``summary.csv``, ``parks/``, ``run.json``,
``grid/*.csv``, ``rules_comparison.csv``), the assumptions it used
(``assumptions/*.csv``) and the analysis tables the studies wrote
(``analysis/*.csv``, :func:`energy_model.studies.analysis.write_analysis`). It never
solves, computes a study or reads the package's data tables, so ``energy-model report
RESULTS_DIR`` redraws the same report after the package's data changed. A missing table
is shown as missing.

``plots/`` and ``report.html`` are built in a staging folder inside the results folder
and moved into place only when complete: an interrupted rebuild keeps the previous ones.
"""

from __future__ import annotations

import io
import itertools
import os
import shutil
import sys
import tempfile
from pathlib import Path

from tqdm import tqdm

from energy_model.report.grid_plots import GRID_PLOTS
from energy_model.report.html import FigureFile, render
from energy_model.report.i18n import catalog
from energy_model.report.load import Results, check_folder, load_results
from energy_model.report.plots import PARK_PLOTS, PROVINCE_PLOTS, all_figures, caption_of, save_png
from energy_model.files import replace_folder

__all__ = ["Results", "build_report", "load_results", "render_figures"]


def render_figures(res: Results, lang: str = "en", out_dir: Path | None = None,
                   progress: bool = False) -> list:
    """Draw every report figure, optionally saving each as ``out_dir/<stem>.png``.

    Returns
    -------
    list of energy_model.report.html.FigureFile
    """
    total = len(PROVINCE_PLOTS) + len(GRID_PLOTS) + len(PARK_PLOTS) * len(res.park_ids)
    bar = None
    if progress:
        bar = tqdm(total=total, desc="plots", unit="fig")
    out = []
    try:
        # the grid-pressure figures import the plot helpers, so plots.py cannot list them
        grid = ((stem, None, func(res, lang)) for stem, func in GRID_PLOTS)
        for stem, pid, fig in itertools.chain(all_figures(res, lang), grid):
            buf = io.BytesIO()
            save_png(fig, buf)
            png = buf.getvalue()
            if out_dir is not None:
                (Path(out_dir) / f"{stem}.png").write_bytes(png)
            title = fig.get_suptitle() or stem
            out.append(FigureFile(stem=stem, park_id=pid, png=png, title=title,
                                  caption=caption_of(fig)))
            fig.clear()
            if bar is not None:
                bar.update()
    finally:
        if bar is not None:
            bar.close()
    return out


def _swap_into(stage: Path, folder: Path) -> None:
    """Move ``plots/`` and ``report.html`` from ``stage`` into ``folder``, each replacing
    the old one only once the new one is complete."""
    replace_folder(stage / "plots", folder / "plots")
    os.replace(stage / "report.html", folder / "report.html")


def build_report(folder, lang: str = "en", *, progress: bool | None = None) -> Path:
    """Write ``plots/*.png`` and ``report.html`` into a results folder, reading only it.

    Parameters
    ----------
    folder : str or Path
        A results folder (``summary.csv``, ``parks/``, ``run.json``; ``assumptions/`` and
        ``analysis/`` when the run wrote them).
    lang : str
        ``"en"`` or ``"vi"``.
    progress : bool, optional
        Progress bar over the figures (default: when stderr is a terminal).

    Returns
    -------
    Path
        ``folder/report.html``.
    """
    folder = check_folder(folder)  # not a results folder, or
    catalog(lang)  # an unknown language: UsageError before any work
    if progress is None:
        progress = sys.stderr.isatty()
    res = load_results(folder)
    stage = Path(tempfile.mkdtemp(prefix=".report-partial-", dir=folder))
    try:
        (stage / "plots").mkdir()
        figures = render_figures(res, lang, stage / "plots", progress=progress)
        (stage / "report.html").write_text(render(res, lang, figures), encoding="utf-8")
        _swap_into(stage, folder)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return folder / "report.html"
