"""Plots and the bilingual HTML report of a results folder.

Public API::

    build_report(folder, lang="en", result=None) -> Path      # plots/*.png + report.html
    load_results(folder) -> Results                            # read a results folder back
    plots.<name>(results, [park_id,] lang) -> matplotlib Figure

With ``result`` (the in-memory :class:`~energy_model.pipeline.ScenarioResult`, as
:func:`energy_model.pipeline.run_and_write` passes it) the report first computes the
analysis tables that need the model (cost–self-sufficiency frontier, NPV tornado,
weather check) into ``analysis/``; without it, they are read back from there, so
``energy-model report RESULTS_DIR`` redraws everything without re-running.

``analysis/``, ``plots/`` and ``report.html`` are built in a staging folder inside the
results folder and moved into place only when complete: an interrupted rebuild keeps the
previous ones.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from energy_model.report.load import Results, load_results

__all__ = ["Results", "build_report", "load_results", "render_figures"]


def render_figures(res: Results, lang: str = "en", out_dir: Path | None = None,
                   progress: bool = False) -> list:
    """Draw every report figure, optionally saving each as ``out_dir/<stem>.png``.

    Returns
    -------
    list of energy_model.report.html.FigureFile
    """
    import io

    from energy_model.report.html import FigureFile
    from energy_model.report.plots import (PARK_PLOTS, PROVINCE_PLOTS, all_figures, caption_of,
                                           save_png)

    total = len(PROVINCE_PLOTS) + len(PARK_PLOTS) * len(res.park_ids)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=total, desc="plots", unit="fig")
    out = []
    try:
        for stem, pid, fig in all_figures(res, lang):
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


def _replace_dir(new: Path, old: Path) -> None:
    """Put folder ``new`` where ``old`` is, keeping ``old`` until the rename succeeded."""
    if old.exists():
        trash = Path(tempfile.mkdtemp(prefix=f".{old.name}-old-", dir=old.parent))
        os.rename(old, trash / old.name)
        try:
            os.rename(new, old)
        except BaseException:
            os.rename(trash / old.name, old)
            raise
        shutil.rmtree(trash, ignore_errors=True)
    else:
        os.rename(new, old)


def _swap_into(stage: Path, folder: Path) -> None:
    """Move ``analysis/`` (if staged), ``plots/`` and ``report.html`` from ``stage`` into
    ``folder``, each replacing the old one only once the new one is complete."""
    for name in ("analysis", "plots"):
        if (stage / name).is_dir():
            _replace_dir(stage / name, folder / name)
    os.replace(stage / "report.html", folder / "report.html")


def build_report(folder, lang: str = "en", result=None, *, frontier_park: str | None = None,
                 progress: bool | None = None) -> Path:
    """Write ``plots/*.png`` and ``report.html`` into a results folder.

    Parameters
    ----------
    folder : str or Path
        A results folder (``summary.csv``, ``parks/``, ``run.json``).
    lang : str
        ``"en"`` or ``"vi"``.
    result : energy_model.pipeline.ScenarioResult, optional
        The run in memory: the analysis tables (``analysis/*.csv``) are computed from it
        first. Without it, the saved tables are used (or their plots say they are missing).
    frontier_park : str, optional
        Park of the cost–self-sufficiency frontier (default:
        :func:`energy_model.report.analysis.frontier_park`).
    progress : bool, optional
        Progress bar over the figures (default: when stderr is a terminal).

    Returns
    -------
    Path
        ``folder/report.html``.
    """
    from energy_model.report.html import render
    from energy_model.report.i18n import catalog

    from energy_model.report.load import check_folder

    folder = check_folder(folder)  # not a results folder, or
    catalog(lang)  # an unknown language: UsageError before any work
    if progress is None:
        progress = sys.stderr.isatty()
    stage = Path(tempfile.mkdtemp(prefix=".report-partial-", dir=folder))
    try:
        analysis = None
        if result is not None:
            from energy_model.studies.analysis import write_analysis

            write_analysis(result, stage, frontier_park, progress=progress)
            analysis = stage / "analysis"
        res = load_results(folder, analysis_dir=analysis)
        (stage / "plots").mkdir()
        figures = render_figures(res, lang, stage / "plots", progress=progress)
        (stage / "report.html").write_text(render(res, lang, figures), encoding="utf-8")
        _swap_into(stage, folder)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return folder / "report.html"
