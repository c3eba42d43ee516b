"""Evaluate a sized park (:func:`evaluate`): grid metrics, MW-cut coverage, blackout
resilience, cash flow, economics, CO2 and the park's summary row; :func:`province_row`
sums the parks.

Shortages are MW cuts with the grid up (issue 15): each park's ``cut_*`` columns read the
shipped schedule ``june_2023_share`` (12.7 % of the park's load cut 13:00–17:00 on 6 June,
the Sông Khoai share of 6/6/2023) applied to the park alone; the province-wide 51.2 MW cut
is in ``grid/cuts.csv``. A blackout is a separate metric: ``blackout_*`` columns give the
critical load served through a multi-day grid-down outage (:data:`BLACKOUT_HOURS`, typhoon
Yagi style) starting at every hour of the year.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from energy_model import economics as ec
from energy_model import metrics as mt
from energy_model import tariff as tf
from energy_model.economics import Co2Avoided, EconomicsResult
from energy_model.errors import EnergyModelError
from energy_model.metrics import ParkMetrics, ProvinceAggregate, ResilienceResult
from energy_model.pipeline.assemble import cost_table
from energy_model.pipeline.contracts import park_contracts
from energy_model.pipeline.offsite import offsite_summary
from energy_model.pipeline.redispatch import redispatch
from energy_model.pipeline.types import ParkInputs, ParkResult
from energy_model.scenario import Scenario
from energy_model.finance import life_mean_factor
from energy_model.sizing import SizingResult

#: length of the blackout of the resilience metric [h]: a multi-day grid-down outage as in
#: typhoon Yagi (Sept 2024: > 95 % of Quảng Ninh without power, S); its length is E (NF)
BLACKOUT_HOURS = 72
#: cut schedule of the summary's per-park cut columns (applied to the park alone)
PARK_CUT_SCHEDULE = "june_2023_share"


def cost_capacities(inputs: ParkInputs, sizing: SizingResult) -> dict[str, float]:
    """Built capacity by cost-table technology [kW, kWh], as the LP costed it.

    Each technology is costed by its ``inputs.cost_names`` row (the one the LP's capex
    came from), so a park with farms of different turbine sizes is costed alike in the LP
    and in the cash flow.
    """
    caps = sizing.capacities
    out: dict[str, float] = {}
    for t in inputs.technologies:
        name = inputs.cost_names[t.name]
        out[name] = out.get(name, 0.0) + caps.get(f"{t.name}_kw", 0.0)
    out["battery_energy"] = caps.get("battery_kwh", 0.0)
    out["battery_power"] = caps.get("battery_kw", 0.0)
    return out


def _hourly(values, index: pd.DatetimeIndex) -> pd.Series:
    return pd.Series(np.broadcast_to(np.asarray(values, float), len(index)), index=index)


def resilience_of(inputs: ParkInputs, sizing: SizingResult) -> ResilienceResult | None:
    """Blackout resilience: a :data:`BLACKOUT_HOURS` outage starting at every hour."""
    d, caps = sizing.dispatch, sizing.capacities
    if len(d) <= BLACKOUT_HOURS or inputs.park.load.critical_share <= 0:
        return None
    try:
        return mt.resilience(d, BLACKOUT_HOURS, inputs.park.load.critical_share,
                             caps.get("battery_kwh", 0.0), caps.get("battery_kw", 0.0))
    except EnergyModelError:
        return None


def zone_storage_credit(scenario: Scenario, battery_kw: float, battery_kwh: float,
                        soc_min: float, window_h: float) -> tuple[float, float]:
    """Utility value of zone-substation storage (``kkt_metering: zone_substation_storage``).

    The storage is credited per kW of *firm evening discharge capability*: the power it
    can hold through the whole evening window of the tariff frame in force,
    ``firm_kw = min(battery_kw, (1 − soc_min) × battery_kwh / window_h)``, valued at
    ``scenario.kkt_zone_storage_value_vnd_per_kw_month`` × 12 months each year:
    ``credit = firm_kw × value × 12`` [VND/yr]. The credit is added to the zone's annual
    saving in its cash flow (the LP sizes the zone storage as before, at the zone meter).

    Returns
    -------
    (float, float)
        Firm evening capability [kW] and the annual credit [VND/yr].
    """
    if window_h <= 0 or battery_kw <= 0 or battery_kwh <= 0:
        return 0.0, 0.0
    firm = min(battery_kw, (1.0 - soc_min) * battery_kwh / window_h)
    return firm, firm * scenario.kkt_zone_storage_value_vnd_per_kw_month * 12.0


def zone_storage_columns(scenario: Scenario, inputs: ParkInputs, sizing: SizingResult,
                         annual):
    """The annual result with the zone-substation storage credit (a KKT under
    ``kkt_metering: zone_substation_storage``) taken off its bill, scaled to the dispatch
    horizon, and the summary columns ``zone_storage_firm_mw`` and
    ``zone_storage_credit_billion_vnd`` [per year]; unchanged and no columns otherwise."""
    if inputs.park.kind != "KKT" or scenario.kkt_metering != "zone_substation_storage":
        return annual, {}
    caps, d = sizing.capacities, sizing.dispatch
    start, end = tf.evening_window(scenario.tariff.name)
    soc_min = inputs.battery.soc_min if inputs.battery is not None else 0.0
    firm, credit = zone_storage_credit(scenario, caps.get("battery_kw", 0.0),
                                       caps.get("battery_kwh", 0.0), soc_min, end - start)
    horizon = len(d) * mt.step_hours(d.index) / 8760.0
    annual = dataclasses.replace(annual, system_bill_vnd=annual.system_bill_vnd
                                 - credit * horizon)
    return annual, {"zone_storage_firm_mw": firm / 1000,
                    "zone_storage_credit_billion_vnd": credit / 1e9}


def park_cut_columns(park_id: str, dispatch: pd.DataFrame, tz: str) -> dict:
    """``cut_mwh``, ``cut_covered_mwh``, ``cut_shed_mwh`` and ``cut_covered_pct`` of one
    park under :data:`PARK_CUT_SCHEDULE` (MW cut with the grid up; NaN % without a cut)."""
    schedules, _ = mt.load_cut_schedules()
    res = mt.shortage_cuts({park_id: dispatch}, schedules[PARK_CUT_SCHEDULE], tz=tz)
    return {"cut_mwh": res.cut_mwh, "cut_covered_mwh": res.covered_mwh,
            "cut_shed_mwh": res.shed_mwh,
            "cut_covered_pct": 100 * res.covered_mwh / res.cut_mwh if res.cut_mwh > 0 else np.nan}


def annual_of(scenario: Scenario, inputs: ParkInputs, sizing: SizingResult,
              pv_output_factor: float = 1.0) -> tuple[ec.AnnualResult, dict]:
    """The bill and energies of a dispatch (:func:`energy_model.economics.annual_result`)
    with the zone-storage credit, and the zone-storage summary columns."""
    d = sizing.dispatch
    annual = ec.annual_result(
        d, _hourly(inputs.grid.import_price, d.index), _hourly(inputs.grid.export_price, d.index),
        capacity_charge_vnd_per_kw_month=tf.capacity_charge(
            inputs.tariff or scenario.tariff.name, inputs.voltage or inputs.park.grid.voltage),
        pv_output_factor=pv_output_factor)
    return zone_storage_columns(scenario, inputs, sizing, annual)


def milestone_cash_flow(scenario: Scenario, inputs: ParkInputs, sizing: SizingResult,
                        years=None, extra_growth: float = 0.0,
                        cache: dict | None = None, year_one=None) -> pd.DataFrame:
    """Cash-flow table of a sized design re-dispatched in milestone years
    (:func:`energy_model.pipeline.redispatch.redispatch`; ``years`` default
    ``economics.redispatch_years``), linear between them and flat after the last.

    Parameters
    ----------
    scenario : Scenario
    inputs : ParkInputs
    sizing : SizingResult
    years : iterable of int, optional
        Milestone calendar years (the scenario year is always one).
    extra_growth : float
        Extra yearly load growth on top of the projection [1/yr].
    cache : dict, optional
        Load ratios and dispatches already computed
        (:func:`~energy_model.pipeline.redispatch.redispatch`).
    year_one : (ParkInputs, SizingResult), optional
        Stands in for the scenario year's dispatch (only for NPV differences between
        growth cases; see :func:`~energy_model.pipeline.redispatch.redispatch`).

    Returns
    -------
    pandas.DataFrame
        :func:`energy_model.economics.cash_flow_table` [nominal VND, kWh].
    """
    econ = scenario.economics
    costs = cost_table(scenario)
    given = {t: annual_of(scenario, m_inputs, m_sizing)[0] for t, (m_inputs, m_sizing)
             in redispatch(scenario, inputs, sizing, years, extra_growth, cache,
                           year_one).items()}
    return ec.cash_flow_table(cost_capacities(inputs, sizing), costs, given,
                              tariff_escalation_real=econ.tariff_escalation_real,
                              degradation=costs.pv_degradation, load_growth=0.0,
                              discount_rate_real=econ.discount_rate_real,
                              inflation=econ.inflation, life=econ.lifetime_years,
                              between="interpolate")


def evaluate(scenario: Scenario, inputs: ParkInputs, sizing: SizingResult) -> ParkResult:
    """Grid metrics, resilience, cash flows, economics and CO2 of a sized park.

    Parameters
    ----------
    scenario : Scenario
    inputs : ParkInputs
        The inputs the park was solved with (after any
        :func:`~energy_model.pipeline.apply_changes`).
    sizing : SizingResult
        From :func:`~energy_model.pipeline.solve`.

    Returns
    -------
    ParkResult
    """
    park, econ = inputs.park, scenario.economics
    d = sizing.dispatch
    cap = np.where(np.isfinite(inputs.import_cap_kw), inputs.import_cap_kw, np.nan)
    m = mt.park_metrics(d, evening_share=inputs.evening_share,
                        import_cap_kw=None if np.all(np.isnan(cap)) else cap,
                        battery_kwh=sizing.capacities.get("battery_kwh") or None, what=park.id)
    costs = cost_table(scenario)
    annual, zone_cols = annual_of(scenario, inputs, sizing,
                                  life_mean_factor(costs.pv_degradation, econ.lifetime_years))
    if econ.redispatch_years:  # issue 17: cash flows re-dispatched in milestone years
        table = milestone_cash_flow(scenario, inputs, sizing)
    else:
        table = ec.cash_flow_table(cost_capacities(inputs, sizing), costs, annual,
                                   tariff_escalation_real=econ.tariff_escalation_real,
                                   degradation=costs.pv_degradation, load_growth=0.0,
                                   discount_rate_real=econ.discount_rate_real,
                                   inflation=econ.inflation, life=econ.lifetime_years)
    result = ec.evaluate(table, discount_rate_real=econ.discount_rate_real,
                         inflation=econ.inflation)
    co2 = ec.co2_avoided(float(d["load_kw"].sum()), float(d["grid_import_kw"].sum()),
                         scenario.year, method=econ.emission_factor_method)
    res = resilience_of(inputs, sizing)
    row = summary_row(scenario, inputs, sizing, m, result, co2, res)
    row.update(park_cut_columns(park.id, d, scenario.timezone))
    row.update(zone_cols)
    return ParkResult(inputs=inputs, sizing=sizing, metrics=m, economics=result,
                      cash_flow=table, co2=co2, resilience=res, row=row,
                      contracts=park_contracts(scenario, inputs, sizing, costs))


def import_cap_basis(park, mode: str) -> str:
    """Where a park's import cap comes from (the order of :func:`assemble.import_cap_series`):
    ``explicit``, ``substation`` (a known rating), ``grid_only_peak`` or ``none``."""
    g = park.grid
    if g.import_cap_kw is not None:
        return "explicit"
    if mode == "none":
        return "none"
    return "grid_only_peak" if g.substation_mva is None and g.firm_mva is None else "substation"


def _get(obj, name, default=np.nan):
    v = getattr(obj, name, default) if obj is not None else default
    return default if v is None else v


def _capacity_columns(inputs: ParkInputs, caps: dict) -> dict:
    pv_by_kind = {"rooftop": 0.0, "ground": 0.0, "floating": 0.0}
    wind_kw = 0.0
    for t in inputs.technologies:
        kw = caps.get(f"{t.name}_kw", 0.0)
        if t.kind == "wind":
            wind_kw += kw
        else:
            pv_by_kind[t.kind] += kw
    return {"pv_rooftop_mwp": pv_by_kind["rooftop"] / 1000,
            "pv_ground_mwp": pv_by_kind["ground"] / 1000,
            "pv_floating_mwp": pv_by_kind["floating"] / 1000,
            "pv_mwp": sum(pv_by_kind.values()) / 1000,
            "wind_mw": wind_kw / 1000,
            "battery_mwh": caps.get("battery_kwh", 0.0) / 1000,
            "battery_mw": caps.get("battery_kw", 0.0) / 1000}


def pv_at_limit_kw(inputs: ParkInputs, caps: dict, rel: float = 1e-6) -> float:
    """PV capacity sitting at its roof, area or ``max_kwp`` limit [kWp]."""
    return float(sum(caps.get(f"{t.name}_kw", 0.0) for t in inputs.technologies
                     if t.kind != "wind" and np.isfinite(t.max_kw) and t.max_kw > 0
                     and caps.get(f"{t.name}_kw", 0.0) >= t.max_kw * (1 - rel)))


def name_verified(park) -> bool:
    """False where the park's name is marked an estimate (E/NF) or 'unverified'."""
    src = park.sources.get("name")
    return not (src is not None and (src.mark in ("E", "NF") or "unverified" in src.source))


def _park_columns(inputs: ParkInputs, caps: dict) -> dict:
    park = inputs.park
    return {"substation": park.grid.substation or "", "status": park.status,
            "name_verified": name_verified(park),
            "pv_at_limit_mwp": pv_at_limit_kw(inputs, caps) / 1000}


def _energy_columns(sizing: SizingResult) -> dict:
    d = sizing.dispatch
    return {"pv_gwh": float(d.get("pv_kw", pd.Series(0.0)).sum()) / 1e6,
            "wind_gwh": float(d.get("wind_kw", pd.Series(0.0)).sum()) / 1e6,
            "curtailment_gwh": float(d["curtailment_kw"].sum()) / 1e6,
            "battery_discharge_gwh": float(d["battery_discharge_kw"].sum()) / 1e6,
            "grid_import_gwh": float(d["grid_import_kw"].sum()) / 1e6,
            "grid_export_gwh": float(d["grid_export_kw"].sum()) / 1e6,
            "unmet_mwh": float(d["unmet_kw"].sum()) / 1e3}


def summary_row(scenario: Scenario, inputs: ParkInputs, sizing: SizingResult, m: ParkMetrics,
                econ: EconomicsResult, co2: Co2Avoided, res: ResilienceResult | None) -> dict:
    """One row of ``summary.csv``; units in the column names."""
    park = inputs.park
    # LP round-off can leave -1e-9; capacities are physically ≥ 0
    caps = {k: max(0.0, float(v)) for k, v in sizing.capacities.items()}
    finite_cap = np.isfinite(inputs.import_cap_kw)
    return {
        "park_id": park.id, "name": park.name, "kind": park.kind,
        "lat": park.location.lat, "lon": park.location.lon,
        "heritage_buffer": park.heritage_buffer, "weather": inputs.station,
        **_park_columns(inputs, caps),
        "load_gwh": float(_get(m.flows, "load_kwh")) / 1e6,
        "peak_load_mw": float(inputs.load_kw.max()) / 1000,
        **_capacity_columns(inputs, caps),
        **_energy_columns(sizing),
        "self_sufficiency_pct": 100 * m.self_sufficiency,
        "self_consumption_pct": (100 * m.self_consumption if np.isfinite(m.self_consumption)
                                 else np.nan),
        "peak_import_before_mw": m.peak_import_before_kw / 1000,
        "peak_import_after_mw": m.peak_import_after_kw / 1000,
        "evening_import_before_gwh": _get(m, "evening_import_before_kwh") / 1e6,
        "evening_import_after_gwh": _get(m, "evening_import_after_kwh") / 1e6,
        "import_cap_mw": (float(np.nanmin(np.where(finite_cap, inputs.import_cap_kw,
                                                   np.nan))) / 1000
                          if finite_cap.any() else np.nan),
        "hours_at_cap_h": _get(m, "hours_at_import_cap_h"),
        # 'grid_only_peak': the cap is the park's own grid-only peak (no substation rating
        # known), so hours at the cap say nothing about the grid's headroom
        "import_cap_basis": import_cap_basis(park, scenario.sizing.import_cap),
        "annual_cost_billion_vnd": sizing.objective / 1e9,
        "grid_only_cost_billion_vnd": sizing.grid_only_cost / 1e9,
        "annual_saving_billion_vnd": (sizing.grid_only_cost - sizing.objective) / 1e9,
        "capex_billion_vnd": econ.capex_vnd / 1e9,
        "npv_billion_vnd": econ.npv_vnd / 1e9,
        "irr_real_pct": 100 * econ.irr_real if econ.irr_real is not None else np.nan,
        "payback_yr": _get(econ, "simple_payback_yr"),
        "lcoe_vnd_per_kwh": _get(econ, "lcoe_vnd_per_kwh"),
        "lcos_vnd_per_kwh": _get(econ, "lcos_vnd_per_kwh"),
        "co2_avoided_kt": _get(co2, "co2_avoided_t", np.nan) / 1000,
        # the June 2023 cut as a 13:00–17:00 blackout is gone (it was MW cuts with the grid
        # up: cut_* columns); kept empty until the report stops reading it
        "blackout_critical_served_pct": 100 * _get(res, "critical_served_share"),
        "blackout_hours_survived_p10_h": _get(res, "hours_survived_percentile_h"),
        # issue 18: off-site (DPPA) farms, reported, never on-site supply
        **offsite_summary(inputs, sizing.dispatch["grid_import_kw"].to_numpy(float)),
        "solve_path": sizing.path,  # solve time is in run.json: summary.csv is byte-reproducible
    }


def _peak_hours(dispatches: dict[str, pd.DataFrame]) -> tuple[str, str]:
    """ISO hours of the grid-only provincial peak and of the import peak after."""
    r = mt.relief_at_peak_hour(dispatches)
    return r.peak_hour.isoformat(), r.peak_after_hour.isoformat()


def province_row(rows: list[dict], parks: dict[str, ParkResult]
                 ) -> tuple[dict, ProvinceAggregate]:
    """The PROVINCE row (sums, coincident peak import before and after) and the aggregate.

    Parameters
    ----------
    rows : list of dict
        The parks' summary rows.
    parks : dict of str to ParkResult

    Returns
    -------
    row : dict
    aggregate : ProvinceAggregate
    """
    df = pd.DataFrame(rows)
    out = {"park_id": "PROVINCE", "name": "Tỉnh Quảng Ninh (tổng)", "kind": "ALL"}
    for c in df.columns:
        if c.endswith(("_gwh", "_mwh", "_mwp", "_mw", "_billion_vnd", "_kt")) and \
                not c.startswith(("peak_", "import_cap")):
            out[c] = float(df[c].sum())
    dispatches = {k: v.sizing.dispatch for k, v in parks.items()}
    prices = {k: pd.Series(np.asarray(v.inputs.grid.import_price, float),
                           index=v.sizing.dispatch.index) for k, v in parks.items()}
    first = next(iter(parks.values()))
    agg = mt.province_aggregate(dispatches, import_price_vnd_per_kwh=prices,
                                emission_factor_t_per_mwh=first.inputs.grid.emission_factor_t_per_mwh,
                                export_price_vnd_per_kwh=first.inputs.grid.export_price,
                                evening_share=first.inputs.evening_share)
    # peak to peak compares two hours: kept only with both hours named
    out["peak_import_before_mw"] = agg.coincident_peak_import_before_mw
    out["peak_import_after_mw"] = agg.coincident_peak_import_after_mw
    out["peak_import_before_hour"], out["peak_import_after_hour"] = _peak_hours(dispatches)
    out["cut_covered_pct"] = (100 * out["cut_covered_mwh"] / out["cut_mwh"]
                              if out.get("cut_mwh", 0) > 0 else np.nan)
    out["peak_load_mw"] = agg.coincident_peak_import_before_mw
    load = df["load_gwh"].sum()
    out["self_sufficiency_pct"] = 100 * (1 - df["grid_import_gwh"].sum() / load) if load else np.nan
    return out, agg
