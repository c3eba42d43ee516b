"""The hourly energy balance of a dispatch, shared by the sizing LP's invariant checks and
the grid metrics (sizing may import this module; it imports nothing of the package).

Sign convention (kW, interval-start labels)::

    pv + wind − curtailment + battery_discharge − battery_charge
        + grid_import − grid_export + unmet  ==  load
"""

from __future__ import annotations

from collections.abc import Mapping

#: columns every dispatch must carry [kW; battery_soc_kwh in kWh]
DISPATCH_COLUMNS = (
    "load_kw", "pv_kw", "wind_kw", "curtailment_kw", "battery_charge_kw",
    "battery_discharge_kw", "battery_soc_kwh", "grid_import_kw", "grid_export_kw", "unmet_kw",
)

#: relative tolerance of the hourly energy balance and of non-negativity [-] (× peak load)
BALANCE_RTOL = 1e-6


def balance_residual(d: Mapping):
    """Hourly energy-balance residual, supply − load [kW].

    Parameters
    ----------
    d : mapping of column name to array or Series
        A dispatch (DataFrame or dict of arrays) with the flow columns of
        :data:`DISPATCH_COLUMNS` [kW].

    Returns
    -------
    numpy.ndarray or pandas.Series
        ``pv + wind − curtailment + discharge − charge + import − export + unmet − load``
        [kW], of the type of the columns.
    """
    return (d["pv_kw"] + d["wind_kw"] - d["curtailment_kw"] + d["battery_discharge_kw"]
            - d["battery_charge_kw"] + d["grid_import_kw"] - d["grid_export_kw"]
            + d["unmet_kw"] - d["load_kw"])
