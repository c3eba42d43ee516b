"""The exact dispatch of a fixed design without storage, hour by hour, without an LP.

When every capacity of a sizing LP is fixed (:class:`energy_model.sizing.inputs.Technology`
``lb == ub``) and the battery's power is fixed at zero (or there is no battery), no column
links two hours except the monthly peak and, under an energy-basis export cap, one yearly
export row. The LP's optimum is then known in closed form:

* **Import** is the hourly deficit ``(load − Σ a·cap)⁺``: every import costs a positive
  price, and the capacity charge only rises with it. Importing to export, or to curtail, only
  loses money: :func:`energy_model.sizing.inputs.prepare` refuses an export price that is not
  below every hour's import price.
* **Export** in hours of surplus ``s = Σ a·cap − load`` is ``min(s, exportable output,
  share × exportable capacity, hosting limit)`` where its price is positive, else 0 (a
  curtailed kWh costs nothing, so an export at a price ≤ 0 is never better). Under the
  energy-basis cap (one row ``Σ exp ≤ share × exportable energy``), the budget goes to the
  hours of highest price first: a fractional knapsack with unit weights, which is the LP's
  optimum.
* **Peak** of each billing month is its largest import.
* The rest of the surplus is curtailed (the slack of the ``≥`` balance row).

The fixed-design re-dispatches of the catalog (the tornado's load growth, the re-dispatched
cash flows, ``energy-model evaluate`` of a design without a battery) are such LPs: 180 of
them cost ≈ 21 s CPU in HiGHS and ≈ 0.3 s here (issue 19). The cases the closed form does
not cover (unserved load, an import cap that binds, a renewable-share row, a non-positive
import price) return ``None`` and are solved by HiGHS. The result passes the same invariant
checks as the LP's, and ``tests/test_sizing_separable.py`` compares it with HiGHS.
"""

from __future__ import annotations

import numpy as np

from energy_model.sizing.lp import LpModel

#: Relative tolerance of the feasibility check on the closed-form rows [-].
ROW_TOL = 1e-9


def _fixed(model: LpModel, name: str) -> bool:
    s = model.layout.col(name)
    return bool(np.all(model.lb[s] == model.ub[s]))


def applies(model: LpModel) -> bool:
    """Whether the LP is a fixed design without storage power, so hour-separable."""
    lay, pb = model.layout, model.problem
    if not (_fixed(model, "cap") and _fixed(model, "e") and _fixed(model, "p")):
        return False
    p = lay.col("p")
    if p.stop > p.start and model.ub[p].max() > 0.0:
        return False
    if lay.row("re_share").stop > lay.row("re_share").start or pb.grid.allow_unmet:
        return False
    return bool(np.all(model.c[lay.col("imp")] > 0.0))


def _export(model: LpModel, surplus: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Hourly export [kW] of the closed form (module note)."""
    lay, pb = model.layout, model.problem
    cap = x[lay.col("cap")]
    ex = np.flatnonzero(pb.exportable)
    most = np.minimum(surplus, pb.profiles[ex].T @ cap[ex])
    most = np.minimum(most, model.ub[lay.col("exp")])
    gain = -model.c[lay.col("exp")]
    share = pb.grid.export_cap_share
    if pb.grid.export_cap_basis == "power":
        most = np.minimum(most, share * cap[ex].sum())
        return np.where(gain > 0.0, np.maximum(most, 0.0), 0.0)
    budget = share * float(pb.profiles[ex].sum(axis=1) @ cap[ex])
    most = np.where(gain > 0.0, np.maximum(most, 0.0), 0.0)
    order = np.argsort(-gain, kind="stable")
    taken = np.clip(budget - (np.cumsum(most[order]) - most[order]), 0.0, most[order])
    out = np.zeros_like(most)
    out[order] = taken
    return out


def solve_separable(model: LpModel) -> tuple[np.ndarray, np.ndarray, float] | None:
    """The LP's optimal solution in closed form, or ``None`` where it does not apply.

    Parameters
    ----------
    model : LpModel
        A sizing LP (:func:`energy_model.sizing.lp.build_lp`).

    Returns
    -------
    tuple of (numpy.ndarray, numpy.ndarray, float) or None
        Column values, row activities ``A·x`` and objective [VND/yr], as HiGHS would
        return them; ``None`` when :func:`applies` is false or the closed form breaks a
        row (e.g. an import cap below the deficit), so that HiGHS solves (or diagnoses) it.
    """
    if not applies(model):
        return None
    lay, pb = model.layout, model.problem
    x = np.zeros(lay.n_cols)
    for name in ("cap", "e", "p"):
        x[lay.col(name)] = model.lb[lay.col(name)]
    b = pb.battery
    if b is not None and b.soc_min > 0 and lay.row("soc_min").stop > lay.row("soc_min").start:
        e_col = lay.col("e") if lay.duration_h is None else lay.col("p")
        factor = 1.0 if lay.duration_h is None else lay.duration_h
        x[lay.col("soc")] = b.soc_min * factor * x[e_col][0]
    net = pb.load_kw - pb.profiles.T @ x[lay.col("cap")]
    imp = np.maximum(net, 0.0)
    if np.any(imp > model.ub[lay.col("imp")]):
        return None
    x[lay.col("imp")] = imp
    if pb.export:
        x[lay.col("exp")] = _export(model, np.maximum(-net, 0.0), x)
    if pb.month is not None:
        peak = np.zeros(len(pb.billed_months))
        np.maximum.at(peak, pb.month, imp)
        x[lay.col("peak")] = peak
    row = model.a @ x
    tol = ROW_TOL * max(1.0, float(np.abs(pb.load_kw).max()))
    if np.any(row < model.row_lo - tol) or np.any(row > model.row_hi + tol):
        return None
    return x, row, float(model.c @ x)
