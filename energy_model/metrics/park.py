"""Per-park results: energy flows, self-sufficiency, self-consumption and park metrics.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from energy_model.balance import BALANCE_RTOL
from energy_model.errors import EnergyModelError
from energy_model.metrics.checks import align_hourly, check_dispatch, step_hours


# --------------------------------------------------------------------------- per-park results

@dataclass(frozen=True)
class EnergyFlows:
    """Energy flows of a park over the dispatch horizon (normally one year).

    Attributes
    ----------
    load_kwh : float
        Load [kWh].
    pv_kwh, wind_kwh : float
        Available PV and wind output, before curtailment [kWh].
    curtailment_kwh : float
        On-site output thrown away [kWh].
    battery_charge_kwh, battery_discharge_kwh : float
        Battery throughput, AC side [kWh].
    grid_import_kwh, grid_export_kwh : float
        Energy bought from and sold to the grid [kWh].
    unmet_kwh : float
        Load not served (the opt-in slack) [kWh].
    """

    load_kwh: float
    pv_kwh: float
    wind_kwh: float
    curtailment_kwh: float
    battery_charge_kwh: float
    battery_discharge_kwh: float
    grid_import_kwh: float
    grid_export_kwh: float
    unmet_kwh: float

    @property
    def generation_kwh(self) -> float:
        """Available on-site generation, PV + wind before curtailment [kWh]."""
        return self.pv_kwh + self.wind_kwh

    @property
    def onsite_supply_kwh(self) -> float:
        """On-site output delivered (to load, battery or grid): generation − curtailment [kWh]."""
        return self.generation_kwh - self.curtailment_kwh


def energy_flows(dispatch: pd.DataFrame) -> EnergyFlows:
    """Sum a dispatch into energy flows [kWh] (power × step length).

    Parameters
    ----------
    dispatch : pandas.DataFrame
        Columns of :data:`DISPATCH_COLUMNS` [kW].

    Returns
    -------
    EnergyFlows
    """
    dt = step_hours(dispatch.index)

    def kwh(col: str) -> float:
        return float(dispatch[col].to_numpy(dtype=float).sum() * dt)

    return EnergyFlows(
        load_kwh=kwh("load_kw"), pv_kwh=kwh("pv_kw"), wind_kwh=kwh("wind_kw"),
        curtailment_kwh=kwh("curtailment_kw"), battery_charge_kwh=kwh("battery_charge_kw"),
        battery_discharge_kwh=kwh("battery_discharge_kw"), grid_import_kwh=kwh("grid_import_kw"),
        grid_export_kwh=kwh("grid_export_kw"), unmet_kwh=kwh("unmet_kw"))


def self_sufficiency(flows: EnergyFlows) -> float:
    """Share of the load neither bought from the grid nor shed [-].

    ``(load − grid_import − unmet) / load``; see the module docstring.

    Parameters
    ----------
    flows : EnergyFlows
        Energy flows [kWh].

    Returns
    -------
    float
        Self-sufficiency [-]; NaN without load.
    """
    if flows.load_kwh <= 0:
        return float("nan")
    return (flows.load_kwh - flows.grid_import_kwh - flows.unmet_kwh) / flows.load_kwh


def self_consumption(flows: EnergyFlows) -> float:
    """Share of the available on-site generation used on site [-].

    ``(pv + wind − curtailment − grid_export) / (pv + wind)``; see the module docstring.

    Parameters
    ----------
    flows : EnergyFlows
        Energy flows [kWh].

    Returns
    -------
    float
        Self-consumption [-]; NaN without generation.
    """
    gen = flows.generation_kwh
    if gen <= 0:
        return float("nan")
    return (gen - flows.curtailment_kwh - flows.grid_export_kwh) / gen


@dataclass(frozen=True)
class ParkMetrics:
    """Grid metrics of one park: flows, shares, peaks, evening window, cap and unmet hours.

    "Before" is the grid-only case (import = load); "after" is the dispatch with the system.

    Attributes
    ----------
    flows : EnergyFlows
        Energy flows with the system [kWh].
    self_sufficiency : float
        Share of load not bought from the grid nor shed [-].
    self_consumption : float
        Share of available on-site generation used on site [-]; NaN without generation.
    peak_import_before_kw, peak_import_after_kw : float
        Highest hourly grid import [kW].
    evening_import_before_kwh, evening_import_after_kwh : float or None
        Grid import inside the system's evening peak window [kWh]; None without a window.
    evening_peak_import_before_kw, evening_peak_import_after_kw : float or None
        Highest import in an hour touching the evening window [kW].
    hours_at_import_cap_h : float or None
        Hours with import at the cap (within 1e-6 relative) [h]; None without a cap.
    unmet_hours_h : float
        Hours with unmet load [h].
    battery_equivalent_cycles : float or None
        Discharged energy / battery energy capacity [-]; None without a battery.
    """

    flows: EnergyFlows
    self_sufficiency: float
    self_consumption: float
    peak_import_before_kw: float
    peak_import_after_kw: float
    evening_import_before_kwh: float | None
    evening_import_after_kwh: float | None
    evening_peak_import_before_kw: float | None
    evening_peak_import_after_kw: float | None
    hours_at_import_cap_h: float | None
    unmet_hours_h: float
    battery_equivalent_cycles: float | None

    def as_row(self) -> dict:
        """A flat dict (flows expanded, one key per value, units in the keys) for summary.csv."""
        row = asdict(self.flows)
        row.update({k: v for k, v in asdict(self).items() if k != "flows"})
        return row


def window_import(import_kw: np.ndarray, share: np.ndarray, dt: float) -> tuple[float, float]:
    """Energy [kWh] and peak [kW] of an import series inside a weighted window."""
    energy = float((import_kw * share).sum() * dt)
    inside = share > 0
    peak = float(import_kw[inside].max()) if inside.any() else 0.0
    return energy, peak


def park_metrics(dispatch: pd.DataFrame, *, evening_share=None, import_cap_kw=None,
                 battery_kwh: float | None = None, what: str = "dispatch") -> ParkMetrics:
    """Grid metrics of one park against its grid-only case.

    Parameters
    ----------
    dispatch : pandas.DataFrame
        Hourly dispatch, columns of :data:`DISPATCH_COLUMNS` [kW]; checked first.
    evening_share : pandas.Series, array or None
        Share of each hour inside the system evening peak window [-] (bool or 0–1, e.g.
        :func:`energy_model.tariff.evening_peak_share`); None to skip the window metrics.
    import_cap_kw : float, pandas.Series, array or None
        Import cap [kW], scalar or hourly (inf or NaN where there is none); None for no cap.
    battery_kwh : float or None
        Battery energy capacity [kWh], for the equivalent cycles.
    what : str
        Name used in messages.

    Returns
    -------
    ParkMetrics
    """
    check_dispatch(dispatch, what)
    dt = step_hours(dispatch.index)
    flows = energy_flows(dispatch)
    load = dispatch["load_kw"].to_numpy(dtype=float)
    imp = dispatch["grid_import_kw"].to_numpy(dtype=float)
    tol = BALANCE_RTOL * max(float(load.max()), 1.0)

    ev = [None] * 4
    if evening_share is not None:
        share = align_hourly(evening_share, dispatch.index, "evening_share")
        if np.any((share < 0) | (share > 1)):
            raise EnergyModelError(f"{what}: evening_share must lie in [0, 1]")
        ev = [*window_import(load, share, dt), *window_import(imp, share, dt)]

    at_cap = None
    if import_cap_kw is not None:
        cap = align_hourly(import_cap_kw, dispatch.index, "import_cap_kw")
        capped = np.isfinite(cap) & (imp >= cap * (1 - 1e-6) - tol)
        at_cap = float(capped.sum() * dt)

    cycles = None
    if battery_kwh is not None and battery_kwh > 0:
        cycles = flows.battery_discharge_kwh / battery_kwh

    return ParkMetrics(
        flows=flows, self_sufficiency=self_sufficiency(flows),
        self_consumption=self_consumption(flows),
        peak_import_before_kw=float(load.max()), peak_import_after_kw=float(imp.max()),
        evening_import_before_kwh=ev[0], evening_peak_import_before_kw=ev[1],
        evening_import_after_kwh=ev[2], evening_peak_import_after_kw=ev[3],
        hours_at_import_cap_h=at_cap,
        unmet_hours_h=float((dispatch["unmet_kw"].to_numpy() > tol).sum() * dt),
        battery_equivalent_cycles=cycles)
