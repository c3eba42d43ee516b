"""Synthetic hourly weather years from monthly normals: HOMER-class, open and checked.

Method, step by step (each function cites its source; the solar and wind physics are in
:mod:`energy_model.weather.synthetic_physics`):

1. **Daily clearness index** Kt: a Gaussian AR(1) day-to-day process (Graham, Hollands &
   Unny 1988) mapped through the monthly-mean-dependent distribution of daily Kt of
   Hollands & Huget (1983), bounded below at 0.05 (Bendt et al. 1981). Each month's Gaussian series is shifted so that the month's
   GHI hits its normal exactly (bisection on the shift; the distribution's shape stays).
2. **Hourly clearness** kt within the day: the TAG model of Aguiar & Collares-Pereira
   (1992): mean, spread and lag-1 correlation are functions of the daily Kt and of the
   sun height; bounded by a clear-sky envelope (Ineichen–Perez with the site's monthly
   Linke turbidity lowered by :attr:`SynthesisSettings.envelope_turbidity_offset`), then
   rescaled so each day's sum equals its Kt.
3. **DNI and DHI** from GHI with the Erbs decomposition (pvlib), at the interval midpoint.
4. **Temperature**: monthly mean plus a day-to-day AR(1) anomaly partly driven by the
   daily cloudiness, plus a diurnal cycle with its minimum at sunrise and its maximum at
   14:30 solar time, wider on clear days.
5. **Wind**: HOMER's method: a Gaussian AR(1) hourly series, a Weibull transform, a
   diurnal cosine, and a rescaling to each monthly mean. The Weibull shape and the AR
   coefficient are calibrated (analytically, by Gauss–Hermite quadrature) so that the
   *output* meets the station's Weibull k and lag-1 autocorrelation, because the
   transform, the diurnal cycle and the seasonal means all change them.
6. **Pressure** from altitude (pvlib ``alt2pres``).

All stations of one normals table are driven by spatially correlated innovations (an
exponential correlation in distance, Cholesky factor), drawn for every station of the
table in file order, so a station's weather does not depend on which other stations
were requested, and cloudy days and calm spells come together across the region.

``years=1`` gives a typical year whose monthly means equal the normals (GHI, temperature
and wind within 0.1 %). ``years > 1`` gives an ensemble: each year draws monthly anomalies
of GHI, wind and temperature from stated year-to-year variability
(:class:`SynthesisSettings`), shared by the region's stations and centred over the
ensemble, so the spread between years is real and the ensemble mean meets the normals.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy.special import ndtr

from energy_model.errors import UsageError, WeatherError
from energy_model.geo.distance import great_circle_km
from energy_model.weather import checks
from energy_model.weather.normals import Normals, StationNormals, load_normals
from energy_model.weather.sun import interval_sun
from energy_model.weather.synthetic_physics import (calibrate_wind, daily_kt_quantile_tables,
                                                    fit_daily_totals, hollands_huget_ku,
                                                    tag_hourly_kt, weibull_from_gaussian)


CANONICAL_ORDER = ("ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure")


@dataclass(frozen=True)
class SynthesisSettings:
    """Model constants of the generator, each with its basis.

    Attributes
    ----------
    daily_kt_ar1 : float
        Lag-1 autocorrelation of the Gaussian daily-Kt process [-]. Graham, Hollands &
        Unny (1988) model the Gaussian-transformed daily Kt as a low-order AR process;
        measured through the same Hollands–Huget transform, the bundled TMY3 files give
        0.32 (Greensboro) and 0.20 (Sand Point); 0.3 is used (E for Quảng Ninh).
    envelope_turbidity_offset : float
        The clear-sky envelope that bounds hourly GHI is Ineichen–Perez with the site's
        daily Linke turbidity (pvlib climatology) minus this [-], floored at 1.5: an
        atmosphere cleaner than the month's clearest days. Measured on the Greensboro
        TMY3: with the mean turbidity 9 % of hours and the best days pass the envelope
        (max 1.10 × it); minus 1.5 no day passes it. A tighter envelope cuts the upper
        tail of daily Kt and the hourly autocorrelation (daily-Kt quantile error 0.041
        at minus 1, 0.033 at minus 2, over 20 seeds).
    temp_day_sd_c : float
        Standard deviation of the daily-mean temperature anomaly [°C] (E: 1.5-2.5 °C in
        humid subtropical stations).
    temp_ar1 : float
        Lag-1 autocorrelation of the daily temperature anomaly [-] (E: 0.6-0.8 usual).
    temp_cloud_corr : float
        Correlation of the daily temperature anomaly with the daily clearness [-] (E:
        clear days warmer; in northern Vietnam's winter, monsoon surges bring both cold
        and overcast).
    temp_peak_solar_h : float
        Solar time of the daily temperature maximum [h] (textbook 14-15 h).
    dtr_clear_weight : float
        Share of the daily temperature range that scales with Kt/monthly Kt [-]: the
        range of a day is ``range × (1 − w + w × Kt/K̄)``; overcast days have about half
        the range of clear days (E).
    corr_km_daily_kt, corr_km_hourly_kt, corr_km_wind, corr_km_temp : float
        e-folding distances [km] of the spatial correlation of the daily Kt, the hourly
        kt fluctuation, the hourly wind anomaly and the daily temperature anomaly. E:
        daily irradiation stays correlated over hundreds of km (Gafurov, Usaola &
        Prodanovic 2015, Solar Energy 115), hourly cloudiness over tens of km (Perez et
        al. 2012); synoptic wind and temperature anomalies (monsoon surges) over
        hundreds of km. Not fitted to Quảng Ninh data.
    ghi_annual_cv, ghi_month_cv : float
        Year-to-year coefficient of variation of annual and of monthly GHI [-] (E: annual
        4-6 % per the issue, in line with Gueymard & Wilcox 2011; monthly about 10 %).
    wind_annual_cv, wind_month_cv : float
        Same for mean wind speed [-] (E: annual 5-10 %, the usual P90 assumption ~6-7 %).
    temp_annual_sd_c, temp_month_sd_c : float
        Year-to-year standard deviation of annual and monthly mean temperature [°C] (E).
    """

    daily_kt_ar1: float = 0.3
    envelope_turbidity_offset: float = 2.0
    temp_day_sd_c: float = 2.0
    temp_ar1: float = 0.7
    temp_cloud_corr: float = 0.4
    temp_peak_solar_h: float = 14.5
    dtr_clear_weight: float = 0.6
    corr_km_daily_kt: float = 300.0
    corr_km_hourly_kt: float = 40.0
    corr_km_wind: float = 300.0
    corr_km_temp: float = 500.0
    ghi_annual_cv: float = 0.05
    ghi_month_cv: float = 0.10
    wind_annual_cv: float = 0.07
    wind_month_cv: float = 0.12
    temp_annual_sd_c: float = 0.4
    temp_month_sd_c: float = 0.8


DEFAULT_SETTINGS = SynthesisSettings()


# =========================================================================== public API

def synthesize(normals, stations, year: int, seed: int, years: int = 1,
               tz="Asia/Ho_Chi_Minh", *, settings: SynthesisSettings = DEFAULT_SETTINGS
               ) -> dict[str, list[pd.DataFrame]]:
    """Synthesize hourly weather years for stations of a normals table.

    Parameters
    ----------
    normals : Normals or str or path
        The normals table (a path is read with :func:`load_normals`).
    stations : str or iterable of str
        Station ids.
    year : int
        Calendar year of the index (8760 or 8784 hours).
    seed : int
        Seed; the same seed gives byte-identical output.
    years : int, default 1
        1 for a typical year (monthly means equal the normals); more for an ensemble
        of years with year-to-year variability whose mean meets the normals.
    tz : str, default "Asia/Ho_Chi_Minh"
        Time zone of the index; must not observe daylight saving.
    settings : SynthesisSettings, optional
        Model constants.

    Returns
    -------
    dict
        ``{station id: [frame for each weather year]}``. Each frame has the canonical
        columns ``ghi``, ``dni``, ``dhi`` [W/m²], ``temp_air`` [°C], ``wind_speed`` [m/s]
        at the station's wind height, ``pressure`` [Pa], on an hourly interval-start
        index in ``tz``; ``attrs`` holds the metadata (station, latitude, longitude,
        altitude, wind_height_m, terrain, roughness_length_m, label, weather_year, seed,
        source="synthetic", estimated parameters, notes).

    Raises
    ------
    WeatherError
        For an unknown station, a time zone that contradicts a station's longitude or
        observes daylight saving, or normals that exceed the clear-sky envelope.
    UsageError
        For ``years < 1``.
    """
    if not isinstance(normals, Normals):
        normals = load_normals(normals)
    ids = [stations] if isinstance(stations, str) else list(stations)
    if not ids:
        raise UsageError("synthesize: give at least one station id")
    if int(years) != years or years < 1:
        raise UsageError(f"synthesize: years must be a whole number >= 1, got {years}")
    years = int(years)
    wanted = [normals.station(s) for s in ids]  # raises on unknown ids
    index = _calendar(year, tz)
    for st in wanted:
        checks.check_tz_longitude(index, st.longitude, normals.file or st.station)
    all_st = list(normals.stations.values())
    rng = _Streams(seed, len(all_st), years, len(index), settings)
    chol = _cholesky_set(all_st, settings)
    anomalies = _anomalies(rng.anomaly, years, settings)
    plans = {st.station: _plan(st, index, settings) for st in wanted}
    col = {st.station: i for i, st in enumerate(all_st)}
    out: dict[str, list[pd.DataFrame]] = {s: [] for s in ids}
    for y in range(years):
        draws = rng.draw_year(chol)
        anom = {k: v[y] for k, v in anomalies.items()} if years > 1 else None
        for sid in dict.fromkeys(ids):
            frame = _station_year(plans[sid], draws, col[sid], anom, settings)
            frame.attrs = _attrs(plans[sid].normals, y, years, seed, year, tz, settings,
                                 plans[sid].notes, normals.file)
            out[sid].append(frame)
    return out


# =========================================================================== internals

def _calendar(year: int, tz) -> pd.DatetimeIndex:
    try:
        index = pd.date_range(pd.Timestamp(year=int(year), month=1, day=1),
                              pd.Timestamp(year=int(year), month=12, day=31, hour=23),
                              freq="h").tz_localize(tz)
    except Exception as exc:
        raise WeatherError(f"synthesize: cannot build year {year} in time zone {tz!r}: "
                           f"{exc}") from exc
    offsets = index[[0, len(index) // 2]].map(lambda t: t.utcoffset())
    if offsets[0] != offsets[1]:
        raise WeatherError(f"synthesize: time zone {tz} observes daylight saving; use a "
                           "fixed offset such as 'Etc/GMT+5' for UTC-5")
    return index


def _distance_km(a: StationNormals, b: StationNormals) -> float:
    """Great-circle distance between two stations [km] (energy_model.geo.great_circle_km)."""
    return great_circle_km(a.latitude, a.longitude, b.latitude, b.longitude)


def correlation_matrix(stations, length_km: float) -> np.ndarray:
    """Exponential spatial correlation ``exp(−d / L)`` between stations [-]."""
    n = len(stations)
    d = np.array([[_distance_km(a, b) for b in stations] for a in stations]).reshape(n, n)
    return np.exp(-d / length_km)


def _cholesky_set(stations, settings) -> dict:
    out = {}
    for key, length in (("daily_kt", settings.corr_km_daily_kt),
                        ("hourly_kt", settings.corr_km_hourly_kt),
                        ("wind", settings.corr_km_wind), ("temp", settings.corr_km_temp)):
        c = correlation_matrix(stations, length)
        out[key] = np.linalg.cholesky(c + 1e-9 * np.eye(len(stations)))
    return out


class _Streams:
    """Independent random streams per process, drawn for all stations in file order."""

    def __init__(self, seed, n_stations, years, n_hours, settings):
        seq = np.random.SeedSequence(int(seed))
        self.daily, self.hourly, self.wind, self.temp, self.anomaly = [
            np.random.default_rng(s) for s in seq.spawn(5)]
        self.n = n_stations
        self.hours = n_hours
        self.days = n_hours // 24

    def draw_year(self, chol) -> dict:
        n, d, h = self.n, self.days, self.hours
        return {
            "daily_kt": self.daily.standard_normal((d + 1, n)) @ chol["daily_kt"].T,
            "hourly_kt": self.hourly.standard_normal((d * 24, n)) @ chol["hourly_kt"].T,
            "wind": self.wind.standard_normal((h + 1, n)) @ chol["wind"].T,
            "temp": self.temp.standard_normal((d + 1, n)) @ chol["temp"].T,
        }


def _anomalies(rng, years: int, s: SynthesisSettings) -> dict:
    """Monthly anomaly factors per year, shared by stations, centred over the years."""
    def draw(annual, month):
        a_sd = np.sqrt(max(annual ** 2 - month ** 2 / 12.0, 0.0))
        x = rng.normal(0, a_sd, (years, 1)) + rng.normal(0, month, (years, 12))
        if years > 1:
            x = (x - x.mean(0)) * np.sqrt(years / (years - 1))
        return x
    ghi = 1 + draw(s.ghi_annual_cv, s.ghi_month_cv)
    wind = 1 + draw(s.wind_annual_cv, s.wind_month_cv)
    temp = draw(s.temp_annual_sd_c, s.temp_month_sd_c)
    return {"ghi": np.clip(ghi, 0.5, 1.5), "wind": np.clip(wind, 0.5, 1.5), "temp": temp}


@lru_cache(maxsize=64)
def _linke_by_doy(latitude: float, longitude: float) -> np.ndarray:
    """Daily Linke turbidity (pvlib climatology) for day of year 1..366 [-]."""
    import pvlib

    days = pd.date_range("2000-01-01 12:00", periods=366, freq="D", tz="UTC")
    return np.asarray(pvlib.clearsky.lookup_linke_turbidity(days, latitude, longitude),
                      dtype=float)


@dataclass
class _Plan:
    """Per-station quantities that do not change between ensemble years."""

    normals: StationNormals
    index: pd.DatetimeIndex
    month_of_day: np.ndarray
    days_in_month: np.ndarray
    extra: np.ndarray           # (D, 24) mean extraterrestrial horizontal [W/m²]
    sin_el: np.ndarray          # (D, 24)
    envelope: np.ndarray        # (D, 24) clear-sky envelope GHI [W/m²]
    h0: np.ndarray              # (D,) daily extraterrestrial [Wh/m²]
    env_kt_month: np.ndarray    # (12,) mean daily envelope Kt
    zenith_mid: np.ndarray      # (H,) [°]
    doy_mid: np.ndarray         # (H,)
    temp_shape: np.ndarray      # (D, 24) diurnal shape, daily mean 0, peak-to-trough 1
    clock_hour: np.ndarray      # (H,)
    k_int: float
    phi_wind: float
    pressure: float
    notes: list = field(default_factory=list)


def _plan(st: StationNormals, index: pd.DatetimeIndex, s: SynthesisSettings) -> _Plan:
    import pvlib

    sun = interval_sun(index, st.latitude, st.longitude)
    n_days = len(index) // 24
    shape = (n_days, 24)
    month_of_day = np.asarray(index.month[::24]) - 1
    extra = sun.extra_horizontal.reshape(shape)
    sin_el = sun.sin_elevation_sunlit.reshape(shape)
    pressure = float(pvlib.atmosphere.alt2pres(st.altitude))
    zen = np.degrees(np.arccos(np.clip(sun.sin_elevation_sunlit, 1e-6, 1)))
    am = pvlib.atmosphere.get_absolute_airmass(
        pvlib.atmosphere.get_relative_airmass(zen), pressure)
    tl = _linke_by_doy(round(st.latitude, 4), round(st.longitude, 4))
    doy = np.clip(np.asarray(index.day_of_year), 1, 366)
    tl_h = np.maximum(tl[doy - 1] - s.envelope_turbidity_offset, 1.5)
    cs = pvlib.clearsky.ineichen(zen, am, tl_h, altitude=st.altitude,
                                 dni_extra=sun.dni_extra)["ghi"]
    envelope = np.nan_to_num(np.asarray(cs, dtype=float)) * sun.sunlit_fraction
    envelope = np.minimum(envelope, sun.extra_horizontal).reshape(shape)
    h0 = extra.sum(1)
    with np.errstate(divide="ignore", invalid="ignore"):
        env_kt = np.where(h0 > 0, envelope.sum(1) / h0, 0.0)
    env_kt_month = np.array([env_kt[month_of_day == m].mean() for m in range(12)])
    days_in_month = np.bincount(month_of_day, minlength=12)
    k_int, phi, notes = calibrate_wind(st.weibull_k, st.wind_autocorr_1h,
                                       st.diurnal_strength,
                                       st.monthly["wind_speed_m_s"].to_numpy())
    return _Plan(normals=st, index=index, month_of_day=month_of_day,
                 days_in_month=days_in_month, extra=extra, sin_el=sin_el,
                 envelope=envelope, h0=h0, env_kt_month=env_kt_month,
                 zenith_mid=np.degrees(np.arccos(np.clip(sun.cos_zenith_mid, -1, 1))),
                 doy_mid=sun.day_of_year,
                 temp_shape=_temperature_shape(sun, shape, s.temp_peak_solar_h),
                 clock_hour=np.asarray(index.hour, dtype=float), k_int=k_int,
                 phi_wind=phi, pressure=pressure, notes=notes)


def _temperature_shape(sun, shape, peak_h: float) -> np.ndarray:
    """Diurnal temperature shape: minimum at sunrise, maximum at ``peak_h`` solar time,
    cosine segments between; daily mean removed, peak-to-trough 1 [-]."""
    t = sun.solar_time_mid.reshape(shape)
    rise = np.clip(sun.sunrise_solar_time.reshape(shape), 3.0, 9.0)
    rising = (t >= rise) & (t <= peak_h)
    since_peak = np.mod(t - peak_h, 24.0)
    fall_span = 24.0 - (peak_h - rise)
    f = np.where(rising, -np.cos(np.pi * (t - rise) / (peak_h - rise)),
                 np.cos(np.pi * np.minimum(since_peak / fall_span, 1.0)))
    f = f / 2.0
    return f - f.mean(1, keepdims=True)


def _ar1(innov: np.ndarray, phi: float) -> np.ndarray:
    """Stationary unit-variance AR(1) along axis 0 from unit-variance innovations.

    Row 0 of ``innov`` is the initial state, so the result has one row fewer.
    """
    from scipy.signal import lfilter  # here: it imports scipy.stats (≈ 0.4 s a process)

    zi = phi * innov[:1]
    x, _ = lfilter([np.sqrt(1 - phi ** 2)], [1.0, -phi], innov[1:], axis=0, zi=zi)
    return x


def _station_year(p: _Plan, draws: dict, c: int, anom, s: SynthesisSettings) -> pd.DataFrame:
    st = p.normals
    n_days = len(p.h0)
    mon = st.monthly
    ghi_target = mon["ghi_kwh_m2_day"].to_numpy() * 1000.0  # Wh/m²/day
    wind_target = mon["wind_speed_m_s"].to_numpy()
    temp_target = mon["temp_air_c"].to_numpy()
    if anom is not None:
        ghi_target = ghi_target * anom["ghi"]
        wind_target = wind_target * anom["wind"]
        temp_target = temp_target + anom["temp"]

    # 1. daily Kt
    h0_month = np.bincount(p.month_of_day, weights=p.h0, minlength=12)
    kbar = ghi_target * p.days_in_month / h0_month
    limit = p.env_kt_month - 0.02
    if anom is None and np.any(kbar > limit):
        m = int(np.argmax(kbar - limit))
        raise WeatherError(
            f"station {st.station}: GHI normal of month {m + 1} "
            f"({mon['ghi_kwh_m2_day'].iloc[m]:g} kWh/m²/day, Kt {kbar[m]:.2f}) is at or "
            f"above the clear-sky envelope (Kt {p.env_kt_month[m]:.2f}); check the normals")
    if np.any(kbar > limit):  # an ensemble anomaly above the envelope: capped there
        kbar = np.minimum(kbar, limit)
        ghi_target = kbar * h0_month / p.days_in_month
    ku = np.maximum(np.minimum(hollands_huget_ku(kbar), p.env_kt_month), kbar + 0.02)
    grid, cdf = daily_kt_quantile_tables(kbar, ku)
    x = _ar1(draws["daily_kt"][:, c], s.daily_kt_ar1)
    kt_day = _daily_kt_for_months(x, p, grid, cdf, ghi_target)

    # 2. hourly clearness and GHI
    innov = draws["hourly_kt"][:, c].reshape(n_days, 24)
    kt = tag_hourly_kt(kt_day, p.sin_el, innov)
    g = np.clip(kt, 0.0, None) * p.extra
    g = fit_daily_totals(g, p.envelope, kt_day * p.h0)
    g = _fit_months(g, p, ghi_target)
    ghi = g.ravel()

    # 3. DNI, DHI
    import pvlib

    split = pvlib.irradiance.erbs(ghi, p.zenith_mid, p.doy_mid)
    dni = np.asarray(split["dni"], dtype=float)
    dhi = np.asarray(split["dhi"], dtype=float)

    # 4. temperature
    temp = _temperature(p, x, kt_day, kbar, draws["temp"][:, c], temp_target, s)

    # 5. wind
    wind = _wind(p, draws["wind"][:, c], wind_target)

    frame = pd.DataFrame({"ghi": ghi, "dni": dni, "dhi": dhi, "temp_air": temp,
                          "wind_speed": wind, "pressure": np.full(len(ghi), p.pressure)},
                         index=p.index.copy())
    frame.index.name = "time"
    return frame


def _daily_kt_for_months(x, p: _Plan, grid, cdf, ghi_target) -> np.ndarray:
    """Map the Gaussian daily process to Kt, shifting each month to hit its GHI.

    The inverse CDFs are resampled on a uniform probability grid so every day maps by
    one gather; the 12 monthly shifts are found together by bisection.
    """
    n_u = 2048
    u_grid = np.linspace(0.0, 1.0, n_u)
    quant = np.stack([np.interp(u_grid, cdf[m], grid[m]) for m in range(12)])
    month = p.month_of_day
    want = ghi_target * p.days_in_month

    def to_kt(shift):
        pos = ndtr(x + shift[month]) * (n_u - 1)
        i = np.minimum(pos.astype(int), n_u - 2)
        frac = pos - i
        return quant[month, i] * (1 - frac) + quant[month, i + 1] * frac

    lo, hi = np.full(12, -6.0), np.full(12, 6.0)
    for _ in range(50):
        mid = (lo + hi) / 2
        got = np.bincount(month, weights=to_kt(mid) * p.h0, minlength=12)
        low = got < want
        lo = np.where(low, mid, lo)
        hi = np.where(low, hi, mid)
    return to_kt((lo + hi) / 2)


def _fit_months(g, p: _Plan, ghi_target) -> np.ndarray:
    """Final proportional correction of each month's GHI sum (below the envelope)."""
    for _ in range(4):
        sums = np.bincount(p.month_of_day, weights=g.sum(1), minlength=12)
        want = ghi_target * p.days_in_month
        free = g < p.envelope * (1 - 1e-9)
        free_sum = np.bincount(p.month_of_day, weights=np.where(free, g, 0.0).sum(1),
                               minlength=12)
        with np.errstate(divide="ignore", invalid="ignore"):
            fac = np.where(free_sum > 0, 1 + (want - sums) / free_sum, 1.0)
        g = np.where(free, g * fac[p.month_of_day][:, None], g)
        g = np.minimum(g, p.envelope)
    sums = np.bincount(p.month_of_day, weights=g.sum(1), minlength=12)
    err = np.abs(sums / (ghi_target * p.days_in_month) - 1)
    if err.max() > 0.005:
        m = int(np.argmax(err))
        raise WeatherError(f"station {p.normals.station}: month {m + 1} GHI cannot reach its "
                           f"target under the clear-sky envelope ({100 * err[m]:.1f} % short)")
    return g


def _temperature(p: _Plan, x_kt, kt_day, kbar, innov, temp_target, s) -> np.ndarray:
    n_days = len(kt_day)
    e = _ar1(innov, s.temp_ar1)
    anomaly = s.temp_day_sd_c * (s.temp_cloud_corr * x_kt
                                 + np.sqrt(1 - s.temp_cloud_corr ** 2) * e)
    t_day = temp_target[p.month_of_day] + anomaly
    hours = np.arange(n_days * 24) + 0.5
    base = np.interp(hours, np.arange(n_days) * 24 + 12.0, t_day)
    ratio = kt_day / np.maximum(kbar[p.month_of_day], 1e-3)
    dtr = p.normals.temp_range_c * (1 - s.dtr_clear_weight + s.dtr_clear_weight * ratio)
    temp = base + (dtr[:, None] * p.temp_shape).ravel()
    month_h = np.repeat(p.month_of_day, 24)
    mean = np.bincount(month_h, weights=temp, minlength=12) / np.bincount(month_h,
                                                                          minlength=12)
    return temp + (temp_target - mean)[month_h]


def _wind(p: _Plan, innov, wind_target) -> np.ndarray:
    st = p.normals
    z = _ar1(innov, p.phi_wind)
    w = weibull_from_gaussian(z, p.k_int)
    diurnal = 1 + st.diurnal_strength * np.cos(2 * np.pi * (p.clock_hour + 0.5
                                                            - st.peak_hour) / 24)
    month_h = np.repeat(p.month_of_day, 24)
    v = w * diurnal * wind_target[month_h]
    mean = np.bincount(month_h, weights=v, minlength=12) / np.bincount(month_h,
                                                                       minlength=12)
    return v * (wind_target / mean)[month_h]


def _attrs(st: StationNormals, y, years, seed, year, tz, settings, notes, file) -> dict:
    return {
        "station": st.station, "name": st.name, "latitude": st.latitude,
        "longitude": st.longitude, "altitude": st.altitude,
        "wind_height_m": st.wind_height_m, "terrain": st.terrain,
        "roughness_length_m": st.roughness_length_m, "label": "start",
        "source_label": "start", "weather_year": int(y), "years": int(years),
        "seed": int(seed), "year": int(year), "tz": str(tz), "source": "synthetic",
        "format": "synthetic", "normals_file": file,
        "typical": years == 1,
        "estimated": list(st.estimated),
        "method": ("daily Kt: Gaussian AR(1) + Hollands-Huget distribution; hourly: TAG "
                   "(Aguiar & Collares-Pereira 1992); split: Erbs; wind: HOMER AR(1) + "
                   "Weibull + diurnal cosine, calibrated; pressure: alt2pres"),
        "settings": asdict(settings), "notes": list(notes)}
