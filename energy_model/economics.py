"""Economics of on-site supply: annuities, a year-by-year cash flow, NPV, IRR, payback,
LCOE, LCOS and the CO2 a park avoids.

Money conventions (stated once, used everywhere)
------------------------------------------------
- Every input amount (capex, O&M, replacement, tariffs, export price) is in constant VND of
  the base year, excluding VAT (manufacturers reclaim it). Capex is paid in year 0.
- Operating years are t = 1..N. An amount of year t is its base amount escalated t times
  (REopt's convention: the year-1 bill already carries one year of escalation).
- Rates are given **real**; nominal ones follow by Fisher, exactly:
  ``1 + nominal = (1 + real) × (1 + inflation)``. The cash-flow table holds nominal VND
  (what is paid that year) and the inflation index to turn it into real VND.
  Nominal flows discounted at the nominal rate and real flows at the real rate give the
  same NPV; IRR is reported both ways.
- O&M and replacement costs keep their real value (they rise with inflation in nominal VND);
  the tariff moves with its own real escalation.
- LCOE (on-site supply) and LCOS (storage) are real: constant base-year VND/kWh, discounted
  at the real rate. LCOS excludes the cost of the charging energy (it is in the bill).
- Replacements (HOMER's rule): an asset of life L is bought again at L, 2L, … before the end
  of the analysis; a component with its own interval (inverters, battery cells) is replaced
  within each asset life; at the end each item's unused life is credited as salvage,
  linearly (remaining years / life × its cost).

CO2 is location-based: grid import × the average grid emission factor of the year
(emission_factors.csv). The official series' basis was not found (NF); energy_model assumes
it is the average factor. Exports earn no credit.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from energy_model.errors import EnergyModelError, Problem, ScenarioError
from energy_model.metrics import align_hourly, check_dispatch, energy_flows, step_hours
from energy_model.paths import package_data

MARKS = ("S", "S2", "E", "NF")
TABLE_COLUMNS = ("name", "unit", "value", "source", "mark", "description")

#: technology name -> (capacity unit, category)
TECHNOLOGIES: dict[str, tuple[str, str]] = {
    "pv_rooftop": ("kWp", "generation"),
    "pv_ground": ("kWp", "generation"),
    "pv_floating": ("kWp", "generation"),
    "wind_small": ("kW", "generation"),
    "wind_medium": ("kW", "generation"),
    "battery_energy": ("kWh", "storage"),
    "battery_power": ("kW", "storage"),
}

CO2_BASIS = ("location-based: grid import × the national average grid emission factor of the "
             "year (official series 2014–2023, S; research estimates 2024–2025, E; later years "
             "hold the last value unless a trajectory is given). The official series' basis "
             "(average or margin) was not found (NF); it is assumed to be the average.")


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
    from scipy.optimize import brentq

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


# --------------------------------------------------------------------------- cost data

@dataclass(frozen=True)
class TechnologyCost:
    """Installed-system cost of one technology, per unit of capacity, in base-year real VND.

    Attributes
    ----------
    name : str
        Technology, a key of :data:`TECHNOLOGIES`.
    unit : str
        Capacity unit: ``kWp`` (PV, DC), ``kW`` or ``kWh``.
    capex_vnd_per_unit : float
        Installed system cost [VND/unit].
    fixed_om_vnd_per_unit_yr : float
        Fixed O&M [VND/unit/yr].
    life_yr : int
        Economic life [yr].
    replacement_interval_yr : int or None
        Interval of a component replacement within the life (inverter, cells) [yr].
    replacement_vnd_per_unit : float
        Cost of that replacement [VND/unit].
    category : str
        ``generation`` (in the LCOE) or ``storage`` (in the LCOS).
    """

    name: str
    unit: str
    capex_vnd_per_unit: float
    fixed_om_vnd_per_unit_yr: float
    life_yr: int
    replacement_interval_yr: int | None = None
    replacement_vnd_per_unit: float = 0.0
    category: str = "generation"


@dataclass(frozen=True)
class CostTable:
    """The cost data file, read and checked.

    Attributes
    ----------
    technologies : dict of str to TechnologyCost
        Costs by technology.
    pv_degradation : float
        Yearly relative loss of PV output [1/yr].
    battery_throughput_cost_vnd_per_kwh : float
        Degradation proxy for the dispatch LP [VND/kWh discharged].
    vnd_per_usd : float
        Exchange rate the USD benchmarks were converted with [VND/USD].
    rows : pandas.DataFrame
        The file's rows, with sources and quality marks.
    """

    technologies: dict[str, TechnologyCost]
    pv_degradation: float
    battery_throughput_cost_vnd_per_kwh: float
    vnd_per_usd: float
    rows: pd.DataFrame = field(repr=False)


_FIELDS = {  # name suffix -> (TechnologyCost field, unit pattern, required)
    "capex": ("capex_vnd_per_unit", "VND/{u}", True),
    "fixed_om": ("fixed_om_vnd_per_unit_yr", "VND/{u}/yr", True),
    "life": ("life_yr", "yr", True),
    "replacement_interval": ("replacement_interval_yr", "yr", False),
    "replacement_cost": ("replacement_vnd_per_unit", "VND/{u}", False),
}
_SCALARS = {"pv_degradation": "1/yr", "battery_energy_throughput_cost": "VND/kWh",
            "vnd_per_usd": "VND/USD"}


def load_costs(path: str | Path | None = None) -> CostTable:
    """Read a cost table (default ``energy_model/data/costs.csv``) and check every row.

    Parameters
    ----------
    path : str or Path, optional
        A CSV with columns ``name, unit, value, source, mark, description``.

    Returns
    -------
    CostTable
    """
    return _load_costs(str(path or package_data("costs.csv")))


def _check_cost_row(row: dict, path: str, line: int, problems: list[Problem]) -> float | None:
    """Check one cost row (name, unit, mark, source, value); return its value or None."""
    name, unit = row["name"], row["unit"]
    expected = _expected_unit(name)
    if expected is None:
        problems.append(Problem(f"unknown cost row; expected <technology>_<{'|'.join(_FIELDS)}> "
                                f"with technology in {sorted(TECHNOLOGIES)}, or one of "
                                f"{sorted(_SCALARS)}", path, line, key=name))
        return None
    if unit != expected:
        problems.append(Problem(f"unit must be {expected!r}, got {unit!r}", path, line, key=name))
    if row["mark"] not in MARKS:
        problems.append(Problem(f"mark must be one of {MARKS}, got {row['mark']!r}",
                                path, line, key=name))
    if not row["source"].strip():
        problems.append(Problem("source is empty; say where the value comes from",
                                path, line, key=name))
    try:
        value = float(row["value"])
    except ValueError:
        problems.append(Problem(f"value must be a number, got {row['value']!r}",
                                path, line, key=name))
        return None
    if not np.isfinite(value) or value < 0:
        problems.append(Problem(f"value must be finite and ≥ 0, got {value}",
                                path, line, key=name))
    return value


def _technology_cost(tech: str, values: dict[str, float], path: str, lines: dict[str, int],
                     problems: list[Problem]) -> TechnologyCost | None:
    """Assemble one technology's cost from its rows; None if a required row is missing."""
    unit, category = TECHNOLOGIES[tech]
    kwargs = {}
    for suffix, (attr, _, required) in _FIELDS.items():
        key = f"{tech}_{suffix}"
        if key not in values:
            if required:
                problems.append(Problem(f"missing row {key!r}", path, key=key))
            continue
        value = values[key]
        if attr.endswith("_yr") and attr != "fixed_om_vnd_per_unit_yr":
            if value != int(value) or (suffix == "life" and value < 1):
                problems.append(Problem(f"must be a whole number of years"
                                        f"{' ≥ 1' if suffix == 'life' else ''}, got {value}",
                                        path, lines.get(key), key=key))
            value = int(value)
        kwargs[attr] = value
    if not all(f"{tech}_{s}" in values for s, spec in _FIELDS.items() if spec[2]):
        return None
    return TechnologyCost(name=tech, unit=unit, category=category, **kwargs)


@lru_cache(maxsize=8)
def _load_costs(path: str) -> CostTable:
    rows = _read_table(path)
    problems: list[Problem] = []
    values: dict[str, float] = {}
    for line, row in rows:
        value = _check_cost_row(row, path, line, problems)
        if value is not None:
            values[row["name"]] = value
    lines = {row["name"]: line for line, row in rows}
    techs = {}
    for tech in TECHNOLOGIES:
        cost = _technology_cost(tech, values, path, lines, problems)
        if cost is not None:
            techs[tech] = cost
    for key in _SCALARS:
        if key not in values:
            problems.append(Problem(f"missing row {key!r}", path, key=key))
    if problems:
        raise ScenarioError(f"cost table {path} has {len(problems)} problem(s)", problems,
                            file=path)
    table = pd.DataFrame([r for _, r in rows])
    return CostTable(technologies=techs, pv_degradation=values["pv_degradation"],
                     battery_throughput_cost_vnd_per_kwh=values["battery_energy_throughput_cost"],
                     vnd_per_usd=values["vnd_per_usd"], rows=table)


def _read_table(path: str, columns: Sequence[str] = TABLE_COLUMNS) -> list[tuple[int, dict]]:
    """Rows of a data CSV with their 1-based line numbers; checks the header."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise ScenarioError(f"{path}:1: data table lacks columns {missing}; expected "
                                    f"{list(columns)}", file=path)
            return [(reader.line_num, dict(r)) for r in reader]
    except OSError as exc:
        raise ScenarioError(f"cannot read data table {path}: {exc.strerror}", file=path) from None


#: Optional rows (issue 20): read and checked when present, not required.
_OPTIONAL_SCALARS = {"pv_ground_tracker_capex_adder": "VND/kWp"}


def _expected_unit(name: str) -> str | None:
    """The unit a cost row must carry, or None for an unknown row name."""
    if name in _SCALARS:
        return _SCALARS[name]
    if name in _OPTIONAL_SCALARS:
        return _OPTIONAL_SCALARS[name]
    for tech, (unit, _) in TECHNOLOGIES.items():
        suffix = name[len(tech) + 1:] if name.startswith(tech + "_") else None
        if suffix in _FIELDS:
            return _FIELDS[suffix][1].format(u=unit)
    return None


def _cost_items(capacities: Mapping[str, float], costs) -> list[tuple[TechnologyCost, float]]:
    """(cost, capacity) pairs of the technologies built; checks the names and values."""
    techs = costs.technologies if isinstance(costs, CostTable) else costs
    items = []
    for name, cap in capacities.items():
        if name not in techs:
            raise EnergyModelError(f"capacities[{name!r}]: no cost for this technology; "
                                   f"known: {sorted(techs)}")
        if not np.isfinite(cap) or cap < 0:
            raise EnergyModelError(f"capacities[{name!r}] must be finite and ≥ 0, got {cap}")
        if cap > 0:
            items.append((techs[name], float(cap)))
    return items


def replacement_schedule(capacities: Mapping[str, float], costs,
                         analysis_years: int) -> pd.DataFrame:
    """Re-purchases, component replacements and end-of-analysis salvage, in real VND.

    Parameters
    ----------
    capacities : mapping of str to float
        Technology → capacity [its unit: kWp, kW or kWh].
    costs : CostTable or mapping of str to TechnologyCost
        Costs per unit.
    analysis_years : int
        Analysis period N [yr].

    Returns
    -------
    pandas.DataFrame
        Rows ``year, item, category, replacement_vnd, salvage_vnd`` (base-year real VND);
        salvage rows fall in year N.
    """
    rows = []
    n = int(analysis_years)
    for tech, cap in _cost_items(capacities, costs):
        life = tech.life_yr
        for bought in range(0, n, life):
            if bought > 0:
                rows.append((bought, tech.name, tech.category, cap * tech.capex_vnd_per_unit, 0.0))
            end = bought + life
            if end > n:
                rows.append((n, tech.name, tech.category, 0.0,
                             cap * tech.capex_vnd_per_unit * (end - n) / life))
            step = tech.replacement_interval_yr
            if step:
                for when in range(bought + step, min(end, n), step):
                    cost = cap * tech.replacement_vnd_per_unit
                    rows.append((when, f"{tech.name} component", tech.category, cost, 0.0))
                    left = min(when + step, end) - n
                    if left > 0:
                        rows.append((n, f"{tech.name} component", tech.category, 0.0,
                                     cost * left / step))
    return pd.DataFrame(rows, columns=["year", "item", "category", "replacement_vnd",
                                       "salvage_vnd"])


# --------------------------------------------------------------------------- one year of operation

@dataclass(frozen=True)
class AnnualResult:
    """The grid bill and energies of one operating year, at base-year prices.

    Attributes
    ----------
    grid_only_bill_vnd : float
        What the park would pay the grid with no system [VND].
    system_bill_vnd : float
        What it pays with the system: import cost − export revenue (+ capacity charge) [VND].
    pv_kwh, wind_kwh : float
        Available PV and wind output [kWh] (their ratio splits the degradation).
    onsite_supply_kwh : float
        On-site generation delivered, pv + wind − curtailment [kWh].
    battery_discharge_kwh : float
        Battery discharge [kWh].
    grid_import_before_kwh, grid_import_after_kwh : float
        Grid import without and with the system [kWh].
    pv_output_factor : float
        PV output of this result relative to year-1 output [-]: 1 for year 1, the life-mean
        factor when the dispatch was sized on life-mean output.
    """

    grid_only_bill_vnd: float
    system_bill_vnd: float
    pv_kwh: float
    wind_kwh: float
    onsite_supply_kwh: float
    battery_discharge_kwh: float
    grid_import_before_kwh: float
    grid_import_after_kwh: float
    pv_output_factor: float = 1.0

    @property
    def savings_vnd(self) -> float:
        """Bill saving against grid-only [VND]."""
        return self.grid_only_bill_vnd - self.system_bill_vnd


def grid_bill_vnd(import_kw: pd.Series, export_kw: pd.Series | float, import_price_vnd_per_kwh,
                  export_price_vnd_per_kwh=0.0,
                  capacity_charge_vnd_per_kw_month: float = 0.0) -> float:
    """The grid bill of an hourly import/export series [VND].

    Parameters
    ----------
    import_kw : pandas.Series
        Hourly grid import [kW], interval-start labels.
    export_kw : pandas.Series or float
        Hourly grid export [kW].
    import_price_vnd_per_kwh : float or pandas.Series
        Import price [VND/kWh] (e.g. :func:`energy_model.tariff.hourly_prices`).
    export_price_vnd_per_kwh : float or pandas.Series
        Surplus export price [VND/kWh].
    capacity_charge_vnd_per_kw_month : float
        Two-component tariff: charge on each calendar month's peak import [VND/kW/month].

    Returns
    -------
    float
        ``Σ import × price − Σ export × export price + Σ_month charge × peak`` [VND].
    """
    index = import_kw.index
    dt = step_hours(index)
    imp = import_kw.to_numpy(dtype=float)
    exp = align_hourly(export_kw, index, "export_kw")
    energy = float(imp @ align_hourly(import_price_vnd_per_kwh, index, "import price")) * dt
    revenue = float(exp @ align_hourly(export_price_vnd_per_kwh, index, "export price")) * dt
    capacity = 0.0
    if capacity_charge_vnd_per_kw_month:
        month = index.year * 12 + index.month
        capacity = capacity_charge_vnd_per_kw_month * float(import_kw.groupby(month).max().sum())
    return energy - revenue + capacity


def annual_result(dispatch: pd.DataFrame, import_price_vnd_per_kwh, export_price_vnd_per_kwh=0.0,
                  *, capacity_charge_vnd_per_kw_month: float = 0.0,
                  pv_output_factor: float = 1.0) -> AnnualResult:
    """Bill and energies of a one-year dispatch against its grid-only case.

    Parameters
    ----------
    dispatch : pandas.DataFrame
        Hourly dispatch (:data:`energy_model.metrics.DISPATCH_COLUMNS`) [kW].
    import_price_vnd_per_kwh : float or pandas.Series
        Import price [VND/kWh], base-year, without VAT.
    export_price_vnd_per_kwh : float or pandas.Series
        Surplus price [VND/kWh].
    capacity_charge_vnd_per_kw_month : float
        Capacity charge of a two-component tariff [VND/kW/month].
    pv_output_factor : float
        PV output of this dispatch relative to year 1 [-] (see :class:`AnnualResult`).

    Returns
    -------
    AnnualResult
    """
    check_dispatch(dispatch)
    flows = energy_flows(dispatch)
    before = grid_bill_vnd(dispatch["load_kw"], 0.0, import_price_vnd_per_kwh, 0.0,
                           capacity_charge_vnd_per_kw_month)
    after = grid_bill_vnd(dispatch["grid_import_kw"], dispatch["grid_export_kw"],
                          import_price_vnd_per_kwh, export_price_vnd_per_kwh,
                          capacity_charge_vnd_per_kw_month)
    return AnnualResult(
        grid_only_bill_vnd=before, system_bill_vnd=after, pv_kwh=flows.pv_kwh,
        wind_kwh=flows.wind_kwh, onsite_supply_kwh=flows.onsite_supply_kwh,
        battery_discharge_kwh=flows.battery_discharge_kwh,
        grid_import_before_kwh=flows.load_kwh, grid_import_after_kwh=flows.grid_import_kwh,
        pv_output_factor=pv_output_factor)


# --------------------------------------------------------------------------- the cash-flow table

def _results_by_year(annual_results_by_year, life: int) -> dict[int, AnnualResult]:
    if isinstance(annual_results_by_year, AnnualResult):
        given = {1: annual_results_by_year}
    elif isinstance(annual_results_by_year, Mapping):
        given = {int(k): v for k, v in annual_results_by_year.items()}
    else:
        given = {k + 1: v for k, v in enumerate(annual_results_by_year)}
    if 1 not in given:
        raise EnergyModelError("annual_results_by_year must include operating year 1")
    bad = [y for y in given if not 1 <= y <= life]
    if bad:
        raise EnergyModelError(f"annual_results_by_year has years {bad} outside 1..{life}")
    return given


def _generation_scale(base: AnnualResult, year: int, degradation: float) -> float:
    """On-site output of ``year`` relative to ``base``'s, PV degrading and wind not [-]."""
    total = base.pv_kwh + base.wind_kwh
    if total <= 0:
        return 1.0
    pv_ratio = (1.0 - degradation) ** (year - 1) / base.pv_output_factor
    return (base.wind_kwh + base.pv_kwh * pv_ratio) / total


def _operation_by_year(given: dict[int, AnnualResult], n: int, tariff_escalation_real: float,
                       degradation: float, load_growth: float) -> dict[str, np.ndarray]:
    """Bills [real VND] and energies [kWh] of years 0..n, projected from the given years."""
    tariff = (1.0 + tariff_escalation_real) ** np.arange(n + 1)
    real = {k: np.zeros(n + 1) for k in (
        "grid_only_bill_vnd", "savings_vnd", "onsite_supply_kwh", "battery_discharge_kwh",
        "grid_import_before_kwh", "grid_import_after_kwh")}
    for t in range(1, n + 1):
        k = max(y for y in given if y <= t)
        b = given[k]
        load = (1.0 + load_growth) ** (t - k)
        gen = _generation_scale(b, t, degradation)
        real["grid_only_bill_vnd"][t] = b.grid_only_bill_vnd * load * tariff[t]
        real["savings_vnd"][t] = b.savings_vnd * gen * tariff[t]
        real["onsite_supply_kwh"][t] = b.onsite_supply_kwh * gen
        real["battery_discharge_kwh"][t] = b.battery_discharge_kwh
        real["grid_import_before_kwh"][t] = b.grid_import_before_kwh * load
        real["grid_import_after_kwh"][t] = real["grid_import_before_kwh"][t] - (
            b.grid_import_before_kwh - b.grid_import_after_kwh) * gen
    return real


def _costs_by_year(items, replacements: pd.DataFrame, n: int) -> dict[str, dict[str, np.ndarray]]:
    """Capex, O&M, replacement and salvage of years 0..n [real VND] by category."""
    by_cat = {c: {k: np.zeros(n + 1) for k in ("capex", "om", "replacement", "salvage")}
              for c in ("generation", "storage")}
    for tech, cap in items:
        by_cat[tech.category]["capex"][0] += cap * tech.capex_vnd_per_unit
        by_cat[tech.category]["om"][1:] += cap * tech.fixed_om_vnd_per_unit_yr
    for row in replacements.itertuples(index=False):
        by_cat[row.category]["replacement"][row.year] += row.replacement_vnd
        by_cat[row.category]["salvage"][row.year] += row.salvage_vnd
    return by_cat


def cash_flow_table(capacities: Mapping[str, float], costs, annual_results_by_year, *,
                    tariff_escalation_real: float, degradation: float, load_growth: float,
                    discount_rate_real: float, inflation: float, life: int,
                    replacements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Year-by-year cash flow of an on-site system against staying grid-only.

    Years given in ``annual_results_by_year`` are used as they are (at base-year prices);
    every other year is projected from the latest given year before it:

    - the grid-only bill grows with the load: ``× (1 + load_growth)^(t − k)``;
    - the saving follows on-site output: PV output degrades as ``(1 − d)^(t − 1)`` relative
      to year 1 (divided by the result's ``pv_output_factor``), wind does not, and the
      saving is scaled by the resulting share of on-site output. Load growth leaves the
      saving unchanged (extra load is bought from the grid), which slightly understates
      it when a growing load would absorb exported surplus;
    - all bills carry the tariff's real escalation ``(1 + e)^t``.

    Parameters
    ----------
    capacities : mapping of str to float
        Technology → capacity [kWp, kW or kWh], keys of :data:`TECHNOLOGIES`.
    costs : CostTable or mapping of str to TechnologyCost
        Installed-system costs, base-year real VND.
    annual_results_by_year : AnnualResult, sequence or mapping of int to AnnualResult
        Operating year (1-based) → result; a sequence starts at year 1.
    tariff_escalation_real : float
        Real yearly escalation of the tariff and export price [1/yr].
    degradation : float
        Yearly relative loss of PV output [1/yr].
    load_growth : float
        Yearly growth of the load's energy [1/yr].
    discount_rate_real : float
        Real discount rate [1/yr].
    inflation : float
        General inflation [1/yr]; nominal = real × (1 + inflation)^t.
    life : int
        Analysis period N [yr].
    replacements : pandas.DataFrame, optional
        A :func:`replacement_schedule`; computed from ``capacities`` and ``costs`` if omitted.

    Returns
    -------
    pandas.DataFrame
        Index ``year`` 0..N. Money columns in nominal VND (positive amounts):
        ``grid_only_bill_vnd, system_bill_vnd, savings_vnd, capex_vnd, om_vnd,
        replacement_vnd, salvage_vnd, generation_cost_vnd, storage_cost_vnd,
        net_cash_flow_vnd, cumulative_cash_flow_vnd, discounted_cash_flow_vnd,
        cumulative_discounted_vnd``; ``inflation_index`` (nominal / real) and
        ``discount_factor`` (nominal); energies ``onsite_supply_kwh,
        battery_discharge_kwh, grid_import_before_kwh, grid_import_after_kwh``.
        ``attrs`` records the rates.
    """
    n = int(life)
    if n < 1:
        raise EnergyModelError(f"life must be ≥ 1 yr, got {life}")
    given = _results_by_year(annual_results_by_year, n)
    items = _cost_items(capacities, costs)
    if replacements is None:
        replacements = replacement_schedule(capacities, costs, n)
    elif len(replacements) and not replacements["year"].between(0, n).all():
        raise EnergyModelError(f"replacements fall outside years 0..{n}")
    years = np.arange(n + 1)
    infl = (1.0 + inflation) ** years
    real = _operation_by_year(given, n, tariff_escalation_real, degradation, load_growth)
    by_cat = _costs_by_year(items, replacements, n)

    out = pd.DataFrame(index=pd.Index(years, name="year"))
    out["inflation_index"] = infl
    out["grid_only_bill_vnd"] = real["grid_only_bill_vnd"] * infl
    out["savings_vnd"] = real["savings_vnd"] * infl
    out["system_bill_vnd"] = out["grid_only_bill_vnd"] - out["savings_vnd"]
    for part in ("capex", "om", "replacement", "salvage"):
        out[f"{part}_vnd"] = (by_cat["generation"][part] + by_cat["storage"][part]) * infl
    for cat in ("generation", "storage"):
        c = by_cat[cat]
        out[f"{cat}_cost_vnd"] = (c["capex"] + c["om"] + c["replacement"] - c["salvage"]) * infl
    out["net_cash_flow_vnd"] = (out["savings_vnd"] - out["capex_vnd"] - out["om_vnd"]
                                - out["replacement_vnd"] + out["salvage_vnd"])
    out["cumulative_cash_flow_vnd"] = out["net_cash_flow_vnd"].cumsum()
    rate_nominal = nominal_rate(discount_rate_real, inflation)
    out["discount_factor"] = discount_factors(rate_nominal, n)
    out["discounted_cash_flow_vnd"] = out["net_cash_flow_vnd"] * out["discount_factor"]
    out["cumulative_discounted_vnd"] = out["discounted_cash_flow_vnd"].cumsum()
    for key in ("onsite_supply_kwh", "battery_discharge_kwh", "grid_import_before_kwh",
                "grid_import_after_kwh"):
        out[key] = real[key]
    out.attrs.update(discount_rate_real=discount_rate_real, discount_rate_nominal=rate_nominal,
                     inflation=inflation, tariff_escalation_real=tariff_escalation_real,
                     tariff_escalation_nominal=nominal_rate(tariff_escalation_real, inflation),
                     degradation=degradation, load_growth=load_growth, life=n)
    return out


def _real(table: pd.DataFrame, column: str) -> np.ndarray:
    return (table[column] / table["inflation_index"]).to_numpy()


def lcoe(table: pd.DataFrame, discount_rate_real: float) -> float | None:
    """Real levelised cost of on-site supply from a cash-flow table [VND/kWh].

    Generation costs (capex, O&M, replacements − salvage of PV and wind) over the on-site
    output delivered (generation − curtailment), both discounted at the real rate.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`cash_flow_table`.
    discount_rate_real : float
        Real discount rate [1/yr].

    Returns
    -------
    float or None
        LCOE [base-year VND/kWh]; None without on-site output.
    """
    return levelised_cost(_real(table, "generation_cost_vnd"), table["onsite_supply_kwh"],
                          discount_rate_real)


def lcos(table: pd.DataFrame, discount_rate_real: float) -> float | None:
    """Real levelised cost of storage from a cash-flow table [VND/kWh discharged].

    Storage costs (capex, O&M, cell replacements − salvage) over the energy discharged,
    discounted at the real rate; the cost of the charging energy is not included.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`cash_flow_table`.
    discount_rate_real : float
        Real discount rate [1/yr].

    Returns
    -------
    float or None
        LCOS [base-year VND/kWh]; None without discharge.
    """
    return levelised_cost(_real(table, "storage_cost_vnd"), table["battery_discharge_kwh"],
                          discount_rate_real)


@dataclass(frozen=True)
class AnnualCost:
    """Levelised yearly cost with the system against staying grid-only (real VND/yr).

    Each value is the present value (real rate) of its stream × crf(real rate, N); so
    ``saving = grid_only − system_total = NPV × crf``.

    Attributes
    ----------
    capital_vnd_per_yr : float
        Capex, replacements less salvage [VND/yr].
    om_vnd_per_yr : float
        Fixed O&M [VND/yr].
    grid_bill_vnd_per_yr : float
        Grid bill with the system [VND/yr].
    system_total_vnd_per_yr : float
        Sum of the three [VND/yr].
    grid_only_vnd_per_yr : float
        Grid bill without the system [VND/yr].
    saving_vnd_per_yr : float
        grid_only − system_total [VND/yr].
    """

    capital_vnd_per_yr: float
    om_vnd_per_yr: float
    grid_bill_vnd_per_yr: float
    system_total_vnd_per_yr: float
    grid_only_vnd_per_yr: float
    saving_vnd_per_yr: float


def total_annual_cost(table: pd.DataFrame, discount_rate_real: float) -> AnnualCost:
    """Levelised yearly cost of the system and of grid-only supply [real VND/yr].

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`cash_flow_table`.
    discount_rate_real : float
        Real discount rate [1/yr].

    Returns
    -------
    AnnualCost
    """
    n = len(table) - 1
    factor = crf(discount_rate_real, n)

    def level(values) -> float:
        return npv(discount_rate_real, values) * factor

    capital = level(_real(table, "capex_vnd") + _real(table, "replacement_vnd")
                    - _real(table, "salvage_vnd"))
    om = level(_real(table, "om_vnd"))
    bill = level(_real(table, "system_bill_vnd"))
    grid_only = level(_real(table, "grid_only_bill_vnd"))
    total = capital + om + bill
    return AnnualCost(capital_vnd_per_yr=capital, om_vnd_per_yr=om, grid_bill_vnd_per_yr=bill,
                      system_total_vnd_per_yr=total, grid_only_vnd_per_yr=grid_only,
                      saving_vnd_per_yr=grid_only - total)


@dataclass(frozen=True)
class EconomicsResult:
    """Headline economics of one park's system, from its cash-flow table.

    Attributes
    ----------
    npv_vnd : float
        Net present value against grid-only [VND] (nominal at nominal rate = real at real).
    irr_nominal, irr_real : float or None
        Internal rate of return [1/yr]; None when the flows never change sign.
    simple_payback_yr, discounted_payback_yr : float or None
        Years until the cumulative (nominal, resp. discounted) cash flow turns ≥ 0 [yr].
    lcoe_vnd_per_kwh : float or None
        Real LCOE of on-site supply [base-year VND/kWh].
    lcos_vnd_per_kwh : float or None
        Real LCOS of the battery [base-year VND/kWh discharged].
    capex_vnd : float
        Year-0 investment [VND].
    annual : AnnualCost
        Levelised yearly cost against grid-only [real VND/yr].
    discount_rate_real, discount_rate_nominal, inflation : float
        The rates used [1/yr].
    basis : str
        The conventions, in words.
    """

    npv_vnd: float
    irr_nominal: float | None
    irr_real: float | None
    simple_payback_yr: float | None
    discounted_payback_yr: float | None
    lcoe_vnd_per_kwh: float | None
    lcos_vnd_per_kwh: float | None
    capex_vnd: float
    annual: AnnualCost
    discount_rate_real: float
    discount_rate_nominal: float
    inflation: float
    basis: str


def evaluate(table: pd.DataFrame, *, discount_rate_real: float,
             inflation: float) -> EconomicsResult:
    """NPV, IRR, paybacks, LCOE, LCOS and levelised yearly cost of a cash-flow table.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`cash_flow_table` built with the same rates.
    discount_rate_real : float
        Real discount rate [1/yr].
    inflation : float
        General inflation [1/yr].

    Returns
    -------
    EconomicsResult
    """
    rate_nominal = nominal_rate(discount_rate_real, inflation)
    flows = table["net_cash_flow_vnd"].to_numpy()
    discounted = flows * discount_factors(rate_nominal, len(flows) - 1)
    irr_nom = irr(flows)
    return EconomicsResult(
        npv_vnd=npv(rate_nominal, flows), irr_nominal=irr_nom,
        irr_real=None if irr_nom is None else real_rate(irr_nom, inflation),
        simple_payback_yr=simple_payback(flows),
        discounted_payback_yr=simple_payback(discounted),
        lcoe_vnd_per_kwh=lcoe(table, discount_rate_real),
        lcos_vnd_per_kwh=lcos(table, discount_rate_real),
        capex_vnd=float(table["capex_vnd"].iloc[0]),
        annual=total_annual_cost(table, discount_rate_real),
        discount_rate_real=discount_rate_real, discount_rate_nominal=rate_nominal,
        inflation=inflation,
        basis=(f"base-year VND excl. VAT; real discount rate {discount_rate_real:.2%}, inflation "
               f"{inflation:.2%}, nominal rate {rate_nominal:.2%} (Fisher); NPV and IRR on "
               f"nominal flows; LCOE/LCOS real; payback on nominal undiscounted flows"))


# --------------------------------------------------------------------------- CO2

def load_emission_factors(path: str | Path | None = None) -> pd.DataFrame:
    """The grid emission-factor table (default ``energy_model/data/emission_factors.csv``).

    Parameters
    ----------
    path : str or Path, optional
        A CSV with columns ``year`` and ``name, unit, value, source, mark, description``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``year``; ``value`` [tCO2/MWh], ``mark``, ``source``.
    """
    return _load_emission_factors(str(path or package_data("emission_factors.csv"))).copy()


@lru_cache(maxsize=4)
def _load_emission_factors(path: str) -> pd.DataFrame:
    rows = _read_table(path, ("year",) + TABLE_COLUMNS)
    problems = []
    records = []
    for line, row in rows:
        try:
            year, value = int(row["year"]), float(row["value"])
        except ValueError:
            problems.append(Problem("year must be an integer and value a number",
                                    path, line, key=row.get("name")))
            continue
        if row["unit"] != "tCO2/MWh" or not 0 <= value <= 2 or row["mark"] not in MARKS:
            problems.append(Problem(f"expected unit tCO2/MWh, a value in [0, 2] and a mark in "
                                    f"{MARKS}; got {row['unit']!r}, {value}, {row['mark']!r}",
                                    path, line, key=row["name"]))
        records.append({"year": year, "value": value, "mark": row["mark"], "source": row["source"]})
    table = pd.DataFrame(records).set_index("year").sort_index() if records else pd.DataFrame()
    if not problems and (table.empty or not table.index.is_unique
                         or np.any(np.diff(table.index) != 1)):
        problems.append(Problem("years must be consecutive and unique", path))
    if problems:
        raise ScenarioError(f"emission-factor table {path} has {len(problems)} problem(s)",
                            problems, file=path)
    return table


def emission_factor(year: int, table: pd.DataFrame | None = None) -> tuple[float, str]:
    """Location-based average grid emission factor of a year, and its quality mark.

    Years after the table hold its last value (mark ``E``).

    Parameters
    ----------
    year : int
        Calendar year.
    table : pandas.DataFrame, optional
        From :func:`load_emission_factors`.

    Returns
    -------
    tuple of (float, str)
        Factor [tCO2/MWh] and mark.
    """
    table = load_emission_factors() if table is None else table
    first, last = int(table.index.min()), int(table.index.max())
    if year < first:
        raise EnergyModelError(f"no grid emission factor before {first}; got year {year}")
    if year > last:
        return float(table.loc[last, "value"]), "E"
    return float(table.loc[year, "value"]), str(table.loc[year, "mark"])


@dataclass(frozen=True)
class Co2Avoided:
    """Location-based CO2 avoided by cutting grid import.

    Attributes
    ----------
    per_year : pandas.DataFrame
        Index ``year``; ``emission_factor_t_per_mwh``, ``mark``, ``grid_import_before_kwh``,
        ``grid_import_after_kwh``, ``co2_before_t``, ``co2_after_t``, ``co2_avoided_t``.
    co2_avoided_t : float
        Total over the years [tCO2].
    basis : str
        How the factor was chosen.
    """

    per_year: pd.DataFrame
    co2_avoided_t: float
    basis: str


def co2_avoided(grid_import_before_kwh, grid_import_after_kwh, year: int, trajectory=None,
                table: pd.DataFrame | None = None) -> Co2Avoided:
    """CO2 avoided by importing less, with the average grid factor of each year.

    Parameters
    ----------
    grid_import_before_kwh, grid_import_after_kwh : float or array_like
        Grid import without and with the system [kWh]; an array gives consecutive years
        starting at ``year`` (e.g. a cash-flow table's columns over the asset life).
    year : int
        Calendar year of the first value.
    trajectory : None, float or mapping of int to float
        None: the table's factor of each year (held after its last year). A float: the
        factor of ``year`` declining by that relative share every year [1/yr]. A mapping:
        the factor of each year [tCO2/MWh].
    table : pandas.DataFrame, optional
        From :func:`load_emission_factors`.

    Returns
    -------
    Co2Avoided
    """
    before = np.atleast_1d(np.asarray(grid_import_before_kwh, dtype=float))
    after = np.atleast_1d(np.asarray(grid_import_after_kwh, dtype=float))
    if before.shape != after.shape or before.ndim != 1:
        raise EnergyModelError("grid_import_before_kwh and grid_import_after_kwh must be "
                               f"scalars or 1-D arrays of one length, got {before.shape}, "
                               f"{after.shape}")
    years = np.arange(year, year + len(before))
    if trajectory is None:
        pairs = [emission_factor(int(y), table) for y in years]
        basis = CO2_BASIS
    elif isinstance(trajectory, Mapping):
        missing = [int(y) for y in years if int(y) not in trajectory]
        if missing:
            raise EnergyModelError(f"emission-factor trajectory lacks years {missing}")
        pairs = [(float(trajectory[int(y)]), "E") for y in years]
        basis = "location-based: user trajectory of average grid emission factors"
    else:
        start, _ = emission_factor(int(year), table)
        pairs = [(start * (1.0 - float(trajectory)) ** k, "E") for k in range(len(years))]
        basis = (f"location-based: the average factor of {year} declining "
                 f"{float(trajectory):.1%}/yr over the asset life (E)")
    factor = np.array([p[0] for p in pairs])
    per_year = pd.DataFrame({
        "emission_factor_t_per_mwh": factor, "mark": [p[1] for p in pairs],
        "grid_import_before_kwh": before, "grid_import_after_kwh": after,
        "co2_before_t": before / 1000.0 * factor, "co2_after_t": after / 1000.0 * factor,
    }, index=pd.Index(years, name="year"))
    per_year["co2_avoided_t"] = per_year["co2_before_t"] - per_year["co2_after_t"]
    return Co2Avoided(per_year=per_year, co2_avoided_t=float(per_year["co2_avoided_t"].sum()),
                      basis=basis)
