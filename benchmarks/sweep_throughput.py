"""Sweep throughput in variants per minute: 1 and 2 local workers, a loopback Dask cluster,
and the end-to-end time and peak memory of ``energy-model run`` on the default catalog.

Targets (issue 9): at least 1.8× from 1 to 2 local workers; ``energy-model run`` on the
catalog in ≤ 60 s with peak memory ≤ 2 GB on a 2-core machine. The speed-up only means
something on an otherwise idle machine: the script prints the load average and each
variant's wall and CPU time inside its worker (wall ≫ CPU means other processes took
the cores). Peak memory is the largest
sum of resident set sizes over the command and all its worker processes, sampled every
0.1 s.

Each variant of the default sweep is a full-year run of ``scenarios/example_single_park.yaml``
(one park, one LP) with a different ``load_calibration``; every configuration starts from
an empty results folder, so nothing is resumed.

Usage::

    python benchmarks/sweep_throughput.py [--variants 4] [--no-dask] [--no-run]
    python benchmarks/sweep_throughput.py --smoke     # probe evaluator, seconds
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "scenarios" / "example_single_park.yaml"


def sweep_file(folder: Path, n: int, smoke: bool) -> Path:
    """A sweep of ``n`` variants (scenario runs, or the probe with 0.2 s per variant)."""
    values = [round(0.8 + 0.05 * i, 4) for i in range(n)]
    if smoke:  # evaluated by the tests' probe (timed_sweep)
        text = (f"name: bench\nbase: {EXAMPLE}\nparameters:\n"
                f"  - key: capex\n    values: {values}\n")
    else:
        text = (f"name: bench\nbase: {EXAMPLE}\nparameters:\n"
                f"  - key: load_calibration\n    values: {values}\n"
                "outputs: [pv_mwp, battery_mwh, self_sufficiency_pct, annual_cost_billion_vnd]\n")
    path = folder / "bench.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def timed_sweep(path: Path, out: Path, workers: int = 1, scheduler: str | None = None,
                smoke: bool = False):
    from energy_model.studies.sweep import run_sweep

    if smoke:  # the test-only probe evaluator (0.2 s per variant), from tests/sweep_probe.py
        sys.path.insert(0, str(REPO / "tests"))
        from sweep_probe import probe_spec

        path = probe_spec(path, sleep_s=0.2)
    shutil.rmtree(out, ignore_errors=True)
    load0 = os.getloadavg()[0]
    t = time.perf_counter()
    res = run_sweep(path, out, workers=workers, scheduler=scheduler)
    seconds = time.perf_counter() - t
    assert not res.failed, res.table["error"].dropna().tolist()
    recs = [json.loads((res.folder / "parts" / f"{k}.json").read_text()) for k in res.ran]
    wall = sum(r["seconds"] for r in recs) / len(recs)
    cpu = sum(r["cpu_seconds"] for r in recs) / len(recs)
    print(f"    per variant in its worker: {wall:5.1f} s wall, {cpu:5.1f} s CPU; "
          f"load average before {load0:.1f} on {os.cpu_count()} cores"
          + ("  (machine busy: wall ≫ CPU, ratios understate)" if wall > 1.3 * cpu and cpu > 0.5 else ""))
    return res.table, 60.0 * len(res.ran) / seconds, seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def loopback_cluster(n_workers: int, folder: Path):
    """``dask scheduler`` and ``n_workers`` single-threaded ``dask worker`` on 127.0.0.1."""
    from distributed import Client

    dask = str(Path(sys.executable).with_name("dask"))
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    log = open(folder / "dask.log", "w")
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], stdout=log, stderr=log, start_new_session=True)]
    try:
        for _ in range(n_workers):
            procs.append(subprocess.Popen(
                [dask, "worker", address, "--host", "127.0.0.1", "--nworkers", "1", "--nthreads",
                 "1", "--no-dashboard", "--local-directory", str(folder / "dask-worker")],
                stdout=log, stderr=log, start_new_session=True))
        deadline = time.monotonic() + 60
        while True:
            try:
                with Client(address, timeout="5s") as c:
                    c.wait_for_workers(n_workers, timeout=max(1.0, deadline - time.monotonic()))
                break
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield address
    finally:
        for p in procs[::-1]:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        log.close()


def run_catalog(out: Path) -> tuple[float, float, int]:
    """Wall time [s] and peak summed RSS [MB] of ``energy-model run`` on the default catalog."""
    import psutil

    cmd = [sys.executable, "-m", "energy_model", "run", "--out", str(out), "--force",
           "--no-report", "--quiet"]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        total = 0
        try:
            for p in [root] + root.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    total += p.memory_info().rss
        except psutil.Error:
            pass
        peak = max(peak, total)
        time.sleep(0.1)
    seconds = time.perf_counter() - t
    if proc.returncode:
        sys.stderr.write(proc.stderr.read().decode(errors="replace"))
    return seconds, peak / 1e6, proc.returncode


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--variants", type=int, default=4, help="variants per configuration")
    ap.add_argument("--smoke", action="store_true",
                    help="probe evaluator (0.2 s per variant) instead of full-year LPs; no catalog run")
    ap.add_argument("--no-dask", action="store_true", help="skip the loopback Dask cluster")
    ap.add_argument("--no-run", action="store_true", help="skip energy-model run on the catalog")
    args = ap.parse_args(argv)
    import pandas as pd

    with tempfile.TemporaryDirectory(prefix="sweep-bench-") as tmp:
        tmp = Path(tmp)
        path = sweep_file(tmp, args.variants, args.smoke)
        kind = "probe (0.2 s sleep)" if args.smoke else "full-year LP of example_single_park"
        print(f"{args.variants} variants, each a {kind}; {os.cpu_count()} CPU cores")
        t1, v1, s1 = timed_sweep(path, tmp / "w1", workers=1, smoke=args.smoke)
        print(f"local 1 worker : {v1:7.2f} variants/min ({s1:6.1f} s)")
        t2, v2, s2 = timed_sweep(path, tmp / "w2", workers=2, smoke=args.smoke)
        print(f"local 2 workers: {v2:7.2f} variants/min ({s2:6.1f} s)  speed-up ×{v2 / v1:.2f} "
              f"(target ≥ 1.8)")
        pd.testing.assert_frame_equal(t1, t2)
        if not args.no_dask:
            with loopback_cluster(2, tmp) as address:
                td, vd, sd = timed_sweep(path, tmp / "dask", scheduler=address,
                                          smoke=args.smoke)
            print(f"dask 2 workers : {vd:7.2f} variants/min ({sd:6.1f} s)  vs local 2 ×{vd / v2:.2f}")
            pd.testing.assert_frame_equal(t1, td)
        print("tables identical across configurations")
        if not (args.no_run or args.smoke):
            seconds, peak_mb, code = run_catalog(tmp / "results")
            print(f"energy-model run (catalog, no report): {seconds:6.1f} s (target ≤ 60), "
                  f"peak memory {peak_mb:,.0f} MB (target ≤ 2,000); exit {code}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
