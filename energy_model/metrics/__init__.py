"""Grid and resilience metrics of an hourly park dispatch, and the province aggregate.

Input: a *dispatch*, an hourly DataFrame labelled at interval start with the columns of
:data:`DISPATCH_COLUMNS` [kW, and kWh for the state of charge]. Its energy balance is

    load = pv + wind − curtailment + battery_discharge − battery_charge
           + grid_import − grid_export + unmet

where ``pv_kw`` and ``wind_kw`` are the *available* output and ``curtailment_kw`` what was
thrown away. Energy is power × step length (1 h), never a bare sum. The grid-only case of a
park is the dispatch of :func:`grid_only_dispatch` (import = load).

``battery_soc_kwh`` is the energy stored at the **start** of each hour, as the sizing LP
writes it (:mod:`energy_model.sizing.result`): an outage beginning at hour ``t`` starts from
the value of hour ``t``.

Definitions (Luthander et al. 2015, *Applied Energy* 142, 80–94; the autarky and
self-consumption rates of HOMER/REopt-style reports):

- self-sufficiency = (load − grid import − unmet) / load: the share of the load not bought
  from the grid (and not shed). Grid-charged battery losses lower it; a battery that only
  does tariff arbitrage makes it slightly negative, which is the truth, not a bug.
- self-consumption = (pv + wind − curtailment − grid export) / (pv + wind): the share of the
  available on-site generation used on site (directly or through the battery). Curtailed
  energy counts as not consumed.

Grid-pressure metrics (the section at the end; definitions in README, "Grid-pressure
metrics: glossary") take the per-park dispatches of a run and always compare before and
after at the same hours: :func:`evening_firm_contribution` (top-N provincial hours of the
evening window of the tariff frame in force), :func:`relief_at_peak_hour`,
:func:`substation_groups` (N-1 headroom unknown where the rating is NF),
:func:`reverse_flow`, :func:`shortage_cuts` (MW cuts with the grid up; blackouts stay with
:func:`resilience`) and :func:`grid_pressure_headline` (one flat row per run).
"""

from energy_model.balance import BALANCE_RTOL, DISPATCH_COLUMNS
from energy_model.metrics.checks import (
    PRESSURE_COLUMNS,
    align_hourly,
    balance_residual_kw,
    check_dispatch,
    grid_only_dispatch,
    step_hours,
)
from energy_model.metrics.park import (
    EnergyFlows,
    ParkMetrics,
    energy_flows,
    park_metrics,
    self_consumption,
    self_sufficiency,
)
from energy_model.metrics.resilience import (
    JUNE_2023_BASIS,
    JUNE_2023_CUTS,
    RESILIENCE_BASIS,
    ResilienceResult,
    june_2023_cuts,
    resilience,
    rotating_cut_schedule,
)
from energy_model.metrics.province import (
    ProvinceAggregate,
    province_aggregate,
)
from energy_model.metrics.grid_pressure import (
    EVENING_TOP_N,
    EveningFirmContribution,
    PeakRelief,
    RATING_NF,
    ReverseFlow,
    evening_firm_contribution,
    grid_pressure_headline,
    relief_at_peak_hour,
    reverse_flow,
    substation_groups,
)
from energy_model.metrics.cuts import (
    Cut,
    ShortageCutResult,
    load_cut_schedules,
    shortage_cuts,
)

__all__ = [
    "BALANCE_RTOL",
    "DISPATCH_COLUMNS",
    "PRESSURE_COLUMNS",
    "align_hourly",
    "balance_residual_kw",
    "check_dispatch",
    "grid_only_dispatch",
    "step_hours",
    "EnergyFlows",
    "ParkMetrics",
    "energy_flows",
    "park_metrics",
    "self_consumption",
    "self_sufficiency",
    "JUNE_2023_BASIS",
    "JUNE_2023_CUTS",
    "RESILIENCE_BASIS",
    "ResilienceResult",
    "june_2023_cuts",
    "resilience",
    "rotating_cut_schedule",
    "ProvinceAggregate",
    "province_aggregate",
    "EVENING_TOP_N",
    "EveningFirmContribution",
    "PeakRelief",
    "RATING_NF",
    "ReverseFlow",
    "evening_firm_contribution",
    "grid_pressure_headline",
    "relief_at_peak_hour",
    "reverse_flow",
    "substation_groups",
    "Cut",
    "ShortageCutResult",
    "load_cut_schedules",
    "shortage_cuts",
]
