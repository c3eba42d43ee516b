"""Size and dispatch one park (:func:`solve`), optionally with a study's :class:`Changes`."""

from __future__ import annotations

import dataclasses

import numpy as np

from energy_model.dispatch_rules import fix_design
from energy_model.pipeline.types import Changes, ParkInputs
from energy_model.sizing import Battery, Options, SizingResult, Technology, optimize


def _technology(t: Technology, changes: Changes) -> Technology:
    upd = {}
    if f"{t.name}_kw" in changes.fixed:
        upd["fixed_kw"] = float(changes.fixed[f"{t.name}_kw"])
    if t.name in changes.max_kw:
        upd["max_kw"] = float(changes.max_kw[t.name])
    if t.name in changes.capex_scale:
        upd["capex_per_kw"] = t.capex_per_kw * changes.capex_scale[t.name]
    return dataclasses.replace(t, **upd) if upd else t


def _battery(b: Battery | None, changes: Changes) -> Battery | None:
    if b is None:
        return None
    upd = {}
    for key in ("battery_kwh", "battery_kw"):
        if key in changes.fixed:
            upd["fixed_" + key.split("_")[1]] = float(changes.fixed[key])
        if key in changes.max_kw:
            upd["max_" + key.split("_")[1]] = float(changes.max_kw[key])
    if "battery" in changes.capex_scale:
        s = changes.capex_scale["battery"]
        upd.update(capex_per_kwh=b.capex_per_kwh * s, capex_per_kw=b.capex_per_kw * s)
    if "fixed_kwh" in upd or "fixed_kw" in upd:
        upd["duration_h"] = None
    return dataclasses.replace(b, **upd) if upd else b


def apply_changes(inputs: ParkInputs, changes: Changes | None) -> ParkInputs:
    """The inputs with a study's changes applied (a copy; ``inputs`` is not modified).

    Parameters
    ----------
    inputs : ParkInputs
    changes : Changes or None
        None returns ``inputs`` itself.

    Returns
    -------
    ParkInputs
    """
    if changes is None or (changes == Changes() and changes.import_price_adder is None):
        return inputs
    if changes.fix_all:
        techs, battery = fix_design(inputs.technologies, inputs.battery, changes.fixed)
        rest = dataclasses.replace(changes, fixed={}, fix_all=False)
        techs = [_technology(t, rest) for t in techs]
        battery = _battery(battery, rest)
    else:
        techs = [_technology(t, changes) for t in inputs.technologies]
        battery = _battery(inputs.battery, changes)
    policy = inputs.policy
    if changes.min_renewable_share is not None:
        policy = dataclasses.replace(policy, min_renewable_share=float(changes.min_renewable_share))
    grid = inputs.grid
    imp = np.asarray(grid.import_price, dtype=float) * changes.import_price_scale
    upd = {}
    if changes.import_price_adder is not None:
        adder = np.asarray(changes.import_price_adder, dtype=float)
        if adder.shape != (len(inputs.load_kw),):
            raise ValueError(f"import_price_adder has shape {adder.shape}, expected "
                             f"({len(inputs.load_kw)},) (one value per hour)")
        imp = imp + adder
    if changes.import_price_scale != 1.0 or changes.import_price_adder is not None:
        upd["import_price"] = imp
    if changes.export_price_vnd_per_kwh is not None:  # capped below retail, as assembled
        upd["export_price"] = np.minimum(float(changes.export_price_vnd_per_kwh), imp - 1.0)
    if upd:
        grid = dataclasses.replace(grid, **upd)
    return dataclasses.replace(inputs, technologies=techs, battery=battery, policy=policy,
                               grid=grid)


def solve(inputs: ParkInputs, *, changes: Changes | None = None,
          warm_start: SizingResult | None = None, **options) -> SizingResult:
    """Size and dispatch one park (the HiGHS LP).

    Parameters
    ----------
    inputs : ParkInputs
        From :func:`~energy_model.pipeline.assemble`.
    changes : Changes, optional
        What a study changes before solving (:func:`apply_changes`).
    warm_start : SizingResult, optional
        A previous result of the same park (e.g. the previous variant of a sweep),
        passed to :func:`energy_model.sizing.optimize`.
    **options
        :class:`energy_model.sizing.Options` fields (``method``, ``gap_tol``,
        ``time_limit_s``).

    Returns
    -------
    SizingResult
        Capacities [kW, kWh], hourly dispatch [kW], objective [VND/yr].

    Raises
    ------
    InfeasibleError
        When no design meets the constraints.
    """
    inputs = apply_changes(inputs, changes)
    opts = Options(index=inputs.load_kw.index, **options)
    return optimize(inputs.load_kw, inputs.technologies, inputs.grid, inputs.battery,
                    inputs.finance, inputs.policy, options=opts, warm_start=warm_start)
