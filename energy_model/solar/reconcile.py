"""Loss-by-loss reconciliation of the default PV chain with PVWatts v8.

Starting from the PVWatts v8 mirror (``model="pvwatts"``), each step swaps one model
choice of :class:`~energy_model.solar.chain.ChainSpec` for the default chain's and
records the annual AC yield; the last row is the default chain. The table says where
the two differ and by how much, on the same weather and array.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from energy_model.scenario.pv import PVArray
from energy_model.solar.chain import (DEFAULT_CHAIN, HOURS_PER_YEAR, PVWATTS_V8_CHAIN,
                                      check_weather, run_chain)

#: Steps from PVWatts v8 to the default chain, in order: (ChainSpec field, what changes).
STEPS: tuple[tuple[str, str], ...] = (
    ("sun_down", "sunrise/sunset hours with the sun below the horizon at mid-hour: dropped "
                 "(PVWatts) → diffuse kept with the isotropic sky"),
    ("row_shading", "row-to-row shading: open-rack only, row count from size (PVWatts) → "
                    "every array with a GCR, infinite rows"),
    ("shading_loss_at", "external shading: DC derate (PVWatts) → on irradiance, before the "
                        "temperature and inverter models"),
    ("optics", "cover: De Soto with SSC's AR coating (PVWatts) → Fresnel glass with AR "
               "coating, Marion diffuse modifiers"),
    ("spectral", "spectrum: De Soto air-mass modifier (PVWatts) → none"),
    ("temperature", "cell temperature: SAM NOCT model, NOCT 45/49 °C (PVWatts) → PVsyst "
                    "U-values by mounting"),
    ("module", "module: CEC single-diode CS1H-320MS (PVWatts) → PVWatts linear with "
               "gamma_pdc (or the array's CEC module)"),
    ("availability_at", "availability: DC derate (PVWatts) → AC"),
    ("inverter", "inverter: simplified Sandia with self-consumption (PVWatts v8) → PVWatts "
                 "v5 efficiency curve (pvlib)"),
)


def reconcile_with_pvwatts(weather: pd.DataFrame, location, array: PVArray,
                           operating_year: int = 1,
                           reference_kwh_per_kwp: float | None = None) -> pd.DataFrame:
    """Annual yield after each model swap from PVWatts v8 to the default chain.

    Parameters
    ----------
    weather : pandas.DataFrame
        Canonical hourly weather labelled at interval start (see ``simulate_pv``).
    location : object
        The site.
    array : PVArray
        One array, simulated at 1 kWp.
    operating_year : int, default 1
        Degradation year (1: none, as PVWatts' first year).
    reference_kwh_per_kwp : float, optional
        PySAM PVWatts v8's annual yield on the same weather [kWh/kWp/yr]; adds a first
        row comparing it with our mirror.

    Returns
    -------
    pandas.DataFrame
        Rows: ``PVWatts v8 (mirror)``, one per step of :data:`STEPS` that changes
        something, ending at the default chain. Columns: ``change`` (what was swapped),
        ``kwh_per_kwp`` [kWh/kWp/yr], ``step_pct`` [%] (vs the previous row),
        ``cumulative_pct`` [%] (vs the PVWatts mirror).
    """
    check_weather(weather)
    unit = array.model_copy(update={"fixed_kwp": None})
    factor = unit.degradation_factor(operating_year)
    years = len(weather) / HOURS_PER_YEAR

    def annual(spec) -> float:
        out = run_chain(weather, location, [unit], [1.0], [factor], spec)
        return float(out["ac_kw"].sum()) / years

    rows = []
    if reference_kwh_per_kwp is not None:
        rows.append(("PySAM PVWatts v8 (reference)", "NREL SSC through PySAM",
                     reference_kwh_per_kwp))
    spec = PVWATTS_V8_CHAIN
    rows.append(("PVWatts v8 (mirror)", "energy_model's reimplementation, model='pvwatts'",
                 annual(spec)))
    for field, change in STEPS:
        target = getattr(DEFAULT_CHAIN, field)
        if getattr(spec, field) == target:
            continue
        spec = dataclasses.replace(spec, **{field: target})
        rows.append((field, change, annual(spec)))
    if spec != DEFAULT_CHAIN:  # transposition or any field not in STEPS
        spec = DEFAULT_CHAIN
        rows.append(("other", "remaining differences", annual(spec)))
    table = pd.DataFrame(rows, columns=["step", "change", "kwh_per_kwp"]).set_index("step")
    base = table.loc["PVWatts v8 (mirror)", "kwh_per_kwp"]
    table["step_pct"] = 100 * table["kwh_per_kwp"].pct_change()
    table["cumulative_pct"] = 100 * (table["kwh_per_kwp"] / base - 1)
    table.loc[table.index[0], "step_pct"] = 0.0
    return table
