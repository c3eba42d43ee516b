"""Validation of the synthetic generator against a real typical year (issue 3, "Done when").

Normals are derived from pvlib's bundled TMY3 of Greensboro, NC (humid subtropical, the
climate class of northern Vietnam), a synthetic year is made from them, and the
synthetic year must reproduce the record's statistics within the issue's tolerances:

- monthly GHI within 1 % of the normals;
- annual PVWatts-style PV yield within 2 % of the yield on the real record;
- daily Kt quantiles (10/50/90 %) by month within 0.06 on average;
- wind mean within 1 %; Weibull k within 0.15, lag-1 autocorrelation within 0.05 and
  diurnal peak hour within 2 h of the station's values.

Measured over 20 seeds (see weather/README.md): quantile error 0.034 ± 0.003 (max 0.042),
yield −0.5 % ± 0.3 %, k +0.02 ± 0.03, r1 −0.006 ± 0.005, peak hour ± 0.2 h.

The PV yield uses a small pvlib chain written here (not energy_model.solar): Perez
transposition, physical IAM, SAPM open-rack cell temperature, PVWatts DC with −0.37 %/K,
14 % system losses, PVWatts inverter (96 %, DC/AC 1.2).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest

from energy_model.paths import shipped_dir
from energy_model.weather import (Normals, load_normals, normals_from_weather, read_weather,
                                  synthesize, weather_stats)

DATA = Path(pvlib.__file__).parent / "data"
QUANTILES = ["kt_p10", "kt_p50", "kt_p90"]


def pvwatts_yield_kwh_per_kwp(df: pd.DataFrame, latitude: float, longitude: float,
                              altitude: float, tilt: float, azimuth: float = 180.0,
                              losses: float = 0.14) -> float:
    """Annual AC energy of a 1 kWp fixed array [kWh/kWp] (PVWatts-style chain)."""
    mid = df.index + pd.Timedelta("30min")  # interval-start labels
    sp = pvlib.solarposition.get_solarposition(mid, latitude, longitude, altitude=altitude)
    zen, az = sp["apparent_zenith"].to_numpy(), sp["azimuth"].to_numpy()
    dni_extra = pvlib.irradiance.get_extra_radiation(mid).to_numpy()
    am = pvlib.atmosphere.get_relative_airmass(zen)
    poa = pvlib.irradiance.get_total_irradiance(
        tilt, azimuth, zen, az, df["dni"].to_numpy(), df["ghi"].to_numpy(),
        df["dhi"].to_numpy(), dni_extra=dni_extra, airmass=am, model="perez", albedo=0.2)
    aoi = pvlib.irradiance.aoi(tilt, azimuth, zen, az)
    eff = np.nan_to_num(np.asarray(poa["poa_direct"]) * pvlib.iam.physical(aoi)
                        + np.asarray(poa["poa_diffuse"]))
    params = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]["open_rack_glass_polymer"]
    cell = pvlib.temperature.sapm_cell(eff, df["temp_air"].to_numpy(),
                                       df["wind_speed"].to_numpy(), **params)
    pdc = pvlib.pvsystem.pvwatts_dc(eff, cell, 1000.0, -0.0037) * (1 - losses)
    pac = pvlib.inverter.pvwatts(pdc, 1000.0 / 1.2, 0.96)
    return float(np.nansum(np.clip(pac, 0, None)) / 1000.0)


def _case(filename: str, seed: int):
    df, meta = read_weather(DATA / filename)
    st = normals_from_weather(df, meta, station="site")
    tz = f"Etc/GMT{-int(meta['source_metadata']['TZ']):+d}"
    syn = synthesize(Normals.from_stations([st]), "site", 1990, seed, tz=tz)["site"][0]
    return df, meta, st, syn


@pytest.fixture(scope="module")
def greensboro_synthetic():
    df, meta, st, syn = _case("723170TYA.CSV", seed=1)
    return df, meta, st, syn, weather_stats(df, meta), weather_stats(syn, normals=st)


def test_monthly_ghi_within_1_percent(greensboro_synthetic):
    *_, syn_stats = greensboro_synthetic
    assert syn_stats.deviations["ghi_pct"].abs().max() < 1.0


@pytest.mark.parametrize("tilt", [20.0, 36.0])
def test_pv_yield_within_2_percent(greensboro_synthetic, tilt):
    df, meta, _, syn, *_ = greensboro_synthetic
    pos = meta["latitude"], meta["longitude"], meta["altitude"]
    real = pvwatts_yield_kwh_per_kwp(df, *pos, tilt=tilt)
    synthetic = pvwatts_yield_kwh_per_kwp(syn, *pos, tilt=tilt)
    assert 1250 < real < 1550  # a sanity band for Greensboro, 36 N
    assert synthetic == pytest.approx(real, rel=0.02)


def test_daily_kt_quantiles_within_006(greensboro_synthetic):
    *_, real_stats, syn_stats = greensboro_synthetic
    err = (syn_stats.monthly[QUANTILES] - real_stats.monthly[QUANTILES]).abs()
    assert err.to_numpy().mean() <= 0.06
    # and no systematic tilt of the distribution
    assert abs((syn_stats.monthly[QUANTILES] - real_stats.monthly[QUANTILES]).mean().mean()) < 0.03


def test_wind_statistics(greensboro_synthetic):
    _, _, st, _, _, syn_stats = greensboro_synthetic
    a = syn_stats.annual
    assert syn_stats.deviations["wind_pct"].abs().max() < 1.0
    assert a["wind_speed_m_s"] == pytest.approx(st.monthly["wind_speed_m_s"].mean(), rel=0.01)
    assert a["weibull_k"] == pytest.approx(st.weibull_k, abs=0.15)
    assert a["wind_autocorr_1h"] == pytest.approx(st.wind_autocorr_1h, abs=0.05)
    assert abs((a["peak_hour"] - st.peak_hour + 12) % 24 - 12) <= 2.0


def test_temperature_and_hourly_clearness(greensboro_synthetic):
    _, _, st, _, real_stats, syn_stats = greensboro_synthetic
    assert syn_stats.deviations["temp_c"].abs().max() < 0.05
    assert syn_stats.annual["temp_range_c"] == pytest.approx(st.temp_range_c, abs=1.0)
    # not an issue tolerance: the TAG within-day persistence against the record's
    assert syn_stats.annual["kt_autocorr_1h"] == pytest.approx(
        real_stats.annual["kt_autocorr_1h"], abs=0.08)


def test_bai_chay_fixed_south_20_degrees_yield():
    """Default catalog weather: a fixed south 20° array at Bãi Cháy gives 950-1,150
    kWh/kWp/yr (quang_ninh.md §7 expects 950-1,100 for northern Vietnam)."""
    normals = load_normals(shipped_dir("weather") / "quang_ninh_normals.csv")
    st = normals.station("bai_chay")
    yields = []
    for seed in (0, 1):
        df = synthesize(normals, "bai_chay", 2030, seed)["bai_chay"][0]
        yields.append(pvwatts_yield_kwh_per_kwp(df, st.latitude, st.longitude, st.altitude,
                                                tilt=20.0))
    for y in yields:
        assert 950 <= y <= 1150
    assert abs(yields[0] - yields[1]) / yields[0] < 0.02  # typical years agree


def test_sand_point_known_limits():
    """A cloudy subarctic maritime record (Sand Point, AK): outside the climate the
    method is validated for. Stated, looser bounds: the Hollands–Huget distribution is
    too wide at low monthly Kt (10 % quantile too low by ~0.04), and the Erbs split
    alone costs −1.8 % of latitude-tilt yield there (−3.8 % in all over 10 seeds)."""
    df, meta, st, syn = _case("703165TY.csv", seed=1)
    real_stats, syn_stats = weather_stats(df, meta), weather_stats(syn, normals=st)
    assert syn_stats.deviations["ghi_pct"].abs().max() < 1.0
    err = (syn_stats.monthly[QUANTILES] - real_stats.monthly[QUANTILES]).abs()
    assert err.to_numpy().mean() <= 0.065
    pos = meta["latitude"], meta["longitude"], meta["altitude"]
    real = pvwatts_yield_kwh_per_kwp(df, *pos, tilt=55.0)
    synthetic = pvwatts_yield_kwh_per_kwp(syn, *pos, tilt=55.0)
    assert synthetic == pytest.approx(real, rel=0.06)
    assert syn_stats.annual["weibull_k"] == pytest.approx(st.weibull_k, abs=0.15)
    assert syn_stats.annual["wind_autocorr_1h"] == pytest.approx(st.wind_autocorr_1h, abs=0.05)
