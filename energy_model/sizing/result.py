"""Results of the sizing LP: capacities, hourly dispatch, costs, and the invariant checks.

The dispatch table has one row per hour (interval-start labels) and these columns, all
hourly means [kW] except the state of charge:

=========================  ==============================================================
column                     meaning
=========================  ==============================================================
``load_kw``                park load
``<tech>_kw``              available output of each technology after its capacity
``pv_kw``, ``wind_kw``     sums of the PV (rooftop, ground, floating) and wind columns
``curtailment_kw``         available output not used
``battery_charge_kw``      AC power into the battery
``battery_discharge_kw``   AC power out of the battery
``battery_soc_kwh``        stored energy at the start of the hour [kWh]
``grid_import_kw``         bought from the grid
``grid_export_kw``         sold to the grid (rooftop surplus, and with
                           ``Grid.battery_export="pv_charged"`` PV-charged battery energy)
``unmet_kw``               load not served (only with the slack)
``battery_charge_pv_kw``   (*) part of the charge taken from the rooftop PV
``battery_export_kw``      (*) part of the discharge sold to the grid (in ``grid_export_kw``)
``battery_pv_soc_kwh``     (*) PV-energy account: stored energy from the PV [kWh]
=========================  ==============================================================

(*) only with PV-charged battery export (``SizingProblem.battery_export``).

so that ``pv_kw + wind_kw - curtailment_kw + battery_discharge_kw - battery_charge_kw +
grid_import_kw - grid_export_kw + unmet_kw == load_kw`` in every hour.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from energy_model.balance import balance_residual
from energy_model.errors import InvariantError
from energy_model.sizing.inputs import PV_KINDS, SizingProblem
from energy_model.sizing.lp import LpModel

FLOW_COLUMNS = ("curtailment_kw", "battery_charge_kw", "battery_discharge_kw",
                "battery_soc_kwh", "grid_import_kw", "grid_export_kw", "unmet_kw")
#: Extra columns with PV-charged battery export (Decree 243/2026).
BATTERY_EXPORT_COLUMNS = ("battery_charge_pv_kw", "battery_export_kw", "battery_pv_soc_kwh")


@dataclass(frozen=True)
class CostBreakdown:
    """Annualised costs of a design and its dispatch, all in VND/yr (without VAT).

    Attributes
    ----------
    capex_annuity : dict of str to float
        Capital recovery of each asset (technology names, ``battery``) [VND/yr].
    fixed_om : dict of str to float
        Fixed O&M of each asset [VND/yr].
    energy : float
        Imported energy at the tariff [VND/yr].
    capacity_charge : float
        Two-component capacity charge on monthly peak import [VND/yr].
    export_revenue : float
        Revenue from exported surplus, a positive number subtracted in ``total`` [VND/yr].
    throughput : float
        Battery degradation cost on discharged energy [VND/yr].
    co2 : float
        Carbon price on imported energy [VND/yr].
    unmet : float
        Penalty of unserved load at the slack price, whether or not the LP had the slack
        (a rule-based dispatch may leave load unserved under an import cap) [VND/yr].
    """

    capex_annuity: dict = field(default_factory=dict)
    fixed_om: dict = field(default_factory=dict)
    energy: float = 0.0
    capacity_charge: float = 0.0
    export_revenue: float = 0.0
    throughput: float = 0.0
    co2: float = 0.0
    unmet: float = 0.0

    @property
    def total(self) -> float:
        """Total annual cost [VND/yr]."""
        return (sum(self.capex_annuity.values()) + sum(self.fixed_om.values()) + self.energy
                + self.capacity_charge - self.export_revenue + self.throughput + self.co2
                + self.unmet)


@dataclass(frozen=True, eq=False)
class SizingResult:
    """Optimal capacities and dispatch of one park-year.

    Attributes
    ----------
    capacities : dict of str to float
        ``<tech>_kw`` for each technology [kW], ``battery_kwh`` [kWh], ``battery_kw`` [kW].
    dispatch : pandas.DataFrame
        Hourly flows (columns in the module docstring).
    objective : float
        Optimal annualised cost [VND/yr]: capital annuities, fixed O&M and the horizon's
        operating costs scaled by ``year_weight``.
    costs : CostBreakdown
        The objective split by item [VND/yr].
    grid_only_cost : float
        Annual cost of buying the whole load from the grid on the same tariff [VND/yr].
    year_weight : float
        Factor from the horizon's operating costs to a year's [-].
    build_s, solve_s : float
        Wall time to build and to solve the LP [s].
    iterations : int
        HiGHS iterations (simplex + interior point + crossover).
    status : str
        HiGHS model status.
    path : str
        Which solution method produced this result: ``"monolithic"``, ``"fast"``
        (:mod:`energy_model.sizing.decomposition`) or ``"separable"`` (a fixed design
        without storage, dispatched in closed form: :mod:`energy_model.sizing.separable`).
    n_rows, n_cols : int
        LP size.
    outer_iterations : int
        Dispatch-LP solves of the fast path (0 on the monolithic path).
    gap : float
        Proven relative optimality gap of the fast path [-] (0 for the monolithic LP,
        optimal to HiGHS' tolerances).
    total_s : float
        Wall time of the whole ``optimize`` call [s].
    fallback : str
        Why the fast path was not used or gave up, when ``path`` is ``"monolithic"``
        although it was asked for or chosen by ``"auto"`` (empty otherwise).
    start : str
        Start of the fast path: ``"representative days"``, ``"warm start"`` or
        ``"lower bounds"`` (empty on the monolithic path).
    warm_state : WarmState or None
        What a warm start of a similar problem reuses (``optimize(..., warm_start=this)``):
        the fast path's final HiGHS basis and its cuts
        (:class:`energy_model.sizing.decomposition.WarmState`; ``None`` on the monolithic
        path).
    """

    capacities: dict
    dispatch: pd.DataFrame
    objective: float
    costs: CostBreakdown
    grid_only_cost: float
    year_weight: float
    build_s: float = 0.0
    solve_s: float = 0.0
    iterations: int = 0
    status: str = ""
    path: str = "monolithic"
    n_rows: int = 0
    n_cols: int = 0
    outer_iterations: int = 0
    gap: float = 0.0
    total_s: float = 0.0
    fallback: str = ""
    start: str = ""
    warm_state: object = field(default=None, repr=False)

    def annual_kwh(self) -> dict[str, float]:
        """Annual energy of each power column [kWh/yr] (horizon sum × ``year_weight``)."""
        cols = [c for c in self.dispatch.columns if c.endswith("_kw")]
        return {c[:-3] + "_kwh": float(self.dispatch[c].sum() * self.year_weight) for c in cols}

    @property
    def savings(self) -> float:
        """Annual saving against grid-only supply [VND/yr]."""
        return self.grid_only_cost - self.objective


def capacities_from_solution(model: LpModel, x: np.ndarray) -> dict[str, float]:
    """Capacities of an LP solution: ``<tech>_kw``, ``battery_kwh``, ``battery_kw``."""
    pb, lay = model.problem, model.layout
    caps = {f"{t.name}_kw": float(v) for t, v in zip(pb.techs, x[lay.col("cap")])}
    p = float(x[lay.col("p")][0]) if pb.battery is not None else 0.0
    if pb.battery is None:
        e = 0.0
    elif lay.duration_h is not None:
        e = lay.duration_h * p
    else:
        e = float(x[lay.col("e")][0])
    caps.update(battery_kwh=e, battery_kw=p)
    return caps


def _clean(v: np.ndarray, tol: float) -> np.ndarray:
    """Set values within ``tol`` of zero to exactly zero (solver round-off)."""
    return np.where(np.abs(v) <= tol, 0.0, v)


def available_kw(pb: SizingProblem, capacities: dict) -> pd.DataFrame:
    """Available output of each technology [kW] for given capacities."""
    data = {f"{t.name}_kw": pb.profiles[i] * capacities[f"{t.name}_kw"]
            for i, t in enumerate(pb.techs)}
    return pd.DataFrame(data, index=pb.index)


def assemble_dispatch(pb: SizingProblem, capacities: dict, flows: dict) -> pd.DataFrame:
    """A dispatch table in the documented column order from flows [kW] and SOC [kWh]."""
    avail = available_kw(pb, capacities)
    pv = [f"{t.name}_kw" for t in pb.techs if t.kind in PV_KINDS]
    wind = [f"{t.name}_kw" for t in pb.techs if t.kind == "wind"]
    df = pd.DataFrame({"load_kw": pb.load_kw}, index=pb.index)
    for c in avail.columns:
        df[c] = avail[c].to_numpy()
    df["pv_kw"] = avail[pv].sum(axis=1).to_numpy() if pv else 0.0
    df["wind_kw"] = avail[wind].sum(axis=1).to_numpy() if wind else 0.0
    extra = BATTERY_EXPORT_COLUMNS if getattr(pb, "battery_export", False) else ()
    for c in FLOW_COLUMNS + extra:
        df[c] = flows.get(c, np.zeros(pb.hours))
    return df


def dispatch_from_solution(model: LpModel, x: np.ndarray, row_activity: np.ndarray
                           ) -> tuple[pd.DataFrame, dict[str, float]]:
    """Hourly dispatch and capacities of an LP solution (round-off below 1e-9 × peak set to 0)."""
    pb, lay = model.problem, model.layout
    T, b = pb.hours, pb.battery
    tol = 1e-9 * pb.load_kw.max()
    caps = capacities_from_solution(model, x)
    zero = np.zeros(T)
    flows = {"grid_import_kw": x[lay.col("imp")],
             "grid_export_kw": x[lay.col("exp")] if pb.export else zero,
             "unmet_kw": x[lay.col("unmet")] if pb.grid.allow_unmet else zero}
    if b is not None:
        soc, ch = x[lay.col("soc")], x[lay.col("ch")]
        flows["battery_soc_kwh"] = soc
        flows["battery_charge_kw"] = ch
        flows["battery_discharge_kw"] = b.eta_discharge * (soc - np.roll(soc, -1)
                                                           + b.eta_charge * ch)
    if pb.battery_export:
        flows["battery_charge_pv_kw"] = x[lay.col("chpv")]
        flows["battery_export_kw"] = x[lay.col("bx")]
        flows["battery_pv_soc_kwh"] = x[lay.col("pvs")]
    # the balance row's surplus over the load is the curtailment
    flows["curtailment_kw"] = row_activity[lay.row("balance")] - pb.load_kw
    flows = {k: _clean(np.asarray(v, dtype=float), tol) for k, v in flows.items()}
    return assemble_dispatch(pb, caps, flows), caps


def check_dispatch(pb: SizingProblem, dispatch: pd.DataFrame, capacities: dict, *,
                   cyclic: bool = True, rel_tol: float = 1e-6) -> None:
    """Check the physical invariants of a dispatch; raise :class:`InvariantError` if violated.

    Checks, each to ``rel_tol × peak load``: the energy balance of every hour; curtailment
    between 0 and the available output; the state-of-charge equation (cyclic over the
    horizon if ``cyclic``) and its bounds; charge and discharge between 0 and the power
    capacity; import within its cap; export within the exportable output and its caps; no
    hour with both import and export; unmet load between 0 and the load.
    """
    tol = rel_tol * pb.load_kw.max()
    d = {c: dispatch[c].to_numpy() for c in dispatch.columns}
    bad: list[str] = []

    def need(ok: np.ndarray, what: str, value: np.ndarray) -> None:
        if not np.all(ok):
            t = int(np.argmin(ok))
            bad.append(f"{what}: {int((~ok).sum())} hour(s), first hour {t} "
                       f"({dispatch.index[t]}), value {value[t]:.6g}")

    resid = balance_residual(d)
    need(np.abs(resid) <= tol, "energy balance does not close", resid)
    gen = d["pv_kw"] + d["wind_kw"]
    need(d["curtailment_kw"] >= -tol, "negative curtailment", d["curtailment_kw"])
    need(d["curtailment_kw"] <= gen + tol, "curtailment above available output",
         d["curtailment_kw"] - gen)
    imp, exp = d["grid_import_kw"], d["grid_export_kw"]
    need(imp >= -tol, "negative import", imp)
    need(imp <= pb.import_cap_kw + tol, "import above its cap", imp - pb.import_cap_kw)
    need(exp >= -tol, "negative export", exp)
    need(np.minimum(imp, exp) <= tol, "import and export in the same hour",
         np.minimum(imp, exp))
    if pb.export_limit_kw is not None:
        need(exp <= pb.export_limit_kw + tol, "export above the hourly hosting limit",
             exp - pb.export_limit_kw)
    ex_cols = [f"{t.name}_kw" for t in pb.techs if t.may_export]
    ex_avail = sum((d[c] for c in ex_cols), np.zeros(pb.hours))
    zero = np.zeros(pb.hours)
    bx, chpv = d.get("battery_export_kw", zero), d.get("battery_charge_pv_kw", zero)
    need(exp - bx + chpv <= ex_avail + tol,
         "direct export plus PV charging above the exportable (rooftop) output",
         exp - bx + chpv - ex_avail)
    if "battery_export_kw" in d:       # PV serves the load first (Decree 243 accounting)
        surplus = np.maximum(gen - d["load_kw"], 0.0)
        need(exp - bx + chpv <= surplus + tol,
             "direct export plus PV charging above the on-site surplus over the load",
             exp - bx + chpv - surplus)
    share = pb.grid.export_cap_share
    ex_cap = sum(capacities[c] for c in ex_cols) if ex_cols else 0.0
    if pb.grid.export_cap_basis == "power":
        need(exp <= share * ex_cap + tol, "export above the power-basis cap",
             exp - share * ex_cap)
    elif exp.sum() > share * ex_avail.sum() + tol:
        bad.append(f"export {exp.sum():.6g} kWh above the energy-basis cap "
                   f"{share * ex_avail.sum():.6g} kWh")
    u = d["unmet_kw"]
    need((u >= -tol) & (u <= d["load_kw"] + tol), "unmet load outside [0, load]", u)
    _check_battery(pb, d, capacities, cyclic, tol, need)
    if bad:
        raise InvariantError("the dispatch violates physical invariants (a solver or model "
                             "bug):\n  " + "\n  ".join(bad))


def _check_battery(pb, d, capacities, cyclic, tol, need) -> None:
    b = pb.battery
    ch, dis, soc = d["battery_charge_kw"], d["battery_discharge_kw"], d["battery_soc_kwh"]
    p, e = capacities.get("battery_kw", 0.0), capacities.get("battery_kwh", 0.0)
    need((ch >= -tol) & (ch <= p + tol), "battery charge outside [0, power]", ch)
    need((dis >= -tol) & (dis <= p + tol), "battery discharge outside [0, power]", dis)
    if b is None:
        need(np.abs(soc) <= tol, "state of charge without a battery", soc)
        return
    need((soc >= b.soc_min * e - tol) & (soc <= e + tol), "state of charge outside bounds", soc)
    nxt = soc + b.eta_charge * ch - dis / b.eta_discharge
    if cyclic:
        resid = np.roll(soc, -1) - nxt
    else:
        resid = np.append(soc[1:] - nxt[:-1], 0.0)
    need(np.abs(resid) <= tol, "state-of-charge equation does not close", resid)
    if "battery_export_kw" in d:
        _check_pv_account(b, d, cyclic, tol, need)


def _check_pv_account(b, d, cyclic, tol, need) -> None:
    """PV-charged battery export: grid-charged energy is never sold."""
    ch, dis, soc = d["battery_charge_kw"], d["battery_discharge_kw"], d["battery_soc_kwh"]
    chpv, bx, acct = d["battery_charge_pv_kw"], d["battery_export_kw"], d["battery_pv_soc_kwh"]
    need((chpv >= -tol) & (chpv <= ch + tol), "PV charge outside [0, charge]", chpv)
    need((bx >= -tol) & (bx <= dis + tol), "battery export outside [0, discharge]", bx)
    need((acct >= -tol) & (acct <= soc + tol), "PV-energy account outside [0, SOC]", acct)
    gain = acct + b.eta_charge * chpv - bx / b.eta_discharge
    nxt = np.roll(acct, -1) if cyclic else np.append(acct[1:], -np.inf)
    need(nxt <= gain + tol, "battery export above its PV-energy account", nxt - gain)


def _monthly_peak_cost(pb: SizingProblem, power_kw: np.ndarray) -> float:
    if pb.month is None:
        return 0.0
    peaks = np.zeros(len(pb.billed_months))
    np.maximum.at(peaks, pb.month, power_kw)
    return float(pb.grid.capacity_charge_per_kw_month * (pb.billed_months * peaks).sum())


def evaluate_costs(pb: SizingProblem, dispatch: pd.DataFrame, capacities: dict) -> CostBreakdown:
    """Annualised costs [VND/yr] of capacities and a dispatch (from the LP or a rule).

    Operating items are horizon sums scaled by ``pb.year_weight``; throughput is priced
    on discharged energy; the capacity charge on each billing month's peak import.
    """
    w = pb.year_weight
    capex, fom = {}, {}
    for t in pb.techs:
        kw = capacities[f"{t.name}_kw"]
        capex[t.name] = pb.finance.crf(t.life_years) * t.capex_per_kw * kw
        fom[t.name] = t.fixed_om_per_kw_yr * kw
    b = pb.battery
    if b is not None:
        k = pb.finance.crf(b.life_years)
        e, p = capacities["battery_kwh"], capacities["battery_kw"]
        capex["battery"] = k * (b.capex_per_kwh * e + b.capex_per_kw * p)
        fom["battery"] = b.fixed_om_per_kwh_yr * e + b.fixed_om_per_kw_yr * p
    imp = dispatch["grid_import_kw"].to_numpy()
    thr = 0.0 if b is None else b.throughput_cost_per_kwh
    return CostBreakdown(
        capex_annuity=capex, fixed_om=fom,
        energy=w * float(pb.import_price @ imp),
        capacity_charge=_monthly_peak_cost(pb, imp),
        export_revenue=w * float(pb.export_price @ dispatch["grid_export_kw"].to_numpy()),
        throughput=w * thr * float(dispatch["battery_discharge_kw"].sum()),
        co2=w * float(pb.co2_cost @ imp),
        unmet=w * pb.unmet_price * float(dispatch["unmet_kw"].sum()))


def grid_only_cost(pb: SizingProblem) -> float:
    """Annual cost of buying the whole load on the same tariff [VND/yr] (ignores caps)."""
    w = pb.year_weight
    return (w * float((pb.import_price + pb.co2_cost) @ pb.load_kw)
            + _monthly_peak_cost(pb, pb.load_kw))
