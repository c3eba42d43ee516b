"""Scenario loading: the catalog is valid and complete; mistakes give located errors."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml

from energy_model.errors import ScenarioError
from energy_model.pipeline import load_scenario
from energy_model.scenario import Scenario, json_schema

from conftest import CATALOG, SCENARIOS

MINIMAL = textwrap.dedent("""\
    name: t
    year: 2030
    parks:
      - id: p1
        name: "Park 1"
        kind: KCN
        location: {lat: 21.0, lon: 106.9}
        weather_station: quang_yen
        area_ha: 100
        occupancy: 0.5
        occupancy_year: 2025
        industries:
          - {cls: textile, share: 1.0}
        load: {source: bottom_up}
        pv:
          - {name: roof, kind: rooftop, tilt: 10, azimuth: 180}
        grid: {voltage: 22_110kv}
    """)


def write(tmp_path, text, name="s.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(path) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return str(info.value)


# ---------------------------------------------------------------- the catalog
def test_catalog_has_16_kcn_and_5_kkt_inside_quang_ninh():
    s = load_scenario(CATALOG)
    kinds = [p.kind for p in s.parks]
    assert kinds.count("KCN") == 16
    assert kinds.count("KKT") == 5
    for p in s.parks:
        assert 20.6 <= p.location.lat <= 21.7, p.id
        assert 106.4 <= p.location.lon <= 108.1, p.id


def test_song_khoai_carries_its_substation_and_2023_peak():
    p = load_scenario(CATALOG).park("song_khoai")
    assert p.grid.substation_mva == 189
    assert p.observed.peak_mw == 63 and p.observed.year == 2023
    assert p.grid.firm_kva == pytest.approx(126_000)


def _explicit_leaves(node, prefix=""):
    """Key paths of every leaf value written in a park's YAML mapping."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _explicit_leaves(v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(node, list):
        for item in node:
            yield from _explicit_leaves(item, prefix)
    else:
        yield prefix


def test_every_catalog_figure_has_a_quality_mark():
    raw = yaml.safe_load(CATALOG.read_text(encoding="utf-8"))
    missing = []
    for park in raw["parks"]:
        sources = park.get("sources", {})
        for leaf in _explicit_leaves({k: v for k, v in park.items()
                                      if k not in ("id", "kind", "sources")}):
            parts = leaf.split(".")
            covered = any(".".join(parts[:n]) in sources for n in range(1, len(parts) + 1))
            if not covered and leaf != "name":
                missing.append(f"{park['id']}.{leaf}")
        for key, mark in sources.items():
            assert mark["mark"] in ("S", "S2", "E", "NF"), (park["id"], key)
            assert mark.get("source"), (park["id"], key)
    assert not missing, f"catalog figures without a quality mark: {missing}"


def test_top_level_catalog_figures_have_marks():
    raw = yaml.safe_load(CATALOG.read_text(encoding="utf-8"))
    sources = raw["sources"]
    for section in ("tariff", "economics"):
        for leaf in _explicit_leaves(raw[section], section):
            parts = leaf.split(".")
            assert any(".".join(parts[:n]) in sources for n in range(1, len(parts) + 1)), leaf


def test_2050_extends_2030_with_documented_precedence():
    s = load_scenario(SCENARIOS / "quang_ninh_2050.yaml")
    assert s.name == "quang_ninh_2050" and s.year == 2050
    assert s.tariff.name == "evn_2026"
    assert s.tariff.export.cap_share == 0.5
    assert s.tariff.export.basis == "energy"         # from the base (Decree 243/2026)
    assert len(s.parks) == 21
    # a CLI --set override beats both files
    s2 = load_scenario(SCENARIOS / "quang_ninh_2050.yaml", overrides={"year": 2045})
    assert s2.year == 2045


def test_example_single_park_is_valid():
    s = load_scenario(SCENARIOS / "example_single_park.yaml")
    assert [p.id for p in s.parks] == ["demo_park"]


def test_json_schema_is_valid_json_schema():
    schema = json_schema()
    text = json.dumps(schema)
    assert "parks" in schema["properties"]
    assert json.loads(text)["title"] == "energy_model scenario"
    # every property of the park model documents itself or references a documented model
    park = schema["$defs"]["Park"]
    assert {"id", "kind", "location", "grid", "load"} <= set(park["properties"])


def test_minimal_scenario_loads(tmp_path):
    s = load_scenario(write(tmp_path, MINIMAL))
    assert isinstance(s, Scenario) and s.parks[0].id == "p1"


# ---------------------------------------------------------------- mistakes
CASES = [
    # (name, edit function on the text, expected fragments)
    ("yaml syntax", lambda t: t.replace("area_ha: 100", "area_ha: [100"),
     ["YAML syntax error", "s.yaml:"]),
    ("misspelt top key", lambda t: t.replace("year: 2030", "yeer: 2030"),
     ["yeer", "did you mean 'year'"]),
    ("misspelt park key", lambda t: t.replace("area_ha: 100", "area_hectares: 100"),
     ["parks[0].area_hectares", "did you mean 'area_ha'"]),
    ("wrong type", lambda t: t.replace("area_ha: 100", "area_ha: big"),
     ["parks[0].area_ha", "'big'"]),
    ("tilt 95", lambda t: t.replace("tilt: 10", "tilt: 95"),
     ["parks[0].pv[0].tilt", "95"]),
    ("latitude out of range", lambda t: t.replace("lat: 21.0", "lat: 121.0"),
     ["parks[0].location.lat", "121"]),
    ("absurd area", lambda t: t.replace("area_ha: 100", "area_ha: 1.0e12"),
     ["parks[0].area_ha"]),
    ("duplicate ids", lambda t: t + textwrap.indent(MINIMAL.split("parks:\n")[1], ""),
     ["duplicate park ids", "p1"]),
    ("missing key", lambda t: t.replace("    grid: {voltage: 22_110kv}\n", ""),
     ["parks[0].grid", "required"]),
    ("unknown station", lambda t: t.replace("weather_station: quang_yen", "weather_station: quang_yem"),
     ["parks[0].weather_station", "did you mean 'quang_yen'"]),
    ("unknown tariff", lambda t: t.replace("year: 2030", "year: 2030\ntariff: {name: evn_1999}"),
     ["tariff.name", "evn_1999"]),
    ("empty parks", lambda t: t.split("parks:")[0] + "parks: []\n",
     ["parks", "at least 1"]),
    ("heritage ground pv", lambda t: t.replace(
        "    pv:\n", "    heritage_buffer: true\n    pv:\n      - {name: g, kind: ground, tilt: 20, azimuth: 180}\n"),
     ["heritage", "ground"]),
    ("battery power without energy", lambda t: t.replace(
        "    grid:", "    battery: {fixed_kw: 1000}\n    grid:"),
     ["battery", "energy"]),
    ("year out of range", lambda t: t.replace("year: 2030", "year: 2101"),
     ["year", "2101"]),
    ("efficiency above 1", lambda t: t.replace(
        "    grid:", "    battery: {round_trip_efficiency: 1.2}\n    grid:"),
     ["parks[0].battery.round_trip_efficiency", "1.2"]),
    ("shares not summing to 1", lambda t: t.replace("share: 1.0", "share: 0.7"),
     ["industries shares must sum to 1"]),
    ("duplicate yaml key", lambda t: t.replace("year: 2030", "year: 2030\nyear: 2031"),
     ["duplicate key 'year'"]),
    ("bad time zone", lambda t: t.replace("year: 2030", "year: 2030\ntimezone: Asia/Hanoy"),
     ["timezone", "Asia/Hanoy"]),
]


@pytest.mark.parametrize("name,edit,fragments", CASES, ids=[c[0] for c in CASES])
def test_mistakes_are_located(tmp_path, run_cli, name, edit, fragments):
    path = write(tmp_path, edit(MINIMAL))
    code, out, err = run_cli("validate", path)
    assert code == 2, (code, out, err)
    assert "Traceback" not in err
    assert len(err.splitlines()) <= 25
    assert str(path) in err
    for frag in fragments:
        assert frag in err, f"{frag!r} not in:\n{err}"


def test_every_problem_is_listed_at_once_with_its_line(tmp_path):
    text = MINIMAL.replace("tilt: 10", "tilt: 95").replace("lat: 21.0", "lat: 99")
    msg = errors_of(write(tmp_path, text))
    assert "parks[0].pv[0].tilt" in msg and "parks[0].location.lat" in msg
    tilt_line = text.splitlines().index(
        next(l for l in text.splitlines() if "tilt: 95" in l)) + 1
    assert f"s.yaml:{tilt_line}" in msg


def test_non_utf8_file(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(MINIMAL.replace('"Park 1"', '"Công"').encode("utf-16"))
    assert "not UTF-8" in errors_of(path)


def test_missing_file(tmp_path, run_cli):
    code, _, err = run_cli("validate", tmp_path / "nope.yaml")
    assert code == 2 and "not found" in err and "Traceback" not in err


def test_extends_loop(tmp_path):
    write(tmp_path, "extends: b.yaml\nname: a\n", "a.yaml")
    write(tmp_path, "extends: a.yaml\nname: b\n", "b.yaml")
    assert "loop" in errors_of(tmp_path / "a.yaml")


def test_yaml_is_loaded_safely(tmp_path):
    path = write(tmp_path, "!!python/object/apply:os.system ['echo pwned']\n")
    msg = errors_of(path)
    assert "YAML" in msg


def test_schema_command_prints_json(run_cli):
    code, out, _ = run_cli("schema")
    assert code == 0
    assert json.loads(out)["type"] == "object"


def test_validate_catalog_exits_zero(run_cli):
    code, out, err = run_cli("validate", CATALOG)
    assert code == 0, err
    assert "16 KCN, 5 KKT" in out


def test_a_loaded_catalog_survives_dump_and_validate_again():
    """Studies re-validate dumped scenarios (rules comparison, sweeps): every park of the
    catalog, with its derived heritage flags and tracker defaults, must come back equal."""
    from energy_model.scenario import Scenario

    for name in ("quang_ninh_2030.yaml", "quang_ninh_2050.yaml"):
        s = load_scenario(Path(__file__).resolve().parents[1] / "scenarios" / name)
        again = Scenario.model_validate(s.model_dump(mode="python"))
        assert again.model_dump() == s.model_dump()
