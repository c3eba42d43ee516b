"""Statistics of an hourly weather record: the validation report HOMER does not give.

Used by ``energy-model weather check``, by the report's weather-check plot and by the
tests that compare a synthetic year with the real record its normals came from. All
inputs are canonical hourly frames labelled at interval start; energy is power × 1 h.

Definitions
-----------
- Monthly GHI [kWh/m²/day]: the month's GHI sum divided by its number of days.
- Weibull k [-]: method of moments, the k whose coefficient of variation
  sqrt(Γ(1+2/k)/Γ(1+1/k)² − 1) equals the sample's (calms included).
- Lag-1 autocorrelation of wind [-]: Pearson correlation of consecutive hours over the
  whole record (HOMER's "autocorrelation factor").
- Diurnal strength [-] and peak hour [h]: amplitude over mean, and phase, of the first
  harmonic of the mean wind profile by hour of day (HOMER's definition), with each hourly
  value placed at its interval midpoint (hh:30).
- Hourly clearness kt [-]: GHI over the interval's mean extraterrestrial horizontal
  irradiance, for hours fully sunlit with the sun above 10°; its lag-1 autocorrelation
  uses consecutive such hours of the same day.
- Daily Kt [-]: daily GHI sum over daily extraterrestrial sum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import gamma

from energy_model.weather.sun import interval_sun

#: Hours with the sun below this elevation [°] are left out of the hourly clearness.
KT_MIN_ELEVATION_DEG = 10.0


# --------------------------------------------------------------------------- wind

def weibull_cv(k):
    """Coefficient of variation of a Weibull distribution of shape ``k`` [-]."""
    k = np.asarray(k, dtype=float)
    return np.sqrt(gamma(1 + 2 / k) / gamma(1 + 1 / k) ** 2 - 1)


def weibull_k_from_cv(cv):
    """Weibull shape whose coefficient of variation is ``cv`` [-] (bisection on log k).

    Parameters
    ----------
    cv : float or array
        Coefficient of variation, std/mean [-], between 0.05 and 5.

    Returns
    -------
    float or numpy.ndarray
        Weibull shape k [-].
    """
    cv = np.asarray(cv, dtype=float)
    lo = np.full(cv.shape, np.log(0.2))
    hi = np.full(cv.shape, np.log(50.0))
    for _ in range(60):
        mid = (lo + hi) / 2
        too_wide = weibull_cv(np.exp(mid)) > cv  # cv falls as k rises
        lo = np.where(too_wide, mid, lo)
        hi = np.where(too_wide, hi, mid)
    k = np.exp((lo + hi) / 2)
    return float(k) if k.ndim == 0 else k


def weibull_k_moments(speed) -> float:
    """Weibull shape of a wind speed sample by the method of moments [-].

    Parameters
    ----------
    speed : array-like
        Wind speeds [m/s]; NaN ignored, calms (0) kept.
    """
    v = np.asarray(speed, dtype=float)
    v = v[np.isfinite(v)]
    return weibull_k_from_cv(v.std() / v.mean())


def lag1_autocorr(x) -> float:
    """Pearson correlation of consecutive values [-] (NaN pairs skipped)."""
    x = np.asarray(x, dtype=float)
    a, b = x[:-1], x[1:]
    ok = np.isfinite(a) & np.isfinite(b)
    return float(np.corrcoef(a[ok], b[ok])[0, 1])


def diurnal_fit(speed: pd.Series) -> tuple[float, float]:
    """HOMER's diurnal pattern strength [-] and peak hour [h] of an hourly series.

    Parameters
    ----------
    speed : pandas.Series
        Hourly wind speed [m/s] on an interval-start DatetimeIndex.

    Returns
    -------
    strength : float
        First-harmonic amplitude of the mean hourly profile divided by its mean [-].
    peak_hour : float
        Local clock time of the harmonic's maximum [h], in [0, 24).
    """
    profile = speed.groupby(speed.index.hour).mean().reindex(range(24)).to_numpy()
    angle = 2 * np.pi * (np.arange(24) + 0.5) / 24
    a = 2 * np.nanmean(profile * np.cos(angle))
    b = 2 * np.nanmean(profile * np.sin(angle))
    strength = float(np.hypot(a, b) / np.nanmean(profile))
    peak = float(np.mod(np.arctan2(b, a) * 24 / (2 * np.pi), 24))
    return strength, peak


def wind_statistics(speed: pd.Series) -> dict:
    """Mean [m/s], Weibull k, lag-1 autocorrelation, diurnal strength and peak hour."""
    strength, peak = diurnal_fit(speed)
    return {"mean": float(speed.mean()), "weibull_k": weibull_k_moments(speed),
            "wind_autocorr_1h": lag1_autocorr(speed.to_numpy()),
            "diurnal_strength": strength, "peak_hour": peak}


# --------------------------------------------------------------------------- solar

def monthly_ghi_kwh_m2_day(ghi: pd.Series) -> pd.Series:
    """Mean daily GHI of each month [kWh/m²/day] from hourly GHI [W/m²]."""
    sums = ghi.groupby(ghi.index.month).sum() / 1000.0
    days = pd.Series(ghi.index.normalize().unique().month).value_counts().sort_index()
    return sums / days.reindex(sums.index).to_numpy()


def _position(df, meta):
    meta = dict(meta or {}) or dict(df.attrs)
    lat, lon = meta.get("latitude"), meta.get("longitude")
    if lat is None or lon is None:
        return None
    return float(lat), float(lon)


def daily_kt(ghi: pd.Series, latitude: float, longitude: float) -> pd.Series:
    """Daily clearness index [-]: daily GHI sum over daily extraterrestrial sum."""
    sun = interval_sun(ghi.index, latitude, longitude)
    e0 = pd.Series(sun.extra_horizontal, index=ghi.index)
    day = ghi.index.normalize()
    return ghi.groupby(day).sum() / e0.groupby(day).sum()


def hourly_kt(ghi: pd.Series, latitude: float, longitude: float) -> pd.Series:
    """Hourly clearness index [-], NaN where not fully sunlit above 10° elevation."""
    sun = interval_sun(ghi.index, latitude, longitude)
    ok = ((sun.sunlit_fraction >= 1.0)
          & (sun.sin_elevation_sunlit > np.sin(np.radians(KT_MIN_ELEVATION_DEG))))
    kt = np.where(ok, ghi.to_numpy() / np.where(ok, sun.extra_horizontal, 1.0), np.nan)
    return pd.Series(kt, index=ghi.index)


def kt_autocorr_1h(kt: pd.Series) -> float:
    """Lag-1 autocorrelation of hourly clearness within days [-]."""
    v = kt.to_numpy()
    same_day = np.asarray(kt.index.normalize()[1:] == kt.index.normalize()[:-1])
    a, b = v[:-1][same_day], v[1:][same_day]
    ok = np.isfinite(a) & np.isfinite(b)
    if ok.sum() < 3:
        return float("nan")
    return float(np.corrcoef(a[ok], b[ok])[0, 1])


def daily_kt_quantiles(kt_day: pd.Series, q=(0.1, 0.5, 0.9)) -> pd.DataFrame:
    """Quantiles of daily Kt by month [-], columns ``kt_p10`` etc."""
    out = kt_day.groupby(kt_day.index.month).quantile(list(q)).unstack()
    out.columns = [f"kt_p{round(100 * c):d}" for c in out.columns]
    out.index.name = "month"
    return out


def daily_kt_correlation(ghi_a: pd.Series, pos_a, ghi_b: pd.Series, pos_b) -> float:
    """Correlation of daily Kt anomalies of two records on the same days [-].

    Anomalies are daily Kt minus that record's mean Kt of the month, so the shared
    seasonal cycle does not inflate the correlation.

    Parameters
    ----------
    ghi_a, ghi_b : pandas.Series
        Hourly GHI [W/m²] of the two sites on the same index.
    pos_a, pos_b : tuple of float
        (latitude, longitude) of each site [°].
    """
    ka = daily_kt(ghi_a, *pos_a)
    kb = daily_kt(ghi_b, *pos_b)
    da = ka - ka.groupby(ka.index.month).transform("mean")
    db = kb - kb.groupby(kb.index.month).transform("mean")
    return float(np.corrcoef(da.to_numpy(), db.to_numpy())[0, 1])


# --------------------------------------------------------------------------- report

@dataclass(frozen=True)
class WeatherStats:
    """Validation statistics of one hourly record.

    Attributes
    ----------
    annual : dict
        ``ghi_kwh_m2`` [kWh/m²/yr], ``temp_air_c`` [°C], ``temp_range_c`` [°C],
        ``wind_speed_m_s`` [m/s], ``weibull_k`` [-], ``wind_autocorr_1h`` [-],
        ``diurnal_strength`` [-], ``peak_hour`` [h], ``kt_autocorr_1h`` [-],
        ``hours`` [-].
    monthly : pandas.DataFrame
        By month 1..12: ``ghi_kwh_m2_day`` [kWh/m²/day], ``temp_air_c`` [°C],
        ``wind_speed_m_s`` [m/s], ``weibull_k`` [-], ``wind_autocorr_1h`` [-],
        ``kt_autocorr_1h`` [-], ``kt_p10``, ``kt_p50``, ``kt_p90`` [-] (daily Kt
        quantiles; NaN without a position).
    deviations : pandas.DataFrame or None
        With normals, by month: ``ghi_pct`` [%], ``temp_c`` [°C], ``wind_pct`` [%].
    parameters : pandas.DataFrame or None
        With normals, one row per station parameter: ``record``, ``normal``,
        ``deviation`` and ``estimated`` (the normal is a default, not a measurement).
    """

    annual: dict
    monthly: pd.DataFrame
    deviations: pd.DataFrame | None = None
    parameters: pd.DataFrame | None = None

    def to_text(self) -> str:
        """A plain-text report for the terminal."""
        a = self.annual
        lines = [
            f"hours: {a['hours']}",
            f"annual GHI {a['ghi_kwh_m2']:.0f} kWh/m²; mean temperature "
            f"{a['temp_air_c']:.1f} °C (daily range {a['temp_range_c']:.1f} °C); mean wind "
            f"{a['wind_speed_m_s']:.2f} m/s",
            f"wind: Weibull k {a['weibull_k']:.2f}, lag-1 autocorrelation "
            f"{a['wind_autocorr_1h']:.3f}, diurnal strength {a['diurnal_strength']:.3f}, "
            f"peak hour {a['peak_hour']:.1f} h",
            f"hourly clearness lag-1 autocorrelation {a['kt_autocorr_1h']:.3f}",
            "", "monthly:",
            self.monthly.to_string(float_format=lambda x: f"{x:.3f}")]
        if self.deviations is not None:
            lines += ["", "deviation from the normals (record − normal):",
                      self.deviations.to_string(float_format=lambda x: f"{x:+.2f}")]
        if self.parameters is not None:
            p = self.parameters.copy()
            p["estimated"] = p["estimated"].map({True: "default (E)", False: ""})
            lines += ["", "station parameters:",
                      p.to_string(float_format=lambda x: f"{x:.3f}")]
        return "\n".join(lines)


def weather_stats(df: pd.DataFrame, meta: dict | None = None,
                  normals=None) -> WeatherStats:
    """Annual and monthly statistics of an hourly record, optionally against normals.

    Parameters
    ----------
    df : pandas.DataFrame
        Canonical hourly frame labelled at interval start.
    meta : dict, optional
        Metadata with ``latitude`` and ``longitude`` [°] (default ``df.attrs``); without
        a position the clearness statistics are NaN.
    normals : StationNormals, optional
        Station normals to compare with.

    Returns
    -------
    WeatherStats
    """
    pos = _position(df, meta)
    month = df.index.month
    wind = wind_statistics(df["wind_speed"])
    daily_t = df["temp_air"].resample("D")
    monthly = pd.DataFrame({
        "ghi_kwh_m2_day": monthly_ghi_kwh_m2_day(df["ghi"]),
        "temp_air_c": df["temp_air"].groupby(month).mean(),
        "wind_speed_m_s": df["wind_speed"].groupby(month).mean(),
        "weibull_k": df["wind_speed"].groupby(month).apply(weibull_k_moments),
        "wind_autocorr_1h": df["wind_speed"].groupby(month).apply(
            lambda s: lag1_autocorr(s.to_numpy()))})
    kt_r1 = float("nan")
    if pos is not None:
        kt = hourly_kt(df["ghi"], *pos)
        kt_r1 = kt_autocorr_1h(kt)
        monthly["kt_autocorr_1h"] = kt.groupby(month).apply(kt_autocorr_1h)
        monthly = monthly.join(daily_kt_quantiles(daily_kt(df["ghi"], *pos)))
    else:
        for c in ("kt_autocorr_1h", "kt_p10", "kt_p50", "kt_p90"):
            monthly[c] = np.nan
    monthly.index.name = "month"
    n_years = len(df) / (8784 if len(df) % 8784 == 0 and len(df) % 8760 else 8760)
    annual = {
        "hours": int(len(df)),
        "ghi_kwh_m2": float(df["ghi"].sum() / 1000.0 / max(n_years, 1e-9)),
        "temp_air_c": float(df["temp_air"].mean()),
        "temp_range_c": float((daily_t.max() - daily_t.min()).mean()),
        "wind_speed_m_s": wind["mean"], "weibull_k": wind["weibull_k"],
        "wind_autocorr_1h": wind["wind_autocorr_1h"],
        "diurnal_strength": wind["diurnal_strength"], "peak_hour": wind["peak_hour"],
        "kt_autocorr_1h": kt_r1}
    deviations = parameters = None
    if normals is not None:
        nm = normals.monthly
        deviations = pd.DataFrame({
            "ghi_pct": 100 * (monthly["ghi_kwh_m2_day"] / nm["ghi_kwh_m2_day"] - 1),
            "temp_c": monthly["temp_air_c"] - nm["temp_air_c"],
            "wind_pct": 100 * (monthly["wind_speed_m_s"] / nm["wind_speed_m_s"] - 1)})
        deviations.index.name = "month"
        rows = []
        for key, rec in (("weibull_k", wind["weibull_k"]),
                         ("wind_autocorr_1h", wind["wind_autocorr_1h"]),
                         ("diurnal_strength", wind["diurnal_strength"]),
                         ("peak_hour", wind["peak_hour"]),
                         ("temp_range_c", annual["temp_range_c"])):
            normal = float(getattr(normals, key))
            dev = rec - normal
            if key == "peak_hour":
                dev = (dev + 12) % 24 - 12
            rows.append({"parameter": key, "record": rec, "normal": normal,
                         "deviation": dev, "estimated": key in normals.estimated})
        parameters = pd.DataFrame(rows).set_index("parameter")
    return WeatherStats(annual=annual, monthly=monthly, deviations=deviations,
                        parameters=parameters)
