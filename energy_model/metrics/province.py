"""The province aggregate: all parks summed hour by hour, before and after.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from energy_model.errors import EnergyModelError
from energy_model.metrics.checks import align_hourly, check_dispatch, step_hours
from energy_model.metrics.park import window_import


# --------------------------------------------------------------------------- province

@dataclass(frozen=True)
class ProvinceAggregate:
    """Grid pressure of all parks together, before (grid-only) and after (with systems).

    Attributes
    ----------
    n_parks : int
        Parks aggregated.
    coincident_peak_import_before_mw, coincident_peak_import_after_mw : float
        Maximum over hours of the sum of all parks' imports [MW].
    sum_of_park_peaks_before_mw, sum_of_park_peaks_after_mw : float
        Sum of each park's own peak import [MW] (≥ the coincident peak).
    peak_hour_before, peak_hour_after : pandas.Timestamp
        Hour of the coincident peak.
    evening_import_before_mwh, evening_import_after_mwh : float or None
        Import inside the system's evening peak window [MWh].
    evening_peak_import_before_mw, evening_peak_import_after_mw : float or None
        Highest coincident import in an hour touching the window [MW].
    energy_bought_before_mwh, energy_bought_after_mwh : float
        Grid import [MWh].
    energy_sold_after_mwh : float
        Grid export [MWh].
    grid_cost_before_vnd, grid_cost_after_vnd : float
        Energy charges: import × import price − export × export price [VND] (capacity
        charges, if any, are not included).
    emission_factor_t_per_mwh : float
        Location-based average grid emission factor used [tCO2/MWh].
    co2_before_t, co2_after_t : float
        Location-based emissions of the grid import [tCO2]; exports earn no credit.
    """

    n_parks: int
    coincident_peak_import_before_mw: float
    coincident_peak_import_after_mw: float
    sum_of_park_peaks_before_mw: float
    sum_of_park_peaks_after_mw: float
    peak_hour_before: pd.Timestamp
    peak_hour_after: pd.Timestamp
    evening_import_before_mwh: float | None
    evening_import_after_mwh: float | None
    evening_peak_import_before_mw: float | None
    evening_peak_import_after_mw: float | None
    energy_bought_before_mwh: float
    energy_bought_after_mwh: float
    energy_sold_after_mwh: float
    grid_cost_before_vnd: float
    grid_cost_after_vnd: float
    emission_factor_t_per_mwh: float
    co2_before_t: float
    co2_after_t: float

    @property
    def co2_avoided_t(self) -> float:
        """Location-based CO2 avoided [tCO2]."""
        return self.co2_before_t - self.co2_after_t


def _per_park(value, park: str, name: str):
    """The value of one park from a per-park mapping, or the shared value."""
    if not isinstance(value, Mapping):
        return value
    if park not in value:
        raise EnergyModelError(f"{name} has no entry for park {park!r}")
    return value[park]


def province_aggregate(dispatches: Mapping[str, pd.DataFrame], *, import_price_vnd_per_kwh,
                       emission_factor_t_per_mwh: float, export_price_vnd_per_kwh=0.0,
                       evening_share=None) -> ProvinceAggregate:
    """Sum the parks hour by hour and report the province's grid pressure.

    Parameters
    ----------
    dispatches : mapping of str to pandas.DataFrame
        Park id → hourly dispatch (:data:`DISPATCH_COLUMNS`), all on one index.
    import_price_vnd_per_kwh : float, pandas.Series or mapping
        Import price [VND/kWh], hourly; a mapping gives one per park (voltage levels differ).
    emission_factor_t_per_mwh : float
        Location-based average grid emission factor of the year [tCO2/MWh]
        (the first value of :func:`energy_model.economics.emission_factor`).
    export_price_vnd_per_kwh : float, pandas.Series or mapping
        Surplus price [VND/kWh].
    evening_share : pandas.Series, array or None
        Share of each hour inside the evening peak window [-].

    Returns
    -------
    ProvinceAggregate
    """
    if not dispatches:
        raise EnergyModelError("province_aggregate needs at least one park dispatch")
    parks = list(dispatches)
    index = dispatches[parks[0]].index
    dt = step_hours(index)
    load = np.zeros(len(index))
    imp = np.zeros(len(index))
    exp_kwh = 0.0
    cost_before = cost_after = 0.0
    peaks_before = peaks_after = 0.0
    for park in parks:
        d = dispatches[park]
        if not d.index.equals(index):
            raise EnergyModelError(f"park {park!r}: dispatch index differs from park "
                                   f"{parks[0]!r}'s; all parks must share one hourly index")
        check_dispatch(d, park)
        price = align_hourly(_per_park(import_price_vnd_per_kwh, park, "import price"), index,
                        f"{park} import price")
        xprice = align_hourly(_per_park(export_price_vnd_per_kwh, park, "export price"), index,
                         f"{park} export price")
        l_kw = d["load_kw"].to_numpy(dtype=float)
        i_kw = d["grid_import_kw"].to_numpy(dtype=float)
        x_kw = d["grid_export_kw"].to_numpy(dtype=float)
        load += l_kw
        imp += i_kw
        exp_kwh += float(x_kw.sum() * dt)
        cost_before += float((l_kw * price).sum() * dt)
        cost_after += float(((i_kw * price) - (x_kw * xprice)).sum() * dt)
        peaks_before += float(l_kw.max())
        peaks_after += float(i_kw.max())

    ev = [None] * 4
    if evening_share is not None:
        share = align_hourly(evening_share, index, "evening_share")
        window = (*window_import(load, share, dt), *window_import(imp, share, dt))
        ev = [v / 1000.0 for v in window]
    bought_before = float(load.sum() * dt) / 1000.0
    bought_after = float(imp.sum() * dt) / 1000.0
    return ProvinceAggregate(
        n_parks=len(parks),
        coincident_peak_import_before_mw=float(load.max()) / 1000.0,
        coincident_peak_import_after_mw=float(imp.max()) / 1000.0,
        sum_of_park_peaks_before_mw=peaks_before / 1000.0,
        sum_of_park_peaks_after_mw=peaks_after / 1000.0,
        peak_hour_before=index[int(load.argmax())], peak_hour_after=index[int(imp.argmax())],
        evening_import_before_mwh=ev[0], evening_peak_import_before_mw=ev[1],
        evening_import_after_mwh=ev[2], evening_peak_import_after_mw=ev[3],
        energy_bought_before_mwh=bought_before, energy_bought_after_mwh=bought_after,
        energy_sold_after_mwh=exp_kwh / 1000.0,
        grid_cost_before_vnd=cost_before, grid_cost_after_vnd=cost_after,
        emission_factor_t_per_mwh=float(emission_factor_t_per_mwh),
        co2_before_t=bought_before * emission_factor_t_per_mwh,
        co2_after_t=bought_after * emission_factor_t_per_mwh)
