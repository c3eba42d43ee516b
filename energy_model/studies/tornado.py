"""NPV sensitivity (tornado) of each park's chosen design and of the province.

Mostly without an LP: each park's own cash-flow table
(:func:`energy_model.economics.cash_flow_table`, as the run kept it) is re-evaluated with one input at a time at its low and high value.
:func:`energy_model.studies.analysis.write_analysis` saves it as ``analysis/tornado.csv``.

The design stays fixed. Drivers that change prices (tariff, tariff frame, export price)
re-price the run's hourly dispatch exactly. Drivers that change the load (occupancy, load
intensity), the roof (roof share) or the export cap reading re-balance each hour with the
battery schedule kept (:func:`rebalanced_saving`): surplus is exported up to the cap, the
rest curtailed; a shortfall is imported. The saving column scales by the ratio of that
year-1 saving to the base one computed the same way. Re-dispatching the battery or
re-sizing would move these bars further (issue 17: not done here).

Load growth is re-dispatched (issue 17): the design, fixed, is dispatched by the LP in the
scenario year and in milestone years (``economics.redispatch_years``, else
:data:`~energy_model.pipeline.redispatch.DEFAULT_REDISPATCH_YEARS`) with the projected
load × ``(1 + g)^(Y − year)`` for the driver's extra growth g and that year's degraded PV
(:func:`energy_model.pipeline.evaluate.milestone_cash_flow`); the bar is the run's NPV plus
the change of the re-dispatched NPV from g = 0 to g (one fixed-design dispatch per park,
meter, milestone and case: a design without a battery is dispatched in closed form,
:mod:`energy_model.sizing.separable`, else by the LP; on the 2030 catalog, which builds
no battery, the tornado took 28 s CPU with 180 LPs and 13 s with the closed form).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor

import numpy as np
import pandas as pd

from energy_model import demand
from energy_model import economics as ec
from energy_model import tariff as tf
from energy_model.errors import InvariantError
from energy_model.pipeline import cost_table
from energy_model.pipeline.evaluate import milestone_cash_flow
from energy_model.pipeline.redispatch import DEFAULT_REDISPATCH_YEARS

#: Relative agreement required between the tornado's base NPV and the pipeline's [-].
NPV_REL_TOL = 1e-9

#: Tornado drivers: (name, unit, how the low and high cases are made from the base).
#: Relative changes multiply; "pp" changes add percentage points to a rate.
#: "alt" drivers compare the base with one alternative (tariff frame, export cap reading);
#: "occ", "intensity" and "roof" take their low/high from the park's own data
#: (occupancy paths, LoadSpec.case_low/high, data/pv_layout.csv roof_share low/high).
TORNADO_DRIVERS = (
    ("capex", "rel", -0.20, +0.20),
    ("tariff", "rel", -0.10, +0.10),
    ("escalation", "pp", -2.0, +2.0),
    ("discount_rate", "pp", -2.0, +2.0),
    ("load_growth", "pp", -2.0, +4.0),
    ("yield", "rel", -0.10, +0.10),
    ("tariff_frame", "alt", None, None),
    ("export_price", "rel", -0.30, +0.10),     # 1,426.6 → ≈ 1,000 VND/kWh (issue 17) / +10 %
    ("export_cap_reading", "alt", None, None),
    ("occupancy", "occ", None, None),
    ("roof_share", "roof", None, None),
    ("load_intensity", "intensity", None, None),
    ("battery_cost", "rel", -0.30, +0.30),
    ("pv_cost", "rel", -0.20, +0.20),
)



def table_npv(table: pd.DataFrame, *, discount_rate_real: float, inflation: float,
              capex: float = 1.0, saving: float = 1.0, escalation_from: float = 0.0,
              escalation_to: float = 0.0, generation_cost: float = 1.0,
              storage_cost: float = 1.0, npv_shift: float = 0.0) -> float:
    """NPV [VND] of a cash-flow table with some of its inputs changed.

    Works on the run's own table (:func:`energy_model.economics.cash_flow_table`), so
    the base case is the run's NPV exactly. Each change follows the table's structure:

    - ``capex``: capex, replacements and salvage are all proportional to unit costs, so
      they scale together;
    - ``saving``: the yearly saving scales (tariff level, on-site output);
    - escalation: year t's saving carries ``(1 + e)^t``, so it is multiplied by
      ``((1 + escalation_to) / (1 + escalation_from))^t``;
    - ``generation_cost`` / ``storage_cost``: the generation (PV, wind) or storage costs
      (capex, O&M, replacements − salvage, all proportional to unit costs) scale;
    - the discount rate enters only the discounting;
    - ``npv_shift``: an NPV change computed elsewhere (re-dispatched load growth) [VND].

    Parameters
    ----------
    table : pandas.DataFrame
        A cash-flow table (index ``year`` 0..N; nominal VND columns).
    discount_rate_real, inflation : float
        Rates [1/yr].
    capex, saving : float
        Factors [-].
    escalation_from, escalation_to : float
        The table's real tariff escalation and the one wanted [1/yr].

    Returns
    -------
    float
        NPV at the nominal rate [VND].
    """
    years = table.index.to_numpy(dtype=float)
    growth = ((1.0 + escalation_to) / (1.0 + escalation_from)) ** years
    savings = table["savings_vnd"].to_numpy() * saving * growth
    invest = table["capex_vnd"] + table["replacement_vnd"] - table["salvage_vnd"]
    costs = invest.to_numpy() * capex
    net = savings - costs - table["om_vnd"].to_numpy()
    if generation_cost != 1.0:
        net = net - (generation_cost - 1.0) * table["generation_cost_vnd"].to_numpy()
    if storage_cost != 1.0:
        net = net - (storage_cost - 1.0) * table["storage_cost_vnd"].to_numpy()
    return ec.npv(ec.nominal_rate(discount_rate_real, inflation), net) + npv_shift


def export_share_of_saving(scenario, inputs, dispatch: pd.DataFrame) -> float:
    """Share of a year's bill saving that is export revenue, not a cheaper bill [-].

    A tariff change moves the saving on imports and the capacity charge but not the
    export revenue (the surplus price is the market's): the saving becomes
    ``k − (k − 1) × share`` times the base for a tariff × k.
    """
    price = np.asarray(inputs.grid.import_price, dtype=float)
    xprice = np.broadcast_to(np.asarray(inputs.grid.export_price, dtype=float), len(dispatch))
    load = dispatch["load_kw"].to_numpy(dtype=float)
    imp = dispatch["grid_import_kw"].to_numpy(dtype=float)
    revenue = float(dispatch["grid_export_kw"].to_numpy(dtype=float) @ xprice)
    saving = float((load - imp) @ price) + revenue
    charge = tf.capacity_charge(scenario.tariff.name, inputs.park.grid.voltage)
    if charge:
        month = dispatch.index.year * 12 + dispatch.index.month
        saving += charge * float(dispatch["load_kw"].groupby(month).max().sum()
                                 - dispatch["grid_import_kw"].groupby(month).max().sum())
    return revenue / saving if saving > 0 else 0.0


#: drivers whose cases need the park's dispatch or data (:func:`park_driver_cases`)
PARK_DRIVERS = ("load_growth", "tariff_frame", "export_price", "export_cap_reading", "occupancy",
                "roof_share", "load_intensity", "battery_cost", "pv_cost")


def _col(dispatch: pd.DataFrame, name: str) -> np.ndarray:
    return (dispatch[name].to_numpy(dtype=float) if name in dispatch
            else np.zeros(len(dispatch)))


def repriced_saving(inputs, dispatch: pd.DataFrame, import_price, export_price) -> float:
    """Year-1 energy saving [VND] of the run's dispatch at other hourly prices [VND/kWh]."""
    n = len(dispatch)
    price = np.broadcast_to(np.asarray(import_price, dtype=float), n)
    xprice = np.broadcast_to(np.asarray(export_price, dtype=float), n)
    return float((_col(dispatch, "load_kw") - _col(dispatch, "grid_import_kw")) @ price
                 + _col(dispatch, "grid_export_kw") @ xprice)


def rebalanced_saving(inputs, sizing, *, load_scale: float = 1.0,
                      gen_scale: dict | None = None, cap_basis: str | None = None) -> float:
    """Year-1 energy saving [VND] of the fixed design with the load or generation scaled.

    Each hour: the available on-site output of every technology (× ``gen_scale[name]``)
    plus battery discharge, less battery charge (the run's schedule), less the load
    (× ``load_scale``). A shortfall is imported; a surplus is exported up to the exportable
    output and the export cap (``cap_basis`` ``power`` or ``energy``, default the run's;
    share as the run's), the rest curtailed.
    """
    d = sizing.dispatch
    gen_scale = gen_scale or {}
    n = len(d)
    gen, exportable, exp_kw = np.zeros(n), np.zeros(n), 0.0
    for t in inputs.technologies:
        k = gen_scale.get(t.name, 1.0)
        col = _col(d, f"{t.name}_kw") * k
        gen += col
        if t.may_export:
            exportable += col
            exp_kw += sizing.capacities.get(f"{t.name}_kw", 0.0) * k
    load = _col(d, "load_kw") * load_scale
    net = gen + _col(d, "battery_discharge_kw") - _col(d, "battery_charge_kw") - load
    imp = np.maximum(-net, 0.0)
    g = inputs.grid
    share = float(g.export_cap_share)
    exp = np.minimum(np.maximum(net, 0.0), exportable) if share > 0 else np.zeros(n)
    basis = cap_basis or g.export_cap_basis
    if basis == "power":
        exp = np.minimum(exp, share * exp_kw)
    elif exp.sum() > share * exportable.sum():
        exp = exp * (share * exportable.sum() / exp.sum())
    price = np.broadcast_to(np.asarray(g.import_price, dtype=float), n)
    xprice = np.broadcast_to(np.asarray(g.export_price, dtype=float), n)
    return float((load - imp) @ price + exp @ xprice)


def redispatched_npv(scenario, p, growth: float, cache: dict, year_one: bool = False) -> float:
    """NPV [VND] of a park's design re-dispatched in the milestone years with the load's
    extra yearly growth ``growth`` [1/yr] (summed over a KKT's class meters). With
    ``year_one`` the run's own dispatch stands in for the scenario year (no LP): the NPV is
    then good only for differences between growth cases, where that year cancels out."""
    e = scenario.economics
    years = e.redispatch_years or DEFAULT_REDISPATCH_YEARS
    parts = p.meters.values() if p.meters else [p]
    total = 0.0
    for part in parts:
        table = milestone_cash_flow(scenario, part.inputs, part.sizing, years, growth, cache,
                                    (part.inputs, part.sizing) if year_one else None)
        total += table_npv(table, discount_rate_real=e.discount_rate_real,
                           inflation=e.inflation)
    return total


def load_growth_case(scenario, p, lo: float, hi: float) -> tuple:
    """The load-growth driver: ``lo``/``hi`` extra growth [%/yr] re-dispatched
    (:func:`redispatched_npv`), as NPV shifts from the re-dispatched base."""
    cache: dict = {}
    run_table = bool(scenario.economics.redispatch_years) and p.cash_flow.attrs.get(
        "between") == "interpolate"
    if run_table:  # the run's own re-dispatched table is the g = 0 case
        base = table_npv(p.cash_flow, discount_rate_real=scenario.economics.discount_rate_real,
                         inflation=scenario.economics.inflation)
    else:  # the scenario year is the same for every g: it cancels out of the shifts
        base = redispatched_npv(scenario, p, 0.0, cache, year_one=True)
    shifts = [redispatched_npv(scenario, p, step / 100, cache, year_one=not run_table) - base
              for step in (lo, hi)]
    return ("load_growth", "pct_per_yr", lo, hi, {"npv_shift": shifts[0]},
            {"npv_shift": shifts[1]})


def alternative_tariff(name: str) -> str | None:
    """The tariff with the same energy prices on the other time-of-use frame, if any."""
    table = tf.load_tariff_table()
    base = table.tariffs[name]
    for other, t in table.tariffs.items():
        if (other != name and t.energy_prices_name == base.energy_prices_name
                and t.frame.name != base.frame.name and not t.capacity_prices):
            return other
    return None


def _roof_scales(scenario, inputs, sizing, ratio: float) -> tuple[dict, float]:
    """Rooftop arrays whose limit came from the roof: capacity scale factor by name when
    the roof area × ``ratio``, and the change of generation capex it brings [VND]."""
    costs = cost_table(scenario).technologies
    given = {a.name for a in inputs.park.pv
             if a.max_kwp is not None or a.usable_area_m2 is not None}
    scales, delta = {}, 0.0
    for t in inputs.technologies:
        if t.kind != "rooftop" or t.name in given or not np.isfinite(t.max_kw):
            continue
        cap = sizing.capacities.get(f"{t.name}_kw", 0.0)
        if cap <= 0:
            continue
        limit = t.max_kw * ratio
        new = min(cap, limit) if ratio < 1 else (limit if cap >= 0.999 * t.max_kw else cap)
        scales[t.name] = new / cap
        delta += (new - cap) * costs[inputs.cost_names[t.name]].capex_vnd_per_unit
    return scales, delta


def _generation_capex(scenario, inputs, sizing, kinds=None) -> float:
    costs = cost_table(scenario).technologies
    return sum(sizing.capacities.get(f"{t.name}_kw", 0.0)
               * costs[inputs.cost_names[t.name]].capex_vnd_per_unit
               for t in inputs.technologies if kinds is None or t.kind in kinds)


def occupancy_ratios(scenario, park) -> tuple[float, float]:
    """Occupied land of the low and high occupancy paths over the base path's, in the
    scenario year [-] (1 for a KKT or an empty park)."""
    spec = park.load
    base_ha = (demand.occupied_area_ha(spec, park.area_ha, park.occupancy,
                                       park.occupancy_year, scenario.year)
               if park.kind == "KCN" else 0.0)
    if base_ha <= 0:
        return 1.0, 1.0
    return tuple(demand.occupied_area_ha(spec, park.area_ha, park.occupancy,
                                         park.occupancy_year, scenario.year, case) / base_ha
                 for case in ("low", "high"))


def park_driver_cases(scenario, p) -> list[tuple]:
    """Low and high cases of the park-specific drivers (prices, load, roof, cap reading).

    Returns
    -------
    list of tuple
        As :func:`driver_cases`; values are factors [-] of the input (of the year-1 saving
        for ``tariff_frame`` and ``export_cap_reading``).
    """
    inputs, sizing = p.inputs, p.sizing
    d, park = sizing.dispatch, inputs.park
    base_saving = repriced_saving(inputs, d, inputs.grid.import_price, inputs.grid.export_price)
    base_bal = rebalanced_saving(inputs, sizing)
    gen_capex = _generation_capex(scenario, inputs, sizing)
    pv_capex = _generation_capex(scenario, inputs, sizing, kinds=("rooftop", "ground",
                                                                  "floating"))
    out = []

    def factor_pair(name, lo_v, hi_v, lo_kw, hi_kw):
        out.append((name, "factor", lo_v, hi_v, lo_kw, hi_kw))

    def bal_case(load_scale=1.0, roof_ratio=None):
        scales, delta = ({}, 0.0) if roof_ratio is None else _roof_scales(
            scenario, inputs, sizing, roof_ratio)
        f = rebalanced_saving(inputs, sizing, load_scale=load_scale, gen_scale=scales)
        kw = {"saving": f / base_bal if base_bal > 0 else 1.0}
        if delta and gen_capex > 0:
            kw["generation_cost"] = 1.0 + delta / gen_capex
        return kw

    for name, kind, lo, hi in TORNADO_DRIVERS:
        if name == "load_growth":
            out.append(load_growth_case(scenario, p, lo, hi))
        elif name == "tariff_frame":
            alt = alternative_tariff(scenario.tariff.name)
            f = 1.0
            if alt is not None and base_saving > 0:
                price = tf.hourly_prices(d.index, alt, park.grid.voltage,
                                         demand.tariff_class(park.kind)).to_numpy(dtype=float)
                xprice = np.minimum(np.broadcast_to(np.asarray(inputs.grid.export_price,
                                                               dtype=float), len(d)),
                                    price - 1.0)
                f = repriced_saving(inputs, d, price, xprice) / base_saving
            factor_pair(name, min(f, 1.0), max(f, 1.0), {"saving": min(f, 1.0)},
                        {"saving": max(f, 1.0)})
        elif name == "export_price":
            share = export_share_of_saving(scenario, inputs, d)
            factor_pair(name, 1 + lo, 1 + hi, {"saving": 1 + lo * share},
                        {"saving": 1 + hi * share})
        elif name == "export_cap_reading":
            other = "power" if inputs.grid.export_cap_basis == "energy" else "energy"
            f = (rebalanced_saving(inputs, sizing, cap_basis=other) / base_bal
                 if base_bal > 0 else 1.0)
            factor_pair(name, min(f, 1.0), max(f, 1.0), {"saving": min(f, 1.0)},
                        {"saving": max(f, 1.0)})
        elif name == "occupancy":
            ratios = occupancy_ratios(scenario, park)
            factor_pair(name, ratios[0], ratios[1],
                        bal_case(load_scale=ratios[0], roof_ratio=ratios[0]),
                        bal_case(load_scale=ratios[1], roof_ratio=ratios[1]))
        elif name == "roof_share":
            t = demand.roof_factor_table()["roof_share"]
            r_lo, r_hi = t["low"] / t["base"], t["high"] / t["base"]
            factor_pair(name, r_lo, r_hi, bal_case(roof_ratio=r_lo), bal_case(roof_ratio=r_hi))
        elif name == "load_intensity":
            lo_k, hi_k = park.load.case_low, park.load.case_high
            factor_pair(name, lo_k, hi_k, bal_case(load_scale=lo_k), bal_case(load_scale=hi_k))
        elif name == "battery_cost":
            factor_pair(name, 1 + lo, 1 + hi, {"storage_cost": 1 + lo},
                        {"storage_cost": 1 + hi})
        elif name == "pv_cost":
            share = pv_capex / gen_capex if gen_capex > 0 else 0.0
            factor_pair(name, 1 + lo, 1 + hi, {"generation_cost": 1 + lo * share},
                        {"generation_cost": 1 + hi * share})
    return out


def driver_cases(scenario, export_share: float = 0.0) -> list[tuple]:
    """Low and high cases of each tornado driver.

    Parameters
    ----------
    scenario : Scenario
    export_share : float
        :func:`export_share_of_saving` of the park [-].

    Returns
    -------
    list of tuple
        ``(driver, unit, low_value, high_value, low_kwargs, high_kwargs)``: the values are
        what the input is set to (a factor [-], or a rate [%/yr]); the kwargs go to
        :func:`table_npv` (besides the rates).
    """
    e = scenario.economics
    out = []
    for name, kind, lo, hi in TORNADO_DRIVERS:
        if kind in ("alt", "occ", "roof", "intensity") or name in PARK_DRIVERS:
            continue  # park-specific: park_driver_cases
        cases = []
        for step in (lo, hi):
            if name == "capex":
                cases.append((1 + step, {"capex": 1 + step}))
            elif name == "tariff":
                k = 1 + step
                cases.append((k, {"saving": k - (k - 1) * export_share}))
            elif name == "yield":
                cases.append((1 + step, {"saving": 1 + step}))
            elif name == "escalation":
                to = e.tariff_escalation_real + step / 100
                cases.append((100 * to, {"escalation_from": e.tariff_escalation_real,
                                         "escalation_to": to}))
            elif name == "discount_rate":
                rate = max(0.0, e.discount_rate_real + step / 100)
                cases.append((100 * rate, {"discount_rate_real": rate}))
        unit = "factor" if kind == "rel" else "pct_per_yr"
        out.append((name, unit, cases[0][0], cases[1][0], cases[0][1], cases[1][1]))
    return out


def tornado(result) -> pd.DataFrame:
    """NPV sensitivity of every park's chosen design, and of the province (their sum).

    The design stays as chosen; except for the load growth (re-dispatched) each park's
    cash-flow table is re-evaluated with one input at its low, then high value (:data:`TORNADO_DRIVERS`):
    capex ±20 %, EVN tariff ±10 %, real tariff escalation and discount rate ±2
    percentage points, on-site yield ±10 % (the saving follows the output, as the
    cash-flow table treats degradation); and, per park
    (:func:`park_driver_cases`): the other time-of-use frame of the same prices, the
    export price −30 % (≈ 1,000 VND/kWh) / +10 %, the other export-cap reading (power vs
    energy), the park's low/high occupancy path (load and roof together), the roof share
    low/high of ``data/pv_layout.csv``, the load intensity ``case_low``/``case_high``,
    battery cost ±30 % and PV cost ±20 %, and the load growth −2 … +4 %/yr on top of the
    projection, re-dispatched in the milestone years (:func:`load_growth_case`: fixed-design
    LPs; the other drivers need none).

    Parameters
    ----------
    result : energy_model.pipeline.ScenarioResult

    Returns
    -------
    pandas.DataFrame
        Rows per scope (park id or ``PROVINCE``) and driver: ``unit``, ``low_value``,
        ``high_value``, ``npv_base_billion_vnd``, ``npv_low_billion_vnd``,
        ``npv_high_billion_vnd``.

    Raises
    ------
    InvariantError
        The base NPV recomputed from the run's table differs from the run's NPV.
    """
    return province_table([row for pid, p in result.parks.items()
                           for row in park_rows(result.scenario, pid, p)])


def park_rows(scenario, pid: str, p) -> list[dict]:
    """The tornado rows of one park (one task of :func:`start_tornado`).

    Parameters
    ----------
    scenario : Scenario
    pid : str
        Park id.
    p : energy_model.pipeline.ParkResult

    Returns
    -------
    list of dict
        One row per driver, as the rows of :func:`tornado` (scope ``pid``).

    Raises
    ------
    InvariantError
        The base NPV recomputed from the run's table differs from the run's NPV.
    """
    econ = scenario.economics
    rates = {"discount_rate_real": econ.discount_rate_real, "inflation": econ.inflation}
    base = table_npv(p.cash_flow, **rates)
    ref = p.economics.npv_vnd
    if abs(base - ref) > NPV_REL_TOL * max(abs(ref), 1.0):
        raise InvariantError(f"{pid}: tornado base NPV {base:.6g} VND differs from the "
                             f"run's {ref:.6g} VND")
    share = export_share_of_saving(scenario, p.inputs, p.sizing.dispatch)
    order = [d[0] for d in TORNADO_DRIVERS]
    cases = sorted(driver_cases(scenario, share) + park_driver_cases(scenario, p),
                   key=lambda c: order.index(c[0]))
    rows = []
    for name, unit, lo_v, hi_v, lo_kw, hi_kw in cases:
        low = table_npv(p.cash_flow, **{**rates, **lo_kw})
        high = table_npv(p.cash_flow, **{**rates, **hi_kw})
        rows.append({"scope": pid, "driver": name, "unit": unit, "low_value": lo_v,
                     "high_value": hi_v, "npv_base_billion_vnd": base / 1e9,
                     "npv_low_billion_vnd": low / 1e9, "npv_high_billion_vnd": high / 1e9})
    return rows


def province_table(rows: list[dict]) -> pd.DataFrame:
    """The parks' tornado rows with the province's (their sum per driver) in front."""
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    prov = df.groupby("driver", sort=False).agg(
        unit=("unit", "first"), low_value=("low_value", "first"),
        high_value=("high_value", "first"), npv_base_billion_vnd=("npv_base_billion_vnd", "sum"),
        npv_low_billion_vnd=("npv_low_billion_vnd", "sum"),
        npv_high_billion_vnd=("npv_high_billion_vnd", "sum")).reset_index()
    prov.insert(0, "scope", "PROVINCE")
    return pd.concat([prov, df], ignore_index=True)


def start_tornado(result, executor: Executor | None = None) -> Callable[[], pd.DataFrame]:
    """Start the tornado of a run, one task a park, on ``executor`` (without one: computed
    when collected); the returned function gives :func:`tornado`'s table, the same either
    way (the parks' rows in the run's order)."""
    if executor is None:
        return lambda: tornado(result)
    futures = [executor.submit(park_rows, result.scenario, pid, p)
               for pid, p in result.parks.items()]
    return lambda: province_table([row for f in futures for row in f.result()])
