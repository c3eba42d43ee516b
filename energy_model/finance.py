"""Small shared finance maths: Fisher rates, the capital recovery factor, annuities,
discounting, NPV, IRR, payback and levelised cost, plus the two helpers sizing shares with
the pipeline (:func:`effective_capex`, :func:`life_mean_factor`).

Sizing imports this module (never :mod:`energy_model.economics`). Rates are real unless a
docstring says otherwise; amounts are in constant base-year VND.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from energy_model.errors import EnergyModelError

# --------------------------------------------------------------------------- rates and annuities

def nominal_rate(real, inflation):
    """Nominal rate from a real rate by Fisher's relation [1/yr].

    Parameters
    ----------
    real : numeric
        Real rate [1/yr].
    inflation : numeric
        General inflation [1/yr].

    Returns
    -------
    numeric
        ``(1 + real) × (1 + inflation) − 1`` [1/yr].
    """
    return (1.0 + real) * (1.0 + inflation) - 1.0


def real_rate(nominal, inflation):
    """Real rate from a nominal rate by Fisher's relation [1/yr].

    Parameters
    ----------
    nominal : numeric
        Nominal rate [1/yr].
    inflation : numeric
        General inflation [1/yr].

    Returns
    -------
    numeric
        ``(1 + nominal) / (1 + inflation) − 1`` [1/yr].
    """
    return (1.0 + nominal) / (1.0 + inflation) - 1.0


def crf(rate, years):
    """Capital recovery factor: the annuity that repays 1 over ``years`` [1/yr].

    ``rate (1 + rate)^n / ((1 + rate)^n − 1)``, and ``1 / n`` at a zero rate.

    Parameters
    ----------
    rate : numeric
        Discount rate [1/yr], > −1.
    years : numeric
        Life [yr], > 0.

    Returns
    -------
    numeric
        Capital recovery factor [1/yr].
    """
    rate = np.asarray(rate, dtype=float)
    years = np.asarray(years, dtype=float)
    if np.any(rate <= -1) or np.any(years <= 0):
        raise EnergyModelError(f"crf needs rate > −1 and years > 0, got {rate}, {years}")
    with np.errstate(divide="ignore", invalid="ignore"):
        # rate / (1 − (1 + rate)^−n), with expm1/log1p for accuracy at small rates
        out = np.where(rate == 0, 1.0 / years, rate / -np.expm1(-years * np.log1p(rate)))
    return out.item() if out.ndim == 0 else out


def annualised_capex(capex_vnd, rate, years):
    """Capex spread over its life as an equal yearly payment [VND/yr].

    Parameters
    ----------
    capex_vnd : numeric
        Installed cost [VND] (or VND per unit, giving VND per unit per year).
    rate : numeric
        Real discount rate [1/yr].
    years : numeric
        Life [yr].

    Returns
    -------
    numeric
        ``capex × crf(rate, years)`` [VND/yr].
    """
    return capex_vnd * crf(rate, years)


def discount_factors(rate: float, years: int) -> np.ndarray:
    """``(1 + rate)^−t`` for t = 0..years [-].

    Parameters
    ----------
    rate : float
        Discount rate [1/yr], > −1.
    years : int
        Last year [yr].
    """
    if rate <= -1:
        raise EnergyModelError(f"a discount rate must be > −1, got {rate}")
    return np.power(1.0 + rate, -np.arange(years + 1, dtype=float))


def npv(rate: float, cash_flows_vnd) -> float:
    """Net present value of yearly cash flows, the first at t = 0 [VND].

    Parameters
    ----------
    rate : float
        Discount rate [1/yr], of the same kind (nominal or real) as the flows.
    cash_flows_vnd : array_like
        Cash flow of years 0, 1, … [VND].

    Returns
    -------
    float
        ``Σ cf_t (1 + rate)^−t`` [VND].
    """
    cf = np.asarray(cash_flows_vnd, dtype=float)
    return float(cf @ discount_factors(rate, len(cf) - 1))


def irr(cash_flows_vnd, *, low: float = -0.99, high: float = 10.0) -> float | None:
    """Internal rate of return: the rate at which the NPV is zero [1/yr].

    The NPV is scanned on a grid of rates in [low, high] (uniform in log(1 + r)), every sign
    change is bracketed and solved by Brent's method, and the root nearest zero is returned
    (as numpy-financial does). Flows with replacements can have several roots; flows
    without a sign change have none.

    Parameters
    ----------
    cash_flows_vnd : array_like
        Cash flow of years 0, 1, … [VND].
    low, high : float
        Search interval [1/yr].

    Returns
    -------
    float or None
        IRR [1/yr], or None when the NPV does not change sign in [low, high].
    """
    cf = np.asarray(cash_flows_vnd, dtype=float)
    nonzero = cf[cf != 0]
    if nonzero.size == 0 or np.all(nonzero > 0) or np.all(nonzero < 0):
        return None
    x = np.linspace(np.log1p(low), np.log1p(high), 2001)
    t = np.arange(len(cf))
    values = np.exp(-np.outer(x, t)) @ cf
    rates = np.expm1(x)
    roots = list(rates[values == 0])
    for k in np.flatnonzero(values[:-1] * values[1:] < 0):
        roots.append(brentq(lambda r: npv(r, cf), rates[k], rates[k + 1], xtol=1e-14, rtol=1e-13))
    if not roots:
        return None
    return float(min(roots, key=abs))


def simple_payback(cash_flows_vnd) -> float | None:
    """Years until the cumulative cash flow first turns non-negative [yr].

    Within the crossing year the flow is taken as even (linear interpolation). Pass
    discounted flows for the discounted payback.

    Parameters
    ----------
    cash_flows_vnd : array_like
        Cash flow of years 0, 1, … [VND] (year 0 normally the negative capex).

    Returns
    -------
    float or None
        Payback [yr]; 0 when nothing is spent; None when never reached.
    """
    cf = np.asarray(cash_flows_vnd, dtype=float)
    cum = np.cumsum(cf)
    if cum[0] >= 0:
        return 0.0
    hit = np.flatnonzero(cum >= 0)
    if hit.size == 0:
        return None
    k = int(hit[0])
    return float(k - 1 + (-cum[k - 1]) / cf[k])


def levelised_cost(costs_vnd, energy_kwh, rate: float) -> float | None:
    """Discounted costs over discounted energy [VND/kWh].

    Parameters
    ----------
    costs_vnd : array_like
        Costs of years 0, 1, … [VND] (real for a real levelised cost).
    energy_kwh : array_like
        Energy of the same years [kWh].
    rate : float
        Discount rate [1/yr] (real for a real levelised cost).

    Returns
    -------
    float or None
        ``Σ c_t (1+r)^−t / Σ e_t (1+r)^−t`` [VND/kWh]; None without energy.
    """
    c = np.asarray(costs_vnd, dtype=float)
    e = np.asarray(energy_kwh, dtype=float)
    df = discount_factors(rate, len(c) - 1)
    denom = float(e @ df)
    return float(c @ df) / denom if denom > 0 else None



# --------------------------------------------------------------------------- shared with sizing

def effective_capex(cost, rate: float) -> float:
    """Capex plus the present value of in-life component replacements [VND/unit].

    The LP annualises this over the asset life, so inverter and cell replacements are
    costed in sizing as in the cash-flow table.

    Parameters
    ----------
    cost : TechnologyCost
        Costs per unit (``capex_vnd_per_unit``, ``life_yr``, ``replacement_interval_yr``,
        ``replacement_vnd_per_unit``).
    rate : float
        Real discount rate [1/yr].
    """
    capex = cost.capex_vnd_per_unit
    if cost.replacement_interval_yr:
        year = cost.replacement_interval_yr
        while year < cost.life_yr:
            capex += cost.replacement_vnd_per_unit / (1 + rate) ** year
            year += cost.replacement_interval_yr
    return capex


def life_mean_factor(degradation_per_yr: float, life_years: float) -> float:
    """Mean output over a life with compound degradation, relative to year 1.

    Parameters
    ----------
    degradation_per_yr : float
        Output loss per year [-], e.g. 0.005 for PV.
    life_years : float
        Life [yr]; rounded to whole years.

    Returns
    -------
    float
        ``mean((1 - d)**k for k in 0..n-1)`` [-].
    """
    n = max(int(round(life_years)), 1)
    return float(np.mean((1.0 - degradation_per_yr) ** np.arange(n)))
