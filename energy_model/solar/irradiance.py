"""Plane-of-array irradiance and optical losses, vectorised over time × planes.

Time-dependent inputs are 1-D arrays of length T (or (T, 1) columns); plane geometry
(tilt, azimuth) is a (1, K) row; results are (T, K). Every function is NaN-free by
construction: dawn and dusk cases are handled explicitly, never by turning NaN into 0
after the fact.
"""

from __future__ import annotations

import functools

import numpy as np
import pvlib

#: Refractive index of module glass, glazing extinction [1/m], thickness [m] (De Soto et
#: al. 2006; pvlib.iam.physical defaults).
N_GLASS, K_GLASS, L_GLASS = 1.526, 4.0, 0.002
#: Refractive index of a porous-silica anti-reflective coating (pvlib.iam.physical docs:
#: 1.29 for the coating of Sarver et al.).
N_AR = 1.29


def _col(x) -> np.ndarray:
    return np.asarray(x, dtype=float).reshape(-1, 1)


def _row(x) -> np.ndarray:
    """(1, K) row of per-plane values; a (T, K) table (tracker angles) is kept as is."""
    x = np.asarray(x, dtype=float)
    if x.ndim == 2:
        return x
    return np.atleast_1d(x).reshape(1, -1)


def aoi_cosine(surface_tilt, surface_azimuth, solar_zenith, solar_azimuth) -> np.ndarray:
    """Cosine of the angle of incidence on each plane [-] (may be negative).

    Parameters
    ----------
    surface_tilt, surface_azimuth : array (1, K)
        Plane tilt and azimuth [deg].
    solar_zenith, solar_azimuth : array (T, 1)
        Apparent solar zenith and azimuth [deg].
    """
    return pvlib.irradiance.aoi_projection(surface_tilt, surface_azimuth,
                                           solar_zenith, solar_azimuth)


def poa_components(surface_tilt, surface_azimuth, solar_zenith, solar_azimuth, dni, ghi,
                   dhi, dni_extra, airmass, albedo, model: str = "perez",
                   sun_down: str = "isotropic") -> dict[str, np.ndarray]:
    """Beam, sky-diffuse and ground-reflected irradiance on each plane [W/m²].

    Parameters
    ----------
    surface_tilt, surface_azimuth : array (1, K)
        Plane tilt and azimuth [deg].
    solar_zenith, solar_azimuth : array (T,)
        Apparent solar zenith and azimuth at the interval midpoints [deg].
    dni, ghi, dhi : array (T,)
        Direct normal, global and diffuse horizontal irradiance [W/m²].
    dni_extra : array (T,)
        Extraterrestrial normal irradiance [W/m²].
    airmass : array (T,)
        Relative air mass [-] (NaN when the sun is down).
    albedo : array (1, K)
        Ground albedo seen by each plane [-].
    model : {"perez", "haydavies"}
        Sky-diffuse transposition model.
    sun_down : {"isotropic", "zero"}
        Hours whose midpoint has the sun below the horizon but diffuse light in the data
        (sunrise and sunset hours): ``isotropic`` keeps that diffuse light with the
        isotropic sky model (Perez and Hay-Davies are undefined there); ``zero`` drops
        the hour, as PVWatts does.

    Returns
    -------
    dict
        ``poa_direct``, ``poa_sky_diffuse``, ``poa_ground_diffuse`` (T, K) [W/m²], and
        ``cos_aoi`` (T, K) [-].

    Notes
    -----
    Perez (1990, all-sites composite coefficients) is undefined when DHI = 0 (its
    clearness index divides by DHI): the sky diffuse is then exactly 0. The circumsolar
    term uses cos(zenith) floored at cos 85°, as pvlib does.
    """
    zen, azi = _col(solar_zenith), _col(solar_azimuth)
    dni, ghi, dhi = _col(dni), _col(ghi), _col(dhi)
    tilt, az = _row(surface_tilt), _row(surface_azimuth)
    up = zen < 90.0
    cos_aoi = aoi_cosine(tilt, az, np.where(up, zen, 90.0), azi)
    direct = np.where(up, dni * np.maximum(cos_aoi, 0.0), 0.0)
    iso = dhi * (1 + pvlib.tools.cosd(tilt)) / 2
    ground = ghi * _row(albedo) * (1 - pvlib.tools.cosd(tilt)) / 2
    has_sky = up & (dhi > 0)
    zen_up = np.where(up, zen, 0.0)
    dhi_s = np.where(has_sky, dhi, 1.0)  # placeholder where the model is undefined
    if model == "perez":
        am = np.where(up, _col(airmass), 1.0)
        sky = pvlib.irradiance.perez(tilt, az, dhi_s, np.where(has_sky, dni, 0.0),
                                     _col(dni_extra), zen_up, azi, am)
    elif model == "haydavies":
        sky = pvlib.irradiance.haydavies(tilt, az, dhi_s, np.where(has_sky, dni, 0.0),
                                         _col(dni_extra), zen_up, azi)
    else:
        raise ValueError(f"unknown transposition model {model!r}")
    sky = np.where(has_sky, sky, 0.0)
    if sun_down == "isotropic":
        sky = np.where(up, sky, iso)
    elif sun_down == "zero":
        ground = np.where(up, ground, 0.0)
    else:
        raise ValueError(f"unknown sun_down rule {sun_down!r}")
    return {"poa_direct": direct, "poa_sky_diffuse": np.broadcast_to(sky, direct.shape),
            "poa_ground_diffuse": np.broadcast_to(ground, direct.shape), "cos_aoi": cos_aoi}


# --------------------------------------------------------------------------------------
# Row-to-row (self) shading of fixed-tilt rows
# --------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def sky_diffuse_row_factor(surface_tilt: float, gcr: float) -> float:
    """Share of the isotropic sky a row still sees behind the row in front [-].

    Parameters
    ----------
    surface_tilt : float
        Row tilt [deg].
    gcr : float
        Ground coverage ratio [-].

    Notes
    -----
    The row-averaged sky view of an infinitely long row behind an identical row, as in
    NREL SSC ``lib_pvshade.cpp`` (``sssky_diffuse_table``, after Deline et al. 2013):
    the visible sky solid-angle fraction averaged over 1,000 points up the row slope.
    """
    if surface_tilt <= 0:
        return 1.0
    t = np.radians(surface_tilt)
    step = np.arange(1000) / 1000.0
    a_sky = np.pi + np.pi / np.sqrt(1 + np.tan(t) ** 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        arg = 1 / np.tan(t) - 1 / (gcr * np.sin(t) * (1 - step))
        gamma = -np.pi / 2 + np.arctan(arg)
        tg = np.tan(t + gamma)
        shade = np.pi + np.pi / np.sqrt(1 + tg * tg)
    shade = np.where(np.isnan(shade), a_sky, shade)
    shade = np.where(t + gamma > np.pi / 2, 2 * np.pi - shade, shade)
    return float(np.mean(shade / a_sky))


def row_shading(surface_tilt, surface_azimuth, gcr, solar_zenith, solar_azimuth, dni, dhi,
                albedo, nrows=np.inf, row_length=np.inf) -> dict[str, np.ndarray]:
    """Linear row-to-row shading factors of fixed-tilt rows [-].

    Parameters
    ----------
    surface_tilt, surface_azimuth : array (1, K)
        Row tilt and azimuth [deg].
    gcr : array (1, K)
        Ground coverage ratio [-]; NaN for planes without rows (factors 1).
    solar_zenith, solar_azimuth : array (T,)
        Apparent solar zenith and azimuth [deg].
    dni, dhi : array (T,)
        Direct normal and diffuse horizontal irradiance [W/m²].
    albedo : array (1, K)
        Ground albedo [-].
    nrows : float or array (1, K), default inf
        Number of rows, for the ground-reflected derate (the first row sees open ground;
        PVWatts estimates the count from the system size).
    row_length : float or array (1, K), default inf
        Row length in units of the row's slant height; finite only to mirror PVWatts'
        small systems, whose shadow slides off the end of short rows.

    Returns
    -------
    dict
        ``beam`` (shaded fraction of the row area, as 1 − fraction), ``sky`` and
        ``ground`` (view-factor derates of sky and ground-reflected diffuse), each (T, K).

    Notes
    -----
    Beam: Appelbaum & Bany (1979) shadow height on rows much longer than their slant
    height, counted linearly (the shaded area produces nothing, the rest is unaffected),
    as PVWatts v8 does. Real strings in portrait lose more than the shaded area; rows
    designed for no shading between 9:00 and 15:00 make this second-order. Sky diffuse:
    :func:`sky_diffuse_row_factor`. Ground-reflected: the reduced view of sunlit ground
    between rows (NREL SSC ``diffuse_reduce``).
    """
    zen, azi = _col(solar_zenith), _col(solar_azimuth)
    tilt, az, gcr = _row(surface_tilt), _row(surface_azimuth), _row(gcr)
    rows = ~np.isnan(gcr)
    g = np.where(rows, gcr, 0.5)
    up = zen < 90.0
    az_eff = azi - az
    elev = 90.0 - np.where(up, zen, 89.0)
    facing = up & (np.abs(az_eff) < 90.0) & (tilt != 0)
    # Appelbaum eqn 12 with A = 1: projected shadow length along the ground
    py = np.cos(np.radians(tilt)) + np.cos(np.radians(az_eff)) * np.sin(np.radians(tilt)) \
        / np.tan(np.radians(elev))
    r = 1.0 / g
    with np.errstate(divide="ignore", invalid="ignore"):
        hs = np.where(facing & (py > 0), 1.0 - r / py, 0.0)
        # Appelbaum eqn 11 and A12: shadow offset along the row (0 for long rows)
        px = np.sin(np.radians(tilt)) * np.sin(np.radians(az_eff)) / np.tan(np.radians(elev))
        length = _row(row_length)
        offset = np.where(facing & (py > 0), r * px / py, 0.0)
        offset = np.clip(offset, 0.0, length)
        along = np.where(np.isfinite(length), 1.0 - offset / length, 1.0)
    beam = 1.0 - np.clip(hs, 0.0, 1.0) * along
    sky = np.array([[sky_diffuse_row_factor(float(t), float(c)) if ok else 1.0
                     for t, c, ok in zip(tilt.ravel(), g.ravel(), rows.ravel())]])
    # ground-reflected: SSC diffuse_reduce with B = 1, R = 1/gcr
    alb = _row(albedo)
    f1 = alb * np.sin(np.radians(tilt / 2)) ** 2
    solalt = np.maximum(elev, 0.5)
    y1 = np.maximum(r - np.sin(np.radians(180 - solalt - tilt)) / np.sin(np.radians(solalt)),
                    1e-5)
    f2 = 0.5 * (1 + y1 - np.sqrt(y1 ** 2 - 2 * y1 * np.cos(np.radians(180 - tilt)) + 1))
    f3 = 0.5 * (1 + r - np.sqrt(r ** 2 - 2 * r * np.cos(np.radians(180 - tilt)) + 1))
    n = np.minimum(_row(nrows), 1e9)
    gbh = _col(dni) * np.cos(np.radians(np.where(up, zen, 90.0)))
    gdh = _col(dhi)
    gr1 = f1 * (gbh + gdh)
    reduced = (f1 + (n - 1) * f1 * f2) / n * gbh + (f1 + (n - 1) * f1 * f3) / n * gdh
    with np.errstate(divide="ignore", invalid="ignore"):
        ground = np.where(gr1 > 0, reduced / np.where(gr1 > 0, gr1, 1.0), 1.0)
    ground = np.clip(ground, 0.0, 1.0)
    ones = np.ones_like(beam)
    return {"beam": np.where(rows, beam, 1.0),
            "sky": np.where(rows, sky * ones, 1.0),
            "ground": np.where(rows & up, ground, 1.0)}


# --------------------------------------------------------------------------------------
# Incidence-angle and spectral modifiers
# --------------------------------------------------------------------------------------


def iam_physical(cos_aoi, n_ar: float | None = N_AR) -> np.ndarray:
    """Beam incidence-angle modifier of glass with an optional AR coating [-].

    Parameters
    ----------
    cos_aoi : array
        Cosine of the angle of incidence [-]; ≤ 0 gives 0.
    n_ar : float or None
        Refractive index of the anti-reflective coating; None for bare glass.

    Notes
    -----
    Fresnel and Snell with Bouguer absorption (De Soto et al. 2006), pvlib
    ``iam.physical`` with n = 1.526, K = 4 /m, L = 2 mm, normalised at normal incidence.
    """
    aoi = np.degrees(np.arccos(np.clip(cos_aoi, -1.0, 1.0)))
    out = pvlib.iam.physical(np.minimum(aoi, 90.0), n=N_GLASS, K=K_GLASS, L=L_GLASS,
                             n_ar=n_ar)
    return np.where(cos_aoi > 0, np.nan_to_num(out, nan=0.0), 0.0)


@functools.lru_cache(maxsize=256)
def iam_diffuse(surface_tilt: float, n_ar: float | None = N_AR) -> tuple[float, float]:
    """Sky- and ground-diffuse incidence-angle modifiers of a plane [-].

    Parameters
    ----------
    surface_tilt : float
        Plane tilt [deg].
    n_ar : float or None
        Refractive index of the AR coating.

    Returns
    -------
    tuple
        (sky, ground) modifiers, isotropic-sky integrals of :func:`iam_physical`
        (Marion 2017, pvlib ``iam.marion_diffuse``).
    """
    d = pvlib.iam.marion_diffuse("physical", surface_tilt, n=N_GLASS, K=K_GLASS, L=L_GLASS,
                                 n_ar=n_ar)
    ground = float(d["ground"]) if surface_tilt > 0 else 0.0  # a flat plane sees no ground
    return float(d["sky"]), ground


def absolute_airmass(apparent_zenith, altitude: float) -> np.ndarray:
    """Pressure-corrected air mass, Kasten & Young (1989), as the Sandia and CEC models [-].

    Parameters
    ----------
    apparent_zenith : array
        Apparent solar zenith [deg]; clipped to 86° as NREL SSC does.
    altitude : float
        Site altitude [m].
    """
    z = np.clip(apparent_zenith, 0.0, 86.0)
    am = 1.0 / (np.cos(np.radians(z)) + 0.5057 * (96.080 - z) ** -1.634)
    return am * np.exp(-0.0001184 * altitude)


#: Air-mass modifier polynomial of De Soto et al. (2006) for c-Si, used by SAM's CEC model.
DESOTO_AM_COEFFICIENTS = (0.918093, 0.086257, -0.024459, 0.002816, -0.000126)


def spectral_desoto(apparent_zenith, altitude: float) -> np.ndarray:
    """Spectral (air-mass) modifier of De Soto et al. 2006 for c-Si [-].

    Parameters
    ----------
    apparent_zenith : array
        Apparent solar zenith [deg].
    altitude : float
        Site altitude [m].
    """
    am = absolute_airmass(apparent_zenith, altitude)
    f = sum(c * am ** i for i, c in enumerate(DESOTO_AM_COEFFICIENTS))
    return np.maximum(f, 0.0)
