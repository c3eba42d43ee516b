"""Issue 17: the inputs that carry the answer (battery throughput cost, cost trajectories,
occupancy, roof potential) come from one stated place each."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from energy_model.economics import load_costs
from energy_model.pipeline import assemble, load_scenario, scenario_weather
from energy_model.scenario.model import BatteryLimits

ROOT = Path(__file__).resolve().parents[1]

SCENARIO = """\
name: one_park
year: {year}
weather: {{source: normals, seed: 1}}
tariff: {{name: evn_2025}}
{extra}
parks:
  - id: p
    name: "Test park"
    kind: KCN
    location: {{lat: 21.01, lon: 106.87, altitude_m: 10}}
    weather_station: quang_yen
    area_ha: 100
    occupancy: 0.6
    occupancy_year: 2025
    industries: [{{cls: textile, share: 1.0}}]
    load: {{source: bottom_up}}
{park_extra}
    grid: {{voltage: 22_110kv, substation_mva: 40, transformers: 2}}
"""


def scenario(tmp_path, year=2030, extra="", park_extra="", name="s.yaml"):
    path = tmp_path / name
    path.write_text(SCENARIO.format(year=year, extra=extra, park_extra=park_extra),
                    encoding="utf-8")
    return load_scenario(path)


@pytest.fixture(scope="module")
def one_park(tmp_path_factory):
    s = scenario(tmp_path_factory.mktemp("one"))
    weather = scenario_weather(s)["quang_yen"][0]
    return s, weather, assemble(s, s.parks[0], weather)


# --------------------------------------------------------------------------- throughput cost

def test_one_battery_throughput_cost(one_park):
    """The LP's degradation proxy is the cost table's row (583 VND/kWh, E), not a second
    default in the scenario schema."""
    table = load_costs()
    assert table.battery_throughput_cost_vnd_per_kwh == 583.0
    assert BatteryLimits().throughput_cost_vnd_per_kwh is None
    _, _, inputs = one_park
    assert inputs.battery is not None
    assert inputs.battery.throughput_cost_per_kwh == 583.0


def test_no_other_throughput_cost_default_in_the_code():
    """No module or shipped scenario carries its own throughput-cost number; the one place
    allowed besides costs.csv is the LP dataclass's neutral 0.0 for hand-built batteries."""
    found = []
    pattern = re.compile(r"throughput_cost\w*\s*(?::[^=\n]*)?=\s*(?:Field\(\s*)?"
                         r"(-?\d[\d_.eE+-]*)")
    yaml_pattern = re.compile(r"throughput_cost\w*\s*:\s*(-?\d[\d_.eE+-]*)")
    for path in sorted((ROOT / "energy_model").rglob("*.py")):
        for m in pattern.finditer(path.read_text(encoding="utf-8")):
            found.append((path.relative_to(ROOT).as_posix(), float(m.group(1))))
    for path in sorted((ROOT / "scenarios").rglob("*.yaml")):
        for m in yaml_pattern.finditer(path.read_text(encoding="utf-8")):
            found.append((path.relative_to(ROOT).as_posix(), float(m.group(1))))
    assert found == [("energy_model/sizing/inputs.py", 0.0)]


# --------------------------------------------------------------------------- cost trajectories

CAPEX_ROWS = ("pv_rooftop", "pv_ground", "pv_floating", "battery_energy", "battery_power",
              "wind_medium", "wind_small")


def test_cost_trajectories_are_marked_and_start_at_the_cost_table():
    from energy_model.economics import load_cost_trajectories
    t = load_cost_trajectories()
    base = load_costs()
    for tech in CAPEX_ROWS:
        g = t[t["name"] == f"{tech}_capex"].set_index("year")
        assert list(g.index) == [2025, 2030, 2040, 2050]
        assert g.loc[2025, "value"] == base.technologies[tech].capex_vnd_per_unit
        assert set(g.loc[[2030, 2040, 2050], "mark"]) == {"E"}
        assert g["value"].is_monotonic_decreasing
        assert all(src.strip() for src in g["source"])
    assert t.loc[(t["name"] == "pv_rooftop_capex") & (t["year"] == 2025), "mark"].item() == "S2"


def test_the_milestone_year_picks_its_costs():
    c25, c30, c35, c40 = (load_costs(year=y) for y in (2025, 2030, 2035, 2040))
    assert load_costs() is c25 or load_costs().technologies == c25.technologies
    for tech in CAPEX_ROWS:
        a, b, c = (x.technologies[tech].capex_vnd_per_unit for x in (c25, c30, c40))
        assert c < b < a, tech
    # by hand: 2035 rooftop PV is halfway between 10.40 (2030) and 8.71 (2040) million VND/kWp
    assert c35.technologies["pv_rooftop"].capex_vnd_per_unit == pytest.approx(9.555e6, abs=1.0)
    # battery energy part 2030: 0.80 × 5.25 million = 4.2 million VND/kWh
    assert c30.technologies["battery_energy"].capex_vnd_per_unit == pytest.approx(4.2e6, abs=1.0)
    # held after 2050 and before 2025
    assert load_costs(year=2060).technologies["pv_ground"].capex_vnd_per_unit == \
        pytest.approx(7.98e6, abs=1.0)
    assert load_costs(year=2020).technologies["pv_ground"].capex_vnd_per_unit == 14e6
    # the rows say where the figure comes from
    rows = c35.rows.set_index("name")
    assert rows.loc["pv_rooftop_capex", "value"] == "9555000"
    assert rows.loc["pv_rooftop_capex", "mark"] == "E"
    assert "linear between 2030 and 2040" in rows.loc["pv_rooftop_capex", "source"]
    # what does not move: O&M, lives, the throughput cost
    assert c40.technologies["pv_rooftop"].fixed_om_vnd_per_unit_yr == 195000
    assert c40.battery_throughput_cost_vnd_per_kwh == 583.0


def test_scenario_year_sets_costs_and_overrides_win(tmp_path):
    from energy_model.pipeline import cost_table
    s40 = scenario(tmp_path, year=2040, name="a.yaml")
    assert cost_table(s40).technologies["pv_rooftop"].capex_vnd_per_unit == \
        pytest.approx(8.71e6, abs=1.0)
    s = scenario(tmp_path, year=2040, name="b.yaml",
                 extra="costs: {pv_rooftop: {capex_vnd_per_kw: 12000000}}")
    table = cost_table(s)
    assert table.technologies["pv_rooftop"].capex_vnd_per_unit == 12e6
    assert table.technologies["pv_ground"].capex_vnd_per_unit == pytest.approx(9.24e6, abs=1.0)


def test_broken_trajectory_is_located(tmp_path):
    from energy_model.economics import load_cost_trajectories
    from energy_model.errors import ScenarioError
    from energy_model.paths import package_data
    text = package_data("cost_trajectories.csv").read_text(encoding="utf-8")
    bad = tmp_path / "t.csv"
    bad.write_text(text.replace("pv_ground_capex,2030,VND/kWp", "pv_ground_capex,2030,VND/kW"),
                   encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"t.csv:7 pv_ground_capex: unit must be 'VND/kWp'"):
        load_cost_trajectories(bad)


# --------------------------------------------------------------------------- occupancy

CATALOG = ROOT / "scenarios" / "quang_ninh_2030.yaml"


def test_texhong_occupancy_by_hand():
    """'300 ha built of 660 ha' is of the gross area: 300 ha in 2025, more in 2030, and the
    leasable share 0.68 is not applied a second time (it gave 277 ha in 2030)."""
    import math

    from energy_model.demand import occupied_area_ha
    from energy_model.pipeline.assemble import occupied_ha
    s = load_scenario(CATALOG)
    park = next(p for p in s.parks if p.id == "texhong_hai_ha")
    assert park.load.occupancy_basis == "gross"
    a25 = occupied_area_ha(park.load, park.area_ha, park.occupancy, park.occupancy_year, 2025)
    assert a25 == pytest.approx(660 * 0.4545, abs=1e-9) and a25 >= 299.9
    # 2030 by hand: target 0.85 × 0.68 = 0.578 of the gross area; logistic k 0.35, midpoint
    # 2025 + 5; o = 0.4545 + (0.578 − 0.4545)(L(2030) − L(2025)) / (1 − L(2025))
    lg = lambda y: 1 / (1 + math.exp(-0.35 * (y - 2030)))  # noqa: E731
    o30 = 0.4545 + (0.578 - 0.4545) * (lg(2030) - lg(2025)) / (1 - lg(2025))
    assert o30 == pytest.approx(0.50552, abs=1e-5)
    assert occupied_ha(s, park) == pytest.approx(660 * o30, abs=1e-6)      # 333.6 ha
    assert occupied_ha(s, park) > 300.0
    # the low case never goes below what is built
    low = s.model_copy(update={"load_case": "low"})
    assert 300.0 <= occupied_ha(low, park) < occupied_ha(s, park)


def test_occupancy_cases_low_base_high():
    import math

    from energy_model.demand import occupancy_at
    from energy_model.scenario.load import LoadSpec
    spec = LoadSpec()
    lg = lambda y: 1 / (1 + math.exp(-0.35 * (y - 2030)))  # noqa: E731
    f = (lg(2035) - lg(2025)) / (1 - lg(2025))
    # default spread: targets 0.8 × 0.85 = 0.68 and min(1, 1.1 × 0.85) = 0.935
    for case, target in (("low", 0.68), ("base", 0.85), ("high", 0.935)):
        assert occupancy_at(spec, 0.3, 2025, 2035, case) == pytest.approx(
            0.3 + (target - 0.3) * f, abs=1e-12), case
    given = LoadSpec(occupancy_cases={"low": {"target": 0.4, "midpoint_year": 2034}})
    lg2 = lambda y: 1 / (1 + math.exp(-0.35 * (y - 2034)))  # noqa: E731
    assert occupancy_at(given, 0.1, 2025, 2030, "low") == pytest.approx(
        0.1 + 0.3 * (lg2(2030) - lg2(2025)) / (1 - lg2(2025)), abs=1e-12)
    s = load_scenario(CATALOG)
    btp = next(p for p in s.parks if p.id == "bac_tien_phong")
    assert btp.load.occupancy_cases.low.target == 0.40
    assert btp.sources["load.occupancy_cases"].mark == "E"
    assert s.sources["load.occupancy_cases"].mark == "E"


def test_operating_catalog_drops_the_planned_parks():
    full = load_scenario(CATALOG)
    ops = load_scenario(ROOT / "scenarios" / "quang_ninh_2030_operating.yaml")
    planned = {p.id for p in full.parks if p.status == "planned"}
    assert len(planned) == 7
    assert {p.id for p in ops.parks} == {p.id for p in full.parks} - planned
    header = (ROOT / "scenarios" / "quang_ninh_2030_operating.yaml").read_text(encoding="utf-8")
    assert all(pid in header.split("extends:")[0] for pid in planned)


# --------------------------------------------------------------------------- roof potential

def _layout_rows():
    import csv

    from energy_model.paths import package_data
    with open(package_data("pv_layout.csv"), newline="", encoding="utf-8") as fh:
        return {r["name"]: r for r in csv.DictReader(fh)}


def test_roof_factors_are_marked_with_low_base_high():
    rows = _layout_rows()
    for name in ("roof_share", "roof_structural_factor", "roof_tenant_uptake",
                 "roof_existing_pv_share"):
        r = rows[name]
        assert r["mark"] in ("S", "S2", "E", "NF") and r["source"].strip(), name
        assert 0 <= float(r["low"]) <= float(r["value"]) <= float(r["high"]) <= 1, name


def test_rooftop_limit_is_derived_from_the_stated_factors(tmp_path):
    """The pipeline's rooftop limit, recomputed by hand from pv_layout.csv: a limit that is
    not occupied land × roof share × structure × uptake − existing PV, × packing, fails."""
    from energy_model.pipeline.assemble import occupied_ha, resolve_pv_arrays
    rows = _layout_rows()
    v = {k: float(r["value"]) for k, r in rows.items()}
    s = load_scenario(CATALOG)
    park = next(p for p in s.parks if p.id == "texhong_hai_ha")
    occ = occupied_ha(s, park)
    arrays, notes = resolve_pv_arrays(park, s, occ)
    roof = next(a for a in arrays if a.kind == "rooftop")
    technical_m2 = occ * 1e4 * v["roof_share"]
    achievable_m2 = technical_m2 * (v["roof_structural_factor"] * v["roof_tenant_uptake"]
                                    - v["roof_existing_pv_share"])
    kwp_per_m2 = v["module_efficiency"] * v["roof_cover_fraction"]
    assert roof.capacity_limit_kwp() == pytest.approx(achievable_m2 * kwp_per_m2, rel=1e-12)
    # Texhong, 333.6 ha in 2030: 0.35 × (0.75 × 0.60 − 0.10) = 0.1225 of the land → ≈ 68.7 MWp
    assert roof.capacity_limit_kwp() / 1000 == pytest.approx(68.66, abs=0.05)
    assert any("achievable roof area" in n for n in notes)
    tech = s.model_copy(update={"pv": s.pv.model_copy(update={"roof_potential": "technical"})})
    t_arrays, _ = resolve_pv_arrays(park, tech, occ)
    t_roof = next(a for a in t_arrays if a.kind == "rooftop")
    assert t_roof.capacity_limit_kwp() == pytest.approx(technical_m2 * kwp_per_m2, rel=1e-12)
    # low case: low share, structure and uptake, HIGH existing PV
    low = s.model_copy(update={"pv": s.pv.model_copy(update={"roof_case": "low"})})
    l_roof = next(a for a in resolve_pv_arrays(park, low, occ)[0] if a.kind == "rooftop")
    lo = {k: float(r["low"] or "nan") for k, r in rows.items()}
    expected = occ * 1e4 * lo["roof_share"] * (
        lo["roof_structural_factor"] * lo["roof_tenant_uptake"]
        - float(rows["roof_existing_pv_share"]["high"])) * kwp_per_m2
    assert l_roof.capacity_limit_kwp() == pytest.approx(expected, rel=1e-12)


def test_scenario_chooses_the_roof_potential(tmp_path):
    s = scenario(tmp_path, extra="pv: {roof_potential: technical, roof_case: high}")
    assert (s.pv.roof_potential, s.pv.roof_case) == ("technical", "high")
    from energy_model.errors import ScenarioError
    with pytest.raises(ScenarioError, match="roof_potential"):
        scenario(tmp_path, extra="pv: {roof_potential: maximal}", name="bad.yaml")


def test_cost_year_pins_the_costs(tmp_path):
    from energy_model.pipeline import cost_table
    s = scenario(tmp_path, year=2040, name="c.yaml", extra="economics: {cost_year: 2025}")
    assert cost_table(s).technologies["pv_rooftop"].capex_vnd_per_unit == 13e6
