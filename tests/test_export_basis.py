"""ExportRules.capacity_basis reaches the LP's power-basis export cap (issue 15).

Hand case: a fixed 300 kWp roof with dc_ac_ratio 1.25 producing 1 kW/kWp at 10–13 h, load
100 kW, export cap 20 % of installed capacity each hour. Read on DC (kWp) the cap is
0.2 × 300 = 60 kW; read on AC (kWp / 1.25 = 240 kW) it is 0.2 × 240 = 48 kW. The surplus
(200 kW) is above both, so the LP exports exactly the cap.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from energy_model.pipeline.assemble import export_cap_share
from energy_model.scenario import ExportRules
from energy_model.sizing import Grid, Technology, optimize

TZ = "Asia/Ho_Chi_Minh"


def _roof(name="pv_roof"):
    prof = np.tile(np.isin(np.arange(24), [10, 11, 12, 13]), 2).astype(float)
    return Technology(name, "rooftop", prof, 0.0, max_kw=300.0, fixed_kw=300.0)


def _scenario(**export):
    return SimpleNamespace(tariff=SimpleNamespace(export=ExportRules(**export)))


PARK = SimpleNamespace(id="p")


@pytest.mark.parametrize("basis, share, export_kw", [("dc", 0.2, 60.0), ("ac", 0.16, 48.0)])
def test_power_cap_on_dc_or_ac_capacity_by_hand(basis, share, export_kw):
    notes: list[str] = []
    s = _scenario(cap_share=0.2, basis="power", capacity_basis=basis)
    got = export_cap_share(s, PARK, [_roof()], {"pv_roof": 1.25}, notes)
    assert got == pytest.approx(share, abs=1e-12)
    index = pd.date_range("2030-06-10", periods=48, freq="h", tz=TZ)
    grid = Grid.from_tariff(index, "evn_2026", "22_110kv", export_price=500.0,
                            export_cap_share=got, export_cap_basis="power")
    r = optimize(pd.Series(100.0, index=index), [_roof()], grid, None)
    exp = r.dispatch["grid_export_kw"].to_numpy()
    noon = np.isin(index.hour, [10, 11, 12, 13])
    np.testing.assert_allclose(exp[noon], export_kw, atol=1e-6)
    assert np.abs(exp[~noon]).max() < 1e-6
    assert notes == []


def test_energy_basis_and_mixed_ratios():
    notes: list[str] = []
    # energy basis (Decree 243/2026): the share of exportable energy, whatever the ratio
    assert export_cap_share(_scenario(cap_share=0.5, basis="energy"), PARK, [_roof()],
                            {"pv_roof": 1.25}, notes) == 0.5
    # two exportable arrays with different ratios: the highest (tightest) one, noted
    techs = [_roof("pv_a"), _roof("pv_b")]
    got = export_cap_share(_scenario(cap_share=0.2, basis="power", capacity_basis="ac"), PARK,
                           techs, {"pv_a": 1.1, "pv_b": 1.25}, notes)
    assert got == pytest.approx(0.16, abs=1e-12)
    assert len(notes) == 1 and "1.25" in notes[0]
