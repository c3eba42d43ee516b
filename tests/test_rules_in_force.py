"""Rules in force: the QĐ 963/2026 frame and Decree 243/2026 as defaults from 2027 (issue 15)."""

from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd
import pytest
import yaml

from energy_model import tariff as tf
from energy_model.errors import ScenarioError
from energy_model.pipeline import load_scenario
from energy_model.scenario import RULES_2026_FROM_YEAR, Scenario

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = REPO / "scenarios"
GOOD = REPO / "tests" / "data" / "bad" / "good.yaml"


def _frame_of(name: str) -> str:
    return tf.get_tariff(name).frame.name


def _shipped_scenarios():
    return sorted(p for p in SCENARIOS.glob("*.yaml"))


@pytest.mark.parametrize("path", _shipped_scenarios(), ids=lambda p: p.name)
def test_shipped_scenarios_from_2027_use_the_rules_in_force(path):
    s = load_scenario(path)
    if s.year < RULES_2026_FROM_YEAR:
        pytest.skip(f"{path.name} is for {s.year}, before the 2026 rules")
    assert _frame_of(s.tariff.name) == "frame_2026", s.tariff.name
    assert (s.tariff.export.cap_share, s.tariff.export.basis) == (0.5, "energy")


def _sweep_points():
    for path in sorted((SCENARIOS / "sweeps").glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        base = (path.parent / spec["base"]).resolve()
        for m in spec.get("milestones", []):
            yield path.name, base, {"year": m["year"], **(m.get("set") or {})}
        for p in spec.get("parameters", []):
            if p.get("key") == "tariff.name":  # the first value is the sweep's base case
                yield path.name, base, {"tariff.name": p["values"][0]}
        yield path.name, base, {}


@pytest.mark.parametrize("name,base,overrides", list(_sweep_points()),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_sweeps_from_2027_use_the_rules_in_force(name, base, overrides):
    s = load_scenario(base, overrides=overrides)
    if s.year < RULES_2026_FROM_YEAR:
        assert _frame_of(s.tariff.name) == "frame_2023"
        assert (s.tariff.export.cap_share, s.tariff.export.basis) == (0.2, "power")
        return
    assert _frame_of(s.tariff.name) == "frame_2026", (name, overrides)
    assert (s.tariff.export.cap_share, s.tariff.export.basis) == (0.5, "energy")


def _minimal(year: int, tariff: dict | None = None) -> dict:
    data = yaml.safe_load(GOOD.read_text(encoding="utf-8"))
    data["year"] = year
    data.pop("tariff", None)
    if tariff is not None:
        data["tariff"] = copy.deepcopy(tariff)
    return data


def test_schema_default_follows_the_year():
    s30 = Scenario.model_validate(_minimal(2030))
    assert s30.tariff.name == "evn_2026" and _frame_of(s30.tariff.name) == "frame_2026"
    ex = s30.tariff.export
    assert (ex.cap_share, ex.basis, ex.capacity_basis) == (0.5, "energy", "ac")
    s27 = Scenario.model_validate(_minimal(2027))
    assert s27.tariff.name == "evn_2026"
    s26 = Scenario.model_validate(_minimal(2026))
    assert s26.tariff.name == "evn_2025" and _frame_of(s26.tariff.name) == "frame_2023"
    assert (s26.tariff.export.cap_share, s26.tariff.export.basis) == (0.2, "power")


def test_written_rules_are_never_replaced():
    s = Scenario.model_validate(_minimal(2025, {"name": "evn_2026",
                                                "export": {"basis": "energy"}}))
    assert s.tariff.name == "evn_2026"
    assert (s.tariff.export.cap_share, s.tariff.export.basis) == (0.2, "energy")
    old = Scenario.model_validate(_minimal(2040, {"name": "evn_2025",
                                                  "export": {"cap_share": 0.2, "basis": "power"}}))
    assert old.tariff.name == "evn_2025" and old.tariff.export.basis == "power"


def test_year_override_moves_the_default():
    s = load_scenario(GOOD, overrides={"tariff": {}, "year": 2026})
    assert s.tariff.name == "evn_2025"
    s = load_scenario(GOOD, overrides={"tariff": {}, "year": 2031})
    assert s.tariff.name == "evn_2026" and s.tariff.export.basis == "energy"


def test_decree_243_rule_in_data():
    r = tf.get_export_rule("decree_243_2026")
    assert (r.cap_share, r.cap_basis, r.storage_export, r.mark) == (0.5, "energy", True, "S2")
    assert tf.get_export_rule("decree_135_2024").storage_export is False
    assert tf.get_export_rule("amendment_2026").cap_basis == "power"


def test_export_cap_capacity_basis():
    assert tf.export_cap_kw_per_kwp(0.5, "dc", 1.25) == pytest.approx(0.5, abs=1e-12)
    assert tf.export_cap_kw_per_kwp(0.5, "ac", 1.25) == pytest.approx(0.4, abs=1e-12)
    assert tf.export_cap_kw_per_kwp(0.2, "ac", 1.0) == pytest.approx(0.2, abs=1e-12)
    with pytest.raises(ScenarioError, match="capacity basis"):
        tf.export_cap_kw_per_kwp(0.5, "kva", 1.2)
    with pytest.raises(ScenarioError, match="dc_ac_ratio"):
        tf.export_cap_kw_per_kwp(0.5, "ac", 0.0)


def test_evening_window_is_data():
    assert tf.evening_window("frame_2026") == (17.5, 22.5)
    assert tf.evening_window("evn_2025") == (17.0, 20.0)
    assert tf.evening_window_label("evn_two_component_2026") == "17:30–22:30"
    assert tf.evening_window_label("frame_2023") == "17:00–20:00"


# ------------------------------------------------------------------ rule sets

def test_rule_sets_as_overrides():
    from energy_model.rules_in_force import rule_sets

    sets = rule_sets()
    assert list(sets) == ["in_force", "frame_2023", "pilot", "export_20pct_power",
                          "legacy_2023"]
    assert sets["in_force"].overrides == {"tariff.name": "evn_2026",
                                          "tariff.export.cap_share": 0.5,
                                          "tariff.export.basis": "energy"}
    assert sets["frame_2023"].overrides["tariff.name"] == "evn_2025"
    assert sets["pilot"].overrides["tariff.name"] == "evn_two_component_2026"
    assert sets["export_20pct_power"].overrides == {"tariff.name": "evn_2026",
                                                    "tariff.export.cap_share": 0.2,
                                                    "tariff.export.basis": "power"}
    assert sets["legacy_2023"].overrides["tariff.export.basis"] == "power"
    assert sets["in_force"].mark == "S2" and sets["legacy_2023"].mark == "S2"


def test_rule_sets_load_on_the_catalog():
    from energy_model.rules_in_force import rule_sets

    base = load_scenario(SCENARIOS / "quang_ninh_2030.yaml")
    for rs in rule_sets().values():
        s = load_scenario(SCENARIOS / "quang_ninh_2030.yaml", overrides=rs.overrides)
        assert s.tariff.name == rs.tariff
        assert s.tariff.export.price_vnd_per_kwh == base.tariff.export.price_vnd_per_kwh
    in_force = load_scenario(SCENARIOS / "quang_ninh_2030.yaml",
                             overrides=rule_sets()["in_force"].overrides)
    assert in_force.tariff == base.tariff  # the catalog is on the rules in force


def test_pilot_eligibility():
    from energy_model.rules_in_force import rule_sets, rules_table, tariff_for_park

    pilot = rule_sets()["pilot"]
    assert tariff_for_park(pilot, "manufacturing", "ge110kv") == "evn_two_component_2026"
    assert tariff_for_park("pilot", "manufacturing", "22_110kv") == "evn_two_component_2026"
    assert tariff_for_park(pilot, "business", "22_110kv") == "evn_2026"
    assert tariff_for_park(pilot, "manufacturing", "6_22kv") == "evn_2026"
    assert tariff_for_park("frame_2023", "business", "22_110kv") == "evn_2025"
    # every eligible park can be priced under the pilot
    day = pd.date_range("2030-01-07", periods=24, freq="h", tz="Asia/Ho_Chi_Minh")
    for v in ("ge110kv", "22_110kv"):
        p = tf.hourly_prices(day, "evn_two_component_2026", v)
        assert p.iloc[19] > p.iloc[12] > p.iloc[2]
        assert tf.capacity_charge("evn_two_component_2026", v) > 2e5
    rows = {r["rule_set"]: r for r in rules_table()}
    assert rows["frame_2023"]["evening_window"] == "17:00–20:00"
    assert rows["in_force"]["evening_window"] == "17:30–22:30"
    assert rows["in_force"]["storage_export"] is True
