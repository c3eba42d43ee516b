"""Province-coordinated sizing (issue 16): the decomposition against the joint LP, a case
checked by hand, the curve and the CLI's errors."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd
import pytest

from energy_model.errors import UsageError
from energy_model.pipeline import ParkInputs, load_scenario
from energy_model.sizing import Battery, Finance, Grid, Policy, crf
from energy_model.studies import province as pr
from energy_model.sizing.coupled import lagrangian_bound
from energy_model.studies.province_dw import Pool, Pricer, coordinate

HOURS = 14 * 24  # two weeks

SCENARIO = """\
name: three_parks
year: 2030
weather: {source: normals, seed: 1}
tariff: {name: evn_2026}
parks:
  - id: textile
    name: "Textile park"
    kind: KCN
    location: {lat: 21.01, lon: 106.87, altitude_m: 10}
    weather_station: quang_yen
    area_ha: 100
    occupancy: 0.6
    occupancy_year: 2025
    industries: [{cls: textile, share: 1.0}]
    load: {source: bottom_up}
    pv: [{name: roof, kind: rooftop, tilt: 10, azimuth: 180}]
    battery: {max_kw: 5000}
    grid: {voltage: 22_110kv, substation_mva: 40, transformers: 2, substation: uong_bi_110_e}
  - id: electronics
    name: "Electronics park"
    kind: KCN
    location: {lat: 21.02, lon: 106.80, altitude_m: 10}
    weather_station: quang_yen
    area_ha: 150
    occupancy: 0.5
    occupancy_year: 2025
    industries: [{cls: electronics, share: 1.0}]
    load: {source: bottom_up}
    pv: [{name: roof, kind: rooftop, tilt: 10, azimuth: 180}]
    grid: {voltage: 22_110kv, substation_mva: 63, transformers: 2}
  - id: mixed
    name: "Mixed park"
    kind: KCN
    location: {lat: 21.00, lon: 106.90, altitude_m: 10}
    weather_station: quang_yen
    area_ha: 80
    occupancy: 0.7
    occupancy_year: 2025
    industries: [{cls: textile, share: 0.5}, {cls: electronics, share: 0.5}]
    load: {source: bottom_up}
    pv: [{name: roof, kind: rooftop, tilt: 10, azimuth: 180}]
    battery: {}
    grid: {voltage: 22_110kv, substation_mva: 40, transformers: 2}
"""


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    path = tmp_path_factory.mktemp("province") / "three.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    scenario = load_scenario(path)
    units, owner = pr.province_units(scenario)
    units = {k: v.window(HOURS) for k, v in units.items()}
    return path, units, owner, pr.window_hours(units, "evening")


@pytest.fixture(scope="module")
def curve(three):
    _, units, owner, window = three
    return pr.coordinate_units(units, window, relief_mw=[0.5], points=6, owner=owner)


def test_curve_has_six_points_from_zero_to_the_largest(curve):
    p = curve.points
    assert curve.meta["method"] == "joint LP"
    assert len(p) >= 6 and p["relief_mw"].iloc[0] == 0.0
    assert p["relief_mw"].iloc[-1] == pytest.approx(curve.meta["largest_relief_mw"], rel=1e-9)
    assert 0.5 in set(np.round(p["relief_mw"], 9))
    # the cost rises with the relief, the first MW is the cheapest (a convex curve)
    assert np.all(np.diff(p["annual_cost_billion_vnd"]) > 0)
    assert np.all(np.diff(p["vnd_per_mw_yr"].dropna()) > 0)
    # the cap is met: the window peak of the coordinated imports is P0 − relief
    peak0 = curve.meta["peak_before_mw"]
    np.testing.assert_allclose(p["peak_import_mw"], peak0 - p["relief_mw"], atol=1e-6 * peak0)
    # at every target the hourly prices sum to the marginal cost, which exceeds the average
    t = p[(p["kind"] == "target") & (p["relief_mw"] > 0)]
    assert np.all(t["marginal_vnd_per_mw_yr"] >= t["vnd_per_mw_yr"] * (1 - 1e-9))


def test_builds_add_up_to_the_point_cost(curve):
    b = curve.builds.groupby("relief_mw")["annual_cost_billion_vnd"].sum()
    p = curve.points.set_index("relief_mw")["annual_cost_billion_vnd"]
    np.testing.assert_allclose(b.loc[p.index], p, rtol=1e-9)
    assert set(curve.builds["unit"]) == {"textile", "electronics", "mixed"}


@pytest.mark.parametrize("search", ["bundle", "smoothing"])
def test_decomposition_equals_the_joint_lp(three, curve, search):
    """3 parks × 2 weeks: column generation with a proven gap equals the monolithic joint LP
    within 1e-6 (objective, window peak), with either price search."""
    _, units, _, window = three
    target = float(curve.points["relief_mw"].iloc[2]) * 1e3
    ref, _ = pr.joint_reference(units, window, curve.meta["peak_before_mw"] * 1e3,
                                relief_kw=target)
    with Pricer(units) as pricer:
        base = pricer.run([(n, None, None, 1e-9, "auto") for n in units])
        imp0 = sum(b.imports_kw for b in base)
        pool = Pool(names=list(units), window=window, peak_kw=float(imp0[window].max()),
                    hours=HOURS)
        for b in base:
            pool.add(b)
        pt = coordinate(pool, pricer, value=pr.VALUE_MAX, relief_hi_kw=target, gap_tol=1e-9,
                        centre=(np.zeros(len(window)), sum(b.lower for b in base)),
                        search=search)
    assert pt.gap <= 1e-4
    assert pt.master.relief_kw == pytest.approx(target, rel=1e-9)
    assert pt.master.cost == pytest.approx(ref.objective, rel=1e-6)
    assert pt.lower + pr.VALUE_MAX * target <= ref.objective * (1 + 1e-9)
    assert pt.master.imports_kw.max() <= pool.peak_kw - target + 1e-6 * pool.peak_kw
    # every priced round's bound holds at any other target (the next point starts from the
    # best of them): here at half the target, against the joint LP there
    half, _ = pr.joint_reference(units, window, pool.peak_kw, relief_kw=target / 2)
    bounds = [pr.VALUE_MAX * target / 2 + lagrangian_bound(
        z, prices, pool.peak_kw, pr.VALUE_MAX, target / 2) for prices, z in pool.evaluated]
    assert len(bounds) >= pt.rounds
    assert max(bounds) <= half.objective * (1 + 1e-9)
    assert max(bounds) >= half.objective * (1 - 1e-2)


def test_relief_above_the_largest_names_the_largest(three, curve):
    _, units, owner, window = three
    with pytest.raises(UsageError, match=r"largest feasible relief, \d"):
        pr.coordinate_units(units, window, relief_mw=[1e4], points=2, owner=owner)


# --------------------------------------------------------------------------- by hand

def _flat_park(battery: Battery | None, load_kw: float = 1000.0,
               price: float = 2000.0) -> ParkInputs:
    index = pd.date_range("2030-01-07", periods=24, freq="h", tz="Asia/Ho_Chi_Minh")
    evening = pd.Series(np.where(index.hour == 19, 1.0, 0.0), index=index)
    return ParkInputs(park=None, load_kw=pd.Series(load_kw, index=index, name="load_kw"),
                      technologies=[], grid=Grid(import_price=np.full(24, price)),
                      battery=battery, finance=Finance(0.08), policy=Policy(),
                      import_cap_kw=np.full(24, np.inf), evening_share=evening,
                      pv_per_kwp=pd.DataFrame(index=index), wind_per_kw=pd.DataFrame(index=index),
                      offsite_kw=None, station="hand")


@pytest.mark.parametrize("joint", [True, False])
def test_hand_case_price_is_the_cheap_parks_marginal_cost(joint):
    """Two parks, 1000 kW flat load each, 2000 VND/kWh in every hour, one day (year weight
    w = 8760/24 = 365), the window is the single hour 19:00. Park A has no battery, so it
    cannot relieve. Park B may build a battery (capex 4e6 VND/kWh and 2e6 VND/kW, 15 years,
    8 %/yr: crf k; η_c = η_d = 0.9). To cut the summed import by 1 kW at 19:00, B
    discharges 1 kW then: 1 kW of power (k·2e6), 1/η_d kWh of energy (k·4e6/η_d), and
    charges 1/(η_c·η_d) kWh in other hours instead of importing 1 kWh at 19:00, buying
    (1/(η_c·η_d) − 1) kWh more at 2000 VND/kWh, × w. Nothing else changes, so the coupling
    price at 19:00 (the only window hour) is that marginal cost per kW-yr:

        λ = k·2e6 + k·4e6/0.9 + 365·2000·(1/0.81 − 1)  [VND/yr per kW].
    """
    eta = 0.9
    battery = Battery(capex_per_kwh=4e6, capex_per_kw=2e6, life_years=15,
                      eta_charge=eta, eta_discharge=eta)
    units = {"A": _flat_park(None), "B": _flat_park(battery)}
    k = crf(0.08, 15)
    expected = k * 2e6 + k * 4e6 / eta + 365 * 2000 * (1 / eta**2 - 1)
    window = pr.window_hours(units, "evening")
    assert list(window) == [19]
    c = pr.coordinate_units(units, window, relief_mw=[0.1], points=2, joint=joint,
                            gap_tol=1e-9)
    row = c.points[np.isclose(c.points["relief_mw"], 0.1)].iloc[0]
    assert row["marginal_vnd_per_mw_yr"] / 1e3 == pytest.approx(expected, rel=1e-6)
    # the cost is linear in the relief here: average = marginal
    assert row["vnd_per_mw_yr"] / 1e3 == pytest.approx(expected, rel=1e-6)
    b = c.builds[np.isclose(c.builds["relief_mw"], 0.1)].set_index("unit")
    assert b.loc["A", "battery_mw"] == 0.0
    assert b.loc["B", "battery_mw"] == pytest.approx(0.1, rel=1e-6)
    assert b.loc["B", "battery_mwh"] == pytest.approx(0.1 / eta, rel=1e-6)
    # the largest relief: B serves its whole 1000 kW at 19:00 (no limit on the battery)
    assert c.meta["largest_relief_mw"] == pytest.approx(1.0, rel=1e-6)


# --------------------------------------------------------------------------- CLI

@pytest.mark.parametrize("argv, where", [
    (["--relief", "10,-5"], "item 2 (-5) is negative"),
    (["--relief", "10,abc"], "item 2 ('abc') is not a number"),
    (["--points", "1"], "--points 1"),
    (["--group", "nowhere"], "--group 'nowhere'"),
    (["--value-vnd-per-mw-yr", "-1"], "expected ≥ 0"),
])
def test_cli_errors_are_located_and_short(three, run_cli, tmp_path, argv, where):
    path = three[0]
    code, out, err = run_cli("province", path, "--out", tmp_path, "--quiet", *argv)
    assert code == 2
    assert where in err and "Traceback" not in err
    assert len(err.strip().splitlines()) <= 3
    assert not (tmp_path / "three_parks").exists() or not any((tmp_path / "three_parks").iterdir())


def test_cli_stops_each_point_at_a_default_time_limit():
    """Without --time-limit a catalog point would run for hours: the default budget is
    passed on, and an explicit one replaces it."""
    from energy_model.cli import build_parser
    from energy_model.cli.province import TIME_LIMIT_S

    parser = build_parser()
    assert parser.parse_args(["province"]).time_limit == TIME_LIMIT_S == 75.0
    assert parser.parse_args(["province", "--time-limit", "600"]).time_limit == 600.0


def test_cli_group_error_lists_the_groups(three, run_cli, tmp_path):
    code, _, err = run_cli("province", three[0], "--out", tmp_path, "--group", "x")
    assert code == 2 and "uong_bi_110_e" in err


def test_cli_refuses_to_replace_without_force(three, run_cli, tmp_path):
    (tmp_path / "three_parks" / "province").mkdir(parents=True)
    (tmp_path / "three_parks" / "province" / "curve.csv").write_text("keep", encoding="utf-8")
    code, _, err = run_cli("province", three[0], "--out", tmp_path)
    assert code == 2 and "--force" in err
    assert (tmp_path / "three_parks" / "province" / "curve.csv").read_text() == "keep"


def test_folder_and_report_read_only_the_tables(curve, tmp_path):
    """The tables written, read back by the report; the section in both languages."""
    from energy_model.report.html.coordination import (read_province, section_for_folder,
                                                       write_province_report)
    from energy_model.report.i18n import Translator

    folder = tmp_path / "run" / "province"
    folder.mkdir(parents=True)
    pr.write_province(curve, folder)
    assert {p.name for p in folder.iterdir()} == {"curve.csv", "builds.csv",
                                                 "shadow_prices.csv", "province.json"}
    tables = read_province(tmp_path / "run")
    np.testing.assert_allclose(tables["points"]["relief_mw"], curve.points["relief_mw"],
                               rtol=1e-5)
    assert tables["meta"]["largest_relief_mw"] == pytest.approx(
        curve.meta["largest_relief_mw"])
    for lang, word, scope in (("en", "Relief [MW]", "Scope the whole province,"),
                              ("vi", "Mức giảm [MW]", "Phạm vi toàn tỉnh,")):
        html = write_province_report(folder, lang).read_text(encoding="utf-8")
        assert word in html and scope in html and "data:image/png;base64" in html
    assert (folder / "plots" / "province_shadow_prices.png").stat().st_size > 1000
    assert section_for_folder(tmp_path / "run", Translator("en")).startswith(
        '<section id="province">')
    assert section_for_folder(tmp_path, Translator("en")) == ""


def test_report_gives_the_proven_increase_of_a_point_stopped_early(curve):
    """A point stopped above the asked gap: the report shows its cost increase (an upper
    bound) beside the proven lower bound of it, and says which is which."""
    from energy_model.report.html.coordination import province_section
    from energy_model.report.i18n import Translator

    points = curve.points.copy()
    meta = dict(curve.meta, gap_tol=1e-4, window="evening", group="province")
    base = float(meta["baseline_cost_billion_vnd"])
    k = int(np.argmax(points["relief_mw"].where(points["kind"] == "target", -1)))
    inc = float(points.loc[k, "cost_increase_billion_vnd"])
    assert inc > 0.01
    points.loc[k, "lower_bound_billion_vnd"] = base + 0.25 * inc     # proven ≥ a quarter
    points.loc[k, "gap"] = 0.75 * inc / float(points.loc[k, "annual_cost_billion_vnd"])
    html = province_section({"points": points, "meta": meta}, Translator("en"), [])
    assert "Proven increase ≥ [billion VND/yr]" in html
    assert "the whole province, window evening peak hours of the tariff frame in force" in html
    assert "stopped by the time limit" in html and "an upper bound" in html
    relief = Translator("en").num(float(points.loc[k, "relief_mw"]), 1)
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", r) for r in re.findall(r"<tr>(.*?)</tr>", html)]
    row = [r for r in rows if len(r) == 8 and r[1] == relief]
    assert len(row) == 1, "the point's row"
    shown = [float(c.replace(",", "")) for c in row[0][2:4]]
    assert shown == pytest.approx([inc, 0.25 * inc], abs=0.006)
    # a proven curve says nothing of a time limit, and its bound equals its increase
    exact = province_section({"points": curve.points, "meta": meta}, Translator("en"), [])
    assert "stopped by the time limit" not in exact


def test_dask_scheduler_prices_like_local_workers():
    """``--scheduler``: the units are priced on a dask.distributed cluster, same answer."""
    distributed = pytest.importorskip("distributed")
    eta = 0.9
    battery = Battery(capex_per_kwh=4e6, capex_per_kw=2e6, life_years=15,
                      eta_charge=eta, eta_discharge=eta)
    units = {"A": _flat_park(None), "B": _flat_park(battery)}
    window = pr.window_hours(units, "evening")
    local = pr.coordinate_units(units, window, relief_mw=[0.1], points=2, joint=False,
                                gap_tol=1e-9)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        remote = pr.coordinate_units(units, window, relief_mw=[0.1], points=2, joint=False,
                                     gap_tol=1e-9, scheduler=cluster.scheduler_address)
    np.testing.assert_allclose(remote.points["annual_cost_billion_vnd"],
                               local.points["annual_cost_billion_vnd"], rtol=1e-9)
    assert remote.meta["scheduler"] == cluster.scheduler_address


def test_group_keeps_only_its_parks_and_all_hours_window(three):
    path = three[0]
    units, owner = pr.province_units(load_scenario(path), group="uong_bi_110_e")
    assert list(units) == ["textile"] and owner == {"textile": "textile"}
    units = {k: v.window(HOURS) for k, v in units.items()}
    assert len(pr.window_hours(units, "all")) == HOURS
    evening = pr.window_hours(units, "evening")
    # evn_2026's evening window 17:30-22:30 every day; an hour partly inside counts
    hours = units["textile"].load_kw.index[evening].tz_convert("Asia/Ho_Chi_Minh")
    assert set(hours.hour) == {17, 18, 19, 20, 21, 22}
    assert len(evening) == 6 * 14


def test_import_price_adder_is_added_to_every_hour():
    from energy_model.pipeline import Changes, apply_changes

    park = _flat_park(None)
    adder = np.arange(24.0)
    out = apply_changes(park, Changes(import_price_adder=adder, import_price_scale=2.0))
    np.testing.assert_allclose(out.grid.import_price, 2 * 2000.0 + adder)
    assert park.grid.import_price[5] == 2000.0          # the inputs are not modified
    with pytest.raises(ValueError, match=r"shape \(3,\), expected \(24,\)"):
        apply_changes(park, Changes(import_price_adder=np.zeros(3)))


# --------------------------------------------------------------------------- price search

@pytest.mark.parametrize("step, price, model", [(2.0, 1e6, 5e8), (10.0, 2e6, 1e9)])
def test_proximal_step_by_hand(step, price, model):
    """One unit, one hour, P0 = 1000 kW, a target of 500 kW. Column A costs 0 and imports
    1000 kW, column B costs 1e9 VND/yr and imports 500 kW. The model of the Lagrangian dual
    is m(λ) = min(1000·λ, 1e9 + 500·λ) − 1000·λ + 500·λ = min(500·λ, 1e9) [VND/yr]. In the
    master's units (λ_s = λ·1e-6 bn VND/yr per MW, m in bn VND/yr) the proximal step from
    0 maximises min(0.5·λ_s, 1) − λ_s²/(2t): λ_s = t/2 below the kink at λ_s = 2, so
    t = 2 gives λ = 1e6 (m = 5e8) and t = 10 stops at the kink, λ = 2e6 (m = 1e9)."""
    from energy_model.sizing.coupled import CouplingMaster, proximal_prices

    master = CouplingMaster(1, 1, 1000.0)
    master.set_relief(0.0, 500.0, 500.0)
    master.add_column(0, 0.0, np.array([1000.0]))
    master.add_column(0, 1e9, np.array([500.0]))
    prices, value = proximal_prices(master, np.zeros(1), step, np.array([0]))
    assert prices[0] == pytest.approx(price, rel=1e-5)
    assert value == pytest.approx(model, rel=1e-5)
