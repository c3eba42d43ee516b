"""Economics of on-site supply: annuities, a year-by-year cash flow, NPV, IRR, payback,
LCOE, LCOS and the CO2 a park avoids.

Money conventions (stated once, used everywhere)
------------------------------------------------
- Every input amount (capex, O&M, replacement, tariffs, export price) is in constant VND of
  the base year, excluding VAT (manufacturers reclaim it). Capex is paid in year 0.
- Operating years are t = 1..N. An amount of year t is its base amount escalated t times
  (REopt's convention: the year-1 bill already carries one year of escalation).
- Rates are given **real**; nominal ones follow by Fisher, exactly:
  ``1 + nominal = (1 + real) × (1 + inflation)``. The cash-flow table holds nominal VND
  (what is paid that year) and the inflation index to turn it into real VND.
  Nominal flows discounted at the nominal rate and real flows at the real rate give the
  same NPV; IRR is reported both ways.
- O&M and replacement costs keep their real value (they rise with inflation in nominal VND);
  the tariff moves with its own real escalation.
- LCOE (on-site supply) and LCOS (storage) are real: constant base-year VND/kWh, discounted
  at the real rate. LCOS excludes the cost of the charging energy (it is in the bill).
- Replacements (HOMER's rule): an asset of life L is bought again at L, 2L, … before the end
  of the analysis; a component with its own interval (inverters, battery cells) is replaced
  within each asset life; at the end each item's unused life is credited as salvage,
  linearly (remaining years / life × its cost).

CO2 is location-based: grid import × the average grid emission factor of the year
(emission_factors.csv). The official series' basis was not found (NF); energy_model assumes
it is the average factor. Exports earn no credit.

The package: :mod:`~energy_model.economics.costs` (cost table), :mod:`~.cashflow` (cash flow,
LCOE, LCOS, NPV/IRR summary), :mod:`~.emissions` (CO2), :mod:`~.contracts` (leases, PPAs and
DPPAs: each party's cash flow) and :mod:`~.market_price` (the spot price a virtual DPPA
settles against); the rate maths lives in
:mod:`energy_model.finance`. This module re-exports the names other modules import.
"""

from energy_model.economics.cashflow import (AnnualCost, AnnualResult, EconomicsResult,
                                             annual_result, cash_flow_table, evaluate,
                                             grid_bill_vnd, lcoe, lcos, replacement_schedule,
                                             total_annual_cost)
from energy_model.economics.costs import (COST_BASE_YEAR, MARKS, TABLE_COLUMNS, TECHNOLOGIES,
                                          TRACKER_ADDER_ROW, CostTable, TechnologyCost,
                                          load_cost_trajectories, load_costs,
                                          tracker_cost)
from energy_model.economics.emissions import (CO2_BASIS, DEFAULT_EMISSION_METHOD,
                                              EMISSION_FACTOR_METHODS, Co2Avoided,
                                              EmissionFactor, co2_avoided, emission_factor,
                                              grid_emission_factor, load_emission_factors,
                                              load_emission_trajectory)
from energy_model.finance import (annualised_capex, crf, discount_factors, irr,
                                  levelised_cost, nominal_rate, npv, real_rate, simple_payback)
from energy_model.paths import package_data

__all__ = [
    "COST_BASE_YEAR", "load_cost_trajectories", "AnnualCost", "AnnualResult", "CO2_BASIS", "Co2Avoided", "DEFAULT_EMISSION_METHOD",
    "EMISSION_FACTOR_METHODS", "EmissionFactor", "grid_emission_factor",
    "load_emission_trajectory", "CostTable", "EconomicsResult",
    "MARKS", "TABLE_COLUMNS", "TECHNOLOGIES", "TRACKER_ADDER_ROW", "TechnologyCost", "annual_result",
    "annualised_capex", "cash_flow_table", "co2_avoided", "crf", "discount_factors",
    "emission_factor", "evaluate", "grid_bill_vnd", "irr", "lcoe", "lcos", "levelised_cost",
    "load_costs", "tracker_cost", "load_emission_factors", "nominal_rate", "npv", "package_data", "real_rate",
    "replacement_schedule", "simple_payback", "total_annual_cost",
]
