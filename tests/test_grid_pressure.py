"""Grid-pressure metrics a planner uses (issue 15): numbers checked by hand."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from energy_model import metrics as m
from energy_model.errors import EnergyModelError, ScenarioError
from energy_model.substations import Substation, load_substations

TZ = "Asia/Ho_Chi_Minh"
GOOD_SCENARIO = Path(__file__).parent / "data" / "bad" / "good.yaml"
DAY = pd.date_range("2030-06-06", periods=24, freq="h", tz=TZ)  # a Thursday


def dispatch(load_mw, *, pv=0.0, charge=0.0, discharge=0.0, export=0.0, curtail=0.0,
             index=DAY) -> pd.DataFrame:
    """A balanced dispatch [kW] from MW arrays: import = load − pv + curtail − discharge
    + charge + export."""
    n = len(index)
    arr = {k: np.broadcast_to(np.asarray(v, float), (n,)) * 1000.0 for k, v in dict(
        load_kw=load_mw, pv_kw=pv, battery_charge_kw=charge, battery_discharge_kw=discharge,
        grid_export_kw=export, curtailment_kw=curtail).items()}
    d = pd.DataFrame(0.0, index=index, columns=list(m.DISPATCH_COLUMNS))
    for k, v in arr.items():
        d[k] = v
    d["grid_import_kw"] = (d["load_kw"] - d["pv_kw"] + d["curtailment_kw"]
                           - d["battery_discharge_kw"] + d["battery_charge_kw"]
                           + d["grid_export_kw"])
    assert (d["grid_import_kw"] >= -1e-9).all()
    m.check_dispatch(d)
    return d


def at(**hours) -> np.ndarray:
    """A 24-hour MW array, zero except the given hours (h13=6.0 → 13:00)."""
    out = np.zeros(24)
    for k, v in hours.items():
        out[int(k[1:])] = v
    return out


# ------------------------------------------------------------------ relief at the same hour

def test_peak_moves_relief_at_grid_only_peak_is_zero():
    # park A: 40 MW, 50 at 13:00, 60 at 20:00; charges 25 MW from the grid at 02:00 and
    # discharges 22 MW at 13:00 beside 20 MW of PV; park B: 40 MW flat.
    load_a = np.full(24, 40.0)
    load_a[13], load_a[20] = 50.0, 60.0
    a = dispatch(load_a, pv=at(h13=20.0), charge=at(h2=25.0), discharge=at(h13=22.0))
    b = dispatch(40.0)
    r = m.relief_at_peak_hour({"a": a, "b": b})
    # by hand: grid-only province 80 MW, 90 at 13:00, 100 at 20:00 (the peak); after:
    # 105 at 02:00 (40 + 25 + 40), 48 at 13:00 (8 + 40), 100 at 20:00 (no on-site supply)
    assert r.peak_hour == DAY[20]
    assert r.import_before_mw == pytest.approx(100.0, abs=1e-9)
    assert r.import_after_mw == pytest.approx(100.0, abs=1e-9)
    assert r.relief_mw == pytest.approx(0.0, abs=1e-9)
    assert r.peak_moved and r.peak_after_hour == DAY[2]
    assert r.peak_after_mw == pytest.approx(105.0, abs=1e-9)
    assert r.peak_to_peak_mw == pytest.approx(-5.0, abs=1e-9)
    assert "20:00" in r.label() and "02:00" in r.label()


def test_midday_relief_does_not_stand_in_for_the_evening():
    # the case: the load peaks at 13:00, PV cuts it, the evening gets nothing
    load = np.full(24, 80.0)
    load[13], load[20] = 100.0, 95.0
    d = dispatch(load, pv=at(h12=40.0, h13=60.0, h14=40.0))
    r = m.relief_at_peak_hour({"p": d})
    assert r.peak_hour == DAY[13] and r.relief_mw == pytest.approx(60.0, abs=1e-9)
    assert r.peak_after_hour == DAY[20] and r.peak_to_peak_mw == pytest.approx(5.0, abs=1e-9)
    ev = m.evening_firm_contribution({"p": d}, "frame_2026")
    assert ev.mean_reduction_mw == pytest.approx(0.0, abs=1e-9)
    assert ev.max_reduction_mw == pytest.approx(0.0, abs=1e-9)
    assert ev.window_peak_after_hour == DAY[20]


# ------------------------------------------------------------------ evening firm contribution

def test_evening_window_follows_the_frame_with_half_hours_weighted():
    # 10 MW flat; the battery discharges 4 MW at 17:00 and 5 MW at 21:00
    d = dispatch(10.0, discharge=at(h17=4.0, h21=5.0))
    e26 = m.evening_firm_contribution({"p": d}, "evn_2026")
    assert (e26.frame, e26.window) == ("frame_2026", "17:30–22:30")
    # 17:00 and 22:00 weigh 0.5: 6 hours, 5 window-hours
    assert e26.top_n == 6 and e26.window_hours_h == pytest.approx(5.0, abs=1e-12)
    # after = (0.5·6 + 10 + 10 + 10 + 5 + 0.5·10) / 5 = 8.6 MW
    assert e26.mean_import_before_mw == pytest.approx(10.0, abs=1e-9)
    assert e26.mean_import_after_mw == pytest.approx(8.6, abs=1e-9)
    assert e26.mean_reduction_mw == pytest.approx(1.4, abs=1e-9)
    assert e26.max_reduction_mw == pytest.approx(0.0, abs=1e-9)  # 10 MW at 18:00 both
    e23 = m.evening_firm_contribution({"p": d}, "frame_2023")
    assert e23.window == "17:00–20:00" and e23.top_n == 3
    # 17:00–20:00: (6 + 10 + 10) / 3; the 21:00 discharge is outside the 2023 window
    assert e23.mean_reduction_mw == pytest.approx(4.0 / 3.0, abs=1e-9)


def test_evening_top_n_keeps_the_highest_grid_only_hours():
    load = np.full(24, 10.0)
    load[20], load[19] = 14.0, 12.0
    d = dispatch(load, discharge=at(h20=3.0, h19=1.0))
    e = m.evening_firm_contribution({"p": d}, "frame_2026", top_n=1)
    assert e.first_hour == e.last_hour == DAY[20]
    assert (e.mean_import_before_mw, e.mean_import_after_mw) == pytest.approx((14.0, 11.0))
    e2 = m.evening_firm_contribution({"p": d}, "frame_2026", top_n=2)
    assert e2.mean_reduction_mw == pytest.approx(2.0, abs=1e-9)  # (3 + 1) / 2
    with pytest.raises(EnergyModelError, match="top_n"):
        m.evening_firm_contribution({"p": d}, "frame_2026", top_n=0)


# ------------------------------------------------------------------ substation groups

def _subs():
    known = Substation("known_110", "Known", 15.0, 10.0, 3, 0.9, "S", "S", "E")
    nf = Substation("nf_110", "Not found", None, None, None, 0.9, "E", "NF", "NF")
    return {s.id: s for s in (known, nf)}


def test_substation_groups_known_and_nf_ratings():
    load = np.full(24, 8.0)
    load[[10, 11, 12]] = 10.0
    a = dispatch(load, pv=at(h11=2.0))          # known group: firm 10 MVA × 0.9 = 9 MW
    b = dispatch(5.0, pv=at(h12=7.0), export=at(h12=2.0))   # NF group, exports 2 MW at 12:00
    c = dispatch(3.0)                           # no substation given
    g = m.substation_groups({"a": a, "b": b, "c": c}, {"a": "known_110", "b": "nf_110"},
                            _subs())
    k = g.loc["known_110"]
    assert k["firm_mw"] == pytest.approx(9.0, abs=1e-12) and k["flag"] == ""
    assert k["n1_exceed_hours_before_h"] == 3.0 and k["n1_exceed_hours_after_h"] == 2.0
    assert k["headroom_before_mw"] == pytest.approx(-1.0, abs=1e-9)
    assert k["headroom_after_mw"] == pytest.approx(-1.0, abs=1e-9)
    assert k["peak_hour_before"] == DAY[10]
    n = g.loc["nf_110"]
    assert n["flag"] == m.RATING_NF and n["firm_mark"] == "NF"
    for col in ("firm_mw", "headroom_before_mw", "headroom_after_mw",
                "n1_exceed_hours_before_h", "n1_exceed_hours_after_h"):
        assert math.isnan(n[col]), col
    assert n["peak_import_before_mw"] == pytest.approx(5.0)   # reported, but not as headroom
    assert n["reverse_flow_hours_h"] == 1.0 and n["reverse_flow_max_mw"] == pytest.approx(2.0)
    u = g.loc["unmapped:c"]
    assert u["flag"] == m.RATING_NF and math.isnan(u["headroom_after_mw"])
    with pytest.raises(EnergyModelError, match="not in the substation table"):
        m.substation_groups({"a": a}, {"a": "nowhere_110"}, _subs())


def test_shipped_substation_table():
    t = load_substations()
    sk = t["song_khoai_110"]
    assert (sk.rating_mva, sk.firm_mva, sk.rating_mark, sk.firm_mark) == (189, 126, "S", "E")
    assert sk.firm_mw == pytest.approx(113.4, abs=1e-9)
    assert t["bach_dang_110"].rating_mva == 55 and t["bach_dang_110"].firm_mva is None
    assert t["texhong_hai_ha_110"].rating_mva is None
    assert t["texhong_hai_ha_110"].rating_mark == "NF"


def test_bad_substation_table_is_located(tmp_path):
    p = tmp_path / "subs.csv"
    p.write_text("id,name,rating_mva,firm_mva,transformers,power_factor,id_mark,rating_mark,"
                 "firm_mark,source,note\nx,X,,10,,0.9,E,NF,XX,,\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_substations(p)
    assert any(pr.line == 2 and pr.key == "firm_mark" for pr in exc.value.problems)


# ------------------------------------------------------------------ reverse flow

def test_reverse_flow_per_park_group_and_province():
    a = dispatch(2.0, pv=at(h11=5.0, h12=4.0), export=at(h11=3.0, h12=2.0),
                 curtail=0.0)
    b = dispatch(1.0, pv=at(h12=2.0), export=at(h12=1.0), curtail=0.0)
    c = dispatch(1.0)
    r = m.reverse_flow({"a": a, "b": b, "c": c}, {"a": "s1", "b": "s1", "c": "s1"},
                       threshold_mw=3.5)
    assert r.parks.loc["a", "export_hours_h"] == 2.0
    assert r.parks.loc["a", "export_max_mw"] == pytest.approx(3.0)
    assert r.parks.loc["a", "export_mwh"] == pytest.approx(5.0)
    g = r.groups.loc["s1"]
    # 11:00: export 3, import 0 + 1 + 1 = 2 → net 1; 12:00: export 3, import 0 + 0 + 1 → net 2
    assert g["net_reverse_hours_h"] == 2.0 and g["net_reverse_max_mw"] == pytest.approx(2.0)
    assert r.province_export_hours_h == 2.0
    assert r.province_export_max_mw == pytest.approx(3.0)
    assert r.province_hours_above_threshold_h == 0.0
    assert r.province_export_mwh == pytest.approx(6.0)


def test_curtailment_counted():
    # PV 5 MW at noon, load 2, export 1, curtail 2 → import = 2 − 5 + 2 + 1 = 0
    a = dispatch(2.0, pv=at(h12=5.0), export=at(h12=1.0), curtail=at(h12=2.0))
    r = m.reverse_flow({"a": a})
    assert r.parks.loc["a", "curtailment_mwh"] == pytest.approx(2.0)
    assert r.province_curtailment_mwh == pytest.approx(2.0)
    assert r.parks.loc["a", "substation"] == "unmapped:a"


# ------------------------------------------------------------------ shortage cuts

def test_pv_covering_a_midday_mw_cut():
    # 10 MW flat; PV 6, 3, 1, 0 MW at 13–16 h; a 4 MW cut 13:00–17:00 on 6 June
    d = dispatch(10.0, pv=at(h13=6.0, h14=3.0, h15=1.0))
    cut = m.Cut(scope="song_khoai", dates=((6, 6),), hours=(13, 17), cut_mw=4.0)
    res = m.shortage_cuts({"song_khoai": d}, [cut])
    # by hand: cut 4 × 4 h = 16 MWh; covered min(4, 6) + min(4, 3) + min(4, 1) + 0 = 8 MWh
    assert res.cut_mwh == pytest.approx(16.0, abs=1e-9)
    assert res.covered_mwh == pytest.approx(8.0, abs=1e-9)
    assert res.shed_mwh == pytest.approx(8.0, abs=1e-9)
    assert res.scopes.loc["song_khoai", "covered_share"] == pytest.approx(0.5)
    other_day = m.Cut(scope="song_khoai", dates=((6, 7),), hours=(13, 17), cut_mw=4.0)
    assert m.shortage_cuts({"song_khoai": d}, [other_day]).cut_mwh == 0.0


def test_cut_share_and_province_scope():
    a = dispatch(20.0, pv=at(h13=10.0))
    b = dispatch(10.0)
    share = m.Cut(scope="province", dates=((6, 6),), hours=(13, 14), cut_share=0.5)
    res = m.shortage_cuts({"a": a, "b": b}, [share])
    # province load 30, cut 15 MW for 1 h; on-site supply 10 → covered 10, shed 5
    assert (res.cut_mwh, res.covered_mwh, res.shed_mwh) == pytest.approx((15.0, 10.0, 5.0))
    each = m.Cut(scope="each_park", dates=((6, 6),), hours=(13, 14), cut_share=0.5)
    res = m.shortage_cuts({"a": a, "b": b}, [each])
    # a: cut 10, covered 10; b: cut 5, covered 0
    assert res.scopes.loc["a", "covered_mwh"] == pytest.approx(10.0)
    assert res.scopes.loc["b", "shed_mwh"] == pytest.approx(5.0)


def test_shipped_june_2023_schedule():
    schedules, default = m.load_cut_schedules()
    assert default == "june_2023"
    cuts = {c.scope: c for c in schedules[default]}
    assert cuts["province"].cut_mw == 51.2 and cuts["province"].mark == "S"
    assert cuts["song_khoai"].cut_mw == 8.0 and cuts["song_khoai"].hours == (13, 17)
    sk = dispatch(60.0, pv=at(h13=30.0, h14=20.0, h15=10.0, h16=5.0))
    other = dispatch(40.0)
    res = m.shortage_cuts({"song_khoai": sk, "other": other})
    # province: 51.2 MW × 4 h = 204.8 MWh; covered 30 + 20 + 10 + 5 = 65 MWh
    assert res.scopes.loc["province", "cut_mwh"] == pytest.approx(204.8, abs=1e-9)
    assert res.scopes.loc["province", "covered_mwh"] == pytest.approx(65.0, abs=1e-9)
    # Sông Khoai: 8 MW × 4 h = 32 MWh; covered 8 + 8 + 8 + 5 = 29 MWh
    assert res.scopes.loc["song_khoai", "covered_mwh"] == pytest.approx(29.0, abs=1e-9)
    assert res.scopes.loc["song_khoai", "shed_mwh"] == pytest.approx(3.0, abs=1e-9)


def test_bad_cut_schedule_is_located(tmp_path):
    p = tmp_path / "cuts.yaml"
    p.write_text("schedules:\n  x:\n    cuts:\n      - {scope: province, dates: [[6, 6]],\n"
                 "         hours: [13, 30], cut_mw: 5}\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        m.load_cut_schedules(p)
    pr = exc.value.problems[0]
    assert pr.key == "schedules.x.cuts[0]" and pr.line == 4 and "hours" in pr.message


# ------------------------------------------------------------------ catalog substations

def test_catalog_parks_name_known_substations():
    import yaml

    from energy_model.paths import default_scenario
    from energy_model.pipeline import load_scenario

    s = load_scenario(default_scenario())
    table = load_substations()
    raw = yaml.safe_load(default_scenario().read_text(encoding="utf-8"))
    for park, rawpark in zip(s.parks, raw["parks"]):
        assert park.grid.substation in table, park.id
        assert rawpark["sources"]["grid.substation"]["mark"] in ("S", "S2", "E"), park.id
    by_id = {p.id: p.grid.substation for p in s.parks}
    assert by_id["song_khoai"] == "song_khoai_110"
    assert by_id["bach_dang"] == "bach_dang_110"
    assert by_id["bac_tien_phong"] == by_id["nam_tien_phong"] == "tien_phong_110"
    assert by_id["texhong_hai_ha"] == "texhong_hai_ha_110"
    # only Sông Khoai has a known firm capacity: every other group reports unknown headroom
    firm = {sid for sid in set(by_id.values()) if table[sid].firm_mva is not None}
    assert firm == {"song_khoai_110"}


def test_unknown_substation_is_a_located_error(tmp_path):
    from energy_model.pipeline import load_scenario

    with pytest.raises(ScenarioError) as exc:
        load_scenario(GOOD_SCENARIO, overrides={"parks[0].grid.substation": "song_khoai_11"})
    pr = exc.value.problems[0]
    assert pr.key == "parks[0].grid.substation" and "song_khoai_110" in pr.message


def test_headline_row_combines_the_metrics():
    load = np.full(24, 80.0)
    load[13], load[20] = 100.0, 95.0
    d = dispatch(load, pv=at(h12=40.0, h13=110.0, h14=40.0), export=at(h13=10.0))
    row = m.grid_pressure_headline({"song_khoai": d}, "evn_2026", {"song_khoai": None})
    assert row["evening_window"] == "17:30–22:30"
    assert row["evening_firm_contribution_mw"] == pytest.approx(0.0, abs=1e-9)
    assert row["peak_hour"] == DAY[13] and row["relief_at_peak_hour_mw"] == pytest.approx(100.0)
    assert row["export_max_mw"] == pytest.approx(10.0) and row["export_hours_h"] == 1.0
    # default schedule on 6 June, 13–17 h: Sông Khoai 8 MW × 4 h = 32 MWh asked there and
    # 51.2 × 4 = 204.8 MWh province-wide; covered at 13:00 (import 0) and 14:00 (40 MW)
    assert row["cut_mwh"] == pytest.approx(236.8, abs=1e-9)
    assert row["cut_covered_mwh"] == pytest.approx(8 + 8 + 51.2 + 40.0, abs=1e-9)
