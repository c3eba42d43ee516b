"""The report's grid-pressure part (issue 15 item 4): executive summary, ranking, caveats,
grid figures, from hand-made ``grid/`` tables and ``rules_comparison.csv`` written into a
copy of the short-horizon fixture run of ``test_report.py``.

The hand-made province (48 hours from 1 February 2030, local clock, evening window
17:30–22:30):

- grid-only peak 160 MW at 13:00 on 1 February, when PV cuts import to 40 MW (midday);
- peak after 150 MW at 20:00 on 2 February, where nothing is relieved;
- the 4 highest evening hours (20:00 on 2 Feb 150 MW, 21:00 130, 19:00 120, 20:00 on
  1 Feb 110; weights 1) average 127.5 MW before and 125.0 after: 2.5 MW firm contribution;
- export 20, 60, 120, 110, 30 MW from 10:00 to 14:00 on 1 February: peak 120 MW at 12:00,
  2 h above 100 MW.
"""

from __future__ import annotations

import json
import math
import re
import shutil

import numpy as np
import pandas as pd
import pytest
from test_report import english_words, parse_page, run  # noqa: F401  (fixture)

from energy_model.report import build_report, load_results
from energy_model.report.plots import grid as grid_plots
from energy_model.report import executive as ex
from energy_model.report.i18n import Translator
from energy_model.report.plots import caption_of
from energy_model.results import write_csv

TZ = "Asia/Ho_Chi_Minh"
GROUPS = {"tba_dong_mai": ("TBA 110 kV Đông Mai", "dong_mai", 0.4, 63.0, True),
          "tba_hai_ha": ("TBA 110 kV Hải Hà", "hai_ha", 0.6, math.nan, False)}


def province_hourly() -> pd.DataFrame:
    idx = pd.date_range("2030-02-01", periods=48, freq="h", tz=TZ, name="time")
    before = np.full(48, 60.0)
    before[13] = 160.0
    evening = {17: 95, 18: 100, 19: 105, 20: 110, 21: 108, 22: 96,
               41: 97, 42: 101, 43: 120, 44: 150, 45: 130, 46: 99}
    for i, v in evening.items():
        before[i] = v
    after = before - 5.0
    after[13] = 40.0
    for i in range(17, 23):
        after[i] = before[i] - 10.0  # day 1: batteries in the evening
    for i in range(41, 47):
        after[i] = before[i]  # day 2: nothing left
    export = np.zeros(48)
    export[10:15] = [20, 60, 120, 110, 30]
    share = np.zeros(48)
    for day in (0, 24):
        share[day + 17] = share[day + 22] = 0.5
        share[day + 18: day + 22] = 1.0
    df = pd.DataFrame({"province_import_before_mw": before, "province_import_after_mw": after,
                       "province_export_mw": export, "evening_share": share}, index=idx)
    for g, (_, _, k, _, _) in GROUPS.items():
        df[f"{g}_import_before_mw"] = k * before
        df[f"{g}_import_after_mw"] = k * after
    return df


HEADLINE = {
    "evening_window": "17:30–22:30", "evening_top_n": 4,
    "evening_mean_import_before_mw": 127.5, "evening_mean_import_after_mw": 125.0,
    "evening_firm_contribution_mw": 2.5, "evening_max_import_before_mw": 150.0,
    "evening_max_import_after_mw": 150.0, "peak_hour": "2030-02-01T13:00:00+07:00",
    "import_at_peak_hour_before_mw": 160.0, "import_at_peak_hour_after_mw": 40.0,
    "relief_at_peak_hour_mw": 120.0, "peak_after_hour": "2030-02-02T20:00:00+07:00",
    "peak_after_mw": 150.0, "export_hours_h": 5.0, "export_max_mw": 120.0,
    "export_max_hour": "2030-02-01T12:00:00+07:00", "export_gwh": 0.34,
    "export_hours_above_threshold_h": 2.0, "export_threshold_mw": 100.0,
    "curtailment_mwh": 0.0, "cut_mwh": 10.0, "cut_covered_mwh": 6.0, "cut_shed_mwh": 4.0,
    "tariff": "evn_2026", "frame": "frame_2026", "kkt_metering": "class_meters"}

RULES = [("in_force", "QĐ 963/2026 frame, Decree 243/2026", 2.5, 120.0, 120.0, 50.0, 20.0,
          350.0),
         ("frame_2023", "2023 frame", 6.0, 95.0, 110.0, 48.0, 25.0, 520.0),
         ("export_20pct_power", "export ≤ 20 % of power", 2.0, 120.0, 80.0, 45.0, 20.0, 330.0)]


def write_grid_tables(folder, rules: bool = True) -> None:
    """The hand-made grid tables of the module docstring, in the format the run writes."""
    grid = folder / "grid"
    grid.mkdir(exist_ok=True)
    write_csv(pd.DataFrame([HEADLINE]), grid / "headline.csv", index=False)
    h = province_hourly()
    out = h.copy()
    out.index = pd.Index([t.isoformat() for t in out.index], name="time")
    write_csv(out, grid / "province_hourly.csv")
    rows = []
    for g, (name, park, k, firm, known) in GROUPS.items():
        rows.append({"group": g, "name": name, "parks": park, "rating_mva": firm,
                     "firm_mva": firm, "mark": "S" if known else "NF",
                     "coincident_import_before_mw": k * 160.0,
                     "coincident_import_after_mw": k * 150.0,
                     "hours_over_firm_before_h": 0.0 if known else math.nan,
                     "hours_over_firm_after_h": 0.0 if known else math.nan,
                     "headroom_known": "true" if known else "false"})
    write_csv(pd.DataFrame(rows), grid / "substations.csv", index=False)
    write_csv(pd.DataFrame([
        {"scope": "park", "id": "dong_mai", "export_hours_h": 5, "export_max_mw": 48.0,
         "export_gwh": 0.136, "curtailment_gwh": 0.0},
        {"scope": "park", "id": "hai_ha", "export_hours_h": 3, "export_max_mw": 72.0,
         "export_gwh": 0.204, "curtailment_gwh": 0.0},
        {"scope": "province", "id": "PROVINCE", "export_hours_h": 5, "export_max_mw": 120.0,
         "export_gwh": 0.34, "curtailment_gwh": 0.0}]), grid / "reverse_flow.csv", index=False)
    write_csv(pd.DataFrame([{"scope": "province", "id": "PROVINCE", "schedule": "2023-06-06",
                             "cut_mwh": 10.0, "covered_mwh": 6.0, "shed_mwh": 4.0}]),
              grid / "cuts.csv", index=False)
    if rules:
        write_csv(pd.DataFrame(RULES, columns=[
            "rule_set", "description", "evening_firm_contribution_mw", "relief_at_peak_hour_mw",
            "export_max_mw", "pv_mwp", "battery_mwh", "npv_billion_vnd"]),
            folder / "rules_comparison.csv", index=False)


#: hand-set summary values of the copy: (evening before, after [GWh], capex, NPV [bn VND],
#: PV [MWp], PV at its limit [MWp], status, name verified)
PARKS = {"dong_mai": (10.0, 9.0, 100.0, 50.0, 10.0, 10.0, "operating", "true"),
         "hai_ha": (20.0, 17.0, 400.0, 300.0, 40.0, 0.0, "planned", "true")}


def patch_summary(folder) -> None:
    s = pd.read_csv(folder / "summary.csv", encoding="utf-8-sig")
    for col in ("status", "name_verified", "substation"):
        s[col] = s[col].astype(object) if col in s else ""
    for pid, (eb, ea, capex, npv, pv, lim, status, verified) in PARKS.items():
        m = s["park_id"] == pid
        s.loc[m, ["evening_import_before_gwh", "evening_import_after_gwh", "capex_billion_vnd",
                  "npv_billion_vnd", "pv_mwp", "pv_at_limit_mwp"]] = [eb, ea, capex, npv, pv, lim]
        s.loc[m, ["status", "name_verified", "substation"]] = [status, verified, "tba_" + pid]
    write_csv(s, folder / "summary.csv", index=False)


@pytest.fixture(scope="module")
def grid_folder(run, tmp_path_factory):
    folder = tmp_path_factory.mktemp("grid") / "report_fixture"
    shutil.copytree(run[0], folder)
    write_grid_tables(folder)
    patch_summary(folder)
    return folder


@pytest.fixture(scope="module")
def gres(grid_folder):
    return load_results(grid_folder)


@pytest.fixture(scope="module")
def html_en(grid_folder):
    build_report(grid_folder, lang="en", progress=False)
    return (grid_folder / "report.html").read_text(encoding="utf-8")


def _section(html: str) -> str:
    return html[html.index('id="executive"'):html.index('id="summary"')]


# --------------------------------------------------------------------------- loading

def test_grid_tables_load(gres):
    h = gres.grid_hourly
    assert str(h.index.tz) == TZ and len(h) == 48
    assert h.index[13] == pd.Timestamp("2030-02-01 13:00", tz=TZ)
    assert h["province_import_before_mw"].iloc[13] == 160.0
    assert gres.grid_substations["headroom_known"].tolist() == [True, False]
    assert gres.rules_comparison["rule_set"].tolist() == ["in_force", "frame_2023",
                                                          "export_20pct_power"]
    assert ex.headline(gres)["evening_firm_contribution_mw"] == 2.5
    assert not [m for m in gres.missing if m.startswith("grid/") or "rules" in m]


def test_top_evening_hours_match_the_headline_by_hand(gres):
    order, w = grid_plots.top_evening_hours(gres)
    assert order.tolist() == [44, 45, 43, 20] and w.tolist() == [1, 1, 1, 1]
    h = gres.grid_hourly
    before = (h["province_import_before_mw"].to_numpy()[order] * w).sum() / w.sum()
    after = (h["province_import_after_mw"].to_numpy()[order] * w).sum() / w.sum()
    assert (before, after) == pytest.approx((127.5, 125.0))
    assert grid_plots.peak_hour_position(gres) == 13


# --------------------------------------------------------------------------- executive summary

def test_executive_summary_shows_the_fixture_numbers_with_their_hours(html_en):
    sec = _section(html_en)
    assert html_en.index('id="executive"') < html_en.index('id="summary"')
    # evening firm contribution, with the window of the frame in force
    assert ">2.5 MW<" in sec
    assert "4 highest hours of the evening window 17:30–22:30" in sec
    assert "<code>frame_2026</code>" in sec and "127.5 → 125.0 MW" in sec
    # relief at the grid-only peak hour, that hour named; peak to peak names both hours
    assert ">120.0 MW<" in sec and "Provincial import at 13:00, 1 Feb: 160.0 → 40.0 MW" in sec
    assert "160.0 MW at 13:00, 1 Feb → 150.0 MW at 20:00, 2 Feb" in sec
    assert "This hour lies outside the evening window" in sec  # 13:00 is midday
    # reverse flow
    assert "At 12:00, 1 Feb; above 100 MW during 2 h; export in 5 h a year" in sec
    # ranges across the rule sets
    assert ("Across 3 rule sets: 2.0 MW (<code>export_20pct_power</code>) to 6.0 MW "
            "(<code>frame_2023</code>)") in sec
    assert "Across 3 rule sets: 80.0 MW (<code>export_20pct_power</code>) to 120.0 MW" in sec
    assert "330.0 billion VND" in sec and "520.0 billion VND" in sec
    assert "compare-rules" not in sec
    assert "each behind its own meter" not in sec  # class_meters, but no KKT in the fixture
    # substation groups: hours above N-1 unknown where the rating is NF, never a number
    sub = sec[sec.index("Substation groups"):]
    at = sub.index("TBA 110 kV Hải Hà")
    row_nf = sub[at:sub.index("</tr>", at)]
    assert row_nf.count("unknown (rating NF)") == 2 and "mark-NF" in row_nf
    row_ok = sub[sub.index("TBA 110 kV Đông Mai"):]
    row_ok = row_ok[:row_ok.index("</tr>")]
    assert ">63 <" in row_ok and ">64.0<" in row_ok and "unknown" not in row_ok
    # the MW cut: 10 MWh cut, 6 covered on site, 4 still shed
    cuts = sec[sec.index("Shortage events"):]
    assert ">10.0</td>" in cuts and ">6.0</td>" in cuts and ">4.0</td>" in cuts


def test_ranking_by_hand(gres, html_en):
    econ = gres.scenario["economics"]
    r, n = econ["discount_rate_real"], econ["lifetime_years"]
    crf = r / (1 - (1 + r) ** -n)
    rk = ex.build_here_first(gres)
    # evening relief per cost: Đông Mai 1,000 MWh / (100 × crf), Hải Hà 3,000 / (400 × crf)
    assert list(rk.index) == ["dong_mai", "hai_ha"]
    assert rk.loc["dong_mai", "relief_per_cost_mwh_per_billion_vnd"] == pytest.approx(
        1000 / (100 * crf))
    assert rk.loc["hai_ha", "relief_per_cost_mwh_per_billion_vnd"] == pytest.approx(
        3000 / (400 * crf))
    # NPV per MWp ranks the other way: 50/10 = 5 < 300/40 = 7.5
    assert rk["rank_npv"].to_dict() == {"dong_mai": 2, "hai_ha": 1}
    assert rk["npv_per_mwp_billion_vnd"].tolist() == pytest.approx([5.0, 7.5])
    sec = _section(html_en)
    assert sec.index("KCN Đông Mai") < sec.index("KCN Texhong Hải Hà")
    assert f"{1000 / (100 * crf):,.1f}" in sec and "capital recovery factor" in sec


def test_caveats_by_hand(gres, html_en):
    c = ex.caveats(gres)
    load = gres.parks["load_gwh"]
    assert c.pv_at_limit_pct == pytest.approx(100 * 10 / 50)
    assert c.planned_load_pct == pytest.approx(100 * load["hai_ha"] / load.sum())
    assert c.unverified_load_pct == 0.0
    assert c.uncertain_parks == ["hai_ha"]
    sec = _section(html_en)
    assert "20.0\u00a0% of the solar PV (10.0 MWp) sits at its roof" in sec
    assert "restates the roof potential, the occupancy path" in sec
    # issue 17: each park says in words where its PV size is set by an assumption
    dm = html_en[html_en.index('id="park-dong_mai"'):]
    dm = dm[:dm.index("</section>")]
    assert "10.0 of the 10.0 MWp sit at a roof, area or capacity limit" in dm
    assert "technical roof of the occupied land (occupancy path × roof share)" in dm  # fixture: technical
    hh = html_en[html_en.index('id="park-hai_ha"'):]
    assert "PV size set by an assumption" not in hh[:hh.index("</section>")]


def test_peak_to_peak_of_the_summary_names_both_hours(html_en, gres):
    summary = html_en[html_en.index('id="summary"'):html_en.index('id="parks"')]
    assert "Peak to peak grid import (two different hours)" in summary
    # the fixture folder has no hour columns yet: the hours come from the parks' files
    prov = sum(gres.hourly[p]["load_kw"] for p in gres.park_ids)
    t = prov.idxmax()
    assert f"{t:%H:%M}, {t.day} " in summary and "not relief at the same hour" in summary


def test_missing_grid_folder_and_rules_give_notes(run, tmp_path):
    folder = tmp_path / "report_fixture"
    shutil.copytree(run[0], folder)
    shutil.rmtree(folder / "grid", ignore_errors=True)  # a folder from before the grid tables
    (folder / "rules_comparison.csv").unlink(missing_ok=True)
    summary = pd.read_csv(folder / "summary.csv", encoding="utf-8-sig")
    write_csv(summary.drop(columns=["pv_at_limit_mwp", "status", "name_verified"],
                           errors="ignore"), folder / "summary.csv", index=False)
    res = load_results(folder)
    assert res.grid_headline is None and res.grid_hourly is None
    assert res.rules_comparison is None
    assert "grid/headline.csv" in res.missing and "rules_comparison.csv" in res.missing
    build_report(folder, lang="en", progress=False)
    sec = _section((folder / "report.html").read_text(encoding="utf-8"))
    assert "The grid-pressure tables (<code>grid/</code>) are missing" in sec
    assert "<code>energy-model run --compare-rules</code>" in sec
    assert "does not say how much solar PV sits at its roof" in sec
    assert "share of load from planned or unverified parks is unknown" in sec
    for func in (grid_plots.same_hour_import, grid_plots.evening_duration,
                 grid_plots.reverse_flow):
        fig = func(res, "en")
        assert "No grid-pressure tables" in " ".join(t.get_text() for ax in fig.axes
                                                    for t in ax.texts)


def test_rules_missing_alone_gives_the_compare_rules_note(run, tmp_path):
    folder = tmp_path / "report_fixture"
    shutil.copytree(run[0], folder)
    write_grid_tables(folder, rules=False)
    (folder / "rules_comparison.csv").unlink(missing_ok=True)
    summary = pd.read_csv(folder / "summary.csv", encoding="utf-8-sig")
    m = summary["park_id"] == "PROVINCE"
    summary["peak_import_before_hour"] = summary["peak_import_after_hour"] = ""
    summary.loc[m, ["peak_import_before_hour", "peak_import_after_hour"]] = [
        "2030-02-01T13:00:00+07:00", "2030-02-02T20:00:00+07:00"]
    summary.loc[summary["park_id"] == "hai_ha", "kind"] = "KKT"
    write_csv(summary, folder / "summary.csv", index=False)
    build_report(folder, lang="vi", progress=False)
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "13:00 ngày 1/2 → 20:00 ngày 2/2" in html[html.index('id="summary"'):]
    sec = _section(html)
    assert "không được yêu cầu so sánh các bộ quy định" in sec
    assert "<code>energy-model run --compare-rules</code>" in sec
    assert ">2,5 MW<" in sec and "13:00 ngày 1/2" in sec  # 1.234,5 and the Vietnamese date
    assert "mỗi nhóm có công tơ và biểu giá riêng" in sec  # KKT metering: class_meters


# --------------------------------------------------------------------------- figures

def _figs(gres, lang):
    return [(stem, f(gres, lang)) for stem, f in grid_plots.GRID_PLOTS]


def test_grid_figures_have_titles_units_and_no_overlaps(gres):
    from matplotlib.text import Text

    from test_report import _has_data, _overlaps

    for stem, fig in _figs(gres, "en"):
        assert fig.get_suptitle(), stem
        assert caption_of(fig).endswith(".") and len(caption_of(fig)) > 40, stem
        for ax in fig.axes:
            if _has_data(ax):
                assert re.search(r"\[[^\]]+\]", ax.get_xlabel() + ax.get_ylabel()), stem
        fig.canvas.draw()
        r = fig.canvas.get_renderer()
        boxes = [("title", fig._suptitle.get_window_extent(r))]
        cap = [t for t in fig.findobj(Text) if t.get_gid() == "caption"][0]
        boxes.append(("caption", cap.get_window_extent(r)))
        for sub in fig.subfigs:
            boxes += [("legend", leg.get_window_extent(r)) for leg in sub.legends]
        boxes += [("axes", ax.get_tightbbox(r)) for ax in fig.axes if _has_data(ax)]
        for i, (na, a) in enumerate(boxes):
            for nb, b in boxes[i + 1:]:
                if {na, nb} != {"axes"}:
                    assert not _overlaps(a, b), (stem, na, nb)


def test_same_hour_bars_by_hand(gres):
    fig = grid_plots.same_hour_import(gres, "en")
    left, right = fig.axes[:2]
    widths = [p.get_width() for p in left.patches]
    # province, Đông Mai group (0.4), Hải Hà group (0.6): before bars, then after bars
    assert widths == pytest.approx([160, 64, 96, 40, 16, 24])
    assert [p.get_width() for p in right.patches] == pytest.approx(
        [127.5, 51.0, 76.5, 125.0, 50.0, 75.0])
    assert "13:00, 1 Feb" in left.get_title()
    assert "4 highest evening hours (17:30–22:30)" in right.get_title()
    labels = [t.get_text() for t in left.get_yticklabels()]
    assert labels == ["Province (total)", "TBA 110 kV Đông Mai", "TBA 110 kV Hải Hà (rating NF)"]


def test_reverse_flow_figure_by_hand(gres):
    fig = grid_plots.reverse_flow(gres, "en")
    left, right = fig.axes[:2]
    assert left.lines[0].get_ydata().tolist() == [120, 110, 60, 30, 20]
    assert [p.get_width() for p in right.patches] == [72.0, 48.0]
    legend = " ".join(t.get_text() for sub in fig.subfigs for leg in sub.legends
                      for t in leg.get_texts())
    assert "100 MW: exceeded during 2 h" in legend


def test_vietnamese_grid_figures_and_section(gres, grid_folder, tmp_path):
    from matplotlib.text import Text

    names = list(gres.summary["name"].astype(str)) + [g[0] for g in GROUPS.values()]
    for stem, fig in _figs(gres, "vi"):
        texts = [t.get_text() for t in fig.findobj(Text) if t.get_visible()]
        assert english_words(texts, names) == [], stem
        assert any("đ" in t or "ư" in t or "ơ" in t for t in texts), stem
    fig = grid_plots.same_hour_import(gres, "vi")
    assert "13:00 ngày 1/2" in fig.axes[0].get_title()
    folder = tmp_path / "vi"
    shutil.copytree(grid_folder, folder)
    build_report(folder, lang="vi", progress=False)
    page = parse_page(folder / "report.html")
    assert english_words(page.text, names) == []
    html = (folder / "report.html").read_text(encoding="utf-8")
    sec = _section(html)
    assert "Theo 3 bộ quy định: từ 2,0 MW" in sec and "330,0 tỷ đồng" in sec
    assert "20,0\u00a0% công suất điện mặt trời" in sec
    terms = " | ".join(g["vi"] for g in Translator("vi").glossary)
    for term in ("đóng góp công suất chắc chắn", "mức giảm tại cùng một giờ",
                 "nhóm trạm biến áp", "dự phòng N-1", "dòng công suất ngược", "tiết giảm"):
        assert term in terms, term
    assert json.loads((folder / "run.json").read_text(encoding="utf-8"))


def test_a_cap_that_is_only_the_parks_own_peak_is_not_shown_as_grid_headroom():
    """Issue 15's circular headroom: with no substation rating the import cap is the park's
    grid-only peak, so its hours at the cap are not shown; a known rating shows both."""
    from energy_model.report.html.parks import _cap_facts

    row = {"import_cap_mw": 12.3, "hours_at_cap_h": 529.0}
    for lang in ("en", "vi"):
        tr = Translator(lang)
        own = _cap_facts(tr, {**row, "import_cap_basis": "grid_only_peak"})
        assert [k for k, _ in own] == [tr("col.import_cap_mw")]
        assert "12" in own[0][1] and "529" not in own[0][1]
        rated = _cap_facts(tr, {**row, "import_cap_basis": "substation"})
        assert [v for _, v in rated] == [tr.num(12.3, 1), tr.num(529.0, 0)]
