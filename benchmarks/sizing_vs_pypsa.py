"""Benchmark: full-year sizing LP, ours against PyPSA ``n.optimize()``, identical problem.

The problem is the PyPSA-equivalence case of ``tests/test_sizing_pypsa.py``: one bus, a
20 MW two-shift synthetic park, ground PV, wind, a 3-hour battery, the EVN 2025 TOU price
at 22–110 kV and an import cap of 80 % of the peak load. Both sides are timed from their
inputs to an optimal solution in the same process (ours: ``optimize()`` including checks
and the dispatch table; PyPSA: building the network plus ``n.optimize()`` with HiGHS via
linopy), after a small warm-up solve of each so that imports are not timed.

Run with the project's Python::

    python benchmarks/sizing_vs_pypsa.py            # full year
    python benchmarks/sizing_vs_pypsa.py --hours 168 --repeat 1   # smoke test

The last line reads ``min_ratio_vs_pypsa=R max_objective_rel_diff=D`` over all problems.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings


def _problems(hours: int) -> dict:
    from energy_model.sizing import Battery, Finance, Grid, Technology
    from energy_model.sizing.synthetic import synthetic_park

    park = synthetic_park(max(hours, 48))
    sl = slice(0, hours)
    techs = [Technology("pv", "ground", park.pv_per_kw[sl], 11e6, 150e3, 25, max_kw=60_000),
             Technology("wind", "wind", park.wind_per_kw[sl], 18e6, 500e3, 20, max_kw=30_000)]
    battery = Battery(capex_per_kwh=4.5e6, capex_per_kw=1.5e6, fixed_om_per_kw_yr=100e3,
                      life_years=15, eta_charge=0.95, eta_discharge=0.95, duration_h=3.0,
                      throughput_cost_per_kwh=100.0)
    grid = Grid(import_price=park.import_price[sl], import_cap_kw=0.8 * park.load_kw.max())
    return {"base (pv, wind, battery 3 h; TOU; import cap)":
            (park.load_kw[sl], techs, grid, battery, Finance(0.08))}


def _time_ours(args) -> tuple[float, float, object]:
    from energy_model.sizing import optimize

    t0, c0 = time.perf_counter(), time.process_time()
    result = optimize(*args)
    return time.perf_counter() - t0, time.process_time() - c0, result


def _time_pypsa(args) -> tuple[float, float, dict]:
    from energy_model.sizing import prepare
    from energy_model.sizing.reference import pypsa_optimize

    t0, c0 = time.perf_counter(), time.process_time()
    ref = pypsa_optimize(prepare(*args))
    return time.perf_counter() - t0, time.process_time() - c0, ref


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=int, default=8760, help="horizon [h] (default 8760)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="timed runs per side; the median is reported")
    opts = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    import logging

    logging.getLogger("pypsa").setLevel(logging.ERROR)
    logging.getLogger("linopy").setLevel(logging.ERROR)

    warm = next(iter(_problems(48).values()))
    _time_ours(warm)
    _time_pypsa(warm)

    ratios, diffs = [], []
    print(f"horizon {opts.hours} h, median of {opts.repeat} run(s) per side; wall time "
          "[s] (CPU time of the process in brackets: a fairer measure on a shared machine)")
    print(f"{'problem':48s} {'ours':>14s} {'build':>6s} {'solve':>6s} {'pypsa':>14s} "
          f"{'ratio':>6s} {'obj rel diff':>12s}")
    for name, args in _problems(opts.hours).items():
        runs_o, runs_p = [], []
        for _ in range(opts.repeat):
            *t, ours = _time_ours(args)
            runs_o.append(t)
            *t, ref = _time_pypsa(args)
            runs_p.append(t)
        o = statistics.median(r[0] for r in runs_o)
        oc = statistics.median(r[1] for r in runs_o)
        p = statistics.median(r[0] for r in runs_p)
        pc = statistics.median(r[1] for r in runs_p)
        diff = abs(ours.objective - ref["objective"]) / abs(ref["objective"])
        ratios.append(p / o)
        diffs.append(diff)
        print(f"{name:48s} {o:6.2f} ({oc:5.2f}) {ours.build_s:6.2f} {ours.solve_s:6.2f} "
              f"{p:6.2f} ({pc:5.2f}) {p / o:6.2f} {diff:12.2e}")
        caps = ", ".join(f"{k}={v:,.0f}" for k, v in ours.capacities.items())
        print(f"  ours:  {caps}; {ours.iterations} iterations, {ours.n_rows} rows × "
              f"{ours.n_cols} columns")
        caps = ", ".join(f"{k}={v:,.0f}" for k, v in ref["capacities"].items())
        print(f"  pypsa: {caps}")
    print(f"min_ratio_vs_pypsa={min(ratios):.2f} max_objective_rel_diff={max(diffs):.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
