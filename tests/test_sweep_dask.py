"""A 20-variant sweep on a real dask.distributed cluster (scheduler + 2 workers on
127.0.0.1, started as separate processes) gives the local run's table, row for row."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from test_sweep import write_probe_sweep, write_sweep_file

DASK = Path(sys.executable).with_name("dask")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dask_cluster(tmp_path):
    """``dask scheduler`` and two ``dask worker`` processes on loopback; yields the address."""
    assert DASK.exists(), f"{DASK}: the dask command of the test extra dask[distributed]"
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    # the workers import the test-only probe evaluator (tests/sweep_probe.py) and this tree
    path = os.pathsep.join([str(Path(__file__).parent), str(Path(__file__).parents[1]),
                            os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False", "PYTHONPATH": path}
    log = open(tmp_path / "dask.log", "w")
    procs = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], stdout=log, stderr=log, env=env,
                              start_new_session=True)]
    try:
        for _ in range(2):
            procs.append(subprocess.Popen(
                [str(DASK), "worker", address, "--host", "127.0.0.1", "--nworkers", "1",
                 "--nthreads", "1", "--no-dashboard", "--local-directory", str(tmp_path / "dw")],
                stdout=log, stderr=log, env=env, start_new_session=True))
        from distributed import Client

        deadline = time.monotonic() + 60
        while True:
            try:
                with Client(address, timeout="5s") as c:
                    c.wait_for_workers(2, timeout=max(1.0, deadline - time.monotonic()))
                    break
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield address
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(5)
        log.close()


def test_dask_sweep_equals_local_row_for_row(tmp_path, dask_cluster, run_cli, monkeypatch):
    from energy_model.studies import sweep as sweep_mod

    spec = write_probe_sweep(tmp_path, fail_when={"economics.discount_rate_real": 0.1, "tag": "a"})
    path = write_sweep_file(tmp_path, "probe20")
    monkeypatch.setattr(sweep_mod, "load_sweep", lambda p: spec)
    code, out, err = run_cli("sweep", path, "--scheduler", dask_cluster, "--out", tmp_path / "dask",
                             "--quiet")
    assert code == 0, err
    assert "ran 20" in out and "failed 2" in out
    code, out, err = run_cli("sweep", path, "--workers", "2", "--out", tmp_path / "local", "--quiet")
    assert code == 0, err
    remote = pd.read_parquet(tmp_path / "dask" / "probe20" / "results.parquet")
    local = pd.read_parquet(tmp_path / "local" / "probe20" / "results.parquet")
    assert len(remote) == 18 * 3 + 2
    pd.testing.assert_frame_equal(remote, local, check_exact=True)
    assert (tmp_path / "dask" / "probe20" / "results.csv").read_bytes() == \
        (tmp_path / "local" / "probe20" / "results.csv").read_bytes()
