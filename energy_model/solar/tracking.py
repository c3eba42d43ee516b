"""Single-axis trackers (with backtracking) for ground arrays, through pvlib.tracking.

:func:`tracker_planes` turns the tracker planes of a plane table into time-varying
surface tilt and azimuth (``tilt_t``, ``azimuth_t``, (T, K)), which the chain's own
transposition (Perez), optics, temperature (PVsyst) and DC/AC steps then use as they use
fixed planes. Fixed planes are broadcast unchanged.

Modelling choices (stated; mark E where they are ours):

- rotation angles from :func:`pvlib.tracking.singleaxis` at the interval midpoints, with
  the array's ``axis_tilt``, ``axis_azimuth``, ``max_angle``, ``backtrack`` and ``gcr``;
- with backtracking, rows do not shade each other's beam, so the chain's fixed-row shading
  is not applied to tracker planes; the sky-diffuse row loss is also left out, as in
  pvlib's ModelChain (E, small at tracker GCRs of 0.3–0.4);
- when the sun is down the tracker stows flat (tilt 0), where pvlib returns NaN;
- the diffuse incidence-angle modifier uses the daylight-mean tilt of the tracker (E).
"""
from __future__ import annotations

import numpy as np

from energy_model.scenario.pv import DEFAULT_TRACKER_GCR  # noqa: F401 (re-exported)


def tracker_angles(apparent_zenith, solar_azimuth, axis_tilt: float, axis_azimuth: float,
                   max_angle: float, backtrack: bool, gcr: float) -> tuple[np.ndarray, np.ndarray]:
    """Surface tilt and azimuth of a single-axis tracker [deg], each (T,); flat when dark."""
    import pvlib

    zen = np.asarray(apparent_zenith, dtype=float).ravel()
    azi = np.asarray(solar_azimuth, dtype=float).ravel()
    out = pvlib.tracking.singleaxis(zen, azi, axis_tilt=axis_tilt, axis_azimuth=axis_azimuth,
                                    max_angle=max_angle, backtrack=backtrack, gcr=gcr)
    tilt = np.asarray(out["surface_tilt"], dtype=float)
    az = np.asarray(out["surface_azimuth"], dtype=float)
    dark = ~np.isfinite(tilt)
    tilt = np.where(dark, 0.0, tilt)
    az = np.where(dark | ~np.isfinite(az), (axis_azimuth + 90.0) % 360.0, az)
    return tilt, az


def tracker_planes(planes: dict, arrays, site: dict) -> dict:
    """The plane table with ``tilt_t``/``azimuth_t`` (T, K) when any array tracks the sun.

    Tracker planes also get ``gcr`` NaN (no fixed-row shading, see the module notes) and
    ``tilt`` set to the tracker's daylight-mean tilt (used by the diffuse optics).
    """
    idx = [k for k, j in enumerate(planes["array"])
           if getattr(arrays[j], "tracking", "fixed") == "single_axis"]
    if not idx:
        return planes
    zen, azi = site["zenith"], site["azimuth"]
    t_count, k_count = len(np.ravel(zen)), planes["tilt"].shape[1]
    tilt_t = np.broadcast_to(planes["tilt"], (t_count, k_count)).copy()
    az_t = np.broadcast_to(planes["azimuth"], (t_count, k_count)).copy()
    out = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in planes.items()}
    up = np.ravel(zen) < 90.0
    for k in idx:
        a = arrays[planes["array"][k]]
        tilt, az = tracker_angles(zen, azi, a.axis_tilt, a.axis_azimuth, a.max_angle,
                                  a.backtrack, a.tracker_gcr())
        tilt_t[:, k], az_t[:, k] = tilt, az
        out["tilt"][0, k] = float(tilt[up].mean()) if up.any() else 0.0
        out["gcr"][0, k] = np.nan
    out["tilt_t"], out["azimuth_t"] = tilt_t, az_t
    return out

