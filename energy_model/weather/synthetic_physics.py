"""Solar and wind physics of the synthetic weather generator
(:mod:`energy_model.weather.synthetic`): the daily clearness distribution of Hollands &
Huget (1983), the TAG hourly model, the fit of daily totals, and HOMER's Weibull
transform of a Gaussian AR(1) series with its calibration.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy.special import gamma, log_ndtr

from energy_model.weather.stats import weibull_cv, weibull_k_from_cv


# =========================================================================== solar physics

def hollands_huget_ku(kt_month):
    """Upper limit of daily Kt given the monthly mean (Hollands & Huget 1983) [-].

    Parameters
    ----------
    kt_month : float or array
        Monthly mean clearness index [-].
    """
    k = np.asarray(kt_month, dtype=float)
    return 0.6313 + 0.267 * k - 11.9 * (k - 0.75) ** 8


def daily_kt_quantile_tables(kt_month, ku, kmin: float = 0.05, n: int = 400):
    """Tabulated inverse CDF of daily Kt for each month (Hollands & Huget 1983).

    The density is the modified gamma ``p(K) ∝ (Ku − K) · exp(λK)`` on [Kmin, Ku]; λ is
    solved numerically so the mean equals ``kt_month`` exactly (the paper's closed-form
    fit of λ approximates the same condition). Hollands & Huget start at K = 0; the lower
    limit Kmin = 0.05 of Bendt, Collares-Pereira & Rabl (1981) is used instead: it halves
    the error of the 10 % quantile on the cloudy Sand Point TMY3 (quantile error 0.060 →
    0.049) and leaves Greensboro's unchanged (0.023).

    Parameters
    ----------
    kt_month : array (M,)
        Monthly mean clearness [-].
    ku : array (M,)
        Upper limit of daily Kt [-], > kt_month.
    kmin : float
        Lower limit of daily Kt [-], < kt_month.
    n : int
        Grid points.

    Returns
    -------
    grid : array (M, n)
        Kt values [-].
    cdf : array (M, n)
        Cumulative probability at each grid value [-], from 0 to 1.
    """
    kbar = np.asarray(kt_month, dtype=float)[:, None]
    ku = np.asarray(ku, dtype=float)[:, None]
    lo_k = np.minimum(kmin, 0.5 * kbar)
    grid = lo_k + (ku - lo_k) * np.linspace(0.0, 1.0, n)[None, :]
    lo = np.full(kbar.shape, -300.0)
    hi = np.full(kbar.shape, 400.0)
    for _ in range(60):
        lam = (lo + hi) / 2
        p = (ku - grid) * np.exp(lam * (grid - ku))
        mean = (p * grid).sum(1, keepdims=True) / p.sum(1, keepdims=True)
        low = mean < kbar
        lo = np.where(low, lam, lo)
        hi = np.where(low, hi, lam)
    lam = (lo + hi) / 2
    p = (ku - grid) * np.exp(lam * (grid - ku))
    c = np.concatenate([np.zeros((p.shape[0], 1)),
                        np.cumsum((p[:, 1:] + p[:, :-1]) / 2, axis=1)], axis=1)
    return grid, c / c[:, -1:]


def tag_hourly_kt(kt_day, sin_elevation, innovations):
    """Hourly clearness index within days by the TAG model [-].

    Aguiar & Collares-Pereira (1992), "TAG: a time-dependent, autoregressive, Gaussian
    model for generating synthetic hourly radiation", Solar Energy 49(3):167-174:
    ``kt = ktm + σ·y`` with ``ktm = λ + ε exp(−κ / sin h)``, ``σ = A exp(B (1 − sin h))``
    and ``y`` a unit-variance AR(1) with ``φ = 0.38 + 0.06 cos(7.4 Kt − 2.5)``.

    Parameters
    ----------
    kt_day : array (D,)
        Daily clearness index [-].
    sin_elevation : array (D, 24)
        Sine of the sun elevation at the middle of the sunlit part of each hour [-].
    innovations : array (D, 24)
        Standard normal innovations.

    Returns
    -------
    array (D, 24)
        Unbounded hourly clearness (bounding and daily rescaling come after).
    """
    k = np.asarray(kt_day, dtype=float)[:, None]
    s = np.maximum(sin_elevation, 0.02)
    lam = -0.19 + 1.12 * k + 0.24 * np.exp(-8 * k)
    eps = 0.32 - 1.6 * (k - 0.5) ** 2
    kap = 0.19 + 2.27 * k ** 2 - 2.51 * k ** 3
    ktm = lam + eps * np.exp(-kap / s)
    a = 0.14 * np.exp(-20 * (k - 0.35) ** 2)
    b = 3 * (k - 0.45) ** 2 + 16 * k ** 5
    sigma = a * np.exp(b * (1 - s))
    phi = (0.38 + 0.06 * np.cos(7.4 * k - 2.5))[:, 0]
    root = np.sqrt(1 - phi ** 2)
    y = np.empty_like(innovations)
    y[:, 0] = innovations[:, 0]
    for h in range(1, innovations.shape[1]):
        y[:, h] = phi * y[:, h - 1] + root * innovations[:, h]
    return ktm + sigma * y


def fit_daily_totals(g, envelope, target, iterations: int = 8):
    """Rescale hourly values so each day sums to ``target`` without passing ``envelope``.

    Parameters
    ----------
    g : array (D, H)
        Hourly values [W/m²], >= 0.
    envelope : array (D, H)
        Upper bounds [W/m²].
    target : array (D,)
        Wanted daily sums [Wh/m²].
    iterations : int
        Passes of proportional rescaling of the hours below the envelope.

    Returns
    -------
    array (D, H)
    """
    g = np.minimum(np.maximum(g, 0.0), envelope)
    total = g.sum(1)
    empty = total <= 0
    if empty.any():  # no signal left: follow the envelope's shape
        g[empty] = envelope[empty]
        total = g.sum(1)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = g * np.where(total > 0, target / total, 0.0)[:, None]
    for _ in range(iterations):
        g = np.minimum(g, envelope)
        free = g < envelope * (1 - 1e-9)
        free_sum = np.where(free, g, 0.0).sum(1)
        need = target - (g.sum(1) - free_sum)
        with np.errstate(divide="ignore", invalid="ignore"):
            fac = np.where(free_sum > 0, need / free_sum, 1.0)
        g = np.where(free, g * np.maximum(fac, 0.0)[:, None], g)
    return np.minimum(g, envelope)


# =========================================================================== wind physics

def weibull_from_gaussian(z, k):
    """Unit-mean Weibull variates of shape ``k`` from standard normal ``z`` [-]."""
    return (-log_ndtr(-np.asarray(z, dtype=float))) ** (1.0 / k) / gamma(1 + 1.0 / k)


@lru_cache(maxsize=256)
def _gauss_hermite(n: int = 60):
    x, w = np.polynomial.hermite_e.hermegauss(n)
    return x, w / np.sqrt(2 * np.pi)


def weibull_transform_autocorr(phi: float, k: float) -> float:
    """Lag-1 correlation of Weibull-transformed AR(1) Gaussians [-].

    ``E[W(z1) W(z2)]`` for standard normals of correlation ``phi``, by 60 × 60-point
    Gauss–Hermite quadrature.

    Parameters
    ----------
    phi : float
        Correlation of the Gaussian pair [-].
    k : float
        Weibull shape [-].
    """
    x, w = _gauss_hermite()
    z2 = phi * x[:, None] + np.sqrt(max(1 - phi ** 2, 0.0)) * x[None, :]
    e_ww = (w[:, None] * w[None, :] * weibull_from_gaussian(x, k)[:, None]
            * weibull_from_gaussian(z2, k)).sum()
    var = weibull_cv(k) ** 2
    return float((e_ww - 1.0) / var)


def calibrate_wind(weibull_k: float, autocorr: float, diurnal_strength: float,
                   monthly_means) -> tuple[float, float, list[str]]:
    """Internal Weibull shape and Gaussian AR coefficient that meet the targets.

    The output is ``v = V_m · W(z) · (1 + δ cos(...))``; its overall coefficient of
    variation and lag-1 autocorrelation follow from those of ``W``, the diurnal term and
    the spread of the monthly means ``V_m``:

    - ``1 + CV² = S · D0 · (1 + CV_W²)``,
    - ``r1 = (S · D1 · (1 + ρ_W CV_W²) − 1) / (S · D0 · (1 + CV_W²) − 1)``,

    with ``S = mean(V_m²)/mean(V_m)²``, ``D0 = 1 + δ²/2``, ``D1 = 1 + δ²/2·cos(2π/24)``
    and ``ρ_W(φ)`` from :func:`weibull_transform_autocorr`. Solved for CV_W (hence the
    internal k) and for φ by bisection.

    Parameters
    ----------
    weibull_k : float
        Target Weibull shape of the hourly series over the year [-].
    autocorr : float
        Target lag-1 autocorrelation [-].
    diurnal_strength : float
        δ [-].
    monthly_means : array (12,)
        Monthly mean speeds [m/s].

    Returns
    -------
    k_internal : float
    phi : float
    notes : list of str
        Targets that could not be met exactly.
    """
    notes = []
    v = np.asarray(monthly_means, dtype=float)
    days = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=float)
    s = np.average(v ** 2, weights=days) / np.average(v, weights=days) ** 2
    d0 = 1 + diurnal_strength ** 2 / 2
    d1 = 1 + diurnal_strength ** 2 / 2 * np.cos(2 * np.pi / 24)
    cv2 = (1 + weibull_cv(weibull_k) ** 2) / (s * d0) - 1
    cv2_min = float(weibull_cv(10.0) ** 2)
    if cv2 < cv2_min:
        notes.append(f"Weibull k {weibull_k:g} is narrower than the seasonal and diurnal "
                     "cycles allow; internal k capped at 10")
        cv2 = cv2_min
    k_int = float(weibull_k_from_cv(np.sqrt(cv2)))

    def r1(phi):
        rho = weibull_transform_autocorr(phi, k_int)
        return (s * d1 * (1 + rho * cv2) - 1) / (s * d0 * (1 + cv2) - 1)

    lo, hi = 0.0, 0.999
    if autocorr <= r1(lo):
        notes.append(f"wind lag-1 autocorrelation {autocorr:g} is below what the diurnal "
                     f"and seasonal cycles give ({r1(lo):.3f}); using white noise")
        return k_int, 0.0, notes
    if autocorr >= r1(hi):
        notes.append(f"wind lag-1 autocorrelation {autocorr:g} too high; phi capped")
        return k_int, hi, notes
    for _ in range(40):
        mid = (lo + hi) / 2
        if r1(mid) < autocorr:
            lo = mid
        else:
            hi = mid
    return k_int, (lo + hi) / 2, notes
