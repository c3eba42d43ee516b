"""``energy-model sweep SWEEP.yaml``: run the variants of a sweep file, locally or on Dask.

The studies and plots are imported inside the handlers: importing them (the pipeline,
pvlib, HiGHS, matplotlib) takes about 3 s (``python -X importtime``), which every other
sub-command and ``--help`` would otherwise pay at start-up.
"""

from __future__ import annotations

import os
from pathlib import Path

from energy_model.errors import UsageError
from energy_model.results import safe_name
from energy_model.yaml_io import load_yaml


def register(sub) -> None:
    p = sub.add_parser("sweep", help="run a sweep, a P50/P90 study or a pathway (resumable)",
                       description="Run every variant of a sweep file on a local process pool "
                                   "or a dask.distributed cluster. Variants already done "
                                   "(same content hash) are skipped, so an interrupted sweep "
                                   "resumes. Results: OUT/<name>/results.parquet and .csv. "
                                   "A file with 'uncertainty:' runs weather-year P50/P75/P90 "
                                   "and the load cases; a file with 'milestones:' a myopic "
                                   "build-out pathway.")
    p.add_argument("sweep", help="sweep YAML (see scenarios/sweeps/)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="local worker processes (default: the number of CPU cores)")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="submit to this dask.distributed scheduler instead of a local pool")
    p.add_argument("--out", default="results/sweeps", metavar="DIR",
                   help="parent folder of the results (default: results/sweeps/)")
    p.add_argument("--retry-failed", action="store_true",
                   help="run failed variants again instead of keeping their recorded error")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=handle)


def file_kind(path) -> str:
    """``pathway`` (has ``milestones``), ``uncertainty`` (has ``uncertainty``) or ``sweep``."""
    data, _ = load_yaml(path, what="sweep")
    if isinstance(data, dict) and "milestones" in data:
        return "pathway"
    if isinstance(data, dict) and "uncertainty" in data:
        return "uncertainty"
    return "sweep"


def handle(args) -> int:
    from energy_model.studies.sweep import load_sweep, run_sweep

    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    if workers < 1:
        raise UsageError(f"--workers must be at least 1, got {workers}")
    kind = file_kind(args.sweep)
    if kind == "pathway":
        return _pathway(args)
    if kind == "uncertainty":
        return _uncertainty(args, workers)
    spec = load_sweep(args.sweep)
    res = run_sweep(spec, args.out, workers=workers, scheduler=args.scheduler,
                    progress=not args.quiet, retry_failed=args.retry_failed)
    n = len(res.ran) + len(res.skipped)
    print(f"sweep {spec.name}: {n} variants, ran {len(res.ran)}, skipped {len(res.skipped)} "
          f"already done, failed {len(res.failed)}; {res.seconds:.1f} s"
          + (f" ({res.variants_per_minute:.1f} variants/min)" if res.ran else ""))
    n_lost = int((res.table.drop_duplicates("variant")["status"] == "lost").sum())
    if n_lost:
        print(f"  {n_lost} variant(s) lost with their worker process (not recorded): "
              "run the same command again to evaluate them")
    if res.failed:
        t = res.table
        for _, row in t[t["status"] != "ok"].drop_duplicates("variant").head(10).iterrows():
            print(f"  failed variant {row['variant']}: {row['error']}")
    plots = _sensitivity_plots(res)
    print(f"results: {res.folder / 'results.parquet'} and results.csv"
          + (f"; {plots} sensitivity plot(s) in plots/" if plots else ""))
    return 0


def _sensitivity_plots(res, most: int = 8) -> int:
    """Tornado plots of the PROVINCE row (or the only park) for the first outputs."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from energy_model.report.sweep_plots import plot_sensitivity
    from energy_model.studies.sweep import ID_COLUMNS, main_effects

    t = res.table
    ok = t[t["status"] == "ok"]
    if ok.empty:
        return 0
    pid = "PROVINCE" if (ok["park_id"] == "PROVINCE").any() else ok["park_id"].iloc[0]
    params = t.attrs.get("parameters", [])
    outputs = [c for c in t.columns if c not in ID_COLUMNS and c not in params
               and c != "variant_key" and str(t[c].dtype).startswith(("float", "int"))][:most]
    (res.folder / "plots").mkdir(exist_ok=True)
    n = 0
    for metric in outputs:
        fx = main_effects(t, metric, park_id=pid)
        if fx.empty:
            continue
        fig = plot_sensitivity(fx, metric)
        fig.savefig(res.folder / "plots" / f"sensitivity_{metric}.png", dpi=110)
        plt.close(fig)
        n += 1
    return n


def _uncertainty_plots(res: dict) -> None:
    """Yield histograms per park and the load-versus-weather ranges into ``plots/``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from energy_model.report.sweep_plots import plot_load_vs_weather, plot_yield_distribution

    folder = res["folder"] / "plots"
    folder.mkdir(exist_ok=True)
    resource = res["resource"]
    for pid in resource["park_id"].unique():
        fig = plot_yield_distribution(resource, res["yields"], pid)
        fig.savefig(folder / f"yield_{safe_name(pid)}.png", dpi=110)
        plt.close(fig)
    beside = res["load_vs_weather"]
    if beside is not None and not beside.empty:
        fig = plot_load_vs_weather(beside)
        fig.savefig(folder / "load_vs_weather.png", dpi=110)
        plt.close(fig)


def _pathway(args) -> int:
    from energy_model.studies.pathways import (check_schedule, load_pathway, run_pathway,
                                               write_pathway)

    spec = load_pathway(args.sweep)
    res = run_pathway(spec, progress=not args.quiet)
    check_schedule(res.schedule)
    folder = write_pathway(res, Path(args.out) / safe_name(spec.name))
    cols = ["year", "park_id", "load_gwh", "pv_mwp", "wind_mw", "battery_mwh",
            "self_sufficiency_pct", "total_annual_cost_billion_vnd"]
    m = res.milestones[res.milestones["park_id"] == "PROVINCE"]
    print(m[[c for c in cols if c in m.columns]].to_string(index=False,
                                                           float_format=lambda v: f"{v:,.1f}"))
    print(f"results: {folder} (builds.csv, schedule.csv, milestones.csv)")
    return 0


def _uncertainty(args, workers: int) -> int:
    from energy_model.studies.uncertainty import load_uncertainty, run_uncertainty

    spec = load_uncertainty(args.sweep)
    res = run_uncertainty(spec, args.out, workers=workers, scheduler=args.scheduler,
                          progress=not args.quiet)
    _uncertainty_plots(res)
    y = res["yields"]
    print(y[["park_id", "metric", "p50", "p75", "p90", "sigma_years_pct", "sigma_total_pct"]]
          .to_string(index=False, float_format=lambda v: f"{v:,.1f}"))
    if res["load_vs_weather"] is not None:
        t = res["load_vs_weather"]
        print(t[t["park_id"] == "PROVINCE"].to_string(index=False,
                                                      float_format=lambda v: f"{v:,.2f}"))
    print(f"results: {res['folder']} (yields.csv, design_levels.csv, load_vs_weather.csv, plots/)")
    return 0
