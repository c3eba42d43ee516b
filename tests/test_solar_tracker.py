"""Single-axis trackers with backtracking (issue 20, item 4), checked against pvlib's own
ModelChain with a SingleAxisTrackerMount on the same weather."""
from __future__ import annotations

import pandas as pd
import pvlib
import pytest
from pvlib.location import Location
from pvlib.modelchain import ModelChain
from pvlib.pvsystem import Array, PVSystem, SingleAxisTrackerMount
from pydantic import ValidationError

from energy_model.economics import load_costs
from energy_model.paths import shipped_dir
from energy_model.solar import simulate_pv
from energy_model.scenario.pv import ABSORPTANCE, Losses, PVArray
from energy_model.solar.irradiance import K_GLASS, L_GLASS, N_AR, N_GLASS
from energy_model.weather.normals import load_normals
from energy_model.weather.synthetic import synthesize

SITE = {"latitude": 20.95, "longitude": 107.07, "altitude": 10.0}  # Bãi Cháy, Hạ Long


@pytest.fixture(scope="module")
def weather():
    normals = load_normals(shipped_dir("weather") / "quang_ninh_normals.csv")
    return synthesize(normals, "bai_chay", 2030, 3)["bai_chay"][0]


def _tracker(**kw):
    spec = dict(name="trk", kind="ground", tracking="single_axis", gcr=0.35, fixed_kwp=1000,
                losses=Losses.lumped(0.0), dc_ac_ratio=1.0, degradation_pct_per_year=0.0)
    spec.update(kw)
    return PVArray(**spec)


def _pvlib_reference(weather, array: PVArray, fd: float):
    """pvlib's single-axis ModelChain with the chain's models: Perez, physical AR optics
    (diffuse modifier given as FD), PVsyst temperature with the same U-values, PVWatts DC."""
    u_c, u_v = array.u_values()
    mount = SingleAxisTrackerMount(axis_tilt=array.axis_tilt, axis_azimuth=array.axis_azimuth,
                                   max_angle=array.max_angle, backtrack=array.backtrack,
                                   gcr=array.gcr)
    module = {"pdc0": 1000.0, "gamma_pdc": array.gamma_pdc, "n": N_GLASS, "K": K_GLASS,
              "L": L_GLASS, "n_ar": N_AR, "FD": fd}
    temp = {"u_c": u_c, "u_v": u_v, "module_efficiency": array.module_efficiency,
            "alpha_absorption": ABSORPTANCE}
    system = PVSystem(arrays=[Array(mount, module_parameters=module,
                                    temperature_model_parameters=temp)],
                      inverter_parameters={"pdc0": 1000.0 / 0.98, "eta_inv_nom": 0.98})
    loc = Location(SITE["latitude"], SITE["longitude"], altitude=SITE["altitude"],
                   tz=str(weather.index.tz))
    mc = ModelChain(system, loc, transposition_model="perez", aoi_model="physical",
                    spectral_model="no_loss", temperature_model="pvsyst", dc_model="pvwatts",
                    ac_model="pvwatts", losses_model="no_loss")
    mid = weather.copy()
    mid.index = mid.index + pd.Timedelta(minutes=30)  # the chain's sun is at mid-interval
    mc.run_model(mid[["ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure"]])
    return mc, mount


def test_tracker_yield_matches_pvlib_single_axis_modelchain_within_1pct(weather):
    array = _tracker()
    ours = simulate_pv(weather, SITE, [array], operating_year=1, check=False)
    # first pass: pvlib's tracker angles give the daylight-mean tilt for the diffuse modifier
    mc, mount = _pvlib_reference(weather, array, fd=1.0)
    sun = mc.results.solar_position
    tilt = mount.get_orientation(sun["apparent_zenith"], sun["azimuth"])["surface_tilt"]
    mean_tilt = float(tilt[sun["apparent_zenith"] < 90].mean())
    fd = float(pvlib.iam.marion_diffuse("physical", mean_tilt, n=N_GLASS, K=K_GLASS,
                                        L=L_GLASS, n_ar=N_AR)["sky"])
    mc, _ = _pvlib_reference(weather, array, fd=fd)
    poa_ours = ours["trk_poa_global"].sum() / 1000
    poa_ref = mc.results.total_irrad["poa_global"].fillna(0).sum() / 1000
    dc_ours = ours["trk_dc_kw"].sum() / 1000
    dc_ref = mc.results.dc.fillna(0).sum() / 1000
    assert 1400 < poa_ref < 1700  # kWh/m²: a tracker at 21° N under 1,342 kWh/m² GHI
    assert poa_ours == pytest.approx(poa_ref, rel=0.01)   # measured -0.34 %
    assert dc_ours == pytest.approx(dc_ref, rel=0.01)     # measured +0.16 %


def test_tracker_gains_over_fixed_tilt_at_this_latitude(weather):
    fixed = PVArray(name="fix", kind="ground", tilt=20, azimuth=180, fixed_kwp=1000)
    tracker = PVArray(name="trk", kind="ground", tracking="single_axis", fixed_kwp=1000)
    r = simulate_pv(weather, SITE, [fixed, tracker], operating_year=1, check=False)
    gain = r["trk_ac_kw"].sum() / r["fix_ac_kw"].sum() - 1
    # one-axis trackers gain ~10–20 % at low latitudes; less in a diffuse (hazy) climate
    assert 0.08 < gain < 0.20, gain
    specific = r["trk_ac_kw"].sum() / 1000
    assert 1050 < specific < 1350  # kWh/kWp, above the 950–1,100 band of fixed tilt


def test_backtracking_keeps_more_energy_than_no_backtracking_at_high_gcr(weather):
    on = simulate_pv(weather, SITE, [_tracker(gcr=0.5)], operating_year=1, check=False)
    off = simulate_pv(weather, SITE, [_tracker(gcr=0.5, backtrack=False)], operating_year=1,
                      check=False)
    # without backtracking and without row shading, the tracker faces the sun more:
    # more POA; backtracking gives some up to avoid shade (the chain models no shade then)
    assert on["trk_poa_global"].sum() < off["trk_poa_global"].sum()


@pytest.mark.parametrize("spec, message", [
    (dict(kind="rooftop"), "for ground arrays only; array 'trk' is rooftop"),
    (dict(kind="floating"), "for ground arrays only; array 'trk' is floating"),
    (dict(tilt=20), "give axis_tilt/axis_azimuth instead of tilt"),
    (dict(tracking="fixed", max_angle=45), "apply to tracking: single_axis only"),
])
def test_tracker_validation(spec, message):
    base = dict(name="trk", kind="ground", tracking="single_axis")
    base.update(spec)
    with pytest.raises(ValidationError, match=message):
        PVArray(**base)


def test_tracker_cost_row_is_in_the_cost_table_with_a_mark():
    rows = load_costs().rows.set_index("name")
    row = rows.loc["pv_ground_tracker_capex_adder"]
    assert row["unit"] == "VND/kWp" and row["mark"] == "E"
    assert 0.05 < float(row["value"]) / float(rows.loc["pv_ground_capex", "value"]) < 0.20
