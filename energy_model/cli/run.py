"""``energy-model run [SCENARIO]``: run a scenario end to end and write its results.

The command orchestrates three layers, each through its public API, inside one atomic
results folder (:func:`energy_model.results.write_atomically`: an interrupted run leaves
no partial folder, and an earlier result is replaced only when the new one is complete):

1. the pipeline runs the scenario (:func:`energy_model.pipeline.run_scenario`);
2. the studies add the analysis tables (:func:`energy_model.studies.analysis.start_analysis`);
3. the pipeline writes the results folder, then the report reads it back and renders
   ``plots/`` and ``report.html`` (:func:`energy_model.report.build_report`).

One spawn pool (a process a core, at most one a park) sizes the parks and then solves the
analysis, so its workers start once (≈ 3.5 s CPU each). Steps 2 and 3 overlap (issue 19):
the frontier's LP re-solves, the tornado (a task a park) and the weather check are
submitted to the pool; the main process writes the folder and draws every figure that does
not read ``analysis/``, then solves the frontier points the pool has not started, collects
the rest, writes ``analysis/`` and ``run.json`` (with the analysis time), and draws the
analysis figures and the HTML page. The tables and figures are the same as when the
stages run one after the other (the frontier's points are independent solves).
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from energy_model.cli.validate import parse_sets
from energy_model.errors import UsageError
from energy_model.paths import default_scenario

if TYPE_CHECKING:
    from energy_model.pipeline import ScenarioResult
    from energy_model.scenario import Scenario


#: The pool solves the analysis only when the 1-minute load average before the run is below
#: this many times the number of cores (else the main process does, after the sizing):
#: on a busy machine a third busy process only adds its start
#: (measured at load ≈ 4.5: 65.6 s after sizing with the pool against 52.8 s without; at
#: load ≈ 2.2: 34 s against 66 s). The results are the same either way.
ANALYSIS_MAX_LOAD = 1.5


def register(sub) -> None:
    p = sub.add_parser("run", help="run a scenario (default: the Quảng Ninh catalog)")
    p.add_argument("scenario", nargs="?", default=None,
                   help="scenario YAML (default: scenarios/quang_ninh_2030.yaml)")
    p.add_argument("--out", default="results", metavar="DIR",
                   help="parent folder of the results (default: results/)")
    p.add_argument("--force", action="store_true", help="replace an existing results folder")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario key path, e.g. --set year=2050 (repeatable)")
    p.add_argument("--lang", choices=("en", "vi"), default="en", help="report language")
    p.add_argument("--no-report", action="store_true",
                   help="skip the analysis tables, plots and the HTML report")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="processes sizing parks in parallel (default: one per core)")
    p.add_argument("--compare-rules", action="store_true",
                   help="also write rules_comparison.csv: the headline under each rule set "
                        "(re-sizes the scenario once per rule set)")
    p.add_argument("--milestones", action="store_true",
                   help="also run the scenario in 2050 (milestones/2050/) and its 2025 → 2030 "
                        "→ 2050 build-out pathway (pathway/); the report shows both")
    p.set_defaults(func=handle)


def run_and_report(scenario: Scenario, out_dir: Path, *, force: bool = False,
                   lang: str = "en", report: bool = True, progress: bool = True,
                   workers: int | None = None,
                   frontier_park: str | None = None,
                   compare_rules: bool = False,
                   milestones: bool = False) -> tuple[Path, ScenarioResult]:
    """Run a scenario, add its analysis tables and report, all in one atomic folder.

    Parameters
    ----------
    scenario : Scenario
    out_dir : Path
        Parent folder; the results go to ``out_dir/<scenario name>/``.
    force : bool
        Replace an existing folder of that name (kept until the new one is complete).
    lang : str
        Report language, ``"en"`` or ``"vi"``.
    report : bool
        Add ``analysis/``, ``plots/`` and ``report.html``.
    progress : bool
        Progress bars.
    workers : int, optional
        Processes sizing parks in parallel.
    frontier_park : str, optional
        Park of the cost–self-sufficiency frontier.
    compare_rules : bool
        Also write ``rules_comparison.csv``
        (:func:`energy_model.studies.rules.compare_rules`: the scenario re-sized once per
        rule set).
    milestones : bool
        Also write ``milestones/2050/summary.csv`` and ``pathway/*.csv``
        (:func:`energy_model.studies.pathways.run_milestones`: the scenario in 2050 and its
        2025 → 2030 → 2050 pathway).

    Returns
    -------
    tuple of (Path, ScenarioResult)
        The results folder and the run in memory.
    """
    # The stages are imported here, not at module level: they would make `energy-model
    # --help` take 9.5 s instead of 0.27 s (measured; see energy_model.cli's docstring).
    from energy_model.pipeline import run_scenario, write_results_folder
    from energy_model.results import check_target, write_atomically, write_csv
    from energy_model.studies.rules import compare_rules as rules_table

    check_target(Path(out_dir), scenario.name, force)  # fail before hours of work
    t0 = time.perf_counter()
    busy = _load_share()  # before this run's own processes count in the load average
    with _pool(workers, len(scenario.parks)) as pool:
        # one pool sizes the parks, then solves the analysis (no second start, issue 19)
        result = run_scenario(scenario, progress=progress, workers=workers, executor=pool)
        rules = None
        if compare_rules:  # before the folder is staged: a failure leaves nothing behind
            t = time.perf_counter()
            rules = rules_table(scenario, workers=workers, executor=pool)
            result.timings["rules comparison"] = time.perf_counter() - t
        runs = None
        if milestones:  # before the folder is staged, as the rules comparison
            from energy_model.studies.pathways import run_milestones, write_milestones

            t = time.perf_counter()
            runs = run_milestones(scenario, workers=workers, progress=progress,
                                      executor=pool)
            result.timings["milestones"] = time.perf_counter() - t

        def fill(tmp: Path) -> None:
            if rules is not None:
                write_csv(rules, tmp / "rules_comparison.csv", index=False)
            if runs is not None:
                write_milestones(runs, tmp)
            if report:
                _analysis_and_report(result, tmp, lang=lang, progress=progress,
                                     pool=None if busy >= ANALYSIS_MAX_LOAD else pool,
                                     frontier_park=frontier_park)
            else:
                write_results_folder(result, tmp)

        folder = write_atomically(Path(out_dir), result.scenario.name, force, fill)
    result.timings["total"] = time.perf_counter() - t0
    return folder, result


def _load_share() -> float:
    """The 1-minute load average per core (0 where the platform has none)."""
    try:
        return os.getloadavg()[0] / (os.cpu_count() or 1)
    except OSError:
        return 0.0


def _pool(workers: int | None, n_parks: int):
    """The run's spawn pool: it sizes the parks, then solves the analysis (the frontier's
    points, the tornado, the weather check); a null context on one core or ``workers=1``."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    n = min(os.cpu_count() or 1, max(n_parks, 1)) if workers is None else min(workers,
                                                                                n_parks)
    if n < 2:
        return contextlib.nullcontext(None)
    return ProcessPoolExecutor(max_workers=n, mp_context=mp.get_context("spawn"))


def _analysis_and_report(result: ScenarioResult, tmp: Path, *, lang: str, progress: bool,
                         pool, frontier_park: str | None) -> None:
    """The analysis tables, the results folder and the report, overlapped (module note);
    the analysis runs on ``pool`` (the run's, or ``None``: in this process)."""
    from energy_model.pipeline import run_json, write_results_folder
    from energy_model.report import build_report
    from energy_model.results import write_json
    from energy_model.studies.analysis import start_analysis

    t = time.perf_counter()
    finish = start_analysis(result, tmp, frontier_park, executor=pool)
    write_results_folder(result, tmp)

    def wait() -> None:
        finish(progress)
        result.timings["analysis"] = time.perf_counter() - t
        write_json(run_json(result), tmp / "run.json")  # with the analysis time

    # its time is in the result, not in run.json (which it reads)
    build_report(tmp, lang=lang, progress=progress, wait=wait,
                 workers=1 if pool is not None else None)
    result.timings["report"] = time.perf_counter() - t


def handle(args) -> int:
    from energy_model.pipeline import load_scenario  # the stages import slowly: lazy

    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers must be at least 1, got {args.workers}")
    path = Path(args.scenario) if args.scenario else default_scenario()
    scenario = load_scenario(path, overrides=parse_sets(args.set))
    folder, result = run_and_report(scenario, Path(args.out), force=args.force,
                                    lang=args.lang, report=not args.no_report,
                                    progress=not args.quiet, workers=args.workers,
                                    compare_rules=args.compare_rules,
                                    milestones=args.milestones)
    print(result.console_summary())
    print(f"results: {folder}")
    return 0
