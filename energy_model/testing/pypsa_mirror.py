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
