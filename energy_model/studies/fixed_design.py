"""A fixed design evaluated: rule-based against optimal (LP) dispatch (issue 18).

An ESCO offers "a 2 MW / 6 MWh battery". :func:`evaluate_design` dispatches that design
two ways on the park's assembled inputs and prices both on the LP objective's basis:

- ``rules``: the time-of-use controller of :mod:`energy_model.dispatch_rules` (charge
  off-peak and from surplus, discharge in the peak, hold the import cap);
- ``optimal``: the sizing LP with every capacity fixed (``Changes(fix_all=True)``),
  perfect foresight.

**The design.** The offer's capacities are the ones given (``fixed``). Every other
capacity is the park as it is today: a technology or battery with a fixed size in the
scenario (``fixed_kwp``, ``count``, ``battery.fixed_kw``) keeps it, anything the scenario
would *size* is not built (0). So the comparison is the offer alone on today's park, not
the offer beside an optimally sized PV plant.

**The battery's value** is the drop in operating cost (grid bill, throughput, CO2 and unmet
load; capital is the same for both dispatches) against the same design without the
battery, dispatched optimally. The value lost by the rules is their extra annual cost,
also as a share of the LP's battery value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from energy_model import tariff as tariff_mod
from energy_model.dispatch_rules import evaluate_dispatch, tou_dispatch
from energy_model.errors import Problem, UsageError
from energy_model.pipeline import Changes, ParkInputs, solve

DISPATCHES = ("rules", "optimal")
BATTERY_KEYS = ("battery_kw", "battery_kwh")
#: rows of the comparison table: (key, label with unit)
ROWS = (
    ("grid_bill_vnd_per_yr", "grid bill: energy + capacity charge − export [VND/yr]"),
    ("import_mwh_per_yr", "energy imported [MWh/yr]"),
    ("export_mwh_per_yr", "energy exported [MWh/yr]"),
    ("curtailment_mwh_per_yr", "curtailment [MWh/yr]"),
    ("unmet_mwh_per_yr", "load not served [MWh/yr]"),
    ("peak_import_kw", "peak import [kW]"),
    ("evening_import_mwh_per_yr", "import in the evening peak window [MWh/yr]"),
    ("battery_discharge_mwh_per_yr", "battery discharge [MWh/yr]"),
    ("battery_cycles_per_yr", "battery full cycles [1/yr]"),
    ("operating_cost_vnd_per_yr", "operating cost: bill + throughput + CO2 + unmet [VND/yr]"),
    ("annualised_cost_vnd_per_yr", "annualised cost incl. capital and O&M [VND/yr]"),
    ("battery_value_vnd_per_yr", "battery value vs. no battery (LP) [VND/yr]"),
)


@dataclass
class DesignEvaluation:
    """A fixed design under each dispatch.

    Attributes
    ----------
    park_id : str
    capacities : dict of str to float
        The complete design: ``<technology>_kw`` [kW], ``battery_kw`` [kW],
        ``battery_kwh`` [kWh].
    notes : list of str
        How each capacity not given was set.
    table : pandas.DataFrame
        Index: :data:`ROWS` keys; columns ``metric`` (label with unit) and one per dispatch
        (``rules``, ``optimal``), plus ``rules_minus_optimal`` when both ran.
    value_lost_vnd_per_yr : float or None
        Rules' annualised cost − LP's [VND/yr] (None unless both ran).
    value_lost_share : float or None
        That, over the LP's battery value [-] (None without a battery value).
    hours : int
        Hours dispatched (a full year, or a test horizon scaled to a year).
    """

    park_id: str
    capacities: dict[str, float]
    notes: list[str]
    table: pd.DataFrame
    value_lost_vnd_per_yr: float | None
    value_lost_share: float | None
    hours: int


def design_limits(inputs: ParkInputs) -> dict[str, float]:
    """Upper limit of each capacity that may be fixed [kW, kWh] (inf where none)."""
    limits = {f"{t.name}_kw": float(t.max_kw) for t in inputs.technologies}
    b = inputs.battery
    if b is not None:
        limits["battery_kw"] = float(b.max_kw)
        limits["battery_kwh"] = float(b.max_kwh)
    return limits


def _limit_key(key: str) -> str:
    if key == "battery_kw":
        return "battery.max_kw"
    if key == "battery_kwh":
        return "battery.max_kwh"
    return f"the {key.removesuffix('_kw')} capacity limit"


def check_fixed(inputs: ParkInputs, fixed: dict[str, float]) -> None:
    """Check an offer's capacities against the park: known keys, not negative, within limits.

    Raises
    ------
    UsageError
        Listing every bad key with what was expected.
    """
    limits = design_limits(inputs)
    problems = []
    for key, value in fixed.items():
        if key not in limits:
            extra = ("" if inputs.battery is not None or key not in BATTERY_KEYS
                     else " (this park allows no battery: battery.allowed is false)")
            problems.append(Problem(f"unknown capacity{extra}; known for park "
                                    f"{inputs.park.id!r}: {', '.join(sorted(limits))}",
                                    key=f"--fixed {key}"))
        elif not math.isfinite(value) or value < 0:
            problems.append(Problem(f"{value:g} is not a capacity: expected a number ≥ 0",
                                    key=f"--fixed {key}"))
        elif value > limits[key] * (1 + 1e-9):
            problems.append(Problem(f"{value:,.0f} is above {_limit_key(key)} of park "
                                    f"{inputs.park.id!r}: {limits[key]:,.0f}",
                                    key=f"--fixed {key}"))
    if problems:
        raise UsageError(f"--fixed: {len(problems)} problem(s) in the design", problems)


def complete_design(inputs: ParkInputs, fixed: dict[str, float]
                    ) -> tuple[dict[str, float], list[str]]:
    """The offer's capacities plus every other capacity as the park has it today.

    Returns
    -------
    capacities : dict of str to float
    notes : list of str
    """
    check_fixed(inputs, fixed)
    caps, notes = {}, []
    for t in inputs.technologies:
        key = f"{t.name}_kw"
        if key in fixed:
            caps[key] = float(fixed[key])
        elif t.fixed_kw is not None:
            caps[key] = float(t.fixed_kw)
            notes.append(f"{key} = {t.fixed_kw:,.0f} kW: the scenario's fixed size (not in "
                         "--fixed)")
        else:
            caps[key] = 0.0
            notes.append(f"{key} = 0: not in --fixed, and the scenario sizes it rather than "
                         "fixing it (not built today)")
    caps.update(_battery_design(inputs, fixed, notes))
    return caps, notes


def _battery_design(inputs: ParkInputs, fixed: dict, notes: list[str]) -> dict[str, float]:
    b = inputs.battery
    if b is None:
        return {}
    kw, kwh = fixed.get("battery_kw"), fixed.get("battery_kwh")
    if kw is None and kwh is None:
        kw, kwh = b.fixed_kw, b.fixed_kwh
        if kw is None:
            notes.append("battery = 0: not in --fixed and not fixed by the scenario")
            return {"battery_kw": 0.0, "battery_kwh": 0.0}
        notes.append(f"battery = the scenario's fixed {kw:,.0f} kW (not in --fixed)")
    if kwh is None and kw is not None and b.duration_h is not None:
        kwh = kw * b.duration_h
        notes.append(f"battery_kwh = {kwh:,.0f}: battery_kw × the scenario's duration "
                     f"{b.duration_h:g} h")
    if kw is None or kwh is None:
        missing = "battery_kwh" if kwh is None else "battery_kw"
        raise UsageError("--fixed: the battery is half given", [Problem(
            "give both battery_kw and battery_kwh (or battery_kw with battery.duration_h "
            "in the scenario)", key=f"--fixed {missing}")])
    if kwh > b.max_kwh * (1 + 1e-9):
        raise UsageError("--fixed: the battery is above its limit", [Problem(
            f"{kwh:,.0f} is above battery.max_kwh of park {inputs.park.id!r}: "
            f"{b.max_kwh:,.0f}", key="--fixed battery_kwh")])
    return {"battery_kw": float(kw), "battery_kwh": float(kwh)}


def _periods(inputs: ParkInputs) -> pd.DataFrame:
    frame = tariff_mod.get_tariff(inputs.tariff).frame
    return tariff_mod.period_shares(inputs.load_kw.index, frame)


def rules_dispatch(inputs: ParkInputs, caps: dict[str, float]):
    """The rule-based dispatch of a design and its annualised costs (CostBreakdown)."""
    d = tou_dispatch(inputs.load_kw, inputs.technologies, inputs.grid, inputs.battery,
                     _periods(inputs), capacities=caps, policy=inputs.policy,
                     index=inputs.load_kw.index)
    cost = evaluate_dispatch(d, inputs.technologies, inputs.grid, inputs.battery,
                             capacities=caps, finance=inputs.finance, policy=inputs.policy)
    return d, cost


def optimal_dispatch(inputs: ParkInputs, caps: dict[str, float]):
    """The LP dispatch of a design (every capacity fixed) and its annualised costs."""
    r = solve(inputs, changes=Changes(fixed=dict(caps), fix_all=True))
    return r.dispatch, r.costs


def _operating(cost) -> float:
    return cost.total - sum(cost.capex_annuity.values()) - sum(cost.fixed_om.values())


def dispatch_metrics(inputs: ParkInputs, dispatch: pd.DataFrame, cost,
                     caps: dict[str, float]) -> dict[str, float]:
    """The :data:`ROWS` of one dispatch (energies scaled to a year, VND/yr as costed)."""
    hours = len(dispatch)
    w = 1.0 if hours in (8760, 8784) else 8760.0 / hours

    def mwh(col: str) -> float:
        return w * float(dispatch[col].sum()) / 1000 if col in dispatch else 0.0

    imp = dispatch["grid_import_kw"].to_numpy(float)
    evening = np.asarray(inputs.evening_share, dtype=float)[:hours]
    e = caps.get("battery_kwh", 0.0)
    dis = mwh("battery_discharge_kw")
    return {"grid_bill_vnd_per_yr": cost.energy + cost.capacity_charge - cost.export_revenue,
            "import_mwh_per_yr": mwh("grid_import_kw"),
            "export_mwh_per_yr": mwh("grid_export_kw"),
            "curtailment_mwh_per_yr": mwh("curtailment_kw"),
            "unmet_mwh_per_yr": mwh("unmet_kw"),
            "peak_import_kw": float(imp.max()) if hours else 0.0,
            "evening_import_mwh_per_yr": w * float(imp @ evening) / 1000,
            "battery_discharge_mwh_per_yr": dis,
            "battery_cycles_per_yr": dis * 1000 / e if e > 0 else 0.0,
            "operating_cost_vnd_per_yr": _operating(cost),
            "annualised_cost_vnd_per_yr": cost.total}


def evaluate_design(inputs: ParkInputs, fixed: dict[str, float],
                    dispatch: str = "both") -> DesignEvaluation:
    """Dispatch an offer's design by rules and/or by the LP and compare them.

    Parameters
    ----------
    inputs : ParkInputs
        From :func:`energy_model.pipeline.assemble`.
    fixed : dict of str to float
        The offer: ``battery_kw`` [kW], ``battery_kwh`` [kWh], ``pv_<array>_kw`` [kWp],
        ``wind_<farm>_kw`` [kW]; the rest as :func:`complete_design` says.
    dispatch : {"rules", "optimal", "both"}

    Returns
    -------
    DesignEvaluation

    Raises
    ------
    UsageError
        For an unknown key, a negative value or a capacity above its limit.
    InfeasibleError
        When the LP cannot serve the load with this design (import cap).
    """
    caps, notes = complete_design(inputs, fixed)
    which = DISPATCHES if dispatch == "both" else (dispatch,)
    runs = {}
    for name in which:
        d, cost = (rules_dispatch if name == "rules" else optimal_dispatch)(inputs, caps)
        runs[name] = dispatch_metrics(inputs, d, cost, caps)
    base = None
    if caps.get("battery_kw", 0.0) > 0 and caps.get("battery_kwh", 0.0) > 0:
        bare = {**caps, "battery_kw": 0.0, "battery_kwh": 0.0}
        _, cost = optimal_dispatch(inputs, bare)
        base = _operating(cost)
    for m in runs.values():
        m["battery_value_vnd_per_yr"] = (base - m["operating_cost_vnd_per_yr"]
                                         if base is not None else np.nan)
    table = pd.DataFrame({"metric": [label for _, label in ROWS]},
                         index=[k for k, _ in ROWS])
    for name, m in runs.items():
        table[name] = [m[k] for k, _ in ROWS]
    lost = share = None
    if len(runs) == 2:
        table["rules_minus_optimal"] = table["rules"] - table["optimal"]
        lost = float(runs["rules"]["annualised_cost_vnd_per_yr"]
                     - runs["optimal"]["annualised_cost_vnd_per_yr"])
        value = runs["optimal"]["battery_value_vnd_per_yr"]
        share = lost / value if base is not None and value > 0 else None
    table.index.name = "key"
    return DesignEvaluation(park_id=inputs.park.id, capacities=caps, notes=notes, table=table,
                            value_lost_vnd_per_yr=lost, value_lost_share=share,
                            hours=len(inputs.load_kw))

