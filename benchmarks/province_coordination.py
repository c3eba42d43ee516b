"""Benchmark: province-coordinated sizing (issue 16).

1. **Reduced case** (3 parks × 2 weeks, the scenario of
   ``tests/test_province_coordination.py``): one relief target solved by the decomposition
   (:func:`energy_model.studies.province_dw.coordinate`, forced) and by the monolithic joint
   LP (:func:`energy_model.studies.province.joint_reference`, time-limited); their objectives
   must agree within 1e-6. ``speedup_vs_joint_lp`` is the joint LP's wall time over the
   decomposition's (below 1 where the joint LP is faster).
2. **Catalog curve**: :func:`energy_model.studies.province.relief_curve` on the scenario
   (default the 2030 catalog), 6 points, ``--workers`` local pricing processes (default 2),
   each point within ``--point-time-limit`` seconds; a point stopped by it keeps the gap it
   proved, shown as ``max_gap``.

Wall-clock seconds (the curve's own ``wall_s``: assembling the inputs once, the baseline
round and every point); the machine's 1-minute load average is printed with them. The last
line is::

    curve_points=6 max_gap=G wall_s=W speedup_vs_joint_lp=R

Run with the project's Python::

    python benchmarks/province_coordination.py
    python benchmarks/province_coordination.py --reduced-only
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np


def reduced_case(joint_time_limit_s: float) -> tuple[float, float, float]:
    """(decomposition wall [s], joint LP wall [s], relative objective difference)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import tempfile

    from test_province_coordination import HOURS, SCENARIO

    from energy_model.pipeline import load_scenario
    from energy_model.studies import province as pr
    from energy_model.studies.province_dw import Pool, Pricer, coordinate

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "three.yaml"
        path.write_text(SCENARIO, encoding="utf-8")
        units, _ = pr.province_units(load_scenario(path))
    units = {k: v.window(HOURS) for k, v in units.items()}
    window = pr.window_hours(units, "evening")
    with Pricer(units) as pricer:
        t0 = time.perf_counter()
        base = pricer.run([(n, None, None, 1e-9, "auto") for n in units])
        imp0 = sum(b.imports_kw for b in base)
        peak = float(imp0[window].max())
        target = 0.25 * peak
        pool = Pool(names=list(units), window=window, peak_kw=peak, hours=HOURS)
        for b in base:
            pool.add(b)
        pt = coordinate(pool, pricer, value=pr.VALUE_MAX, relief_hi_kw=target, gap_tol=1e-8,
                        centre=(np.zeros(len(window)), sum(b.lower for b in base)))
        dw_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref, _ = pr.joint_reference(units, window, peak, relief_kw=target,
                                time_limit_s=joint_time_limit_s)
    joint_s = time.perf_counter() - t0
    diff = abs(pt.master.cost - ref.objective) / abs(ref.objective)
    print(f"reduced case: 3 units × {HOURS} h, target {target / 1e3:.2f} MW: decomposition "
          f"{dw_s:.1f} s ({pt.rounds} rounds, gap {pt.gap:.1e}), joint LP {joint_s:.1f} s, "
          f"relative difference {diff:.1e}", flush=True)
    return dw_s, joint_s, diff


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default=None)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--points", type=int, default=6)
    ap.add_argument("--point-time-limit", type=float, default=120.0)
    ap.add_argument("--joint-time-limit", type=float, default=600.0)
    ap.add_argument("--reduced-only", action="store_true")
    args = ap.parse_args(argv)
    dw_s, joint_s, diff = reduced_case(args.joint_time_limit)
    if diff > 1e-6:
        print(f"FAIL: decomposition and joint LP differ by {diff:.1e}")
        return 1
    if args.reduced_only:
        print(f"curve_points=0 max_gap=nan wall_s=nan speedup_vs_joint_lp={joint_s / dw_s:.3g}")
        return 0
    from energy_model.paths import default_scenario
    from energy_model.studies.province import relief_curve

    scenario = args.scenario or default_scenario()
    load0 = os.getloadavg()
    curve = relief_curve(scenario, points=args.points, workers=args.workers,
                         point_time_limit_s=args.point_time_limit,
                         log=lambda m: print("  " + m, flush=True))
    load = os.getloadavg()[0]
    cpu = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_s = sum(r.ru_utime + r.ru_stime for r in cpu)
    print(curve.points.to_string(index=False))
    b = curve.builds
    top = b[b["relief_mw"] == b["relief_mw"].max()]
    print(top.to_string(index=False))
    m = curve.meta
    print(f"catalog: {len(m['units'])} units, window {m['window_hours']} h, baseline peak "
          f"{m['peak_before_mw']:.1f} MW, largest relief {m['largest_relief_mw']:.1f} MW, "
          f"load average {load0[0]:.2f} before, {load:.2f} after; processor time "
          f"{cpu_s:.0f} s (this process and its workers, with the reduced case)")
    print(f"curve_points={len(curve.points)} max_gap={m['max_gap']:.2e} "
          f"wall_s={m['wall_s']:.0f} speedup_vs_joint_lp={joint_s / dw_s:.3g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
