"""Grid, resilience and province metrics on small hand-made dispatches, every number worked
out by hand in the comments."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from energy_model import metrics as m
from energy_model.errors import EnergyModelError, InvariantError

TZ = "Asia/Ho_Chi_Minh"


def _dispatch(start: str, **cols) -> pd.DataFrame:
    n = len(next(iter(cols.values())))
    idx = pd.date_range(start, periods=n, freq="h", tz=TZ)
    d = pd.DataFrame(0.0, index=idx, columns=list(m.DISPATCH_COLUMNS))
    for k, v in cols.items():
        d[k] = np.asarray(v, dtype=float)
    return d


def _park():
    """Six hours, Monday 3 June 2030 15:00–20:00: PV at 15–16 h, a little wind, a battery."""
    return _dispatch(
        "2030-06-03 15:00",
        load_kw=[100, 100, 130, 100, 100, 100],
        pv_kw=[170, 80, 0, 0, 0, 0],
        wind_kw=[0, 0, 0, 20, 0, 0],
        curtailment_kw=[10, 0, 0, 0, 0, 0],
        battery_charge_kw=[40, 0, 0, 0, 0, 0],
        battery_discharge_kw=[0, 0, 30, 0, 0, 0],
        battery_soc_kwh=[38, 38, 6.4, 6.4, 6.4, 6.4],
        grid_import_kw=[0, 20, 100, 80, 100, 100],
        grid_export_kw=[20, 0, 0, 0, 0, 0])


def test_park_metrics_by_hand():
    evening = [0, 0, 0.5, 1, 1, 1]      # 17:30–22:30 window: half of 17 h, all of 18–20 h
    pm = m.park_metrics(_park(), evening_share=evening, import_cap_kw=100.0, battery_kwh=60.0)
    f = pm.flows
    assert (f.load_kwh, f.pv_kwh, f.wind_kwh, f.curtailment_kwh) == (630, 250, 20, 10)
    assert (f.battery_charge_kwh, f.battery_discharge_kwh) == (40, 30)
    assert (f.grid_import_kwh, f.grid_export_kwh, f.unmet_kwh) == (400, 20, 0)
    assert f.onsite_supply_kwh == 260
    assert pm.self_sufficiency == pytest.approx((630 - 400) / 630, rel=1e-12)     # 0.365
    assert pm.self_consumption == pytest.approx((270 - 10 - 20) / 270, rel=1e-12)  # 0.889
    assert (pm.peak_import_before_kw, pm.peak_import_after_kw) == (130, 100)
    assert pm.evening_import_before_kwh == pytest.approx(130 * 0.5 + 300)           # 365
    assert pm.evening_import_after_kwh == pytest.approx(100 * 0.5 + 80 + 200)       # 330
    assert (pm.evening_peak_import_before_kw, pm.evening_peak_import_after_kw) == (130, 100)
    assert pm.hours_at_import_cap_h == 3                                            # 17, 19, 20 h
    assert pm.unmet_hours_h == 0
    assert pm.battery_equivalent_cycles == pytest.approx(0.5)
    row = pm.as_row()
    assert row["grid_import_kwh"] == 400 and row["self_sufficiency"] == pm.self_sufficiency
    # an hourly cap with no cap (inf) in some hours
    cap = [np.inf, np.inf, 100, 80, np.inf, 120]
    assert m.park_metrics(_park(), import_cap_kw=cap).hours_at_import_cap_h == 2


def test_park_metrics_take_the_tariff_evening_window():
    from energy_model.tariff import evening_peak_share

    d = _park()
    share = evening_peak_share(d.index, "frame_2026")
    np.testing.assert_array_equal(share.to_numpy(), [0, 0, 0.5, 1, 1, 1])
    assert m.park_metrics(d, evening_share=share).evening_import_after_kwh == pytest.approx(330)


def test_self_sufficiency_grid_only_and_arbitrage():
    d = m.grid_only_dispatch(_park()["load_kw"])
    pm = m.park_metrics(d)
    assert pm.self_sufficiency == 0.0 and math.isnan(pm.self_consumption)
    assert pm.peak_import_before_kw == pm.peak_import_after_kw == 130
    assert pm.battery_equivalent_cycles is None and pm.evening_import_after_kwh is None
    # a battery doing only tariff arbitrage loses energy: self-sufficiency slightly negative
    arb = _dispatch("2030-06-03 00:00", load_kw=[100, 100], battery_charge_kw=[50, 0],
                    battery_discharge_kw=[0, 45], battery_soc_kwh=[47.5, 0],
                    grid_import_kw=[150, 55])
    assert m.park_metrics(arb).self_sufficiency == pytest.approx(-5 / 200, rel=1e-12)


def test_unbalanced_or_negative_dispatch_is_refused():
    d = _park()
    d.iloc[3, d.columns.get_loc("grid_import_kw")] += 0.01          # 1e-4 of peak, > 1e-6
    with pytest.raises(InvariantError, match=r"misses by 0\.01 kW at 2030-06-03 18:00"):
        m.park_metrics(d, what="cai_lan")
    d = _park()
    d.iloc[0, d.columns.get_loc("grid_export_kw")] = -1.0
    d.iloc[0, d.columns.get_loc("curtailment_kw")] = -11.0
    with pytest.raises(InvariantError, match="negative values in"):
        m.check_dispatch(d)
    d = _park()
    d.iloc[0, d.columns.get_loc("grid_import_kw")] = 1e-5           # round-off is accepted
    d.iloc[0, d.columns.get_loc("load_kw")] += 1e-5
    m.check_dispatch(d)
    with pytest.raises(EnergyModelError, match=r"lacks columns \['unmet_kw'\]"):
        m.check_dispatch(_park().drop(columns="unmet_kw"))
    with pytest.raises(EnergyModelError, match="evening_share has shape"):
        m.park_metrics(_park(), evening_share=[0, 1])


# --------------------------------------------------------------------------- resilience

def _resilience_park():
    """Load 100 kW, PV 80 kW at hours 2–3, an idle 100 kWh battery holding 50 kWh."""
    return _dispatch("2030-06-03 00:00", load_kw=[100] * 6, pv_kw=[0, 0, 80, 80, 0, 0],
                     battery_soc_kwh=[50] * 6, grid_import_kw=[100, 100, 20, 20, 100, 100])


def test_resilience_every_start_hour_by_hand():
    # critical 50 kW; battery 100 kWh / 60 kW from 50 kWh; outage 3 h, year wraps around
    r = m.resilience(_resilience_park(), 3, 0.5, 100.0, 60.0, charge_efficiency=1.0,
                     discharge_efficiency=1.0, percentile=50)
    ev = r.events
    # start 0: 50 kWh carries hour 0, hour 1 fails, hour 2 PV serves and charges 30
    # start 1: hour 1 from the battery, hours 2–3 from PV: survives
    # start 2: PV, PV (battery fills to 100), battery: survives
    # start 3: PV (soc 80), battery (30 left), 30 of 50 kW at hour 5: 2 h
    # starts 4, 5: one hour from the battery, then nothing
    np.testing.assert_array_equal(ev["hours_survived_h"], [1, 3, 3, 2, 1, 1])
    np.testing.assert_allclose(ev["served_kwh"], [100, 150, 150, 130, 50, 50])
    assert (ev["critical_kwh"] == 150).all()
    assert r.hours_survived_mean_h == pytest.approx(11 / 6)
    assert r.hours_survived_min_h == 1
    assert r.hours_survived_percentile_h == 1.5 and r.percentile == 50
    assert r.survival_probability == pytest.approx(2 / 6)
    assert r.critical_served_share == pytest.approx(630 / 900)
    assert r.critical_served_share_min == pytest.approx(50 / 150)
    assert "anti-islanding" in r.basis


def test_resilience_efficiency_soc_min_and_no_inverter():
    d = _resilience_park()
    # 50 kWh × 0.9 = 45 kWh deliverable < 50: start 0 fails at once
    r = m.resilience(d, 3, 0.5, 100.0, 60.0, charge_efficiency=1.0, discharge_efficiency=0.9)
    assert r.events["hours_survived_h"].iloc[0] == 0
    assert r.events["served_kwh"].iloc[0] == pytest.approx(45 + 0 + 50)
    # soc_min 20 kWh leaves 30 kWh: start 4 serves 30 then 0, 0
    r = m.resilience(d, 3, 0.5, 100.0, 60.0, soc_min_kwh=20.0, charge_efficiency=1.0,
                     discharge_efficiency=1.0)
    assert r.events["served_kwh"].iloc[4] == pytest.approx(30)
    # no battery inverter: PV trips with the grid, nothing is served
    r = m.resilience(d, 2, 0.5, 0.0, 0.0)
    assert r.critical_served_share == 0 and r.hours_survived_mean_h == 0
    with pytest.raises(EnergyModelError, match="critical_share"):
        m.resilience(d, 2, 1.5, 100.0, 60.0)
    with pytest.raises(EnergyModelError, match="outage must be"):
        m.resilience(d, 2.5, 0.5, 100.0, 60.0)


def test_outage_starts_from_the_soc_stored_at_the_start_of_its_hour():
    # the LP writes battery_soc_kwh at interval start: empty at 00:00, charged 95 kWh at 01:00
    d = _dispatch("2030-06-03 00:00", load_kw=[100, 100], battery_charge_kw=[100, 0],
                  battery_soc_kwh=[0, 95], grid_import_kw=[200, 100])
    r = m.resilience(d, 1, 0.5, 100.0, 60.0, discharge_efficiency=1.0)
    np.testing.assert_array_equal(r.events["hours_survived_h"], [0, 1])
    np.testing.assert_allclose(r.events["served_kwh"], [0, 50])


def test_resilience_schedule_recovers_between_cuts():
    # full 100 kWh battery, 60 kW; cuts at hours 1–2 and 4–5; critical 50 kW, no PV
    d = _dispatch("2030-06-03 00:00", load_kw=[100] * 8, battery_soc_kwh=[100] * 8,
                  grid_import_kw=[100] * 8)
    down = pd.Series([False, True, True, False, True, True, False, False], index=d.index)
    r = m.resilience(d, down, 0.5, 100.0, 60.0, charge_efficiency=1.0, discharge_efficiency=1.0)
    # cut 1: 100 → 50 → 0, both hours served; hour 3 recharges 60 kWh (power limit);
    # cut 2: 60 → 10, then 10 of 50 kW: one hour survived, 60 of 100 kWh served
    assert list(r.events["start"]) == [d.index[1], d.index[4]]
    np.testing.assert_array_equal(r.events["hours_survived_h"], [2, 1])
    np.testing.assert_allclose(r.events["served_kwh"], [100, 60])
    assert r.survival_probability == 0.5
    assert r.critical_served_share == pytest.approx(0.8)
    assert r.critical_served_share_min == pytest.approx(0.6)


def test_june_2023_schedule():
    idx = pd.date_range("2030-05-31", "2030-06-30 23:00", freq="h", tz=TZ)
    down = m.june_2023_cuts(idx)
    # 1 June 2030 is a Saturday: weekdays 3–7, 10–14, 17–20 June = 14 days × 4 h
    assert down.sum() == 56
    day = down["2030-06-03"]
    assert list(day[day].index.hour) == [13, 14, 15, 16]
    assert not down["2030-06-01"].any() and not down["2030-06-21"].any()
    # a cut past midnight belongs to the day it began
    late = m.rotating_cut_schedule(idx, first_day=(6, 3), last_day=(6, 3), start_hour=22,
                                   duration_h=4, weekdays=(0,))
    assert list(late[late].index.strftime("%d %H")) == ["03 22", "03 23", "04 00", "04 01"]
    assert "E:" in m.JUNE_2023_BASIS


# --------------------------------------------------------------------------- province

def test_province_aggregate_by_hand():
    a = _dispatch("2030-06-03 17:00", load_kw=[100, 200, 100, 100], pv_kw=[0, 50, 60, 0],
                  grid_import_kw=[100, 150, 50, 100], grid_export_kw=[0, 0, 10, 0])
    b = _dispatch("2030-06-03 17:00", load_kw=[200, 100, 100, 300],
                  battery_discharge_kw=[0, 0, 0, 50], grid_import_kw=[200, 100, 100, 250])
    price_b = pd.Series([1000.0, 1000, 2000, 3000], index=a.index)
    p = m.province_aggregate({"a": a, "b": b}, import_price_vnd_per_kwh={"a": 1000.0, "b": price_b},
                             export_price_vnd_per_kwh=500.0, emission_factor_t_per_mwh=0.6592,
                             evening_share=[0, 0, 0.5, 1])
    assert p.n_parks == 2
    # coincident: loads sum to 300, 300, 200, 400; imports to 300, 250, 150, 350 [kW]
    assert (p.coincident_peak_import_before_mw, p.coincident_peak_import_after_mw) == (0.4, 0.35)
    assert (p.sum_of_park_peaks_before_mw, p.sum_of_park_peaks_after_mw) == (0.5, 0.4)
    assert p.peak_hour_before == a.index[3] and p.peak_hour_after == a.index[3]
    assert p.evening_import_before_mwh == pytest.approx(0.5)        # 200 × 0.5 + 400 kWh
    assert p.evening_import_after_mwh == pytest.approx(0.425)       # 150 × 0.5 + 350 kWh
    assert (p.evening_peak_import_before_mw, p.evening_peak_import_after_mw) == (0.4, 0.35)
    # bought: 500 + 700 kWh before, 400 + 650 kWh after
    assert (p.energy_bought_before_mwh, p.energy_bought_after_mwh) == (1.2, 1.05)
    assert p.energy_sold_after_mwh == pytest.approx(0.01)
    # before: a 500 kWh × 1000 + b 1,400,000; after: a 400,000 − 5,000 + b 1,250,000
    assert p.grid_cost_before_vnd == pytest.approx(1_900_000)
    assert p.grid_cost_after_vnd == pytest.approx(1_645_000)
    assert p.co2_before_t == pytest.approx(1.2 * 0.6592)
    assert p.co2_avoided_t == pytest.approx(0.15 * 0.6592)


def test_province_aggregate_refuses_mismatched_parks():
    a = _dispatch("2030-06-03 17:00", load_kw=[100, 100], grid_import_kw=[100, 100])
    b = _dispatch("2030-06-03 18:00", load_kw=[100, 100], grid_import_kw=[100, 100])
    with pytest.raises(EnergyModelError, match="park 'b': dispatch index differs"):
        m.province_aggregate({"a": a, "b": b}, import_price_vnd_per_kwh=1000.0,
                             emission_factor_t_per_mwh=0.6)
    with pytest.raises(EnergyModelError, match="no entry for park 'a'"):
        m.province_aggregate({"a": a}, import_price_vnd_per_kwh={"b": 1.0},
                             emission_factor_t_per_mwh=0.6)
