"""NPV sensitivity (tornado) of each park's chosen design and of the province.

No LP: each park's own cash-flow table (:func:`energy_model.economics.cash_flow_table`, as
the run kept it) is re-evaluated with one input at a time at its low and high value.
:func:`energy_model.studies.analysis.write_analysis` saves it as ``analysis/tornado.csv``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from energy_model import economics as ec
from energy_model import tariff as tf
from energy_model.errors import InvariantError

#: Relative agreement required between the tornado's base NPV and the pipeline's [-].
NPV_REL_TOL = 1e-9

#: Tornado drivers: (name, unit, how the low and high cases are made from the base).
#: Relative changes multiply; "pp" changes add percentage points to a rate.
TORNADO_DRIVERS = (
    ("capex", "rel", -0.20, +0.20),
    ("tariff", "rel", -0.10, +0.10),
    ("escalation", "pp", -2.0, +2.0),
    ("discount_rate", "pp", -2.0, +2.0),
    ("load_growth", "pp", -2.0, +4.0),
    ("yield", "rel", -0.10, +0.10),
)



def table_npv(table: pd.DataFrame, *, discount_rate_real: float, inflation: float,
              capex: float = 1.0, saving: float = 1.0, escalation_from: float = 0.0,
              escalation_to: float = 0.0) -> float:
    """NPV [VND] of a cash-flow table with some of its inputs changed.

    Works on the run's own table (:func:`energy_model.economics.cash_flow_table`), so
    the base case is the run's NPV exactly. Each change follows the table's structure:

    - ``capex``: capex, replacements and salvage are all proportional to unit costs, so
      they scale together;
    - ``saving``: the yearly saving scales (tariff level, on-site output);
    - escalation: year t's saving carries ``(1 + e)^t``, so it is multiplied by
      ``((1 + escalation_to) / (1 + escalation_from))^t``;
    - the discount rate enters only the discounting.

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
    return ec.npv(ec.nominal_rate(discount_rate_real, inflation), net)


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
            else:  # load_growth: the run assumes none
                cases.append((step, {}))
        unit = "factor" if kind == "rel" else "pct_per_yr"
        out.append((name, unit, cases[0][0], cases[1][0], cases[0][1], cases[1][1]))
    return out


def tornado(result) -> pd.DataFrame:
    """NPV sensitivity of every park's chosen design, and of the province (their sum).

    The design and its dispatch stay as chosen (no LP); each park's cash-flow table is
    re-evaluated with one input at its low, then high value (:data:`TORNADO_DRIVERS`):
    capex ±20 %, EVN tariff ±10 %, real tariff escalation and discount rate ±2
    percentage points, load growth −2 … +4 %/yr, on-site yield ±10 % (the saving follows
    the output, as the cash-flow table treats degradation). Load growth leaves the NPV
    unchanged: the cash-flow model buys extra load from the grid at the same saving.

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
    scenario = result.scenario
    econ = scenario.economics
    rates = {"discount_rate_real": econ.discount_rate_real, "inflation": econ.inflation}
    rows = []
    for pid, p in result.parks.items():
        base = table_npv(p.cash_flow, **rates)
        ref = p.economics.npv_vnd
        if abs(base - ref) > NPV_REL_TOL * max(abs(ref), 1.0):
            raise InvariantError(f"{pid}: tornado base NPV {base:.6g} VND differs from the "
                                 f"run's {ref:.6g} VND")
        share = export_share_of_saving(scenario, p.inputs, p.sizing.dispatch)
        for name, unit, lo_v, hi_v, lo_kw, hi_kw in driver_cases(scenario, share):
            low = table_npv(p.cash_flow, **{**rates, **lo_kw})
            high = table_npv(p.cash_flow, **{**rates, **hi_kw})
            rows.append({"scope": pid, "driver": name, "unit": unit, "low_value": lo_v,
                         "high_value": hi_v, "npv_base_billion_vnd": base / 1e9,
                         "npv_low_billion_vnd": low / 1e9, "npv_high_billion_vnd": high / 1e9})
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
