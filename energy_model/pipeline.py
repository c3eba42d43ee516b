"""Run a scenario: the one place that knows the order of the stages.

weather → resource and generation (PV, wind) → load → tariff → sizing (HiGHS LP) →
grid metrics, resilience and economics → results (→ plots and report).

Each stage is a module of its own; this orchestrator only turns scenario fields into the
stages' plain inputs and collects their outputs. :func:`run_scenario` works in memory;
:func:`run_and_write` also writes ``results/<name>/`` atomically.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from energy_model.errors import EnergyModelError, InfeasibleError, ScenarioError, WeatherError
from energy_model.scenario import Park, Scenario
from energy_model.solar.tracking import tracker_cost

#: technology names of energy_model/data/costs.csv by PV array kind
PV_COST_NAME = {"rooftop": "pv_rooftop", "ground": "pv_ground", "floating": "pv_floating"}
#: turbines at or below this nominal power take the small-turbine costs [kW]
SMALL_TURBINE_KW = 1000.0

HOURLY_COLUMNS = ["load_kw", "pv_kw", "wind_kw", "curtailment_kw", "battery_charge_kw",
                  "battery_discharge_kw", "battery_soc_kwh", "grid_import_kw",
                  "grid_export_kw", "unmet_kw"]


# ------------------------------------------------------------------------ results
@dataclass
class ParkInputs:
    """Everything the sizing LP of one park needs, already resolved from the scenario.

    Attributes
    ----------
    park : Park
    load_kw : pandas.Series
        Hourly load of the simulated year [kW].
    technologies : list
        :class:`energy_model.sizing.Technology` per PV array and on-site wind farm.
    grid, battery, finance, policy
        The other :func:`energy_model.sizing.optimize` inputs.
    import_cap_kw : numpy.ndarray
        Hourly import cap [kW] (inf where none).
    evening_share : pandas.Series
        Share of each hour in the system evening peak window [-].
    pv_per_kwp : pandas.DataFrame
        AC kW per kWp of each array (life-mean).
    wind_per_kw : pandas.DataFrame
        AC kW per kW of each farm.
    offsite_wind_kw : pandas.Series or None
        Off-site (DPPA) wind supply [kW], reported, never counted on site.
    station : str
        Weather station or file used.
    notes : list of str
        What was assumed while resolving (reported in the run log).
    """

    park: Park
    load_kw: pd.Series
    technologies: list
    grid: object
    battery: object
    finance: object
    policy: object
    import_cap_kw: np.ndarray
    evening_share: pd.Series
    pv_per_kwp: pd.DataFrame
    wind_per_kw: pd.DataFrame
    offsite_wind_kw: pd.Series | None
    station: str
    notes: list = field(default_factory=list)


@dataclass
class ParkResult:
    """Results of one park: inputs, optimum, metrics and economics."""

    inputs: ParkInputs
    sizing: object
    metrics: object
    economics: object
    cash_flow: pd.DataFrame
    co2: object
    resilience: object
    row: dict

    @property
    def hourly(self) -> pd.DataFrame:
        """Hourly flows [kW] (interval-start labels) for ``parks/<id>.csv``."""
        d = self.sizing.dispatch
        out = pd.DataFrame({c: d[c] for c in HOURLY_COLUMNS if c in d.columns}, index=d.index)
        for c in d.columns:
            if c.endswith("_kw") and c not in out.columns and not c.startswith("grid_only"):
                out[c] = d[c]
        out["import_cap_kw"] = np.where(np.isfinite(self.inputs.import_cap_kw),
                                        self.inputs.import_cap_kw, np.nan)
        out["price_vnd_per_kwh"] = np.asarray(self.inputs.grid.import_price, dtype=float)
        if self.inputs.offsite_wind_kw is not None:
            out["offsite_wind_kw"] = self.inputs.offsite_wind_kw.to_numpy()
        out.index.name = "time"
        return out


@dataclass
class ScenarioResult:
    """Results of a scenario run, in memory."""

    scenario: Scenario
    parks: dict[str, ParkResult]
    province: object
    summary: pd.DataFrame
    weather: dict
    timings: dict[str, float]
    notes: list[str]
    wind_resource: pd.DataFrame | None = None

    def console_summary(self) -> str:
        """A short table for the terminal."""
        s = self.summary
        cols = ["park_id", "load_gwh", "peak_load_mw", "pv_mwp", "wind_mw", "battery_mwh",
                "self_sufficiency_pct", "peak_import_before_mw", "peak_import_after_mw",
                "npv_billion_vnd"]
        view = s[[c for c in cols if c in s.columns]].copy()
        lines = [view.to_string(index=False, float_format=lambda v: f"{v + 0.0:,.1f}")]
        lines.append("stage timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in self.timings.items()))
        return "\n".join(lines)


# ------------------------------------------------------------------------ stages
def scenario_weather(scenario: Scenario) -> dict[str, list[pd.DataFrame]]:
    """Hourly weather for every station (or file) the parks use, keyed by station id.

    Synthetic stations are driven by one correlated process (one call), so cloudy days
    and calm nights come together across the province.
    """
    from energy_model.paths import shipped_dir

    w = scenario.weather
    out: dict[str, list[pd.DataFrame]] = {}
    files = {p.weather_file for p in scenario.parks if p.weather_file}
    if w.source == "file" and w.file:
        files.add(w.file)
    if files:
        from energy_model.weather.readers import read_weather, to_year

        for f in sorted(files):
            df, meta = read_weather(f, tz=scenario.timezone)
            try:
                df = to_year(df, scenario.year)
            except WeatherError as exc:  # name the file the record came from
                if str(f) in str(exc):
                    raise
                raise WeatherError(f"{f}: {exc}", exc.problems, file=str(f)) from exc
            df.attrs.update({k: v for k, v in meta.items() if k not in df.attrs})
            out[f"file:{f}"] = [df]
    stations = sorted({p.weather_station for p in scenario.parks
                       if not p.weather_file and w.source == "normals" and p.weather_station})
    if stations:
        from energy_model.weather.normals import load_normals
        from energy_model.weather.synthetic import synthesize

        normals_path = Path(w.normals) if w.normals else shipped_dir("weather") / "quang_ninh_normals.csv"
        normals = load_normals(normals_path)
        out.update(synthesize(normals, stations, scenario.year, w.seed, years=w.years,
                              tz=scenario.timezone))
    return out


def park_weather_key(scenario: Scenario, park: Park) -> str:
    """Key of :func:`scenario_weather`'s dict that a park uses."""
    if park.weather_file:
        return f"file:{park.weather_file}"
    if scenario.weather.source == "file":
        return f"file:{scenario.weather.file}"
    return park.weather_station


def _cost_table(scenario: Scenario):
    """The cost table with the scenario's overrides applied."""
    import dataclasses

    from energy_model.economics import load_costs

    table = load_costs()
    techs = dict(table.technologies)
    for name, o in scenario.costs.items():
        if name not in techs:
            raise ScenarioError(f"costs.{name}: unknown technology; known: {', '.join(sorted(techs))}")
        upd = {}
        if o.capex_vnd_per_kw is not None or o.capex_vnd_per_kwh is not None:
            upd["capex_vnd_per_unit"] = o.capex_vnd_per_kw if o.capex_vnd_per_kw is not None else o.capex_vnd_per_kwh
        if o.fixed_om_vnd_per_kw_yr is not None or o.fixed_om_vnd_per_kwh_yr is not None:
            upd["fixed_om_vnd_per_unit_yr"] = (o.fixed_om_vnd_per_kw_yr if o.fixed_om_vnd_per_kw_yr
                                               is not None else o.fixed_om_vnd_per_kwh_yr)
        if o.life_years is not None:
            upd["life_yr"] = o.life_years
        techs[name] = dataclasses.replace(techs[name], **upd)
    return dataclasses.replace(table, technologies=techs)


def effective_capex(cost, rate: float) -> float:
    """Capex plus the present value of in-life component replacements [VND/unit].

    The LP annualises this over the asset life, so inverter and cell replacements are
    costed in sizing as in the cash-flow table.
    """
    capex = cost.capex_vnd_per_unit
    if cost.replacement_interval_yr:
        year = cost.replacement_interval_yr
        while year < cost.life_yr:
            capex += cost.replacement_vnd_per_unit / (1 + rate) ** year
            year += cost.replacement_interval_yr
    return capex


def import_cap_series(park: Park, index: pd.DatetimeIndex, mode: str,
                      grid_only_peak_kw: float) -> tuple[np.ndarray, str]:
    """Hourly import cap [kW] of a park and a note on how it was set.

    Order: an explicit ``grid.import_cap_kw``; the substation's firm (N-1) capacity × power
    factor; its nameplate × power factor; and where no rating is known, the grid-only peak
    load: the connection is taken to be sized for today's peak and no more, so on-site
    storage may not raise the park's import above it (no new stress on the grid).
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
        note = f"firm (N-1) {g.firm_kva / 1000:,.1f} MVA × pf {g.power_factor} = {cap / 1000:,.1f} MW"
    elif mode in ("firm", "nameplate") and g.substation_mva is not None:
        cap = g.substation_mva * 1000 * g.power_factor
        note = (f"nameplate {g.substation_mva} MVA × pf {g.power_factor} = {cap / 1000:,.1f} MW"
                + (" (no N-1 margin: single transformer or count unknown)" if mode == "firm" else ""))
    caps = np.full(len(index), cap, dtype=float)
    for w in g.cap_windows:
        start = pd.Timestamp(w.start).tz_localize(index.tz) if pd.Timestamp(w.start).tzinfo is None else pd.Timestamp(w.start)
        end = pd.Timestamp(w.end).tz_localize(index.tz) if pd.Timestamp(w.end).tzinfo is None else pd.Timestamp(w.end)
        mask = (index >= start) & (index < end)
        if w.hours is not None:
            mask &= np.isin(index.hour, w.hours)
        caps[mask] = np.minimum(caps[mask], w.cap_kw)
    return caps, note


def resolve_pv_arrays(park: Park, scenario: Scenario, occupied_ha: float) -> tuple[list, list[str]]:
    """PV arrays with their capacity limits; a rooftop array without a limit gets the roof
    area of the occupied land of the simulated year."""
    from energy_model.load import rooftop_area_m2

    arrays, notes = [], []
    for a in park.pv:
        if a.kind == "rooftop" and a.capacity_limit_kwp() is None and a.fixed_kwp is None:
            area = rooftop_area_m2(occupied_ha)
            a = a.model_copy(update={"usable_area_m2": area})
            notes.append(f"{park.id}.{a.name}: roof area {area / 1e4:,.1f} ha from "
                         f"{occupied_ha:,.1f} ha occupied in {scenario.year} → "
                         f"{a.capacity_limit_kwp() / 1000:,.1f} MWp limit")
        arrays.append(a)
    return arrays, notes


def park_inputs(scenario: Scenario, park: Park, weather: pd.DataFrame) -> ParkInputs:
    """Resolve one park's scenario fields into the sizing LP's inputs."""
    from energy_model import load as load_mod
    from energy_model import tariff as tariff_mod
    from energy_model.economics import emission_factor
    from energy_model.sizing import Battery, Finance, Grid, Policy, Technology
    from energy_model.solar import pv_profiles_per_kwp
    from energy_model.wind import farm_capacity_kw, farm_turbine, wind_profiles_per_kw

    notes: list[str] = []
    year, index = scenario.year, weather.index
    econ = scenario.economics
    rate = econ.discount_rate_real

    # load
    load_kw = load_mod.project_load(
        park.load, kind=park.kind, area_ha=park.area_ha, occupancy=park.occupancy,
        occupancy_year=park.occupancy_year, industries=list(park.industries), year=year,
        temp_air=weather["temp_air"], seed=scenario.weather.seed + _stable_hash(park.id),
        case=scenario.load_case, calibration=scenario.load_calibration, tz=scenario.timezone,
        name=park.id)
    load_kw = pd.Series(load_kw.to_numpy(), index=index, name="load_kw")
    occupied = (load_mod.occupied_area_ha(park.load, park.area_ha, park.occupancy,
                                          park.occupancy_year, year) if park.kind == "KCN" else 0.0)

    costs = _cost_table(scenario)
    techs = []
    # PV
    arrays, n = resolve_pv_arrays(park, scenario, occupied)
    notes += n
    pv_per_kwp = (pv_profiles_per_kwp(weather, _location(park), arrays)
                  if arrays else pd.DataFrame(index=index))
    export = scenario.tariff.export
    exportable_kind = {"rooftop": True, "ground": export.allow_ground_pv,
                       "floating": export.allow_floating_pv}
    for a in arrays:
        col = a.name if a.name in pv_per_kwp.columns else f"{a.name}_kw_per_kwp"
        cost = costs.technologies[PV_COST_NAME[a.kind]]
        if a.tracking == "single_axis":  # issue 20: tracker capex adder (costs.csv, E)
            cost = tracker_cost(cost, costs.rows)
        limit = a.capacity_limit_kwp()
        techs.append(Technology(
            name=f"pv_{a.name}", kind=a.kind, profile_per_kw=pv_per_kwp[col].to_numpy(),
            capex_per_kw=effective_capex(cost, rate), fixed_om_per_kw_yr=cost.fixed_om_vnd_per_unit_yr,
            life_years=cost.life_yr, max_kw=np.inf if limit is None else limit,
            fixed_kw=a.fixed_kwp, exportable=exportable_kind[a.kind]))
    # wind
    onsite = [f for f in park.wind if not f.offsite]
    offsite = [f for f in park.wind if f.offsite]
    wind_per_kw = (wind_profiles_per_kw(weather, onsite) if onsite else pd.DataFrame(index=index))
    for f in onsite:
        cap = farm_capacity_kw(f)
        nominal = farm_turbine(f).nominal_kw
        cost = costs.technologies["wind_small" if nominal <= SMALL_TURBINE_KW else "wind_medium"]
        techs.append(Technology(
            name=f"wind_{f.name}", kind="wind", profile_per_kw=wind_per_kw[f"{f.name}_kw_per_kw"].to_numpy(),
            capex_per_kw=effective_capex(cost, rate), fixed_om_per_kw_yr=cost.fixed_om_vnd_per_unit_yr,
            life_years=cost.life_yr, max_kw=cap["max_kw"], fixed_kw=cap["fixed_kw"],
            exportable=export.allow_wind))
    offsite_kw = None
    if offsite:
        from energy_model.wind import simulate_wind

        sim = simulate_wind(weather, offsite)
        offsite_kw = sim[[f"{f.name}_kw" for f in offsite]].sum(axis=1)
        notes.append(f"{park.id}: off-site wind {', '.join(f.name for f in offsite)} reported as "
                     "DPPA supply, not on-site")

    # battery
    b = park.battery
    battery = None
    if b.allowed:
        e_cost, p_cost = costs.technologies["battery_energy"], costs.technologies["battery_power"]
        eta = float(np.sqrt(b.round_trip_efficiency))
        battery = Battery(
            capex_per_kwh=effective_capex(e_cost, rate), capex_per_kw=effective_capex(p_cost, rate),
            fixed_om_per_kwh_yr=e_cost.fixed_om_vnd_per_unit_yr,
            fixed_om_per_kw_yr=p_cost.fixed_om_vnd_per_unit_yr, life_years=e_cost.life_yr,
            eta_charge=eta, eta_discharge=eta, soc_min=b.soc_min,
            max_kwh=np.inf if b.max_kwh is None else b.max_kwh,
            max_kw=np.inf if b.max_kw is None else b.max_kw, duration_h=b.duration_h,
            fixed_kwh=b.fixed_kwh, fixed_kw=b.fixed_kw,
            throughput_cost_per_kwh=b.throughput_cost_vnd_per_kwh)

    # grid
    customer = load_mod.tariff_class(park.kind)
    caps, cap_note = import_cap_series(park, index, scenario.sizing.import_cap,
                                       float(load_kw.max()))
    notes.append(f"{park.id}: {cap_note}")
    ef = econ.emission_factor_t_per_mwh
    if ef is None:
        ef, _ = emission_factor(year)
    export_price, n = surplus_price(index, scenario.tariff.name, park.grid.voltage, customer,
                                    export.price_vnd_per_kwh)
    if n:
        notes.append(f"{park.id}: in {n} h the surplus price {export.price_vnd_per_kwh:,.1f} "
                     "VND/kWh exceeds the retail price (off-peak); there it is capped at the "
                     "retail price − 1 VND/kWh so the meter cannot be gamed")
    grid = Grid.from_tariff(
        index, scenario.tariff.name, park.grid.voltage, customer,
        export_price=export_price, export_cap_share=export.cap_share,
        export_cap_basis=export.basis, import_cap_kw=caps,
        allow_unmet=scenario.sizing.allow_unmet, unmet_multiple=scenario.sizing.unmet_multiple,
        peak_reduction_target=scenario.sizing.peak_reduction_target,
        co2_price_per_t=econ.co2_price_vnd_per_t, emission_factor_t_per_mwh=ef)
    evening = tariff_mod.evening_peak_share(index, scenario.tariff.name)
    policy = Policy(heritage_buffer=park.heritage_buffer,
                    min_renewable_share=scenario.sizing.min_renewable_share or 0.0)
    return ParkInputs(park=park, load_kw=load_kw, technologies=techs, grid=grid, battery=battery,
                      finance=Finance(discount_rate=rate), policy=policy, import_cap_kw=caps,
                      evening_share=evening, pv_per_kwp=pv_per_kwp, wind_per_kw=wind_per_kw,
                      offsite_wind_kw=offsite_kw, station=park_weather_key(scenario, park),
                      notes=notes)


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
    from energy_model import tariff as tf

    imp = tf.hourly_prices(index, tariff, voltage, customer).to_numpy(dtype=float)
    price = np.full(len(index), float(price_vnd_per_kwh))
    capped = price >= imp
    price[capped] = imp[capped] - 1.0
    return price, int(capped.sum())


def _location(park: Park) -> dict:
    return {"latitude": park.location.lat, "longitude": park.location.lon,
            "altitude": park.location.altitude_m, "name": park.id}


def _stable_hash(text: str) -> int:
    import zlib

    return zlib.crc32(text.encode("utf-8")) % 100_000


def solve_park(inputs: ParkInputs, warm_start=None, **options):
    """Size and dispatch one park (the LP).

    ``warm_start``: a previous :class:`~energy_model.sizing.SizingResult` of the same park
    (e.g. the previous variant of a sweep), passed to :func:`energy_model.sizing.optimize`;
    ``options``: :class:`~energy_model.sizing.Options` fields (``method``, ``gap_tol``).
    """
    from energy_model.sizing import Options, optimize

    opts = Options(index=inputs.load_kw.index, **options)
    return optimize(inputs.load_kw, inputs.technologies, inputs.grid, inputs.battery,
                    inputs.finance, inputs.policy, options=opts, warm_start=warm_start)


def evaluate_park(scenario: Scenario, inputs: ParkInputs, sizing) -> ParkResult:
    """Grid metrics, resilience, cash flows, economics and CO2 of a sized park."""
    from energy_model import economics as ec
    from energy_model import metrics as mt
    from energy_model import tariff as tf

    park, econ = inputs.park, scenario.economics
    d = sizing.dispatch
    cap = np.where(np.isfinite(inputs.import_cap_kw), inputs.import_cap_kw, np.nan)
    m = mt.park_metrics(d, evening_share=inputs.evening_share,
                        import_cap_kw=None if np.all(np.isnan(cap)) else cap,
                        battery_kwh=sizing.capacities.get("battery_kwh") or None, what=park.id)
    caps = sizing.capacities
    costs = _cost_table(scenario)
    capacities = {}
    cost_items = dict(costs.technologies)
    trackers = {f"pv_{a.name}" for a in park.pv if a.tracking == "single_axis"}
    for t in inputs.technologies:
        kw = caps.get(f"{t.name}_kw", 0.0)
        cname = PV_COST_NAME.get(t.kind) or ("wind_small" if t.kind == "wind" else None)
        if t.name in trackers:  # issue 20: priced as pv_ground plus the tracker adder
            cname = "pv_ground_tracker"
            cost_items[cname] = tracker_cost(costs.technologies["pv_ground"], costs.rows)
        if t.kind == "wind":
            nominal = next(iter(inputs.wind_per_kw.attrs.get("wind", {}).values()), {}).get(
                "nominal_kw_per_turbine", 500.0)
            cname = "wind_small" if nominal <= SMALL_TURBINE_KW else "wind_medium"
        capacities[cname] = capacities.get(cname, 0.0) + kw
    capacities["battery_energy"] = caps.get("battery_kwh", 0.0)
    capacities["battery_power"] = caps.get("battery_kw", 0.0)
    capacity_charge = tf.capacity_charge(scenario.tariff.name, park.grid.voltage)
    from energy_model.sizing.inputs import life_mean_factor

    annual = ec.annual_result(d, pd.Series(np.asarray(inputs.grid.import_price, float), index=d.index),
                              pd.Series(np.broadcast_to(np.asarray(inputs.grid.export_price, float),
                                                        len(d)), index=d.index),
                              capacity_charge_vnd_per_kw_month=capacity_charge,
                              pv_output_factor=life_mean_factor(costs.pv_degradation,
                                                                econ.lifetime_years))
    table = ec.cash_flow_table(capacities, cost_items, annual,
                               tariff_escalation_real=econ.tariff_escalation_real,
                               degradation=costs.pv_degradation, load_growth=0.0,
                               discount_rate_real=econ.discount_rate_real,
                               inflation=econ.inflation, life=econ.lifetime_years)
    result = ec.evaluate(table, discount_rate_real=econ.discount_rate_real, inflation=econ.inflation)
    before = float(d["load_kw"].sum())
    after = float(d["grid_import_kw"].sum())
    co2 = ec.co2_avoided(before, after, scenario.year)
    res = None
    bkwh = caps.get("battery_kwh", 0.0)
    try:
        res = mt.resilience(d, mt.june_2023_cuts(d.index), park.load.critical_share,
                            bkwh, caps.get("battery_kw", 0.0))
    except EnergyModelError:
        res = None
    row = summary_row(scenario, inputs, sizing, m, result, co2, res)
    return ParkResult(inputs=inputs, sizing=sizing, metrics=m, economics=result,
                      cash_flow=table, co2=co2, resilience=res, row=row)


def _get(obj, name, default=np.nan):
    v = getattr(obj, name, default) if obj is not None else default
    return default if v is None else v


def summary_row(scenario, inputs: ParkInputs, sizing, m, econ, co2, res) -> dict:
    """One row of ``summary.csv``; units in the column names."""
    park = inputs.park
    # LP round-off can leave -1e-9; capacities are physically ≥ 0
    caps = {k: max(0.0, float(v)) for k, v in sizing.capacities.items()}
    pv_by_kind = {"rooftop": 0.0, "ground": 0.0, "floating": 0.0}
    wind_kw = 0.0
    for t in inputs.technologies:
        kw = caps.get(f"{t.name}_kw", 0.0)
        if t.kind == "wind":
            wind_kw += kw
        else:
            pv_by_kind[t.kind] += kw
    f = m.flows
    load_kwh = float(_get(f, "load_kwh"))
    row = {
        "park_id": park.id, "name": park.name, "kind": park.kind,
        "lat": park.location.lat, "lon": park.location.lon,
        "heritage_buffer": park.heritage_buffer, "weather": inputs.station,
        "load_gwh": load_kwh / 1e6,
        "peak_load_mw": float(inputs.load_kw.max()) / 1000,
        "pv_rooftop_mwp": pv_by_kind["rooftop"] / 1000,
        "pv_ground_mwp": pv_by_kind["ground"] / 1000,
        "pv_floating_mwp": pv_by_kind["floating"] / 1000,
        "pv_mwp": sum(pv_by_kind.values()) / 1000,
        "wind_mw": wind_kw / 1000,
        "battery_mwh": caps.get("battery_kwh", 0.0) / 1000,
        "battery_mw": caps.get("battery_kw", 0.0) / 1000,
        "pv_gwh": float(sizing.dispatch.get("pv_kw", pd.Series(0.0)).sum()) / 1e6,
        "wind_gwh": float(sizing.dispatch.get("wind_kw", pd.Series(0.0)).sum()) / 1e6,
        "curtailment_gwh": float(sizing.dispatch["curtailment_kw"].sum()) / 1e6,
        "battery_discharge_gwh": float(sizing.dispatch["battery_discharge_kw"].sum()) / 1e6,
        "grid_import_gwh": float(sizing.dispatch["grid_import_kw"].sum()) / 1e6,
        "grid_export_gwh": float(sizing.dispatch["grid_export_kw"].sum()) / 1e6,
        "unmet_mwh": float(sizing.dispatch["unmet_kw"].sum()) / 1e3,
        "self_sufficiency_pct": 100 * m.self_sufficiency,
        "self_consumption_pct": 100 * m.self_consumption if np.isfinite(m.self_consumption) else np.nan,
        "peak_import_before_mw": m.peak_import_before_kw / 1000,
        "peak_import_after_mw": m.peak_import_after_kw / 1000,
        "evening_import_before_gwh": _get(m, "evening_import_before_kwh") / 1e6,
        "evening_import_after_gwh": _get(m, "evening_import_after_kwh") / 1e6,
        "import_cap_mw": (float(np.nanmin(np.where(np.isfinite(inputs.import_cap_kw),
                                                   inputs.import_cap_kw, np.nan))) / 1000
                          if np.isfinite(inputs.import_cap_kw).any() else np.nan),
        "hours_at_cap_h": _get(m, "hours_at_import_cap_h"),
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
        "critical_load_served_pct": 100 * _get(res, "critical_served_share"),
        "solve_path": sizing.path,  # solve time is in run.json: summary.csv is byte-reproducible
    }
    return row


def province_row(rows: list[dict], result_parks: dict[str, ParkResult]) -> tuple[dict, object]:
    """The PROVINCE row: sums, and the coincident peak import before and after."""
    from energy_model import metrics as mt

    df = pd.DataFrame(rows)
    out = {"park_id": "PROVINCE", "name": "Tỉnh Quảng Ninh (tổng)", "kind": "ALL"}
    for c in df.columns:
        if c.endswith(("_gwh", "_mwh", "_mwp", "_mw", "_billion_vnd", "_kt")) and \
                not c.startswith(("peak_", "import_cap")):
            out[c] = float(df[c].sum())
    dispatches = {k: v.sizing.dispatch for k, v in result_parks.items()}
    prices = {k: pd.Series(np.asarray(v.inputs.grid.import_price, float), index=v.sizing.dispatch.index)
              for k, v in result_parks.items()}
    first = next(iter(result_parks.values()))
    agg = mt.province_aggregate(dispatches, import_price_vnd_per_kwh=prices,
                                emission_factor_t_per_mwh=first.inputs.grid.emission_factor_t_per_mwh,
                                export_price_vnd_per_kwh=first.inputs.grid.export_price,
                                evening_share=first.inputs.evening_share)
    out["peak_import_before_mw"] = agg.coincident_peak_import_before_mw
    out["peak_import_after_mw"] = agg.coincident_peak_import_after_mw
    out["peak_load_mw"] = agg.coincident_peak_import_before_mw
    load = df["load_gwh"].sum()
    out["self_sufficiency_pct"] = 100 * (1 - df["grid_import_gwh"].sum() / load) if load else np.nan
    return out, agg


def located_infeasible(scenario: Scenario, park: Park, exc: InfeasibleError) -> InfeasibleError:
    """The LP's infeasibility, located at the scenario file and park, in scenario words."""
    from energy_model.scenario import layer_files

    files = layer_files(scenario)
    where = f"{files[-1]}: " if files else ""
    i = next(k for k, p in enumerate(scenario.parks) if p.id == park.id)
    msg = str(exc).replace("set Grid(allow_unmet=True)",
                           "set 'sizing: {allow_unmet: true}' in the scenario")
    return InfeasibleError(f"{where}parks[{i}].grid (park {park.id!r}): {msg}",
                           file=str(files[-1]) if files else None)


def _park_task(scenario: Scenario, park_id: str, weather: pd.DataFrame) -> tuple[ParkResult, dict]:
    """Generation, load, sizing and evaluation of one park (runs in a worker process)."""
    park = scenario.park(park_id)
    stage = {}
    t = time.perf_counter()
    inputs = park_inputs(scenario, park, weather)
    stage["generation+load"] = time.perf_counter() - t
    t = time.perf_counter()
    try:
        sizing = solve_park(inputs, method=scenario.sizing.method)
    except InfeasibleError as exc:
        raise located_infeasible(scenario, park, exc) from exc
    stage["sizing"] = time.perf_counter() - t
    t = time.perf_counter()
    result = evaluate_park(scenario, inputs, sizing)
    stage["economics"] = time.perf_counter() - t
    return result, stage


def default_workers(n_tasks: int) -> int:
    """Worker processes for ``n_tasks`` parks: one per core, at most one per park."""
    import os

    return max(1, min(os.cpu_count() or 1, n_tasks))


def run_scenario(scenario: Scenario, progress: bool = False, workers: int | None = 1,
                 on_park: Callable[[str], None] | None = None) -> ScenarioResult:
    """Run every stage of a scenario in memory.

    Parameters
    ----------
    scenario : Scenario
        A loaded scenario (:func:`energy_model.scenario.load_scenario`), or a path.
    progress : bool
        Show progress bars.
    workers : int or None
        Processes that size parks in parallel (None: one per core). Each park is an
        independent problem, so results are identical for any number of workers.
    on_park : callable, optional
        Called with each park id when it is done.

    Returns
    -------
    ScenarioResult
    """
    if not isinstance(scenario, Scenario):
        from energy_model.scenario import load_scenario

        scenario = load_scenario(scenario)
    timings: dict[str, float] = {}
    t = time.perf_counter()
    weather = scenario_weather(scenario)
    timings["weather"] = time.perf_counter() - t
    notes: list[str] = []
    if scenario.weather.years > 1:
        notes.append(f"weather.years = {scenario.weather.years}: sized on synthetic year 1; "
                     "the ensemble is for P50/P90 (energy-model sweep)")
    ids = [p.id for p in scenario.parks]
    tasks = {pid: weather[park_weather_key(scenario, scenario.park(pid))][0] for pid in ids}
    workers = default_workers(len(ids)) if workers is None else max(1, min(workers, len(ids)))
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(ids), desc="sizing parks", unit="park")
    done: dict[str, tuple[ParkResult, dict]] = {}
    t = time.perf_counter()
    if workers == 1:
        for pid in ids:
            done[pid] = _park_task(scenario, pid, tasks[pid])
            if bar:
                bar.update()
            if on_park:
                on_park(pid)
    else:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn")) as pool:
            futures = {pool.submit(_park_task, scenario, pid, tasks[pid]): pid for pid in ids}
            try:
                for fut in as_completed(futures):
                    pid = futures[fut]
                    done[pid] = fut.result()
                    if bar:
                        bar.update()
                    if on_park:
                        on_park(pid)
            except BaseException:
                for fut in futures:
                    fut.cancel()
                raise
    if bar:
        bar.close()
    timings["parks (wall)"] = time.perf_counter() - t
    parks: dict[str, ParkResult] = {}
    stage = {"generation+load": 0.0, "sizing": 0.0, "economics": 0.0}
    for pid in ids:  # scenario order, whatever the completion order
        result, st = done[pid]
        parks[pid] = result
        for k, v in st.items():
            stage[k] += v
        notes += result.inputs.notes
    timings.update({f"{k} (cpu)": v for k, v in stage.items()})
    rows = [p.row for p in parks.values()]
    prov, agg = province_row(rows, parks)
    summary = pd.DataFrame(rows + [prov])
    result = ScenarioResult(scenario=scenario, parks=parks, province=agg, summary=summary,
                            weather=weather, timings=timings, notes=notes,
                            wind_resource=wind_resource_table(scenario, weather))
    from energy_model.invariants import check_run

    check_run(result)  # every run (CLI, sweep, API) fails loudly (exit 4) on a broken invariant
    return result


def wind_resource_table(scenario: Scenario, weather: dict) -> pd.DataFrame | None:
    """Hub-height wind, Weibull k and reference-turbine capacity factor of the coastal and
    island stations (energy_model.wind.coastal_wind_check), against published figures.

    Stations of the check that no park uses (Cô Tô, whose 4.4 m/s at 65 m is the published
    anchor) are synthesised in a separate call with the same seed, so the parks' weather
    does not depend on the check.
    """
    from energy_model.paths import shipped_dir
    from energy_model.wind import coastal_wind_check

    frames = {k: v for k, v in weather.items() if not k.startswith("file:")}
    if scenario.weather.source == "normals":
        from energy_model.weather.normals import load_normals
        from energy_model.weather.synthetic import synthesize

        path = (Path(scenario.weather.normals) if scenario.weather.normals
                else shipped_dir("weather") / "quang_ninh_normals.csv")
        normals = load_normals(path)
        extra = [st for st in ("co_to", "van_don", "mong_cai", "hai_ha", "quang_yen")
                 if st in normals.stations and st not in frames]
        if extra:
            frames.update(synthesize(normals, extra, scenario.year, scenario.weather.seed,
                                     years=1, tz=scenario.timezone))
    if not frames:
        return None
    table = coastal_wind_check({k: v[0] for k, v in frames.items()})
    return table if len(table) else None


# ------------------------------------------------------------------------ writing
def run_json(result: ScenarioResult) -> dict:
    """Provenance of a run: versions, seed, input hashes, resolved scenario, timings."""
    import importlib.metadata as md

    from energy_model import __version__
    from energy_model.results import file_sha256
    from energy_model.scenario import layer_files

    versions = {"energy_model": __version__, "python": platform.python_version()}
    for pkg in ("pvlib", "windpowerlib", "highspy", "holidays", "pandas", "numpy", "scipy",
                "pydantic", "matplotlib"):
        try:
            versions[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            pass
    s = result.scenario
    inputs = {str(p): file_sha256(p) for p in layer_files(s)}
    from energy_model.paths import package_data, shipped_dir

    data_files = [shipped_dir("weather") / "quang_ninh_normals.csv"] if s.weather.source == "normals" and not s.weather.normals else []
    if s.weather.normals:
        data_files.append(Path(s.weather.normals))
    data_files += sorted(package_data().glob("*.csv")) + sorted(package_data().glob("*.yaml"))
    for p in data_files:
        if Path(p).exists():
            inputs[str(p)] = file_sha256(p)
    return {
        "scenario_name": s.name, "year": s.year, "seed": s.weather.seed,
        "versions": versions, "inputs_sha256": inputs,
        "scenario": s.model_dump(mode="json"),
        "timings_s": {k: round(v, 3) for k, v in result.timings.items()},
        "notes": result.notes,
        "solver": {pid: {"path": p.sizing.path, "status": p.sizing.status,
                         "build_s": round(p.sizing.build_s, 3), "solve_s": round(p.sizing.solve_s, 3),
                         "iterations": p.sizing.iterations}
                   for pid, p in result.parks.items()},
    }


def write_results_folder(result: ScenarioResult, folder: Path) -> None:
    """Write summary, hourly files and run.json into ``folder`` (no plots)."""
    from energy_model.results import safe_name, write_csv, write_json

    write_csv(result.summary, folder / "summary.csv", index=False)
    (folder / "parks").mkdir()
    for pid, p in result.parks.items():
        write_csv(p.hourly, folder / "parks" / f"{safe_name(pid)}.csv")
    if result.wind_resource is not None:
        write_csv(result.wind_resource, folder / "wind_resource.csv", index=False)
    write_json(run_json(result), folder / "run.json")


def run_and_write(scenario: Scenario, out_dir: Path, force: bool = False, lang: str = "en",
                  report: bool = True, progress: bool = True,
                  workers: int | None = None) -> tuple[Path, ScenarioResult]:
    """Run a scenario and write ``out_dir/<name>/`` atomically (with plots and report)."""
    from energy_model.results import write_atomically

    t0 = time.perf_counter()
    result = run_scenario(scenario, progress=progress, workers=workers)

    def fill(tmp: Path) -> None:
        write_results_folder(result, tmp)
        if report:
            t = time.perf_counter()
            try:
                from energy_model.report import build_report
            except ImportError:
                result.notes.append("report: not built (energy_model.report unavailable)")
            else:
                build_report(tmp, lang=lang, result=result, progress=progress)
            result.timings["report"] = time.perf_counter() - t
            from energy_model.results import write_json

            write_json(run_json(result), tmp / "run.json")

    folder = write_atomically(out_dir, result.scenario.name, force, fill)
    result.timings["total"] = time.perf_counter() - t0
    return folder, result
