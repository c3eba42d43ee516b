"""Tests of energy_model.wind: library, power-curve files, farm spec, physics, simulation."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from energy_model import wind
from energy_model.errors import InvariantError, ScenarioError, WeatherError
from energy_model.wind import WindFarm
from energy_model.wind.turbines import _parse_hub_heights

TZ = "Asia/Ho_Chi_Minh"


def weibull_weather(mean_10m=4.5, k=2.0, n=8760, temp_c=25.0, pressure_pa=101000.0, seed=7,
                    **attrs) -> pd.DataFrame:
    """Hourly canonical weather with Weibull-distributed 10 m wind, fixed seed."""
    rng = np.random.default_rng(seed)
    scale = mean_10m / math.gamma(1 + 1 / k)
    idx = pd.date_range("2030-01-01", periods=n, freq="h", tz=TZ)
    df = pd.DataFrame({"wind_speed": scale * rng.weibull(k, n), "temp_air": temp_c,
                       "pressure": pressure_pa}, index=idx)
    df.attrs = {"wind_height_m": 10.0, **attrs}
    return df


# ---------------------------------------------------------------- library ---------------

def test_library_has_windpowerlib_curves_and_shipped_small_medium():
    lib = wind.turbine_library()
    assert list(lib.columns[:5]) == ["name", "nominal_kw", "rotor_diameter_m", "hub_heights",
                                     "max_cp"]
    assert len(lib) == 67 + 2
    assert lib["name"].is_unique
    small = lib[(lib.nominal_kw >= 100) & (lib.nominal_kw <= 1000)]
    assert {"Generic-24/100", "Generic-54/500"} <= set(small.name)
    e82 = wind.get_turbine("E-82/2000")
    assert e82.nominal_kw == 2000.0 and e82.rotor_diameter_m == 82.0
    assert e82.hub_heights_m == (78.0, 84.0, 85.0, 98.0, 108.0, 138.0)
    assert np.all(np.diff(e82.power_curve.wind_speed) > 0)
    # German decimal commas in windpowerlib's hub heights are read as decimals
    assert _parse_hub_heights("68,5;80,0;100,0") == (68.5, 80.0, 100.0)


def test_get_turbine_unknown_suggests():
    with pytest.raises(ScenarioError, match="did you mean .*'E-82/2000'"):
        wind.get_turbine("E-82/200")


def test_library_curves_are_immutable():
    t = wind.get_turbine("E-82/2000")
    with pytest.raises(ValueError):
        t.power_curve.power_kw[10] = 0.0


def test_shipped_generic_curves_are_sams_design_model():
    """The shipped curves are exactly what SAM's turbine design model gives (their basis)."""
    import PySAM.Windpower as PySAM_wp
    for name, size, d, cp, tip in (("Generic-24/100", 100, 24, 0.40, 60),
                                   ("Generic-54/500", 500, 54, 0.45, 70)):
        m = PySAM_wp.default("WindPowerNone")
        m.Turbine.calculate_powercurve(turbine_size=size, rotor_diameter=d, elevation=0,
                                       max_cp=cp, max_tip_speed=tip, max_tip_sp_ratio=8,
                                       cut_in=3, cut_out=25, drive_train=3)
        ws = np.array(m.Turbine.wind_turbine_powercurve_windspeeds)
        kw = np.array(m.Turbine.wind_turbine_powercurve_powerout)
        t = wind.get_turbine(name)
        keep = ws <= 25.0
        np.testing.assert_allclose(t.power_curve.wind_speed, ws[keep])
        np.testing.assert_allclose(t.power_curve.power_kw, kw[keep], atol=0.006)
        assert t.nominal_kw == size and t.mark == "E"
        # physically sane: electrical Cp below Betz and of a real turbine
        assert 0.35 < t.max_power_coefficient < 0.45


# ---------------------------------------------------------------- power curve files -----

def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


GOOD_CSV = """# name: My-30/250
# nominal_kw: 250
# rotor_diameter_m: 30
# hub_heights_m: 40; 50
wind_speed,power_kw
0,0
3,0
4,10
6,50
8,120
10,200
12,250
25,250
"""


def test_load_power_curve_csv(tmp_path):
    t = wind.load_power_curve(write(tmp_path, "c.csv", GOOD_CSV))
    assert t.name == "My-30/250" and t.nominal_kw == 250 and t.rotor_diameter_m == 30
    assert t.hub_heights_m == (40.0, 50.0)
    np.testing.assert_array_equal(t.power_curve.wind_speed, [0, 3, 4, 6, 8, 10, 12, 25])
    assert t.mark == "user"


def test_load_power_curve_yaml_pairs_and_mapping(tmp_path):
    pairs = write(tmp_path, "p.yaml", "name: Y\nnominal_kw: 250\nrotor_diameter_m: 30\n"
                                      "power_curve:\n  - [0, 0]\n  - [4, 10]\n  - [12, 250]\n")
    mapping = write(tmp_path, "m.yml", "name: Y\nnominal_kw: 250\nrotor_diameter_m: 30\n"
                                       "power_curve:\n  wind_speed: [0, 4, 12]\n"
                                       "  power_kw: [0, 10, 250]\n")
    for p in (pairs, mapping):
        t = wind.load_power_curve(p)
        np.testing.assert_array_equal(t.power_curve.power_kw, [0, 10, 250])


@pytest.mark.parametrize("body, line, message", [
    # duplicated wind speed (the dena trap) on line 7
    ("wind_speed,power_kw\n0,0\n4,10\n4,12\n12,250\n", 7, "does not increase"),
    # power given in W: far above 1.1 × nominal
    ("wind_speed,power_kw\n0,0\n4,10000\n12,250000\n", 6, "is the curve in W"),
    ("wind_speed,power_kw\n0,0\n4,-5\n12,250\n", 6, "negative"),
    ("wind_speed,power_kw\n0,0\n4,abc\n12,250\n", 6, "must be numbers"),
    ("wind_speed,power_kw\n0,0\n45,250\n", 6, "outside 0–40"),
])
def test_power_curve_errors_name_file_and_line(tmp_path, body, line, message):
    head = "# name: X\n# nominal_kw: 250\n# rotor_diameter_m: 30\n"
    p = write(tmp_path, "bad.csv", head + body)
    with pytest.raises(ScenarioError) as exc:
        wind.load_power_curve(p)
    text = str(exc.value)
    assert f"{p}:{line}" in text and message in text


def test_power_curve_in_mw_and_betz(tmp_path):
    head = "# name: X\n# nominal_kw: 250\n# rotor_diameter_m: 30\n"
    p = write(tmp_path, "mw.csv", head + "wind_speed,power_kw\n0,0\n12,0.25\n")
    with pytest.raises(ScenarioError, match="is the curve in MW"):
        wind.load_power_curve(p)
    # rotor radius given instead of diameter: 250 kW at 8 m/s from a 15 m rotor is Cp 1.5
    head_r = "# name: X\n# nominal_kw: 250\n# rotor_diameter_m: 15\n"
    p = write(tmp_path, "betz.csv", head_r + "wind_speed,power_kw\n0,0\n8,250\n")
    with pytest.raises(ScenarioError, match="Betz limit") as exc:
        wind.load_power_curve(p)
    assert f"{p}:6" in str(exc.value)


def test_power_curve_yaml_errors(tmp_path):
    p = write(tmp_path, "y.yaml", "name: Y\nnominal_kw: 250\nrotor_diameter_m: 30\n"
                                  "power_curve:\n  - [0, 0]\n  - [4]\n")
    with pytest.raises(ScenarioError, match=r"y.yaml:6.*pair"):
        wind.load_power_curve(p)
    p = write(tmp_path, "k.yaml", "name: Y\nnominal_kw: 250\nrotor_diam: 30\n"
                                  "power_curve:\n  - [0, 0]\n")
    with pytest.raises(ScenarioError, match=r"k.yaml:3.*unknown key 'rotor_diam'"):
        wind.load_power_curve(p)
    p = write(tmp_path, "n.yaml", "name: Y\nrotor_diameter_m: 30\npower_curve:\n  - [0, 0]\n"
                                  "  - [9, 5]\n")
    with pytest.raises(ScenarioError, match="missing 'nominal_kw'"):
        wind.load_power_curve(p)
    with pytest.raises(ScenarioError, match="not found"):
        wind.load_power_curve(tmp_path / "nope.csv")
    with pytest.raises(ScenarioError, match="unknown power curve format"):
        wind.load_power_curve(write(tmp_path, "c.txt", "x"))


# ---------------------------------------------------------------- farm spec -------------

def test_windfarm_validation():
    WindFarm(name="ok", turbine="E-82/2000", hub_height_m=80, count=2)
    bad = [
        dict(name="a", hub_height_m=80, count=1),  # no turbine
        dict(name="a", turbine="E-82/2000", power_curve="x.csv", hub_height_m=80, count=1),
        dict(name="a", turbine="E-82/2000", hub_height_m=80),  # neither count nor max
        dict(name="a", turbine="E-82/2000", hub_height_m=80, count=1, max_count=3),
        dict(name="a", turbine="E-82/2000", hub_height_m=80, count=1, terrain="sea",
             roughness_length_m=0.1),
        dict(name="a", turbine="E-82/2000", hub_height_m=80, count=1, hellman_exponent=0.14,
             terrain="sea"),
        dict(name="a", turbine="E-82/2000", hub_height_m=80, count=2, wake="dena_mean",
             farm_efficiency=0.9),
        dict(name="a", turbine="E-82/2000", hub_height_m=80, count=1, terrain="forest"),
        dict(name="a", turbine="E-82/2000", hub_height_m=80, count=1, availability=1.2),
        dict(name="a", turbine="E-82/2000", hub_height_m=80, count=1, colour="red"),
        dict(name="a b", turbine="E-82/2000", hub_height_m=80, count=1),
    ]
    for spec in bad:
        with pytest.raises(ValidationError):
            WindFarm(**spec)
    farm = WindFarm(name="ok", turbine="E-82/2000", hub_height_m=80, count=2)
    with pytest.raises(ValidationError):
        farm.count = 3  # frozen


def test_wake_default_follows_fleet_size():
    one = WindFarm(name="a", turbine="E-82/2000", hub_height_m=80, count=1)
    many = WindFarm(name="a", turbine="E-82/2000", hub_height_m=80, count=5)
    sized = WindFarm(name="a", turbine="E-82/2000", hub_height_m=80, max_count=20)
    const = WindFarm(name="a", turbine="E-82/2000", hub_height_m=80, count=5, farm_efficiency=0.9)
    assert (one.wake_model, many.wake_model, sized.wake_model, const.wake_model) == (
        "none", "dena_mean", "dena_mean", "none")


def test_hub_below_blade_tip_is_refused():
    farm = WindFarm(name="low", turbine="E-82/2000", hub_height_m=40, count=1)
    with pytest.raises(ScenarioError, match="blade tip"):
        wind.simulate_wind(weibull_weather(), farm)


def test_terrain_table_has_a_basis_for_every_class():
    assert set(wind.TERRAIN_ROUGHNESS_M) == set(wind.TERRAIN_BASIS)
    literal = WindFarm.model_fields["terrain"].annotation.__args__[0].__args__
    assert set(literal) == set(wind.TERRAIN_ROUGHNESS_M)
    z = [wind.TERRAIN_ROUGHNESS_M[k] for k in ("sea", "coast", "open", "suburban", "industrial")]
    assert z == sorted(z)


# ---------------------------------------------------------------- physics ---------------

def test_height_extrapolation_hand_calculation():
    """Log and power-law profiles against a hand calculation.

    Single log profile, v10 = 5.0 m/s, z0 = 0.03 m (open), hub 80 m:
        ln(80/0.03) = 7.888585, ln(10/0.03) = 5.809143
        v80 = 5.0 × 7.888585 / 5.809143 = 6.789801 m/s
    Two steps, station z0 = 0.03 m, site z0 = 0.0002 m (sea), blending height 60 m:
        v60 = 5.0 × ln(60/0.03) / ln(10/0.03) = 5.0 × 7.600902 / 5.809143 = 6.542189 m/s
        v80 = 6.542189 × ln(80/0.0002) / ln(60/0.0002)
            = 6.542189 × 12.899220 / 12.611538 = 6.691423 m/s
    Hellman, α = 1/7: v80 = 5.0 × 8^(1/7) = 5.0 × 1.345900 = 6.729501 m/s
    """
    assert wind.hub_wind_speed(5.0, 10, 80, 0.03) == pytest.approx(6.789801, abs=1e-6)
    assert wind.hub_wind_speed(5.0, 10, 80, 0.03, 0.0002) == pytest.approx(6.691423, abs=1e-6)
    assert wind.hub_wind_speed(5.0, 10, 80, 0.03, hellman_exponent=1 / 7) == pytest.approx(
        6.729501, abs=1e-6)
    # equal roughness: the blending height cancels
    assert wind.hub_wind_speed(5.0, 10, 80, 0.1, 0.1) == pytest.approx(
        5.0 * math.log(800) / math.log(100), rel=1e-12)
    # vectorised, and the same inside simulate_wind
    df = weibull_weather(terrain="open")
    farm = WindFarm(name="f", turbine="E-82/2000", hub_height_m=80, count=1)
    out = wind.simulate_wind(df, farm)
    np.testing.assert_allclose(out["f_wind_speed_hub"], df["wind_speed"] * 6.789801 / 5.0,
                               rtol=1e-6)


def test_hub_air_density_hand_calculation():
    """30 °C and 100,800 Pa at 2 m, hub at 80 m:
    T_hub = 303.15 − 0.0065 × 78 = 302.643 K; p_hub = 100,800 − 78 × 12.5 = 99,825 Pa;
    ρ = 99,825 / (287.058 × 302.643) = 1.149050 kg/m³.
    """
    assert wind.hub_air_density(30.0, 100800.0, 80.0) == pytest.approx(1.149050, abs=1e-6)
    # windpowerlib's barometric formula agrees within 0.2 %
    assert wind.hub_air_density(30.0, 100800.0, 80.0, model="barometric") == pytest.approx(
        1.149050, rel=2e-3)


def test_wake_curve_duplicate_dropped():
    ws, eff = wind.wind_efficiency_curve("dena_mean")
    assert np.all(np.diff(ws) > 0)
    from windpowerlib.wake_losses import get_wind_efficiency_curve

    raw = get_wind_efficiency_curve("dena_mean")
    assert raw["wind_speed"].duplicated().sum() == 1  # the trap exists upstream
    assert len(ws) == len(raw) - 1
    # at 8 m/s the dena mean farm sees 95 % of the free wind speed
    assert wind.reduce_wind_speed(8.0, "dena_mean") == pytest.approx(8.0 * np.interp(8.0, ws, eff))
    assert 0.93 < wind.reduce_wind_speed(8.0, "dena_mean") / 8.0 < 0.97


def test_vectorised_density_correction_equals_windpowerlib():
    from windpowerlib.power_output import power_curve_density_correction

    t = wind.get_turbine("E-82/2000")
    rng = np.random.default_rng(3)
    v = np.concatenate([rng.uniform(0, 30, 5000), t.power_curve.wind_speed])
    rho = rng.uniform(1.05, 1.30, v.size)
    ours = wind.power_from_curve(v, t.power_curve, rho, block=777)
    ref = power_curve_density_correction(v, t.power_curve.wind_speed, t.power_curve.power_kw, rho)
    np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-9)
    # at 1.225 kg/m³ the correction is the identity
    np.testing.assert_allclose(wind.power_from_curve(v, t.power_curve, np.full(v.size, 1.225)),
                               np.interp(v, t.power_curve.wind_speed, t.power_curve.power_kw,
                                         left=0, right=0), atol=1e-9)


def test_smoothing_matches_windpowerlib_and_keeps_energy_shape():
    from windpowerlib.power_curves import smooth_power_curve

    t = wind.get_turbine("Generic-54/500")
    ours = wind.smooth_power_curve(t.power_curve)
    ref = smooth_power_curve(pd.Series(t.power_curve.wind_speed),
                             pd.Series(t.power_curve.power_kw),
                             standard_deviation_method="Staffell_Pfenninger")
    np.testing.assert_allclose(ours.power_kw, ref["value"], rtol=1e-12)
    # smoothing lifts the cut-in region and lowers the knee below rated
    p_raw = np.interp([4.0, 9.5], t.power_curve.wind_speed, t.power_curve.power_kw)
    p_s = np.interp([4.0, 9.5], ours.wind_speed, ours.power_kw)
    assert p_s[0] > p_raw[0] and p_s[1] < p_raw[1]


def test_weibull_fit_matches_scipy_mle():
    from scipy.stats import weibull_min

    rng = np.random.default_rng(11)
    x = 6.0 * rng.weibull(1.8, 20000)
    k, c = wind.weibull_fit(x)
    k_ref, _, c_ref = weibull_min.fit(x, floc=0)
    assert k == pytest.approx(k_ref, rel=1e-4) and c == pytest.approx(c_ref, rel=1e-4)
    assert k == pytest.approx(1.8, abs=0.03) and c == pytest.approx(6.0, abs=0.06)


# ---------------------------------------------------------------- simulation ------------

def test_simulate_wind_scales_with_count_and_losses():
    df = weibull_weather()
    base = dict(turbine="Generic-54/500", hub_height_m=75, wake="none")
    one = WindFarm(name="one", count=1, availability=1.0, electrical_loss=0.0, **base)
    three = WindFarm(name="three", count=3, availability=0.95, electrical_loss=0.03,
                     farm_efficiency=0.9, **base)
    sized = WindFarm(name="sized", max_count=40, availability=1.0, electrical_loss=0.0, **base)
    out = wind.simulate_wind(df, [one, three, sized])
    assert list(out.columns) == ["one_kw", "one_wind_speed_hub", "three_kw",
                                 "three_wind_speed_hub", "sized_kw", "sized_wind_speed_hub"]
    assert out.index.equals(df.index)
    np.testing.assert_allclose(out["three_kw"], out["one_kw"] * 3 * 0.9 * 0.95 * 0.97)
    np.testing.assert_allclose(out["sized_kw"], out["one_kw"])  # sizing farm: one turbine
    assert out["one_kw"].max() <= 500.0 + 1e-9 and out["one_kw"].min() >= 0.0
    per_kw = wind.wind_profiles_per_kw(df, [one, three])
    np.testing.assert_allclose(per_kw["one_kw_per_kw"], out["one_kw"] / 500.0)
    np.testing.assert_allclose(per_kw["three_kw_per_kw"], out["three_kw"] / 1500.0)
    info = out.attrs["wind"]["three"]
    assert info["station_roughness_basis"].startswith("no station roughness")
    assert info["station_roughness_length_m"] == 0.03


def test_wake_and_density_lower_the_yield():
    df = weibull_weather(mean_10m=5.0, temp_c=30.0, pressure_pa=100800.0, terrain="coast")
    kw = {}
    for name, extra in (("plain", dict(wake="none", density_correction=False)),
                        ("dens", dict(wake="none")), ("dena", dict(wake="dena_mean")),
                        ("knorr", dict(wake="knorr_mean"))):
        farm = WindFarm(name=name, turbine="E-82/2000", hub_height_m=80, count=1,
                        availability=1, electrical_loss=0, **extra)
        kw[name] = wind.simulate_wind(df, farm)[f"{name}_kw"].sum()
    # warm air (ρ ≈ 1.15) costs 2–6 % at this site; a wake curve costs 5–15 %
    assert 0.94 < kw["dens"] / kw["plain"] < 0.98
    assert 0.85 < kw["dena"] / kw["dens"] < 0.95
    assert 0.85 < kw["knorr"] / kw["dens"] < 0.99


def test_offsite_farm_is_reported_apart():
    df = weibull_weather(terrain="coast")
    park = WindFarm(name="park", turbine="Generic-54/500", hub_height_m=50, count=2)
    sea = WindFarm(name="nearshore", turbine="E-82/2000", hub_height_m=80, count=10,
                   offsite=True, terrain="sea", location={"lat": 20.9, "lon": 107.1})
    out = wind.simulate_wind(df, [park, sea])
    assert out.attrs["wind_offsite"] == ["nearshore"]
    split = wind.onsite_offsite_kw(out)
    np.testing.assert_allclose(split["wind_onsite_kw"], out["park_kw"])
    np.testing.assert_allclose(split["wind_offsite_kw"], out["nearshore_kw"])
    # the sea site's smoother surface gives more wind at 80 m than the coast station's
    assert out.attrs["wind"]["nearshore"]["site_roughness_length_m"] == 0.0002
    hub_coast = wind.hub_wind_speed(df["wind_speed"], 10, 80, 0.005)
    assert out["nearshore_wind_speed_hub"].mean() < hub_coast.mean()  # z0 below blending


def test_weather_errors():
    df = weibull_weather()
    farm = WindFarm(name="f", turbine="E-82/2000", hub_height_m=80, count=1)
    hpa = df.assign(pressure=1010.0)
    with pytest.raises(WeatherError, match="looks like hPa"):
        wind.simulate_wind(hpa, farm)
    with pytest.raises(WeatherError, match="lacks column"):
        wind.simulate_wind(df.drop(columns="pressure"), farm)
    gap = df.copy()
    gap.iloc[5, 0] = np.nan
    with pytest.raises(WeatherError, match="missing value"):
        wind.simulate_wind(gap, farm)
    with pytest.raises(WeatherError, match="time-zone-aware"):
        wind.simulate_wind(df.tz_localize(None), farm)


def test_capacity_factor_band_is_enforced(monkeypatch):
    from energy_model import bands

    df = weibull_weather(mean_10m=7.0)
    farm = WindFarm(name="f", turbine="E-82/2000", hub_height_m=80, count=1)
    cf = wind.simulate_wind(df, farm).attrs["wind"]["f"]["capacity_factor"]
    assert 0.3 < cf < 0.6
    monkeypatch.setitem(bands.BANDS, "wind_cf",
                        bands.Band("wind capacity factor", 0.0, cf - 0.01, "-", "test"))
    with pytest.raises(InvariantError, match="wind capacity factor"):
        wind.simulate_wind(df, farm)


def test_resource_summary_on_real_tmy3():
    """Sand Point, Alaska (pvlib's bundled TMY3): a windy coastal airport, 10 m anemometer."""
    import pvlib

    path = Path(pvlib.__file__).parent / "data" / "703165TY.csv"
    raw, meta = pvlib.iotools.read_tmy3(path, map_variables=True)
    df = raw[["wind_speed", "temp_air", "pressure"]].copy()
    df["pressure"] *= 100.0  # TMY3 gives mbar; canonical is Pa
    df.index = df.index - pd.Timedelta(hours=1)  # hour-ending → interval start
    df.attrs = {"wind_height_m": 10.0, "terrain": "coast"}
    s = wind.wind_resource_summary(df, 80.0, "E-82/2000")
    v10 = df["wind_speed"].mean()
    assert v10 == pytest.approx(5.07, abs=0.01)
    ratio = math.log(80 / 0.005) / math.log(10 / 0.005)
    assert s["mean_wind_speed_hub_ms"] == pytest.approx(v10 * ratio, rel=1e-9)
    assert 1.4 < s["weibull_k"] < 2.0
    assert 0.20 < s["capacity_factor"] < 0.35  # cold, windy: dense air helps
    assert s["full_load_hours"] == pytest.approx(s["capacity_factor"] * 8760)
    assert s["mean_air_density_kg_m3"] > 1.22
    # the same through a farm, with losses, is lower by exactly the loss factors
    farm = WindFarm(name="f", turbine="E-82/2000", hub_height_m=80, count=1,
                    availability=0.97, electrical_loss=0.02)
    s_farm = wind.wind_resource_summary(df, farm)
    assert s_farm["capacity_factor"] == pytest.approx(s["capacity_factor"] * 0.97 * 0.98)


def test_monthly_table_sums_to_annual():
    df = weibull_weather()
    farm = WindFarm(name="f", turbine="Generic-54/500", hub_height_m=75, count=1)
    out = wind.simulate_wind(df, farm)
    table = wind.monthly_table(out["f_kw"], out["f_wind_speed_hub"], 500.0)
    assert list(table.index) == list(range(1, 13))
    assert table["energy_mwh"].sum() == pytest.approx(out["f_kw"].sum() / 1000.0)
    jan = out["f_kw"][out.index.month == 1]
    assert table.loc[1, "capacity_factor"] == pytest.approx(jan.mean() / 500.0)


def test_power_curve_farm_from_file(tmp_path):
    p = write(tmp_path, "c.csv", GOOD_CSV)
    farm = WindFarm(name="f", power_curve=str(p), hub_height_m=40, count=1, wake="none",
                    availability=1, electrical_loss=0, density_correction=False)
    df = weibull_weather()
    out = wind.simulate_wind(df, farm)
    v = wind.hub_wind_speed(df["wind_speed"].to_numpy(), 10, 40, 0.03)
    expected = np.interp(v, [0, 3, 4, 6, 8, 10, 12, 25], [0, 0, 10, 50, 120, 200, 250, 250],
                         left=0, right=0)
    np.testing.assert_allclose(out["f_kw"], expected)


def test_farm_capacity_for_sizing():
    fixed = WindFarm(name="a", turbine="Generic-54/500", hub_height_m=50, count=4)
    sized = WindFarm(name="b", turbine="E-82/2000", hub_height_m=80, max_count=6, offsite=True,
                     station="co_to")
    assert wind.farm_capacity_kw(fixed) == {"nominal_kw_per_turbine": 500.0, "fixed_kw": 2000.0,
                                            "max_kw": 2000.0, "offsite": False}
    assert wind.farm_capacity_kw(sized) == {"nominal_kw_per_turbine": 2000.0, "fixed_kw": None,
                                            "max_kw": 12000.0, "offsite": True}
