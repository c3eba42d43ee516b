"""The steps of the PV model chain (:func:`energy_model.solar.chain.run_chain`), each on
(T, K) arrays of hours × planes: site conditions and sun, plane-of-array irradiance with
row shading and soiling, optics, cell temperature, DC per kW and the DC → AC conversion.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from energy_model.pv_modules import cec_module
from energy_model.scenario.pv import ABSORPTANCE
from energy_model.solar.irradiance import (N_AR, iam_diffuse, iam_physical, poa_components,
                                           row_shading, spectral_desoto)
from energy_model.solar.position import solar_position


def site_conditions(weather: pd.DataFrame, loc) -> dict[str, np.ndarray]:
    """Weather columns and the sun at the interval midpoints, once per site."""
    import pvlib

    mid = weather.index + pd.Timedelta(minutes=30)
    temp_air = weather["temp_air"].to_numpy(dtype=float)
    pressure = weather["pressure"].to_numpy(dtype=float)
    sun = solar_position(mid, loc.latitude, loc.longitude, loc.altitude, pressure, temp_air)
    wall = mid.tz_localize(None)  # local wall time: calendar fields without tz lookups
    zen = sun["apparent_zenith"]
    with np.errstate(invalid="ignore"):
        airmass = pvlib.atmosphere.get_relative_airmass(np.where(zen < 90, zen, np.nan))
    return {
        "ghi": weather["ghi"].to_numpy(dtype=float).clip(min=0.0),
        "dni": weather["dni"].to_numpy(dtype=float).clip(min=0.0),
        "dhi": weather["dhi"].to_numpy(dtype=float).clip(min=0.0),
        "temp_air": temp_air.reshape(-1, 1),
        "wind_speed": weather["wind_speed"].to_numpy(dtype=float).clip(min=0.0).reshape(-1, 1),
        "zenith": zen, "azimuth": sun["azimuth"], "up": (zen < 90.0).reshape(-1, 1),
        "dni_extra": pvlib.irradiance.get_extra_radiation(wall.day_of_year.to_numpy()),
        "airmass": airmass, "month": wall.month.to_numpy(),
    }


def plane_irradiance(site, planes, arrays, spec) -> dict[str, np.ndarray]:
    """Beam, sky and ground irradiance on each plane after row and external shading."""
    tilt, az, albedo = planes["tilt"], planes["azimuth"], planes["albedo"]
    comp = poa_components(planes.get("tilt_t", tilt), planes.get("azimuth_t", az),
                          site["zenith"], site["azimuth"], site["dni"], site["ghi"],
                          site["dhi"], site["dni_extra"], site["airmass"], albedo,
                          model=spec.transposition, sun_down=spec.sun_down)
    direct, sky, ground = comp["poa_direct"], comp["poa_sky_diffuse"], comp["poa_ground_diffuse"]
    transposed = direct + sky + ground
    gcr, nrows, row_length = _rows(planes, arrays, spec)
    if np.isfinite(gcr).any():
        f = row_shading(tilt, az, gcr, site["zenith"], site["azimuth"], site["dni"],
                        site["dhi"], albedo, nrows, row_length)
        direct, sky, ground = direct * f["beam"], sky * f["sky"], ground * f["ground"]
    if spec.shading_loss_at == "irradiance":
        shade = 1 - planes["shading_pct"] / 100
        direct, sky, ground = direct * shade, sky * shade, ground * shade
    soiling = 1 - planes["soiling"][:, site["month"] - 1].T  # (T, K)
    return {"direct": direct, "sky": sky, "ground": ground, "transposed": transposed,
            "cos_aoi": comp["cos_aoi"], "soiling": soiling,
            "incident": (direct + sky + ground) * soiling}


def _rows(planes, arrays, spec):
    """GCR (NaN: no rows), row count and row length of each plane, as (1, K) rows."""
    gcr = planes["gcr"].copy()
    nrows = np.full(gcr.shape, np.inf)
    length = np.full(gcr.shape, np.inf)
    if spec.row_shading == "pvwatts":
        from energy_model.solar.pvwatts import PVWATTS_ARRAY_TYPE, estimated_layout

        for k, j in enumerate(planes["array"]):
            if PVWATTS_ARRAY_TYPE[arrays[j].thermal_mounting] == 1:  # roof mount: no rows
                gcr[0, k] = np.nan
            nrows[0, k], length[0, k] = estimated_layout(planes["kwp"][0, k])
    return gcr, nrows, length


def effective_irradiance(poa, site, planes, loc, spec) -> np.ndarray:
    """Irradiance reaching the cells after optics, soiling and spectrum [W/m²] (T, K)."""
    direct, sky, ground = poa["direct"], poa["sky"], poa["ground"]
    if spec.optics == "physical_ar":
        diffuse = np.array([iam_diffuse(float(t), N_AR) for t in planes["tilt"].ravel()])
        eff = (direct * iam_physical(poa["cos_aoi"], N_AR) + sky * diffuse[:, 0]
               + ground * diffuse[:, 1])
    else:
        from energy_model.solar.pvwatts import desoto_cover

        eff = np.where(direct + sky + ground > 0,
                       desoto_cover(_aoi(poa), planes["tilt"], direct, sky, ground, True), 0.0)
    eff = eff * poa["soiling"]
    if spec.spectral == "desoto_am":
        eff = eff * spectral_desoto(site["zenith"].reshape(-1, 1), loc.altitude)
    if spec.sun_down == "zero":
        eff = np.where(site["up"], eff, 0.0)
    return eff


def _aoi(poa) -> np.ndarray:
    """Angle of incidence [deg] from its cosine."""
    return np.degrees(np.arccos(np.clip(poa["cos_aoi"], -1.0, 1.0)))


def cell_temperature(poa, site, planes, arrays, loc, spec) -> np.ndarray:
    """Cell temperature of each plane [°C] (T, K)."""
    import pvlib

    incident = poa["incident"]
    if spec.temperature == "pvsyst":
        temp = pvlib.temperature.pvsyst_cell(
            incident, site["temp_air"], site["wind_speed"], u_c=planes["u_c"],
            u_v=planes["u_v"], module_efficiency=planes["efficiency"],
            alpha_absorption=ABSORPTANCE)
    else:
        from energy_model.solar.pvwatts import (PVWATTS_NOCT, noct_cell_temperature,
                                                transmitted_ratio)

        ratio = transmitted_ratio(_aoi(poa), planes["tilt"], poa["direct"], poa["sky"],
                                  poa["ground"], site["zenith"].reshape(-1, 1), loc.altitude,
                                  anti_reflective=False)
        noct = np.array([[PVWATTS_NOCT[arrays[j].thermal_mounting] for j in planes["array"]]])
        temp = noct_cell_temperature(incident, site["temp_air"], site["wind_speed"], noct,
                                     _pvwatts_module_efficiency(), ratio)
    return np.broadcast_to(temp, incident.shape)


def dc_to_ac(dc_unit, arrays, kwp, degradation, spec) -> tuple[np.ndarray, np.ndarray]:
    """Array DC after losses and degradation, and inverter AC [kW], each (T, A).

    ``dc_unit`` is the DC output per kW of module rating before system losses [kW/kW].
    """
    import pvlib

    losses = [a.losses for a in arrays]
    dc_loss = np.array([loss.dc_factor() for loss in losses])
    avail = np.array([1 - loss.availability_pct / 100 for loss in losses])
    if spec.shading_loss_at == "dc":
        dc_loss = dc_loss * np.array([1 - loss.shading_pct / 100 for loss in losses])
    if spec.availability_at == "dc":
        dc_loss = dc_loss * avail
    kwp = np.asarray(kwp, dtype=float).reshape(1, -1)
    dc = dc_unit * kwp * dc_loss * np.asarray(degradation, dtype=float)
    pac0 = kwp / np.array([a.dc_ac_ratio for a in arrays])
    eta = np.array([[a.inverter_efficiency for a in arrays]])
    if spec.inverter == "pvwatts":
        ac = np.clip(pvlib.inverter.pvwatts(dc, pac0 / eta, eta), 0.0, pac0)
    else:
        from energy_model.solar.pvwatts import (inverter_self_consumption_fraction,
                                                sandia_pvwatts_v8)

        pso = np.array([inverter_self_consumption_fraction(k) for k in kwp.ravel()])
        ac = sandia_pvwatts_v8(dc, pac0, eta, pso)
    if spec.availability_at == "ac":
        ac = ac * avail
    return dc, ac


def _pvwatts_module_efficiency() -> float:
    from energy_model.solar.pvwatts import STANDARD_MODULE as m

    return m["I_mp_ref"] * m["V_mp_ref"] / (1000.0 * m["A_c"])


def dc_per_kw(eff, temp_cell, arrays, planes, spec) -> np.ndarray:
    """DC power per kW of module rating on each plane, before system losses [kW/kW]."""
    from energy_model.solar.pvwatts import STANDARD_MODULE, single_diode_dc_per_watt

    if spec.module == "pvwatts_v8_standard":
        return single_diode_dc_per_watt(eff, temp_cell, STANDARD_MODULE, eg_ref=1.12)
    out = eff / 1000.0 * (1 + planes["gamma"] * (temp_cell - 25.0))
    named = [j for j, a in enumerate(arrays) if a.module is not None]
    if named:
        for j in named:
            cols = planes["array"] == j
            params = cec_module(arrays[j].module)
            out[:, cols] = single_diode_dc_per_watt(eff[:, cols], temp_cell[:, cols], params)
    return np.maximum(out, 0.0)
