"""Start point of the fast path: the sizing LP on a few representative days."""

from __future__ import annotations

import dataclasses

import numpy as np

from energy_model.sizing.dispatch_lp import capacity_columns
from energy_model.sizing.inputs import SizingProblem
from energy_model.sizing.lp import LpModel, build_lp

#: Representative days of the start LP.
START_DAYS = 12


# --------------------------------------------------------------------------- start point

def representative_days(pb: SizingProblem, days: int = START_DAYS) -> np.ndarray:
    """Hour indices of ``days`` medoid days, one per equal block of whole days, in order.

    The medoid is the day whose hourly load, generation per kW and import cap (capped at
    twice the peak load) are closest to the block's mean day. The day with the largest
    load above the import cap is added if it is not among them (a medoid never is, and
    the battery is sized for it).
    """
    n_days = pb.hours // 24
    feats = [pb.load_kw / pb.load_kw.max()]
    feats += list(pb.profiles)
    feats.append(np.minimum(pb.import_cap_kw, 2 * pb.load_kw.max()) / pb.load_kw.max())
    x = np.stack([f[:n_days * 24].reshape(n_days, 24) for f in feats], axis=1)
    x = x.reshape(n_days, -1)
    chosen = []
    for block in np.array_split(np.arange(n_days), days):
        if len(block) == 0:
            continue
        d = ((x[block] - x[block].mean(axis=0)) ** 2).sum(axis=1)
        chosen.append(int(block[np.argmin(d)]))
    short = np.maximum(pb.load_kw - pb.import_cap_kw, 0.0)[:n_days * 24]
    short = short.reshape(n_days, 24).sum(axis=1)
    if short.max() > 0 and int(short.argmax()) not in chosen:
        chosen = sorted(chosen + [int(short.argmax())])
    return (np.asarray(chosen)[:, None] * 24 + np.arange(24)[None, :]).ravel()


def subproblem(pb: SizingProblem, hours: np.ndarray,
               unmet_price: float | None = None) -> SizingProblem:
    """The sizing problem on a subset of hours, its operating costs scaled to a year.

    Unmet load is allowed (the subset may be infeasible where the year is not), at
    ``unmet_price`` [VND/kWh] if given (unweighted), else the problem's own slack price.
    """
    month, billed = pb.month, pb.billed_months
    if month is not None:
        month = month[hours]
    grid = dataclasses.replace(pb.grid, allow_unmet=True)
    return dataclasses.replace(
        pb, load_kw=pb.load_kw[hours], profiles=pb.profiles[:, hours],
        import_price=pb.import_price[hours], export_price=pb.export_price[hours],
        co2_cost=pb.co2_cost[hours], import_cap_kw=pb.import_cap_kw[hours], month=month,
        export_limit_kw=(None if pb.export_limit_kw is None else pb.export_limit_kw[hours]),
        surplus_hours=(None if pb.surplus_hours is None else pb.surplus_hours[hours]),
        billed_months=billed, grid=grid,
        unmet_price=pb.unmet_price if unmet_price is None else float(unmet_price),
        year_weight=pb.year_weight * pb.hours / len(hours), index=None)


def start_from_days(pb: SizingProblem, time_limit_s=None,
                    unmet_price: float | None = None) -> tuple[np.ndarray, int]:
    """Capacities [kW, kWh] from the representative-day LP, and its simplex iterations."""
    from energy_model.sizing.solve import solve_lp

    sub = build_lp(subproblem(pb, representative_days(pb), unmet_price))
    sol = solve_lp(sub, time_limit_s=time_limit_s)
    return sol.x[capacity_columns(sub)], sol.iterations


def capacities_vector(model: LpModel, capacities: dict) -> np.ndarray:
    """Capacity-column values from a ``capacities`` dict (missing keys: the lower bound)."""
    pb, lay = model.problem, model.layout
    cols = capacity_columns(model)
    x = model.lb[cols].astype(float).copy()
    names = [f"{t.name}_kw" for t in pb.techs]
    if lay.col("e").stop > lay.col("e").start:
        names.append("battery_kwh")
    if lay.col("p").stop > lay.col("p").start:
        names.append("battery_kw")
    for i, key in enumerate(names):
        if key in capacities and capacities[key] is not None:
            x[i] = float(capacities[key])
    return x
