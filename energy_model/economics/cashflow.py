"""Year-by-year cash flow of on-site supply: replacements and salvage, one year of
operation (the grid bill), the cash-flow table, LCOE, LCOS, the annual cost and the summary
(NPV, IRR, payback).

The money conventions (constant base-year VND, real rates, Fisher, escalation, HOMER
replacements and salvage) are stated once, in :mod:`energy_model.economics`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from energy_model.economics.costs import CostTable, TechnologyCost
from energy_model.errors import EnergyModelError
from energy_model.finance import (crf, discount_factors, irr, levelised_cost, nominal_rate,
                                  npv, real_rate, simple_payback)
from energy_model.metrics import align_hourly, check_dispatch, energy_flows, step_hours

def _cost_items(capacities: Mapping[str, float], costs) -> list[tuple[TechnologyCost, float]]:
    """(cost, capacity) pairs of the technologies built; checks the names and values."""
    techs = costs.technologies if isinstance(costs, CostTable) else costs
    items = []
    for name, cap in capacities.items():
        if name not in techs:
            raise EnergyModelError(f"capacities[{name!r}]: no cost for this technology; "
                                   f"known: {sorted(techs)}")
        if not np.isfinite(cap) or cap < 0:
            raise EnergyModelError(f"capacities[{name!r}] must be finite and ≥ 0, got {cap}")
        if cap > 0:
            items.append((techs[name], float(cap)))
    return items


def replacement_schedule(capacities: Mapping[str, float], costs,
                         analysis_years: int) -> pd.DataFrame:
    """Re-purchases, component replacements and end-of-analysis salvage, in real VND.

    Parameters
    ----------
    capacities : mapping of str to float
        Technology → capacity [its unit: kWp, kW or kWh].
    costs : CostTable or mapping of str to TechnologyCost
        Costs per unit.
    analysis_years : int
        Analysis period N [yr].

    Returns
    -------
    pandas.DataFrame
        Rows ``year, item, category, replacement_vnd, salvage_vnd`` (base-year real VND);
        salvage rows fall in year N.
    """
    rows = []
    n = int(analysis_years)
    for tech, cap in _cost_items(capacities, costs):
        life = tech.life_yr
        for bought in range(0, n, life):
            if bought > 0:
                rows.append((bought, tech.name, tech.category, cap * tech.capex_vnd_per_unit, 0.0))
            end = bought + life
            if end > n:
                rows.append((n, tech.name, tech.category, 0.0,
                             cap * tech.capex_vnd_per_unit * (end - n) / life))
            step = tech.replacement_interval_yr
            if step:
                for when in range(bought + step, min(end, n), step):
                    cost = cap * tech.replacement_vnd_per_unit
                    rows.append((when, f"{tech.name} component", tech.category, cost, 0.0))
                    left = min(when + step, end) - n
                    if left > 0:
                        rows.append((n, f"{tech.name} component", tech.category, 0.0,
                                     cost * left / step))
    return pd.DataFrame(rows, columns=["year", "item", "category", "replacement_vnd",
                                       "salvage_vnd"])


# --------------------------------------------------------------------------- one year of operation

@dataclass(frozen=True)
class AnnualResult:
    """The grid bill and energies of one operating year, at base-year prices.

    Attributes
    ----------
    grid_only_bill_vnd : float
        What the park would pay the grid with no system [VND].
    system_bill_vnd : float
        What it pays with the system: import cost − export revenue (+ capacity charge) [VND].
    pv_kwh, wind_kwh : float
        Available PV and wind output [kWh] (their ratio splits the degradation).
    onsite_supply_kwh : float
        On-site generation delivered, pv + wind − curtailment [kWh].
    battery_discharge_kwh : float
        Battery discharge [kWh].
    grid_import_before_kwh, grid_import_after_kwh : float
        Grid import without and with the system [kWh].
    pv_output_factor : float
        PV output of this result relative to year-1 output [-]: 1 for year 1, the life-mean
        factor when the dispatch was sized on life-mean output.
    """

    grid_only_bill_vnd: float
    system_bill_vnd: float
    pv_kwh: float
    wind_kwh: float
    onsite_supply_kwh: float
    battery_discharge_kwh: float
    grid_import_before_kwh: float
    grid_import_after_kwh: float
    pv_output_factor: float = 1.0

    @property
    def savings_vnd(self) -> float:
        """Bill saving against grid-only [VND]."""
        return self.grid_only_bill_vnd - self.system_bill_vnd


def grid_bill_vnd(import_kw: pd.Series, export_kw: pd.Series | float, import_price_vnd_per_kwh,
                  export_price_vnd_per_kwh=0.0,
                  capacity_charge_vnd_per_kw_month: float = 0.0) -> float:
    """The grid bill of an hourly import/export series [VND].

    Parameters
    ----------
    import_kw : pandas.Series
        Hourly grid import [kW], interval-start labels.
    export_kw : pandas.Series or float
        Hourly grid export [kW].
    import_price_vnd_per_kwh : float or pandas.Series
        Import price [VND/kWh] (e.g. :func:`energy_model.tariff.hourly_prices`).
    export_price_vnd_per_kwh : float or pandas.Series
        Surplus export price [VND/kWh].
    capacity_charge_vnd_per_kw_month : float
        Two-component tariff: charge on each calendar month's peak import [VND/kW/month].

    Returns
    -------
    float
        ``Σ import × price − Σ export × export price + Σ_month charge × peak`` [VND].
    """
    index = import_kw.index
    dt = step_hours(index)
    imp = import_kw.to_numpy(dtype=float)
    exp = align_hourly(export_kw, index, "export_kw")
    energy = float(imp @ align_hourly(import_price_vnd_per_kwh, index, "import price")) * dt
    revenue = float(exp @ align_hourly(export_price_vnd_per_kwh, index, "export price")) * dt
    capacity = 0.0
    if capacity_charge_vnd_per_kw_month:
        month = index.year * 12 + index.month
        capacity = capacity_charge_vnd_per_kw_month * float(import_kw.groupby(month).max().sum())
    return energy - revenue + capacity


def annual_result(dispatch: pd.DataFrame, import_price_vnd_per_kwh, export_price_vnd_per_kwh=0.0,
                  *, capacity_charge_vnd_per_kw_month: float = 0.0,
                  pv_output_factor: float = 1.0) -> AnnualResult:
    """Bill and energies of a one-year dispatch against its grid-only case.

    Parameters
    ----------
    dispatch : pandas.DataFrame
        Hourly dispatch (:data:`energy_model.metrics.DISPATCH_COLUMNS`) [kW].
    import_price_vnd_per_kwh : float or pandas.Series
        Import price [VND/kWh], base-year, without VAT.
    export_price_vnd_per_kwh : float or pandas.Series
        Surplus price [VND/kWh].
    capacity_charge_vnd_per_kw_month : float
        Capacity charge of a two-component tariff [VND/kW/month].
    pv_output_factor : float
        PV output of this dispatch relative to year 1 [-] (see :class:`AnnualResult`).

    Returns
    -------
    AnnualResult
    """
    check_dispatch(dispatch)
    flows = energy_flows(dispatch)
    before = grid_bill_vnd(dispatch["load_kw"], 0.0, import_price_vnd_per_kwh, 0.0,
                           capacity_charge_vnd_per_kw_month)
    after = grid_bill_vnd(dispatch["grid_import_kw"], dispatch["grid_export_kw"],
                          import_price_vnd_per_kwh, export_price_vnd_per_kwh,
                          capacity_charge_vnd_per_kw_month)
    return AnnualResult(
        grid_only_bill_vnd=before, system_bill_vnd=after, pv_kwh=flows.pv_kwh,
        wind_kwh=flows.wind_kwh, onsite_supply_kwh=flows.onsite_supply_kwh,
        battery_discharge_kwh=flows.battery_discharge_kwh,
        grid_import_before_kwh=flows.load_kwh, grid_import_after_kwh=flows.grid_import_kwh,
        pv_output_factor=pv_output_factor)


# --------------------------------------------------------------------------- the cash-flow table

def _results_by_year(annual_results_by_year, life: int) -> dict[int, AnnualResult]:
    if isinstance(annual_results_by_year, AnnualResult):
        given = {1: annual_results_by_year}
    elif isinstance(annual_results_by_year, Mapping):
        given = {int(k): v for k, v in annual_results_by_year.items()}
    else:
        given = {k + 1: v for k, v in enumerate(annual_results_by_year)}
    if 1 not in given:
        raise EnergyModelError("annual_results_by_year must include operating year 1")
    bad = [y for y in given if not 1 <= y <= life]
    if bad:
        raise EnergyModelError(f"annual_results_by_year has years {bad} outside 1..{life}")
    return given


def _generation_scale(base: AnnualResult, year: int, degradation: float) -> float:
    """On-site output of ``year`` relative to ``base``'s, PV degrading and wind not [-]."""
    total = base.pv_kwh + base.wind_kwh
    if total <= 0:
        return 1.0
    pv_ratio = (1.0 - degradation) ** (year - 1) / base.pv_output_factor
    return (base.wind_kwh + base.pv_kwh * pv_ratio) / total


def _operation_by_year(given: dict[int, AnnualResult], n: int, tariff_escalation_real: float,
                       degradation: float, load_growth: float) -> dict[str, np.ndarray]:
    """Bills [real VND] and energies [kWh] of years 0..n, projected from the given years."""
    tariff = (1.0 + tariff_escalation_real) ** np.arange(n + 1)
    real = {k: np.zeros(n + 1) for k in (
        "grid_only_bill_vnd", "savings_vnd", "onsite_supply_kwh", "battery_discharge_kwh",
        "grid_import_before_kwh", "grid_import_after_kwh")}
    for t in range(1, n + 1):
        k = max(y for y in given if y <= t)
        b = given[k]
        load = (1.0 + load_growth) ** (t - k)
        gen = _generation_scale(b, t, degradation)
        real["grid_only_bill_vnd"][t] = b.grid_only_bill_vnd * load * tariff[t]
        real["savings_vnd"][t] = b.savings_vnd * gen * tariff[t]
        real["onsite_supply_kwh"][t] = b.onsite_supply_kwh * gen
        real["battery_discharge_kwh"][t] = b.battery_discharge_kwh
        real["grid_import_before_kwh"][t] = b.grid_import_before_kwh * load
        real["grid_import_after_kwh"][t] = real["grid_import_before_kwh"][t] - (
            b.grid_import_before_kwh - b.grid_import_after_kwh) * gen
    return real


def _interpolated_operation(given: dict[int, AnnualResult], n: int,
                            tariff_escalation_real: float) -> dict[str, np.ndarray]:
    """Bills [real VND] and energies [kWh] of years 0..n, interpolated between the given
    (re-dispatched) years: linear in each line between two given years, flat after the
    last; every bill carries the real tariff escalation ``(1 + e)^t``."""
    tariff = (1.0 + tariff_escalation_real) ** np.arange(n + 1)
    known = sorted(given)
    t = np.arange(1, n + 1)
    lines = {"grid_only_bill_vnd": lambda r: r.grid_only_bill_vnd,
             "savings_vnd": lambda r: r.savings_vnd,
             "onsite_supply_kwh": lambda r: r.onsite_supply_kwh,
             "battery_discharge_kwh": lambda r: r.battery_discharge_kwh,
             "grid_import_before_kwh": lambda r: r.grid_import_before_kwh,
             "grid_import_after_kwh": lambda r: r.grid_import_after_kwh}
    real = {}
    for key, get in lines.items():
        values = np.zeros(n + 1)
        # np.interp holds the end values flat outside the given years
        values[1:] = np.interp(t, known, [get(given[k]) for k in known])
        if key.endswith("_vnd"):
            values = values * tariff
        real[key] = values
    return real


def _costs_by_year(items, replacements: pd.DataFrame, n: int) -> dict[str, dict[str, np.ndarray]]:
    """Capex, O&M, replacement and salvage of years 0..n [real VND] by category."""
    by_cat = {c: {k: np.zeros(n + 1) for k in ("capex", "om", "replacement", "salvage")}
              for c in ("generation", "storage")}
    for tech, cap in items:
        by_cat[tech.category]["capex"][0] += cap * tech.capex_vnd_per_unit
        by_cat[tech.category]["om"][1:] += cap * tech.fixed_om_vnd_per_unit_yr
    for row in replacements.itertuples(index=False):
        by_cat[row.category]["replacement"][row.year] += row.replacement_vnd
        by_cat[row.category]["salvage"][row.year] += row.salvage_vnd
    return by_cat


def cash_flow_table(capacities: Mapping[str, float], costs, annual_results_by_year, *,
                    tariff_escalation_real: float, degradation: float, load_growth: float,
                    discount_rate_real: float, inflation: float, life: int,
                    replacements: pd.DataFrame | None = None,
                    between: str = "project") -> pd.DataFrame:
    """Year-by-year cash flow of an on-site system against staying grid-only.

    Years given in ``annual_results_by_year`` are used as they are (at base-year prices).
    With ``between="interpolate"`` (re-dispatched milestone years, each with its own load
    and degraded output: :mod:`energy_model.pipeline.redispatch`) every other year is
    linear in each line (bills, saving, energies) between the two given years around it
    and flat after the last given year; ``degradation`` and ``load_growth`` are then not
    used (the given years carry them) and only the tariff escalation is applied on top.
    With ``between="project"`` (default) every other year is projected from the latest
    given year before it:

    - the grid-only bill grows with the load: ``× (1 + load_growth)^(t − k)``;
    - the saving follows on-site output: PV output degrades as ``(1 − d)^(t − 1)`` relative
      to year 1 (divided by the result's ``pv_output_factor``), wind does not, and the
      saving is scaled by the resulting share of on-site output. Load growth leaves the
      saving unchanged (extra load is bought from the grid), which slightly understates
      it when a growing load would absorb exported surplus;
    - all bills carry the tariff's real escalation ``(1 + e)^t``.

    Parameters
    ----------
    capacities : mapping of str to float
        Technology → capacity [kWp, kW or kWh], keys of :data:`TECHNOLOGIES`.
    costs : CostTable or mapping of str to TechnologyCost
        Installed-system costs, base-year real VND.
    annual_results_by_year : AnnualResult, sequence or mapping of int to AnnualResult
        Operating year (1-based) → result; a sequence starts at year 1.
    tariff_escalation_real : float
        Real yearly escalation of the tariff and export price [1/yr].
    degradation : float
        Yearly relative loss of PV output [1/yr].
    load_growth : float
        Yearly growth of the load's energy [1/yr].
    discount_rate_real : float
        Real discount rate [1/yr].
    inflation : float
        General inflation [1/yr]; nominal = real × (1 + inflation)^t.
    life : int
        Analysis period N [yr].
    replacements : pandas.DataFrame, optional
        A :func:`replacement_schedule`; computed from ``capacities`` and ``costs`` if omitted.
    between : {"project", "interpolate"}
        How years between the given ones are filled (see above).

    Returns
    -------
    pandas.DataFrame
        Index ``year`` 0..N. Money columns in nominal VND (positive amounts):
        ``grid_only_bill_vnd, system_bill_vnd, savings_vnd, capex_vnd, om_vnd,
        replacement_vnd, salvage_vnd, generation_cost_vnd, storage_cost_vnd,
        net_cash_flow_vnd, cumulative_cash_flow_vnd, discounted_cash_flow_vnd,
        cumulative_discounted_vnd``; ``inflation_index`` (nominal / real) and
        ``discount_factor`` (nominal); energies ``onsite_supply_kwh,
        battery_discharge_kwh, grid_import_before_kwh, grid_import_after_kwh``.
        ``attrs`` records the rates.
    """
    n = int(life)
    if n < 1:
        raise EnergyModelError(f"life must be ≥ 1 yr, got {life}")
    given = _results_by_year(annual_results_by_year, n)
    items = _cost_items(capacities, costs)
    if replacements is None:
        replacements = replacement_schedule(capacities, costs, n)
    elif len(replacements) and not replacements["year"].between(0, n).all():
        raise EnergyModelError(f"replacements fall outside years 0..{n}")
    years = np.arange(n + 1)
    infl = (1.0 + inflation) ** years
    if between == "interpolate":
        real = _interpolated_operation(given, n, tariff_escalation_real)
    elif between == "project":
        real = _operation_by_year(given, n, tariff_escalation_real, degradation, load_growth)
    else:
        raise EnergyModelError(f"between must be 'project' or 'interpolate', got {between!r}")
    by_cat = _costs_by_year(items, replacements, n)

    out = pd.DataFrame(index=pd.Index(years, name="year"))
    out["inflation_index"] = infl
    out["grid_only_bill_vnd"] = real["grid_only_bill_vnd"] * infl
    out["savings_vnd"] = real["savings_vnd"] * infl
    out["system_bill_vnd"] = out["grid_only_bill_vnd"] - out["savings_vnd"]
    for part in ("capex", "om", "replacement", "salvage"):
        out[f"{part}_vnd"] = (by_cat["generation"][part] + by_cat["storage"][part]) * infl
    for cat in ("generation", "storage"):
        c = by_cat[cat]
        out[f"{cat}_cost_vnd"] = (c["capex"] + c["om"] + c["replacement"] - c["salvage"]) * infl
    out["net_cash_flow_vnd"] = (out["savings_vnd"] - out["capex_vnd"] - out["om_vnd"]
                                - out["replacement_vnd"] + out["salvage_vnd"])
    out["cumulative_cash_flow_vnd"] = out["net_cash_flow_vnd"].cumsum()
    rate_nominal = nominal_rate(discount_rate_real, inflation)
    out["discount_factor"] = discount_factors(rate_nominal, n)
    out["discounted_cash_flow_vnd"] = out["net_cash_flow_vnd"] * out["discount_factor"]
    out["cumulative_discounted_vnd"] = out["discounted_cash_flow_vnd"].cumsum()
    for key in ("onsite_supply_kwh", "battery_discharge_kwh", "grid_import_before_kwh",
                "grid_import_after_kwh"):
        out[key] = real[key]
    out.attrs.update(discount_rate_real=discount_rate_real, discount_rate_nominal=rate_nominal,
                     inflation=inflation, tariff_escalation_real=tariff_escalation_real,
                     tariff_escalation_nominal=nominal_rate(tariff_escalation_real, inflation),
                     degradation=degradation, load_growth=load_growth, life=n,
                     between=between, given_years=sorted(given))
    return out


def _real(table: pd.DataFrame, column: str) -> np.ndarray:
    return (table[column] / table["inflation_index"]).to_numpy()


def lcoe(table: pd.DataFrame, discount_rate_real: float) -> float | None:
    """Real levelised cost of on-site supply from a cash-flow table [VND/kWh].

    Generation costs (capex, O&M, replacements − salvage of PV and wind) over the on-site
    output delivered (generation − curtailment), both discounted at the real rate.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`cash_flow_table`.
    discount_rate_real : float
        Real discount rate [1/yr].

    Returns
    -------
    float or None
        LCOE [base-year VND/kWh]; None without on-site output.
    """
    return levelised_cost(_real(table, "generation_cost_vnd"), table["onsite_supply_kwh"],
                          discount_rate_real)


def lcos(table: pd.DataFrame, discount_rate_real: float) -> float | None:
    """Real levelised cost of storage from a cash-flow table [VND/kWh discharged].

    Storage costs (capex, O&M, cell replacements − salvage) over the energy discharged,
    discounted at the real rate; the cost of the charging energy is not included.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`cash_flow_table`.
    discount_rate_real : float
        Real discount rate [1/yr].

    Returns
    -------
    float or None
        LCOS [base-year VND/kWh]; None without discharge.
    """
    return levelised_cost(_real(table, "storage_cost_vnd"), table["battery_discharge_kwh"],
                          discount_rate_real)


@dataclass(frozen=True)
class AnnualCost:
    """Levelised yearly cost with the system against staying grid-only (real VND/yr).

    Each value is the present value (real rate) of its stream × crf(real rate, N); so
    ``saving = grid_only − system_total = NPV × crf``.

    Attributes
    ----------
    capital_vnd_per_yr : float
        Capex, replacements less salvage [VND/yr].
    om_vnd_per_yr : float
        Fixed O&M [VND/yr].
    grid_bill_vnd_per_yr : float
        Grid bill with the system [VND/yr].
    system_total_vnd_per_yr : float
        Sum of the three [VND/yr].
    grid_only_vnd_per_yr : float
        Grid bill without the system [VND/yr].
    saving_vnd_per_yr : float
        grid_only − system_total [VND/yr].
    """

    capital_vnd_per_yr: float
    om_vnd_per_yr: float
    grid_bill_vnd_per_yr: float
    system_total_vnd_per_yr: float
    grid_only_vnd_per_yr: float
    saving_vnd_per_yr: float


def total_annual_cost(table: pd.DataFrame, discount_rate_real: float) -> AnnualCost:
    """Levelised yearly cost of the system and of grid-only supply [real VND/yr].

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`cash_flow_table`.
    discount_rate_real : float
        Real discount rate [1/yr].

    Returns
    -------
    AnnualCost
    """
    n = len(table) - 1
    factor = crf(discount_rate_real, n)

    def level(values) -> float:
        return npv(discount_rate_real, values) * factor

    capital = level(_real(table, "capex_vnd") + _real(table, "replacement_vnd")
                    - _real(table, "salvage_vnd"))
    om = level(_real(table, "om_vnd"))
    bill = level(_real(table, "system_bill_vnd"))
    grid_only = level(_real(table, "grid_only_bill_vnd"))
    total = capital + om + bill
    return AnnualCost(capital_vnd_per_yr=capital, om_vnd_per_yr=om, grid_bill_vnd_per_yr=bill,
                      system_total_vnd_per_yr=total, grid_only_vnd_per_yr=grid_only,
                      saving_vnd_per_yr=grid_only - total)


@dataclass(frozen=True)
class EconomicsResult:
    """Headline economics of one park's system, from its cash-flow table.

    Attributes
    ----------
    npv_vnd : float
        Net present value against grid-only [VND] (nominal at nominal rate = real at real).
    irr_nominal, irr_real : float or None
        Internal rate of return [1/yr]; None when the flows never change sign.
    simple_payback_yr, discounted_payback_yr : float or None
        Years until the cumulative (nominal, resp. discounted) cash flow turns ≥ 0 [yr].
    lcoe_vnd_per_kwh : float or None
        Real LCOE of on-site supply [base-year VND/kWh].
    lcos_vnd_per_kwh : float or None
        Real LCOS of the battery [base-year VND/kWh discharged].
    capex_vnd : float
        Year-0 investment [VND].
    annual : AnnualCost
        Levelised yearly cost against grid-only [real VND/yr].
    discount_rate_real, discount_rate_nominal, inflation : float
        The rates used [1/yr].
    basis : str
        The conventions, in words.
    """

    npv_vnd: float
    irr_nominal: float | None
    irr_real: float | None
    simple_payback_yr: float | None
    discounted_payback_yr: float | None
    lcoe_vnd_per_kwh: float | None
    lcos_vnd_per_kwh: float | None
    capex_vnd: float
    annual: AnnualCost
    discount_rate_real: float
    discount_rate_nominal: float
    inflation: float
    basis: str


def evaluate(table: pd.DataFrame, *, discount_rate_real: float,
             inflation: float) -> EconomicsResult:
    """NPV, IRR, paybacks, LCOE, LCOS and levelised yearly cost of a cash-flow table.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`cash_flow_table` built with the same rates.
    discount_rate_real : float
        Real discount rate [1/yr].
    inflation : float
        General inflation [1/yr].

    Returns
    -------
    EconomicsResult
    """
    rate_nominal = nominal_rate(discount_rate_real, inflation)
    flows = table["net_cash_flow_vnd"].to_numpy()
    discounted = flows * discount_factors(rate_nominal, len(flows) - 1)
    irr_nom = irr(flows)
    return EconomicsResult(
        npv_vnd=npv(rate_nominal, flows), irr_nominal=irr_nom,
        irr_real=None if irr_nom is None else real_rate(irr_nom, inflation),
        simple_payback_yr=simple_payback(flows),
        discounted_payback_yr=simple_payback(discounted),
        lcoe_vnd_per_kwh=lcoe(table, discount_rate_real),
        lcos_vnd_per_kwh=lcos(table, discount_rate_real),
        capex_vnd=float(table["capex_vnd"].iloc[0]),
        annual=total_annual_cost(table, discount_rate_real),
        discount_rate_real=discount_rate_real, discount_rate_nominal=rate_nominal,
        inflation=inflation,
        basis=(f"base-year VND excl. VAT; real discount rate {discount_rate_real:.2%}, inflation "
               f"{inflation:.2%}, nominal rate {rate_nominal:.2%} (Fisher); NPV and IRR on "
               f"nominal flows; LCOE/LCOS real; payback on nominal undiscounted flows"))


