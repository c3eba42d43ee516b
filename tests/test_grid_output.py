"""The grid-pressure results of a run and the ``grid/*.csv`` tables (issue 15), on two
hand-made parks over 6–7 June 2030, every number worked by hand.

Park ``song_khoai`` (substation song_khoai_110, firm 126 MVA × 0.9 = 113.4 MW): 10 MW flat,
14 MW at 20:00 on 6 June, no on-site supply. Park ``b`` (no substation): 4 MW flat, 20 MW at
13:00 on 6 June; PV on 6 June 13–16 h covers its load and exports 2 MW each hour, with 1 MW
curtailed at 14:00.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from energy_model.errors import InvariantError
from energy_model.invariants import check_grid
from energy_model.pipeline.grid import (CUT_COLUMNS, REVERSE_COLUMNS, SUBSTATION_COLUMNS,
                                        cuts_table, grid_pressure, headline_table,
                                        reverse_flow_table, substations_table)
from energy_model.pipeline.output import write_grid
from energy_model.results import read_csv

TZ = "Asia/Ho_Chi_Minh"


def _dispatch(load_mw, pv_mw=None, export_mw=None, curt_mw=None) -> pd.DataFrame:
    idx = pd.date_range("2030-06-06", periods=48, freq="h", tz=TZ)
    z = np.zeros(48)
    pv = z if pv_mw is None else pv_mw
    exp = z if export_mw is None else export_mw
    cur = z if curt_mw is None else curt_mw
    imp = np.maximum(load_mw - pv + exp + cur, 0.0)
    return pd.DataFrame({"load_kw": load_mw * 1000, "pv_kw": pv * 1000, "wind_kw": z,
                         "curtailment_kw": cur * 1000, "battery_charge_kw": z,
                         "battery_discharge_kw": z, "battery_soc_kwh": z,
                         "grid_import_kw": imp * 1000, "grid_export_kw": exp * 1000,
                         "unmet_kw": z}, index=idx)


def _park(pid, substation, dispatch):
    park = SimpleNamespace(id=pid, grid=SimpleNamespace(substation=substation))
    return SimpleNamespace(inputs=SimpleNamespace(park=park),
                           sizing=SimpleNamespace(dispatch=dispatch))


@pytest.fixture(scope="module")
def parks():
    a = np.full(48, 10.0)
    a[20] = 14.0
    b = np.full(48, 4.0)
    b[13] = 20.0
    pv, exp, cur = np.zeros(48), np.zeros(48), np.zeros(48)
    pv[13:17] = [22.0, 7.0, 6.0, 6.0]
    exp[13:17] = 2.0
    cur[14] = 1.0
    return {"song_khoai": _park("song_khoai", "song_khoai_110", _dispatch(a)),
            "b": _park("b", None, _dispatch(b, pv, exp, cur))}


@pytest.fixture(scope="module")
def gp(parks):
    scenario = SimpleNamespace(tariff=SimpleNamespace(name="evn_2026"), timezone=TZ,
                               kkt_metering="class_meters")
    return grid_pressure(scenario, parks)


def test_relief_at_the_grid_only_peak_names_both_hours(gp):
    h = gp.headline
    # grid-only peak 13:00 on 6 June: 10 + 20 = 30 MW; after: 10 + 0 = 10 MW
    assert h["peak_hour"] == pd.Timestamp("2030-06-06 13:00", tz=TZ)
    assert h["import_at_peak_hour_before_mw"] == pytest.approx(30.0, abs=1e-9)
    assert h["import_at_peak_hour_after_mw"] == pytest.approx(10.0, abs=1e-9)
    assert h["relief_at_peak_hour_mw"] == pytest.approx(20.0, abs=1e-9)
    # the peak moves to 20:00 (14 + 4 = 18 MW), where nothing relieves it
    assert h["peak_after_hour"] == pd.Timestamp("2030-06-06 20:00", tz=TZ)
    assert h["peak_after_mw"] == pytest.approx(18.0, abs=1e-9)
    assert (h["tariff"], h["frame"], h["kkt_metering"]) == ("evn_2026", gp.frame,
                                                            "class_meters")


def test_evening_firm_contribution_from_the_frame_in_force(gp):
    h = gp.headline
    # 17:30–22:30: hours 17 and 22 weigh 0.5, 18–21 weigh 1 → 5 per day, 10 in all;
    # before 14 MW except 18 MW at 20:00 on 6 June → (14 × 10 + 4) / 10 = 14.4 MW
    assert h["evening_window"] == "17:30–22:30"
    assert h["evening_top_n"] == 12
    assert h["evening_mean_import_before_mw"] == pytest.approx(14.4, abs=1e-9)
    assert h["evening_firm_contribution_mw"] == pytest.approx(0.0, abs=1e-9)
    share = gp.province_hourly["evening_share"].to_numpy()
    assert share[17] == 0.5 and share[18] == 1.0 and share[22] == 0.5 and share[13] == 0.0


def test_province_hourly_and_groups(gp):
    h = gp.province_hourly
    assert list(h.columns[:4]) == ["province_import_before_mw", "province_import_after_mw",
                                   "province_export_mw", "evening_share"]
    assert h["province_import_before_mw"].iloc[13] == pytest.approx(30.0)
    assert h["province_import_after_mw"].iloc[13] == pytest.approx(10.0)
    assert h["province_export_mw"].iloc[14] == pytest.approx(2.0)
    assert h["song_khoai_110_import_before_mw"].iloc[20] == pytest.approx(14.0)
    assert h["unmapped:b_import_after_mw"].iloc[13] == pytest.approx(0.0)
    assert h["unmapped:b_import_before_mw"].iloc[13] == pytest.approx(20.0)


def test_substations_headroom_unknown_where_nf(gp):
    t = substations_table(gp).set_index("group")
    assert list(substations_table(gp).columns) == SUBSTATION_COLUMNS
    sk = t.loc["song_khoai_110"]
    assert sk["rating_mva"] == 189 and sk["firm_mva"] == 126 and bool(sk["headroom_known"])
    assert sk["coincident_import_before_mw"] == pytest.approx(14.0)
    assert sk["hours_over_firm_before_h"] == 0.0 and sk["parks"] == "song_khoai"
    nf = t.loc["unmapped:b"]
    assert not bool(nf["headroom_known"]) and nf["mark"] == "NF"
    assert np.isnan(nf["hours_over_firm_before_h"]) and np.isnan(nf["firm_mva"])
    # never the park's own peak
    assert np.isnan(nf["rating_mva"])


def test_reverse_flow_rows(gp):
    t = reverse_flow_table(gp)
    assert list(t.columns) == REVERSE_COLUMNS
    prov = t[t["scope"] == "province"].iloc[0]
    assert prov["export_hours_h"] == 4.0 and prov["export_max_mw"] == pytest.approx(2.0)
    assert prov["export_gwh"] == pytest.approx(0.008) and prov["curtailment_gwh"] == \
        pytest.approx(0.001)
    b = t[(t["scope"] == "park") & (t["id"] == "b")].iloc[0]
    assert b["export_gwh"] == pytest.approx(0.008)
    assert set(t["scope"]) == {"park", "group", "province"}


def test_cuts_are_mw_cuts_with_the_grid_up(gp):
    t = cuts_table(gp)
    assert list(t.columns) == CUT_COLUMNS
    d = t[t["schedule"] == "june_2023"].set_index("id")
    # 51.2 MW province-wide 13–17 h, at most the load: 30 + 14 + 14 + 14 = 72 MWh;
    # covered = load − import = 20 + 4 + 4 + 4 = 32 MWh; shed 40 MWh
    assert d.loc["PROVINCE", "cut_mwh"] == pytest.approx(72.0)
    assert d.loc["PROVINCE", "covered_mwh"] == pytest.approx(32.0)
    assert d.loc["PROVINCE", "shed_mwh"] == pytest.approx(40.0)
    # 8 MW at Sông Khoai, no on-site supply: 32 MWh cut, all shed
    assert d.loc["song_khoai", "cut_mwh"] == pytest.approx(32.0)
    assert d.loc["song_khoai", "covered_mwh"] == pytest.approx(0.0)
    s = t[t["schedule"] == "june_2023_share"].set_index("id")
    # 12.7 % of b's load 20 + 4 + 4 + 4 MW: 4.064 MWh, covered in full by PV
    assert s.loc["b", "covered_mwh"] == pytest.approx(0.127 * 32, abs=1e-9)
    assert gp.headline["cut_covered_mwh"] == pytest.approx(32.0)


def test_write_grid_files(gp, tmp_path):
    write_grid(SimpleNamespace(grid=gp), tmp_path)
    for name in ("headline", "province_hourly", "substations", "reverse_flow", "cuts"):
        assert (tmp_path / "grid" / f"{name}.csv").exists()
    h = read_csv(tmp_path / "grid" / "headline.csv")
    assert len(h) == 1 and h["relief_at_peak_hour_mw"].iloc[0] == pytest.approx(20.0)
    assert h["peak_hour"].iloc[0].startswith("2030-06-06T13:00") or \
        h["peak_hour"].iloc[0].startswith("2030-06-06 13:00")
    assert list(headline_table(gp).columns)[-3:] == ["tariff", "frame", "kkt_metering"]
    hourly = read_csv(tmp_path / "grid" / "province_hourly.csv", index_col="time")
    assert len(hourly) == 48


def test_check_grid_catches_a_broken_table(gp, parks):
    check_grid(gp, parks)
    broken = gp.province_hourly.copy()
    broken.iloc[5, 1] += 1.0
    bad = type(gp)(**{**gp.__dict__, "province_hourly": broken})
    with pytest.raises(InvariantError, match="province_import_after_mw"):
        check_grid(bad, parks)
