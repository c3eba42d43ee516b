"""KKT assets behind meters that exist (issue 15, ``scenario.kkt_metering``).

``class_meters`` (default): a KKT's own load is split into customer classes
(:func:`energy_model.kkt_meters.split_kkt_load`: port, airport, hotels, trade and services,
factories), each behind its own EVN meter on its own tariff class and voltage.
:func:`meter_inputs` derives one :class:`ParkInputs` per class meter from the zone's
inputs: its hourly load, its tariff prices and capacity charge, its surplus price, and
its share ``s`` (its annual energy over the zone's) of every capacity limit (PV roof or
area limit ``max_kw``, fixed sizes, battery energy and power limits and fixed sizes),
of the import cap and of any off-site supply. Each meter is sized by its own LP;
:func:`combine_meters` sums them into the park's row and
hourly file, and the per-meter hourly files go to ``parks/<id>/<class>.csv``.

The split weights are the annual energies of the zone's components
(``load.components``, :func:`energy_model.demand.kkt_component_mwh`) where the scenario
gives them, else the classes' default shares (``kkt_meters.csv``); they are constant over
the year, so every class meter sees the zone's hourly shape scaled by its share.

``zone_substation_storage``: the zone is sized at one meter as before and its storage is
a utility asset at the zone substation
(:func:`~energy_model.pipeline.evaluate.zone_storage_credit`).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from energy_model import economics as ec
from energy_model import metrics as mt
from energy_model.demand import kkt_component_mwh
from energy_model.kkt_meters import component_weights, split_kkt_load
from energy_model.pipeline.assemble import surplus_price
from energy_model.pipeline.evaluate import (park_cut_columns, resilience_of, summary_row,
                                            zone_storage_credit)
from energy_model.pipeline.types import ParkInputs, ParkResult
from energy_model.scenario import Park, Scenario
from energy_model.sizing import SizingResult

__all__ = ["combine_meters", "combine_sizing", "meter_inputs", "meter_weights", "meters_apply",
           "zone_storage_credit"]

#: cash-flow columns that are the same for every meter (not summed)
SHARED_CASH_COLUMNS = ("inflation_index", "discount_factor")


def meters_apply(scenario: Scenario, park: Park) -> bool:
    """Whether a park is sized per class meter (a KKT under ``class_meters``)."""
    return park.kind == "KKT" and scenario.kkt_metering == "class_meters"


def meter_weights(park: Park) -> dict | None:
    """Class weights from the zone's component energies, or None (the default shares)."""
    comps = getattr(park.load, "components", None)
    if park.load.source != "kkt_components" or comps is None:
        return None
    mwh = kkt_component_mwh(comps)
    return component_weights(mwh) if sum(mwh.values()) > 0 else None


def _scaled(value, share: float):
    if value is None:
        return None
    return value * share if np.all(np.isfinite(value)) else value


def _meter_battery(battery, share: float):
    if battery is None:
        return None
    return dataclasses.replace(
        battery, max_kwh=_scaled(battery.max_kwh, share), max_kw=_scaled(battery.max_kw, share),
        fixed_kwh=_scaled(battery.fixed_kwh, share), fixed_kw=_scaled(battery.fixed_kw, share))


def meter_inputs(scenario: Scenario, zone: ParkInputs) -> dict[str, ParkInputs]:
    """One :class:`ParkInputs` per class meter of a KKT, derived from the zone's inputs.

    Parameters
    ----------
    scenario : Scenario
    zone : ParkInputs
        The zone's inputs (:func:`~energy_model.pipeline.assemble`), one zone meter.

    Returns
    -------
    dict of str to ParkInputs
        Class name → the meter's inputs (``meter`` set), classes with load only.
    """
    park = zone.park
    split = split_kkt_load(zone.load_kw, scenario.tariff.name, weights=meter_weights(park))
    total = float(zone.load_kw.sum())
    index = zone.load_kw.index
    out: dict[str, ParkInputs] = {}
    for name, m in split.items():
        s = float(m.load_kw.sum()) / total if total > 0 else 0.0
        cls = m.meter_class
        export_price, _ = surplus_price(index, m.tariff, cls.voltage, cls.customer,
                                        scenario.tariff.export.price_vnd_per_kwh)
        cap = np.where(np.isfinite(zone.import_cap_kw), zone.import_cap_kw * s, np.inf)
        grid = dataclasses.replace(
            zone.grid, import_price=m.price_vnd_per_kwh.to_numpy(dtype=float),
            export_price=export_price,
            capacity_charge_per_kw_month=m.capacity_charge_vnd_per_kw_month,
            import_cap_kw=cap)
        techs = [dataclasses.replace(t, max_kw=_scaled(t.max_kw, s),
                                     fixed_kw=_scaled(t.fixed_kw, s))
                 for t in zone.technologies]
        out[name] = dataclasses.replace(
            zone, load_kw=m.load_kw.rename("load_kw"), technologies=techs, grid=grid,
            battery=_meter_battery(zone.battery, s), import_cap_kw=cap,
            offsite_kw=None if zone.offsite_kw is None else zone.offsite_kw * s,
            tariff=m.tariff, customer=cls.customer, voltage=cls.voltage, meter=name,
            notes=[f"{park.id}/{name}: class meter, {100 * s:.1f} % of the zone load, "
                   f"{cls.customer} tariff {m.tariff} at {cls.voltage}; limits × {s:.3f}"])
    return out


def _sum_dicts(dicts) -> dict:
    out: dict = {}
    for d in dicts:
        for k, v in d.items():
            out[k] = out.get(k, 0.0) + float(v)
    return out


def combine_sizing(sizings: list[SizingResult]) -> SizingResult:
    """The meters' sizing results as one: dispatch columns, capacities, costs and solve
    times summed (a zone's battery is the sum of its meters' batteries)."""
    first = sizings[0]
    dispatch = sum((s.dispatch for s in sizings[1:]), first.dispatch.copy())
    c = [s.costs for s in sizings]
    costs = dataclasses.replace(
        first.costs, capex_annuity=_sum_dicts(x.capex_annuity for x in c),
        fixed_om=_sum_dicts(x.fixed_om for x in c),
        **{f: sum(getattr(x, f) for x in c)
           for f in ("energy", "capacity_charge", "export_revenue", "throughput", "co2",
                     "unmet") if hasattr(first.costs, f)})
    return dataclasses.replace(
        first, capacities=_sum_dicts(s.capacities for s in sizings), dispatch=dispatch,
        objective=sum(s.objective for s in sizings), costs=costs,
        grid_only_cost=sum(s.grid_only_cost for s in sizings),
        build_s=sum(s.build_s for s in sizings), solve_s=sum(s.solve_s for s in sizings),
        iterations=sum(s.iterations for s in sizings),
        path="+".join(dict.fromkeys(s.path for s in sizings)))


def _sum_cash_flows(tables: list[pd.DataFrame]) -> pd.DataFrame:
    first = tables[0]
    out = sum((t for t in tables[1:]), first.copy())
    for col in SHARED_CASH_COLUMNS:
        if col in first.columns:
            out[col] = first[col]
    out.attrs.update(first.attrs)
    return out


def combine_meters(scenario: Scenario, zone: ParkInputs, meters: dict[str, ParkResult]
                   ) -> ParkResult:
    """A KKT's result from its class meters' results: the park's summary row and hourly
    file are sums over the meters; NPV, IRR and payback come from the summed cash flow.

    Parameters
    ----------
    scenario : Scenario
    zone : ParkInputs
        The zone's inputs (its load, limits and import cap are the meters' sums).
    meters : dict of str to ParkResult
        Each class meter's evaluated result.

    Returns
    -------
    ParkResult
        With ``meters`` set; ``inputs`` is the zone's.
    """
    econ = scenario.economics
    sizing = combine_sizing([m.sizing for m in meters.values()])
    d = sizing.dispatch
    cap = np.where(np.isfinite(zone.import_cap_kw), zone.import_cap_kw, np.nan)
    metrics = mt.park_metrics(d, evening_share=zone.evening_share,
                              import_cap_kw=None if np.all(np.isnan(cap)) else cap,
                              battery_kwh=sizing.capacities.get("battery_kwh") or None,
                              what=zone.park.id)
    table = _sum_cash_flows([m.cash_flow for m in meters.values()])
    result = ec.evaluate(table, discount_rate_real=econ.discount_rate_real,
                         inflation=econ.inflation)
    co2 = ec.co2_avoided(float(d["load_kw"].sum()), float(d["grid_import_kw"].sum()),
                         scenario.year)
    res = resilience_of(zone, sizing)
    row = summary_row(scenario, zone, sizing, metrics, result, co2, res)
    row.update(park_cut_columns(zone.park.id, d, scenario.timezone))
    row["meters"] = " ".join(meters)
    return ParkResult(inputs=zone, sizing=sizing, metrics=metrics, economics=result,
                      cash_flow=table, co2=co2, resilience=res, row=row, meters=dict(meters))
