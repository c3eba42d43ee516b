"""Plots and the bilingual HTML report of a results folder.

Public API::

    build_report(folder, lang="en") -> Path                   # plots/*.png + report.html
    load_results(folder) -> Results                            # read a results folder back
    plots.<name>(results, [park_id,] lang) -> matplotlib Figure

The report only reads: the run's tables (``summary.csv``, ``parks/``, ``run.json``), the
assumptions it used (``assumptions/*.csv``) and the analysis tables the studies wrote
(``analysis/*.csv``, :func:`energy_model.studies.analysis.write_analysis`). It never
solves, computes a study or reads the package's data tables, so ``energy-model report
RESULTS_DIR`` redraws the same report after the package's data changed. A missing table
is shown as missing.

``plots/`` and ``report.html`` are built in a staging folder inside the results folder
and moved into place only when complete: an interrupted rebuild keeps the previous ones.
"""

from __future__ import annotations

import io
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from tqdm import tqdm

from energy_model.report.html import FigureFile, render
from energy_model.report.i18n import catalog
from energy_model.report.load import Results, check_folder, load_results
from energy_model.report.plots import ANALYSIS_STEMS, caption_of, draw, figure_specs, save_png
from energy_model.files import replace_folder

__all__ = ["Results", "build_report", "load_results", "render_figures"]


#: Processes drawing the figures (at most; one draws in-process). Each figure is drawn and
#: encoded independently with the Agg canvas, so the PNG bytes do not depend on the process.
FIGURE_WORKERS = 2
#: Fewer figures than this are drawn in-process (a worker's start-up costs ~3 s CPU).
PARALLEL_MIN_FIGURES = 24


def _free_cores() -> int:
    """Cores not busy by the 1-minute load average (at least 1). Drawing 70 catalog
    figures took 21.6 s CPU in-process and 28.5 s CPU in two workers (spawn, imports,
    pickling), so the pool only pays where a second core is free: on a 2-core machine
    at load 5.5 it was slower in wall time (54 s against 43 s)."""
    n = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except OSError:
        return n
    return max(1, int(n - busy + 0.5))

_WORKER_RES: Results | None = None


def _init_worker(res: Results) -> None:
    global _WORKER_RES
    _WORKER_RES = res


def _render_one(spec, lang: str, res: Results | None = None) -> tuple[bytes, str, str]:
    """PNG bytes, title and caption of one figure (in a worker: of its results)."""
    fig = draw(res if res is not None else _WORKER_RES, spec, lang)
    buf = io.BytesIO()
    save_png(fig, buf)
    title, caption = fig.get_suptitle() or spec[0], caption_of(fig)
    fig.clear()
    return buf.getvalue(), title, caption


def render_figures(res: Results, lang: str = "en", out_dir: Path | None = None,
                   progress: bool = False, workers: int | None = None,
                   stems: Callable[[str], bool] | None = None) -> list:
    """Draw every report figure, optionally saving each as ``out_dir/<stem>.png``.

    Parameters
    ----------
    stems : callable, optional
        Draw only the figures whose file stem it accepts (default: all).
    workers : int, optional
        Processes drawing figures (default :data:`FIGURE_WORKERS`, fewer where the
        machine's cores are busy, :func:`_free_cores`, and in-process for fewer than
        :data:`PARALLEL_MIN_FIGURES` figures; 1 draws in-process). The figures
        come back in report order and their bytes do not depend on the number of workers.

    Returns
    -------
    list of energy_model.report.html.FigureFile
    """
    specs = [s for s in figure_specs(res) if stems is None or stems(s[0])]
    if workers is None:
        workers = min(FIGURE_WORKERS, _free_cores()) if len(specs) >= PARALLEL_MIN_FIGURES else 1
    bar = tqdm(total=len(specs), desc="plots", unit="fig") if progress else None
    out = []
    pool = None
    try:
        if workers > 1:  # spawn, as the park pool: no fork of a process holding threads
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"),
                                       initializer=_init_worker, initargs=(res,))
            rendered = pool.map(_render_one, specs, [lang] * len(specs))
        else:
            rendered = (_render_one(spec, lang, res) for spec in specs)
        for (stem, pid, _), (png, title, caption) in zip(specs, rendered):  # report order
            if out_dir is not None:
                (Path(out_dir) / f"{stem}.png").write_bytes(png)
            out.append(FigureFile(stem=stem, park_id=pid, png=png, title=title,
                                  caption=caption))
            if bar is not None:
                bar.update()
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        if bar is not None:
            bar.close()
    return out


def _swap_into(stage: Path, folder: Path) -> None:
    """Move ``plots/`` and ``report.html`` from ``stage`` into ``folder``, each replacing
    the old one only once the new one is complete."""
    replace_folder(stage / "plots", folder / "plots")
    os.replace(stage / "report.html", folder / "report.html")


def build_report(folder, lang: str = "en", *, progress: bool | None = None,
                 wait: Callable[[], None] | None = None, workers: int | None = None) -> Path:
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
    wait : callable, optional
        Called once the figures that do not read ``analysis/`` are drawn; it writes the
        analysis tables (and may rewrite ``run.json``), which are then read and drawn
        (``energy-model run`` computes the analysis while the other figures are drawn).
    workers : int, optional
        Processes drawing the figures (:func:`render_figures`).

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
        if wait is None:
            figures = render_figures(res, lang, stage / "plots", progress=progress,
                                     workers=workers)
        else:
            first = render_figures(res, lang, stage / "plots", progress=progress,
                                   workers=workers, stems=lambda s: s not in ANALYSIS_STEMS)
            wait()
            res = load_results(folder)  # with the analysis tables and the final run.json
            late = render_figures(res, lang, stage / "plots", progress=progress,
                                  workers=1, stems=lambda s: s in ANALYSIS_STEMS)
            by_stem = {f.stem: f for f in first + late}
            figures = [by_stem[s[0]] for s in figure_specs(res)]  # report order
        (stage / "report.html").write_text(render(res, lang, figures), encoding="utf-8")
        _swap_into(stage, folder)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return folder / "report.html"
