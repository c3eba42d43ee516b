"""The identical sizing problem in PyPSA, the reference for tests and benchmarks.

:func:`pypsa_network` turns a :class:`~energy_model.sizing.inputs.SizingProblem` into a
one-bus PyPSA network with the same variables, costs and limits:

* each technology: an extendable ``Generator`` with ``p_max_pu`` = its life-mean
  profile, ``capital_cost`` = CRF × capex + fixed O&M, ``p_nom_max`` = its limit;
* the battery: an extendable ``StorageUnit`` with ``max_hours`` = the fixed duration,
  the one-way efficiencies, a cyclic state of charge, ``marginal_cost`` = the throughput
  cost on discharge, ``capital_cost`` = annual cost per kW + duration × per kWh;
* the grid: a ``Generator`` whose hourly ``marginal_cost`` is the import price (+ CO2)
  and whose ``p_max_pu × p_nom`` is the hourly import cap;
* the unmet-load slack (if on): a ``Generator`` priced like ours, limited to the load;
* ``snapshot_weightings.objective`` = the year weight, so operating costs are annual.

Only this common subset is mirrored: a battery without a fixed duration, a minimum SOC,
export, a capacity charge or a renewable-share floor raise ``NotImplementedError``
(PyPSA would need custom constraints, which would no longer make it an independent
reference). PyPSA is a test dependency, imported here lazily.
"""

from __future__ import annotations

import dataclasses
import logging
import time

import numpy as np
import pandas as pd

from energy_model.sizing.inputs import SizingProblem
from energy_model.sizing.lp import battery_unit_costs


def _unsupported(pb: SizingProblem) -> list[str]:
    out = []
    b = pb.battery
    if b is not None and b.duration_h is None:
        out.append("battery without a fixed duration")
    if b is not None and b.soc_min > 0:
        out.append("minimum state of charge")
    if pb.export:
        out.append("export")
    if pb.month is not None:
        out.append("capacity charge")
    if pb.policy.min_renewable_share > 0:
        out.append("minimum renewable share")
    return out


def pypsa_network(pb: SizingProblem):
    """Build the one-bus PyPSA network identical to the sizing LP of ``pb``.

    Returns
    -------
    pypsa.Network
    """
    import pypsa  # optional test dependency; ~6 s to import (measured), so only when used

    missing = _unsupported(pb)
    if missing:
        raise NotImplementedError(f"the PyPSA mirror does not model: {', '.join(missing)}")
    n = pypsa.Network()
    sns = pd.RangeIndex(pb.hours, name="snapshot")
    n.set_snapshots(sns)
    n.snapshot_weightings["objective"] = float(pb.year_weight)
    n.add("Bus", "park", carrier="AC")
    n.add("Load", "load", bus="park", p_set=pd.Series(pb.load_kw, index=sns))
    for i, t in enumerate(pb.techs):
        fixed = pb.tech_lb[i] == pb.tech_ub[i]
        n.add("Generator", t.name, bus="park", carrier=t.kind,
              p_nom_extendable=not fixed, p_nom=pb.tech_lb[i] if fixed else 0.0,
              p_nom_max=pb.tech_ub[i],
              p_max_pu=pd.Series(pb.profiles[i], index=sns),
              capital_cost=pb.finance.crf(t.life_years) * t.capex_per_kw + t.fixed_om_per_kw_yr)
    peak = float(pb.load_kw.max())
    cap = pb.import_cap_kw
    # an unlimited import is given a rating far above any flow it can carry
    p_nom = float(cap[np.isfinite(cap)].max()) if np.isfinite(cap).any() else 0.0
    p_nom = max(p_nom, 10.0 * peak)
    n.add("Generator", "grid", bus="park", carrier="grid", p_nom=p_nom,
          p_max_pu=pd.Series(np.minimum(cap, p_nom) / p_nom, index=sns),
          marginal_cost=pd.Series(pb.import_price + pb.co2_cost, index=sns))
    if pb.grid.allow_unmet:
        n.add("Generator", "unmet", bus="park", carrier="unmet", p_nom=peak,
              p_max_pu=pd.Series(pb.load_kw / peak, index=sns), marginal_cost=pb.unmet_price)
    b = pb.battery
    if b is not None:
        per_kwh, per_kw = battery_unit_costs(pb)
        fixed = b.fixed_kw is not None
        n.add("StorageUnit", "battery", bus="park", carrier="battery",
              p_nom_extendable=not fixed, p_nom=b.fixed_kw if fixed else 0.0,
              p_nom_max=min(b.max_kw, b.max_kwh / b.duration_h),
              max_hours=b.duration_h, efficiency_store=b.eta_charge,
              efficiency_dispatch=b.eta_discharge, cyclic_state_of_charge=True,
              capital_cost=per_kw + b.duration_h * per_kwh,
              marginal_cost=b.throughput_cost_per_kwh)
    return n


def pypsa_optimize(pb: SizingProblem) -> dict:
    """Solve the mirror with ``n.optimize()`` (HiGHS via linopy), quietly.

    Returns
    -------
    dict
        ``objective`` [VND/yr], ``capacities`` (same keys as ours), ``status``,
        ``build_solve_s`` (network construction plus ``n.optimize()``) [s] and
        ``network``.
    """
    t0 = time.perf_counter()
    n = pypsa_network(pb)
    quiet = ["pypsa", "linopy"]
    levels = {name: logging.getLogger(name).level for name in quiet}
    for name in quiet:
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        status, condition = n.optimize(solver_name="highs", include_objective_constant=False,
                                       progress=False,
                                       solver_options={"output_flag": False})
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
    elapsed = time.perf_counter() - t0
    caps = {f"{t.name}_kw": float(n.generators.at[t.name, "p_nom_opt"]) for t in pb.techs}
    if pb.battery is not None:
        p = float(n.storage_units.at["battery", "p_nom_opt"])
        caps.update(battery_kw=p, battery_kwh=p * pb.battery.duration_h)
    else:
        caps.update(battery_kw=0.0, battery_kwh=0.0)
    return {"objective": float(n.objective) + float(n.objective_constant or 0.0),
            "capacities": caps, "status": f"{status}/{condition}",
            "build_solve_s": elapsed, "network": n}


def pypsa_network_extended(pb: SizingProblem):
    """The mirror plus, with standard PyPSA components, a free-duration battery (Store and
    two Links) and rooftop export under a power cap (a roof bus and an export link).

    Returns
    -------
    (pypsa.Network, list of (link, other, factor))
        The network and the capacity ties :func:`tie_capacities` imposes.
    """
    b = pb.battery
    free_battery = b is not None and b.duration_h is None
    strip = {}
    if free_battery:
        strip["battery"] = None
    if pb.export:
        strip["export"] = False
    n = pypsa_network(dataclasses.replace(pb, **strip) if strip else pb)
    sns = n.snapshots
    big = 10.0 * float(pb.load_kw.max()) + float(np.nansum(pb.tech_ub[np.isfinite(pb.tech_ub)]))
    links = []
    if free_battery:
        per_kwh, per_kw = battery_unit_costs(pb)
        n.add("Bus", "battery", carrier="battery")
        n.add("Store", "battery", bus="battery", e_nom_extendable=True, e_nom_max=b.max_kwh,
              e_cyclic=True, e_min_pu=b.soc_min, capital_cost=per_kwh)
        n.add("Link", "charger", bus0="park", bus1="battery", efficiency=b.eta_charge,
              p_nom_extendable=True, p_nom_max=b.max_kw, capital_cost=per_kw)
        # the discharger's rating is on its input (store) side: P / eta_d; throughput is
        # priced per kWh delivered, i.e. eta_d per kWh drawn from the store
        n.add("Link", "discharger", bus0="battery", bus1="park", efficiency=b.eta_discharge,
              p_nom_extendable=True, marginal_cost=b.throughput_cost_per_kwh * b.eta_discharge)
        links.append(("discharger", "charger", 1.0 / b.eta_discharge))
    if pb.export:
        ex = [t.name for t in pb.techs if t.may_export]
        assert len(ex) == 1, "the mirror exports from one rooftop array"
        n.add("Bus", "roof", carrier="AC")
        n.generators.loc[ex[0], "bus"] = "roof"
        n.add("Link", "roof_self", bus0="roof", bus1="park", p_nom=big)
        n.add("Bus", "export", carrier="AC")
        n.add("Link", "roof_export", bus0="roof", bus1="export", p_nom_extendable=True)
        n.add("Generator", "export_sink", bus="export", p_nom=big, p_min_pu=-1.0,
              p_max_pu=0.0, marginal_cost=pd.Series(pb.export_price, index=sns))
        links.append(("roof_export", ex[0], pb.grid.export_cap_share))
    return n, links


def tie_capacities(links):
    """extra_functionality: p_nom of a Link = factor × p_nom of a Link or Generator."""
    def extra(n, snapshots):
        m = n.model
        for name, other, factor in links:
            lhs = m["Link-p_nom"].loc[name]
            rhs = (m["Link-p_nom"].loc[other] if other in n.links.index
                   else m["Generator-p_nom"].loc[other])
            m.add_constraints(lhs - factor * rhs == 0, name=f"tie_{name}")
    return extra
