"""Issue 17 item 3: the residuals the calibration scalar leaves at every load figure of the
reference that is not the Jinko-dominated fit (data/load_checks.csv)."""

from __future__ import annotations

import io
import math

import pytest

from energy_model.demand import calibration_check as cc
from energy_model.errors import InvariantError
from energy_model.scenario import load_scenario


@pytest.fixture(scope="module")
def table():
    scenario = load_scenario("scenarios/quang_ninh_2030.yaml")
    return scenario, cc.calibration_residuals(scenario).set_index("id")


def test_every_check_is_marked_and_the_fit_is_there():
    checks = cc.load_checks()
    assert set(checks["kind"]) == {"fit", "upper", "lower", "nf"}
    assert checks["mark"].isin(["S", "S2", "E", "NF"]).all()
    assert (checks.loc[checks["kind"] == "nf", "mark"] == "NF").all()


def test_residuals_by_hand(table):
    scenario, t = table
    assert scenario.load_calibration == 0.909
    fit = t.loc["song_khoai_peak"]
    # bottom-up energy is linear in the scalar: modelled = 0.909 × uncalibrated
    assert fit["modelled_mw"] == pytest.approx(0.909 * fit["uncalibrated_mw"], rel=1e-9)
    # the scalar was fitted here: 0.909 × 69.32 MW = 63.01 MW against 63 MW (S) → +0.01 %
    assert fit["uncalibrated_mw"] == pytest.approx(69.32, abs=0.01)
    assert fit["residual_pct"] == pytest.approx(100 * (0.909 * fit["uncalibrated_mw"] / 63 - 1),
                                                rel=1e-9)
    assert abs(fit["residual_pct"]) < 0.1 and fit["within"]
    # Jinko's PV-cell and wafer plants are 96 % of the fit's energy
    assert fit["industry_mix"].startswith("pv_wafer 0.50, pv_cell 0.46")
    # Tiền Phong in 2023: ≈ 5.9 MW modelled under the ≈ 50 MW supplied (S2): −88 %
    sup = t.loc["tien_phong_supply_2023"]
    assert sup["residual_pct"] == pytest.approx(100 * (sup["modelled_mw"] / 50 - 1), rel=1e-9)
    assert sup["modelled_mw"] == pytest.approx(5.92, abs=0.05) and sup["within"]
    # the long-run need of 'several hundred MW' (≥ 200 MW, E) is not met by the norms
    need = t.loc["tien_phong_need"]
    assert need["modelled_mw"] == pytest.approx(145.5, abs=0.5) and not need["within"]
    assert need["industry_mix"].startswith("chemicals")
    # Texhong: no rating (NF), no residual
    tx = t.loc["texhong_substation_full"]
    assert math.isnan(tx["residual_pct"]) and tx["within"] is None and tx["modelled_mw"] > 0


def test_unknown_parks_are_skipped_and_bad_tables_are_refused(table):
    scenario, _ = table
    text = ("id,parks,year,kind,reference_mw,mark,source,note\n"
            "x,no_such_park,2023,upper,10,E,s,n\n")
    assert cc.calibration_residuals(scenario, cc.load_checks(io.StringIO(text))).empty
    bad = text.replace(",upper,", ",guess,")
    with pytest.raises(InvariantError, match="unknown kind"):
        cc.load_checks(io.StringIO(bad))
    with pytest.raises(InvariantError, match="mark"):
        cc.load_checks(io.StringIO(text.replace(",E,s", ",,s")))
