"""Contracts of a sized park (issue 18): resolve each ``parks[].contracts`` entry against the
sized design and its dispatch, and build the tables of ``contracts/*.csv``.

The money rules are in :mod:`energy_model.economics.contracts`; this module only finds the
asset's hourly output, capacity and cost rows, the prices and the market price, and lays
the results out. Sizing is unchanged (owned basis); a KKT sized per class meter is not
evaluated per meter (its contracts are skipped with a note).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from energy_model.economics import contracts as ct
from energy_model.economics.market_price import MarketPrice, market_price
from energy_model.errors import ScenarioError
from energy_model.finance import life_mean_factor
from energy_model.metrics import step_hours
from energy_model.pipeline.assemble import pv_cost_name, wind_cost_name
from energy_model.pipeline.offsite import offsite_assets, offsite_capacity_kw
from energy_model.scenario import layer_files
from energy_model.scenario.contracts import BATTERY_ASSET, Contract
from energy_model.scenario.locate import located_problem
from energy_model.wind.farm import farm_turbine

#: a virtual DPPA's generator must be wind or solar of at least this size [kW] (Decree 57/2025)
VIRTUAL_MIN_KW = 10_000.0
#: the tables written under ``contracts/`` by name
TABLES = ("contracts", "cash_flows", "monthly")


def _located(scenario, park_index: int, j: int, key: str, msg: str) -> ScenarioError:
    files = layer_files(scenario)
    file = str(files[-1]) if files else "scenario"
    lines = getattr(scenario, "_lines", None) or {}
    p = located_problem(msg, file, lines, ("parks", park_index, "contracts", j, key))
    return ScenarioError(f"{file}: {msg}", [p], file=file)


def _hourly(values, index) -> np.ndarray:
    return np.broadcast_to(np.asarray(values, float), len(index)).astype(float)


def _offsite_kw(inputs, asset, index) -> tuple[pd.Series, float, str]:
    """An off-site farm's own output [kW] (its column of ``inputs.offsite_kw``), its
    nameplate [kW; a solar farm's DC kWp] and its cost row."""
    f = asset.farm
    out = inputs.offsite_kw[f.name] if inputs.offsite_kw is not None else 0.0
    cost = (pv_cost_name(f) if asset.kind == "pv"
            else wind_cost_name(farm_turbine(f).nominal_kw))
    return pd.Series(_hourly(out, index), index=index), offsite_capacity_kw(asset), cost


def _asset(scenario, inputs, sizing, c: Contract, mkt: MarketPrice, where):
    """Hourly series [kW, VND/h], capacities by cost row and the settlement of one asset."""
    d, caps = sizing.dispatch, sizing.capacities
    price = _hourly(inputs.grid.import_price, d.index)
    export = _hourly(inputs.grid.export_price, d.index)
    market = mkt.price.to_numpy()
    system = market + scenario.contracts.network_cost_vnd_per_kwh
    offsite = {a.farm.name: a for a in offsite_assets(inputs.park)}
    if c.asset == BATTERY_ASSET:
        dis, ch = d["battery_discharge_kw"].to_numpy(), d["battery_charge_kw"].to_numpy()
        h = dict(output_kw=dis, delivered_kw=dis, unmatched_kw=0 * dis,
                 value=(dis - ch) * price, econ=(dis - ch) * system)
        return h, {"battery_energy": caps.get("battery_kwh", 0.0),
                   "battery_power": caps.get("battery_kw", 0.0)}, caps.get("battery_kw", 0.0), None
    if c.asset in offsite:
        farm_kw, cap, cost = _offsite_kw(inputs, offsite[c.asset], d.index)
        if c.ownership == "dppa_virtual" and cap < VIRTUAL_MIN_KW:
            raise where("asset", f"a virtual DPPA generator must be at least "
                                 f"{VIRTUAL_MIN_KW / 1000:g} MW (Decree 57/2025); farm "
                                 f"{c.asset!r} is {cap / 1000:g} MW")
        m = ct.match_hourly(farm_kw, d["grid_import_kw"], c.share,
                            c.loss_factor if c.ownership == "dppa_virtual" else 1.0)
        matched = m["matched_kw"].to_numpy()
        h = dict(output_kw=m["farm_kw"].to_numpy(), delivered_kw=matched,
                 unmatched_kw=m["unmatched_kw"].to_numpy(), value=matched * price)
        settle = None
        if c.ownership == "dppa_virtual":
            settle = ct.virtual_settlement(m, mkt.price, c.strike_vnd_per_kwh,
                                           c.system_service_vnd_per_kwh,
                                           c.settlement_adder_vnd_per_kwh,
                                           pd.Series(price, index=d.index), step_hours(d.index))
            h["econ"] = m["farm_kw"].to_numpy() * market
        else:
            h["econ"] = matched * system
        return h, {cost: cap * c.share}, cap * c.share, settle
    tech = f"pv_{c.asset}" if c.asset in {a.name for a in inputs.park.pv} else f"wind_{c.asset}"
    cap = caps.get(f"{tech}_kw", 0.0)
    s = ct.onsite_share(d, f"{tech}_kw")
    h = dict(output_kw=s["output_kw"].to_numpy(), delivered_kw=s["delivered_kw"].to_numpy(),
             unmatched_kw=(s["output_kw"] - s["delivered_kw"]).to_numpy(),
             value=s["used_kw"].to_numpy() * price + s["exported_kw"].to_numpy() * export,
             econ=s["used_kw"].to_numpy() * system + s["exported_kw"].to_numpy() * market)
    return h, {inputs.cost_names[tech]: cap}, cap, None


def _price_and_quantity(c: Contract, cap_kw: float, delivered_kwh: float) -> tuple[float, float]:
    if c.ownership == "lease":
        if c.lease_vnd_per_kw_yr is not None:
            return c.lease_vnd_per_kw_yr, cap_kw
        return c.lease_vnd_per_month, 12.0
    price = c.strike_vnd_per_kwh if c.ownership == "dppa_virtual" else c.price_vnd_per_kwh
    return price, delivered_kwh


def _cap_check(c: Contract) -> str:
    """``within_cap`` (a private-line price at or under its frame cap; the schema refuses
    one above it), ``not_checked_frame_nf`` (no cap given: the wind frame is NF), or ''."""
    if c.ownership != "dppa_private":
        return ""
    return "not_checked_frame_nf" if c.price_cap_vnd_per_kwh is None else "within_cap"


def _monthly(pid, asset, h, index, dt, horizon, payment_per_kwh) -> pd.DataFrame:
    month = pd.Index(index.month, name="month")
    frame = pd.DataFrame({k: np.asarray(h[k], float) * dt / horizon
                          for k in ("output_kw", "delivered_kw", "unmatched_kw", "value")},
                         index=index)
    g = frame.groupby(month.to_numpy()).sum()
    out = pd.DataFrame({"park_id": pid, "asset": asset, "month": g.index,
                        "output_mwh": g["output_kw"] / 1e3, "delivered_mwh": g["delivered_kw"] / 1e3,
                        "unmatched_mwh": g["unmatched_kw"] / 1e3,
                        "tenant_saving_million_vnd": g["value"] / 1e6})
    out["tenant_payment_million_vnd"] = (out["delivered_mwh"] * 1e3 * payment_per_kwh / 1e6
                                         if payment_per_kwh is not None else np.nan)
    return out


def evaluate_contract(scenario, inputs, sizing, costs, c: Contract, mkt: MarketPrice, where
                      ) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """One contract's summary row, yearly cash flows and year-1 monthly energies."""
    econ, d = scenario.economics, sizing.dispatch
    dt = step_hours(d.index)
    horizon = len(d) * dt / 8760.0
    h, capacities, cap_kw, settle = _asset(scenario, inputs, sizing, c, mkt, where)
    kwh = {k: float(np.sum(h[k])) * dt / horizon for k in h}
    price, qty = _price_and_quantity(c, cap_kw, kwh["delivered_kw"])
    if cap_kw <= 0:  # nothing built: nothing to lease or buy
        qty = 0.0
    year1 = ct.ContractYear(
        output_kwh=kwh["output_kw"], delivered_kwh=kwh["delivered_kw"],
        unmatched_kwh=kwh["unmatched_kw"], priced_quantity=qty, tenant_value_vnd=kwh["value"],
        market_vnd=float(settle["market_vnd"].sum()) / horizon if settle is not None else 0.0,
        service_vnd=float(settle["service_vnd"].sum()) / horizon if settle is not None else 0.0,
        spot_vnd=float(settle["generator_spot_vnd"].sum()) / horizon if settle is not None else 0.0,
        economic_value_vnd=kwh["econ"])
    terms = ct.Terms(c.ownership, price, c.escalation_nominal,
                     c.term_years or econ.lifetime_years)
    rates = ct.Rates(econ.discount_rate_real, econ.inflation, econ.tariff_escalation_real,
                     costs.pv_degradation, life_mean_factor(costs.pv_degradation,
                                                            econ.lifetime_years),
                     degrades=c.asset in {a.name for a in inputs.park.pv})
    overrides = {"capex_vnd_per_unit": c.investor_capex_vnd_per_kw,
                 "fixed_om_vnd_per_unit_yr": c.investor_om_vnd_per_kw_yr}
    inv = ct.investor_costs(capacities, costs, terms.term_years, overrides)
    flows = ct.cash_flows(year1, terms, inv, rates)
    tenant = ct.party_result(flows["tenant_net_vnd"].to_numpy(), rates)
    investor = ct.party_result(flows["investor_net_vnd"].to_numpy(), rates)
    economic = ct.party_result(flows["economic_net_vnd"].to_numpy(), rates)
    be_year, be_life, be_investor = ct.breakeven_price(year1, terms, inv, rates)
    pid = inputs.park.id
    row = {"park_id": pid, "asset": c.asset, "ownership": c.ownership,
           "capacity_mw": cap_kw / 1e3, "term_yr": terms.term_years,
           "price": price, "price_unit": _price_unit(c),
           "escalation_nominal_pct": 100 * c.escalation_nominal,
           "output_mwh": kwh["output_kw"] / 1e3, "delivered_mwh": kwh["delivered_kw"] / 1e3,
           "unmatched_mwh": kwh["unmatched_kw"] / 1e3,
           "tenant_saving_y1_billion_vnd": flows["tenant_saving_vnd"].iloc[1] / 1e9,
           "tenant_payment_y1_billion_vnd": flows["tenant_payment_vnd"].iloc[1] / 1e9,
           "tenant_net_y1_billion_vnd": flows["tenant_net_vnd"].iloc[1] / 1e9,
           "tenant_npv_billion_vnd": tenant.npv_vnd / 1e9,
           "investor_capex_billion_vnd": flows["investor_capex_vnd"].iloc[0] / 1e9,
           "investor_npv_billion_vnd": investor.npv_vnd / 1e9,
           "investor_irr_real_pct": _pct(investor.irr_real),
           "investor_payback_yr": _nan(investor.payback_yr),
           "economic_npv_billion_vnd": economic.npv_vnd / 1e9,
           "economic_irr_real_pct": _pct(economic.irr_real),
           "breakeven_price_y1": _nan(be_year), "breakeven_price_life": _nan(be_life),
           "investor_breakeven_price": _nan(be_investor),
           "market_price_source": mkt.source if c.ownership == "dppa_virtual" else "",
           "market_price_mean_vnd_per_kwh": (mkt.mean_vnd_per_kwh
                                             if c.ownership == "dppa_virtual" else np.nan),
           "price_cap_vnd_per_kwh": _nan(c.price_cap_vnd_per_kwh),
           "price_cap_check": _cap_check(c),
           "note": "" if cap_kw > 0 else "not_built"}
    flows = flows.reset_index()
    flows.insert(0, "asset", c.asset)
    flows.insert(0, "park_id", pid)
    per_kwh = None if c.ownership == "lease" else (
        price + c.system_service_vnd_per_kwh + c.settlement_adder_vnd_per_kwh
        if c.ownership == "dppa_virtual" else price)
    return row, flows, _monthly(pid, c.asset, h, d.index, dt, horizon, per_kwh)


def _price_unit(c: Contract) -> str:
    if c.ownership == "lease":
        return "VND/kW/yr" if c.lease_vnd_per_kw_yr is not None else "VND/month"
    return "VND/kWh"


def _pct(v):
    return np.nan if v is None else 100 * v


def _nan(v):
    return np.nan if v is None else float(v)


def park_contracts(scenario, inputs, sizing, costs) -> dict[str, pd.DataFrame] | None:
    """The contracts of one sized park: ``{"contracts", "cash_flows", "monthly"}`` tables,
    or None when the park has no contract other than ``owned`` (or is a class meter).

    Parameters
    ----------
    scenario : Scenario
    inputs : ParkInputs
    sizing : SizingResult
    costs : CostTable
        The run's cost table.
    """
    todo = [(j, c) for j, c in enumerate(inputs.park.contracts) if c.ownership != "owned"]
    if not todo or inputs.meter is not None:
        return None
    i = next(k for k, p in enumerate(scenario.parks) if p.id == inputs.park.id)
    mkt = None
    rows, flows, months = [], [], []
    for j, c in todo:
        def where(key, msg, j=j):
            return _located(scenario, i, j, key, msg)
        if mkt is None:
            mkt = market_price(sizing.dispatch.index, scenario.contracts.market_price_file,
                               scenario.timezone)
        row, f, m = evaluate_contract(scenario, inputs, sizing, costs, c, mkt, where)
        rows.append(row)
        flows.append(f)
        months.append(m)
    return {"contracts": pd.DataFrame(rows), "cash_flows": pd.concat(flows, ignore_index=True),
            "monthly": pd.concat(months, ignore_index=True)}


def combined_tables(parks: dict) -> dict[str, pd.DataFrame]:
    """The run's ``contracts/*.csv`` tables over all parks (empty dict: no contracts)."""
    per = [p.contracts for p in parks.values() if getattr(p, "contracts", None)]
    if not per:
        return {}
    return {name: pd.concat([t[name] for t in per], ignore_index=True) for name in TABLES}
