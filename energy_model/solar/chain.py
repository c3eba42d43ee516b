"""The PV model chain: weather → plane-of-array irradiance → cell temperature → DC → AC.

Data flow of :func:`simulate_pv` for one site (all arrays of a park at once)::

    hourly weather labelled at interval start (the value at 10:00 is the 10:00–11:00 mean)
      → sun at the interval midpoints (label + 30 min), once per site (NREL SPA)
      → beam, sky and ground irradiance on every plane of every array, as (T, K) arrays
        (Perez 1990; Hay-Davies on request; isotropic diffuse in sunrise/sunset hours)
      → row-to-row shading (arrays with a GCR), external shading, monthly soiling
      → optics: Fresnel glass with AR coating, beam and diffuse (Marion 2017)
      → cell temperature: PVsyst heat-loss model, U-values by mounting
      → DC: PVWatts linear model with gamma_pdc, or the CEC single-diode model of a
        named module; DC losses; degradation (life mean or a given year)
      → planes summed per array → inverter (PVWatts efficiency curve, clipping at the AC
        rating) → availability → AC [kW]

``model="pvwatts"`` swaps in the PVWatts v8 pieces (:mod:`energy_model.solar.pvwatts`);
:class:`ChainSpec` names every model choice, so :func:`reconcile_with_pvwatts` can swap
them one at a time.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from energy_model.bands import check as band_check
from energy_model.errors import InvariantError, ScenarioError, WeatherError
from energy_model.pv_modules import cec_module
from energy_model.scenario.pv import PVArray
from energy_model.solar import steps
from energy_model.solar.arrays import as_location
from energy_model.solar.tracking import tracker_planes


#: Weather columns the chain needs, with their units.
REQUIRED_COLUMNS = {"ghi": "W/m²", "dni": "W/m²", "dhi": "W/m²", "temp_air": "°C",
                    "wind_speed": "m/s", "pressure": "Pa"}
#: Irradiance below this is a data error, not a sensor offset [W/m²].
NEGATIVE_IRRADIANCE_LIMIT = -10.0
HOURS_PER_YEAR = 8760.0


@dataclass(frozen=True)
class ChainSpec:
    """The model used at each step of the chain (defaults: the chain ``energy-model run``
    uses).

    Attributes
    ----------
    transposition : {"perez", "haydavies"}
        Sky-diffuse model.
    sun_down : {"isotropic", "zero"}
        Hours whose midpoint has the sun below the horizon: keep their diffuse light
        (isotropic sky) or drop them (PVWatts).
    row_shading : {"rows", "pvwatts"}
        ``rows``: every array with a GCR has row-to-row shading; ``pvwatts``: only
        open-rack and floating arrays, with PVWatts' row-count estimate.
    shading_loss_at : {"irradiance", "dc"}
        Where the external shading percentage applies.
    optics : {"physical_ar", "pvwatts_desoto"}
        Fresnel glass with AR coating, beam and Marion diffuse modifiers; or SSC's De
        Soto cover (PVWatts v8).
    spectral : {"none", "desoto_am"}
        Spectral correction: none, or the De Soto air-mass modifier (PVWatts v8).
    temperature : {"pvsyst", "noct_sam"}
        PVsyst heat-loss model with the array's U-values; or SAM's NOCT model (PVWatts v8).
    module : {"array", "pvwatts_v8_standard"}
        ``array``: the array's CEC module if named, else PVWatts linear with gamma_pdc;
        ``pvwatts_v8_standard``: PVWatts v8's built-in single-diode module.
    availability_at : {"ac", "dc"}
        Where the availability loss applies (PVWatts: in its DC derate).
    inverter : {"pvwatts", "pvwatts_v8_sandia"}
        PVWatts v5 efficiency curve (pvlib), or PVWatts v8's simplified Sandia inverter.
    """

    transposition: Literal["perez", "haydavies"] = "perez"
    sun_down: Literal["isotropic", "zero"] = "isotropic"
    row_shading: Literal["rows", "pvwatts"] = "rows"
    shading_loss_at: Literal["irradiance", "dc"] = "irradiance"
    optics: Literal["physical_ar", "pvwatts_desoto"] = "physical_ar"
    spectral: Literal["none", "desoto_am"] = "none"
    temperature: Literal["pvsyst", "noct_sam"] = "pvsyst"
    module: Literal["array", "pvwatts_v8_standard"] = "array"
    availability_at: Literal["ac", "dc"] = "ac"
    inverter: Literal["pvwatts", "pvwatts_v8_sandia"] = "pvwatts"

    def __post_init__(self):
        problems = []
        for f in dataclasses.fields(self):
            allowed = typing.get_args(typing.get_type_hints(ChainSpec)[f.name])
            if getattr(self, f.name) not in allowed:
                problems.append(f"{f.name}={getattr(self, f.name)!r} (expected one of "
                                f"{', '.join(map(repr, allowed))})")
        if problems:
            raise ScenarioError("invalid PV ChainSpec: " + "; ".join(problems))


#: The chain ``energy-model run`` uses.
DEFAULT_CHAIN = ChainSpec()
#: The chain that mirrors PVWatts v8 (NREL-PySAM 7.1).
PVWATTS_V8_CHAIN = ChainSpec(sun_down="zero", row_shading="pvwatts", shading_loss_at="dc",
                             optics="pvwatts_desoto", spectral="desoto_am",
                             temperature="noct_sam", module="pvwatts_v8_standard",
                             availability_at="dc", inverter="pvwatts_v8_sandia")
CHAINS = {"default": DEFAULT_CHAIN, "pvwatts": PVWATTS_V8_CHAIN}


# --------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------


def check_weather(weather: pd.DataFrame) -> None:
    """Raise :class:`WeatherError` unless ``weather`` is hourly, tz-aware and complete.

    Parameters
    ----------
    weather : pandas.DataFrame
        Canonical columns (:data:`REQUIRED_COLUMNS`), index labelled at interval start.
    """
    if not isinstance(weather, pd.DataFrame):
        raise WeatherError(f"weather must be a DataFrame, got {type(weather).__name__}")
    missing = [c for c in REQUIRED_COLUMNS if c not in weather.columns]
    if missing:
        raise WeatherError(f"weather lacks column(s) {missing}; the PV chain needs "
                           + ", ".join(f"{c} [{u}]" for c, u in REQUIRED_COLUMNS.items()))
    idx = weather.index
    if not isinstance(idx, pd.DatetimeIndex) or idx.tz is None:
        raise WeatherError("weather index must be a tz-aware DatetimeIndex (interval-start "
                           "labels in the scenario time zone)")
    if len(idx) < 2:
        raise WeatherError("weather needs at least two hourly records")
    steps = np.diff(idx.as_unit("ns").asi8)
    if not np.all(steps == steps[0]) or pd.Timedelta(int(steps[0]), "ns") != pd.Timedelta("1h"):
        bad = idx[1:][steps != 3_600_000_000_000]
        raise WeatherError("weather must be hourly without gaps or duplicates; first "
                           f"irregular step at {bad[0] if len(bad) else idx[0]}")
    for col in REQUIRED_COLUMNS:
        values = weather[col].to_numpy(dtype=float)
        nan = ~np.isfinite(values)
        if nan.any():
            raise WeatherError(f"weather column {col!r} has {int(nan.sum())} missing values, "
                               f"first at {idx[nan.argmax()]}; fill them before simulating")
    for col in ("ghi", "dni", "dhi"):
        low = weather[col].to_numpy(dtype=float) < NEGATIVE_IRRADIANCE_LIMIT
        if low.any():
            raise WeatherError(f"weather column {col!r} is below {NEGATIVE_IRRADIANCE_LIMIT} "
                               f"W/m² at {idx[low.argmax()]}; not a sensor offset")


def _as_arrays(arrays) -> list[PVArray]:
    if isinstance(arrays, PVArray):
        arrays = [arrays]
    arrays = list(arrays)
    if not arrays:
        raise ScenarioError("simulate_pv needs at least one PV array")
    names = [a.name for a in arrays]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ScenarioError(f"PV array names must be unique, repeated: {dup}")
    return arrays


def _chain(model) -> ChainSpec:
    if isinstance(model, ChainSpec):
        return model
    try:
        return CHAINS[model]
    except KeyError:
        raise ScenarioError(f"unknown PV model {model!r}; expected one of {sorted(CHAINS)} "
                            "or a ChainSpec") from None


# --------------------------------------------------------------------------------------
# The engine
# --------------------------------------------------------------------------------------


def _plane_table(arrays: Sequence[PVArray], kwp: Sequence[float]) -> dict[str, np.ndarray]:
    """Per-plane parameters over all arrays as (1, K) rows; ``array`` (K,) indexes arrays."""
    rows = []
    for j, a in enumerate(arrays):
        u_c, u_v = a.u_values()
        eta = a.module_efficiency
        if a.module is not None:
            m = cec_module(a.module)
            eta = float(m["STC"]) / (1000.0 * float(m["A_c"]))
        for p in a.planes():
            rows.append({"array": j, "tilt": p.tilt, "azimuth": p.azimuth, "share": p.share,
                         "albedo": a.albedo, "gcr": np.nan if a.gcr is None else a.gcr,
                         "u_c": u_c, "u_v": u_v, "efficiency": eta,
                         "kwp": kwp[j] * p.share, "gamma": a.gamma_pdc,
                         "shading_pct": a.losses.shading_pct})
    table = {k: np.array([[r[k] for r in rows]], dtype=float) for k in rows[0]}
    table["array"] = np.array([r["array"] for r in rows], dtype=int)
    table["soiling"] = np.array([arrays[r["array"]].losses.soiling_monthly_pct
                                 for r in rows]) / 100  # (K, 12)
    return table


def run_chain(weather: pd.DataFrame, location, arrays: Sequence[PVArray], kwp: Sequence[float],
              degradation: Sequence[float], spec: ChainSpec = DEFAULT_CHAIN
              ) -> dict[str, np.ndarray]:
    """Run the chain for all arrays of one site; the engine behind :func:`simulate_pv`.

    Parameters
    ----------
    weather : pandas.DataFrame
        Checked canonical weather, hourly, labelled at interval start.
    location : object
        Site (see :func:`energy_model.solar.arrays.as_location`).
    arrays : sequence of PVArray
        The arrays.
    kwp : sequence of float
        DC capacity of each array [kWp].
    degradation : sequence of float
        DC degradation factor of each array [-].
    spec : ChainSpec
        Model choices.

    Returns
    -------
    dict of numpy.ndarray, each (T, A)
        ``ac_kw``, ``dc_kw`` [kW], ``poa_global`` [W/m²] (transposed, before shading and
        soiling), ``temp_cell`` [°C] (share-weighted over planes).
    """
    loc = as_location(location)
    planes = _plane_table(arrays, kwp)
    site = steps.site_conditions(weather, loc)
    planes = tracker_planes(planes, arrays, site)  # single-axis trackers: angles per hour
    poa = steps.plane_irradiance(site, planes, arrays, spec)
    eff = steps.effective_irradiance(poa, site, planes, loc, spec)
    temp_cell = steps.cell_temperature(poa, site, planes, arrays, loc, spec)
    dc_per_kw = steps.dc_per_kw(eff, temp_cell, arrays, planes, spec)
    member = np.zeros((len(planes["array"]), len(arrays)))  # plane share of each array
    member[np.arange(len(planes["array"])), planes["array"]] = planes["share"].ravel()
    dc, ac = steps.dc_to_ac(dc_per_kw @ member, arrays, kwp, degradation, spec)
    return {"ac_kw": ac, "dc_kw": dc, "poa_global": poa["transposed"] @ member,
            "temp_cell": temp_cell @ member}


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def simulate_pv(weather: pd.DataFrame, location, arrays, operating_year: int | None = None,
                model: str | ChainSpec = "default", check: bool = True) -> pd.DataFrame:
    """Hourly PV power of the arrays of one site [kW].

    Parameters
    ----------
    weather : pandas.DataFrame
        Hourly ``ghi``, ``dni``, ``dhi`` [W/m²], ``temp_air`` [°C], ``wind_speed`` [m/s]
        (measurement height), ``pressure`` [Pa]; tz-aware index labelled at interval
        start; one or several years.
    location : object
        pvlib ``Location``, :class:`~energy_model.solar.arrays.Location`, a dict with
        latitude/longitude/altitude or a (lat, lon[, alt]) tuple.
    arrays : PVArray or sequence of PVArray
        The arrays, simulated at ``fixed_kwp`` or else at 1 kWp.
    operating_year : int, optional
        Year of operation for degradation (1 = first year); None uses the life-mean
        factor over each array's ``life_years`` (what sizing uses).
    model : {"default", "pvwatts"} or ChainSpec
        ``default``: this project's chain; ``pvwatts``: the PVWatts v8 equivalence mode.
    check : bool, default True
        Raise :class:`InvariantError` if an array's AC capacity factor or performance
        ratio leaves its plausibility band (``energy_model.bands``); only checked over
        whole years (≥ 8,760 h). NaN is always checked.

    Returns
    -------
    pandas.DataFrame
        Index of ``weather``; for each array ``{name}_ac_kw``, ``{name}_dc_kw`` [kW],
        ``{name}_poa_global`` [W/m²] (transposed plane-of-array irradiance, before
        shading and soiling), ``{name}_temp_cell`` [°C]; and the total ``ac_kw`` [kW].
        ``attrs`` hold the kWp, the model and the degradation factors.
    """
    arrays = _as_arrays(arrays)
    check_weather(weather)
    spec = _chain(model)
    kwp = [a.simulated_kwp() for a in arrays]
    degradation = [a.degradation_factor(operating_year) for a in arrays]
    out = run_chain(weather, location, arrays, kwp, degradation, spec)
    frame = _to_frame(out, arrays, weather.index)
    _check_finite(frame)
    frame.attrs.update({"kwp": dict(zip([a.name for a in arrays], kwp)),
                        "degradation_factor": dict(zip([a.name for a in arrays], degradation)),
                        "model": dataclasses.asdict(spec),
                        "label": "interval start; sun at label + 30 min"})
    if check and len(frame) >= HOURS_PER_YEAR:
        summary = pv_summary(frame, arrays, weather)
        for name, row in summary.iterrows():
            band_check("pv_fixed_ac_cf", row["capacity_factor"], f"PV array {name!r}")
            band_check("pv_performance_ratio", row["performance_ratio"], f"PV array {name!r}")
    return frame


def _to_frame(out: dict[str, np.ndarray], arrays, index) -> pd.DataFrame:
    cols = {}
    for j, a in enumerate(arrays):
        for key in ("ac_kw", "dc_kw", "poa_global", "temp_cell"):
            cols[f"{a.name}_{key}"] = out[key][:, j]
    cols["ac_kw"] = out["ac_kw"].sum(axis=1)
    return pd.DataFrame(cols, index=index)


def _check_finite(frame: pd.DataFrame) -> None:
    values = frame.to_numpy()
    bad = ~np.isfinite(values)
    if bad.any():
        col = frame.columns[bad.any(axis=0)][0]
        at = frame.index[bad.any(axis=1)][0]
        raise InvariantError(f"PV result column {col!r} is not finite at {at}: a model step "
                             "produced NaN or inf (please report this with the weather file)")
    if (frame.filter(like="_ac_kw").to_numpy() < -1e-9).any():
        raise InvariantError("PV AC power is negative somewhere; the inverter model is wrong")


def pv_profiles_per_kwp(weather: pd.DataFrame, location, arrays,
                        model: str | ChainSpec = "default", check: bool = True) -> pd.DataFrame:
    """Life-mean hourly AC output per kWp DC of each array [kW/kWp], for the sizing LP.

    Parameters
    ----------
    weather, location, model, check
        As :func:`simulate_pv`.
    arrays : PVArray or sequence of PVArray
        The arrays (their ``fixed_kwp`` is ignored: every array is simulated at 1 kWp,
        which keeps PVWatts' size-dependent choices at their 1 kWp values).

    Returns
    -------
    pandas.DataFrame
        One column per array name, index of ``weather``.
    """
    arrays = _as_arrays(arrays)
    unit = [a.model_copy(update={"fixed_kwp": None}) for a in arrays]
    result = simulate_pv(weather, location, unit, operating_year=None, model=model, check=check)
    return pd.DataFrame({a.name: result[f"{a.name}_ac_kw"] for a in arrays})


def pv_summary(result: pd.DataFrame, arrays, weather: pd.DataFrame) -> pd.DataFrame:
    """Yearly yield, capacity factor and performance ratio of each array.

    Parameters
    ----------
    result : pandas.DataFrame
        Output of :func:`simulate_pv`.
    arrays : PVArray or sequence of PVArray
        The arrays simulated (capacity: ``result.attrs["kwp"]`` or ``fixed_kwp`` or 1).
    weather : pandas.DataFrame
        The weather simulated (for the horizontal irradiation).

    Returns
    -------
    pandas.DataFrame
        Indexed by array name: ``kwp`` [kWp], ``ac_kwh_per_year`` [kWh/yr],
        ``specific_yield_kwh_per_kwp`` [kWh/kWp/yr], ``capacity_factor`` [-] (AC energy
        over DC nameplate × hours), ``performance_ratio`` [-] (IEC 61724: final yield
        over reference yield with the transposed plane-of-array irradiation),
        ``poa_kwh_per_m2_per_year`` and ``ghi_kwh_per_m2_per_year`` [kWh/m²/yr].
    """
    arrays = _as_arrays(arrays)
    hours = float(len(result))  # hourly steps: energy [kWh] = power [kW] × 1 h
    years = hours / HOURS_PER_YEAR
    kwp_map = result.attrs.get("kwp", {})
    rows = {}
    ghi = weather["ghi"].clip(lower=0).sum() / 1000 / years
    for a in arrays:
        kwp = kwp_map.get(a.name, a.simulated_kwp())
        e_ac = result[f"{a.name}_ac_kw"].sum() / years
        h_poa = result[f"{a.name}_poa_global"].sum() / 1000 / years
        rows[a.name] = {
            "kwp": kwp, "ac_kwh_per_year": e_ac,
            "specific_yield_kwh_per_kwp": e_ac / kwp,
            "capacity_factor": e_ac / kwp / HOURS_PER_YEAR,
            "performance_ratio": (e_ac / kwp) / h_poa if h_poa > 0 else float("nan"),
            "poa_kwh_per_m2_per_year": h_poa, "ghi_kwh_per_m2_per_year": ghi,
        }
    return pd.DataFrame.from_dict(rows, orient="index")


@dataclass(frozen=True)
class ParkPV:
    """PV inputs of one park for sizing and dispatch.

    Attributes
    ----------
    per_kwp : pandas.DataFrame
        Life-mean hourly AC output per kWp DC of every array [kW/kWp], one column per
        array name (what the sizing LP multiplies by the capacity it chooses).
    fixed_kw : pandas.DataFrame
        Hourly AC output of the arrays with a ``fixed_kwp`` [kW] (columns: their names).
    limit_kwp : dict
        Capacity bound of each array to size [kWp] (None: unbounded).
    """

    per_kwp: pd.DataFrame
    fixed_kw: pd.DataFrame
    limit_kwp: dict


def park_pv(weather: pd.DataFrame, location, arrays, heritage_buffer: bool = False,
            where: str = "", model: str | ChainSpec = "default", check: bool = True) -> ParkPV:
    """Profiles per kWp, fixed-capacity output and capacity bounds of a park's arrays.

    Parameters
    ----------
    weather, location, model, check
        As :func:`simulate_pv`.
    arrays : sequence of PVArray
        The park's arrays.
    heritage_buffer : bool, default False
        Whether the park lies in the heritage buffer zone (only rooftop arrays allowed,
        :func:`energy_model.solar.siting.check_heritage_buffer`).
    where : str, optional
        Key path of the arrays in the scenario (e.g. ``parks[3].pv``) for messages.

    Notes
    -----
    Output scales exactly with capacity in the default chain (the inverter is sized by
    the DC/AC ratio), so the fixed arrays' kW are the per-kWp profiles × ``fixed_kwp``.
    """
    from energy_model.solar.siting import check_heritage_buffer

    arrays = _as_arrays(arrays)
    check_heritage_buffer(arrays, heritage_buffer, where)
    per_kwp = pv_profiles_per_kwp(weather, location, arrays, model=model, check=check)
    fixed = {a.name: per_kwp[a.name] * a.fixed_kwp for a in arrays if a.fixed_kwp is not None}
    return ParkPV(per_kwp=per_kwp, fixed_kw=pd.DataFrame(fixed, index=per_kwp.index),
                  limit_kwp={a.name: a.capacity_limit_kwp() for a in arrays
                             if a.fixed_kwp is None})
