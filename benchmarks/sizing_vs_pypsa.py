"""Benchmark: full-year sizing, ours (fast exact path) against PyPSA ``n.optimize()``.

Five identical problems on a 20 MW two-shift synthetic park with the EVN 2025 TOU price at
22–110 kV (issue 11):

* ``base``: ground PV, wind and a 3-hour battery (3 capacities), import cap 80 % of peak;
* ``5 capacities``: rooftop, ground and floating PV, wind and a 3-hour battery;
* ``8 capacities``: two rooftop, two ground and one floating PV array, wind, and a battery
  whose power and energy are sized separately;
* ``tight hourly cap``: the base with an import cap of 65 % of peak, and 45 % in the June
  evening hours 17–21 (a rotating-cut window);
* ``export, power basis``: rooftop PV that may export its surplus at 1,426.6 VND/kWh up to
  20 % of its capacity (Decree 135/2024), ground PV, wind and a 3-hour battery.

PyPSA mirrors the base problems with :mod:`energy_model.testing.pypsa_mirror`; this script adds
what that mirror refuses, with standard PyPSA components and one linking constraint each:
a battery of free duration is a ``Store`` with a charger and a discharger ``Link`` whose
ratings are tied (``p_nom_discharger = P / η_discharge``), and rooftop export leaves the
roof's own bus through a ``Link`` rated ``share × roof p_nom`` into a sink ``Generator``
priced at the export price.

Both sides are timed from their inputs to an optimal solution in the same process (ours:
``optimize()`` including the checks and the dispatch table; PyPSA: building the network
plus ``n.optimize()`` with HiGHS via linopy), after a small warm-up of each so imports
are not timed. Wall and CPU time are printed; on a shared machine the CPU time is the
fairer measure, the ratio uses wall time.

A second part sizes 20 variants of the base park (battery and PV costs varied) cold and
warm-started from the previous variant (``optimize(..., warm_start=previous)``).

Run with the project's Python::

    python benchmarks/sizing_vs_pypsa.py                    # full year
    python benchmarks/sizing_vs_pypsa.py --hours 168 --variants 3   # smoke test

The last line reads ``min_ratio_vs_pypsa=R max_objective_rel_diff=D`` over all problems.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
import warnings

import numpy as np


# --------------------------------------------------------------------------- problems

def _park(hours: int):
    from energy_model.testing.synthetic import synthetic_park

    park = synthetic_park(max(hours, 48))
    sl = slice(0, hours)
    pv = park.pv_per_kw[sl]
    shapes = {"ground": pv,
              "ground_b": 0.97 * np.roll(pv, 1),              # a west-leaning field
              "roof_e": 0.92 * np.roll(pv, -1),               # east roofs, lower yield
              "roof_w": 0.90 * np.roll(pv, 1),
              "floating": np.minimum(1.04 * pv, 1.0)}         # cooler modules
    return park, sl, shapes


def _battery(**kw):
    from energy_model.sizing import Battery

    base = dict(capex_per_kwh=4.5e6, capex_per_kw=1.5e6, fixed_om_per_kw_yr=100e3,
                life_years=15, eta_charge=0.95, eta_discharge=0.95, duration_h=3.0,
                throughput_cost_per_kwh=100.0)
    base.update(kw)
    return Battery(**base)


def problems(hours: int) -> dict:
    """The benchmark problems: name → (load, technologies, grid, battery, finance)."""
    from energy_model.sizing import Finance, Grid, Technology

    park, sl, pv = _park(hours)
    load, price = park.load_kw[sl], park.import_price[sl]
    peak = float(park.load_kw.max())
    wind = Technology("wind", "wind", park.wind_per_kw[sl], 18e6, 500e3, 20, max_kw=30_000)
    ground = Technology("pv", "ground", pv["ground"], 11e6, 150e3, 25, max_kw=60_000)
    fin = Finance(0.08)
    base_grid = Grid(import_price=price, import_cap_kw=0.8 * peak)
    out = {"base (pv, wind, battery 3 h)": (load, [ground, wind], base_grid, _battery(), fin)}

    roof = Technology("roof", "rooftop", pv["roof_e"], 9.5e6, 150e3, 25, max_kw=15_000)
    floating = Technology("floating", "floating", pv["floating"], 11.2e6, 200e3, 25,
                          max_kw=20_000)
    out["5 capacities (3 pv, wind, battery)"] = (load, [roof, ground, floating, wind],
                                                 base_grid, _battery(), fin)

    roof_w = Technology("roof_w", "rooftop", pv["roof_w"], 9.3e6, 150e3, 25, max_kw=10_000)
    ground_b = Technology("pv_b", "ground", pv["ground_b"], 10.5e6, 150e3, 25,
                          max_kw=25_000)
    free = _battery(duration_h=None, capex_per_kw=2.5e6)
    out["8 capacities (5 pv, wind, battery kW+kWh)"] = (
        load, [roof, roof_w, ground, ground_b, floating, wind], base_grid, free, fin)

    cap = np.full(hours, 0.65 * peak)
    idx = park.index[sl]
    window = (idx.month == 6) & (idx.hour >= 17) & (idx.hour <= 21)
    cap[window] = 0.45 * peak
    out["tight hourly import cap (65 %, 45 % June 17-21 h)"] = (
        load, [ground, wind], Grid(import_price=price, import_cap_kw=cap), _battery(), fin)

    roof_x = Technology("roof", "rooftop", pv["roof_e"], 8.5e6, 150e3, 25, max_kw=40_000)
    exp_price = np.where(price > 1426.6, 1426.6, 0.0)   # clipped where not below import
    grid_x = Grid(import_price=price, import_cap_kw=0.8 * peak, export_price=exp_price,
                  export_cap_share=0.2, export_cap_basis="power")
    out["export, power-basis cap 20 %"] = (load, [roof_x, ground, wind], grid_x, _battery(),
                                           fin)
    return out


# --------------------------------------------------------------------------- PyPSA mirror

def pypsa_solve(pb) -> dict:
    """Build the mirror and run ``n.optimize()`` (HiGHS), quietly; objective and capacities."""
    import logging

    from energy_model.testing.pypsa_mirror import pypsa_network_extended, tie_capacities

    t0 = time.perf_counter()
    n, links = pypsa_network_extended(pb)
    for name in ("pypsa", "linopy"):
        logging.getLogger(name).setLevel(logging.ERROR)
    status, condition = n.optimize(solver_name="highs", include_objective_constant=False,
                                   progress=False, solver_options={"output_flag": False},
                                   extra_functionality=tie_capacities(links) if links else None)
    elapsed = time.perf_counter() - t0
    caps = {f"{t.name}_kw": float(n.generators.at[t.name, "p_nom_opt"]) for t in pb.techs}
    b = pb.battery
    if b is not None and b.duration_h is None:
        caps.update(battery_kw=float(n.links.at["charger", "p_nom_opt"]),
                    battery_kwh=float(n.stores.at["battery", "e_nom_opt"]))
    elif b is not None:
        p = float(n.storage_units.at["battery", "p_nom_opt"])
        caps.update(battery_kw=p, battery_kwh=p * b.duration_h)
    return {"objective": float(n.objective), "capacities": caps,
            "status": f"{status}/{condition}", "wall_s": elapsed}


# --------------------------------------------------------------------------- timing

def _time(fn, *args, **kwargs):
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn(*args, **kwargs)
    return time.perf_counter() - t0, time.process_time() - c0, out


def _ours(args, method="fast", warm_start=None):
    from energy_model.sizing import Options, optimize

    return optimize(*args, options=Options(method=method), warm_start=warm_start)


def _caps(caps: dict) -> str:
    return ", ".join(f"{k}={v:,.0f}" for k, v in caps.items())


def compare(hours: int, repeat: int, monolithic: bool) -> tuple[list, list]:
    """Time every problem on both sides; print a table; return ratios and objective diffs."""
    from energy_model.sizing import prepare

    ratios, diffs = [], []
    print(f"horizon {hours} h, median of {repeat} run(s) per side; wall time [s] (CPU time "
          "of the process in brackets: fairer on a shared machine)")
    print(f"{'problem':50s} {'ours':>13s} {'outer':>5s} {'gap':>8s} {'pypsa':>14s} "
          f"{'ratio':>6s} {'cpu ratio':>9s} {'obj rel diff':>12s}"
          + ("   monolithic" if monolithic else ""))
    for name, args in problems(hours).items():
        runs_o = [_time(_ours, args) for _ in range(repeat)]
        runs_p = [_time(pypsa_solve, prepare(*args)) for _ in range(repeat)]
        ours, ref = runs_o[-1][2], runs_p[-1][2]
        assert ref["status"] == "ok/optimal", ref["status"]
        o, oc = (statistics.median(r[i] for r in runs_o) for i in (0, 1))
        p, pc = (statistics.median(r[i] for r in runs_p) for i in (0, 1))
        diff = abs(ours.objective - ref["objective"]) / abs(ref["objective"])
        ratios.append(p / o)
        diffs.append(diff)
        extra = ""
        if monolithic:
            mw, mc, mono = _time(_ours, args, method="monolithic")
            extra = f"   {mw:6.2f} ({mc:5.2f})"
            diffs.append(abs(mono.objective - ref["objective"]) / abs(ref["objective"]))
        print(f"{name:50s} {o:5.2f} ({oc:5.2f}) {ours.outer_iterations:5d} {ours.gap:8.1e} "
              f"{p:6.2f} ({pc:5.2f}) {p / o:6.2f} {pc / oc:9.2f} {diff:12.2e}{extra}")
        print(f"  ours [{ours.path}{': ' + ours.fallback if ours.fallback else ''}; "
              f"start {ours.start or '-'}]: {_caps(ours.capacities)}")
        print(f"  pypsa: {_caps(ref['capacities'])}")
    return ratios, diffs


def warm_start_demo(hours: int, variants: int) -> float:
    """Size ``variants`` cost variants of the base park cold and warm; print both totals."""
    from energy_model.sizing import Technology

    load, techs, grid, battery, fin = next(iter(problems(hours).values()))
    cases = []
    for k in range(variants):
        f = k / max(variants - 1, 1)
        pv = dataclasses.replace(techs[0], capex_per_kw=9.5e6 + 3e6 * f)
        bat = dataclasses.replace(battery, capex_per_kwh=5.5e6 - 2.5e6 * f)
        assert isinstance(pv, Technology)
        cases.append((load, [pv, techs[1]], grid, bat, fin))
    cold_w = cold_c = warm_w = warm_c = 0.0
    worst, prev, outer_cold, outer_warm = 0.0, None, 0, 0
    for args in cases:
        w, c, cold = _time(_ours, args)
        cold_w, cold_c, outer_cold = cold_w + w, cold_c + c, outer_cold + cold.outer_iterations
        w, c, warm = _time(_ours, args, warm_start=prev)
        warm_w, warm_c, outer_warm = warm_w + w, warm_c + c, outer_warm + warm.outer_iterations
        worst = max(worst, abs(warm.objective - cold.objective) / abs(cold.objective))
        prev = warm
    print(f"warm start, {variants} variants of the base park (PV capex 9.5–12.5 M VND/kW, "
          f"battery 5.5–3.0 M VND/kWh), horizon {hours} h:")
    print(f"  cold: {cold_w:6.2f} s wall ({cold_c:6.2f} s CPU), {outer_cold} dispatch solves")
    print(f"  warm: {warm_w:6.2f} s wall ({warm_c:6.2f} s CPU), {outer_warm} dispatch solves;"
          f" gain {cold_w / warm_w:.2f}× wall, {cold_c / warm_c:.2f}× CPU; objectives agree "
          f"to {worst:.1e}")
    return worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=int, default=8760, help="horizon [h] (default 8760)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="timed runs per side; the median is reported")
    parser.add_argument("--variants", type=int, default=20,
                        help="variants of the warm-start demo (0 skips it)")
    parser.add_argument("--monolithic", action="store_true",
                        help="also time our monolithic LP")
    opts = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    from energy_model.sizing import prepare

    warm = next(iter(problems(48).values()))
    _ours(warm)
    pypsa_solve(prepare(*warm))
    ratios, diffs = compare(opts.hours, opts.repeat, opts.monolithic)
    if opts.variants > 0:
        warm_start_demo(opts.hours, opts.variants)
    print(f"min_ratio_vs_pypsa={min(ratios):.2f} max_objective_rel_diff={max(diffs):.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
