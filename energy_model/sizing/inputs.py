"""Inputs of the sizing LP: small frozen dataclasses on plain arrays, and their checks.

Money is in VND (Vietnamese đồng) without VAT; power in kW (AC), energy in kWh; time is
hourly with interval-start labels, so an hourly power [kW] is also the energy of that hour
[kWh]. Capital costs are installed-system costs (equipment, balance of system,
installation), never module or battery-pack prices: an installed battery system costs
roughly 1.5–2.5× the pack price (quang_ninh.md §6, E).

:func:`prepare` turns the user-facing dataclasses into a :class:`SizingProblem` of checked
numpy arrays, collecting every problem before raising one :class:`ScenarioError`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from energy_model.finance import crf, life_mean_factor
from energy_model.errors import Problem, ScenarioError
from energy_model.rules import allowed_in_heritage_buffer
from energy_model.sizing.checks import _billing, _check_grid, _check_range, _hourly  # noqa: F401

#: Technology kinds; the first three are PV.
KINDS: tuple[str, ...] = ("rooftop", "ground", "floating", "wind")
PV_KINDS: tuple[str, ...] = ("rooftop", "ground", "floating")
#: Hours of a non-leap year; operating costs of a shorter horizon are scaled to it.
HOURS_PER_YEAR = 8760.0
#: Largest credible AC output per kW of capacity [kW/kW] (PV per kWp on a cold clear
#: day under cloud enhancement slightly exceeds 1; wind per kW of rating never does).
MAX_PROFILE_PER_KW = 1.2
#: Shortest horizon on which ``Options(method="auto")`` takes the fast path [h]; below it
#: the monolithic LP solves in well under a second.
FAST_MIN_HOURS = 2000


# --------------------------------------------------------------------------- finance

@dataclass(frozen=True)
class Finance:
    """Finance assumptions of the annualised costs.

    Attributes
    ----------
    discount_rate : float
        Real discount rate per year [-]. Capital costs are annualised with
        :func:`crf` over each asset's own life; all prices are in real terms of the
        target year.
    """

    discount_rate: float = 0.08

    def crf(self, life_years: float) -> float:
        """Capital recovery factor over ``life_years`` [1/yr]."""
        return crf(self.discount_rate, life_years)


# --------------------------------------------------------------------------- assets

@dataclass(frozen=True, eq=False)
class Technology:
    """A PV array or wind farm whose capacity the LP may size.

    Attributes
    ----------
    name : str
        Unique name; the dispatch column is ``<name>_kw``.
    kind : str
        ``rooftop``, ``ground``, ``floating`` (PV) or ``wind``.
    profile_per_kw : array_like
        Hourly AC output per kW of capacity [kW/kW], interval-start labelled, year 1.
    capex_per_kw : float
        Installed-system capital cost [VND/kW].
    fixed_om_per_kw_yr : float
        Fixed operation and maintenance [VND/kW/yr].
    life_years : float
        Economic life [yr] over which ``capex_per_kw`` is annualised.
    max_kw : float
        Largest capacity (roof, land, water or site limit) [kW].
    fixed_kw : float, optional
        A given capacity [kW]; the LP then only dispatches it.
    exportable : bool, optional
        Whether its surplus may be sold. Default: rooftop PV only (Decree 135/2024);
        set ``True`` for another kind only where a scenario grants it (e.g. a DPPA).
    degradation_per_yr : float
        Output loss per year [-]; the LP sizes on the life-mean output
        (:func:`life_mean_factor`).
    """

    name: str
    kind: Literal["rooftop", "ground", "floating", "wind"]
    profile_per_kw: object
    capex_per_kw: float
    fixed_om_per_kw_yr: float = 0.0
    life_years: float = 25.0
    max_kw: float = math.inf
    fixed_kw: float | None = None
    exportable: bool | None = None
    degradation_per_yr: float = 0.0

    @property
    def may_export(self) -> bool:
        """Whether this technology's surplus may be exported."""
        return (self.kind == "rooftop") if self.exportable is None else bool(self.exportable)


@dataclass(frozen=True, eq=False)
class Battery:
    """A battery energy storage system (one per park).

    Attributes
    ----------
    capex_per_kwh : float
        Installed-system cost of energy capacity [VND/kWh] (not a pack price).
    capex_per_kw : float
        Installed-system cost of power capacity (inverter, transformer) [VND/kW].
    fixed_om_per_kwh_yr, fixed_om_per_kw_yr : float
        Fixed O&M [VND/kWh/yr] and [VND/kW/yr].
    life_years : float
        Calendar life [yr]. Replacement: the capex is annualised over this life, i.e. the
        equivalent annual cost of replacing the system like-for-like at the same real
        cost at the end of every life; cycling wear is priced by
        ``throughput_cost_per_kwh``.
    eta_charge, eta_discharge : float
        One-way efficiencies [-] (AC to stored, stored to AC).
    soc_min : float
        Lowest state of charge as a share of energy capacity [-].
    max_kwh, max_kw : float
        Largest energy [kWh] and power [kW] capacities.
    duration_h : float, optional
        Fixed energy-to-power ratio [h]; energy capacity is then ``duration_h × kW``.
    fixed_kwh, fixed_kw : float, optional
        Given capacities [kWh], [kW] (e.g. an ESCO offer of 2 MW / 6 MWh).
    throughput_cost_per_kwh : float
        Degradation cost per kWh discharged [VND/kWh].
    """

    capex_per_kwh: float
    capex_per_kw: float = 0.0
    fixed_om_per_kwh_yr: float = 0.0
    fixed_om_per_kw_yr: float = 0.0
    life_years: float = 15.0
    eta_charge: float = 0.95
    eta_discharge: float = 0.95
    soc_min: float = 0.0
    max_kwh: float = math.inf
    max_kw: float = math.inf
    duration_h: float | None = None
    fixed_kwh: float | None = None
    fixed_kw: float | None = None
    throughput_cost_per_kwh: float = 0.0


@dataclass(frozen=True, eq=False)
class Grid:
    """The park's grid connection: prices, caps and export rules.

    Attributes
    ----------
    import_price : array_like
        Hourly energy price [VND/kWh] without VAT (e.g. :func:`energy_model.tariff.hourly_prices`).
    export_price : float or array_like
        Price of exported surplus [VND/kWh]; must be below every hour's import price.
    import_cap_kw : float or array_like, optional
        Largest import [kW], constant or hourly (``inf`` where unlimited), e.g. firm (N-1)
        substation capacity × power factor, or a rotating-cut schedule.
    export_cap_share : float
        Export cap as a share of the exportable (rooftop) capacity or generation [-];
        0 disables export.
    export_cap_basis : str
        ``"power"``: export [kW] ≤ share × exportable capacity [kW] every hour;
        ``"energy"``: export over the horizon [kWh] ≤ share × exportable generation [kWh].
    capacity_charge_per_kw_month : float
        Two-component tariff charge on each billing month's peak import [VND/kW/month].
    month_of_hour : array_like of int, optional
        Billing-month label of each hour; required with a capacity charge.
    allow_unmet : bool
        Add an unmet-load slack (for diagnosis of an otherwise infeasible case).
    unmet_multiple : float
        Price of unmet load as a multiple of the highest import price [-].
    peak_reduction_target : float, optional
        Required cut of the peak import against the grid-only peak (= peak load) [-].
    co2_price_per_t : float
        Carbon price on imported energy [VND/tCO2].
    emission_factor_t_per_mwh : float
        Grid emission factor (location-based average) [tCO2/MWh].
    battery_export : str
        ``"none"`` (default): the battery never exports; export is rooftop surplus only.
        ``"pv_charged"`` (Decree 243/2026): the surplus may include energy discharged from
        storage charged by the rooftop PV. The LP splits the charge into a PV part and a
        grid part and keeps a PV-energy account in the battery; battery export never
        exceeds that account, so grid-charged energy is never sold
        (:mod:`energy_model.sizing.lp`). The export caps apply to the total export.
    export_limit_kw : float or array_like
        Hourly hosting limit on reverse flow [kW], constant or hourly (``inf``, the
        default, where none): total export ≤ this limit in every hour, e.g. the park's
        connection capacity where the decree's energy cap leaves the hourly power free.
    """

    import_price: object
    export_price: object = 0.0
    import_cap_kw: object = None
    export_cap_share: float = 0.0
    export_cap_basis: Literal["power", "energy"] = "power"
    capacity_charge_per_kw_month: float = 0.0
    month_of_hour: object = None
    allow_unmet: bool = False
    unmet_multiple: float = 100.0
    peak_reduction_target: float | None = None
    co2_price_per_t: float = 0.0
    emission_factor_t_per_mwh: float = 0.0
    battery_export: Literal["none", "pv_charged"] = "none"
    export_limit_kw: object = math.inf

    @classmethod
    def from_tariff(cls, index: pd.DatetimeIndex, tariff: str, voltage: str,
                    customer: str = "manufacturing", export_rule: str | None = None,
                    clip_export_price: bool = False, **kwargs) -> Grid:
        """Build a grid connection from a named EVN tariff and export rule.

        Parameters
        ----------
        index : pandas.DatetimeIndex
            Hourly, tz-aware, interval-start labels.
        tariff, voltage, customer : str
            See :func:`energy_model.tariff.hourly_prices`.
        export_rule : str, optional
            A rule of the tariff file (``decree_135_2024``, ``amendment_2026``); none
            means no export.
        clip_export_price : bool
            Set the surplus price to 0 in hours whose import price is not above it (the
            surplus price of 1,426.6 VND/kWh exceeds off-peak prices, and every normal
            price of the two-component pilot). There the LP could not tell a surplus sale
            from buying to sell, so :func:`prepare` refuses such hours unless clipped.
        **kwargs
            Other :class:`Grid` fields (caps, CO2 price, slack).
        """
        from energy_model import tariff as tf

        imp = tf.hourly_prices(index, tariff, voltage, customer).to_numpy()
        fields = dict(import_price=imp,
                      capacity_charge_per_kw_month=tf.capacity_charge(tariff, voltage),
                      month_of_hour=np.asarray(index.tz_convert(tf.LOCAL_TZ).month))
        if export_rule is not None:
            rule = tf.get_export_rule(export_rule)
            price = np.full(len(index), rule.price_vnd_per_kwh)
            if clip_export_price:
                price[price >= imp] = 0.0
            fields.update(export_price=price, export_cap_share=rule.cap_share,
                          export_cap_basis=rule.cap_basis)
        fields.update(kwargs)
        return cls(**fields)


@dataclass(frozen=True)
class Policy:
    """Siting and policy constraints.

    Attributes
    ----------
    heritage_buffer : bool
        The park lies in the Hạ Long Bay heritage buffer zone: only the kinds that
        :func:`energy_model.rules.allowed_in_heritage_buffer` allows may be built
        (rooftop PV and batteries).
    min_renewable_share : float
        Least share of the load not bought from the grid [-]:
        ``sum(import + unmet) ≤ (1 - share) × sum(load)``.
    """

    heritage_buffer: bool = False
    min_renewable_share: float = 0.0


@dataclass(frozen=True)
class Options:
    """How the LP is solved and checked.

    Attributes
    ----------
    solver : str
        HiGHS algorithm: ``"simplex"`` (dual simplex), ``"ipm"`` (interior point with
        crossover) or ``"choose"`` (HiGHS decides).
    time_limit_s : float, optional
        Wall-clock limit of the solve [s].
    check_invariants : bool
        Check the solution (balance, SOC, caps, no simultaneous import and export) and
        raise :class:`InvariantError` on a violation.
    invariant_rel_tol : float
        Tolerance of those checks relative to the peak load [-].
    index : pandas.Index, optional
        Index of the dispatch table; default the load's index if it is a Series, else a
        RangeIndex of hours.
    year_weight : float, optional
        Factor from the horizon's operating costs to a year's [-]. Default 1 for a
        full-year horizon (8760 or 8784 h), else 8760 / hours.
    method : str
        ``"fast"``: the exact decomposition of :mod:`energy_model.sizing.decomposition`
        (a level-bundle search over the capacities around a warm-started dispatch LP),
        stopping on a proven gap; where it cannot prove one it falls back to the
        monolithic LP and the result says why. ``"monolithic"``: one LP. ``"auto"``
        (default): ``"fast"`` on horizons of at least :data:`FAST_MIN_HOURS` hours with
        a capacity to size, else ``"monolithic"``.
    gap_tol : float
        Relative optimality gap at which the fast path stops [-].
    max_outer : int
        Largest number of dispatch solves of the fast path before it falls back.
    """

    solver: Literal["simplex", "ipm", "choose"] = "simplex"
    time_limit_s: float | None = None
    check_invariants: bool = True
    invariant_rel_tol: float = 1e-6
    index: object = None
    year_weight: float | None = None
    method: Literal["auto", "monolithic", "fast"] = "auto"
    gap_tol: float = 1e-6
    max_outer: int = 200


# --------------------------------------------------------------------------- prepared

@dataclass(frozen=True, eq=False)
class SizingProblem:
    """Checked, array-valued inputs of one park-year LP (built by :func:`prepare`).

    Attributes
    ----------
    load_kw : numpy.ndarray
        Hourly load [kW], shape (T,).
    techs : tuple of Technology
    profiles : numpy.ndarray
        Life-mean AC output per kW of each technology [kW/kW], shape (n_tech, T).
    tech_lb, tech_ub : numpy.ndarray
        Capacity bounds [kW] after fixed values and the heritage rule.
    battery : Battery or None
    grid : Grid
    import_price, export_price, co2_cost : numpy.ndarray
        Hourly [VND/kWh]; ``co2_cost`` is the carbon price per kWh imported.
    import_cap_kw : numpy.ndarray
        Hourly import bound [kW] (``inf`` where none), including a peak-reduction target.
    unmet_price : float
        Price of unmet load [VND/kWh].
    month : numpy.ndarray of int or None
        Billing-period code 0..M-1 of each hour (only with a capacity charge).
    billed_months : numpy.ndarray or None
        Months billed per year for each billing period [-].
    export : bool
        Whether export variables exist.
    finance, policy : Finance, Policy
    year_weight : float
        Horizon-to-year factor of operating costs [-].
    index : pandas.Index
        Dispatch index.
    export_limit_kw : numpy.ndarray
        Hourly bound on total export [kW] (``inf`` where none).
    battery_export : bool
        Whether battery-export variables exist (``grid.battery_export == "pv_charged"``
        with export allowed and a battery).
    surplus_hours : numpy.ndarray of bool or None
        With battery export: the hours in which on-site output covers the load at the
        capacities being evaluated (known in advance when every capacity is fixed, else
        set by :func:`energy_model.sizing.optimize` from a first solve). The PV may charge
        the battery or export directly only in these hours, and only from the surplus
        over the load (PV serves the load first). None: the first solve's relaxed
        accounting (see :mod:`energy_model.sizing.lp`).
    """

    load_kw: np.ndarray
    techs: tuple
    profiles: np.ndarray
    tech_lb: np.ndarray
    tech_ub: np.ndarray
    battery: Battery | None
    grid: Grid
    import_price: np.ndarray
    export_price: np.ndarray
    co2_cost: np.ndarray
    import_cap_kw: np.ndarray
    unmet_price: float
    month: np.ndarray | None
    billed_months: np.ndarray | None
    export: bool
    finance: Finance
    policy: Policy
    year_weight: float
    index: object = field(default=None)
    export_limit_kw: np.ndarray | None = None
    battery_export: bool = False
    surplus_hours: np.ndarray | None = None

    @property
    def hours(self) -> int:
        return len(self.load_kw)

    @property
    def exportable(self) -> np.ndarray:
        """Boolean mask of technologies whose output may be exported."""
        return np.array([t.may_export for t in self.techs], dtype=bool)


def year_weight_for(hours: int) -> float:
    """Horizon-to-year factor: 1 for a full (leap) year, else 8760 / hours [-]."""
    return 1.0 if hours in (8760, 8784) else HOURS_PER_YEAR / hours


def _check_technologies(techs, n, policy, problems) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    profiles = np.zeros((len(techs), n))
    lb, ub = np.zeros(len(techs)), np.zeros(len(techs))
    names = set()
    for i, t in enumerate(techs):
        key = f"technologies[{i}]"
        if not isinstance(t, Technology):
            problems.append(Problem(f"expected a Technology, got {type(t).__name__}", key=key))
            continue
        if t.name in names or t.name == "battery" or not t.name:
            problems.append(Problem(f"name {t.name!r} must be unique, non-empty and not "
                                    "'battery'", key=f"{key}.name"))
        names.add(t.name)
        if t.kind not in KINDS:
            problems.append(Problem(f"kind must be one of {list(KINDS)}, got {t.kind!r}",
                                    key=f"{key}.kind"))
            continue
        prof = _hourly(t.profile_per_kw, n, f"{key}.profile_per_kw", problems, lo=0.0)
        if prof is not None and prof.max() > MAX_PROFILE_PER_KW:
            problems.append(Problem(
                f"output per kW reaches {prof.max():.3g} kW/kW at hour {int(prof.argmax())}; "
                f"expected ≤ {MAX_PROFILE_PER_KW} (a profile per kW of capacity, not in kW)",
                key=f"{key}.profile_per_kw"))
        _check_range(problems, f"{key}.capex_per_kw", t.capex_per_kw, lo=0)
        _check_range(problems, f"{key}.fixed_om_per_kw_yr", t.fixed_om_per_kw_yr, lo=0)
        _check_range(problems, f"{key}.life_years", t.life_years, lo=0, lo_open=True)
        _check_range(problems, f"{key}.max_kw", t.max_kw, lo=0)
        _check_range(problems, f"{key}.degradation_per_yr", t.degradation_per_yr, lo=0,
                     hi=1, hi_open=True)
        lo, hi = 0.0, float(t.max_kw)
        if t.fixed_kw is not None:
            _check_range(problems, f"{key}.fixed_kw", t.fixed_kw, lo=0, hi=t.max_kw)
            lo = hi = float(t.fixed_kw)
        if policy.heritage_buffer and not allowed_in_heritage_buffer(t.kind):
            if t.fixed_kw:
                problems.append(Problem(
                    f"a {t.kind} technology may not be built in the heritage buffer zone, "
                    f"but fixed_kw is {t.fixed_kw:g}", key=f"{key}.fixed_kw"))
            lo = hi = 0.0
        if t.may_export and math.isinf(hi):
            problems.append(Problem(
                "an exportable technology needs a finite max_kw (its roof limit): export "
                "revenue could otherwise grow without bound", key=f"{key}.max_kw"))
        if prof is not None and not any(p.key and p.key.startswith(key) for p in problems):
            profiles[i] = prof * life_mean_factor(t.degradation_per_yr, t.life_years)
        lb[i], ub[i] = lo, hi
    return profiles, lb, ub


def _check_battery(b: Battery, policy: Policy, problems: list[Problem]) -> None:
    key = "battery"
    for name in ("capex_per_kwh", "capex_per_kw", "fixed_om_per_kwh_yr", "fixed_om_per_kw_yr",
                 "throughput_cost_per_kwh", "max_kwh", "max_kw"):
        _check_range(problems, f"{key}.{name}", getattr(b, name), lo=0)
    _check_range(problems, f"{key}.life_years", b.life_years, lo=0, lo_open=True)
    _check_range(problems, f"{key}.eta_charge", b.eta_charge, lo=0, hi=1, lo_open=True)
    _check_range(problems, f"{key}.eta_discharge", b.eta_discharge, lo=0, hi=1, lo_open=True)
    _check_range(problems, f"{key}.soc_min", b.soc_min, lo=0, hi=1, hi_open=True)
    if b.duration_h is not None:
        _check_range(problems, f"{key}.duration_h", b.duration_h, lo=0, lo_open=True)
        if b.fixed_kwh is not None:
            problems.append(Problem("give fixed_kw with duration_h, not fixed_kwh",
                                    key=f"{key}.fixed_kwh"))
    if b.fixed_kwh is not None:
        _check_range(problems, f"{key}.fixed_kwh", b.fixed_kwh, lo=0, hi=b.max_kwh)
    if b.fixed_kw is not None:
        _check_range(problems, f"{key}.fixed_kw", b.fixed_kw, lo=0, hi=b.max_kw)
    if policy.heritage_buffer and not allowed_in_heritage_buffer("battery"):
        problems.append(Problem("batteries are not allowed in the heritage buffer zone",
                                key=key))


def prepare(load_kw, technologies, grid: Grid, battery: Battery | None = None,
            finance: Finance | None = None, policy: Policy | None = None,
            options: Options | None = None) -> SizingProblem:
    """Check the inputs of :func:`energy_model.sizing.optimize` and convert them to arrays.

    Raises
    ------
    ScenarioError
        Listing every problem found, each with the key of the offending field
        (e.g. ``technologies[1].max_kw``), or an export price not below the import price.
    """
    finance, policy, options = finance or Finance(), policy or Policy(), options or Options()
    problems: list[Problem] = []
    index = options.index
    if index is None:
        index = load_kw.index if isinstance(load_kw, pd.Series) else None
    load = _hourly(load_kw, int(np.size(load_kw)), "load_kw", problems, lo=0.0)
    if load is None:
        raise ScenarioError("invalid sizing inputs", problems)
    n = len(load)
    if n == 0 or load.max() <= 0:
        raise ScenarioError("invalid sizing inputs",
                            [Problem("the load must have at least one positive hour",
                                     key="load_kw")])
    index = pd.RangeIndex(n, name="hour") if index is None else index
    if len(index) != n:
        problems.append(Problem(f"index has {len(index)} labels for {n} hours", key="index"))
    techs = tuple(technologies)
    profiles, lb, ub = _check_technologies(techs, n, policy, problems)
    if battery is not None:
        _check_battery(battery, policy, problems)
    _check_range(problems, "finance.discount_rate", finance.discount_rate, lo=-1, lo_open=True)
    _check_range(problems, "policy.min_renewable_share", policy.min_renewable_share, lo=0, hi=1)
    if options.method not in ("auto", "monolithic", "fast"):
        problems.append(Problem(f"must be 'auto', 'monolithic' or 'fast', got "
                                f"{options.method!r}", key="options.method"))
    _check_range(problems, "options.gap_tol", options.gap_tol, lo=0, hi=1, lo_open=True)
    _check_range(problems, "options.max_outer", options.max_outer, lo=1)

    g = grid
    imp, exp, cap, xlim, month, billed = _check_grid(g, n, problems)
    if problems:
        raise ScenarioError("invalid sizing inputs", problems)

    exportable = np.array([t.may_export for t in techs], dtype=bool) & (ub > 0)
    export = bool(g.export_cap_share > 0 and exportable.any() and exp.max() > 0
                  and xlim.max() > 0)
    battery_export = bool(export and battery is not None and g.battery_export == "pv_charged")
    if export:
        # hours in which some exportable output exists, i.e. export is possible (every
        # hour when PV-charged battery energy may be sold)
        can_export = (profiles[exportable] > 0).any(axis=0) | battery_export
        can_export &= xlim > 0
        bad = np.flatnonzero(can_export & (exp >= imp))
        if len(bad):
            what = "in which export is possible" if battery_export else "with rooftop output"
            raise ScenarioError("export price not below the import price", [Problem(
                f"in {len(bad)} hour(s) {what} the export price is ≥ the import "
                f"price, first at hour {bad[0]} ({exp[bad[0]]:g} ≥ {imp[bad[0]]:g} VND/kWh): "
                "the LP would buy and sell in the same hour. Lower the export price in those "
                "hours (Grid.from_tariff(..., clip_export_price=True) sets it to 0 there) or "
                "correct the tariff.", key="grid.export_price")])
    if g.peak_reduction_target is not None:
        cap = np.minimum(cap, (1.0 - g.peak_reduction_target) * load.max())
    co2 = np.full(n, g.co2_price_per_t * g.emission_factor_t_per_mwh / 1000.0)
    unmet_price = g.unmet_multiple * float((imp + co2).max())
    w = options.year_weight if options.year_weight is not None else year_weight_for(n)
    return SizingProblem(
        load_kw=load, techs=techs, profiles=profiles, tech_lb=lb, tech_ub=ub, battery=battery,
        grid=g, import_price=imp, export_price=exp, co2_cost=co2, import_cap_kw=cap,
        unmet_price=unmet_price, month=month, billed_months=billed, export=export,
        finance=finance, policy=policy, year_weight=float(w), index=index,
        export_limit_kw=xlim, battery_export=battery_export,
        surplus_hours=(surplus_hours(profiles, lb, load) if battery_export and
                       np.array_equal(lb, ub) else None))


def surplus_hours(profiles: np.ndarray, capacities: np.ndarray, load: np.ndarray,
                  ) -> np.ndarray:
    """Hours in which the on-site output at ``capacities`` [kW] covers the load [-]."""
    return capacities @ profiles >= load
