"""Typed results of the per-park pipeline API.

:class:`ParkInputs` is what :func:`~energy_model.pipeline.assemble` resolves from a
scenario; :class:`ParkResult` what :func:`~energy_model.pipeline.evaluate` makes of a
sized park; :class:`ScenarioResult` what :func:`~energy_model.pipeline.run_scenario`
returns. :class:`Changes` is what a study may change before a re-solve
(:func:`~energy_model.pipeline.solve`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from energy_model.economics import Co2Avoided, EconomicsResult
from energy_model.metrics import (EveningFirmContribution, ParkMetrics, PeakRelief,
                                  ProvinceAggregate, ResilienceResult, ReverseFlow,
                                  ShortageCutResult)
from energy_model.pipeline.offsite import matched_kw, offsite_by_kind
from energy_model.scenario import Park, Scenario
from energy_model.sizing import Battery, Finance, Grid, Policy, SizingResult, Technology

#: columns of ``parks/<id>.csv`` in this order (others ending in ``_kw`` follow)
HOURLY_COLUMNS = ["load_kw", "pv_kw", "wind_kw", "curtailment_kw", "battery_charge_kw",
                  "battery_discharge_kw", "battery_soc_kwh", "grid_import_kw",
                  "grid_export_kw", "unmet_kw"]


@dataclass
class ParkInputs:
    """Everything the sizing LP of one park needs, already resolved from the scenario.

    Attributes
    ----------
    park : Park
        The scenario's park.
    load_kw : pandas.Series
        Hourly load of the simulated year [kW].
    technologies : list of Technology
        One per PV array and on-site wind farm (name ``pv_<array>`` / ``wind_<farm>``).
    grid : Grid
        Import prices [VND/kWh], export price and rules, import cap, CO2 price.
    battery : Battery or None
        Battery costs and limits (None: no battery allowed).
    finance : Finance
        Discount rate [1/yr].
    policy : Policy
        Heritage buffer and minimum renewable share [-].
    import_cap_kw : numpy.ndarray
        Hourly import cap [kW] (inf where none).
    evening_share : pandas.Series
        Share of each hour in the system evening peak window [-].
    pv_per_kwp : pandas.DataFrame
        AC kW per kWp of each array (life-mean) [kW/kWp].
    wind_per_kw : pandas.DataFrame
        AC kW per kW of each on-site farm [kW/kW].
    offsite_kw : pandas.DataFrame or None
        Off-site (DPPA) supply [kW], one column per off-site wind or solar farm, reported,
        never counted on site; each farm simulated with its own station's weather
        (:mod:`~energy_model.pipeline.offsite`). Summed by kind in
        :attr:`offsite_wind_kw` and :attr:`offsite_pv_kw`.
    station : str
        Weather station or file used.
    cost_names : dict of str to str
        Cost-table technology (``pv_rooftop``, ``wind_small``, ...) of each technology
        name; the LP and the cash flow cost a technology by the same row.
    notes : list of str
        What was assumed while resolving (reported in the run log).
    tariff : str
        The tariff the meter is billed on (the scenario's, or :data:`IN_FORCE_TARIFF` where
        the two-component pilot is not open to it: :func:`~energy_model.rules_in_force.billing_tariff`).
    customer, voltage : str
        EVN customer class and metering voltage of the meter.
    meter : str or None
        Class meter of a KKT sized per class meter (``port``, ``hotels``, ...); None for
        the park's own meter.
    offsite_farms : list of dict
        Per off-site farm: ``farm``, ``kind`` (wind, pv), ``station`` (normals station of
        its weather), ``station_name``, ``distance_km`` (farm to station), ``capacity_kw``,
        ``energy_mwh``, ``nov_feb_share``, ``nearshore``.
    """

    park: Park
    load_kw: pd.Series
    technologies: list[Technology]
    grid: Grid
    battery: Battery | None
    finance: Finance
    policy: Policy
    import_cap_kw: np.ndarray
    evening_share: pd.Series
    pv_per_kwp: pd.DataFrame
    wind_per_kw: pd.DataFrame
    offsite_kw: pd.DataFrame | None
    station: str
    cost_names: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    tariff: str = ""
    customer: str = ""
    voltage: str = ""
    meter: str | None = None
    offsite_farms: list[dict] = field(default_factory=list)

    @property
    def offsite_wind_kw(self) -> pd.Series | None:
        """Summed output of the off-site wind farms [kW] (None without one)."""
        return offsite_by_kind(self.offsite_kw, self.park, "wind")

    @property
    def offsite_pv_kw(self) -> pd.Series | None:
        """Summed output of the off-site solar farms [kW] (None without one)."""
        return offsite_by_kind(self.offsite_kw, self.park, "pv")

    def window(self, hours: int, start: int = 0) -> ParkInputs:
        """The inputs restricted to ``hours`` consecutive hours from hour ``start``.

        Every hourly series (load, technology profiles, prices, caps, evening shares,
        per-kW profiles, off-site output) is cut the same way; the sizing LP annualises a
        short horizon by its length (:func:`energy_model.sizing.inputs.year_weight_for`).
        For quick studies, tests and benchmarks on a few weeks instead of a year.

        Parameters
        ----------
        hours : int
            Length of the window [h], at least 1.
        start : int
            First hour of the window (0 = the first hour of the year).

        Returns
        -------
        ParkInputs
            A copy; ``self`` is not modified.
        """
        n = len(self.load_kw)
        if not (hours >= 1 and 0 <= start and start + hours <= n):
            raise ValueError(f"window of {hours} h from hour {start} does not fit in {n} h")
        k = slice(start, start + hours)

        def cut(value):
            """An hourly array cut to the window; a scalar or None kept as it is."""
            if value is None or np.ndim(value) == 0:
                return value
            return np.broadcast_to(np.asarray(value), n)[k].copy()

        g = self.grid
        grid = dataclasses.replace(
            g, import_price=cut(g.import_price), export_price=cut(g.export_price),
            import_cap_kw=cut(g.import_cap_kw), export_limit_kw=cut(g.export_limit_kw),
            month_of_hour=cut(g.month_of_hour))
        techs = [dataclasses.replace(t, profile_per_kw=np.asarray(t.profile_per_kw)[k])
                 for t in self.technologies]
        return dataclasses.replace(
            self, load_kw=self.load_kw.iloc[k], technologies=techs, grid=grid,
            import_cap_kw=np.asarray(self.import_cap_kw)[k],
            evening_share=self.evening_share.iloc[k], pv_per_kwp=self.pv_per_kwp.iloc[k],
            wind_per_kw=self.wind_per_kw.iloc[k],
            offsite_kw=None if self.offsite_kw is None else self.offsite_kw.iloc[k])


@dataclass
class ParkResult:
    """Results of one park.

    Attributes
    ----------
    inputs : ParkInputs
    sizing : SizingResult
        Capacities [kW, kWh], hourly dispatch [kW] and annual cost [VND/yr].
    metrics : ParkMetrics
        Grid metrics of the dispatch.
    economics : EconomicsResult
        NPV [VND], IRR [-], payback [yr], LCOE [VND/kWh] of the cash flow.
    cash_flow : pandas.DataFrame
        Yearly cash-flow table [nominal VND].
    co2 : Co2Avoided
        Avoided emissions over the life [t].
    resilience : ResilienceResult or None
        Blackout resilience: critical load served through a multi-day grid-down outage
        (:data:`~energy_model.pipeline.evaluate.BLACKOUT_HOURS`) starting at every hour
        (None where it cannot be computed).
    row : dict
        The park's row of ``summary.csv`` (units in the column names).
    meters : dict of str to ParkResult
        A KKT sized per class meter: each meter's result (``parks/<id>/<class>.csv``);
        this result is their sum. Empty for a park with one meter.
    contracts : dict of str to pandas.DataFrame or None
        Its lease/PPA/DPPA tables (``contracts``, ``cash_flows``, ``monthly``:
        :func:`~energy_model.pipeline.contracts.park_contracts`); None without contracts.
    """

    inputs: ParkInputs
    sizing: SizingResult
    metrics: ParkMetrics
    economics: EconomicsResult
    cash_flow: pd.DataFrame
    co2: Co2Avoided
    resilience: ResilienceResult | None
    row: dict
    meters: dict[str, ParkResult] = field(default_factory=dict)
    contracts: dict[str, pd.DataFrame] | None = None

    def _price(self) -> np.ndarray:
        """Import price [VND/kWh]; for class meters, their load-weighted mean each hour."""
        if not self.meters:
            return np.broadcast_to(np.asarray(self.inputs.grid.import_price, dtype=float),
                                   len(self.sizing.dispatch)).copy()
        num = sum(np.asarray(m.inputs.grid.import_price, float) * m.inputs.load_kw.to_numpy()
                  for m in self.meters.values())
        den = sum(m.inputs.load_kw.to_numpy() for m in self.meters.values())
        first = np.asarray(next(iter(self.meters.values())).inputs.grid.import_price, float)
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), first)

    @property
    def hourly(self) -> pd.DataFrame:
        """Hourly flows [kW] (interval-start labels) for ``parks/<id>.csv``."""
        d = self.sizing.dispatch
        out = pd.DataFrame({c: d[c] for c in HOURLY_COLUMNS if c in d.columns}, index=d.index)
        for c in d.columns:
            if c.endswith("_kw") and c not in out.columns and not c.startswith("grid_only"):
                out[c] = d[c]
        out["import_cap_kw"] = np.where(np.isfinite(self.inputs.import_cap_kw),
                                        self.inputs.import_cap_kw, np.nan)
        out["price_vnd_per_kwh"] = self._price()
        off = self.inputs.offsite_kw
        if off is not None:
            for kind, series in (("wind", self.inputs.offsite_wind_kw),
                                 ("pv", self.inputs.offsite_pv_kw)):
                if series is not None:
                    out[f"offsite_{kind}_kw"] = series.to_numpy()
            # the hourly match a DPPA settles on: min(off-site output, grid import)
            out["offsite_matched_kw"] = matched_kw(off.sum(axis=1).to_numpy(),
                                                   out["grid_import_kw"])
        out.index.name = "time"
        return out


@dataclass
class GridPressure:
    """The grid-pressure results of a run (issue 15), all at the same hours before/after.

    Attributes
    ----------
    tariff, frame : str
        The tariff in force and its time-of-use frame (the evening window comes from it).
    kkt_metering : str
        Where a KKT's storage and PV sit (``scenario.kkt_metering``).
    headline : dict
        :func:`energy_model.metrics.grid_pressure_headline` + ``tariff``, ``frame``,
        ``kkt_metering``: one row of ``grid/headline.csv``.
    evening : EveningFirmContribution
        Mean and maximum provincial import over the top-N evening hours, before and after.
    relief : PeakRelief
        Provincial import at the grid-only peak hour, before and after, with both hours.
    substations : pandas.DataFrame
        :func:`energy_model.metrics.substation_groups` (index: substation group id).
    substation_names : dict of str to str
        Group id → substation name ("" for an unmapped park).
    reverse : ReverseFlow
        Export per park, per substation group and province-wide, and curtailment.
    cuts : dict of str to ShortageCutResult
        MW cuts with the grid up, by cut schedule name (the default schedule first).
    cut_schedule : str
        The default schedule (the 6/6/2023 cuts).
    province_hourly : pandas.DataFrame
        ``grid/province_hourly.csv``: provincial and per-group import before and after,
        export and the evening-window share of each hour [MW, -].
    """

    tariff: str
    frame: str
    kkt_metering: str
    headline: dict
    evening: EveningFirmContribution
    relief: PeakRelief
    substations: pd.DataFrame
    substation_names: dict[str, str]
    reverse: ReverseFlow
    cuts: dict[str, ShortageCutResult]
    cut_schedule: str
    province_hourly: pd.DataFrame


@dataclass
class ScenarioResult:
    """Results of a scenario run, in memory.

    Attributes
    ----------
    scenario : Scenario
    parks : dict of str to ParkResult
        In scenario order.
    province : ProvinceAggregate
        Coincident province flows and metrics.
    summary : pandas.DataFrame
        ``summary.csv``: one row per park and a PROVINCE row.
    weather : dict of str to list of pandas.DataFrame
        :func:`~energy_model.pipeline.scenario_weather` (one frame per weather year).
    timings : dict of str to float
        Stage timings [s].
    notes : list of str
        Assumptions made while resolving.
    wind_resource : pandas.DataFrame or None
        Coastal wind check against published figures.
    grid : GridPressure or None
        Evening firm contribution, relief at the peak hour, substation groups, reverse
        flow and shortage cuts of the run (``grid/*.csv``).
    """

    scenario: Scenario
    parks: dict[str, ParkResult]
    province: ProvinceAggregate
    summary: pd.DataFrame
    weather: dict[str, list[pd.DataFrame]]
    timings: dict[str, float]
    notes: list[str]
    wind_resource: pd.DataFrame | None = None
    grid: GridPressure | None = None

    def console_summary(self) -> str:
        """A short table for the terminal."""
        s = self.summary
        cols = ["park_id", "load_gwh", "peak_load_mw", "pv_mwp", "wind_mw", "battery_mwh",
                "self_sufficiency_pct", "peak_import_before_mw", "peak_import_after_mw",
                "npv_billion_vnd"]
        view = s[[c for c in cols if c in s.columns]].copy()
        lines = [view.to_string(index=False, float_format=lambda v: f"{v + 0.0:,.1f}")]
        lines.append("stage timings: "
                     + ", ".join(f"{k} {v:.1f} s" for k, v in self.timings.items()))
        return "\n".join(lines)


@dataclass(frozen=True)
class Changes:
    """What a study changes in a park's inputs before solving again.

    Every field left at its default changes nothing. Applied by
    :func:`~energy_model.pipeline.apply_changes` (and :func:`~energy_model.pipeline.solve`)
    with :func:`dataclasses.replace`; the inputs themselves are never modified.

    Attributes
    ----------
    fixed : dict of str to float
        Fixed capacities: ``<technology>_kw`` [kW], ``battery_kwh`` [kWh],
        ``battery_kw`` [kW] (a sizing result's ``capacities``). With
        ``fix_all=True`` every capacity is fixed (a technology or battery missing from
        ``fixed`` keeps its own fixed size): dispatch of a given design.
    fix_all : bool
        Fix the whole design (see ``fixed``).
    max_kw : dict of str to float
        Upper bounds by technology name [kW] (``battery_kwh``/``battery_kw`` for the
        battery [kWh, kW]).
    min_renewable_share : float or None
        Minimum on-site renewable share of the load [-].
    export_price_vnd_per_kwh : float or None
        Flat price of exported surplus [VND/kWh].
    import_price_scale : float
        Factor on every hour's import price [-].
    capex_scale : dict of str to float
        Factor on the capex of a technology (by technology name, or ``battery`` for
        both battery components) [-].
    import_price_adder : numpy.ndarray or None
        Hourly amount added to the import price [VND/kWh], one value per hour of the
        horizon (applied after ``import_price_scale``), e.g. the price of a province-wide
        cap on the summed imports (:mod:`energy_model.studies.province`). Not part of the
        equality of two ``Changes``.
    """

    fixed: dict[str, float] = field(default_factory=dict)
    fix_all: bool = False
    max_kw: dict[str, float] = field(default_factory=dict)
    min_renewable_share: float | None = None
    export_price_vnd_per_kwh: float | None = None
    import_price_scale: float = 1.0
    capex_scale: dict[str, float] = field(default_factory=dict)
    import_price_adder: object = field(default=None, compare=False)
