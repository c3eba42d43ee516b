"""Re-dispatch a sized design in later milestone years (issue 17 item 6).

The sizing LP dispatches one year: the scenario year, at the life-mean PV output. A cash
flow built from that year alone freezes the dispatch for the whole analysis period, so
load growth cannot move its NPV. With ``economics.redispatch_years`` (e.g. ``[2040,
2050]``) the design, fixed as sized (``Changes(fixed=capacities, fix_all=True)``), is
dispatched again by the same LP in each milestone year, and in the scenario year itself:

- **load**: the park's load energy of that year by the projection (occupancy path, intensity
  trend, electrification, KKT activity growth: :func:`energy_model.demand.project_load`
  with the climatology temperature), as a ratio to the scenario year's energy, times
  the design year's hourly load (same weather year and calendar; a change of the
  industry mix over the years leaves the hourly shape as in the scenario year), times an
  optional extra ``(1 + g)^(Y − year)`` (the tornado's load-growth driver);
- **PV output**: each array's degradation in operating year ``t = Y − year + 1``:
  the life-mean profile × ``(1 − d)^(t − 1)`` / life-mean factor; wind does not degrade;
- **prices**: the scenario year's hourly import and export prices (base-year real VND)
  and its tariff and export rules (a rule that changes with the year is not re-read);
  the cash flow applies the tariff's real escalation on top, as for the frozen year
  (a uniform escalation of import and export prices changes no dispatch choice but the
  battery's throughput cost, which is neglected);
- **grid**: the import cap (grid-only peak, substation rating or explicit, with its cut
  windows) is raised in proportion when the milestone's load is larger than the design
  year's (the connection grows with the load, else the grid-only case itself would break
  the cap); where the fixed design still cannot meet a cut window, the cap is opened to
  the load in every hour (:func:`open_import_cap`); the minimum renewable share and the
  peak-reduction target are sizing constraints and are dropped.

:func:`energy_model.economics.cash_flow_table` (``between="interpolate"``) then fills the
other years linearly between milestones and flat after the last one.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from energy_model import demand as load_mod
from energy_model.errors import InfeasibleError
from energy_model.pipeline.assemble import stable_hash
from energy_model.pipeline.solve import solve
from energy_model.pipeline.types import Changes, ParkInputs
from energy_model.scenario import Park, Scenario
from energy_model.sizing import SizingResult

#: milestone years the tornado re-dispatches when the scenario sets none
DEFAULT_REDISPATCH_YEARS = (2040, 2050)


def operating_years(scenario: Scenario, years) -> dict[int, int]:
    """Calendar year → operating year (1 = the scenario year) of the re-dispatched years.

    The scenario year is always included; years before it (a layered or pathway scenario
    of a later year) or after the analysis period are left out.
    """
    first, life = scenario.year, scenario.economics.lifetime_years
    out = {first: 1}
    for y in sorted(set(int(v) for v in years)):
        if first < y and y - first + 1 <= life:
            out[y] = y - first + 1
    return out


def load_ratio(scenario: Scenario, park: Park, year: int, extra_growth: float = 0.0) -> float:
    """Annual load energy of ``year`` over the scenario year's, by the park's projection [-].

    Both years are projected with the climatology temperature, so the ratio is the
    projection's alone (occupancy, trends, case; a leap day does not count);
    ``extra_growth`` [1/yr] compounds on top.
    """
    def energy_kwh(y: int) -> float:
        load = load_mod.project_load(
            park.load, kind=park.kind, area_ha=park.area_ha, occupancy=park.occupancy,
            occupancy_year=park.occupancy_year, industries=list(park.industries), year=y,
            seed=scenario.weather.seed + stable_hash(park.id), case=scenario.load_case,
            calibration=scenario.load_calibration, tz=scenario.timezone, name=park.id)
        return float(load.sum())

    base = energy_kwh(scenario.year)
    ratio = energy_kwh(year) / base if base > 0 and year != scenario.year else 1.0
    return ratio * (1.0 + extra_growth) ** (year - scenario.year)


def pv_year_factor(inputs: ParkInputs, name: str, operating_year: int) -> float:
    """Output of technology ``name`` in ``operating_year`` over its (life-mean) profile [-]:
    1 for wind and unknown names."""
    for a in inputs.park.pv:
        if f"pv_{a.name}" == name:
            mean = a.degradation_factor(None)
            return a.degradation_factor(operating_year) / mean if mean > 0 else 1.0
    return 1.0


def milestone_inputs(inputs: ParkInputs, load_scale: float, operating_year: int) -> ParkInputs:
    """The inputs of a milestone: load × ``load_scale``, PV of ``operating_year``, import
    cap raised with the peak, no sizing-only constraints (see the module docstring)."""
    techs = [dataclasses.replace(t, profile_per_kw=np.asarray(t.profile_per_kw, float)
                                 * pv_year_factor(inputs, t.name, operating_year))
             for t in inputs.technologies]
    cap_scale = max(1.0, load_scale)
    caps = np.asarray(inputs.import_cap_kw, float) * cap_scale
    g = inputs.grid
    grid_cap = g.import_cap_kw
    if grid_cap is not None:
        grid_cap = np.asarray(grid_cap, float) * cap_scale
    grid = dataclasses.replace(g, import_cap_kw=grid_cap, peak_reduction_target=None)
    policy = dataclasses.replace(inputs.policy, min_renewable_share=0.0)
    return dataclasses.replace(inputs, load_kw=inputs.load_kw * load_scale, technologies=techs,
                               grid=grid, import_cap_kw=caps, policy=policy)


def redispatch(scenario: Scenario, inputs: ParkInputs, sizing: SizingResult, years=None,
               extra_growth: float = 0.0, cache: dict | None = None,
               year_one: tuple[ParkInputs, SizingResult] | None = None
               ) -> dict[int, tuple[ParkInputs, SizingResult]]:
    """Dispatch the sized design in each milestone year (one fixed-design dispatch each: in
    closed form without a battery, :mod:`energy_model.sizing.separable`, else the LP).

    Parameters
    ----------
    scenario : Scenario
    inputs : ParkInputs
        The inputs the design was sized with.
    sizing : SizingResult
        The sized design (its capacities are fixed).
    years : iterable of int, optional
        Milestone calendar years; default ``economics.redispatch_years``.
    extra_growth : float
        Extra yearly load growth on top of the projection [1/yr].
    cache : dict, optional
        Load ratios and milestone dispatches already computed, shared between calls (the
        class meters of a KKT share a ratio; the scenario year's dispatch is the same for
        every ``extra_growth``). Keys hold the park id, meter, year and growth.
    year_one : (ParkInputs, SizingResult), optional
        Stands in for the scenario year's dispatch (no LP). Only for differences between
        ``extra_growth`` cases: the scenario year is the same in all of them, so with the
        linear interpolation its value cancels out of any difference of NPVs.

    Returns
    -------
    dict
        Operating year → (milestone inputs, fixed-design dispatch).
    """
    years = scenario.economics.redispatch_years if years is None else years
    cache = {} if cache is None else cache
    fixed = Changes(fixed=dict(sizing.capacities), fix_all=True)
    out = {}
    for year, t in operating_years(scenario, years).items():
        if t == 1 and year_one is not None:
            out[t] = year_one
            continue
        g = extra_growth if year != scenario.year else 0.0
        ratio_key = ("ratio", inputs.park.id, year)  # the projection's own, without g
        if ratio_key not in cache:
            cache[ratio_key] = load_ratio(scenario, inputs.park, year)
        key = ("dispatch", inputs.park.id, inputs.meter, year, g)
        if key not in cache:
            scale = cache[ratio_key] * (1.0 + g) ** (year - scenario.year)
            cache[key] = _dispatch(scenario, milestone_inputs(inputs, scale, t), fixed)
        out[t] = cache[key]
    return out


def _dispatch(scenario: Scenario, m_inputs: ParkInputs, fixed: Changes
              ) -> tuple[ParkInputs, SizingResult]:
    try:
        return m_inputs, solve(m_inputs, changes=fixed, method=scenario.sizing.method)
    except InfeasibleError:  # e.g. a cut window the fixed battery cannot cover any more
        m_inputs = open_import_cap(m_inputs)
        return m_inputs, solve(m_inputs, changes=fixed, method=scenario.sizing.method)


def open_import_cap(inputs: ParkInputs) -> ParkInputs:
    """The inputs with the import cap raised to at least the load every hour (the grid
    serves what the fixed design cannot), so a fixed-design dispatch is always feasible."""
    load = inputs.load_kw.to_numpy(dtype=float)
    caps = np.maximum(np.broadcast_to(np.asarray(inputs.import_cap_kw, float), len(load)), load)
    grid = dataclasses.replace(inputs.grid, import_cap_kw=caps)
    return dataclasses.replace(inputs, grid=grid, import_cap_kw=caps)
