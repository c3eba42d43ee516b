"""Benchmark: size the catalog's park problems with the fast path, the monolithic LP and PyPSA.

For each park of a scenario (default the 2030 Quảng Ninh catalog, 21 parks) the sizing LP
inputs are built once (weather, PV, load: ``pipeline.scenario_weather`` and
``pipeline.assemble``) or read from a folder of pickles written by ``--dump``, then:

* ``fast``: :func:`energy_model.sizing.optimize` with ``Options(method="fast")``;
* ``monolithic``: the same with ``Options(method="monolithic")``;
* ``pypsa``: the PyPSA mirror (``energy_model.testing.pypsa_mirror``, or its old home
  ``energy_model.testing.pypsa_mirror``) plus, with standard PyPSA components, what the
  mirror refuses and the catalog uses: a battery of free duration with a minimum state
  of charge (a ``Store`` with ``e_min_pu`` between a charger and a discharger ``Link``
  whose ratings are tied) and rooftop export under a power-basis cap (a ``Link`` rated
  ``share × roof p_nom`` into a sink). A park the mirror cannot express is reported
  ``n/a``.

Times are CPU seconds of this process (``time.process_time``: on a shared machine the
wall clock measures the neighbours), each method in the same process, one after the
other. The table gives per park the CPU time, HiGHS iterations and outer (dispatch)
solves, and the objective's relative difference to the monolithic LP; then p50, p95 and
max per method. The last line is::

    catalog_sizing_cpu_s=C p95_park_s=P min_ratio_vs_pypsa=R max_rel_diff=D

with C the fast path's CPU seconds summed over the parks, P its p95 per park, R the
smallest PyPSA/fast CPU ratio and D the largest relative objective difference of the fast
path (and PyPSA) to the monolithic LP.

Run with the project's Python::

    python benchmarks/catalog_sizing.py                        # 2030 catalog, 20 % power cap
    python benchmarks/catalog_sizing.py --rules none           # the catalog's rules in force
    python benchmarks/catalog_sizing.py --dump /tmp/catalog    # write the inputs once
    python benchmarks/catalog_sizing.py --inputs /tmp/catalog --no-pypsa
    python benchmarks/catalog_sizing.py --parks cai_lan,song_khoai --hours 336   # smoke
"""

from __future__ import annotations

import argparse
import dataclasses
import pickle
import sys
import time
import warnings
from pathlib import Path

import numpy as np

from energy_model.testing.pypsa_mirror import pypsa_network_extended, tie_capacities


# --------------------------------------------------------------------------- inputs

def _fields(inputs) -> dict:
    return dict(load_kw=inputs.load_kw, technologies=list(inputs.technologies),
                grid=inputs.grid, battery=inputs.battery, finance=inputs.finance,
                policy=inputs.policy)


def build_inputs(scenario_path: str | None, overrides: dict, parks: list[str] | None) -> dict:
    """``{park_id: optimize() keyword inputs}`` built from a scenario."""
    from energy_model import pipeline
    from energy_model.pipeline import assemble, load_scenario

    scenario = load_scenario(scenario_path, overrides=overrides)
    weather = pipeline.scenario_weather(scenario)
    out = {}
    for park in scenario.parks:
        if parks and park.id not in parks:
            continue
        w = weather[pipeline.park_weather_key(scenario, park)]
        w = w[0] if isinstance(w, list) else w
        out[park.id] = _fields(assemble(scenario, park, w))
    return out


def read_inputs(folder: str, parks: list[str] | None) -> dict:
    """Inputs pickled by ``--dump`` (one ``<park>.pkl`` each)."""
    out = {}
    for path in sorted(Path(folder).glob("*.pkl")):
        if parks and path.stem not in parks:
            continue
        with open(path, "rb") as f:
            d = pickle.load(f)
        out[path.stem] = {k: d[k] for k in ("load_kw", "technologies", "grid", "battery",
                                            "finance", "policy")}
    return out


def truncate(inp: dict, hours: int) -> dict:
    """The first ``hours`` hours of a park's inputs (a smoke test's short horizon)."""
    sl = slice(0, hours)
    techs = [dataclasses.replace(t, profile_per_kw=np.asarray(t.profile_per_kw)[sl])
             for t in inp["technologies"]]
    g = inp["grid"]

    def cut(v):
        return v if v is None or np.ndim(v) == 0 else np.asarray(v)[sl]

    grid = dataclasses.replace(g, import_price=cut(g.import_price),
                               export_price=cut(g.export_price),
                               import_cap_kw=cut(g.import_cap_kw),
                               month_of_hour=cut(g.month_of_hour))
    return {**inp, "load_kw": inp["load_kw"].iloc[sl], "technologies": techs, "grid": grid}


# --------------------------------------------------------------------------- PyPSA

def _mirror(pb):
    """PyPSA network of ``pb`` and the p_nom ties, or a reason it cannot be mirrored."""
    b = pb.battery
    if pb.month is not None or pb.policy.min_renewable_share > 0:
        return None, "capacity charge or renewable-share floor"
    if b is not None and b.duration_h is not None and b.soc_min > 0:
        return None, "fixed-duration battery with a minimum state of charge"
    ex = [t.name for t in pb.techs if t.may_export] if pb.export else []
    if len(ex) > 1 or (pb.export and pb.grid.export_cap_basis != "power"):
        return None, "export from several arrays or on an energy basis"
    return pypsa_network_extended(pb), ""


def pypsa_objective(pb) -> tuple[float | None, str]:
    """Objective of the PyPSA mirror [VND/yr] (None and a reason if not mirrored)."""
    import logging

    built, why = _mirror(pb)
    if built is None:
        return None, why
    n, ties = built

    for name in ("pypsa", "linopy"):
        logging.getLogger(name).setLevel(logging.ERROR)
    status, condition = n.optimize(solver_name="highs", include_objective_constant=False,
                                   progress=False, solver_options={"output_flag": False},
                                   extra_functionality=tie_capacities(ties) if ties else None)
    if (status, condition) != ("ok", "optimal"):
        return None, f"{status}/{condition}"
    return float(n.objective), ""


# --------------------------------------------------------------------------- timing

def _cpu(fn, *args, **kwargs):
    c0 = time.process_time()
    out = fn(*args, **kwargs)
    return time.process_time() - c0, out


def _size(inp: dict, method: str):
    from energy_model.sizing import Options, optimize

    return optimize(inp["load_kw"], inp["technologies"], inp["grid"], inp["battery"],
                    inp["finance"], inp["policy"], options=Options(method=method))


def _pct(values, q):
    return float(np.percentile(values, q)) if len(values) else float("nan")


def run(parks: dict, pypsa: bool) -> dict:
    """Time every park with every method; print the table; return the summary figures."""
    from energy_model.sizing import prepare

    times = {"fast": [], "monolithic": [], "pypsa": []}
    ratios, diffs = [], []
    print(f"{'park':22s} {'fast s':>7s} {'iter':>7s} {'outer':>5s} {'mono s':>7s} {'iter':>6s} "
          f"{'pypsa s':>8s} {'fast/mono rel':>13s} {'pypsa/mono rel':>14s}  fast path")
    for pid, inp in parks.items():
        cf, fast = _cpu(_size, inp, "fast")
        cm, mono = _cpu(_size, inp, "monolithic")
        times["fast"].append(cf)
        times["monolithic"].append(cm)
        ref = abs(mono.objective)
        diff = abs(fast.objective - mono.objective) / ref
        diffs.append(diff)
        p_txt, pd_txt = "n/a", "n/a"
        if pypsa:
            pb = prepare(inp["load_kw"], inp["technologies"], inp["grid"], inp["battery"],
                         inp["finance"], inp["policy"])
            cp, (obj, why) = _cpu(pypsa_objective, pb)
            if obj is not None:
                times["pypsa"].append(cp)
                ratios.append(cp / cf)
                pdiff = abs(obj - mono.objective) / ref
                diffs.append(pdiff)
                p_txt, pd_txt = f"{cp:8.2f}", f"{pdiff:14.1e}"
            else:
                p_txt = f"n/a ({why})"
        note = fast.path + (f" ({fast.fallback})" if fast.fallback else "")
        print(f"{pid:22s} {cf:7.2f} {fast.iterations:7d} {fast.outer_iterations:5d} {cm:7.2f} "
              f"{mono.iterations:6d} {p_txt:>8s} {diff:13.1e} {pd_txt:>14s}  {note}",
              flush=True)
    print()
    print(f"{'method':12s} {'parks':>5s} {'sum s':>8s} {'p50 s':>7s} {'p95 s':>7s} {'max s':>7s}")
    for m, v in times.items():
        if v:
            print(f"{m:12s} {len(v):5d} {sum(v):8.2f} {_pct(v, 50):7.2f} {_pct(v, 95):7.2f} "
                  f"{max(v):7.2f}")
    return dict(cpu=sum(times["fast"]), p95=_pct(times["fast"], 95),
                ratio=min(ratios) if ratios else float("nan"), diff=max(diffs))


def _rules(name: str) -> dict:
    """Scenario overrides of a named rule set (none for ``none``)."""
    if name == "none":
        return {}
    from energy_model.rules_in_force import rule_sets

    sets = rule_sets()
    if name not in sets:
        raise SystemExit(f"--rules: unknown rule set {name!r}; one of {', '.join(sets)}, none")
    return dict(sets[name].overrides)


def _overrides(items: list[str]) -> dict:
    import yaml

    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"--set expects KEY=VALUE, got {item!r}")
        out[key.strip()] = yaml.safe_load(value)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=None, help="scenario file (default: the catalog)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="scenario override, e.g. --set tariff.export.cap_share=0.5")
    parser.add_argument("--inputs", default=None, help="read the park inputs from this folder")
    parser.add_argument("--dump", default=None, help="write the park inputs to this folder")
    parser.add_argument("--parks", default="", help="comma-separated park ids (default all)")
    parser.add_argument("--hours", type=int, default=None, help="first hours only (smoke)")
    parser.add_argument("--no-pypsa", action="store_true", help="skip the PyPSA mirror")
    parser.add_argument("--rules", default="export_20pct_power",
                        help="rule set of energy_model.rules_in_force.rule_sets applied "
                             "before --set (default export_20pct_power: the 20 %% power cap "
                             "of issue 19's budgets; 'none' for the scenario's own rules)")
    opts = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    wanted = [p for p in opts.parks.split(",") if p]
    parks = (read_inputs(opts.inputs, wanted) if opts.inputs else
             build_inputs(opts.scenario, {**_rules(opts.rules), **_overrides(opts.set)},
                          wanted))
    if not parks:
        raise SystemExit("no park selected")
    if opts.dump:
        Path(opts.dump).mkdir(parents=True, exist_ok=True)
        for pid, inp in parks.items():
            with open(Path(opts.dump) / f"{pid}.pkl", "wb") as f:
                pickle.dump(inp, f)
    if opts.hours:
        parks = {pid: truncate(inp, opts.hours) for pid, inp in parks.items()}
    s = run(parks, pypsa=not opts.no_pypsa)
    print(f"catalog_sizing_cpu_s={s['cpu']:.2f} p95_park_s={s['p95']:.2f} "
          f"min_ratio_vs_pypsa={s['ratio']:.2f} max_rel_diff={s['diff']:.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
