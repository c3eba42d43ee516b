"""Plots, analysis tables and the HTML report of a results folder (issue 8).

The fixture is a real two-park run (one heritage-buffer KCN with rooftop PV, one coastal
KCN with rooftop and ground PV, four 500 kW turbines and a fixed 20 MWh battery) on a
two-month horizon: the parks' inputs are built for the whole year by the pipeline, then
cut to February–March before the LP, so each solve takes a fraction of a second. The
weather normals of the fixture are the two real typical-year records of the reference
file (Hà Nội Nội Bài and Qinzhou monthly means), written to a temporary folder.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import warnings
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from energy_model import pipeline
from energy_model.cli.run import run_and_report
from energy_model.pipeline import run as pipeline_run
from energy_model.report import build_report, load_results, plots
from energy_model.report.plots import GRID_PLOTS
from energy_model.report.load import supply_split

HERE = Path(__file__).resolve().parent
#: the simulated window of the fixture [start, end)
HORIZON = ("2030-02-01", "2030-04-01")

# Monthly means of two real typical-year records (quang_ninh.md §7): GHI [kWh/m²/day],
# air temperature [°C], wind speed at 10 m [m/s].
HANOI = ([1.87, 2.44, 3.01, 3.84, 4.90, 5.14, 4.96, 4.47, 4.33, 3.70, 3.14, 2.60],
         [16.9, 19.1, 22.4, 24.6, 28.2, 30.2, 29.7, 29.1, 28.3, 25.5, 22.7, 18.1],
         [2.97, 2.63, 3.06, 2.81, 3.17, 2.73, 2.74, 2.72, 2.18, 2.35, 2.64, 3.04])
QINZHOU = ([2.08, 1.82, 2.31, 3.12, 4.30, 4.58, 4.61, 4.50, 4.72, 3.85, 3.68, 2.96],
           [15.0, 14.7, 18.9, 23.2, 26.2, 27.8, 28.3, 28.3, 27.4, 24.2, 19.3, 15.6],
           [2.26, 2.43, 2.79, 2.92, 2.44, 2.23, 2.44, 1.91, 1.80, 2.75, 2.41, 2.31])

SCENARIO = """\
name: report_fixture
year: 2030
weather: {source: normals, normals: normals.csv, seed: 1}
tariff: {name: evn_2025}
economics: {discount_rate_real: 0.063, cost_year: 2025}
pv: {roof_potential: technical}  # the fixture's numbers predate issue 17's inputs
sources:
  tariff.name: {mark: S2, source: "QĐ 1279/QĐ-BCT (10/5/2025) prices excluding VAT"}
  economics.discount_rate_real: {mark: E, source: "pre-tax WACC less inflation"}
parks:
  - id: dong_mai
    name: "KCN Đông Mai"
    kind: KCN
    location: {lat: 21.01, lon: 106.82, altitude_m: 10}
    weather_station: quang_yen
    area_ha: 167
    occupancy: 0.579
    occupancy_year: 2025
    industries: [{cls: electronics, share: 0.7}, {cls: mechanical, share: 0.3}]
    heritage_buffer: true
    load: {source: bottom_up}
    pv: [{name: roof, kind: rooftop, tilt: 10, azimuth: 180}]
    grid: {voltage: 22_110kv, substation_mva: 40, transformers: 2}
    sources:
      area_ha: {mark: E, source: "~167 ha reported, unverified"}
      grid.substation_mva: {mark: NF, source: "test value"}
  - id: hai_ha
    name: "KCN Texhong Hải Hà"
    kind: KCN
    location: {lat: 21.41, lon: 107.76, altitude_m: 5}
    weather_station: mong_cai
    area_ha: 660
    occupancy: 0.4545
    occupancy_year: 2025
    industries: [{cls: textile, share: 1.0}]
    load: {source: bottom_up}
    pv:
      - {name: roof, kind: rooftop, tilt: 10, azimuth: 180}
      - {name: ground, kind: ground, tilt: 20, azimuth: 180, max_kwp: 10000}
    wind:
      - {name: coast_wind, turbine: Generic-54/500, hub_height_m: 50, count: 4, terrain: coast}
    battery: {fixed_kwh: 20000, fixed_kw: 5000, throughput_cost_vnd_per_kwh: 100}
    grid: {voltage: ge110kv}
    sources:
      area_ha: {mark: S, source: "phase 1 660 ha"}
"""


def write_inputs(folder: Path) -> Path:
    """The fixture's normals and scenario files; returns the scenario path."""
    rows = []
    for sid, name, lat, lon, (ghi, temp, wind) in (
            ("quang_yen", "Quảng Yên", 20.94, 106.80, HANOI),
            ("mong_cai", "Móng Cái", 21.52, 107.97, QINZHOU)):
        for m in range(12):
            rows.append({"station": sid, "name": name, "lat": lat, "lon": lon, "altitude_m": 5,
                         "month": m + 1, "ghi_kwh_m2_day": ghi[m], "temp_air_c": temp[m],
                         "wind_speed_m_s": wind[m], "wind_height_m": 10, "terrain": "coast",
                         "source": "typical-year monthly means (quang_ninh.md §7)", "mark": "S"})
    pd.DataFrame(rows).to_csv(folder / "normals.csv", index=False)
    (folder / "scenario.yaml").write_text(SCENARIO, encoding="utf-8")
    return folder / "scenario.yaml"


def _cut(value, mask: np.ndarray, n: int):
    """``value`` with every hourly array, Series or frame of length ``n`` cut to ``mask``."""
    if isinstance(value, (pd.Series, pd.DataFrame)) and len(value) == n:
        out = value[mask]
        out.attrs.update(value.attrs)
        return out
    if isinstance(value, np.ndarray) and value.ndim == 1 and len(value) == n:
        return value[mask]
    if isinstance(value, list):
        return [_cut(v, mask, n) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changed = {f.name: _cut(getattr(value, f.name), mask, n) for f in dataclasses.fields(value)}
        changed = {k: v for k, v in changed.items() if v is not getattr(value, k)}
        return dataclasses.replace(value, **changed) if changed else value
    return value


def short_park_inputs(real=pipeline.assemble, horizon=HORIZON):
    """An ``assemble`` that builds the year, then cuts it to ``horizon``."""
    def park_inputs(scenario, park, weather):
        inputs = real(scenario, park, weather)
        idx = inputs.load_kw.index
        start, end = (pd.Timestamp(t, tz=idx.tz) for t in horizon)
        mask = (idx >= start) & (idx < end)
        return _cut(inputs, np.asarray(mask), len(idx))

    return park_inputs


def tree_digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``, by relative path."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(out_dir: Path) -> list[str]:
    """Hidden staging folders (``.<name>.partial-…``, ``.report-partial-…``) left behind."""
    return sorted(p.name for p in out_dir.rglob(".*") if "partial" in p.name or "-old-" in p.name)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """(results folder, ScenarioResult) of the fixture run, English report."""
    from energy_model.pipeline import load_scenario

    base = tmp_path_factory.mktemp("report_run")
    scenario = load_scenario(write_inputs(base))
    mp = pytest.MonkeyPatch()
    mp.setattr(pipeline_run, "assemble", short_park_inputs())
    try:
        folder, result = run_and_report(scenario, base / "results", lang="en",
                                        progress=False, workers=1)
    finally:
        mp.undo()
    return folder, result


@pytest.fixture(scope="module")
def res(run):
    return load_results(run[0])


@pytest.fixture(scope="module")
def vi_build(run, tmp_path_factory):
    """A copy of the fixture folder with its report rebuilt in Vietnamese by the CLI, and
    the warnings raised while drawing it."""
    from energy_model.cli import main

    folder = tmp_path_factory.mktemp("vi") / "report_fixture"
    shutil.copytree(run[0], folder)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert main(["report", str(folder), "--lang", "vi", "--quiet"]) == 0
    return folder, [str(w.message) for w in caught]


@pytest.fixture(scope="module")
def vi_folder(vi_build):
    return vi_build[0]


# --------------------------------------------------------------------------- the folder

def test_results_folder_has_every_part(run):
    folder, result = run
    names = {p.name for p in folder.iterdir()}
    assert {"summary.csv", "parks", "plots", "report.html", "run.json", "analysis",
            "assumptions"} <= names
    assert {p.name for p in (folder / "analysis").iterdir()} == {
        "frontier.csv", "tornado.csv", "weather_check.csv", "weather_params.csv"}
    assert {p.name for p in (folder / "assumptions").iterdir()} == {
        "costs.csv", "emission_factor.csv", "tariff.csv", "tou_frame.csv"}
    expected = {f"{s}.png" for s, _ in plots.PROVINCE_PLOTS + GRID_PLOTS} | {
        f"{s}_{pid}.png" for s, _ in plots.PARK_PLOTS for pid in ("dong_mai", "hai_ha")}
    assert {p.name for p in (folder / "plots").iterdir()} == expected
    assert leftovers(folder.parent) == []
    assert "report" in result.timings and "analysis" in result.timings


def test_load_results_round_trip(run, res):
    folder, result = run
    assert res.park_ids == ["dong_mai", "hai_ha"]
    for pid, p in result.parks.items():
        back = res.hourly[pid]
        assert str(back.index.tz) == "Asia/Ho_Chi_Minh"
        assert back.index.equals(p.sizing.dispatch.index)
        np.testing.assert_allclose(back["grid_import_kw"], p.sizing.dispatch["grid_import_kw"],
                                   rtol=1e-5, atol=1e-3)
    assert res.province["park_id"] == "PROVINCE"
    assert res.largest_park() == "hai_ha"


def test_load_results_names_a_missing_folder(tmp_path):
    from energy_model.errors import UsageError

    with pytest.raises(UsageError, match="not a results folder.*no such folder"):
        load_results(tmp_path / "nope")
    (tmp_path / "run.json").write_text("{}")
    with pytest.raises(UsageError, match="missing summary.csv"):
        load_results(tmp_path)


def test_supply_split_adds_up_to_the_load(run, res):
    cols = ["pv_to_load_kw", "wind_to_load_kw", "battery_to_load_kw", "grid_to_load_kw", "unmet_kw"]
    for pid, p in run[1].parks.items():
        d = p.sizing.dispatch  # in memory: exact to the LP's tolerance
        s = supply_split(d)
        np.testing.assert_allclose(s[cols].sum(axis=1), d["load_kw"],
                                   atol=1e-6 * d["load_kw"].max())
        assert (s[["pv_to_load_kw", "wind_to_load_kw", "battery_to_load_kw"]] >= -1e-6).all().all()
        h = res.hourly[pid]  # from the CSV, written with 6 significant digits
        np.testing.assert_allclose(supply_split(h)[cols].sum(axis=1), h["load_kw"],
                                   atol=3e-5 * h["load_kw"].max())


def test_supply_split_by_hand():
    idx = pd.date_range("2030-01-01", periods=4, freq="h", tz="Asia/Ho_Chi_Minh")
    h = pd.DataFrame({  # PV surplus charges and is sold; PV short; night; grid charging
        "load_kw": [100, 100, 100, 100], "pv_kw": [180, 60, 0, 90], "wind_kw": [20, 20, 0, 0],
        "curtailment_kw": [10, 0, 0, 0], "battery_charge_kw": [40, 0, 0, 30],
        "battery_discharge_kw": [0, 0, 30, 0], "grid_import_kw": [0, 20, 70, 40],
        "grid_export_kw": [50, 0, 0, 0], "unmet_kw": [0, 0, 0, 0]}, index=idx, dtype=float)
    s = supply_split(h)
    # hour 0: kept 200 − 10 − 50 = 140, 100 to load split 0.9/0.1 by availability, 40 charge
    # hour 3: all 90 kW of PV meet the load; the grid's 40 kW are 10 to load and 30 to charge
    assert s["pv_to_load_kw"].tolist() == pytest.approx([90, 60, 0, 90])
    assert s["wind_to_load_kw"].tolist() == pytest.approx([10, 20, 0, 0])
    assert s["battery_to_load_kw"].tolist() == pytest.approx([0, 0, 30, 0])
    assert s["grid_to_load_kw"].tolist() == pytest.approx([0, 20, 70, 10])


def test_annual_energy_matches_the_summary(res):
    a = plots.province._annual_split(res)
    for pid in res.park_ids:
        row = res.parks.loc[pid]
        assert a.loc[pid, "load_kw"] == pytest.approx(row["load_gwh"], rel=1e-5)
        assert a.loc[pid, "export_kw"] == pytest.approx(row["grid_export_gwh"], rel=1e-5, abs=1e-9)
        assert a.loc[pid, "curtailment_kw"] == pytest.approx(row["curtailment_gwh"], rel=1e-5,
                                                             abs=1e-9)


# --------------------------------------------------------------------------- analysis

def test_frontier_is_a_true_least_cost_curve(run, res):
    from energy_model.studies.frontier import frontier_park, renewable_ceiling

    f = res.frontier
    assert set(f["park_id"]) == {frontier_park(run[1])} == {"hai_ha"}
    ceiling = f[f["point"] == "ceiling"]["self_sufficiency_pct"].iloc[0]
    bound = renewable_ceiling(run[1].parks["hai_ha"].inputs)
    assert ceiling == pytest.approx(100 * bound, rel=1e-5)
    assert (f["self_sufficiency_pct"].dropna() <= ceiling + 1e-6).all()
    solves = f[f["point"] == "target"]
    assert 1 <= len(solves) <= 4
    chosen = f[f["point"] == "chosen"].iloc[0]
    assert chosen["self_sufficiency_pct"] == pytest.approx(
        res.parks.loc["hai_ha", "self_sufficiency_pct"], abs=1e-4)
    ok = solves[solves["status"] == "optimal"]
    # each target is met, and a higher target never costs less (nested feasible sets)
    assert (ok["self_sufficiency_pct"] >= ok["target_share_pct"] - 1e-4).all()
    assert np.all(np.diff(ok["annual_cost_billion_vnd"].to_numpy()) >= -1e-6)
    assert (ok["annual_cost_billion_vnd"] >= chosen["annual_cost_billion_vnd"] - 1e-6).all()
    grid = f[f["point"] == "grid_only"].iloc[0]
    assert grid["annual_cost_billion_vnd"] == pytest.approx(
        res.parks.loc["hai_ha", "grid_only_cost_billion_vnd"], rel=1e-5)


def test_frontier_points_are_the_monolithic_optimum_from_warm_fast_solves(run, res):
    """Issue 19: each frontier point is an exact fast-path solve (the first from the
    representative days, the others warm-started from the previous point; no monolithic
    fallback), and its cost is the monolithic LP's optimum at that target within 1e-6."""
    from energy_model.pipeline import Changes, solve

    f = res.frontier
    targets = f[f["point"] == "target"]
    assert len(targets) >= 2 and (targets["status"] == "optimal").all()
    assert (targets["method"] == "fast").all()
    assert targets["fallback"].isna().all()  # empty in the CSV: no fallback
    inputs = run[1].parks["hai_ha"].inputs
    for _, row in targets.iterrows():
        mono = solve(inputs, changes=Changes(min_renewable_share=row["target_share_pct"] / 100),
                     method="monolithic")
        assert row["annual_cost_billion_vnd"] == pytest.approx(mono.objective / 1e9, rel=1e-6)
        # the floor binds above the chosen design's share: imports are exactly 1 − target
        assert row["self_sufficiency_pct"] == pytest.approx(row["target_share_pct"], rel=1e-6)


def test_renewable_ceiling_by_hand():
    from energy_model.studies.frontier import frontier_targets, renewable_ceiling
    from energy_model.sizing import Battery, Policy, Technology

    load = pd.Series([1.0, 1.0, 1.0, 1.0])
    pv = Technology(name="pv", kind="rooftop", profile_per_kw=np.array([0.0, 2.0, 0.0, 2.0]),
                    capex_per_kw=1.0, max_kw=1.0)

    @dataclasses.dataclass
    class Inputs:
        load_kw: pd.Series
        technologies: list
        policy: Policy
        battery: object = None

    # no battery: only the sunny hours are covered
    assert renewable_ceiling(Inputs(load, [pv], Policy())) == pytest.approx(0.5)
    # a lossy battery shifts the 2 kWh surplus: 0.5 + 2 × 0.81 / 4 = 0.905
    b = Battery(capex_per_kwh=1, capex_per_kw=1, eta_charge=0.9, eta_discharge=0.9)
    assert renewable_ceiling(Inputs(load, [pv], Policy(), b)) == pytest.approx(0.905)
    # ground PV is not allowed in the heritage buffer zone
    ground = dataclasses.replace(pv, kind="ground")
    assert renewable_ceiling(Inputs(load, [ground], Policy(heritage_buffer=True))) == 0.0
    # four even steps up to 95 % of the ceiling; none when already within a point of it
    assert frontier_targets(0.2, 0.6) == pytest.approx([0.2925, 0.385, 0.4775, 0.57])
    assert frontier_targets(0.565, 0.6) == []


def test_tornado_base_is_the_runs_npv_and_capex_moves_it_by_hand(run, res):
    from energy_model.studies.tornado import TORNADO_DRIVERS, tornado

    folder, result = run
    t = tornado(result)  # in memory; the CSV holds the same to 6 significant digits
    saved = res.tornado
    num = ["low_value", "high_value", "npv_base_billion_vnd", "npv_low_billion_vnd",
           "npv_high_billion_vnd"]
    np.testing.assert_allclose(saved[num].to_numpy(float), t[num].to_numpy(float), rtol=1e-5)
    prov = t[t["scope"] == "PROVINCE"].set_index("driver")
    npv_sum = sum(p.economics.npv_vnd for p in result.parks.values()) / 1e9
    assert prov["npv_base_billion_vnd"].to_numpy() == pytest.approx(
        np.full(len(prov), npv_sum), rel=1e-12)
    assert list(prov.index) == [d[0] for d in TORNADO_DRIVERS]
    for pid, p in result.parks.items():
        rows = t[t["scope"] == pid].set_index("driver")
        base = p.economics.npv_vnd / 1e9
        assert rows["npv_base_billion_vnd"].to_numpy() == pytest.approx(
            np.full(len(rows), base), rel=1e-12)
        cf = p.cash_flow
        # capex −20 %: NPV rises by 20 % of the discounted capex, replacements and salvage
        invest = float(((cf["capex_vnd"] + cf["replacement_vnd"] - cf["salvage_vnd"])
                        * cf["discount_factor"]).sum()) / 1e9
        capex = rows.loc["capex"]
        assert capex["npv_low_billion_vnd"] - base == pytest.approx(0.2 * invest, rel=1e-9)
        assert capex["npv_high_billion_vnd"] - base == pytest.approx(-0.2 * invest, rel=1e-9)
        # ±10 % yield scales the discounted saving by ±10 %
        saving = float((cf["savings_vnd"] * cf["discount_factor"]).sum()) / 1e9
        high = rows.loc["yield", "npv_high_billion_vnd"]
        assert high - base == pytest.approx(0.1 * saving, rel=1e-9)
        # issue 17: load growth is re-dispatched; a slower-growing load absorbs no more
        # surplus than the base one (tests/test_redispatch.py checks the amount by hand)
        assert rows.loc["load_growth", "npv_low_billion_vnd"] <= base + 1e-9
        assert rows.loc["load_growth", "npv_high_billion_vnd"] >= base - 1e-9
        assert rows.loc["discount_rate", "low_value"] == pytest.approx(4.3)
        assert rows.loc["escalation", "high_value"] == pytest.approx(2.5)
    # hai_ha sells nothing, so the tariff moves its saving exactly like the yield does
    hh = t[t["scope"] == "hai_ha"].set_index("driver")
    assert res.parks.loc["hai_ha", "grid_export_gwh"] == 0
    assert hh.loc["tariff", "npv_low_billion_vnd"] == pytest.approx(
        hh.loc["yield", "npv_low_billion_vnd"], rel=1e-12)


def test_table_npv_by_hand():
    from energy_model.studies.tornado import table_npv

    table = pd.DataFrame({"savings_vnd": [0.0, 100.0, 100.0], "capex_vnd": [150.0, 0, 0],
                          "replacement_vnd": 0.0, "salvage_vnd": 0.0, "om_vnd": [0, 10.0, 10.0]},
                         index=pd.Index([0, 1, 2], name="year"))
    rates = {"discount_rate_real": 0.0, "inflation": 0.0}
    assert table_npv(table, **rates) == pytest.approx(30.0)
    assert table_npv(table, **rates, capex=0.8) == pytest.approx(60.0)
    assert table_npv(table, **rates, saving=1.1) == pytest.approx(50.0)
    assert table_npv(table, **rates, escalation_to=0.1) == pytest.approx(30.0 + 10 + 21)
    assert table_npv(table, discount_rate_real=0.1, inflation=0.0) == pytest.approx(
        -150 + 90 / 1.1 + 90 / 1.21)


def test_weather_check_matches_the_normals(res):
    p = res.weather_params
    assert set(p["station"]) == {"quang_yen", "mong_cai"}
    assert set(p["parameter"]) == {"weibull_k", "wind_autocorr_1h", "diurnal_strength",
                                   "peak_hour", "temp_range_c"}
    # the fixture's normals give no wind structure: HOMER's defaults stand in, flagged
    assert p.set_index(["station", "parameter"]).loc[("mong_cai", "weibull_k"), "normal"] == 2.0
    assert p["estimated"].astype(str).eq("True").all()
    # issue 17: the design year within a 30-year ensemble of the same normals
    w = res.weather_check
    assert set(w["station"]) == {"quang_yen", "mong_cai"}
    assert len(w) == 2 * 2 * 31  # stations × quantities × (design + 30 years)
    design = w[w["weather_year"] == 0].set_index(["station", "quantity"])
    for (station, q), row in design.iterrows():
        ens = w[(w["station"] == station) & (w["quantity"] == q) & (w["weather_year"] > 0)]
        above = (ens["value"] > row["value"]).sum()
        assert row["exceedance"] == pytest.approx(above / 30, abs=0.5 / 30), (station, q)
    pv = design.xs("pv_yield", level="quantity")["value"]
    assert pv.between(900, 1500).all()  # kWh/kWp/yr of a 10° roof in Quảng Ninh


# --------------------------------------------------------------------------- plots

def _has_data(ax) -> bool:
    return bool(ax.lines or ax.patches or ax.collections)


def _label_near(ax, which: str) -> str:
    """The axis label of ``ax``, or of the grid neighbour sharing that axis."""
    own = ax.get_xlabel() if which == "x" else ax.get_ylabel()
    if own or ax.get_subplotspec() is None:
        return own
    spec = ax.get_subplotspec()
    for other in ax.figure.axes:
        s = other.get_subplotspec()
        if s is None or other is ax:
            continue
        same = s.colspan == spec.colspan if which == "x" else s.rowspan == spec.rowspan
        if same and s.get_gridspec() is spec.get_gridspec():
            label = other.get_xlabel() if which == "x" else other.get_ylabel()
            if label:
                return label
    return ""


def _overlaps(a, b) -> bool:
    return not (a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0)


@pytest.fixture(scope="module")
def figures_en(res):
    figs = list(plots.all_figures(res, "en"))
    yield figs
    for _, _, f in figs:
        f.clear()


def test_every_figure_has_title_caption_and_unit_labels(figures_en):
    assert len(figures_en) == len(plots.PROVINCE_PLOTS + GRID_PLOTS) + 2 * len(plots.PARK_PLOTS)
    for stem, _, fig in figures_en:
        assert fig.get_suptitle(), stem
        caption = plots.caption_of(fig)
        assert caption.endswith(".") and len(caption) > 40, stem
        for ax in fig.axes:
            if not ax.get_visible() or not _has_data(ax) or ax.get_label() == "<colorbar>":
                continue
            labels = _label_near(ax, "x") + " " + _label_near(ax, "y")
            assert re.search(r"\[[^\]]+\]", labels), (stem, labels)


def test_titles_legends_and_captions_do_not_overlap(figures_en):
    from matplotlib.text import Text

    for stem, _, fig in figures_en:
        fig.canvas.draw()
        r = fig.canvas.get_renderer()
        boxes = [("title", fig._suptitle.get_window_extent(r))]
        cap = [t for t in fig.findobj(Text) if t.get_gid() == plots.CAPTION_GID][0]
        boxes.append(("caption", cap.get_window_extent(r)))
        for sub in fig.subfigs:
            boxes += [("legend", leg.get_window_extent(r)) for leg in sub.legends]
        for ax in fig.axes:
            if ax.get_visible() and _has_data(ax):
                boxes.append(("axes", ax.get_tightbbox(r)))
        for i, (na, a) in enumerate(boxes):
            for nb, b in boxes[i + 1:]:
                if {na, nb} != {"axes"}:
                    assert not _overlaps(a, b), (stem, na, nb)


def test_figures_drawn_by_two_workers_are_the_same_bytes_in_report_order(res):
    """Issue 19: the report's figures may be drawn by a process pool; the PNGs, titles and
    captions are byte-identical to drawing them in-process, in the registry's order."""
    from energy_model.report import render_figures

    serial = render_figures(res, "vi", workers=1)
    pooled = render_figures(res, "vi", workers=2)
    expected = [s for s, _, _ in plots.figure_specs(res)]
    assert [f.stem for f in serial] == [f.stem for f in pooled] == expected
    assert len(expected) == len(plots.PROVINCE_PLOTS + GRID_PLOTS) + 2 * len(plots.PARK_PLOTS)
    for a, b in zip(serial, pooled):
        assert (a.png, a.title, a.caption, a.park_id) == (b.png, b.title, b.caption, b.park_id)
        assert a.png.startswith(b"\x89PNG") and len(a.png) > 10_000


def test_png_files_are_reproducible(res):
    import io

    first, second = io.BytesIO(), io.BytesIO()
    plots.save_png(plots.tornado(res, "vi"), first)
    plots.save_png(plots.tornado(res, "vi"), second)
    assert first.getvalue() == second.getvalue()


def test_plots_of_a_folder_without_analysis_say_so(run, tmp_path):
    folder = tmp_path / "bare"
    shutil.copytree(run[0], folder)
    shutil.rmtree(folder / "analysis")
    res = load_results(folder)
    assert res.frontier is None and "analysis/frontier.csv" in res.missing
    for func in (plots.frontier, plots.tornado, plots.weather_check):
        fig = func(res, "vi")
        texts = " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
        assert "Chưa được tính" in texts


# --------------------------------------------------------------------------- HTML

class _Page(HTMLParser):
    """Collects tags with their attributes, and the visible text outside exempt elements."""

    EXEMPT = {"script", "style", "code", "pre"}
    VOID = {"img", "br", "meta", "link", "hr", "input"}

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._stack: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        exempt = any(e for _, e in self._stack) or tag in self.EXEMPT or a.get("lang") == "en"
        for attr in ("alt", "title"):
            if a.get(attr) and not exempt:
                self.text.append(a[attr])
        if tag not in self.VOID:
            self._stack.append((tag, exempt))

    def handle_endtag(self, tag):
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not any(e for _, e in self._stack):
            self.text.append(data)


def parse_page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_report_is_one_self_contained_file(run, res):
    page = parse_page(run[0] / "report.html")
    imgs = [a for t, a in page.tags if t == "img"]
    assert len(imgs) == len(plots.PROVINCE_PLOTS + GRID_PLOTS) + 2 * len(plots.PARK_PLOTS)
    assert all(a["src"].startswith("data:image/png;base64,") for a in imgs)
    assert not [t for t, a in page.tags if t in ("script", "link", "iframe", "object")]
    for t, a in page.tags:
        for attr in ("src", "href"):
            v = a.get(attr, "")
            assert not v or v.startswith(("data:", "#")), (t, v)
    html = (run[0] / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert "url(" not in html and "@import" not in html
    # summary first, then parks, then methods with marks, tariffs, costs and emission factor
    order = [html.index(f'id="{s}"') for s in ("summary", "parks", "methods")]
    assert order == sorted(order)
    for needle in ("Data sources and their quality marks", "Electricity tariff", "Costs",
                   "Grid emission factor", "mark-S2", "mark-NF", "pv_rooftop_capex"):
        assert needle in html, needle


def test_vietnamese_report_formats_numbers_and_money(vi_folder, res):
    html = (vi_folder / "report.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in html
    from energy_model.report.i18n import Translator

    tr = Translator("vi")
    p = res.province
    assert f"{tr.num(p['load_gwh'], 1)} GWh" in html
    assert tr.billion(p["capex_billion_vnd"]) in html and "tỷ đồng" in html
    assert "," in tr.num(p["load_gwh"], 1)  # decimal comma
    assert "Tóm tắt cho người ra quyết định" in html and "Bảng thuật ngữ" in html


# English words allowed in the Vietnamese report: units, acronyms, tool and proper names,
# and Vietnamese syllables written without diacritics that are also English words.
ALLOWED_ASCII = {
    "kw", "kwh", "kwp", "mw", "mwh", "mwp", "gwh", "kv", "mva", "co", "tco", "usd", "ha", "h", "m",
    "npv", "irr", "lcoe", "lcos", "ghi", "bess", "dppa", "tou", "evn", "kcn", "kkt", "nf",
    "user", "highs", "pvwatts", "sam", "pvlib", "windpowerlib", "weibull",
    "long", "ninh", "khoai",  # Hạ Long, Quảng Ninh, Sông Khoai
    "so",  # Vietnamese "so với" (compared with)
    "km", "globe",  # map: unit; the GLOBE land-mask data set (a proper name)
    "bay",  # Vietnamese "sân bay" (airport)
}
COMMON_ENGLISH = set("""the and for with from per not this that are was were has have all any each
load grid cost costs year years power energy peak park parks zone zones solar wind battery import
export share saving savings before after month hour hours day days scenario report figure table
source value total none unknown data file run model plot capacity tariff price prices rate
discount yield growth investment emission factor weather normal normals station curtailed sold
monthly annual province summary methods assumptions hour of at or on in to by as is be""".split())


def english_words(texts, allowed_names=()) -> list[str]:
    """ASCII words of ``texts`` that are English (the report's English catalog or common words)."""
    from energy_model.report.i18n import catalog

    lexicon = set(COMMON_ENGLISH)
    for msg in catalog("en")["messages"].values():
        lexicon |= {w.lower() for w in re.findall(r"[A-Za-z]{2,}", re.sub(r"\{\w+\}", "", msg))}
    allowed = ALLOWED_ASCII | {w.lower() for n in allowed_names for w in re.findall(r"\w+", n)}
    found = set()
    for text in texts:
        for token in re.findall(r"\w+", text):
            if re.fullmatch(r"[A-Za-z]+", token) and token.lower() in lexicon \
                    and token.lower() not in allowed:
                found.add(token)
    return sorted(found)


def test_vietnamese_report_has_no_english_outside_the_allow_list(vi_folder, res):
    page = parse_page(vi_folder / "report.html")
    names = list(res.summary["name"].astype(str))
    assert english_words(page.text, names) == []
    # the check can fail: an untranslated sentence is caught
    leak = english_words(page.text + ["Annual energy by source"], names)
    assert leak == ["Annual", "by", "energy", "source"]
    # what is quoted verbatim (lang="en") is the scenario's and data files' own text
    quoted = [a for t, a in page.tags if a.get("lang") == "en"]
    assert quoted and all(t in ("span", "pre") for t, a in page.tags if a.get("lang") == "en")


def test_vietnamese_plots_have_no_english_and_no_missing_glyphs(vi_build, res):
    from matplotlib.text import Text

    # every figure of the Vietnamese report was drawn without a missing-glyph warning
    assert [w for w in vi_build[1] if "missing from font" in w] == []
    names = list(res.summary["name"].astype(str))
    for stem, _, fig in plots.all_figures(res, "vi"):  # titles, labels, legends, notes
        texts = [t.get_text() for t in fig.findobj(Text) if t.get_visible()]
        assert english_words(texts, names) == [], stem
        assert any("đ" in t or "ư" in t or "ơ" in t for t in texts), stem
        fig.clear()


# --------------------------------------------------------------------------- CLI and atomicity

def test_report_cli_rebuilds_in_place(vi_folder, run):
    assert (vi_folder / "report.html").stat().st_size > 100_000
    assert tree_digest(vi_folder / "parks") == tree_digest(run[0] / "parks")
    assert leftovers(vi_folder) == []
    en = (run[0] / "plots" / "tornado.png").read_bytes()
    vi = (vi_folder / "plots" / "tornado.png").read_bytes()
    assert en != vi  # redrawn in Vietnamese


def test_rebuilt_report_ignores_the_packages_current_tables(run, tmp_path, monkeypatch):
    """Issue 14's report-rebuild test: run, edit the package's cost (and emission-factor,
    tariff) tables, rebuild with ``energy-model report``: the report is byte-identical."""
    from energy_model import economics, paths
    from energy_model.cli import main

    folder = tmp_path / "report_fixture"
    shutil.copytree(run[0], folder)
    before = (folder / "report.html").read_bytes()
    data = tmp_path / "package" / "data"
    shutil.copytree(paths.PACKAGE_DIR / "data", data)
    edits = {"costs.csv": ("pv_rooftop_capex,VND/kWp,13000000,", "pv_rooftop_capex,VND/kWp,26000000,"),
             "emission_factors.csv": ("tCO2/MWh,0.6612,", "tCO2/MWh,0.1234,"),
             "tariffs.yaml": ("22_110kv: {offpeak: 1190,", "22_110kv: {offpeak: 1111,")}
    for name, (old, new) in edits.items():
        text = (data / name).read_text(encoding="utf-8")
        assert text.count(old) == 1, name
        (data / name).write_text(text.replace(old, new), encoding="utf-8")
    monkeypatch.setattr(paths, "PACKAGE_DIR", data.parent)  # package_data() now reads the copy
    assert economics.load_costs().technologies["pv_rooftop"].capex_vnd_per_unit == 26e6

    assert main(["report", str(folder), "--quiet"]) == 0
    after = (folder / "report.html").read_bytes()
    assert after == before
    page = after.decode("utf-8")
    assert "13.00 million VND/kWp" in page and "26.00 million" not in page
    assert ">1,190<" in page and ">1,111<" not in page


def test_assumption_tables_are_what_the_lp_used(run):
    """assumptions/tariff.csv: the prices behind each park's hourly LP import price, and
    the hours of the run (two months) in each period; the emission factor of the LP."""
    folder, result = run
    res = load_results(folder)
    for pid, p in result.parks.items():
        rows = res.tariff[res.tariff["park_id"] == pid].set_index("period")
        price = np.asarray(p.inputs.grid.import_price, dtype=float)
        # every hour's price is the period prices weighted by the hour's share in each
        assert price.sum() == pytest.approx((rows["price_vnd_per_kwh"] * rows["hours"]).sum(),
                                            rel=1e-12)
        assert set(rows["price_vnd_per_kwh"]) <= set(np.round(price, 9))
        assert rows["hours"].sum() == pytest.approx(len(p.inputs.load_kw), abs=1e-9)
        assert res.emission_factor["value_t_per_mwh"].iloc[0] == pytest.approx(
            p.inputs.grid.emission_factor_t_per_mwh, rel=1e-6)
    assert res.tariff.loc[res.tariff["park_id"] == "dong_mai", "price_vnd_per_kwh"].tolist() == [
        1190, 1833, 3398]  # manufacturing, 22–110 kV, evn_2025 (QĐ 1279)


def test_report_without_assumption_tables_says_so(run, tmp_path):
    folder = tmp_path / "report_fixture"
    shutil.copytree(run[0], folder)
    for name in ("costs.csv", "tariff.csv", "emission_factor.csv", "tou_frame.csv"):
        (folder / "assumptions" / name).unlink()
    res = load_results(folder)
    assert res.costs is None and "assumptions/costs.csv" in res.missing
    build_report(folder, lang="en", progress=False)
    page = (folder / "report.html").read_text(encoding="utf-8")
    for name in ("costs.csv", "tariff.csv", "tou_frame.csv"):
        assert f"<code>assumptions/{name}</code> is missing from the results folder" in page


def test_report_cli_on_a_missing_folder(run_cli, tmp_path):
    code, out, err = run_cli("report", tmp_path / "nope")
    assert code == 2
    assert "nope is not a results folder" in err and "Traceback" not in err


def test_interrupted_rebuild_keeps_the_old_report(run, tmp_path, monkeypatch):
    folder = tmp_path / "report_fixture"
    shutil.copytree(run[0], folder)
    before = tree_digest(folder)

    def boom(*args, **kwargs):
        raise RuntimeError("injected failure while drawing")

    monkeypatch.setattr(plots, "tornado", boom)
    monkeypatch.setattr(plots, "PROVINCE_PLOTS", tuple((s, boom if s == "tornado" else f)
                                                        for s, f in plots.PROVINCE_PLOTS))
    with pytest.raises(RuntimeError, match="injected"):
        build_report(folder, lang="vi")
    assert tree_digest(folder) == before
    assert leftovers(folder) == []


def test_run_interrupted_by_an_exception_keeps_the_earlier_results(run, tmp_path, monkeypatch):
    from energy_model.pipeline import load_scenario

    out = tmp_path / "results"
    shutil.copytree(run[0], out / "report_fixture")
    before = tree_digest(out / "report_fixture")
    scenario = load_scenario(write_inputs(tmp_path))

    def boom(*args, **kwargs):
        raise RuntimeError("injected failure in the report")

    monkeypatch.setattr(pipeline_run, "assemble", short_park_inputs())
    monkeypatch.setattr(plots, "PROVINCE_PLOTS", tuple((s, boom if s == "coincident_peak" else f)
                                                        for s, f in plots.PROVINCE_PLOTS))
    with pytest.raises(RuntimeError, match="injected"):
        run_and_report(scenario, out, force=True, progress=False, workers=1)
    assert tree_digest(out / "report_fixture") == before
    assert leftovers(out) == []
    assert sorted(p.name for p in out.iterdir()) == ["report_fixture"]


DRIVER = """
import sys
sys.path.insert(0, {tests!r})
import test_report as T
from energy_model.pipeline import run as pipeline_run
from energy_model.cli import main
pipeline_run.assemble = T.short_park_inputs()
sys.exit(main(["run", {scenario!r}, "--out", {out!r}, "--force", "--workers", "1", "--quiet"]))
"""


@pytest.mark.slow
def test_run_interrupted_by_sigint_keeps_the_earlier_results(run, tmp_path):
    out = tmp_path / "results"
    shutil.copytree(run[0], out / "report_fixture")
    before = tree_digest(out / "report_fixture")
    scenario = write_inputs(tmp_path)
    driver = textwrap.dedent(DRIVER.format(tests=str(HERE), scenario=str(scenario), out=str(out)))
    env = dict(os.environ, MPLBACKEND="Agg")
    proc = subprocess.Popen([sys.executable, "-c", driver], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        # wait until the new folder is being written (the model has run), then interrupt
        while not any(p.name.startswith(".report_fixture.partial-") for p in out.iterdir()):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr
    assert tree_digest(out / "report_fixture") == before
    assert leftovers(out) == []


# --------------------------------------------------------------------------- browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium not installed "
                                                             "(.ci/run installs it)")
#: injected first in <head>: records script errors, failed resources and console.error, and
#: on load writes the count of images and of broken ones into the DOM
PROBE = """<script>
window.__errors = [];
window.addEventListener('error', function (e) {
  var t = e.target;
  window.__errors.push(t && t.tagName ? 'resource failed: ' + t.tagName : 'error: ' + e.message);
}, true);
window.addEventListener('unhandledrejection', function (e) {
  window.__errors.push('rejection: ' + e.reason);
});
var __ce = console.error;
console.error = function () {
  window.__errors.push('console.error: ' + Array.prototype.join.call(arguments, ' '));
  return __ce.apply(console, arguments);
};
window.addEventListener('load', function () {
  var imgs = Array.prototype.slice.call(document.images);
  var broken = imgs.filter(function (i) { return !(i.complete && i.naturalWidth > 0); }).length;
  var pre = document.createElement('pre');
  pre.textContent = 'PROBE' + JSON.stringify({images: imgs.length, broken: broken,
                                              errors: window.__errors}) + 'EBORP';
  document.body.appendChild(pre);
});
</script>"""


def chromium(args: list[str], tmp: Path) -> subprocess.CompletedProcess:
    """Run headless Chromium offline, with console messages logged to stderr."""
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--no-first-run", f"--user-data-dir={tmp / 'chromium-profile'}",
           "--enable-logging=stderr", "--v=0", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


def browser_check(html: Path, tmp: Path) -> dict:
    """Open ``html`` with the probe: images found and broken, script and console errors."""
    import json

    probed = tmp / f"probed-{html.stem}.html"
    probed.write_text(html.read_text(encoding="utf-8").replace("<head>", "<head>" + PROBE, 1),
                      encoding="utf-8")
    done = chromium(["--dump-dom", probed.as_uri()], tmp)
    found = re.findall(r"PROBE(\{.*?\})EBORP", done.stdout)
    assert found, (done.returncode, done.stderr[-2000:])
    result = json.loads(found[-1])
    result["console"] = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return result


def screenshot_spread(html: Path, tmp: Path) -> tuple[float, float]:
    """Screenshot of the page top (1280 × 2400): grey-level standard deviation [-] and the
    share of pixels that are not white [-]."""
    import matplotlib.image as mpimg

    shot = tmp / f"shot-{html.stem}.png"
    done = chromium(["--window-size=1280,2400", "--hide-scrollbars", f"--screenshot={shot}",
                     html.as_uri()], tmp)
    assert shot.is_file(), done.stderr[-2000:]
    img = mpimg.imread(shot)[..., :3].mean(axis=2)
    return float(img.std()), float((img < 0.97).mean())


@pytest.mark.slow
@needs_chromium
def test_report_opens_in_chromium(run, vi_folder, tmp_path):
    for folder in (run[0], vi_folder):
        got = browser_check(folder / "report.html", tmp_path)
        assert got["images"] == len(plots.PROVINCE_PLOTS + GRID_PLOTS) + 2 * len(plots.PARK_PLOTS)
        assert got["broken"] == 0 and got["errors"] == [] and got["console"] == []
        spread, inked = screenshot_spread(folder / "report.html", tmp_path)
        assert spread > 0.1 and inked > 0.05, (spread, inked)


@pytest.mark.slow
@needs_chromium
def test_browser_checks_can_fail(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
                   '<img src="data:image/png;base64,AAAA"><script>console.error("boom");'
                   "undefinedFunction();</script></body></html>", encoding="utf-8")
    got = browser_check(bad, tmp_path)
    assert got["images"] == 1 and got["broken"] == 1
    assert len(got["errors"]) == 3 and len(got["console"]) == 2
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><head></head><body></body></html>", encoding="utf-8")
    spread, inked = screenshot_spread(blank, tmp_path)
    assert spread < 0.01 and inked < 0.01


# --------------------------------------------------------------------------- issue 19: overlap

def test_frontier_points_in_a_process_pool_give_the_same_table(run, res):
    """The frontier's points are independent solves: solved by a one-process pool and the
    collecting process (which takes back the points the pool has not started) they give
    the table the run wrote (in order, the same capacities and costs)."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    from energy_model.studies.frontier import frontier

    with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as pool:
        par = frontier(run[1], executor=pool)   # the collector takes back unstarted points
    seq = res.frontier
    assert list(par["point"]) == list(seq["point"]) and (par["point"] == "target").sum() >= 2
    for col in ("target_share_pct", "self_sufficiency_pct", "annual_cost_billion_vnd",
                "pv_mwp", "battery_mwh"):
        np.testing.assert_allclose(par[col].to_numpy(float), seq[col].to_numpy(float),
                                   rtol=1e-5, atol=1e-9, err_msg=col)  # CSV: 6 digits


def test_tornado_and_weather_check_in_a_process_pool_give_the_run_tables(run, res):
    """The tornado (one task a park) and the weather check solved in a pool give the
    tables the run wrote without one (CSV: 6 significant digits)."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    from types import SimpleNamespace

    from energy_model.studies.tornado import start_tornado
    from energy_model.studies.weather_check import weather_check

    result = run[1]
    with ProcessPoolExecutor(2, mp_context=mp.get_context("spawn")) as pool:
        collect = start_tornado(result, pool)
        checked = pool.submit(weather_check, SimpleNamespace(scenario=result.scenario,
                                                             weather=result.weather))
        par, (ensemble, _) = collect(), checked.result()
    seq = pd.read_csv(run[0] / "analysis" / "tornado.csv")
    assert list(par["scope"]) == list(seq["scope"]) and list(par["driver"]) == list(seq["driver"])
    for col in ("npv_base_billion_vnd", "npv_low_billion_vnd", "npv_high_billion_vnd"):
        np.testing.assert_allclose(par[col].to_numpy(float), seq[col].to_numpy(float),
                                   rtol=1e-5, atol=1e-9, err_msg=col)
    wc = pd.read_csv(run[0] / "analysis" / "weather_check.csv")
    np.testing.assert_allclose(ensemble["value"].to_numpy(float), wc["value"].to_numpy(float),
                               rtol=1e-5)


def test_report_drawn_while_the_analysis_runs(run, tmp_path):
    """build_report(wait=...): every figure that does not read analysis/ is drawn before
    ``wait`` returns the analysis tables, the analysis figures after; the PNGs are the
    bytes of the report built in one go."""
    folder = tmp_path / "f"
    shutil.copytree(run[0], folder)
    shutil.rmtree(folder / "plots")
    (folder / "report.html").unlink()
    shutil.move(folder / "analysis", tmp_path / "analysis")
    drawn_before: list[str] = []

    def wait():
        drawn_before.extend(p.name for p in (folder).rglob("*.png"))
        shutil.move(tmp_path / "analysis", folder / "analysis")

    build_report(folder, lang="en", progress=False, wait=wait, workers=1)
    names = {p.name for p in (folder / "plots").iterdir()}
    assert names == {p.name for p in (run[0] / "plots").iterdir()}
    before = {n for n in drawn_before}
    assert before and not before & {f"{s}.png" for s in plots.ANALYSIS_STEMS}
    assert before | {f"{s}.png" for s in plots.ANALYSIS_STEMS} == names
    for n in names:
        assert (folder / "plots" / n).read_bytes() == (run[0] / "plots" / n).read_bytes(), n
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert html.index('id="fig-frontier"') > html.index('id="fig-capacity_mix"')


# --------------------------------------------------------------------------- issue 17.8

def _pathway_table(summary: pd.DataFrame, years=(2025, 2030, 2050)) -> pd.DataFrame:
    """A pathway milestones table made from a summary: PV grows by 1 MWp a milestone."""
    parts = []
    for k, y in enumerate(years):
        s = summary.copy()
        s.insert(0, "year", y)
        s["pv_mwp"] = s["pv_mwp"] + k
        s["total_annual_cost_billion_vnd"] = s["annual_cost_billion_vnd"] + 10 * k
        parts.append(s)
    return pd.concat(parts, ignore_index=True)


def test_milestones_section_reads_the_folder(run, res, tmp_path):
    """The 2050 and pathway headlines come from milestones/2050/summary.csv and
    pathway/milestones.csv; without them the section says how to get them."""
    from energy_model.report.html.milestones import milestone_rows, milestones_section
    from energy_model.report.i18n import Translator
    from energy_model.results import write_csv

    text = milestones_section(res, Translator("en"))
    assert "energy-model run --milestones" in text and "<table" not in text
    folder = tmp_path / "m"
    shutil.copytree(run[0], folder)
    far = res.summary.copy()
    far["pv_mwp"] = far["pv_mwp"] * 2
    (folder / "milestones" / "2050").mkdir(parents=True)
    write_csv(far, folder / "milestones" / "2050" / "summary.csv", index=False)
    (folder / "pathway").mkdir()
    write_csv(_pathway_table(res.summary), folder / "pathway" / "milestones.csv", index=False)
    got = load_results(folder)
    rows = milestone_rows(got)
    assert [c for c, _, _ in rows] == ["run", "far", "pathway", "pathway", "pathway"]
    assert [y for _, y, _ in rows[1:]] == [2050, 2025, 2030, 2050]
    pv = res.province["pv_mwp"]
    assert rows[1][2]["pv_mwp"] == pytest.approx(2 * pv, rel=1e-5)
    assert [r["pv_mwp"] for _, _, r in rows[2:]] == pytest.approx([pv, pv + 1, pv + 2], rel=1e-5)
    # the pathway's annual cost is its total (with the annuities of earlier builds)
    assert rows[4][2]["annual_cost_billion_vnd"] == pytest.approx(
        res.province["annual_cost_billion_vnd"] + 20, rel=1e-5)
    for lang in ("en", "vi"):
        tr = Translator(lang)
        html = milestones_section(got, tr)
        assert html.count("<tr>") == 6                  # header and five cases
        assert tr.num(2 * pv, 1) in html and tr.num(pv + 2, 1) in html
        assert "2025 → 2030 → 2050" in html
