"""Who pays and who owns (issue 18): the hourly accounting of a contracted asset and each
party's yearly cash flow.

Parties and views
-----------------
- **tenant** (the park or its tenants, financial view): the retail value of the energy the
  asset gives (bill saving at the EVN tariff) minus what the contract makes it pay;
- **investor** (the third party that owns the asset: an ESCO or the farm's generator):
  capex, O&M, replacements and salvage, against the contract revenue (and, for a virtual
  DPPA, the spot-market sale of the farm's whole output) → IRR, payback, NPV;
- **economic view** (resource cost, no retail transfers): contract payments and the retail
  tariff are transfers between the parties and drop out. The asset's energy is valued at
  what it saves the power system: a kWh the park no longer imports at the hourly market
  price + ``network_cost_vnd_per_kwh`` (E, default the 360 VND/kWh system service charge of
  Decree 57/2025, S2); a kWh exported or sold into the market at the market price. Costs
  are the asset's capex, O&M, replacements less salvage.

Energy accounting (one simulated year, hourly, from the sized dispatch)
-----------------------------------------------------------------------
- **on-site asset** (PV array or wind farm under lease/PPA): the asset's share
  ``f = asset_kw / (pv_kw + wind_kw)`` of each hour's curtailment and export is its own;
  delivered = output − f × curtailment; its value to the tenant is
  ``(delivered − f × export) × import price + f × export × export price``;
- **battery** (lease/PPA): delivered = discharge; value = ``(discharge − charge) × import
  price``. Over all assets these shares add up exactly to the energy part of the bill
  saving (the energy balance), so no saving is counted twice;
- **off-site farm, hourly matching** (:func:`match_hourly`): the park can take at most its
  remaining grid import (after its own PV, wind and battery) in each hour. The farm's
  contracted output ``offered = farm_kw × share × loss_factor`` is matched hour by hour:
  ``matched = min(offered, grid_import)``; the rest is ``unmatched``. A private-line DPPA
  delivers (and bills) only the matched kWh; the unmatched output is not bought (spilled,
  or sold elsewhere by the generator: no revenue counted here). A virtual DPPA settles its
  contract for differences on the matched kWh only; the generator sells its whole output
  into the spot market;
- **virtual DPPA settlement** (:func:`virtual_settlement`), per hour and matched kWh: the
  tenant pays the power corporation the market price + system service + settlement adder,
  and pays the generator ``strike − market price`` (receives it when negative); so a
  matched kWh costs it ``strike + service + adder`` in place of the retail price.
  The capacity charge of a two-component tariff is not reduced by a DPPA (not counted:
  the reference warns that DPPA + two-component tariff risks paying grid costs twice, S2).

Years (money conventions of :mod:`energy_model.economics`)
-----------------------------------------------------------
Years t = 1..term (the contract term). Retail-linked amounts (tenant value, market price,
service charges, economic value) carry the tariff's real escalation ``(1 + e)^t`` as in
:func:`~energy_model.economics.cash_flow_table` (E for the market price and charges);
contract prices are nominal, ``price × (1 + escalation)^(t − 1)``. PV output degrades as in
the park's cash flow. Capex in year 0; the investor's replacements within the term and the
salvage of the unused life at the term's end follow :func:`replacement_schedule`.

Sizing is unchanged: the LP sizes on the owned basis (the consolidated resource cost the
contracts only redistribute); contracts are evaluated on the sized design.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from energy_model.economics.cashflow import _cost_items, replacement_schedule
from energy_model.finance import (discount_factors, irr, nominal_rate, npv, real_rate,
                                  simple_payback)

#: ownerships whose tenant payment is a price on delivered kWh
ENERGY_PRICED = ("ppa", "dppa_private", "dppa_virtual")


# --------------------------------------------------------------------------- hourly accounting

def match_hourly(farm_kw: pd.Series, grid_import_kw: pd.Series, share: float = 1.0,
                 loss_factor: float = 1.0) -> pd.DataFrame:
    """Match an off-site farm's output hour by hour against the park's remaining import.

    Parameters
    ----------
    farm_kw : pandas.Series
        The farm's output [kW].
    grid_import_kw : pandas.Series
        The park's grid import after its on-site supply [kW] (same index).
    share : float
        Share of the farm contracted to the park [-].
    loss_factor : float
        Grid loss coefficient on the farm output [-].

    Returns
    -------
    pandas.DataFrame
        ``farm_kw`` (the contracted share, before losses), ``offered_kw``, ``matched_kw``
        = min(offered, import), ``unmatched_kw`` = offered − matched [kW].
    """
    farm = np.clip(farm_kw.to_numpy(float), 0.0, None) * share
    offered = farm * loss_factor
    matched = np.minimum(offered, np.clip(grid_import_kw.to_numpy(float), 0.0, None))
    return pd.DataFrame({"farm_kw": farm, "offered_kw": offered, "matched_kw": matched,
                         "unmatched_kw": offered - matched}, index=farm_kw.index)


def virtual_settlement(match: pd.DataFrame, market_vnd_per_kwh: pd.Series, strike: float,
                       system_service: float, settlement_adder: float,
                       retail_vnd_per_kwh: pd.Series, dt_h: float = 1.0) -> pd.DataFrame:
    """Hourly settlement of a virtual DPPA [VND per hour] (signs: paid by the tenant > 0).

    Parameters
    ----------
    match : pandas.DataFrame
        :func:`match_hourly`.
    market_vnd_per_kwh, retail_vnd_per_kwh : pandas.Series
        Market (spot) and retail import price [VND/kWh].
    strike : float
        Strike price [VND/kWh].
    system_service, settlement_adder : float
        Service charges on a matched kWh [VND/kWh].
    dt_h : float
        Step length [h].

    Returns
    -------
    pandas.DataFrame
        ``market_vnd`` (tenant → power corporation, matched × market), ``service_vnd``
        (matched × (service + adder)), ``cfd_vnd`` (tenant → generator, matched × (strike −
        market)), ``retail_avoided_vnd`` (matched × retail), ``tenant_net_vnd`` = avoided −
        market − service − cfd, ``generator_spot_vnd`` (farm output × market) and
        ``generator_revenue_vnd`` = spot + cfd.
    """
    m = match["matched_kw"].to_numpy() * dt_h
    mkt = market_vnd_per_kwh.to_numpy(float)
    out = pd.DataFrame(index=match.index)
    out["market_vnd"] = m * mkt
    out["service_vnd"] = m * (system_service + settlement_adder)
    out["cfd_vnd"] = m * (strike - mkt)
    out["retail_avoided_vnd"] = m * retail_vnd_per_kwh.to_numpy(float)
    out["tenant_net_vnd"] = (out["retail_avoided_vnd"] - out["market_vnd"] - out["service_vnd"]
                             - out["cfd_vnd"])
    out["generator_spot_vnd"] = match["farm_kw"].to_numpy() * dt_h * mkt
    out["generator_revenue_vnd"] = out["generator_spot_vnd"] + out["cfd_vnd"]
    return out


def onsite_share(dispatch: pd.DataFrame, column: str) -> pd.DataFrame:
    """An on-site generator's delivered and exported power (see the module docstring).

    Parameters
    ----------
    dispatch : pandas.DataFrame
        Sized dispatch with the asset's ``column`` [kW].
    column : str
        The asset's output column, e.g. ``pv_roof_kw``.

    Returns
    -------
    pandas.DataFrame
        ``output_kw``, ``delivered_kw``, ``exported_kw``, ``used_kw`` [kW].
    """
    gen = dispatch[column].to_numpy(float)
    total = dispatch["pv_kw"].to_numpy(float) + dispatch["wind_kw"].to_numpy(float)
    f = np.divide(gen, total, out=np.zeros_like(gen), where=total > 0)
    delivered = gen - f * dispatch["curtailment_kw"].to_numpy(float)
    exported = f * dispatch["grid_export_kw"].to_numpy(float)
    return pd.DataFrame({"output_kw": gen, "delivered_kw": delivered, "exported_kw": exported,
                         "used_kw": delivered - exported}, index=dispatch.index)


# --------------------------------------------------------------------------- one contract year

@dataclass(frozen=True)
class ContractYear:
    """Year-1 quantities of one contract at base-year prices (real VND, kWh).

    Attributes
    ----------
    output_kwh, delivered_kwh, unmatched_kwh : float
        Asset output, energy the tenant takes (matched, for a DPPA) and the rest [kWh].
    priced_quantity : float
        What the contract price multiplies: delivered kWh (PPA, DPPA), kW (lease per
        kW-yr) or 12 months (lease per month).
    tenant_value_vnd : float
        Retail value of the delivered energy to the tenant [VND].
    market_vnd : float
        Virtual DPPA: matched × market price (paid to the power corporation and
        refunded through the CfD) [VND].
    service_vnd : float
        Virtual DPPA: service charges on the matched kWh [VND].
    spot_vnd : float
        Virtual DPPA: the generator's spot sale of its output [VND].
    economic_value_vnd : float
        Resource value of the asset's energy (economic view) [VND].
    """

    output_kwh: float
    delivered_kwh: float
    unmatched_kwh: float
    priced_quantity: float
    tenant_value_vnd: float
    market_vnd: float = 0.0
    service_vnd: float = 0.0
    spot_vnd: float = 0.0
    economic_value_vnd: float = 0.0


@dataclass(frozen=True)
class Terms:
    """The money terms of a contract (from the scenario's :class:`Contract`).

    Attributes
    ----------
    ownership : str
        ``lease``, ``ppa``, ``dppa_private`` or ``dppa_virtual``.
    price : float
        Year-1 price, strike or rent per priced unit [VND/kWh, VND/kW/yr or VND/month].
    escalation_nominal : float
        Yearly escalation of the price [1/yr, nominal].
    term_years : int
        Contract term [yr].
    """

    ownership: str
    price: float
    escalation_nominal: float
    term_years: int


@dataclass(frozen=True)
class Rates:
    """The scenario's rates [1/yr]: real discount rate, inflation, real tariff escalation,
    PV degradation; ``pv_output_factor`` is the PV output of the dispatch relative to year 1
    [-] (life-mean sizing); ``degrades`` whether the asset's output degrades (PV)."""

    discount_rate_real: float
    inflation: float
    tariff_escalation_real: float
    degradation: float = 0.0
    pv_output_factor: float = 1.0
    degrades: bool = False


def investor_costs(capacities: dict, costs, term: int, overrides: dict | None = None
                   ) -> pd.DataFrame:
    """The third party's capex, O&M, replacements and salvage by year [real VND].

    Parameters
    ----------
    capacities : dict of str to float
        Cost-table technology → capacity [kWp, kW, kWh].
    costs : CostTable or mapping of str to TechnologyCost
    term : int
        Contract term [yr]: replacements within it, salvage of the unused life at its end.
    overrides : dict, optional
        ``{"capex_vnd_per_unit": ..., "fixed_om_vnd_per_unit_yr": ...}`` replacing the cost
        table's values for every technology of the asset.

    Returns
    -------
    pandas.DataFrame
        Index year 0..term; ``capex``, ``om``, ``replacement``, ``salvage`` [real VND].
    """
    techs = dict(costs.technologies if hasattr(costs, "technologies") else costs)
    if overrides:
        techs = {k: replace(v, **{f: x for f, x in overrides.items() if x is not None})
                 for k, v in techs.items()}
    out = pd.DataFrame(0.0, index=pd.Index(range(term + 1), name="year"),
                       columns=["capex", "om", "replacement", "salvage"])
    for tech, cap in _cost_items(capacities, techs):
        out.loc[0, "capex"] += cap * tech.capex_vnd_per_unit
        out.loc[1:, "om"] += cap * tech.fixed_om_vnd_per_unit_yr
    for row in replacement_schedule(capacities, techs, term).itertuples(index=False):
        out.loc[row.year, "replacement"] += row.replacement_vnd
        out.loc[row.year, "salvage"] += row.salvage_vnd
    return out


def _volume(rates: Rates, years: np.ndarray) -> np.ndarray:
    if not rates.degrades:
        return np.ones_like(years, dtype=float)
    return (1.0 - rates.degradation) ** (years - 1) / rates.pv_output_factor


def cash_flows(year1: ContractYear, terms: Terms, costs: pd.DataFrame,
               rates: Rates) -> pd.DataFrame:
    """Each party's yearly cash flow of one contract [nominal VND].

    Parameters
    ----------
    year1 : ContractYear
    terms : Terms
    costs : pandas.DataFrame
        :func:`investor_costs` over the same term.
    rates : Rates

    Returns
    -------
    pandas.DataFrame
        Index year 0..term: ``inflation_index``; tenant ``tenant_saving_vnd`` (retail value),
        ``tenant_payment_vnd`` (all the contract makes it pay), ``tenant_net_vnd``;
        investor ``investor_revenue_vnd``, ``investor_capex_vnd``, ``investor_om_vnd``,
        ``investor_replacement_vnd``, ``investor_salvage_vnd``, ``investor_net_vnd``;
        ``economic_value_vnd``, ``economic_net_vnd``; energies ``delivered_kwh``.
    """
    n = terms.term_years
    t = np.arange(n + 1)
    on = (t >= 1).astype(float)
    infl = (1.0 + rates.inflation) ** t
    retail = (1.0 + rates.tariff_escalation_real) ** t * infl * on  # real escalation → nominal
    vol = _volume(rates, t) * on
    contract = (1.0 + terms.escalation_nominal) ** np.maximum(t - 1, 0) * on
    per_volume = terms.ownership in ENERGY_PRICED
    priced = terms.price * year1.priced_quantity * contract * (vol if per_volume else 1.0)
    out = pd.DataFrame(index=pd.Index(t, name="year"))
    out["inflation_index"] = infl
    out["delivered_kwh"] = year1.delivered_kwh * vol
    out["tenant_saving_vnd"] = year1.tenant_value_vnd * vol * retail
    market = year1.market_vnd * vol * retail
    if terms.ownership == "dppa_virtual":
        cfd = priced - market  # (strike − market) × matched
        out["tenant_payment_vnd"] = market + year1.service_vnd * vol * retail + cfd
        investor_revenue = year1.spot_vnd * vol * retail + cfd
    else:
        out["tenant_payment_vnd"] = priced
        investor_revenue = priced
    out["tenant_net_vnd"] = out["tenant_saving_vnd"] - out["tenant_payment_vnd"]
    out["investor_revenue_vnd"] = investor_revenue
    for part in ("capex", "om", "replacement", "salvage"):
        out[f"investor_{part}_vnd"] = costs[part].to_numpy() * infl
    cost = (out["investor_capex_vnd"] + out["investor_om_vnd"] + out["investor_replacement_vnd"]
            - out["investor_salvage_vnd"])
    out["investor_net_vnd"] = out["investor_revenue_vnd"] - cost
    out["economic_value_vnd"] = year1.economic_value_vnd * vol * retail
    out["economic_net_vnd"] = out["economic_value_vnd"] - cost
    return out


@dataclass(frozen=True)
class PartyResult:
    """Headline of one party's flows: NPV at the scenario's rate [VND], IRR [1/yr, real]
    (None where the flows never change sign) and simple payback [yr]."""

    npv_vnd: float
    irr_real: float | None
    payback_yr: float | None


def party_result(flows: np.ndarray, rates: Rates) -> PartyResult:
    """NPV (nominal flows at the nominal rate), real IRR and payback of nominal flows."""
    rate = nominal_rate(rates.discount_rate_real, rates.inflation)
    r = irr(flows) if np.any(flows < 0) and np.any(flows > 0) else None
    return PartyResult(npv(rate, flows), None if r is None else real_rate(r, rates.inflation),
                       simple_payback(flows) if flows[0] < 0 else None)


def breakeven_price(year1: ContractYear, terms: Terms, costs: pd.DataFrame,
                    rates: Rates) -> tuple[float | None, float | None, float | None]:
    """The prices (strike, rent) at which each party breaks even.

    Both parties' flows are linear in the price, so all three follow from two evaluations.

    Returns
    -------
    (float or None, float or None, float or None)
        Tenant, year 1: the price making the tenant's year-1 net zero (the most it can pay
        against the EVN tariff); tenant, life: the price, escalating at the contract's
        escalation, making the tenant's NPV over the term zero; investor: the price making
        the investor's NPV over the term zero at the scenario's rate (the least it can
        take) [price unit]. None where the contract delivers nothing.
    """
    rate = nominal_rate(rates.discount_rate_real, rates.inflation)
    f0 = cash_flows(year1, replace(terms, price=0.0), costs, rates)
    f1 = cash_flows(year1, replace(terms, price=1.0), costs, rates)
    t0, t1 = f0["tenant_net_vnd"].to_numpy(), f1["tenant_net_vnd"].to_numpy()
    slope1 = t0[1] - t1[1]
    year = t0[1] / slope1 if slope1 > 0 else None
    d = discount_factors(rate, terms.term_years)
    slope = float((t0 - t1) @ d)
    life = float(t0 @ d) / slope if slope > 0 else None
    i0, i1 = f0["investor_net_vnd"].to_numpy(), f1["investor_net_vnd"].to_numpy()
    gain = float((i1 - i0) @ d)
    investor = -float(i0 @ d) / gain if gain > 0 else None
    return year, life, investor
