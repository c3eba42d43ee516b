"""P50/P75/P90 over synthetic weather years, combined with the uncertainty of the resource data.

Planning practice (PVsyst "P50-P90 evaluations"; IEA-PVPS T13-12:2017 *Uncertainties in
PV System Yield Predictions and Assessments*; the wind-industry P90 of IEC 61400-15 drafts)
treats the annual yield as normally distributed around its expected value P50, with a
relative standard deviation that combines, in quadrature, **the spread between years**
and **the uncertainty of the long-term resource estimate itself** (independent sources)::

    sigma_total = sqrt(sigma_years**2 + sigma_data**2)
    P_x = P50 × (1 − z_x × sigma_total)        z_75 = 0.674, z_90 = 1.282

``P_x`` is the yield that a single year reaches or exceeds with probability x (the "P90
year"; a P90 of a 10-year mean would use ``sigma_years / sqrt(10)``; not used here).

The spread between years comes from the ensemble: ``weather.years: N`` draws N synthetic
years whose monthly GHI, wind and temperature anomalies follow the stated year-to-year
variability of :class:`energy_model.weather.synthetic.SynthesisSettings` (GHI 5 % annual,
wind speed 7 %). The resource-data uncertainty is **not** in the ensemble (its mean meets
the normals by construction) and is stated in :class:`DataUncertainty`.

For the results of the dispatch (self-sufficiency, peak import, annual cost) the levels
are the empirical quantiles of the fixed design run over each weather year (weather only,
labelled so): ``P_x`` is the level met or bettered in a share x of years, i.e. the
(1 − x) quantile where more is better (self-sufficiency) and the x quantile where less is
better (peak import, cost).

Load uncertainty usually dominates: :func:`load_case_spec` gives the sweep of the low,
base and high load cases, and :func:`beside_load_cases` puts them next to the weather P90.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from energy_model.errors import UsageError
from energy_model.pipeline import (Changes, ScenarioResult, assemble, evaluate,
                                   park_weather_key, province_row, resource_profiles,
                                   run_scenario, solve)
from energy_model.results import safe_name, write_csv
from energy_model.pipeline import load_scenario
from energy_model.scenario import Scenario
from energy_model.studies.cache import scenario_weather
from energy_model.studies.spec import UncertaintyFile, load_study
from energy_model.studies.sweep import Axis, SweepSpec, run_sweep

#: one-sided standard-normal quantiles of the exceedance levels [-]
Z_SCORE = {50: 0.0, 75: 0.6745, 90: 1.2816}
LEVELS = (50, 75, 90)
#: design metrics of :func:`design_years`: column → (unit, more is better)
DESIGN_METRICS = {
    "pv_gwh": ("GWh/yr", True),
    "wind_gwh": ("GWh/yr", True),
    "self_sufficiency_pct": ("%", True),
    "peak_import_after_mw": ("MW", False),
    "annual_cost_billion_vnd": ("billion VND/yr", False),
}


@dataclass(frozen=True)
class DataUncertainty:
    """Relative standard uncertainty of the long-term resource data [-].

    Attributes
    ----------
    pv_resource : float
        Of the long-term annual PV yield from the resource data: 5 % (E). The normals of
        ``weather/quang_ninh_normals.csv`` are monthly means shaped on a neighbouring
        station, not a measurement at the park. IEA-PVPS T13-12 (2017) gives 2–5 % for
        the long-term mean GHI of good satellite or ground data and 1–3 % for the
        transposition to the plane of array; a station tens of km away on a coast with
        sea-breeze cloud adds a representativeness error of a few percent (site-adaptation
        studies find 2–4 % between nearby coastal sites). In quadrature:
        sqrt(3.5² + 2² + 3²) ≈ 5 %.
    wind_energy : float
        Of the long-term annual wind energy: 22 % (E). The long-term mean speed at hub
        height carries about 6–7 % (a station at 10 m on different terrain, a shear
        extrapolation to 50–80 m, and the roughness choice; the usual pre-measurement
        assumption is 5–10 %). At Quảng Ninh's low mean speeds (capacity factors of
        5–10 %) the energy is far more sensitive to the mean speed than at a good wind
        site: in the 30-year ensemble of the one-park example a 7 % year-to-year CV of
        speed gives a 28 % CV of energy, a sensitivity of about 4 (1.5–2 at good sites).
        With a sensitivity of 3.3: 3.3 × 6.5 % ≈ 22 %.
    """

    pv_resource: float = 0.05
    wind_energy: float = 0.22


DEFAULT_DATA_UNCERTAINTY = DataUncertainty()


# ----------------------------------------------------------------------------- levels
def combined_sigma(sigma_years: float, sigma_data: float) -> float:
    """Relative standard deviation of independent sources in quadrature [-].

    Parameters
    ----------
    sigma_years : float
        Year-to-year relative standard deviation [-].
    sigma_data : float
        Relative standard uncertainty of the resource data [-].
    """
    return math.hypot(sigma_years, sigma_data)


def normal_levels(p50: float, sigma_rel: float, levels=LEVELS) -> dict[int, float]:
    """Yield levels reached in a share x of years, for a normal distribution.

    Parameters
    ----------
    p50 : float
        Expected annual yield [any unit].
    sigma_rel : float
        Relative standard deviation [-].
    levels : iterable of int
        Exceedance probabilities [%] among 50, 75, 90.

    Returns
    -------
    dict
        ``{x: p50 × (1 − z_x × sigma_rel)}`` [unit of ``p50``].
    """
    return {x: p50 * (1.0 - Z_SCORE[x] * sigma_rel) for x in levels}


def empirical_levels(values, more_is_better: bool, levels=LEVELS) -> dict[int, float]:
    """Levels met or bettered in a share x of the sample.

    Parameters
    ----------
    values : array_like
        One value per weather year.
    more_is_better : bool
        True for yields and self-sufficiency (P90 is the low 10 % quantile), False for
        costs and peaks (P90 is the 90 % quantile).

    Returns
    -------
    dict
        ``{x: level}`` in the unit of ``values``.
    """
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return {x: np.nan for x in levels}
    return {x: float(np.quantile(v, 1 - x / 100 if more_is_better else x / 100)) for x in levels}


# ----------------------------------------------------------------------------- yields
def resource_years(scenario, weather: dict | None = None) -> pd.DataFrame:
    """Specific PV and wind yield of every park in every weather year.

    Parameters
    ----------
    scenario : Scenario
        With ``weather.years`` years (N ≥ 1).
    weather : dict, optional
        :func:`energy_model.pipeline.scenario_weather` of the scenario (default: computed,
        through :mod:`energy_model.studies.cache`).

    Returns
    -------
    pandas.DataFrame
        Rows ``park_id`` × ``weather_year`` (1-based) with ``pv_kwh_per_kwp`` (mean of the
        park's arrays, life-mean output) [kWh/kWp/yr] and ``wind_kwh_per_kw`` (mean of
        its on-site farms) [kWh/kW/yr]; NaN where the park has none.
    """
    if weather is None:
        weather = scenario_weather(scenario)
    rows = []
    for park in scenario.parks:
        for y, w in enumerate(weather[park_weather_key(scenario, park)], start=1):
            pv_per_kwp, wind_per_kw = resource_profiles(scenario, park, w)
            pv = pv_per_kwp.sum().mean() if pv_per_kwp.shape[1] else np.nan
            wind = wind_per_kw.sum().mean() if wind_per_kw.shape[1] else np.nan
            rows.append({"park_id": park.id, "weather_year": y,
                         "pv_kwh_per_kwp": float(pv), "wind_kwh_per_kw": float(wind)})
    return pd.DataFrame(rows)


def yield_exceedance(resource: pd.DataFrame, data: DataUncertainty = DEFAULT_DATA_UNCERTAINTY,
                     weights: dict[str, float] | None = None) -> pd.DataFrame:
    """P50/P75/P90 of specific PV and wind yield per park and for the province.

    Parameters
    ----------
    resource : pandas.DataFrame
        :func:`resource_years` (at least 2 weather years).
    data : DataUncertainty
        Resource-data uncertainty combined with the spread between years.
    weights : dict, optional
        Park capacity weights for the PROVINCE row (e.g. installed kWp) [any]; equal
        weights by default.

    Returns
    -------
    pandas.DataFrame
        One row per park and metric (``pv_kwh_per_kwp``, ``wind_kwh_per_kw``): ``unit``,
        ``years``, ``p50`` (ensemble mean), ``sigma_years_pct``, ``sigma_data_pct``,
        ``sigma_total_pct``, ``p75``, ``p90``, ``p90_weather_only``.
    """
    n = resource["weather_year"].nunique()
    if n < 2:
        raise UsageError("P50/P90 need weather.years ≥ 2 (30 is the planning norm)")
    frame = resource.copy()
    w = frame["park_id"].map(weights or {}).fillna(1.0 if not weights else 0.0)
    prov = []
    for y, g in frame.assign(_w=w).groupby("weather_year"):
        row = {"park_id": "PROVINCE", "weather_year": y}
        for c in ("pv_kwh_per_kwp", "wind_kwh_per_kw"):
            ok = g[c].notna() & (g["_w"] > 0)
            row[c] = float(np.average(g.loc[ok, c], weights=g.loc[ok, "_w"])) if ok.any() else np.nan
        prov.append(row)
    frame = pd.concat([frame, pd.DataFrame(prov)], ignore_index=True)
    out = []
    for pid, g in frame.groupby("park_id", sort=False):
        for c, unit, sd in (("pv_kwh_per_kwp", "kWh/kWp/yr", data.pv_resource),
                            ("wind_kwh_per_kw", "kWh/kW/yr", data.wind_energy)):
            v = g[c].to_numpy(dtype=float)
            if not np.isfinite(v).all():
                continue
            mean = float(v.mean())
            s_years = float(v.std(ddof=1) / mean)
            s_tot = combined_sigma(s_years, sd)
            lv = normal_levels(mean, s_tot)
            out.append({"park_id": pid, "metric": c, "unit": unit, "years": n, "p50": mean,
                        "p75": lv[75], "p90": lv[90],
                        "p90_weather_only": normal_levels(mean, s_years)[90],
                        "sigma_years_pct": 100 * s_years, "sigma_data_pct": 100 * sd,
                        "sigma_total_pct": 100 * s_tot})
    return pd.DataFrame(out)


# ----------------------------------------------------------------------------- design
def dispatch_design(scenario: Scenario, weather: dict, year: int,
                    capacities: dict[str, dict]) -> list[dict]:
    """Every park's sized design dispatched over one weather year (one LP each).

    Parameters
    ----------
    scenario : Scenario
    weather : dict
        The scenario's weather ensemble (:func:`energy_model.pipeline.scenario_weather`).
    year : int
        1-based weather year.
    capacities : dict
        ``{park id: sizing capacities}`` [kW, kWh].

    Returns
    -------
    list of dict
        One row per park and PROVINCE with ``park_id`` and :data:`DESIGN_METRICS`.
    """
    parks = {}
    for park in scenario.parks:
        inputs = assemble(scenario, park, weather[park_weather_key(scenario, park)][year - 1])
        sizing = solve(inputs, changes=Changes(fixed=capacities[park.id], fix_all=True))
        parks[park.id] = evaluate(scenario, inputs, sizing)
    prov, _ = province_row([p.row for p in parks.values()], parks)
    return [{"park_id": r["park_id"], **{c: r.get(c, np.nan) for c in DESIGN_METRICS}}
            for r in [p.row for p in parks.values()] + [prov]]


def design_years(scenario: Scenario, result: ScenarioResult, weather: dict | None = None,
                 years: list[int] | None = None) -> pd.DataFrame:
    """Run the design sized on weather year 1 over other weather years (one LP each).

    Parameters
    ----------
    scenario : Scenario
    result : energy_model.pipeline.ScenarioResult
        The sized run (:func:`energy_model.pipeline.run_scenario`).
    weather : dict, optional
        The scenario's weather ensemble (default: the result's).
    years : list of int, optional
        1-based weather years to run (default: all).

    Returns
    -------
    pandas.DataFrame
        Rows ``park_id`` (and PROVINCE) × ``weather_year`` with the summary columns of
        :data:`DESIGN_METRICS`.
    """
    weather = result.weather if weather is None else weather
    n = len(next(iter(weather.values())))
    years = list(range(1, n + 1)) if years is None else list(years)
    caps = {pid: p.sizing.capacities for pid, p in result.parks.items()}
    rows = []
    for y in years:
        if not 1 <= y <= n:
            raise UsageError(f"weather year {y} not in 1..{n}")
        rows += [{"park_id": r["park_id"], "weather_year": y,
                  **{c: r[c] for c in DESIGN_METRICS}}
                 for r in dispatch_design(scenario, weather, y, caps)]
    return pd.DataFrame(rows)


def design_exceedance(table: pd.DataFrame, data: DataUncertainty = DEFAULT_DATA_UNCERTAINTY
                      ) -> pd.DataFrame:
    """P50/P75/P90 of the design's results over weather years, per park and PROVINCE.

    Energy yields (``pv_gwh``, ``wind_gwh``) combine the spread between years with the
    resource-data uncertainty (normal model); the other metrics are empirical quantiles
    of the weather years only (``basis`` says which).
    """
    out = []
    for pid, g in table.groupby("park_id", sort=False):
        for c, (unit, better) in DESIGN_METRICS.items():
            v = g[c].to_numpy(dtype=float)
            if not np.isfinite(v).any() or (c.endswith("_gwh") and v.mean() == 0):
                continue
            if c in ("pv_gwh", "wind_gwh") and len(v) > 1:
                mean = float(v.mean())
                sd = data.pv_resource if c == "pv_gwh" else data.wind_energy
                lv = normal_levels(mean, combined_sigma(float(v.std(ddof=1) / mean), sd))
                basis = f"weather years ⊕ resource data {100 * sd:.0f} %"
            else:
                lv = empirical_levels(v, better)
                basis = "weather years only (empirical)"
            out.append({"park_id": pid, "metric": c, "unit": unit, "years": len(v),
                        **{f"p{x}": lv[x] for x in LEVELS}, "basis": basis})
    return pd.DataFrame(out)


# ----------------------------------------------------------------------------- load cases
def load_case_spec(base, name: str | None = None, outputs=None):
    """A sweep of the low, base and high load cases of a scenario file.

    Parameters
    ----------
    base : str or Path
        Scenario file.
    name : str, optional
        Sweep name (default ``<file stem>_load_cases``).

    Returns
    -------
    energy_model.studies.sweep.SweepSpec
        Run it with :func:`energy_model.studies.sweep.run_sweep`.
    """
    base = Path(base).resolve()
    return SweepSpec(name=name or f"{base.stem}_load_cases", base=base, evaluate="scenario",
                     axes=(Axis(keys=("load_case",), values=(("low",), ("base",), ("high",))),),
                     outputs=tuple(outputs) if outputs else tuple(DESIGN_METRICS) + ("load_gwh",),
                     file="<load cases>")


def beside_load_cases(weather_levels: pd.DataFrame, load_table: pd.DataFrame) -> pd.DataFrame:
    """Weather P50/P90 next to the low/base/high load cases, per park and metric.

    Parameters
    ----------
    weather_levels : pandas.DataFrame
        :func:`design_exceedance`.
    load_table : pandas.DataFrame
        Tidy table of the :func:`load_case_spec` sweep.

    Returns
    -------
    pandas.DataFrame
        ``park_id``, ``metric``, ``unit``, ``weather_p50``, ``weather_p90``,
        ``load_low``, ``load_base``, ``load_high``, ``weather_range_pct``
        (|P50 − P90| / P50) and ``load_range_pct`` ((high − low) / base).
    """
    ok = load_table[load_table["status"] == "ok"]
    rows = []
    for _, r in weather_levels.iterrows():
        sel = ok[ok["park_id"] == r["park_id"]].set_index("load_case")
        if r["metric"] not in sel.columns or not {"low", "base", "high"} <= set(sel.index):
            continue
        lo, ba, hi = (float(sel.loc[c, r["metric"]]) for c in ("low", "base", "high"))
        rows.append({"park_id": r["park_id"], "metric": r["metric"], "unit": r["unit"],
                     "weather_p50": r["p50"], "weather_p90": r["p90"],
                     "load_low": lo, "load_base": ba, "load_high": hi,
                     "weather_range_pct": (100 * abs(r["p50"] - r["p90"]) / abs(r["p50"])
                                           if r["p50"] else np.nan),
                     "load_range_pct": 100 * abs(hi - lo) / abs(ba) if ba else np.nan})
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- at scale
def evaluate_design_year(task: dict) -> list[dict]:
    """Sweep evaluator: the sized design of every park dispatched over one weather year.

    Parameters
    ----------
    task : dict
        A sweep task: ``base``, ``overrides`` with ``design_year`` (1-based) and the
        context: ``set`` (scenario overrides, including ``weather.years``) and
        ``capacities`` (``{park id: sizing capacities}``).

    Returns
    -------
    list of dict
        One row per park and PROVINCE with the columns of :data:`DESIGN_METRICS`.
    """
    ctx = task["context"]
    scenario = load_scenario(task["base"], overrides=ctx.get("set", {}))
    weather = scenario_weather(scenario)  # computed once per cache, not per variant
    return dispatch_design(scenario, weather, int(task["overrides"]["design_year"]),
                           ctx["capacities"])


def design_year_spec(base, name: str, weather_years: int, design_years: int,
                     capacities: dict, overrides: dict | None = None):
    """The sweep that dispatches a sized design over weather years 1..``design_years``.

    Run with :func:`energy_model.studies.sweep.run_sweep` (local pool or Dask; resumable).
    """
    if not 1 <= design_years <= weather_years:
        raise UsageError(f"design_years must be within 1..weather_years ({weather_years}), "
                         f"got {design_years}")
    caps = {pid: {k: float(v) for k, v in c.items()} for pid, c in capacities.items()}
    return SweepSpec(name=name, base=Path(base).resolve(), evaluate="design_year",
                     axes=(Axis(keys=("design_year",),
                                values=tuple((y,) for y in range(1, design_years + 1))),),
                     outputs=None, file="<design years>",
                     context={"set": {**(overrides or {}), "weather.years": weather_years},
                              "arguments": ["design_year"], "capacities": caps})


def load_uncertainty(path) -> dict:
    """Read an uncertainty file (schema: :class:`energy_model.studies.spec.UncertaintyFile`);
    :class:`ScenarioError` with file, line and key."""
    data, base, path = load_study(path, UncertaintyFile, "uncertainty")
    u = data.uncertainty
    n = u.weather_years
    d = u.design_years if u.design_years is not None else min(n, 10)
    return {"name": data.name, "base": base, "weather_years": n, "design_years": d,
            "load_cases": u.load_cases, "file": str(path)}


def run_uncertainty(spec: dict, out_dir, workers: int = 1, scheduler: str | None = None,
                    progress: bool = False) -> dict:
    """Weather-year P50/P75/P90 and load cases of a scenario; tables on disk (the figures
    are drawn by the caller from the tables: :mod:`energy_model.report.sweep_plots`).

    Steps: size on weather year 1 of an N-year ensemble; specific yields of all N years
    (:func:`yield_exceedance`); the sized design over the first ``design_years`` years
    (a resumable sweep); the low/base/high load cases (a sweep); the tables side by side.

    Returns
    -------
    dict
        ``folder`` and the tables ``resource`` (per weather year), ``yields``,
        ``design_years``, ``design_levels``, ``load_vs_weather`` (None without load cases).
    """
    folder = Path(out_dir) / safe_name(spec["name"])
    folder.mkdir(parents=True, exist_ok=True)
    n = spec["weather_years"]
    scenario = load_scenario(spec["base"], overrides={"weather.years": n})
    sized = run_scenario(scenario)
    caps = {pid: p.sizing.capacities for pid, p in sized.parks.items()}
    resource = resource_years(scenario, sized.weather)
    pv_kwp = sized.summary.set_index("park_id")["pv_mwp"].to_dict()
    yields = yield_exceedance(resource, weights={k: v for k, v in pv_kwp.items() if k != "PROVINCE"}
                              if sum(v for k, v in pv_kwp.items() if k != "PROVINCE") > 0 else None)
    d_spec = design_year_spec(spec["base"], f"{spec['name']}_design_years", n,
                              spec["design_years"], caps)
    d_run = run_sweep(d_spec, folder / "sweeps", workers=workers, scheduler=scheduler,
                      progress=progress)
    table = d_run.table[d_run.table["status"] == "ok"].rename(columns={"design_year": "weather_year"})
    levels = design_exceedance(table)
    beside = None
    if spec["load_cases"]:
        l_run = run_sweep(load_case_spec(spec["base"], name=f"{spec['name']}_load_cases"),
                          folder / "sweeps", workers=workers, scheduler=scheduler, progress=progress)
        beside = beside_load_cases(levels, l_run.table)
        write_csv(beside, folder / "load_vs_weather.csv", index=False)
    write_csv(sized.summary, folder / "sized_summary.csv", index=False)
    write_csv(resource, folder / "weather_years.csv", index=False)
    write_csv(yields, folder / "yields.csv", index=False)
    write_csv(table, folder / "design_years.csv", index=False)
    write_csv(levels, folder / "design_levels.csv", index=False)
    return {"folder": folder, "resource": resource, "yields": yields, "design_years": table,
            "design_levels": levels, "load_vs_weather": beside}
