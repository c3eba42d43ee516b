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
