"""Contracts end to end (issue 18, full-year solves: slow): the example park with a rooftop
PPA and a virtual DPPA on an off-site farm gives contracts/*.csv and a report section, and
leaves the park's sized design and summary exactly as without contracts."""

from __future__ import annotations

import pandas as pd
import pytest

from energy_model.paths import default_scenario
from energy_model.pipeline import run_and_write

pytestmark = pytest.mark.slow

EXAMPLE = default_scenario().parent / "example_single_park.yaml"
FARM = ("    wind:\n      - {name: sea, turbine: V117/3600, hub_height_m: 100, count: 4, "
        "offsite: true,\n         terrain: sea, location: {lat: 20.98, lon: 107.77}}\n")
CONTRACTS = ("    contracts:\n"
             "      - {asset: roof, ownership: ppa, price_vnd_per_kwh: 1550, term_years: 20}\n"
             "      - {asset: sea, ownership: dppa_virtual, strike_vnd_per_kwh: 1300}\n")


def _run(tmp_path, name: str, extra: str):
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"extends: {EXAMPLE}\nname: {name}\nparks:\n  - id: demo_park\n"
                    + FARM + extra, encoding="utf-8")
    folder, result = run_and_write(path, tmp_path / "out", progress=False, workers=1)
    return folder, result


def test_contracts_end_to_end(tmp_path):
    plain, _ = _run(tmp_path, "plain", "")
    folder, result = _run(tmp_path, "with_contracts", CONTRACTS)
    assert not (plain / "contracts").exists()
    a = pd.read_csv(plain / "summary.csv")
    b = pd.read_csv(folder / "summary.csv")
    pd.testing.assert_frame_equal(a, b)  # sizing and the consolidated economics unchanged
    c = pd.read_csv(folder / "contracts" / "contracts.csv").set_index("asset")
    d = result.parks["demo_park"].sizing.dispatch
    # the roof delivers its output less its share of curtailment (the CSV keeps 6
    # significant digits); the farm's matched energy never exceeds the park's import
    tol = 1e-5
    roof, curt = d["pv_roof_kw"].sum() / 1e3, d["curtailment_kw"].sum() / 1e3
    assert roof - curt - tol * roof <= c.loc["roof", "delivered_mwh"] <= roof * (1 + tol)
    assert c.loc["sea", "delivered_mwh"] <= d["grid_import_kw"].sum() / 1e3 * (1 + tol)
    assert c.loc["sea", "delivered_mwh"] + c.loc["sea", "unmatched_mwh"] == pytest.approx(
        c.loc["sea", "output_mwh"], rel=tol)
    assert c.loc["sea", "delivered_mwh"] == pytest.approx(
        result.parks["demo_park"].hourly.pipe(
            lambda h: (h["offsite_wind_kw"].clip(upper=h["grid_import_kw"])).sum() / 1e3),
        rel=tol)
    flows = pd.read_csv(folder / "contracts" / "cash_flows.csv")
    assert set(flows["asset"]) == {"roof", "sea"}
    assert flows.groupby("asset")["year"].max().to_dict() == {"roof": 20, "sea": 25}
