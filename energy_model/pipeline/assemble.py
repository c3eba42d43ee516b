"""Resolve one park's scenario fields into the sizing LP's inputs (:func:`assemble`).

weather → load (projection), PV and wind per-kW profiles, costs (with the scenario's
overrides), battery, tariff prices, import cap and export rules → :class:`ParkInputs`.
"""

from __future__ import annotations

import dataclasses
import zlib

import numpy as np
import pandas as pd

from energy_model import demand as load_mod
from energy_model import tariff as tariff_mod
from energy_model.economics import (TRACKER_ADDER_ROW, CostTable, TechnologyCost,
                                    grid_emission_factor, load_costs, tracker_cost)
from energy_model.errors import ScenarioError
from energy_model.finance import effective_capex
from energy_model.pipeline.offsite import offsite_supply
from energy_model.pipeline.types import ParkInputs
from energy_model.rules_in_force import billing_tariff
from energy_model.pipeline.weather import park_weather_key
from energy_model.scenario import Park, Scenario
from energy_model.sizing import Battery, Finance, Grid, Policy, Technology
from energy_model.solar import pv_profiles_per_kwp
from energy_model.wind import farm_capacity_kw, farm_turbine, wind_profiles_per_kw

#: technology names of energy_model/data/costs.csv by PV array kind
PV_COST_NAME = {"rooftop": "pv_rooftop", "ground": "pv_ground", "floating": "pv_floating"}
#: turbines at or below this nominal power take the small-turbine costs [kW]
SMALL_TURBINE_KW = 1000.0


def wind_cost_name(nominal_kw: float) -> str:
    """Cost-table technology of a wind farm by its turbines' nominal power.

    Parameters
    ----------
    nominal_kw : float
        Nominal power of one turbine [kW].

    Returns
    -------
    str
        ``wind_small`` at or below :data:`SMALL_TURBINE_KW`, else ``wind_medium``.
    """
    return "wind_small" if nominal_kw <= SMALL_TURBINE_KW else "wind_medium"


def pv_cost_name(array) -> str:
    """Cost-table technology of a PV array: by its kind (:data:`PV_COST_NAME`); a
    single-axis tracker is priced as ``pv_ground_tracker`` (pv_ground plus the tracker
    adder, costs.csv, E)."""
    return "pv_ground_tracker" if array.tracking == "single_axis" else PV_COST_NAME[array.kind]


def cost_year(scenario: Scenario) -> int:
    """Year whose installed costs the run uses: ``economics.cost_year``, else the
    scenario year."""
    y = scenario.economics.cost_year
    return scenario.year if y is None else y


def cost_table(scenario: Scenario) -> CostTable:
    """The cost table of the scenario's year (data/cost_trajectories.csv) with the
    scenario's ``costs:`` overrides applied (overrides win).

    Raises
    ------
    ScenarioError
        For an override of an unknown technology.
    """
    table = load_costs(year=cost_year(scenario))  # issue 17: the milestone year's costs
    techs = dict(table.technologies)
    for name, o in scenario.costs.items():
        if name not in techs:
            raise ScenarioError(f"costs.{name}: unknown technology; known: "
                                f"{', '.join(sorted(techs))}")
        upd = {}
        if o.capex_vnd_per_kw is not None or o.capex_vnd_per_kwh is not None:
            upd["capex_vnd_per_unit"] = (o.capex_vnd_per_kw if o.capex_vnd_per_kw is not None
                                         else o.capex_vnd_per_kwh)
        if o.fixed_om_vnd_per_kw_yr is not None or o.fixed_om_vnd_per_kwh_yr is not None:
            upd["fixed_om_vnd_per_unit_yr"] = (o.fixed_om_vnd_per_kw_yr if o.fixed_om_vnd_per_kw_yr
                                               is not None else o.fixed_om_vnd_per_kwh_yr)
        if o.life_years is not None:
            upd["life_yr"] = o.life_years
        techs[name] = dataclasses.replace(techs[name], **upd)
    if (table.rows["name"] == TRACKER_ADDER_ROW).any():  # issue 20: single-axis trackers
        techs["pv_ground_tracker"] = tracker_cost(techs["pv_ground"], table.rows)
    return dataclasses.replace(table, technologies=techs)


def _localise(t, tz) -> pd.Timestamp:
    t = pd.Timestamp(t)
    return t.tz_localize(tz) if t.tzinfo is None else t


def import_cap_series(park: Park, index: pd.DatetimeIndex, mode: str,
                      grid_only_peak_kw: float) -> tuple[np.ndarray, str]:
    """Hourly import cap [kW] of a park and a note on how it was set.

    Order: an explicit ``grid.import_cap_kw``; the substation's firm (N-1) capacity × power
    factor; its nameplate × power factor; and where no rating is known, the grid-only peak
    load: the connection is taken to be sized for today's peak and no more, so on-site
    storage may not raise the park's import above it (no new stress on the grid).

    Parameters
    ----------
    park : Park
    index : pandas.DatetimeIndex
        Hours of the simulated year.
    mode : str
        ``sizing.import_cap``: ``firm``, ``nameplate`` or ``none``.
    grid_only_peak_kw : float
        Peak load without on-site supply [kW].
    """
    g = park.grid
    cap = np.inf
    note = "no import cap (sizing.import_cap = none)"
    if mode != "none" and g.substation_mva is None and g.firm_mva is None:
        cap = grid_only_peak_kw
        note = (f"import cap = grid-only peak {cap / 1000:,.1f} MW (substation rating not "
                "found; the connection is assumed sized for today's peak)")
    if g.import_cap_kw is not None:
        cap, note = g.import_cap_kw, f"explicit import cap {g.import_cap_kw:,.0f} kW"
    elif mode == "firm" and g.firm_kva is not None:
        cap = g.firm_kva * g.power_factor
        note = (f"firm (N-1) {g.firm_kva / 1000:,.1f} MVA × pf {g.power_factor} = "
                f"{cap / 1000:,.1f} MW")
    elif mode in ("firm", "nameplate") and g.substation_mva is not None:
        cap = g.substation_mva * 1000 * g.power_factor
        note = (f"nameplate {g.substation_mva} MVA × pf {g.power_factor} = {cap / 1000:,.1f} MW"
                + (" (no N-1 margin: single transformer or count unknown)"
                   if mode == "firm" else ""))
    caps = np.full(len(index), cap, dtype=float)
    for w in g.cap_windows:
        mask = (index >= _localise(w.start, index.tz)) & (index < _localise(w.end, index.tz))
        if w.hours is not None:
            mask &= np.isin(index.hour, w.hours)
        caps[mask] = np.minimum(caps[mask], w.cap_kw)
    return caps, note


def resolve_pv_arrays(park: Park, scenario: Scenario, occupied_ha: float) -> tuple[list, list[str]]:
    """PV arrays with their capacity limits, and notes.

    A rooftop array without a limit gets the roof area of the occupied land of the
    simulated year.

    Parameters
    ----------
    park : Park
    scenario : Scenario
    occupied_ha : float
        Occupied land of the simulated year [ha].
    """
    arrays, notes = [], []
    for a in (a for a in park.pv if not a.offsite):  # an off-site farm is DPPA supply
        if a.kind == "rooftop" and a.capacity_limit_kwp() is None and a.fixed_kwp is None:
            area = load_mod.rooftop_area_m2(occupied_ha, potential=scenario.pv.roof_potential,
                                            case=scenario.pv.roof_case)
            a = a.model_copy(update={"usable_area_m2": area})
            notes.append(f"{park.id}.{a.name}: {scenario.pv.roof_potential} roof area "
                         f"{area / 1e4:,.1f} ha from "
                         f"{occupied_ha:,.1f} ha occupied in {scenario.year} → "
                         f"{a.capacity_limit_kwp() / 1000:,.1f} MWp limit")
        arrays.append(a)
    return arrays, notes


def occupied_ha(scenario: Scenario, park: Park) -> float:
    """Occupied land of an industrial park (KCN) in the simulated year [ha]; 0 otherwise."""
    if park.kind != "KCN":
        return 0.0
    return load_mod.occupied_area_ha(park.load, park.area_ha, park.occupancy,
                                     park.occupancy_year, scenario.year, scenario.load_case)


def surplus_price(index: pd.DatetimeIndex, tariff: str, voltage: str, customer: str,
                  price_vnd_per_kwh: float) -> tuple[np.ndarray, int]:
    """Hourly price of exported surplus [VND/kWh], and the number of hours it was capped.

    Decree 135/2024 pays the previous year's average market price (1,426.6 VND/kWh in 2025,
    S2), which is above EVN's off-peak retail price (e.g. 1,190 VND/kWh at 22–110 kV under
    QĐ 1279). If export paid more than import in an hour, an LP would buy and sell at once.
    The surplus is what the park does not use, so in such hours it is valued at the retail
    price less 1 VND/kWh: selling never beats using or storing it. Under the 2023 frame
    off-peak is at night and no hour is affected; under the 2026 frame (off-peak 00:00–06:00)
    only dawn hours with little PV are.
    """
    imp = tariff_mod.hourly_prices(index, tariff, voltage, customer).to_numpy(dtype=float)
    price = np.full(len(index), float(price_vnd_per_kwh))
    capped = price >= imp
    price[capped] = imp[capped] - 1.0
    return price, int(capped.sum())


def location(park: Park) -> dict:
    """The park's position as :func:`energy_model.solar.pv_profiles_per_kwp` takes it."""
    return {"latitude": park.location.lat, "longitude": park.location.lon,
            "altitude": park.location.altitude_m, "name": park.id}


def stable_hash(text: str) -> int:
    """A process-independent small hash of a text (seed offsets) [0, 100 000)."""
    return zlib.crc32(text.encode("utf-8")) % 100_000


def project_park_load(scenario: Scenario, park: Park, weather: pd.DataFrame) -> pd.Series:
    """Hourly load of a park in the simulated year [kW] on the weather's index."""
    load_kw = load_mod.project_load(
        park.load, kind=park.kind, area_ha=park.area_ha, occupancy=park.occupancy,
        occupancy_year=park.occupancy_year, industries=list(park.industries),
        year=scenario.year, temp_air=weather["temp_air"],
        seed=scenario.weather.seed + stable_hash(park.id), case=scenario.load_case,
        calibration=scenario.load_calibration, tz=scenario.timezone, name=park.id)
    return pd.Series(load_kw.to_numpy(), index=weather.index, name="load_kw")


def _technology(name: str, kind: str, profile, cost: TechnologyCost, rate: float, max_kw,
                fixed_kw, exportable: bool) -> Technology:
    return Technology(name=name, kind=kind, profile_per_kw=profile,
                      capex_per_kw=effective_capex(cost, rate),
                      fixed_om_per_kw_yr=cost.fixed_om_vnd_per_unit_yr, life_years=cost.life_yr,
                      max_kw=max_kw, fixed_kw=fixed_kw, exportable=exportable)


def _pv_profiles(scenario: Scenario, park: Park, weather: pd.DataFrame):
    arrays, notes = resolve_pv_arrays(park, scenario, occupied_ha(scenario, park))
    per_kwp = (pv_profiles_per_kwp(weather, location(park), arrays)
               if arrays else pd.DataFrame(index=weather.index))
    return arrays, notes, per_kwp


def _wind_profiles(park: Park, weather: pd.DataFrame):
    onsite = [f for f in park.wind if not f.offsite]
    return onsite, (wind_profiles_per_kw(weather, onsite) if onsite
                    else pd.DataFrame(index=weather.index))


def resource_profiles(scenario: Scenario, park: Park, weather: pd.DataFrame
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-unit output of a park's PV arrays and on-site wind farms in one weather year.

    The profiles :func:`assemble` builds, without the load, costs and tariff (cheap enough
    for every year of a weather ensemble).

    Returns
    -------
    pv_per_kwp : pandas.DataFrame
        AC kW per kWp of each array (life-mean) [kW/kWp]; no columns without arrays.
    wind_per_kw : pandas.DataFrame
        AC kW per kW of each on-site farm [kW/kW]; no columns without farms.
    """
    return _pv_profiles(scenario, park, weather)[2], _wind_profiles(park, weather)[1]


def _pv(scenario, park, weather, costs, notes, cost_names):
    arrays, n, per_kwp = _pv_profiles(scenario, park, weather)
    notes += n
    export = scenario.tariff.export
    exportable = {"rooftop": True, "ground": export.allow_ground_pv,
                  "floating": export.allow_floating_pv}
    techs = []
    for a in arrays:
        col = a.name if a.name in per_kwp.columns else f"{a.name}_kw_per_kwp"
        limit = a.capacity_limit_kwp()
        cost_names[f"pv_{a.name}"] = pv_cost_name(a)
        techs.append(_technology(f"pv_{a.name}", a.kind, per_kwp[col].to_numpy(),
                                 costs.technologies[cost_names[f"pv_{a.name}"]],
                                 scenario.economics.discount_rate_real,
                                 np.inf if limit is None else limit, a.fixed_kwp,
                                 exportable[a.kind]))
    return techs, per_kwp, {f"pv_{a.name}": float(a.dc_ac_ratio) for a in arrays}


def _wind(scenario, park, weather, costs, notes, cost_names):
    onsite, per_kw = _wind_profiles(park, weather)
    techs = []
    for f in onsite:
        cap = farm_capacity_kw(f)
        cost_names[f"wind_{f.name}"] = wind_cost_name(farm_turbine(f).nominal_kw)
        techs.append(_technology(f"wind_{f.name}", "wind",
                                 per_kw[f"{f.name}_kw_per_kw"].to_numpy(),
                                 costs.technologies[cost_names[f"wind_{f.name}"]],
                                 scenario.economics.discount_rate_real, cap["max_kw"],
                                 cap["fixed_kw"], scenario.tariff.export.allow_wind))
    return techs, per_kw


def _battery(park: Park, costs: CostTable, rate: float) -> Battery | None:
    b = park.battery
    if not b.allowed:
        return None
    e_cost, p_cost = costs.technologies["battery_energy"], costs.technologies["battery_power"]
    eta = float(np.sqrt(b.round_trip_efficiency))
    return Battery(
        capex_per_kwh=effective_capex(e_cost, rate), capex_per_kw=effective_capex(p_cost, rate),
        fixed_om_per_kwh_yr=e_cost.fixed_om_vnd_per_unit_yr,
        fixed_om_per_kw_yr=p_cost.fixed_om_vnd_per_unit_yr, life_years=e_cost.life_yr,
        eta_charge=eta, eta_discharge=eta, soc_min=b.soc_min,
        max_kwh=np.inf if b.max_kwh is None else b.max_kwh,
        max_kw=np.inf if b.max_kw is None else b.max_kw, duration_h=b.duration_h,
        fixed_kwh=b.fixed_kwh, fixed_kw=b.fixed_kw,
        throughput_cost_per_kwh=(costs.battery_throughput_cost_vnd_per_kwh
                                 if b.throughput_cost_vnd_per_kwh is None
                                 else b.throughput_cost_vnd_per_kwh))


def run_emission_factor(scenario: Scenario) -> float:
    """Grid emission factor the run uses [tCO2/MWh]: the scenario's, else the one
    ``economics.emission_factor_method`` picks for the run year (default: the latest official
    value, 2023's 0.6592)."""
    ef = scenario.economics.emission_factor_t_per_mwh
    if ef is not None:
        return ef
    return grid_emission_factor(scenario.year, scenario.economics.emission_factor_method).value


def export_cap_share(scenario: Scenario, park: Park, techs: list[Technology],
                     dc_ac: dict[str, float], notes: list[str]) -> float:
    """The LP's export cap share [-], per kW of sized capacity (PV sized in kWp).

    Energy basis (Decree 243/2026): the scenario's share of the exportable output, as is.
    Power basis (Decree 135/2024 reading): export [kW] ≤ share × installed capacity, read
    as ``tariff.export.capacity_basis``: ``"dc"`` the module nameplate [kWp], ``"ac"`` the
    inverter rating kWp / dc_ac_ratio [kW] (:func:`energy_model.tariff.export_cap_kw_per_kwp`;
    wind counts its kW). The LP takes one share for all exportable technologies, so with
    different ratios among them the highest ratio (the tightest cap) is used and a note
    says so.
    """
    export = scenario.tariff.export
    if export.basis != "power" or export.capacity_basis == "dc":
        return export.cap_share
    ratios = {t.name: dc_ac.get(t.name, 1.0) for t in techs if t.may_export}
    if not ratios:
        return export.cap_share
    ratio = max(ratios.values())
    if len(set(ratios.values())) > 1:
        notes.append(f"{park.id}: export cap read on AC capacity with the highest dc_ac_ratio "
                     f"{ratio:g} of the exportable technologies {ratios} (tightest cap)")
    return tariff_mod.export_cap_kw_per_kwp(export.cap_share, "ac", ratio)


def billed_tariff(scenario: Scenario, customer: str, voltage: str) -> str:
    """The tariff a meter is billed on: the scenario's, except under the two-component
    pilot for a meter it is not open to (:func:`energy_model.rules_in_force.billing_tariff`)."""
    return billing_tariff(scenario.tariff.name, customer, voltage)


def hosting_limit_kw(import_cap_kw: np.ndarray, load_kw: pd.Series, mode: str) -> float:
    """Hourly limit of reverse flow [kW]: the connection's capacity, or inf.

    Decree 243/2026 lets a rooftop system sell more than 50 % of its energy only where the
    local grid can absorb it (S2). A connection is taken to carry in reverse what it carries
    forward: the import cap without its cut windows (firm × pf where the substation rating is
    known), else the grid-only peak load (E).
    """
    if mode == "none":
        return float("inf")
    finite = import_cap_kw[np.isfinite(import_cap_kw)]
    return float(finite.max()) if finite.size else float(load_kw.max())


def _grid(scenario, park, index, load_kw, notes, export_share: float
          ) -> tuple[Grid, np.ndarray]:
    export = scenario.tariff.export
    customer = load_mod.tariff_class(park.kind)
    tariff = billed_tariff(scenario, customer, park.grid.voltage)
    caps, cap_note = import_cap_series(park, index, scenario.sizing.import_cap,
                                       float(load_kw.max()))
    notes.append(f"{park.id}: {cap_note}")
    export_price, n = surplus_price(index, tariff, park.grid.voltage, customer,
                                    export.price_vnd_per_kwh)
    if n:
        notes.append(f"{park.id}: in {n} h the surplus price {export.price_vnd_per_kwh:,.1f} "
                     "VND/kWh exceeds the retail price (off-peak); there it is capped at the "
                     "retail price − 1 VND/kWh so the meter cannot be gamed")
    export_limit_kw = hosting_limit_kw(caps, load_kw, export.hosting_limit)
    if np.isfinite(export_limit_kw):
        notes.append(f"{park.id}: reverse flow ≤ {export_limit_kw / 1000:,.1f} MW (connection "
                     "capacity; tariff.export.hosting_limit)")
    s = scenario.sizing
    grid = Grid.from_tariff(
        index, tariff, park.grid.voltage, customer,
        export_price=export_price, export_cap_share=export_share,
        export_cap_basis=export.basis, import_cap_kw=caps, export_limit_kw=export_limit_kw,
        battery_export=export.battery,
        allow_unmet=s.allow_unmet, unmet_multiple=s.unmet_multiple,
        peak_reduction_target=s.peak_reduction_target,
        co2_price_per_t=scenario.economics.co2_price_vnd_per_t,
        emission_factor_t_per_mwh=run_emission_factor(scenario))
    return grid, caps


def assemble(scenario: Scenario, park: Park, weather: pd.DataFrame) -> ParkInputs:
    """Resolve one park's scenario fields into the sizing LP's inputs.

    Parameters
    ----------
    scenario : Scenario
        A loaded scenario.
    park : Park
        One of ``scenario.parks``.
    weather : pandas.DataFrame
        Hourly weather of the park's station for the simulated year (one frame of
        :func:`~energy_model.pipeline.scenario_weather`).

    Returns
    -------
    ParkInputs
        Load [kW], technologies with profiles [kW/kW] and annualised costs, battery,
        grid prices [VND/kWh] and caps [kW], finance and policy.
    """
    notes: list[str] = []
    cost_names: dict[str, str] = {}
    index = weather.index
    load_kw = project_park_load(scenario, park, weather)
    costs = cost_table(scenario)
    rate = scenario.economics.discount_rate_real
    pv_techs, pv_per_kwp, dc_ac = _pv(scenario, park, weather, costs, notes, cost_names)
    wind_techs, wind_per_kw = _wind(scenario, park, weather, costs, notes, cost_names)
    offsite_kw, offsite_farms, n = offsite_supply(scenario, park, weather)  # own stations
    notes += n
    share = export_cap_share(scenario, park, pv_techs + wind_techs, dc_ac, notes)
    grid, caps = _grid(scenario, park, index, load_kw, notes, share)
    customer = load_mod.tariff_class(park.kind)
    policy = Policy(heritage_buffer=park.heritage_buffer,
                    min_renewable_share=scenario.sizing.min_renewable_share or 0.0)
    return ParkInputs(park=park, load_kw=load_kw, technologies=pv_techs + wind_techs, grid=grid,
                      battery=_battery(park, costs, rate), finance=Finance(discount_rate=rate),
                      policy=policy, import_cap_kw=caps,
                      evening_share=tariff_mod.evening_peak_share(index, scenario.tariff.name),
                      pv_per_kwp=pv_per_kwp, wind_per_kw=wind_per_kw,
                      offsite_kw=offsite_kw, station=park_weather_key(scenario, park),
                      offsite_farms=offsite_farms,
                      cost_names=cost_names, notes=notes,
                      tariff=billed_tariff(scenario, customer, park.grid.voltage),
                      customer=customer, voltage=park.grid.voltage)
