"""PVWatts v8 equivalence: the pieces of NREL's PVWatts v8 that our default chain does
differently, and the inputs that set PySAM's ``Pvwattsv8`` up like a :class:`PVArray`.

PVWatts v8 (NREL SSC ``cmod_pvwattsv8.cpp``, as shipped in NREL-PySAM 7.1) computes, for
each hour whose midpoint has the sun up:

1. Perez 1990 transposition, albedo 0.2 unless given;
2. fixed-rack self-shading (linear beam shading, sky and ground view derates) for
   open-rack arrays, estimating the row count from the system size; none for roof mounts;
3. monthly soiling on all irradiance components;
4. the De Soto cover transmittance with an anti-reflective coating, and the De Soto
   air-mass modifier;
5. the NOCT cell temperature of SAM's CEC model (NOCT 45 °C rack, 49 °C roof, wind × 0.51);
6. the CEC single-diode model of its "standard" module (Canadian Solar CS1H-320MS);
7. the remaining losses as one DC derate;
8. a Sandia inverter with zero curvature, its self-consumption ``Pso`` set by size, and
   clipping at the AC rating.

The functions here reproduce those steps; :mod:`energy_model.solar.chain` assembles
them when ``simulate_pv(..., model="pvwatts")``. Building PySAM's inputs needs no PySAM.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from energy_model.errors import ScenarioError
from energy_model.pv_modules import PVWATTS_V8_STANDARD_MODULE
from energy_model.scenario.pv import PVArray
from energy_model.solar.arrays import Location, as_location
from energy_model.solar.irradiance import K_GLASS, L_GLASS, N_GLASS, spectral_desoto

#: Anti-reflective coating of SSC's De Soto cover model: index, glazing, thickness [m].
SSC_N_ARC, SSC_K_ARC, SSC_L_ARC = 1.3, 4.0, L_GLASS * 0.01
#: NOCT [°C] PVWatts v8 uses for open-rack and roof-mounted arrays.
PVWATTS_NOCT = {"open_rack": 45.0, "close_roof": 49.0, "floating": 45.0}
#: PVWatts array_type per thermal mounting: 0 fixed open rack, 1 fixed roof mount
#: (floating has no PVWatts type; it is simulated as an open rack).
PVWATTS_ARRAY_TYPE = {"open_rack": 0, "close_roof": 1, "floating": 0}
#: Wind-speed factor of SAM's NOCT model for arrays below 22 ft (6.7 m) [-].
NOCT_WIND_FACTOR = 0.51
#: Transmittance-absorptance product of SAM's NOCT model [-].
NOCT_TAU_ALPHA = 0.9


def _transmittance(theta_deg, n_cover, n_incoming, k, thickness):
    """Fresnel + Bouguer transmittance of one layer; returns (tau, refracted angle)."""
    t1 = np.radians(theta_deg)
    t2 = np.arcsin(n_incoming / n_cover * np.sin(t1))
    r = 0.5 * (np.sin(t2 - t1) ** 2 / np.sin(t2 + t1) ** 2
               + np.tan(t2 - t1) ** 2 / np.tan(t2 + t1) ** 2)
    return (1 - r) * np.exp(-k * thickness / np.cos(t2)), np.degrees(t2)


def desoto_cover(aoi, surface_tilt, poa_direct, poa_sky, poa_ground,
                 anti_reflective: bool = True) -> np.ndarray:
    """Irradiance transmitted through the module cover, De Soto et al. 2006 [W/m²].

    Parameters
    ----------
    aoi : array (T, K)
        Angle of incidence [deg]; clipped to [1, 89] as SSC does.
    surface_tilt : array (1, K)
        Plane tilt [deg] (sets the effective diffuse angles of Brandemuehl & Beckman).
    poa_direct, poa_sky, poa_ground : array (T, K)
        Beam, sky-diffuse and ground-reflected irradiance on the plane [W/m²].
    anti_reflective : bool, default True
        Beam through an AR coating (n = 1.3) then glass, normalised by the coated glass at
        normal incidence, as SSC's ``calculateIrradianceThroughCoverDeSoto``; diffuse
        through bare glass.
    """
    th = np.clip(aoi, 1.0, 89.0)
    if anti_reflective:
        tc, t2n = _transmittance(1.0, SSC_N_ARC, 1.0, SSC_K_ARC, SSC_L_ARC)
        tau_norm = tc * _transmittance(t2n, N_GLASS, 1.0, K_GLASS, L_GLASS)[0]
        tc, t2 = _transmittance(th, SSC_N_ARC, 1.0, SSC_K_ARC, SSC_L_ARC)
        tau_beam = tc * _transmittance(t2, N_GLASS, SSC_N_ARC, K_GLASS, L_GLASS)[0]
    else:
        tau_norm = _transmittance(1.0, N_GLASS, 1.0, K_GLASS, L_GLASS)[0]
        tau_beam = _transmittance(th, N_GLASS, 1.0, K_GLASS, L_GLASS)[0]
    tilt = np.asarray(surface_tilt, dtype=float)
    theta_sky = 59.7 - 0.1388 * tilt + 0.001497 * tilt ** 2
    theta_gnd = 90.0 - 0.5788 * tilt + 0.002693 * tilt ** 2
    tau_sky = _transmittance(theta_sky, N_GLASS, 1.0, K_GLASS, L_GLASS)[0]
    tau_gnd = _transmittance(theta_gnd, N_GLASS, 1.0, K_GLASS, L_GLASS)[0]
    out = (poa_direct * np.minimum(tau_beam / tau_norm, 1.0)
           + poa_sky * np.minimum(tau_sky / tau_norm, 1.0)
           + poa_ground * np.minimum(tau_gnd / tau_norm, 1.0))
    return np.maximum(out, 0.0)


def noct_cell_temperature(poa_global, temp_air, wind_speed, noct, module_efficiency,
                          transmitted_ratio) -> np.ndarray:
    """Cell temperature of SAM's CEC/NOCT model, as PVWatts v8 calls it [°C].

    Parameters
    ----------
    poa_global : array (T, K)
        Plane-of-array irradiance after shading and soiling [W/m²].
    temp_air : array (T, 1)
        Air temperature [°C].
    wind_speed : array (T, 1)
        Wind speed at 10 m [m/s].
    noct : array (1, K)
        Installed nominal operating cell temperature [°C].
    module_efficiency : float
        Module efficiency at STC [-].
    transmitted_ratio : array (T, K)
        Transmitted over incident irradiance (cover × air-mass) [-]; scales τα.

    Notes
    -----
    T = Ta + G/800 · (NOCT − 20) · (1 − η/τα) · 9.5 / (5.7 + 3.8 · max(0.51 · ws, 0.001)),
    τα = 0.9 × transmitted ratio (SSC ``noct_celltemp_t``; pvlib ``noct_sam``).
    """
    tau = NOCT_TAU_ALPHA * transmitted_ratio
    ws = np.maximum(np.asarray(wind_speed) * NOCT_WIND_FACTOR, 0.001)
    with np.errstate(divide="ignore", invalid="ignore"):
        heat = np.where(tau > 0, 1 - module_efficiency / np.where(tau > 0, tau, 1.0), 0.0)
    rise = poa_global / 800.0 * (noct - 20.0) * heat * 9.5 / (5.7 + 3.8 * ws)
    return np.where(poa_global > 0, temp_air + rise, temp_air + 0 * rise)


def transmitted_ratio(aoi, surface_tilt, poa_direct, poa_sky, poa_ground, apparent_zenith,
                      altitude, anti_reflective: bool) -> np.ndarray:
    """De Soto cover × air-mass modifier, as a ratio to the incident irradiance [-]."""
    poa = poa_direct + poa_sky + poa_ground
    geff = desoto_cover(aoi, surface_tilt, poa_direct, poa_sky, poa_ground, anti_reflective)
    am = spectral_desoto(apparent_zenith, altitude)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(poa > 0, geff * am / np.where(poa > 0, poa, 1.0), 0.0)


def single_diode_dc_per_watt(effective_irradiance, temp_cell, module: dict,
                             eg_ref: float = 1.121) -> np.ndarray:
    """DC power at the maximum power point per watt of module rating [W/W].

    Parameters
    ----------
    effective_irradiance : array
        Irradiance reaching the cells [W/m²]; below 1 W/m² the output is 0.
    temp_cell : array
        Cell temperature [°C].
    module : dict
        CEC parameters (``alpha_sc``, ``a_ref``, ``I_L_ref``, ``I_o_ref``, ``R_sh_ref``,
        ``R_s``, ``Adjust``, ``I_mp_ref``, ``V_mp_ref``).
    eg_ref : float, default 1.121
        Band gap at reference conditions [eV] (SSC uses 1.12).
    """
    import pvlib

    g = np.asarray(effective_irradiance, dtype=float)
    t = np.broadcast_to(np.asarray(temp_cell, dtype=float), g.shape)
    out = np.zeros(g.shape)
    on = g >= 1.0
    if on.any():
        params = {k: np.broadcast_to(np.asarray(module[k], dtype=float), g.shape)[on]
                  for k in ("alpha_sc", "a_ref", "I_L_ref", "I_o_ref", "R_sh_ref", "R_s",
                            "Adjust")}
        il, io, rs, rsh, nnsvth = pvlib.pvsystem.calcparams_cec(
            g[on], t[on], params["alpha_sc"], params["a_ref"], params["I_L_ref"],
            params["I_o_ref"], params["R_sh_ref"], params["R_s"], params["Adjust"],
            EgRef=eg_ref)
        mpp = pvlib.pvsystem.max_power_point(il, io, rs, rsh, nnsvth, method="newton")
        rating = (np.broadcast_to(np.asarray(module["I_mp_ref"], dtype=float), g.shape)[on]
                  * np.broadcast_to(np.asarray(module["V_mp_ref"], dtype=float), g.shape)[on])
        out[on] = np.maximum(np.asarray(mpp["p_mp"], dtype=float), 0.0) / rating
    return out


def inverter_self_consumption_fraction(dc_kw: float) -> float:
    """PVWatts v8's inverter self-consumption ``Pso`` as a share of the AC rating [-].

    Parameters
    ----------
    dc_kw : float
        System DC nameplate [kW].

    Notes
    -----
    SSC compares the DC nameplate *in watts* with 10 and 1,000 (meant as kW), so every
    system of 1 kW or more gets the utility value 0.4931 %.
    """
    watts = dc_kw * 1000
    if watts < 10:
        return 0.002246
    if watts < 1000:
        return 0.002478
    return 0.004931


def sandia_pvwatts_v8(p_dc, pac0, eta_nom, pso_fraction) -> np.ndarray:
    """AC power of PVWatts v8's simplified Sandia inverter, clipped at the rating [kW].

    Parameters
    ----------
    p_dc : array
        DC input [kW].
    pac0 : array
        AC rating [kW].
    eta_nom : array
        Nominal efficiency [-]; the DC rating is ``pac0 / eta_nom``.
    pso_fraction : array
        Self-consumption as a share of ``pac0`` [-].
    """
    pdc0 = pac0 / eta_nom
    pso = pso_fraction * pac0
    ac = pac0 / (pdc0 - pso) * (p_dc - pso)
    return np.clip(ac, 0.0, pac0)


def estimated_layout(dc_kw: float) -> tuple[int, float]:
    """Rows and row length PVWatts v8 assumes for a fixed-rack system of ``dc_kw``.

    Parameters
    ----------
    dc_kw : float
        DC nameplate [kW].

    Returns
    -------
    nrows : int
        Number of rows [-].
    row_length : float
        Row length in units of the row slant height [-]; ``inf`` when PVWatts treats the
        rows as long (more than one 7-module string across a row).

    Notes
    -----
    SSC ``cmod_pvwattsv8``: 300 W modules of 19 % efficiency and aspect ratio 1.7, two
    in portrait up the row, a square field; strings of 7 modules wired along the row.
    """
    area = 300 / 0.19 / 1000
    width = math.sqrt(area / 1.7)
    length = width * 1.7
    nmodules = max(math.ceil(dc_kw * 1000 / 300), 1)
    nrows = max(math.ceil(math.sqrt(nmodules / 2)), 1)
    nmodx = max(math.ceil(nmodules / (nrows * 2)), 1)
    if int(nmodx / 7) > 1:
        return nrows, math.inf
    return nrows, nmodx * width / (2 * length)


# --------------------------------------------------------------------------------------
# PySAM inputs (no PySAM needed to build them)
# --------------------------------------------------------------------------------------


def pysam_solar_resource(weather: pd.DataFrame, location) -> dict:
    """PySAM ``solar_resource_data`` from canonical weather labelled at interval start.

    Parameters
    ----------
    weather : pandas.DataFrame
        Hourly ``ghi``, ``dni``, ``dhi`` [W/m²], ``temp_air`` [°C], ``wind_speed``
        [m/s], ``pressure`` [Pa]; tz-aware index labelled at interval start.
    location : object
        Anything :func:`energy_model.solar.arrays.as_location` accepts.

    Notes
    -----
    ``minute`` is 30 for every record: SSC then computes the sun at the interval
    midpoint, matching our label + 30 min convention. Pressure goes in millibar.
    """
    loc: Location = as_location(location)
    idx = weather.index
    tz = idx[0].utcoffset().total_seconds() / 3600
    return {
        "lat": loc.latitude, "lon": loc.longitude, "tz": tz, "elev": loc.altitude,
        "year": list(map(int, idx.year)), "month": list(map(int, idx.month)),
        "day": list(map(int, idx.day)), "hour": list(map(int, idx.hour)),
        "minute": [30] * len(idx),
        "dn": weather["dni"].astype(float).tolist(), "df": weather["dhi"].astype(float).tolist(),
        "gh": weather["ghi"].astype(float).tolist(),
        "tdry": weather["temp_air"].astype(float).tolist(),
        "wspd": weather["wind_speed"].astype(float).tolist(),
        "pres": (weather["pressure"].astype(float) / 100).tolist(),
    }


def pysam_system_design(array: PVArray, kwp: float | None = None) -> dict:
    """PySAM ``Pvwattsv8`` SystemDesign inputs equivalent to a single-plane array.

    Parameters
    ----------
    array : PVArray
        The array (one orientation).
    kwp : float, optional
        DC capacity [kW]; default :meth:`PVArray.simulated_kwp`.

    Returns
    -------
    dict
        ``system_capacity``, ``module_type`` (0 standard), ``dc_ac_ratio``,
        ``array_type``, ``tilt``, ``azimuth``, ``gcr``, ``losses``, ``soiling``,
        ``inv_eff``, ``bifaciality`` and the ``albedo`` of SolarResource.
    """
    planes = array.planes()
    if len(planes) != 1:
        raise ScenarioError(f"PV array {array.name!r}: PVWatts simulates one plane per "
                            "system; split a multi-orientation array into one per plane")
    mount = array.thermal_mounting
    gcr = array.gcr if (array.gcr is not None and PVWATTS_ARRAY_TYPE[mount] == 0) else 0.01
    return {
        "system_capacity": float(kwp if kwp is not None else array.simulated_kwp()),
        "module_type": 0, "dc_ac_ratio": array.dc_ac_ratio,
        "array_type": PVWATTS_ARRAY_TYPE[mount], "tilt": planes[0].tilt,
        "azimuth": planes[0].azimuth, "gcr": gcr,
        "losses": array.losses.pvwatts_losses_pct(),
        "soiling": list(array.losses.soiling_monthly_pct),
        "inv_eff": array.inverter_efficiency * 100, "bifaciality": 0.0,
        "albedo": [array.albedo],
    }


#: The module PVWatts v8 simulates for ``module_type = 0``.
STANDARD_MODULE = PVWATTS_V8_STANDARD_MODULE
