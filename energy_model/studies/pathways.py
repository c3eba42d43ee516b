"""Pathways: capacity built up myopically over milestone years (e.g. 2025 → 2030 → 2050).

A pathway file names a base scenario and its milestones; each milestone may override
scenario keys (costs, tariff, load case, ...) exactly like a sweep variant::

    name: example_pathway
    base: ../example_single_park.yaml
    milestones:
      - year: 2025
      - year: 2030
        set: {tariff.name: evn_2026}
      - year: 2050
        set: {costs.battery_energy.capex_vnd_per_kwh: 3675000}

Method (myopic, one LP per park and milestone, in year order):

1. The milestone's scenario is the base with ``year`` and the milestone's ``set`` applied:
   the load is projected for that year (occupancy, growth, load case), the weather
   calendar is that year's, and costs and tariffs are the milestone's.
2. Assets built at earlier milestones and still within their life (built in year b with
   life L: in service in years b … b + L − 1) are **existing**. Each PV array or wind
   farm is split into an existing part (capacity fixed, capital cost sunk: only its
   fixed O&M counts) and a new part (full capital cost, limited to the site limit minus
   the existing capacity). The LP then decides only what to add. This split is exact:
   both parts have the same hourly profile per kW.
3. A battery still in service is kept as it is (energy and power fixed, capital sunk);
   the park may add no battery until it retires, when the LP sizes a new one freely.
   (One battery per park in the LP; augmentation of a live system is not modelled.)
4. What the LP adds is recorded as a build of that milestone. Cumulative builds never
   decrease; installed capacity (builds in service) may dip when an asset retires.

The annual cost of a milestone is the LP objective (new-build annuities, all fixed O&M,
energy and capacity charges) plus the annuities of the existing assets at the cost and
discount rate of their build milestone (``existing_annuity_billion_vnd``).

A park's pathway depends on no other park, so each park's milestones are one task
(:func:`park_pathway`), run in a process pool with ``workers`` > 1; the tables do not
depend on the number of workers. ``energy-model run --milestones`` runs
:func:`run_milestones`: the scenario in 2050 and its 2025 → 2030 → 2050 pathway
(:func:`run_milestones_spec`), written by :func:`write_milestones`.
"""

from __future__ import annotations

import dataclasses
import os
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

from energy_model.errors import InvariantError
from energy_model.pipeline import (ParkInputs, assemble, evaluate, load_scenario,
                                   park_weather_key, province_row, run_scenario,
                                   scenario_weather, solve)
from energy_model.pipeline.run import process_pool
from energy_model.results import write_csv
from energy_model.rules_in_force import rule_sets
from energy_model.studies.rules import with_overrides
from energy_model.studies.spec import PathwayFile, load_study

#: capacities below this are solver round-off, not builds [kW or kWh]
MIN_BUILD = 1e-3


@dataclass(frozen=True)
class Milestone:
    """One milestone: its year and scenario overrides.

    Attributes
    ----------
    year : int
        Simulated calendar year.
    overrides : dict
        ``{key path: value}`` applied to the base scenario (``year`` included).
    """

    year: int
    overrides: dict


@dataclass(frozen=True)
class PathwaySpec:
    """A pathway file, read and checked."""

    name: str
    base: Path
    milestones: tuple[Milestone, ...]
    file: str = "<memory>"
    description: str = ""


@dataclass(frozen=True)
class Build:
    """Capacity added at a milestone.

    Attributes
    ----------
    park_id, technology : str
        Park and technology (``pv_<array>``, ``wind_<farm>``, ``battery_energy``,
        ``battery_power``).
    year : int
        Milestone year of the build.
    amount : float
        Capacity added [kW; kWh for battery_energy].
    life_years : float
        In service in years ``year`` … ``year + life_years − 1``.
    annuity_per_unit : float
        Capital annuity at the build milestone's cost and rate [VND/unit/yr].
    """

    park_id: str
    technology: str
    year: int
    amount: float
    life_years: float
    annuity_per_unit: float

    def in_service(self, year: int) -> bool:
        """Whether the build still runs in ``year``."""
        return self.year <= year < self.year + self.life_years


@dataclass
class PathwayResult:
    """Results of a pathway.

    Attributes
    ----------
    builds : pandas.DataFrame
        One row per build: ``park_id``, ``technology``, ``unit``, ``year``, ``amount``,
        ``retire_year`` (first year out of service).
    schedule : pandas.DataFrame
        Per park, technology and milestone: ``built`` (this milestone), ``retired``
        (since the previous milestone), ``installed`` (in service) and
        ``cumulative_built`` [kW or kWh].
    milestones : pandas.DataFrame
        The summary rows of every milestone (``year`` column first), parks and PROVINCE.
    """

    builds: pd.DataFrame
    schedule: pd.DataFrame
    milestones: pd.DataFrame


# ----------------------------------------------------------------------------- file
def load_pathway(path: str | Path) -> PathwaySpec:
    """Read and check a pathway file (schema: :class:`energy_model.studies.spec.PathwayFile`);
    :class:`ScenarioError` with file, line and key."""
    data, base, path = load_study(path, PathwayFile, "pathway")
    milestones = tuple(Milestone(m.year, {"year": m.year, **m.set}) for m in data.milestones)
    return PathwaySpec(name=data.name, base=base, milestones=milestones, file=str(path),
                       description=data.description)


# ----------------------------------------------------------------------------- method
def split_existing(inputs: ParkInputs, builds: list[Build], year: int
                   ) -> tuple[ParkInputs, dict[str, float]]:
    """Sizing inputs of a park with its existing assets fixed and sunk (module docstring).

    Parameters
    ----------
    inputs : energy_model.pipeline.ParkInputs
        The milestone's inputs as if nothing existed.
    builds : list of Build
        Earlier builds of this park.
    year : int
        Milestone year.

    Returns
    -------
    inputs : ParkInputs
        With ``<tech>_existing`` technologies added and the battery fixed if in service.
    existing : dict
        In-service capacity by technology [kW or kWh].
    """
    existing: dict[str, float] = {}
    for b in builds:
        if b.in_service(year):
            existing[b.technology] = existing.get(b.technology, 0.0) + b.amount
    techs = []
    cost_names = dict(inputs.cost_names)
    for t in inputs.technologies:
        e = existing.get(t.name, 0.0)
        if e <= 0:
            techs.append(t)
            continue
        cost_names[f"{t.name}_existing"] = cost_names[t.name]
        techs.append(dataclasses.replace(t, name=f"{t.name}_existing", fixed_kw=e, max_kw=e,
                                         capex_per_kw=0.0))
        new_fixed = None if t.fixed_kw is None else max(t.fixed_kw - e, 0.0)
        techs.append(dataclasses.replace(t, max_kw=max(t.max_kw - e, 0.0), fixed_kw=new_fixed))
    battery = inputs.battery
    ekwh, ekw = existing.get("battery_energy", 0.0), existing.get("battery_power", 0.0)
    if battery is not None and (ekwh > 0 or ekw > 0):
        battery = dataclasses.replace(battery, fixed_kwh=ekwh, fixed_kw=ekw, duration_h=None,
                                      max_kwh=max(battery.max_kwh, ekwh),
                                      max_kw=max(battery.max_kw, ekw),
                                      capex_per_kwh=0.0, capex_per_kw=0.0)
    return (dataclasses.replace(inputs, technologies=techs, battery=battery,
                                cost_names=cost_names), existing)


def new_builds(inputs: ParkInputs, capacities: dict, park_id: str, year: int, existing: dict) -> list[Build]:
    """What the LP added at a milestone (from the un-split ``inputs``)."""
    out = []
    crf = inputs.finance.crf
    for t in inputs.technologies:
        kw = float(capacities.get(f"{t.name}_kw", 0.0))
        if kw > MIN_BUILD:
            out.append(Build(park_id, t.name, year, kw, float(t.life_years),
                             t.capex_per_kw * crf(t.life_years)))
    b = inputs.battery
    has_battery = existing.get("battery_energy", 0.0) > 0 or existing.get("battery_power", 0.0) > 0
    if b is not None and not has_battery:
        for tech, key, capex in (("battery_energy", "battery_kwh", b.capex_per_kwh),
                                 ("battery_power", "battery_kw", b.capex_per_kw)):
            amount = float(capacities.get(key, 0.0))
            if amount > MIN_BUILD:
                out.append(Build(park_id, tech, year, amount, float(b.life_years),
                                 capex * crf(b.life_years)))
    return out


def run_pathway(spec: PathwaySpec | str | Path, progress: bool = False,
                workers: int | None = 1) -> PathwayResult:
    """Size every milestone in year order, each given what was built before.

    Parameters
    ----------
    spec : PathwaySpec or path
    progress : bool
        Print one line per milestone.
    workers : int or None
        Processes (None: one per core); each park's pathway is an independent task, so the
        result does not depend on the number.

    Returns
    -------
    PathwayResult
    """
    if not isinstance(spec, PathwaySpec):
        spec = load_pathway(spec)
    scenarios = [(m.year, load_scenario(spec.base, overrides=m.overrides))
                 for m in spec.milestones]
    return pathway_of(scenarios, progress=progress, workers=workers)


@dataclass
class _Step:
    """One park at one milestone, as a park's pathway task returns it."""

    row: dict
    extra: dict
    builds: list
    park: SimpleNamespace  # what province_row reads: sizing.dispatch, inputs.grid/evening_share


def park_pathway(steps: list, park_id: str) -> list[_Step]:
    """One park's pathway (module docstring): its milestones in year order.

    A module-level function of picklable arguments (a process pool's task).

    Parameters
    ----------
    steps : list of (int, Scenario, pandas.DataFrame)
        Year, scenario and the park's weather of each milestone, in year order.
    park_id : str

    Returns
    -------
    list of _Step
    """
    builds: list[Build] = []
    out = []
    for year, scenario, weather in steps:
        plain = assemble(scenario, scenario.park(park_id), weather)
        mine = list(builds)
        inputs, existing = split_existing(plain, mine, year)
        sizing = solve(inputs)
        pr = evaluate(scenario, inputs, sizing)
        added = new_builds(plain, sizing.capacities, park_id, year, existing)
        builds += added
        sunk = sum(b.amount * b.annuity_per_unit for b in mine if b.in_service(year))
        extra = {"existing_annuity_billion_vnd": sunk / 1e9,
                 "total_annual_cost_billion_vnd": (sizing.objective + sunk) / 1e9}
        slim = SimpleNamespace(sizing=SimpleNamespace(dispatch=pr.sizing.dispatch),
                               inputs=SimpleNamespace(grid=pr.inputs.grid,
                                                      evening_share=pr.inputs.evening_share))
        out.append(_Step(row=pr.row, extra=extra, builds=added, park=slim))
    return out


def _map_parks(tasks: dict, workers: int | None, executor: Executor | None = None) -> dict:
    """``{park id: park_pathway(task, park id)}``, on ``executor``, else in a spawn pool
    when ``workers`` > 1."""
    n = max(1, min(os.cpu_count() or 1, len(tasks))) if workers is None else workers
    if executor is None and (n <= 1 or len(tasks) <= 1):
        return {pid: park_pathway(t, pid) for pid, t in tasks.items()}
    with process_pool(executor, min(n, len(tasks))) as pool:
        futures = {pid: pool.submit(park_pathway, t, pid) for pid, t in tasks.items()}
        try:
            return {pid: f.result() for pid, f in futures.items()}
        except BaseException:
            for f in futures.values():
                f.cancel()
            raise


def pathway_of(scenarios: list, progress: bool = False,
               workers: int | None = 1, executor: Executor | None = None) -> PathwayResult:
    """The pathway of milestone scenarios (:func:`run_pathway` without a file).

    Parameters
    ----------
    scenarios : list of (int, Scenario)
        Each milestone's year and scenario, in year order; every park of the first is in
        every milestone.
    progress : bool
        Print one line per milestone.
    workers : int or None
        Processes (None: one per core).
    executor : concurrent.futures.Executor, optional
        A process pool to use instead (``workers`` is then ignored).

    Returns
    -------
    PathwayResult
    """
    weather = [scenario_weather(sc) for _, sc in scenarios]
    ids = [p.id for p in scenarios[0][1].parks]
    tasks = {pid: [(y, sc, wx[park_weather_key(sc, sc.park(pid))][0])
                   for (y, sc), wx in zip(scenarios, weather)] for pid in ids}
    done = _map_parks(tasks, workers, executor)
    builds: list[Build] = []
    rows = []
    for k, (year, _) in enumerate(scenarios):
        steps = {pid: done[pid][k] for pid in ids}
        prov, _ = province_row([s.row for s in steps.values()],
                               {pid: s.park for pid, s in steps.items()})
        for col in ("existing_annuity_billion_vnd", "total_annual_cost_billion_vnd"):
            prov[col] = sum(s.extra[col] for s in steps.values())
        for s in steps.values():
            rows.append({"year": year, **{c: v for c, v in s.row.items() if c != "solve_s"},
                         **s.extra})
        rows.append({"year": year, **prov})
        added = [b for s in steps.values() for b in s.builds]
        builds += added
        if progress:
            print(f"milestone {year}: {len(steps)} park(s) sized, {len(added)} build(s)")
    years = [y for y, _ in scenarios]
    return PathwayResult(builds=builds_table(builds), schedule=schedule(builds, years),
                         milestones=pd.DataFrame(rows))


def builds_table(builds: list[Build]) -> pd.DataFrame:
    """One row per build (see :class:`PathwayResult`)."""
    return pd.DataFrame([{"park_id": b.park_id, "technology": b.technology,
                          "unit": "kWh" if b.technology == "battery_energy" else "kW",
                          "year": b.year, "amount": b.amount,
                          "retire_year": int(b.year + b.life_years)} for b in builds],
                        columns=["park_id", "technology", "unit", "year", "amount", "retire_year"])


def schedule(builds: list[Build], years: list[int]) -> pd.DataFrame:
    """Build-out schedule: built, retired, installed and cumulative per milestone."""
    rows = []
    for pid, tech in sorted({(b.park_id, b.technology) for b in builds}):
        mine = [b for b in builds if (b.park_id, b.technology) == (pid, tech)]
        prev = None
        for y in years:
            built = sum(b.amount for b in mine if b.year == y)
            installed = sum(b.amount for b in mine if b.in_service(y))
            retired = sum(b.amount for b in mine
                          if prev is not None and b.in_service(prev) and not b.in_service(y))
            rows.append({"park_id": pid, "technology": tech,
                         "unit": "kWh" if tech == "battery_energy" else "kW", "year": y,
                         "built": built, "retired": retired, "installed": installed,
                         "cumulative_built": sum(b.amount for b in mine if b.year <= y)})
            prev = y
    return pd.DataFrame(rows, columns=["park_id", "technology", "unit", "year", "built", "retired",
                                       "installed", "cumulative_built"])


def write_pathway(result: PathwayResult, folder: str | Path) -> Path:
    """Write ``builds.csv``, ``schedule.csv`` and ``milestones.csv`` into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(result.builds, folder / "builds.csv", index=False)
    write_csv(result.schedule, folder / "schedule.csv", index=False)
    write_csv(result.milestones, folder / "milestones.csv", index=False)
    return folder


def check_schedule(table: pd.DataFrame) -> None:
    """Raise :class:`InvariantError` if cumulative builds decrease or installed exceeds them."""
    for (pid, tech), g in table.groupby(["park_id", "technology"]):
        c = g.sort_values("year")
        if (np.diff(c["cumulative_built"].to_numpy()) < -1e-9).any():
            raise InvariantError(f"pathway: cumulative builds of {pid}.{tech} decrease")
        if (c["installed"] > c["cumulative_built"] + 1e-9).any():
            raise InvariantError(f"pathway: installed {pid}.{tech} exceeds cumulative builds")


# ----------------------------------------------------------------------------- the run's milestones
#: Year of the far milestone of ``energy-model run --milestones``.
FAR_YEAR = 2050


def run_milestones_spec() -> tuple[Milestone, ...]:
    """The milestones of ``energy-model run --milestones`` (issue 17 item 8), as overrides
    of the run's scenario.

    * 2025 under the rules then in force: the 2023 time-of-use frame and Decree 135/2024
      (export ≤ 20 % of installed power, S), the ``legacy_2023`` rule set of
      :func:`energy_model.rules_in_force.rule_sets`;
    * 2030 under the scenario's own rules (the catalog's: QĐ 963/2026 frame, Decree
      243/2026);
    * 2050 under the scenario's rules on weather seed 2050, as
      ``scenarios/quang_ninh_2050.yaml`` makes the 2050 catalog from the 2030 one.
    """
    legacy = rule_sets()["legacy_2023"].overrides
    return (Milestone(2025, {"year": 2025, **legacy}),
            Milestone(2030, {"year": 2030}),
            Milestone(FAR_YEAR, {"year": FAR_YEAR, "weather.seed": FAR_YEAR}))


@dataclass
class MilestoneRuns:
    """What ``energy-model run --milestones`` adds.

    Attributes
    ----------
    far_summary : pandas.DataFrame
        ``summary.csv`` of the scenario in :data:`FAR_YEAR` (greenfield: nothing built
        before), parks and PROVINCE.
    pathway : PathwayResult
        The 2025 → 2030 → 2050 pathway of the scenario (:func:`run_milestones_spec`).
    """

    far_summary: pd.DataFrame
    pathway: PathwayResult


def run_milestones(scenario, workers: int | None = None,
                   progress: bool = False, executor: Executor | None = None) -> MilestoneRuns:
    """The scenario in 2050 and its 2025 → 2030 → 2050 pathway.

    Parameters
    ----------
    scenario : Scenario
        The run's scenario (with its ``--set`` overrides).
    workers : int or None
        Processes (None: one per core).
    progress : bool
        Progress bars and one line per pathway milestone.
    executor : concurrent.futures.Executor, optional
        A process pool both runs use (``workers`` is then ignored): ``energy-model run``'s
        own, which then starts no second and third pool.

    Returns
    -------
    MilestoneRuns
    """
    spec = run_milestones_spec()
    far = run_scenario(with_overrides(scenario, spec[-1].overrides), progress=progress,
                       workers=workers, executor=executor)
    pathway = pathway_of([(m.year, with_overrides(scenario, m.overrides)) for m in spec],
                         progress=progress, workers=workers, executor=executor)
    check_schedule(pathway.schedule)
    return MilestoneRuns(far_summary=far.summary, pathway=pathway)


def write_milestones(runs: MilestoneRuns, folder: str | Path) -> None:
    """Write ``milestones/2050/summary.csv`` and ``pathway/{builds,schedule,milestones}.csv``
    into a results folder (read by the report's milestones section)."""
    folder = Path(folder)
    far = folder / "milestones" / str(FAR_YEAR)
    far.mkdir(parents=True, exist_ok=True)
    write_csv(runs.far_summary, far / "summary.csv", index=False)
    write_pathway(runs.pathway, folder / "pathway")
