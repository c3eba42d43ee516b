"""``energy-model province SCENARIO``: province-coordinated sizing, the relief cost curve.

Writes ``OUT/<scenario name>/province/`` atomically (an existing one is replaced only with
``--force`` and only once the new one is complete; the rest of ``OUT/<scenario name>/`` is
never touched): ``curve.csv``, ``builds.csv``, ``shadow_prices.csv``, ``province.json``,
``plots/*.png`` and ``report.html``. ``energy-model report`` on the run folder then shows the
same section. The study (:mod:`energy_model.studies.province`) and the report are imported
inside the handler.
"""

from __future__ import annotations

import os
from pathlib import Path

from energy_model.errors import UsageError
from energy_model.paths import default_scenario

#: Default wall-clock budget of each point of the curve [s] (``--time-limit``): the
#: catalog's exact 1e-4 gap would take hours on 2 cores, so the command stops each point at
#: this budget and reports the gap it proved (as REopt reports its gap at its time-out).
TIME_LIMIT_S = 75.0


def _relief_list(text: str) -> list[float]:
    """``10,20,50`` → ``[10.0, 20.0, 50.0]`` [MW]; a located error otherwise."""
    out = []
    for i, part in enumerate(p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            value = float(part)
        except ValueError:
            raise UsageError(f"--relief {text!r}: item {i + 1} ({part!r}) is not a number of "
                             "MW; expected e.g. --relief 10,20,50") from None
        if value < 0 or value != value:
            raise UsageError(f"--relief {text!r}: item {i + 1} ({part}) is negative; a relief "
                             "is a cut of the summed import in MW, ≥ 0")
        out.append(value)
    return out


def register(sub) -> None:
    p = sub.add_parser("province", help="province-coordinated sizing: the cost of cutting the "
                                        "evening coincident peak by N MW",
                       description="Size every park's PV, wind and storage together so that "
                                   "the summed grid import in each evening-window hour (or "
                                   "every hour) falls N MW below the independent optimum, at "
                                   "least total annualised cost; an exact decomposition with "
                                   "a proven gap. Writes OUT/<name>/province/.")
    p.add_argument("scenario", nargs="?", default=None,
                   help="scenario YAML (default: scenarios/quang_ninh_2030.yaml)")
    p.add_argument("--relief", default="", metavar="MW[,MW...]",
                   help="relief targets [MW] added to the curve, e.g. 10,20,50")
    p.add_argument("--points", type=int, default=6, metavar="N",
                   help="points evenly from 0 to the largest feasible relief (default 6)")
    p.add_argument("--window", choices=("evening", "all"), default="evening",
                   help="hours of the cap: the evening window of the frame in force, or all")
    p.add_argument("--group", default=None, metavar="ID",
                   help="one substation group (parks[].grid.substation) instead of the province")
    p.add_argument("--value-vnd-per-mw-yr", type=float, default=None, metavar="V",
                   help="also the trade-off at this value of relief [VND per MW-yr]")
    p.add_argument("--gap", type=float, default=1e-4, metavar="G",
                   help="proven relative gap of every point (default 1e-4)")
    p.add_argument("--time-limit", type=float, default=TIME_LIMIT_S, metavar="S",
                   help="wall-clock budget of each point [s] (default "
                        f"{TIME_LIMIT_S:g}: the 2030 catalog's 6 points in about 10 minutes "
                        "on 2 cores); a point stopped by it keeps the gap it proved (shown)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="local processes pricing the parks (default: the number of cores)")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="price the parks on this dask.distributed scheduler")
    p.add_argument("--out", default="results", metavar="DIR",
                   help="parent folder of the results (default: results/)")
    p.add_argument("--force", action="store_true", help="replace an existing province folder")
    p.add_argument("--lang", choices=("en", "vi"), default="en", help="report language")
    p.add_argument("--quiet", action="store_true", help="no progress messages")
    p.set_defaults(func=handle)


def _check(args) -> None:
    if args.points < 2:
        raise UsageError(f"--points {args.points}: the curve needs at least 2 points (0 and "
                         "the largest relief)")
    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers must be at least 1, got {args.workers}")
    if not 0 < args.gap < 1:
        raise UsageError(f"--gap {args.gap:g}: expected a relative gap between 0 and 1")
    if args.value_vnd_per_mw_yr is not None and not args.value_vnd_per_mw_yr >= 0:
        raise UsageError(f"--value-vnd-per-mw-yr {args.value_vnd_per_mw_yr:g}: expected ≥ 0")
    if args.time_limit is not None and not args.time_limit > 0:
        raise UsageError(f"--time-limit {args.time_limit:g}: expected seconds > 0")


def handle(args) -> int:
    from energy_model import files
    from energy_model.pipeline import load_scenario

    relief = _relief_list(args.relief)
    _check(args)
    path = Path(args.scenario) if args.scenario else default_scenario()
    scenario = load_scenario(path)
    final = files.check_target(Path(args.out) / scenario.name, "province", args.force,
                               "province")
    from energy_model.studies.province import relief_curve, write_province

    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    log = None if args.quiet else (lambda msg: print(f"  {msg}", flush=True))
    curve = relief_curve(scenario, relief, points=args.points, window=args.window,
                         group=args.group, value_vnd_per_mw_yr=args.value_vnd_per_mw_yr,
                         workers=workers, scheduler=args.scheduler, gap_tol=args.gap,
                         point_time_limit_s=args.time_limit, log=log)

    def fill(tmp: Path) -> None:
        write_province(curve, tmp)
        from energy_model.report.html.coordination import write_province_report

        write_province_report(tmp, args.lang)

    files.atomic_folder(final, fill)
    _print_summary(curve, final, args.gap)
    return 0


def _print_summary(curve, final: Path, gap_tol: float) -> None:
    m = curve.meta
    print(f"province coordination ({m['group']}, window {m['window']}, {len(m['units'])} "
          f"units, {m['method']}): baseline peak {m['peak_before_mw']:,.1f} MW, largest relief "
          f"{m['largest_relief_mw']:,.1f} MW; max gap {m['max_gap']:.1e}; "
          f"{m['wall_s']:,.0f} s")
    for _, r in curve.points.iterrows():
        avg = "" if r["relief_mw"] <= 0 else f", {r['vnd_per_mw_yr'] / 1e9:,.3f} bn VND/MW-yr"
        print(f"  {r['relief_mw']:8.2f} MW  +{r['cost_increase_billion_vnd']:,.3f} bn VND/yr"
              f"{avg}, gap {r['gap']:.1e}")
    if m["max_gap"] > gap_tol:
        print(f"  warning: a point stopped above the asked gap {gap_tol:g} (time limit or "
              "round limit); its lower bound is in curve.csv")
    print(f"results: {final}")
