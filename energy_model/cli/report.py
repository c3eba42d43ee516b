"""``energy-model report RESULTS_DIR [--lang vi|en]``: rebuild plots and report.html."""

from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("report", help="rebuild the plots and report.html of a results folder "
                                      "without re-running the model")
    p.add_argument("results_dir", metavar="RESULTS_DIR",
                   help="a results folder written by 'energy-model run' (results/<scenario-name>)")
    p.add_argument("--lang", choices=("en", "vi"), default="en", help="report language")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=handle)


def handle(args) -> int:
    # Imported here, not at module level: matplotlib would slow `energy-model --help`
    # (see energy_model.cli's docstring for the measurement).
    from energy_model.report import build_report

    path = build_report(Path(args.results_dir), lang=args.lang,
                        progress=False if args.quiet else None)
    print(f"report: {path}")
    return 0
