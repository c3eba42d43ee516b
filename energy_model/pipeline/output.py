"""Write a run's results folder (:func:`write_results_folder`, :func:`run_and_write`).

Besides the summary, the hourly files and ``run.json``, the folder holds the assumptions
the run used (``assumptions/costs.csv``, ``emission_factor.csv``, ``tariff.csv``), so a
report rebuilt later shows them even after the package's tables change.
"""

from __future__ import annotations

import importlib.metadata as md
import platform
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from energy_model import __version__
from energy_model import demand as load_mod
from energy_model import tariff as tf
from energy_model.economics import grid_emission_factor, load_costs
from energy_model.paths import package_data
from energy_model.pipeline.assemble import cost_year, run_emission_factor
from energy_model.pipeline.contracts import combined_tables
from energy_model.pipeline.grid import (cuts_table, headline_table, reverse_flow_table,
                                        substations_table)
from energy_model.pipeline.offsite import write_offsite
from energy_model.pipeline.run import run_scenario
from energy_model.pipeline.types import ScenarioResult
from energy_model.pipeline.weather import normals_path
from energy_model.results import (file_sha256, safe_name, write_atomically, write_csv,
                                  write_json)
from energy_model.scenario import Scenario, layer_files

VERSIONED_PACKAGES = ("pvlib", "windpowerlib", "highspy", "holidays", "pandas", "numpy", "scipy",
                      "pydantic", "matplotlib")
#: cost-override field → suffix of the costs.csv row it replaces
COST_OVERRIDE_ROWS = {"capex_vnd_per_kw": "capex", "capex_vnd_per_kwh": "capex",
                      "fixed_om_vnd_per_kw_yr": "fixed_om", "fixed_om_vnd_per_kwh_yr": "fixed_om",
                      "life_years": "life"}
EMISSION_COLUMNS = ["year", "value_t_per_mwh", "mark", "source", "method"]
TARIFF_COLUMNS = ["park_id", "customer", "voltage", "tariff", "period", "price_vnd_per_kwh",
                  "hours"]


def run_json(result: ScenarioResult) -> dict:
    """Provenance of a run: versions, seed, input hashes, resolved scenario, timings."""
    versions = {"energy_model": __version__, "python": platform.python_version()}
    for pkg in VERSIONED_PACKAGES:
        try:
            versions[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            pass
    s = result.scenario
    inputs = {str(p): file_sha256(p) for p in layer_files(s)}
    data_files = ([normals_path(s)] if s.weather.source == "normals" or s.weather.normals
                  else [])
    data_files += sorted(package_data().glob("*.csv")) + sorted(package_data().glob("*.yaml"))
    for p in data_files:
        if Path(p).exists():
            inputs[str(p)] = file_sha256(p)
    return {
        "scenario_name": s.name, "year": s.year, "seed": s.weather.seed,
        "kkt_metering": s.kkt_metering,
        "versions": versions, "inputs_sha256": inputs,
        "scenario": s.model_dump(mode="json"),
        "timings_s": {k: round(v, 3) for k, v in result.timings.items()},
        "notes": result.notes,
        "solver": {pid: {"path": p.sizing.path, "status": p.sizing.status,
                         "build_s": round(p.sizing.build_s, 3),
                         "solve_s": round(p.sizing.solve_s, 3),
                         "iterations": p.sizing.iterations}
                   for pid, p in result.parks.items()},
    }


def costs_table(scenario: Scenario) -> pd.DataFrame:
    """``assumptions/costs.csv``: the rows of ``data/costs.csv`` at the scenario's year
    (``data/cost_trajectories.csv``) with the scenario's
    ``costs:`` overrides applied (mark ``user``, source ``scenario costs.<tech>``)."""
    table = load_costs(year=cost_year(scenario)).rows.astype(str)  # the run year's costs
    for tech, o in scenario.costs.items():
        for fld, suffix in COST_OVERRIDE_ROWS.items():
            value = getattr(o, fld)
            if value is None:
                continue
            row = table["name"] == f"{tech}_{suffix}"
            table.loc[row, "value"] = f"{value:g}" if isinstance(value, float) else str(value)
            table.loc[row, "mark"] = "user"
            table.loc[row, "source"] = f"scenario costs.{tech}"
    return table


def emission_factor_table(scenario: Scenario) -> pd.DataFrame:
    """``assumptions/emission_factor.csv``: the one grid emission factor the run used."""
    value = run_emission_factor(scenario)
    if scenario.economics.emission_factor_t_per_mwh is not None:
        row = [scenario.year, value, "user", "scenario economics.emission_factor_t_per_mwh",
               "user"]
    else:
        ef = grid_emission_factor(scenario.year, scenario.economics.emission_factor_method)
        row = [ef.year, value, ef.mark, ef.source, ef.label]
    return pd.DataFrame([row], columns=EMISSION_COLUMNS)


def tariff_table(result: ScenarioResult) -> pd.DataFrame:
    """``assumptions/tariff.csv``: one row per park and time-of-use period with the
    energy price the LP used [VND/kWh] and the hours of the year in that period [h]; a KKT
    sized per class meter has one set of rows per meter, ``park_id`` ``<id>/<class>``."""
    rows = []
    metered = [(f"{pid}/{m}" if m else pid, mp)
               for pid, p in result.parks.items()
               for m, mp in (getattr(p, "meters", None) or {None: p}).items()]
    for pid, p in metered:
        park = p.inputs.park
        name = getattr(p.inputs, "tariff", "") or result.scenario.tariff.name
        customer = getattr(p.inputs, "customer", "") or load_mod.tariff_class(park.kind)
        voltage = getattr(p.inputs, "voltage", "") or park.grid.voltage
        prices = tf.energy_price_table(name, voltage, customer)
        shares = tf.period_shares(p.sizing.dispatch.index, tf.get_tariff(name).frame)
        for period, price in prices.items():
            rows.append([pid, customer, voltage, name, period, price,
                         float(shares[period].sum())])
    return pd.DataFrame(rows, columns=TARIFF_COLUMNS)


def tou_frame_table(scenario: Scenario) -> pd.DataFrame:
    """``assumptions/tou_frame.csv``: the clock windows of each time-of-use period by day
    type, and the evening peak window, of the frame the run used (with its mark)."""
    tariff = tf.get_tariff(scenario.tariff.name)
    frame, windows = tariff.frame, []
    for days, slots in (("peak_weekdays", frame.weekday_slots),
                        ("other_days", frame.sunday_slots)):
        start = 0
        for i in range(1, len(slots) + 1):
            if i == len(slots) or slots[i] != slots[start]:
                windows.append({"days": days, "period": tf.PERIODS[int(slots[start])],
                                "start_h": start / 2, "end_h": i / 2})
                start = i
    windows.append({"days": "every_day", "period": "evening_peak",
                    "start_h": float(frame.evening_peak[0]),
                    "end_h": float(frame.evening_peak[1])})
    tou = pd.DataFrame(windows)
    tou.insert(0, "frame", frame.name)
    tou.insert(0, "tariff", tariff.name)
    tou["peak_weekdays"] = " ".join(str(d) for d in frame.peak_weekdays)
    tou["mark"], tou["source"] = tariff.mark, tariff.source
    return tou


def write_assumptions(result: ScenarioResult, folder: Path) -> None:
    """Write ``assumptions/{costs,emission_factor,tariff,tou_frame}.csv`` into ``folder``."""
    (folder / "assumptions").mkdir(exist_ok=True)
    write_csv(costs_table(result.scenario), folder / "assumptions" / "costs.csv", index=False)
    write_csv(emission_factor_table(result.scenario),
              folder / "assumptions" / "emission_factor.csv", index=False)
    write_csv(tariff_table(result), folder / "assumptions" / "tariff.csv", index=False)
    write_csv(tou_frame_table(result.scenario), folder / "assumptions" / "tou_frame.csv",
              index=False)


def write_grid(result: ScenarioResult, folder: Path) -> None:
    """Write ``grid/{headline,province_hourly,substations,reverse_flow,cuts}.csv``
    (nothing when the run has no grid-pressure results)."""
    gp = result.grid
    if gp is None:
        return
    (folder / "grid").mkdir(exist_ok=True)
    write_csv(headline_table(gp), folder / "grid" / "headline.csv", index=False)
    write_csv(gp.province_hourly, folder / "grid" / "province_hourly.csv")
    write_csv(substations_table(gp), folder / "grid" / "substations.csv", index=False)
    write_csv(reverse_flow_table(gp), folder / "grid" / "reverse_flow.csv", index=False)
    write_csv(cuts_table(gp), folder / "grid" / "cuts.csv", index=False)


def write_contracts(result: ScenarioResult, folder: Path) -> None:
    """Write ``contracts/{contracts,cash_flows,monthly}.csv`` (nothing without contracts):
    one row per contract, each party's yearly flows [nominal VND] and year-1 monthly
    energies (:mod:`energy_model.pipeline.contracts`)."""
    tables = combined_tables(result.parks)
    if not tables:
        return
    (folder / "contracts").mkdir(exist_ok=True)
    for name, table in tables.items():
        write_csv(table, folder / "contracts" / f"{name}.csv", index=False)


def write_results_folder(result: ScenarioResult, folder: Path, provenance: bool = True) -> None:
    """Write the summary, hourly files, assumptions, the grid-pressure tables (``grid/``)
    and (with ``provenance``) ``run.json`` into ``folder`` (no plots, no report)."""
    write_csv(result.summary, folder / "summary.csv", index=False)
    (folder / "parks").mkdir()
    for pid, p in result.parks.items():
        write_csv(p.hourly, folder / "parks" / f"{safe_name(pid)}.csv")
        if p.meters:  # a KKT sized per class meter: parks/<id>/<class>.csv, summing to it
            (folder / "parks" / safe_name(pid)).mkdir()
            for meter, m in p.meters.items():
                write_csv(m.hourly, folder / "parks" / safe_name(pid) / f"{safe_name(meter)}.csv")
    if result.wind_resource is not None:
        write_csv(result.wind_resource, folder / "wind_resource.csv", index=False)
    write_assumptions(result, folder)
    write_grid(result, folder)
    write_offsite(result, folder, write_csv)  # issue 18: off-site farms, station, match
    write_contracts(result, folder)  # issue 18: leases, PPAs, DPPAs (contracts/*.csv)
    if provenance:
        write_json(run_json(result), folder / "run.json")


def run_and_write(scenario: Scenario | str | Path, out_dir: Path, force: bool = False,
                  progress: bool = True, workers: int | None = None,
                  after: Callable[[Path, ScenarioResult], None] | None = None
                  ) -> tuple[Path, ScenarioResult]:
    """Run a scenario and write ``out_dir/<name>/`` atomically (no analysis, no report:
    ``energy-model run`` adds them, see :func:`energy_model.cli.run.run_and_report`).

    Parameters
    ----------
    scenario : Scenario or path
    out_dir : Path
        Parent folder of the results folder.
    force : bool
        Replace an existing results folder.
    progress : bool
        Show progress bars.
    workers : int or None
        Worker processes (None: one per core).
    after : callable, optional
        ``after(folder, result)`` writes more into the (temporary) folder before the
        report is built (e.g. a study's tables).

    Returns
    -------
    folder : Path
    result : ScenarioResult
    """
    t0 = time.perf_counter()
    result = run_scenario(scenario, progress=progress, workers=workers)

    def fill(tmp: Path) -> None:
        write_results_folder(result, tmp)  # run.json once, before what reads the folder
        if after is not None:
            after(tmp, result)

    folder = write_atomically(out_dir, result.scenario.name, force, fill)
    result.timings["total"] = time.perf_counter() - t0
    return folder, result
