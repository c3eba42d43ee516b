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

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from energy_model.errors import UsageError

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
        through :mod:`energy_model.cache`).

    Returns
    -------
    pandas.DataFrame
        Rows ``park_id`` × ``weather_year`` (1-based) with ``pv_kwh_per_kwp`` (mean of the
        park's arrays, life-mean output) [kWh/kWp/yr] and ``wind_kwh_per_kw`` (mean of
        its on-site farms) [kWh/kW/yr]; NaN where the park has none.
    """
    from energy_model import pipeline as pl
    from energy_model.demand import occupied_area_ha
    from energy_model.solar import pv_profiles_per_kwp
    from energy_model.wind import wind_profiles_per_kw

    if weather is None:
        from energy_model.cache import scenario_weather

        weather = scenario_weather(scenario)
    rows = []
    for park in scenario.parks:
        frames = weather[pl.park_weather_key(scenario, park)]
        occupied = (occupied_area_ha(park.load, park.area_ha, park.occupancy, park.occupancy_year,
                                     scenario.year) if park.kind == "KCN" else 0.0)
        arrays, _ = pl.resolve_pv_arrays(park, scenario, occupied)
        farms = [f for f in park.wind if not f.offsite]
        for y, w in enumerate(frames, start=1):
            pv = (pv_profiles_per_kwp(w, pl._location(park), arrays).sum().mean()
                  if arrays else np.nan)
            wind = wind_profiles_per_kw(w, farms).sum().mean() if farms else np.nan
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
def fixed_design(inputs, capacities: dict):
    """The sizing inputs of a park with every capacity fixed at ``capacities`` (dispatch only).

    Parameters
    ----------
    inputs : energy_model.pipeline.ParkInputs
    capacities : dict
        ``<tech>_kw`` [kW], ``battery_kwh`` [kWh], ``battery_kw`` [kW] of a sizing result.
    """
    techs = [dataclasses.replace(t, fixed_kw=float(capacities.get(f"{t.name}_kw", 0.0)))
             for t in inputs.technologies]
    battery = inputs.battery
    if battery is not None:
        battery = dataclasses.replace(battery, fixed_kwh=float(capacities.get("battery_kwh", 0.0)),
                                      fixed_kw=float(capacities.get("battery_kw", 0.0)),
                                      duration_h=None)
    return dataclasses.replace(inputs, technologies=techs, battery=battery)


def design_years(scenario, result, weather: dict | None = None,
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
    from energy_model import pipeline as pl

    weather = result.weather if weather is None else weather
    n = len(next(iter(weather.values())))
    years = list(range(1, n + 1)) if years is None else list(years)
    rows = []
    for y in years:
        if not 1 <= y <= n:
            raise UsageError(f"weather year {y} not in 1..{n}")
        parks = {}
        for park in scenario.parks:
            w = weather[pl.park_weather_key(scenario, park)][y - 1]
            base = pl.park_inputs(scenario, park, w)
            inputs = fixed_design(base, result.parks[park.id].sizing.capacities)
            parks[park.id] = pl.evaluate_park(scenario, inputs, pl.solve_park(inputs))
        prov, _ = pl.province_row([p.row for p in parks.values()], parks)
        for r in [p.row for p in parks.values()] + [prov]:
            rows.append({"park_id": r["park_id"], "weather_year": y,
                         **{c: r.get(c, np.nan) for c in DESIGN_METRICS}})
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
    energy_model.sweep.SweepSpec
        Run it with :func:`energy_model.sweep.run_sweep`.
    """
    from pathlib import Path

    from energy_model.sweep import Axis, SweepSpec

    base = Path(base).resolve()
    return SweepSpec(name=name or f"{base.stem}_load_cases", base=base, evaluate="scenario",
                     axes=(Axis(("load_case",), (("low",), ("base",), ("high",))),),
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
    from energy_model import pipeline as pl
    from energy_model.cache import scenario_weather
    from energy_model.scenario import load_scenario

    ctx = task["context"]
    y = int(task["overrides"]["design_year"])
    scenario = load_scenario(task["base"], overrides=ctx.get("set", {}))
    weather = scenario_weather(scenario)  # computed once per cache, not per variant
    parks = {}
    for park in scenario.parks:
        w = weather[pl.park_weather_key(scenario, park)][y - 1]
        inputs = fixed_design(pl.park_inputs(scenario, park, w), ctx["capacities"][park.id])
        parks[park.id] = pl.evaluate_park(scenario, inputs, pl.solve_park(inputs))
    prov, _ = pl.province_row([p.row for p in parks.values()], parks)
    return [{"park_id": r["park_id"], **{c: r.get(c, np.nan) for c in DESIGN_METRICS}}
            for r in [p.row for p in parks.values()] + [prov]]


def design_year_spec(base, name: str, weather_years: int, design_years: int,
                     capacities: dict, overrides: dict | None = None):
    """The sweep that dispatches a sized design over weather years 1..``design_years``.

    Run with :func:`energy_model.sweep.run_sweep` (local pool or Dask; resumable).
    """
    from pathlib import Path

    from energy_model.sweep import Axis, SweepSpec

    if not 1 <= design_years <= weather_years:
        raise UsageError(f"design_years must be within 1..weather_years ({weather_years}), "
                         f"got {design_years}")
    caps = {pid: {k: float(v) for k, v in c.items()} for pid, c in capacities.items()}
    return SweepSpec(name=name, base=Path(base).resolve(), evaluate="design_year",
                     axes=(Axis(("design_year",), tuple((y,) for y in range(1, design_years + 1))),),
                     outputs=None, file="<design years>",
                     context={"set": {**(overrides or {}), "weather.years": weather_years},
                              "arguments": ["design_year"], "capacities": caps})


UNCERTAINTY_KEYS = ("name", "description", "base", "uncertainty")


def load_uncertainty(path) -> dict:
    """Read an uncertainty file (``name``, ``base`` and ``uncertainty: {weather_years,
    design_years, load_cases}``); :class:`ScenarioError` with file, line and key."""
    from pathlib import Path

    from energy_model.errors import Problem, ScenarioError
    from energy_model.yaml_io import line_of, load_yaml

    path = Path(path).resolve()
    data, lines = load_yaml(path, what="uncertainty")
    problems = []

    def bad(msg, loc):
        problems.append(Problem(msg, file=str(path), line=line_of(lines, loc),
                                key=".".join(map(str, loc))))

    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: expected a mapping", file=str(path))
    for k in set(data) - set(UNCERTAINTY_KEYS):
        bad(f"unknown key; expected one of: {', '.join(UNCERTAINTY_KEYS)}", (k,))
    u = data.get("uncertainty") or {}
    if not isinstance(u, dict) or set(u) - {"weather_years", "design_years", "load_cases"}:
        bad("expected {weather_years, design_years, load_cases}", ("uncertainty",))
        u = {}
    n = u.get("weather_years", 30)
    d = u.get("design_years", min(n, 10) if isinstance(n, int) else 1)
    if not isinstance(n, int) or not 2 <= n <= 100:
        bad(f"weather_years: a whole number within 2..100, got {n!r}",
            ("uncertainty", "weather_years"))
    elif not isinstance(d, int) or not 1 <= d <= n:
        bad(f"design_years: a whole number within 1..weather_years, got {d!r}",
            ("uncertainty", "design_years"))
    base = (path.parent / str(data.get("base", ""))).resolve()
    if not data.get("base") or not base.is_file():
        bad(f"base scenario not found (looked at {base})", ("base",))
    if not isinstance(data.get("name"), str):
        bad("required: a name", ("name",))
    if problems:
        raise ScenarioError(f"{path}: {len(problems)} problem(s) in the uncertainty file", problems,
                            file=str(path))
    return {"name": data["name"], "base": base, "weather_years": n, "design_years": d,
            "load_cases": bool(u.get("load_cases", True)), "file": str(path)}


def run_uncertainty(spec: dict, out_dir, workers: int = 1, scheduler: str | None = None,
                    progress: bool = False) -> dict:
    """Weather-year P50/P75/P90 and load cases of a scenario; tables and figures on disk.

    Steps: size on weather year 1 of an N-year ensemble; specific yields of all N years
    (:func:`yield_exceedance`); the sized design over the first ``design_years`` years
    (a resumable sweep); the low/base/high load cases (a sweep); the tables side by side.

    Returns
    -------
    dict
        ``folder`` and the tables ``yields``, ``design_years``, ``design_levels``,
        ``load_vs_weather`` (None without load cases).
    """
    from pathlib import Path

    from energy_model.pipeline import run_scenario
    from energy_model.results import safe_name, write_csv
    from energy_model.scenario import load_scenario
    from energy_model.sweep import run_sweep

    folder = Path(out_dir) / safe_name(spec["name"])
    (folder / "plots").mkdir(parents=True, exist_ok=True)
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
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    for pid in resource["park_id"].unique():
        fig = plot_yield_distribution(resource, yields, pid)
        fig.savefig(folder / "plots" / f"yield_{safe_name(pid)}.png", dpi=110)
        plt.close(fig)
    if beside is not None and not beside.empty:
        fig = plot_load_vs_weather(beside)
        fig.savefig(folder / "plots" / "load_vs_weather.png", dpi=110)
        plt.close(fig)
    return {"folder": folder, "yields": yields, "design_years": table, "design_levels": levels,
            "load_vs_weather": beside}


# ----------------------------------------------------------------------------- figures
def plot_yield_distribution(resource: pd.DataFrame, levels: pd.DataFrame, park_id: str):
    """Histogram of a park's annual specific PV (and wind) yield over the weather years,
    with P50, P75 and P90 (weather ⊕ data) marked. Returns a matplotlib Figure."""
    import matplotlib.pyplot as plt

    metrics = [m for m in ("pv_kwh_per_kwp", "wind_kwh_per_kw")
               if resource.loc[resource["park_id"] == park_id, m].notna().all()]
    fig, axes = plt.subplots(1, max(len(metrics), 1), figsize=(5.5 * max(len(metrics), 1), 3.6),
                             squeeze=False)
    for ax, m in zip(axes[0], metrics):
        v = resource.loc[resource["park_id"] == park_id, m]
        ax.hist(v, bins=min(12, max(len(v) // 2, 3)), color="#9ecae1", edgecolor="#3182bd")
        row = levels[(levels["park_id"] == park_id) & (levels["metric"] == m)]
        if not row.empty:
            for x, style in ((50, "-"), (75, "--"), (90, ":")):
                ax.axvline(row.iloc[0][f"p{x}"], color="k", ls=style, label=f"P{x}")
        unit = "kWh/kWp/yr" if m.startswith("pv") else "kWh/kW/yr"
        ax.set_xlabel(f"{'PV' if m.startswith('pv') else 'wind'} specific yield [{unit}]")
        ax.set_ylabel("weather years")
        ax.legend(fontsize=8)
    fig.suptitle(f"{park_id}: {resource['weather_year'].nunique()} synthetic weather years")
    fig.tight_layout()
    return fig


def plot_load_vs_weather(table: pd.DataFrame):
    """Range of each metric from weather (P50↔P90) beside the load cases (low↔high), in %
    of the base; the usual finding is that load dominates. Returns a matplotlib Figure."""
    import matplotlib.pyplot as plt

    t = table[table["park_id"] == "PROVINCE"] if (table["park_id"] == "PROVINCE").any() else table
    fig, ax = plt.subplots(figsize=(6.5, 0.5 + 0.55 * len(t)))
    y = np.arange(len(t))
    ax.barh(y + 0.18, t["load_range_pct"], height=0.35, color="#fd8d3c", label="load low↔high")
    ax.barh(y - 0.18, t["weather_range_pct"], height=0.35, color="#6baed6", label="weather P50↔P90")
    ax.set_yticks(y, [f"{m} [{u}]" for m, u in zip(t["metric"], t["unit"])], fontsize=8)
    ax.set_xlabel("range [% of base / P50]")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
