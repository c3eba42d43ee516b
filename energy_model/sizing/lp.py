"""Build the sizing LP as sparse matrices, in a tight form.

Variables (columns), in this order:

==============  =====  ==========================================================
block           count  meaning [unit]
==============  =====  ==========================================================
``cap``         G      capacity of each technology [kW]
``e``           0/1    battery energy capacity [kWh] (absent with a fixed duration)
``p``           0/1    battery power capacity [kW]
``imp``         T      grid import [kW]
``exp``         T/0    grid export [kW]
``ch``          T/0    battery charge, AC side [kW]
``soc``         T/0    stored energy at the start of each hour [kWh]
``unmet``       T/0    unserved load [kW]
``peak``        M/0    peak import of each billing month [kW]
``chpv``        T/0    battery charge from the rooftop PV, AC side [kW] (*)
``bx``          T/0    battery discharge sold to the grid, AC side [kW] (*)
``pvs``         T/0    PV-energy account: stored energy that came from the PV, at the
                       start of each hour [kWh] (*)
==============  =====  ==========================================================

(*) only with ``Grid.battery_export == "pv_charged"`` (Decree 243/2026), export allowed and
a battery (``SizingProblem.battery_export``); ``exp`` is then the TOTAL export and
``exp − bx`` its PV part. The grid part of the charge is ``ch − chpv``.

The form is tight:

* **Curtailment is folded into a ≥ balance row.** Generation enters the balance as
  ``profile × capacity``; the row's surplus is the curtailment, so no per-technology
  dispatch or curtailment variables exist.
* **Discharge is eliminated through the SOC equation.** With ``soc[t+1] = soc[t] +
  eta_c·ch[t] − dis[t]/eta_d`` (cyclic: ``soc[T] = soc[0]``), the discharge is
  ``dis[t] = eta_d·(soc[t] − soc[t+1] + eta_c·ch[t])``; two rows keep it between 0
  and the power capacity.
* **Throughput cost** on discharged energy becomes a cost on charge, because over a
  cycle ``Σ dis = eta_c·eta_d·Σ ch``.

Rows:

* ``balance[t]``: ``Σ_g a[g,t]·cap[g] + imp − exp + dis − ch + unmet ≥ load``;
* ``dis_min[t]`` ``dis ≥ 0``, ``dis_max[t]`` ``dis ≤ P``, ``ch_max[t]`` ``ch ≤ P``;
  ``soc_max[t]`` ``soc ≤ E``; ``soc_min[t]`` ``soc ≥ soc_min·E`` (only if soc_min > 0);
* ``exp_src[t]`` ``exp ≤ Σ exportable a·cap`` (no battery or wind export);
  ``exp_cap[t]`` ``exp ≤ share·Σ exportable cap`` (power basis) or one ``exp_energy``
  row (energy basis); the hourly hosting limit ``exp ≤ Grid.export_limit_kw`` is a
  column bound;
* with PV-charged battery export (*), ``exp_src[t]`` becomes
  ``(exp − bx) + chpv ≤ Σ exportable a·cap`` (the rooftop output is split between direct
  export, PV charging and on-site use or curtailment), and
  ``chpv_max[t]`` ``chpv ≤ ch``; ``bx_exp[t]`` ``bx ≤ exp``; ``bx_max[t]`` ``bx ≤ dis``;
  ``pv_acct[t]`` ``pvs[t+1] ≤ pvs[t] + eta_c·chpv[t] − bx[t]/eta_d`` (cyclic; ``≤`` lets
  PV energy discharged to the load leave the account); ``pv_acct_max[t]``
  ``pvs ≤ soc − soc_min·E`` (the account is dischargeable energy). Summed over the
  cycle, ``Σ bx ≤ eta_c·eta_d·Σ chpv``, and at every hour the battery sells at most the
  PV energy it still holds;
* ``pv_surplus[t]`` (PV serves the load first): in the surplus hours ``S``
  (``SizingProblem.surplus_hours``) ``chpv + (exp − bx) ≤ Σ_g a[g,t]·cap[g] − load``;
  outside them ``chpv = 0`` and ``exp = bx`` (column and row bounds). This is what makes
  the accounting conservative: PV charging is credited only from the on-site surplus
  over the load, so an import or a discharge serving the load while the PV charges the
  battery can never be relabelled as PV energy (grid-charged energy is never sold). The
  exact rule ``chpv + (exp − bx) ≤ (Σ a·cap − load)⁺`` is not convex in the capacities;
  with the set ``S`` fixed it is linear, exact for the capacities that define ``S`` (all
  fixed ones, or those of a first solve, see :func:`energy_model.sizing.optimize`), and
  conservative for any other (it forces output ≥ load in ``S``). Without ``S`` (the first
  solve) the row is absent: the rooftop output is only split as in ``exp_src``;
* ``peak[t]`` ``imp[t] ≤ peak[month(t)]`` (capacity charge);
* ``re_share`` ``Σ (imp + unmet) ≤ (1 − share)·Σ load``.

Import caps and fixed capacities are column bounds, so a later fast path can fix the
capacities by :meth:`highspy.Highs.changeColsBounds` and re-solve warm.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from energy_model.sizing.inputs import SizingProblem


@dataclass(frozen=True)
class Layout:
    """Where each block of variables and rows sits in the LP.

    Attributes
    ----------
    cols : dict of str to slice
        Column block of each variable kind (see module docstring); absent blocks are
        empty slices.
    rows : dict of str to slice
        Row block of each constraint kind.
    n_cols, n_rows : int
    duration_h : float or None
        Fixed battery duration [h] when the energy column is eliminated.
    """

    cols: dict = field(compare=False)
    rows: dict = field(compare=False)
    n_cols: int = 0
    n_rows: int = 0
    duration_h: float | None = None

    def col(self, name: str) -> slice:
        return self.cols.get(name, slice(0, 0))

    def row(self, name: str) -> slice:
        return self.rows.get(name, slice(0, 0))


@dataclass(frozen=True, eq=False)
class LpModel:
    """A sizing LP ready for HiGHS: ``min c·x`` s.t. ``row_lo ≤ A·x ≤ row_hi``, ``lb ≤ x ≤ ub``.

    Attributes
    ----------
    c, lb, ub : numpy.ndarray
        Objective [VND/yr per unit], column bounds.
    a : scipy.sparse.csc_matrix
        Constraint matrix.
    row_lo, row_hi : numpy.ndarray
        Row bounds (``±inf`` where open).
    layout : Layout
    problem : SizingProblem
        The inputs it was built from.
    """

    c: np.ndarray
    lb: np.ndarray
    ub: np.ndarray
    a: sp.csc_matrix
    row_lo: np.ndarray
    row_hi: np.ndarray
    layout: Layout
    problem: SizingProblem


def _define_columns(pb: SizingProblem) -> tuple[dict, int, float | None]:
    """Column blocks in the documented order."""
    T, G, b = pb.hours, len(pb.techs), pb.battery
    sizes = {"cap": G, "e": int(b is not None and b.duration_h is None),
             "p": int(b is not None), "imp": T, "exp": T if pb.export else 0,
             "ch": T if b is not None else 0, "soc": T if b is not None else 0,
             "unmet": T if pb.grid.allow_unmet else 0,
             "peak": 0 if pb.month is None else len(pb.billed_months),
             "chpv": T if pb.battery_export else 0, "bx": T if pb.battery_export else 0,
             "pvs": T if pb.battery_export else 0}
    cols, start = {}, 0
    for name, size in sizes.items():
        cols[name] = slice(start, start + size)
        start += size
    return cols, start, (None if b is None else b.duration_h)


class _Rows:
    """Accumulates COO triplets and row bounds block by block."""

    def __init__(self) -> None:
        self.r, self.c, self.v = [], [], []
        self.lo, self.hi = [], []
        self.blocks: dict[str, slice] = {}
        self.n = 0

    def block(self, name: str, count: int, lo, hi) -> int:
        start = self.n
        self.blocks[name] = slice(start, start + count)
        self.lo.append(np.broadcast_to(np.asarray(lo, float), (count,)))
        self.hi.append(np.broadcast_to(np.asarray(hi, float), (count,)))
        self.n += count
        return start

    def add(self, rows, cols, vals) -> None:
        rows, cols = np.asarray(rows), np.asarray(cols)
        self.r.append(np.broadcast_to(rows, np.broadcast_shapes(rows.shape, cols.shape)).ravel())
        self.c.append(np.broadcast_to(cols, np.broadcast_shapes(rows.shape, cols.shape)).ravel())
        self.v.append(np.broadcast_to(np.asarray(vals, float),
                                      np.broadcast_shapes(rows.shape, cols.shape)).ravel())


def _first(s: slice) -> int:
    return s.start


def _energy_cols(cols: dict, duration_h: float | None) -> tuple[int, float]:
    """Column and factor of the battery energy capacity (``d × P`` with a duration)."""
    if duration_h is None:
        return _first(cols["e"]), 1.0
    return _first(cols["p"]), float(duration_h)


def _define_balance(rows: _Rows, pb: SizingProblem, cols: dict) -> None:
    T = pb.hours
    t = np.arange(T)
    r0 = rows.block("balance", T, pb.load_kw, np.inf)
    g, h = np.nonzero(pb.profiles)
    rows.add(r0 + h, _first(cols["cap"]) + g, pb.profiles[g, h])
    rows.add(r0 + t, _first(cols["imp"]) + t, 1.0)
    if pb.export:
        rows.add(r0 + t, _first(cols["exp"]) + t, -1.0)
    if pb.grid.allow_unmet:
        rows.add(r0 + t, _first(cols["unmet"]) + t, 1.0)
    b = pb.battery
    if b is not None:
        ec, ed = b.eta_charge, b.eta_discharge
        s0, nxt = _first(cols["soc"]), (t + 1) % T
        rows.add(r0 + t, _first(cols["ch"]) + t, ed * ec - 1.0)
        rows.add(r0 + t, s0 + t, ed)
        rows.add(r0 + t, s0 + nxt, -ed)


def _define_storage(rows: _Rows, pb: SizingProblem, cols: dict, duration_h) -> None:
    b = pb.battery
    if b is None:
        return
    T = pb.hours
    t = np.arange(T)
    ec, ed = b.eta_charge, b.eta_discharge
    s0, c0, p = _first(cols["soc"]), _first(cols["ch"]), _first(cols["p"])
    nxt = (t + 1) % T
    # discharge / eta_d = soc[t] - soc[t+1] + eta_c ch[t], between 0 and P / eta_d
    r = rows.block("dis_min", T, 0.0, np.inf)
    rows.add(r + t, s0 + t, 1.0)
    rows.add(r + t, s0 + nxt, -1.0)
    rows.add(r + t, c0 + t, ec)
    r = rows.block("dis_max", T, -np.inf, 0.0)
    rows.add(r + t, s0 + t, 1.0)
    rows.add(r + t, s0 + nxt, -1.0)
    rows.add(r + t, c0 + t, ec)
    rows.add(r + t, p, -1.0 / ed)
    r = rows.block("ch_max", T, -np.inf, 0.0)
    rows.add(r + t, c0 + t, 1.0)
    rows.add(r + t, p, -1.0)
    e_col, e_fac = _energy_cols(cols, duration_h)
    r = rows.block("soc_max", T, -np.inf, 0.0)
    rows.add(r + t, s0 + t, 1.0)
    rows.add(r + t, e_col, -e_fac)
    if b.soc_min > 0:
        r = rows.block("soc_min", T, 0.0, np.inf)
        rows.add(r + t, s0 + t, 1.0)
        rows.add(r + t, e_col, -b.soc_min * e_fac)


def _define_export(rows: _Rows, pb: SizingProblem, cols: dict) -> None:
    if not pb.export:
        return
    T = pb.hours
    t = np.arange(T)
    x0, cap0 = _first(cols["exp"]), _first(cols["cap"])
    ex = np.flatnonzero(pb.exportable)
    share = pb.grid.export_cap_share
    r = rows.block("exp_src", T, -np.inf, 0.0)
    rows.add(r + t, x0 + t, 1.0)
    if pb.battery_export:
        rows.add(r + t, _first(cols["bx"]) + t, -1.0)
        rows.add(r + t, _first(cols["chpv"]) + t, 1.0)
    prof = pb.profiles[ex]
    g, h = np.nonzero(prof)
    rows.add(r + h, cap0 + ex[g], -prof[g, h])
    if pb.grid.export_cap_basis == "power":
        r = rows.block("exp_cap", T, -np.inf, 0.0)
        rows.add(r + t, x0 + t, 1.0)
        rows.add((r + t)[:, None], (cap0 + ex)[None, :], -share)
    else:
        r = rows.block("exp_energy", 1, -np.inf, 0.0)
        rows.add(r, x0 + t, 1.0)
        rows.add(r, cap0 + ex, -share * prof.sum(axis=1))


def _define_battery_export(rows: _Rows, pb: SizingProblem, cols: dict, duration_h) -> None:
    """PV-charged battery export (Decree 243/2026): the PV-energy account."""
    if not pb.battery_export:
        return
    T, b = pb.hours, pb.battery
    t = np.arange(T)
    nxt = (t + 1) % T
    ec, ed = b.eta_charge, b.eta_discharge
    s0, c0 = _first(cols["soc"]), _first(cols["ch"])
    q0, x0, a0 = _first(cols["chpv"]), _first(cols["bx"]), _first(cols["pvs"])
    r = rows.block("chpv_max", T, -np.inf, 0.0)          # chpv ≤ ch
    rows.add(r + t, q0 + t, 1.0)
    rows.add(r + t, c0 + t, -1.0)
    r = rows.block("bx_exp", T, -np.inf, 0.0)            # bx ≤ exp (part of the export)
    rows.add(r + t, x0 + t, 1.0)
    rows.add(r + t, _first(cols["exp"]) + t, -1.0)
    r = rows.block("bx_max", T, -np.inf, 0.0)            # bx ≤ eta_d (soc - soc' + eta_c ch)
    rows.add(r + t, x0 + t, 1.0)
    rows.add(r + t, s0 + t, -ed)
    rows.add(r + t, s0 + nxt, ed)
    rows.add(r + t, c0 + t, -ed * ec)
    r = rows.block("pv_acct", T, -np.inf, 0.0)           # pvs' - pvs - eta_c chpv + bx/eta_d ≤ 0
    rows.add(r + t, a0 + nxt, 1.0)
    rows.add(r + t, a0 + t, -1.0)
    rows.add(r + t, q0 + t, -ec)
    rows.add(r + t, x0 + t, 1.0 / ed)
    r = rows.block("pv_acct_max", T, -np.inf, 0.0)       # pvs ≤ soc - soc_min E
    rows.add(r + t, a0 + t, 1.0)
    rows.add(r + t, s0 + t, -1.0)
    if b.soc_min > 0:
        e_col, e_fac = _energy_cols(cols, duration_h)
        rows.add(r + t, e_col, b.soc_min * e_fac)
    if pb.surplus_hours is None:
        return
    hd = np.flatnonzero(~pb.surplus_hours)
    if len(hd):                                          # deficit hours: exp - bx ≤ 0
        k = np.arange(len(hd))
        r = rows.block("pv_deficit", len(hd), -np.inf, 0.0)
        rows.add(r + k, _first(cols["exp"]) + hd, 1.0)
        rows.add(r + k, x0 + hd, -1.0)
    hs = np.flatnonzero(pb.surplus_hours)
    if len(hs) == 0:
        return
    # chpv + exp - bx - Σ a cap ≤ -load in the surplus hours
    k = np.arange(len(hs))
    r = rows.block("pv_surplus", len(hs), -np.inf, -pb.load_kw[hs])
    rows.add(r + k, q0 + hs, 1.0)
    rows.add(r + k, _first(cols["exp"]) + hs, 1.0)
    rows.add(r + k, x0 + hs, -1.0)
    g, j = np.nonzero(pb.profiles[:, hs])
    rows.add(r + j, _first(cols["cap"]) + g, -pb.profiles[g, hs[j]])


def _define_grid(rows: _Rows, pb: SizingProblem, cols: dict) -> None:
    T = pb.hours
    t = np.arange(T)
    m0 = _first(cols["imp"])
    if pb.month is not None:
        r = rows.block("peak", T, -np.inf, 0.0)
        rows.add(r + t, m0 + t, 1.0)
        rows.add(r + t, _first(cols["peak"]) + pb.month, -1.0)
    share = pb.policy.min_renewable_share
    if share > 0:
        r = rows.block("re_share", 1, -np.inf, (1.0 - share) * pb.load_kw.sum())
        rows.add(r, m0 + t, 1.0)
        if pb.grid.allow_unmet:
            rows.add(r, _first(cols["unmet"]) + t, 1.0)


def _define_bounds(pb: SizingProblem, cols: dict, n: int) -> tuple[np.ndarray, np.ndarray]:
    lb, ub = np.zeros(n), np.full(n, np.inf)
    lb[cols["cap"]], ub[cols["cap"]] = pb.tech_lb, pb.tech_ub
    ub[cols["imp"]] = pb.import_cap_kw
    if pb.export and pb.export_limit_kw is not None:
        ub[cols["exp"]] = pb.export_limit_kw
    ub[cols["unmet"]] = pb.load_kw if pb.grid.allow_unmet else ub[cols["unmet"]]
    if pb.battery_export and pb.surplus_hours is not None:
        ub[cols["chpv"]] = np.where(pb.surplus_hours, np.inf, 0.0)
    b = pb.battery
    if b is not None:
        p = _first(cols["p"])
        if b.duration_h is None:
            e = _first(cols["e"])
            ub[e] = b.max_kwh
            if b.fixed_kwh is not None:
                lb[e] = ub[e] = b.fixed_kwh
            ub[p] = b.max_kw
        else:
            ub[p] = min(b.max_kw, b.max_kwh / b.duration_h)
        if b.fixed_kw is not None:
            lb[p] = ub[p] = b.fixed_kw
    return lb, ub


def battery_unit_costs(pb: SizingProblem) -> tuple[float, float]:
    """Annual cost of 1 kWh and of 1 kW of battery capacity [VND/kWh/yr], [VND/kW/yr]."""
    b = pb.battery
    k = pb.finance.crf(b.life_years)
    return k * b.capex_per_kwh + b.fixed_om_per_kwh_yr, k * b.capex_per_kw + b.fixed_om_per_kw_yr


def _define_objective(pb: SizingProblem, cols: dict, n: int) -> np.ndarray:
    c = np.zeros(n)
    w = pb.year_weight
    c[cols["cap"]] = [pb.finance.crf(t.life_years) * t.capex_per_kw + t.fixed_om_per_kw_yr
                      for t in pb.techs]
    c[cols["imp"]] = w * (pb.import_price + pb.co2_cost)
    if pb.export:
        c[cols["exp"]] = -w * pb.export_price
    b = pb.battery
    if b is not None:
        per_kwh, per_kw = battery_unit_costs(pb)
        if b.duration_h is None:
            c[cols["e"]] = per_kwh
            c[cols["p"]] = per_kw
        else:
            c[cols["p"]] = per_kw + b.duration_h * per_kwh
        c[cols["ch"]] = w * b.throughput_cost_per_kwh * b.eta_charge * b.eta_discharge
    if pb.grid.allow_unmet:
        c[cols["unmet"]] = w * pb.unmet_price
    if pb.month is not None:
        c[cols["peak"]] = pb.grid.capacity_charge_per_kw_month * pb.billed_months
    return c


def build_lp(pb: SizingProblem) -> LpModel:
    """Build the sizing LP of a prepared problem (a pure function of its inputs).

    Parameters
    ----------
    pb : SizingProblem
        Checked inputs from :func:`energy_model.sizing.inputs.prepare`.

    Returns
    -------
    LpModel
        Objective in VND/yr: capital annuities and fixed O&M of the capacities plus the
        horizon's operating costs × ``pb.year_weight``.
    """
    cols, n, duration_h = _define_columns(pb)
    rows = _Rows()
    _define_balance(rows, pb, cols)
    _define_storage(rows, pb, cols, duration_h)
    _define_export(rows, pb, cols)
    _define_battery_export(rows, pb, cols, duration_h)
    _define_grid(rows, pb, cols)
    lb, ub = _define_bounds(pb, cols, n)
    c = _define_objective(pb, cols, n)
    a = sp.csc_matrix((np.concatenate(rows.v), (np.concatenate(rows.r), np.concatenate(rows.c))),
                      shape=(rows.n, n))
    a.sum_duplicates()
    # HiGHS drops entries below its small_matrix_value (1e-9) and passModel then returns a
    # warning; drop them here instead (e.g. a 1e-12 dawn PV output, a soc_min of 1e-300)
    a.data[np.abs(a.data) <= 1e-9] = 0.0
    a.eliminate_zeros()
    layout = Layout(cols=cols, rows=rows.blocks, n_cols=n, n_rows=rows.n, duration_h=duration_h)
    return LpModel(c=c, lb=lb, ub=ub, a=a, row_lo=np.concatenate(rows.lo),
                   row_hi=np.concatenate(rows.hi), layout=layout, problem=pb)
