"""Geometry: one great-circle distance, land mask, heritage polygons (issue 20, items 6-7)."""
import math
import re
from pathlib import Path

import numpy as np
import pytest

from energy_model.errors import ScenarioError
from energy_model.geo import great_circle_km
from energy_model.geo.heritage import in_heritage_zone, zones, zones_at
from energy_model.geo.land import SHORE_TOLERANCE_KM, distance_to_land_km, is_land
from energy_model.geo.polygons import point_in_polygon
from energy_model.paths import default_scenario
from energy_model.pipeline import load_scenario

CATALOG = default_scenario()


def test_great_circle_known_distance():
    # one degree of latitude on the 6,371 km sphere = 111.195 km
    assert great_circle_km(20.0, 107.0, 21.0, 107.0) == pytest.approx(111.195, abs=0.001)
    # a quarter of the equator: pi/2 x 6371 = 10,007.5 km
    assert great_circle_km(0.0, 10.0, 0.0, 100.0) == pytest.approx(10007.54, abs=0.01)
    d = great_circle_km(np.array([20.0, 21.0]), 107.0, 20.0, 107.0)
    assert d[0] == 0.0 and d[1] == pytest.approx(111.195, abs=0.001)


def test_only_one_great_circle_implementation_in_the_package():
    root = Path(__file__).resolve().parents[1] / "energy_model"
    hits = [p for p in root.rglob("*.py")
            if re.search(r"6371(\.0)?\b", p.read_text(encoding="utf-8"))]
    assert [p.relative_to(root).as_posix() for p in hits] == ["geo/distance.py"]


def test_land_mask_open_water_and_land():
    assert is_land(20.65, 107.30) is False
    assert distance_to_land_km(20.65, 107.30) > 10.0
    assert is_land(21.01, 106.87) is True          # Sông Khoai, inland
    assert is_land(40.0, 0.0) is None               # outside the shipped crop


def test_point_in_polygon_square_with_hole():
    outer = [(0, 0), (4, 0), (4, 4), (0, 4), (0, 0)]
    hole = [(1, 1), (3, 1), (3, 3), (1, 3), (1, 1)]
    assert point_in_polygon(0.5, 0.5, [outer, hole])
    assert not point_in_polygon(2, 2, [outer, hole])
    assert not point_in_polygon(5, 2, [outer])


def _area_km2(ring):
    ring = np.asarray(ring)
    lat0 = ring[:, 1].mean()
    x = ring[:, 0] * 111.195 * math.cos(math.radians(lat0))
    y = ring[:, 1] * 111.195
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def test_heritage_polygons_match_published_areas():
    z = {q.id: q for q in zones()}
    assert _area_km2(z["ha_long_core"].rings[0]) == pytest.approx(434.0, rel=0.01)
    core_ha = sum(_area_km2(q.rings[0]) * 100 for q in z.values()
                  if q.site == "yen_tu" and q.zone == "core")
    assert core_ha == pytest.approx(5 * 525.75 / 12, rel=0.02)
    assert all("E" in q.method for q in z.values())


def test_heritage_flags_from_polygons_match_the_catalog_except_listed_overrides():
    scenario = load_scenario(CATALOG)
    overrides = {}
    for p in scenario.parks:
        geometry = in_heritage_zone(p.location.lat, p.location.lon)
        if p.heritage_override is not None:
            overrides[p.id] = p.heritage_override.value
            assert len(p.heritage_override.reason) > 20
        else:
            assert p.heritage_buffer == geometry, p.id
    assert overrides == {"viet_hung": True}
    flags = {p.id: p.heritage_buffer for p in scenario.parks}
    assert flags["cai_lan"] and flags["viet_hung"]
    # Bái Tử Long Bay lies outside the Hạ Long Bay property and its buffer: consistent now
    assert flags["cam_pha"] is False and flags["kkt_van_don"] is False


def _catalog_text():
    return CATALOG.read_text(encoding="utf-8")


def _write(tmp_path, text):
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "quang_ninh_2030.yaml").write_text(_catalog_text(), encoding="utf-8")
    return path


def test_new_park_in_the_bay_buffer_is_flagged_automatically(tmp_path):
    # Tuần Châu (20.93, 106.99)-like point inside the drawn buffer: moving Đông Mai there flags it
    lat, lon = 20.93, 107.01
    assert in_heritage_zone(lat, lon)
    text = _catalog_text().replace("location: {lat: 21.01, lon: 106.82, altitude_m: 10}",
                                   f"location: {{lat: {lat}, lon: {lon}, altitude_m: 10}}")
    s = load_scenario(_write(tmp_path, text), check_references=False)
    assert {p.id: p.heritage_buffer for p in s.parks}["dong_mai"] is True


def test_yen_giang_stake_field_zone_contains_its_site():
    names = [z.id for z in zones_at(20.936, 106.806)]
    assert "yen_tu_yen_giang_core" in names and "yen_tu_yen_giang_buffer" in names


def test_ground_pv_moved_into_open_water_is_refused(tmp_path):
    text = _catalog_text().replace("location: {lat: 21.01, lon: 106.87, altitude_m: 10}",
                                   "location: {lat: 20.65, lon: 107.30, altitude_m: 10}", 1)
    with pytest.raises(ScenarioError) as info:
        load_scenario(_write(tmp_path, text))
    text = str(info.value) + " ".join(str(p) for p in info.value.problems)
    assert "song_khoai" in text and "ground PV array 'ground'" in text
    assert "parks[4].location" in text and "at sea" in text


def test_floating_pv_on_water_stays_allowed(tmp_path):
    text = _catalog_text().replace("location: {lat: 21.01, lon: 106.87, altitude_m: 10}",
                                   "location: {lat: 20.65, lon: 107.30, altitude_m: 10}", 1)
    text = text.replace("- {name: ground, kind: ground, tilt: 20, azimuth: 180, max_kwp: 10000}",
                        "- {name: ground, kind: floating, tilt: 10, azimuth: 180, max_kwp: 10000}", 1)
    load_scenario(_write(tmp_path, text))  # no error


def test_every_catalog_park_passes_the_land_check():
    scenario = load_scenario(CATALOG)  # raises on any problem
    worst = max(distance_to_land_km(p.location.lat, p.location.lon) for p in scenario.parks)
    assert worst <= SHORE_TOLERANCE_KM


def test_catalog_parks_carry_current_place_names():
    scenario = load_scenario(CATALOG)
    for p in scenario.parks:
        assert p.place is not None, p.id
        assert p.sources["place"].mark in ("S2", "E")
        assert re.match(r"^(phường|xã|đặc khu) ", p.place.current), p.place.current
    assert {p.place.current for p in scenario.parks if "van_don" in p.id} == {"đặc khu Vân Đồn"}


def test_override_needs_a_reason_and_excludes_an_explicit_flag(tmp_path):
    base = _catalog_text()
    # Cái Lân lies in the drawn buffer; an override to false with its reason lifts the flag
    text = base.replace('    place: {former: "Giếng Đáy / Bãi Cháy ward, Hạ Long city"',
                        '    heritage_override: {value: false, reason: "test: surveyed outside"}\n'
                        '    place: {former: "Giếng Đáy / Bãi Cháy ward, Hạ Long city"', 1)
    s = load_scenario(_write(tmp_path, text), check_references=False)
    assert {p.id: p.heritage_buffer for p in s.parks}["cai_lan"] is False
    both = text.replace("heritage_override: {value: false",
                        "heritage_buffer: true\n    heritage_override: {value: false", 1)
    with pytest.raises(ScenarioError, match="not both"):
        load_scenario(_write(tmp_path, both), check_references=False)
    short = text.replace('reason: "test: surveyed outside"', 'reason: ""', 1)
    with pytest.raises(ScenarioError, match="reason"):
        load_scenario(_write(tmp_path, short), check_references=False)
