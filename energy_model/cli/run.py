"""``energy-model run [SCENARIO]``: run a scenario end to end and write its results."""

from __future__ import annotations


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
    p.add_argument("--no-report", action="store_true", help="skip plots and the HTML report")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="processes sizing parks in parallel (default: one per core)")
    p.set_defaults(func=handle)


def handle(args) -> int:
    from pathlib import Path

    from energy_model.cli.validate import parse_sets
    from energy_model.paths import default_scenario
    from energy_model.pipeline import run_and_write
    from energy_model.results import check_target
    from energy_model.scenario import load_scenario

    from energy_model.errors import UsageError

    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers must be at least 1, got {args.workers}")
    path = Path(args.scenario) if args.scenario else default_scenario()
    scenario = load_scenario(path, overrides=parse_sets(args.set))
    check_target(Path(args.out), scenario.name, args.force)  # fail before hours of work
    folder, result = run_and_write(scenario, Path(args.out), force=args.force,
                                   lang=args.lang, report=not args.no_report,
                                   progress=not args.quiet, workers=args.workers)
    print(result.console_summary())
    print(f"results: {folder}")
    return 0
