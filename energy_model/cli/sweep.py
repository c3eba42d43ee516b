"""``energy-model sweep SWEEP.yaml``: run the variants of a sweep file, locally or on Dask."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("sweep", help="run a sweep of scenario variants (resumable)",
                       description="Run every variant of a sweep file on a local process pool "
                                   "or a dask.distributed cluster. Variants already done "
                                   "(same content hash) are skipped, so an interrupted sweep "
                                   "resumes. Results: OUT/<name>/results.parquet and .csv.")
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


def handle(args) -> int:
    import os

    from energy_model.errors import UsageError
    from energy_model.sweep import load_sweep, run_sweep

    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    if workers < 1:
        raise UsageError(f"--workers must be at least 1, got {workers}")
    spec = load_sweep(args.sweep)
    res = run_sweep(spec, args.out, workers=workers, scheduler=args.scheduler,
                    progress=not args.quiet, retry_failed=args.retry_failed)
    n = len(res.ran) + len(res.skipped)
    print(f"sweep {spec.name}: {n} variants, ran {len(res.ran)}, skipped {len(res.skipped)} "
          f"already done, failed {len(res.failed)}; {res.seconds:.1f} s"
          + (f" ({res.variants_per_minute:.1f} variants/min)" if res.ran else ""))
    if res.failed:
        t = res.table
        for _, row in t[t["status"] != "ok"].drop_duplicates("variant").head(10).iterrows():
            print(f"  failed variant {row['variant']}: {row['error']}")
    print(f"results: {res.folder / 'results.parquet'} and results.csv")
    return 0
