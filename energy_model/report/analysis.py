"""Figures the report needs beyond the run's own results: computed once, saved as CSV.

The report hook (:func:`energy_model.report.build_report` with ``result``) computes these
from the in-memory :class:`~energy_model.pipeline.ScenarioResult` and writes them under
``analysis/``, so that ``energy-model report`` can redraw every plot without re-running:

- ``frontier.csv``: cost against self-sufficiency for one park, from at most four
  re-solves of its LP with a rising ``min_renewable_share``;
- ``tornado.csv``: NPV of each park's chosen design, and of the province, with one input
  at a time at its low and high value (no LP: the cash flow is recomputed);
- ``weather_check.csv`` and ``weather_params.csv``: monthly means and hourly-structure
  parameters (Weibull k, autocorrelation, diurnal cycle) of each station's weather
  against the normals it was synthesised from.
"""

from __future__ import annotations

import dataclasses
import math
import time
from pathlib import Path

import numpy as np
import pandas as pd

from energy_model.errors import EnergyModelError, InfeasibleError, InvariantError

#: Most LP re-solves the frontier may take.
FRONTIER_MAX_SOLVES = 4
#: The highest frontier target, as a share of the renewable ceiling [-].
FRONTIER_TOP = 0.95
#: Wall-clock limit of one frontier re-solve [s]. Each is one monolithic LP (a full-year
#: re-solve with a share target took 28–44 s for Texhong Hải Hà on the 2-core test machine;
#: the fast path's decomposition crawled on these share-constrained problems).
FRONTIER_TIME_LIMIT_S = 150.0
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


# --------------------------------------------------------------------------- frontier

def renewable_ceiling(inputs) -> float:
    """Upper bound of a park's self-sufficiency [-].

    Every technology the policy allows at its limit (or fixed size) meets the load hour
    by hour; the surplus is shifted through the battery with its round-trip losses, each
    hour's charge and discharge within the battery's power limit, and at most one full
    cycle of its energy limit a day when that is limited (fixed or ``max_kwh``). The bound
    ignores the state of charge's hour-to-hour path, so it may not be reachable; the
    frontier keeps a target the LP finds infeasible as such.

    Parameters
    ----------
    inputs : energy_model.pipeline.ParkInputs

    Returns
    -------
    float
        Bound of ``1 − import / load`` [-], between 0 and 1.
    """
    from energy_model.rules import allowed_in_heritage_buffer

    load = inputs.load_kw.to_numpy(dtype=float)
    if load.sum() <= 0:
        return 0.0
    big = 100.0 * float(load.max())  # an "unlimited" capacity [kW], for the bound only
    gen = np.zeros_like(load)
    for t in inputs.technologies:
        if inputs.policy.heritage_buffer and not allowed_in_heritage_buffer(t.kind):
            continue
        cap = t.fixed_kw if t.fixed_kw is not None else min(t.max_kw, big)
        gen += cap * np.asarray(t.profile_per_kw, dtype=float)
    direct = np.minimum(gen, load).sum()
    shifted = 0.0
    b = inputs.battery
    if b is not None:
        power = b.fixed_kw if b.fixed_kw is not None else b.max_kw
        power = big if not np.isfinite(power) else power
        charge = np.minimum(np.maximum(gen - load, 0.0), power).sum() * b.eta_charge
        discharge = np.minimum(np.maximum(load - gen, 0.0), power).sum()
        shifted = min(charge * b.eta_discharge, discharge)
        energy = b.fixed_kwh if b.fixed_kwh is not None else b.max_kwh
        if np.isfinite(energy):
            days = len(load) / 24.0
            shifted = min(shifted, days * energy * (1.0 - b.soc_min) * b.eta_discharge)
    return float(min(1.0, (direct + shifted) / load.sum()))


def _point(pid: str, kind: str, target, sizing, inputs, status: str, solve_s: float) -> dict:
    d = sizing.dispatch
    load = float(d["load_kw"].sum())
    ss = (load - float(d["grid_import_kw"].sum()) - float(d["unmet_kw"].sum())) / load
    caps = sizing.capacities
    pv = sum(caps.get(f"{t.name}_kw", 0.0) for t in inputs.technologies if t.kind != "wind")
    wind = sum(caps.get(f"{t.name}_kw", 0.0) for t in inputs.technologies if t.kind == "wind")
    return {"park_id": pid, "point": kind, "target_share_pct": target,
            "self_sufficiency_pct": 100 * ss, "annual_cost_billion_vnd": sizing.objective / 1e9,
            "grid_only_cost_billion_vnd": sizing.grid_only_cost / 1e9, "pv_mwp": pv / 1000,
            "wind_mw": wind / 1000, "battery_mwh": caps.get("battery_kwh", 0.0) / 1000,
            "battery_mw": caps.get("battery_kw", 0.0) / 1000, "status": status,
            "solve_s": solve_s}


def frontier_targets(base_share: float, ceiling: float,
                     n: int = FRONTIER_MAX_SOLVES) -> list[float]:
    """Self-sufficiency targets [-] between the chosen design's share and the ceiling.

    ``n`` evenly spaced targets ending at :data:`FRONTIER_TOP` × ceiling; none when the
    chosen design is already within one percentage point of that.
    """
    top = FRONTIER_TOP * ceiling
    if top - base_share < 0.01:
        return []
    return [base_share + (top - base_share) * (k + 1) / n for k in range(n)]


def frontier_park(result) -> str:
    """The park whose frontier says most: the largest energy between its chosen design's
    on-site supply and its ceiling, ``(0.95 × ceiling − share) × load``; ties (and a
    province where every park is at its ceiling) go to the largest load."""
    def room(pid: str) -> tuple[float, float]:
        p = result.parks[pid]
        d = p.sizing.dispatch
        load = float(d["load_kw"].sum())
        share = (load - float(d["grid_import_kw"].sum()) - float(d["unmet_kw"].sum())) / load
        gap = max(FRONTIER_TOP * renewable_ceiling(p.inputs) - share, 0.0)
        return round(gap * load, 6), load

    return max(result.parks, key=room)


def frontier(result, park_id: str | None = None, max_solves: int = FRONTIER_MAX_SOLVES,
             time_limit_s: float | None = FRONTIER_TIME_LIMIT_S,
             progress: bool = False) -> pd.DataFrame:
    """Annual cost against self-sufficiency for one park, from a few LP re-solves.

    Parameters
    ----------
    result : energy_model.pipeline.ScenarioResult
    park_id : str, optional
        The park (default: :func:`frontier_park`).
    max_solves : int
        Re-solves allowed (at most :data:`FRONTIER_MAX_SOLVES`).
    time_limit_s : float, optional
        Wall-clock limit of each re-solve [s]; a target not solved in time is kept with
        its status and ends the sweep.
    progress : bool
        Show a progress bar over the re-solves.

    Returns
    -------
    pandas.DataFrame
        One row per point: ``point`` (``grid_only``, ``chosen``, ``target``, and
        ``ceiling`` whose ``self_sufficiency_pct`` is :func:`renewable_ceiling`),
        ``target_share_pct`` [%], ``self_sufficiency_pct`` [%], ``annual_cost_billion_vnd``
        (the LP objective: annuities, O&M and the grid bill) [billion VND/yr],
        ``grid_only_cost_billion_vnd``, capacities ``pv_mwp``, ``wind_mw``,
        ``battery_mwh``, ``battery_mw``, ``status`` and ``solve_s`` [s]. A target the LP
        cannot meet is kept with status ``infeasible`` and ends the sweep.
    """
    from energy_model.pipeline import solve_park

    if park_id is None:
        park_id = frontier_park(result)
    p = result.parks[park_id]
    inputs, base = p.inputs, p.sizing
    ceiling = renewable_ceiling(inputs)
    rows = [{**_point(park_id, "grid_only", 0.0, base, inputs, "grid_only", 0.0),
             "self_sufficiency_pct": 0.0, "annual_cost_billion_vnd": base.grid_only_cost / 1e9,
             "pv_mwp": 0.0, "wind_mw": 0.0, "battery_mwh": 0.0, "battery_mw": 0.0},
            _point(park_id, "chosen", np.nan, base, inputs, "optimal", base.solve_s),
            {"park_id": park_id, "point": "ceiling", "self_sufficiency_pct": 100 * ceiling,
             "status": "bound", "solve_s": 0.0}]
    share0 = rows[1]["self_sufficiency_pct"] / 100
    targets = frontier_targets(share0, ceiling, min(max_solves, FRONTIER_MAX_SOLVES))
    bar = None
    if progress and targets:
        from tqdm import tqdm

        bar = tqdm(total=len(targets), desc=f"frontier {park_id}", unit="solve")
    for target in targets:
        policy = dataclasses.replace(inputs.policy, min_renewable_share=float(target))
        t0 = time.perf_counter()
        if bar is not None:
            bar.update()
        try:  # one monolithic LP: HiGHS honours its time limit
            s = solve_park(dataclasses.replace(inputs, policy=policy), method="monolithic",
                           time_limit_s=time_limit_s)
        except InfeasibleError:
            rows.append({"park_id": park_id, "point": "target", "target_share_pct": 100 * target,
                         "status": "infeasible", "solve_s": time.perf_counter() - t0})
            break
        except InvariantError:
            raise
        except EnergyModelError as exc:  # time limit or another non-optimal end
            rows.append({"park_id": park_id, "point": "target", "target_share_pct": 100 * target,
                         "status": f"not solved: {exc}", "solve_s": time.perf_counter() - t0})
            break
        rows.append(_point(park_id, "target", 100 * target, s, inputs, "optimal",
                           time.perf_counter() - t0))
    if bar is not None:
        bar.close()
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- tornado

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
    from energy_model import economics as ec

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
    from energy_model import tariff as tf

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


# --------------------------------------------------------------------------- weather

def weather_check(result) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each station's weather against the normals it was made from.

    Parameters
    ----------
    result : energy_model.pipeline.ScenarioResult

    Returns
    -------
    monthly : pandas.DataFrame
        One row per station and month: ``station``, ``name``, ``month``, and for each of
        ``ghi_kwh_m2_day`` [kWh/m²/day], ``temp_air_c`` [°C], ``wind_speed_m_s`` [m/s] the
        record's value (``_weather``) and the normal (``_normal``, NaN for a weather file
        without normals).
    parameters : pandas.DataFrame
        One row per station and hourly-structure parameter (``weibull_k``,
        ``wind_autocorr_1h``, ``diurnal_strength``, ``peak_hour``, ``temp_range_c``):
        ``record``, ``normal`` and ``estimated`` (the normal is a default, mark E); empty
        without normals.
    """
    from energy_model.weather.normals import load_normals
    from energy_model.weather.stats import weather_stats

    cols = ("ghi_kwh_m2_day", "temp_air_c", "wind_speed_m_s")
    frames, params = [], []
    normals_cache: dict[str, object] = {}
    for key, years in result.weather.items():
        df = years[0]
        attrs = df.attrs
        normals = None
        nfile = attrs.get("normals_file")
        if attrs.get("source") == "synthetic" and nfile and Path(nfile).is_file():
            if nfile not in normals_cache:
                normals_cache[nfile] = load_normals(nfile)
            normals = normals_cache[nfile].station(attrs.get("station", key))
        stats = weather_stats(df, normals=normals)
        m = stats.monthly
        name = attrs.get("name", key)
        out = pd.DataFrame({"station": key, "name": name, "month": m.index})
        for c in cols:
            out[f"{c}_weather"] = m[c].to_numpy()
            out[f"{c}_normal"] = (normals.monthly.loc[m.index, c].to_numpy()
                                  if normals is not None else math.nan)
        frames.append(out)
        if stats.parameters is not None:
            p = stats.parameters.reset_index()[["parameter", "record", "normal", "estimated"]]
            p.insert(0, "name", name)
            p.insert(0, "station", key)
            params.append(p)
    monthly = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    parameters = (pd.concat(params, ignore_index=True) if params else
                  pd.DataFrame(columns=["station", "name", "parameter", "record", "normal",
                                        "estimated"]))
    return monthly, parameters


def write_analysis(result, folder: Path, frontier_park: str | None = None,
                   progress: bool = False) -> dict[str, Path]:
    """Compute the analysis tables and write them to ``folder/analysis/``.

    Returns
    -------
    dict
        Table name → file written.
    """
    from energy_model.results import write_csv

    out_dir = Path(folder) / "analysis"
    out_dir.mkdir(exist_ok=True)
    monthly, parameters = weather_check(result)
    tables = {"frontier": frontier(result, frontier_park, progress=progress),
              "tornado": tornado(result), "weather_check": monthly,
              "weather_params": parameters}
    written = {}
    for name, df in tables.items():
        path = out_dir / f"{name}.csv"
        write_csv(df, path, index=False)
        written[name] = path
    return written
