"""Rule-based time-of-use battery dispatch of a fixed design, the controller's benchmark.

The LP dispatches with perfect foresight; a real controller follows rules. This module
dispatches the same fixed design with the usual TOU rule, hour by hour:

1. **Surplus** (on-site output above the load) charges the battery; what the battery
   cannot take is exported if the export rules allow (rooftop output only, within the
   power- or energy-basis cap), else curtailed.
2. **Peak**: the battery discharges to cover the load, at most the power capacity times
   the hour's peak share (an hour half in the peak period discharges for half an hour).
3. **Off-peak**: the battery charges from the grid towards full, at most the power
   capacity times the hour's off-peak share and within the import cap.
4. **Import cap**: in any period, the battery discharges as far as needed to keep the
   import within its cap; load it still cannot cover is reported as ``unmet_kw``.

The horizon is run twice and the second pass starts from the state of charge the first
ended with, so the result is close to the LP's cyclic state of charge.
The output has the columns of :attr:`energy_model.sizing.SizingResult.dispatch`, so
:func:`evaluate_dispatch` prices both on the same basis: the gap is the share of the
LP's battery value that a simple controller misses.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from energy_model.errors import Problem, ScenarioError
from energy_model.sizing.inputs import (Battery, Finance, Grid, Options, Policy, SizingProblem,
                                        prepare)
from energy_model.sizing.result import CostBreakdown, assemble_dispatch, evaluate_costs


def fix_design(technologies, battery: Battery | None, capacities: dict | None):
    """Technologies and battery with every capacity fixed: a design to dispatch.

    The one fixed-design implementation (rule-based dispatch here, the pipeline's
    ``Changes(fix_all=True)`` for studies that dispatch a sized design).

    Parameters
    ----------
    technologies : list of Technology
    battery : Battery or None
    capacities : dict, optional
        ``<tech>_kw`` [kW], ``battery_kwh`` [kWh], ``battery_kw`` [kW] (a sizing result's
        ``capacities``); a capacity missing here keeps the technology's ``fixed_kw``.
        Upper limits are raised to a fixed size where it exceeds them.

    Returns
    -------
    technologies : list of Technology
    battery : Battery or None

    Raises
    ------
    ScenarioError
        When a capacity is neither given nor fixed.
    """
    capacities = capacities or {}
    techs, problems = [], []
    for i, t in enumerate(technologies):
        kw = capacities.get(f"{t.name}_kw", t.fixed_kw)
        if kw is None:
            problems.append(Problem("a rule-based dispatch needs a fixed capacity: give "
                                    f"fixed_kw or capacities['{t.name}_kw']",
                                    key=f"technologies[{i}].fixed_kw"))
            continue
        techs.append(dataclasses.replace(t, fixed_kw=float(kw), max_kw=max(t.max_kw, float(kw))))
    if battery is not None:
        kw = capacities.get("battery_kw", battery.fixed_kw)
        kwh = capacities.get("battery_kwh", battery.fixed_kwh)
        if kwh is None and kw is not None and battery.duration_h is not None:
            kwh = battery.duration_h * kw
        if kw is None or kwh is None:
            problems.append(Problem("a rule-based dispatch needs fixed battery capacities: "
                                    "give fixed_kw (and fixed_kwh or duration_h) or "
                                    "capacities['battery_kw'/'battery_kwh']", key="battery"))
        else:
            battery = dataclasses.replace(battery, duration_h=None, fixed_kw=float(kw),
                                          fixed_kwh=float(kwh),
                                          max_kw=max(battery.max_kw, float(kw)),
                                          max_kwh=max(battery.max_kwh, float(kwh)))
    if problems:
        raise ScenarioError("the design to dispatch is not fixed", problems)
    return techs, battery


def _shares(periods: pd.DataFrame, n: int) -> tuple[np.ndarray, np.ndarray]:
    missing = {"peak", "offpeak"} - set(getattr(periods, "columns", []))
    if missing or len(periods) != n:
        raise ScenarioError("bad time-of-use periods", [Problem(
            f"expected a table of {n} rows with columns 'offpeak' and 'peak' (shares of each "
            "hour, as from energy_model.tariff.period_shares)", key="periods")])
    return periods["peak"].to_numpy(float), periods["offpeak"].to_numpy(float)


def _run_pass(pb: SizingProblem, caps: dict, peak: np.ndarray, off: np.ndarray,
              soc0: float) -> dict:
    """One pass of the rule over the horizon; returns the flows [kW] and SOC [kWh]."""
    T, b = pb.hours, pb.battery
    gen = pb.profiles.T @ np.array([caps[f"{t.name}_kw"] for t in pb.techs]) if pb.techs \
        else np.zeros(T)
    ex = pb.exportable
    ex_avail = (pb.profiles[ex].T @ np.array([caps[f"{t.name}_kw"] for t in pb.techs])[ex]
                if ex.any() else np.zeros(T))
    share = pb.grid.export_cap_share if pb.export else 0.0
    ex_power_cap = share * sum(caps[f"{t.name}_kw"] for t in pb.techs if t.may_export)
    energy_left = share * ex_avail.sum() if pb.grid.export_cap_basis == "energy" else np.inf
    P, E = caps["battery_kw"], caps["battery_kwh"]
    ec, ed = (b.eta_charge, b.eta_discharge) if b is not None else (1.0, 1.0)
    soc_lo = b.soc_min * E if b is not None else 0.0
    f = {k: np.zeros(T) for k in ("battery_charge_kw", "battery_discharge_kw", "battery_soc_kwh",
                                  "grid_import_kw", "grid_export_kw", "curtailment_kw",
                                  "unmet_kw")}
    soc = soc0
    for t in range(T):
        f["battery_soc_kwh"][t] = soc
        net = pb.load_kw[t] - gen[t]
        ch = dis = imp = exp = curt = unmet = 0.0
        if net < 0:
            surplus = -net
            ch = min(surplus, P, max(E - soc, 0.0) / ec)
            surplus -= ch
            exp = min(surplus, ex_avail[t], ex_power_cap if pb.grid.export_cap_basis == "power"
                      else np.inf, energy_left)
            energy_left -= exp
            curt = surplus - exp
        else:
            room_out = max(soc - soc_lo, 0.0) * ed
            dis = min(net, P * peak[t], room_out)
            imp = net - dis
            cap = pb.import_cap_kw[t]
            if imp > cap:
                extra = min(imp - cap, P - dis, room_out - dis)
                dis += extra
                imp -= extra
                unmet = max(imp - cap, 0.0)
                imp -= unmet
            if off[t] > 0 and dis == 0.0:
                ch = max(min(P * off[t], max(E - soc, 0.0) / ec, cap - imp), 0.0)
                imp += ch
        soc = soc + ec * ch - dis / ed
        for k, v in (("battery_charge_kw", ch), ("battery_discharge_kw", dis),
                     ("grid_import_kw", imp), ("grid_export_kw", exp),
                     ("curtailment_kw", curt), ("unmet_kw", unmet)):
            f[k][t] = v
    f["soc_end"] = soc
    return f


def tou_dispatch(load_kw, technologies, grid: Grid, battery: Battery | None,
                 periods: pd.DataFrame, *, capacities: dict | None = None,
                 policy: Policy | None = None, index=None) -> pd.DataFrame:
    """Dispatch a fixed design with the rule-based time-of-use strategy.

    Parameters
    ----------
    load_kw : array_like or pandas.Series
        Hourly load [kW], interval-start labelled.
    technologies : sequence of Technology
        As for :func:`energy_model.sizing.optimize`; capacities come from ``capacities``
        or each ``fixed_kw``.
    grid : Grid
        Import cap, export rules (prices are not used by the rule, only by the costs).
    battery : Battery or None
        The battery; capacities from ``capacities`` or ``fixed_kw``/``fixed_kwh``
        (or ``fixed_kw`` × ``duration_h``).
    periods : pandas.DataFrame
        Share of each hour in the ``peak`` and ``offpeak`` periods [-], e.g.
        :func:`energy_model.tariff.period_shares`.
    capacities : dict, optional
        ``<tech>_kw``, ``battery_kw``, ``battery_kwh``, e.g. ``SizingResult.capacities``.
    policy : Policy, optional
    index : pandas.Index, optional
        Index of the result (default: the load's index, or hours).

    Returns
    -------
    pandas.DataFrame
        The dispatch columns of :class:`energy_model.sizing.SizingResult`.
    """
    pb, caps = _prepare_fixed(load_kw, technologies, grid, battery, capacities, policy, index)
    peak, off = _shares(periods, pb.hours)
    first = _run_pass(pb, caps, peak, off, caps["battery_kwh"] * 0.5)
    flows = _run_pass(pb, caps, peak, off, first["soc_end"])
    flows.pop("soc_end")
    return assemble_dispatch(pb, caps, flows)


def _prepare_fixed(load_kw, technologies, grid, battery, capacities, policy, index,
                   finance=None) -> tuple[SizingProblem, dict]:
    techs, bat = fix_design(list(technologies), battery, capacities)
    pb = prepare(load_kw, techs, grid, bat, finance, policy, Options(index=index))
    caps = {f"{t.name}_kw": float(t.fixed_kw) for t in techs}
    caps.update(battery_kw=float(bat.fixed_kw) if bat else 0.0,
                battery_kwh=float(bat.fixed_kwh) if bat else 0.0)
    return pb, caps


def evaluate_dispatch(dispatch: pd.DataFrame, technologies, grid: Grid,
                      battery: Battery | None = None, *, capacities: dict | None = None,
                      finance: Finance | None = None, policy: Policy | None = None
                      ) -> CostBreakdown:
    """Annualised costs [VND/yr] of a fixed design and a dispatch of it.

    Prices the rule-based dispatch on exactly the basis of the LP objective (capital
    annuities, fixed O&M, energy, capacity charge, export revenue, throughput, CO2,
    and unmet load at the slack price).
    """
    pb, caps = _prepare_fixed(dispatch["load_kw"].to_numpy(), technologies, grid, battery,
                              capacities, policy, dispatch.index, finance)
    return evaluate_costs(pb, dispatch, caps)


