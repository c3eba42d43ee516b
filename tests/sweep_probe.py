"""A cheap deterministic sweep evaluator for the sweep engine's own tests (test-only).

It is named by an in-memory :class:`~energy_model.studies.sweep.SweepSpec` as
``sweep_probe:probe`` (the tests folder is on the workers' path), never by a sweep file:
fault injection (deliberate failures, a worker that kills itself) stays out of the
product's schema.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from pathlib import Path

from energy_model.economics import crf
from energy_model.errors import ScenarioError
from energy_model.studies.sweep import SweepSpec, load_sweep

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "scenarios" / "example_single_park.yaml"
EVALUATE = "sweep_probe:probe"


def probe(task: dict) -> list[dict]:
    """Two pseudo-parks and a PROVINCE row whose numbers follow from the overrides alone.

    The annual cost is a capital-recovery factor of ``economics.discount_rate_real`` over
    ``economics.lifetime_years`` times ``capex``. Options (``task["options"]``):
    ``sleep_s`` [s] (a stand-in for an LP), ``fail_when`` (raise when the overrides match),
    ``journal`` (append the key, so a test can count what really ran) and ``crash_once``
    (kill the worker process once, if that file does not exist yet, creating it).
    """
    o, p = task["overrides"], task.get("options") or {}
    if p.get("journal"):
        with open(p["journal"], "a", encoding="utf-8") as fh:
            fh.write(task["key"] + "\n")
    if p.get("crash_once") and not os.path.exists(p["crash_once"]):
        open(p["crash_once"], "w").close()
        os._exit(70)  # a worker dying as if killed for memory
    fail = p.get("fail_when") or {}
    if fail and all(o.get(k) == v for k, v in fail.items()):
        raise ScenarioError(f"probe: variant {o} matches fail_when {fail} (deliberate failure)")
    if p.get("sleep_s"):
        time.sleep(float(p["sleep_s"]))
    f = crf(float(o.get("economics.discount_rate_real", 0.063)),
            int(o.get("economics.lifetime_years", 25)))
    capex = float(o.get("capex", 1.0))
    rows = [{"park_id": pid, "crf": f, "annual_cost_billion_vnd": share * capex * f}
            for pid, share in (("park_a", 0.4), ("park_b", 0.6))]
    rows.append({"park_id": "PROVINCE", "crf": f, "annual_cost_billion_vnd": capex * f})
    return rows


def probe_spec(path: str | Path, **options) -> SweepSpec:
    """The sweep file at ``path`` evaluated by :func:`probe` with ``options``; relative
    ``journal`` and ``crash_once`` paths are taken next to the file."""
    path = Path(path)
    for k in ("journal", "crash_once"):
        if k in options:
            options[k] = str((path.parent / options[k]).resolve())
    return dataclasses.replace(load_sweep(path), evaluate=EVALUATE, options=options)


def main(argv: list[str]) -> None:
    """``python tests/sweep_probe.py SWEEP OUT SLEEP_S``: run a probe sweep (one worker), as
    a separate process a test can kill."""
    from energy_model.studies.sweep import run_sweep

    sweep, out, sleep_s = argv
    run_sweep(probe_spec(sweep, journal="journal.txt", sleep_s=float(sleep_s)), out, workers=1)


if __name__ == "__main__":
    main(sys.argv[1:])
