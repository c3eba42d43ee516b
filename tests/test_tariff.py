"""EVN time-of-use tariffs: prices against quang_ninh.md §4, half hours, Sunday rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from energy_model import tariff as tf
from energy_model.errors import ScenarioError

TZ = "Asia/Ho_Chi_Minh"


def _day(date: str) -> pd.DatetimeIndex:
    return pd.date_range(date, periods=24, freq="h", tz=TZ)


# 2025-06-09 is a Monday, 2025-06-08 a Sunday.
MONDAY, SUNDAY = "2025-06-09", "2025-06-08"


@pytest.mark.parametrize("name, voltage, off, normal, peak", [
    ("evn_2023", "ge110kv", 1044, 1649, 2973),
    ("evn_2023", "22_110kv", 1084, 1669, 3093),
    ("evn_2023", "6_22kv", 1124, 1729, 3194),
    ("evn_2023", "lt6kv", 1184, 1809, 3314),
    ("evn_2025", "ge110kv", 1146, 1811, 3266),
    ("evn_2025", "22_110kv", 1190, 1833, 3398),
    ("evn_2025", "6_22kv", 1234, 1899, 3508),
    ("evn_2025", "lt6kv", 1300, 1987, 3640),
])
def test_manufacturing_prices_match_reference_table(name, voltage, off, normal, peak):
    p = tf.hourly_prices(_day(MONDAY), name, voltage)
    assert p.iloc[2] == off          # 02:00 off-peak
    assert p.iloc[14] == normal      # 14:00 normal
    assert p.iloc[10] == peak        # 10:00 peak (09:30–11:30)
    assert p.iloc[18] == peak        # 18:00 peak (17:00–20:00)


def test_half_hour_boundaries_get_time_weighted_price():
    p = tf.hourly_prices(_day(MONDAY), "evn_2025", "22_110kv")
    # 09:00–10:00 is half normal, half peak; so is 11:00–12:00.
    assert p.iloc[9] == pytest.approx((1833 + 3398) / 2, abs=1e-9)
    assert p.iloc[11] == pytest.approx((1833 + 3398) / 2, abs=1e-9)
    # Daily mean on a weekday: 6 h off-peak, 5 h peak, 13 h normal.
    assert p.mean() == pytest.approx((6 * 1190 + 13 * 1833 + 5 * 3398) / 24, rel=1e-12)


def test_2026_frame_boundaries():
    p = tf.hourly_prices(_day(MONDAY), "evn_2026", "22_110kv")
    assert p.iloc[5] == 1190 and p.iloc[6] == 1833
    assert p.iloc[17] == pytest.approx((1833 + 3398) / 2)   # 17:00–18:00 half peak
    assert p.iloc[22] == pytest.approx((3398 + 1833) / 2)   # 22:00–23:00 half peak
    assert (p.iloc[18:22] == 3398).all()
    assert p.mean() == pytest.approx((6 * 1190 + 13 * 1833 + 5 * 3398) / 24, rel=1e-12)


def test_sunday_has_no_peak():
    p = tf.hourly_prices(_day(SUNDAY), "evn_2025", "22_110kv")
    assert p.max() == 1833
    assert p.iloc[10] == 1833 and p.iloc[18] == 1833
    assert p.iloc[23] == 1190 and p.iloc[3] == 1190
    assert p.mean() == pytest.approx((6 * 1190 + 18 * 1833) / 24, rel=1e-12)
    assert (tf.period_of_hour(_day(SUNDAY), "frame_2026") != "peak").all()


def test_sunday_rule_uses_local_date_of_a_utc_index():
    local = pd.date_range("2025-06-07 00:00", periods=72, freq="h", tz=TZ)  # Sat..Mon
    utc = local.tz_convert("UTC")
    a = tf.hourly_prices(local, "evn_2025", "6_22kv").to_numpy()
    b = tf.hourly_prices(utc, "evn_2025", "6_22kv").to_numpy()
    np.testing.assert_array_equal(a, b)
    # Sunday 10:00 local is Sunday 03:00 UTC: normal; Saturday 10:00 is peak.
    assert a[24 + 10] == 1899 and a[10] == 3508


def test_period_of_hour_labels_split_hours():
    per = tf.period_of_hour(_day(MONDAY), "evn_2025")
    assert per.iloc[9] == "normal+peak" and per.iloc[10] == "peak"
    assert per.iloc[17] == "peak" and per.iloc[22] == "offpeak" and per.iloc[4] == "normal"
    shares = tf.period_shares(_day(MONDAY), "frame_2023")
    np.testing.assert_allclose(shares.sum(axis=1), 1.0)
    assert shares.sum().to_dict() == {"offpeak": 6.0, "normal": 13.0, "peak": 5.0}


def test_business_tariff_and_voltage_mapping():
    p = tf.hourly_prices(_day(MONDAY), "evn_2025", "ge110kv", customer="business")
    q = tf.hourly_prices(_day(MONDAY), "evn_2025", "22_110kv", customer="business")
    np.testing.assert_array_equal(p, q)      # both are the ">= 22 kV" business row
    assert (p.iloc[2], p.iloc[14], p.iloc[10]) == (1609, 2887, 5025)
    low = tf.hourly_prices(_day(MONDAY), "evn_2025", "lt6kv", customer="business")
    assert (low.iloc[2], low.iloc[14], low.iloc[10]) == (1918, 3152, 5422)
    with pytest.raises(ScenarioError, match="no business prices"):
        tf.hourly_prices(_day(MONDAY), "evn_2023", "lt6kv", customer="business")


def test_two_component_pilot():
    assert tf.capacity_charge("evn_two_component_2026", "22_110kv") == 235414
    assert tf.capacity_charge("evn_2025", "22_110kv") == 0.0
    p = tf.hourly_prices(_day(MONDAY), "evn_two_component_2026", "22_110kv")
    assert (p.iloc[0], p.iloc[12], p.iloc[19]) == (859, 1275, 2182)
    with pytest.raises(ScenarioError, match="only at"):
        tf.capacity_charge("evn_two_component_2026", "6_22kv")
    with pytest.raises(ScenarioError, match="no manufacturing prices"):
        tf.hourly_prices(_day(MONDAY), "evn_two_component_2026", "6_22kv")


def test_evening_peak_window():
    s23 = tf.evening_peak_share(_day(SUNDAY), "frame_2023")
    s26 = tf.evening_peak_share(_day(MONDAY), "evn_2026")
    assert s23.sum() == 3.0 and s26.sum() == 5.0
    assert s26.iloc[17] == 0.5 and s26.iloc[22] == 0.5 and s26.iloc[23] == 0.0
    m = tf.evening_peak_mask(_day(MONDAY), "frame_2026")
    assert m.sum() == 6 and m.iloc[17] and m.iloc[22] and not m.iloc[16]


def test_export_rules():
    r = tf.get_export_rule("decree_135_2024")
    assert (r.cap_share, r.cap_basis, r.price_vnd_per_kwh, r.mark) == (0.2, "power", 1426.6, "S")
    assert tf.get_export_rule("amendment_2026").cap_share == 0.5


def test_bad_inputs_raise_scenario_errors():
    naive = pd.date_range(MONDAY, periods=3, freq="h")
    with pytest.raises(ScenarioError, match="tz-aware"):
        tf.hourly_prices(naive, "evn_2025", "22_110kv")
    half = pd.date_range(MONDAY + " 00:30", periods=3, freq="h", tz=TZ)
    with pytest.raises(ScenarioError, match="on the hour"):
        tf.hourly_prices(half, "evn_2025", "22_110kv")
    with pytest.raises(ScenarioError, match="voltage"):
        tf.hourly_prices(_day(MONDAY), "evn_2025", "35kv")
    with pytest.raises(ScenarioError, match="evn_2099"):
        tf.get_tariff("evn_2099")


def test_malformed_frame_names_file_and_line(tmp_path):
    bad = tmp_path / "t.yaml"
    bad.write_text(
        "frames:\n"
        "  f:\n"
        "    weekday:\n"
        "      - ['00:00', '09:30', normal]\n"
        "      - ['10:00', '24:00', peak]\n"
        "    sunday:\n"
        "      - ['00:00', '24:00', normal]\n"
        "    evening_peak: ['17:00', '20:00']\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        tf.load_tariff_table(bad)
    text = str(err.value)
    assert "09:30 uncovered" in text and "t.yaml:3" in text and "frames.f.weekday" in text
