"""Benchmark: energy_model's PV chain against PySAM PVWatts v8 and a pvlib ModelChain loop.

Run::

    python benchmarks/pv_vs_pysam.py             # full: 21 zones, 5 repeats, 10-year ensemble
    python benchmarks/pv_vs_pysam.py --quick     # smoke test: 3 zones, 1 repeat

It prints, on the same weather (synthetic typical years of each zone's station):

1. the median time per site-year of one array (a 10° factory roof) for our chain,
   PySAM Pvwattsv8 and pvlib's ModelChain, and the ratios;
2. the time for all 21 zones of the Quảng Ninh catalog with their arrays (one
   ``simulate_pv`` call per zone, all arrays vectorised; PySAM and ModelChain one run per
   array); if the catalog cannot be loaded, 21 sites spread over 20.8–21.6 °N,
   106.5–108.0 °E with two arrays each;
3. the time for a multi-year ensemble at one site: our chain on all years at once
   against a PySAM loop over years.

Targets (issue 4): our chain no slower than PySAM per site-year, and at least 5× faster
than the ModelChain loop on the 21 zones.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore", category=FutureWarning)
warnings.filterwarnings("ignore", category=DeprecationWarning)


def _timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


# --------------------------------------------------------------------------- sites
def catalog_sites(n: int):
    """(name, location dict, station, arrays) of the catalog's zones, or a fallback grid."""
    from energy_model.solar import PVArray

    try:
        from energy_model.paths import default_scenario
        from energy_model.pipeline import load_scenario

        scenario = load_scenario(default_scenario())
        sites = []
        for park in scenario.parks:
            loc = {"latitude": park.location.lat, "longitude": park.location.lon,
                   "altitude": getattr(park.location, "altitude_m", 0.0) or 0.0}
            arrays = list(park.pv) or [PVArray.preset("factory_roof_10deg", name="roof")]
            sites.append((park.id, loc, park.weather_station, arrays))
        source = f"catalog {default_scenario().name}"
    except Exception as exc:  # the catalog is another stage's work; fall back
        lats = np.linspace(20.8, 21.6, 21)
        lons = np.linspace(106.5, 108.0, 21)
        rng = np.random.default_rng(0)
        rng.shuffle(lons)
        sites = [(f"site{i:02d}", {"latitude": float(a), "longitude": float(o),
                                   "altitude": 10.0}, None,
                  [PVArray.preset("factory_roof_10deg", name="roof"),
                   PVArray.preset("ground_fixed_optimum", name="gnd", latitude=float(a))])
                 for i, (a, o) in enumerate(zip(lats, lons))]
        source = f"21 fallback sites (catalog not loadable: {type(exc).__name__})"
    return sites[:n], source


def site_weather(sites, years: int = 1, year: int = 2021, seed: int = 7):
    """Synthetic hourly weather for each site's station (nearest station if none)."""
    from energy_model.paths import shipped_dir
    from energy_model.weather.normals import load_normals
    from energy_model.weather.synthetic import synthesize

    normals = load_normals(shipped_dir("weather") / "quang_ninh_normals.csv")
    stations = {sid: st for sid, st in normals.stations.items()}

    def nearest(loc):
        return min(stations, key=lambda s: (stations[s].latitude - loc["latitude"]) ** 2
                   + (stations[s].longitude - loc["longitude"]) ** 2)

    wanted = {name: (st if st in stations else nearest(loc)) for name, loc, st, _ in sites}
    made = synthesize(normals, sorted(set(wanted.values())), year, seed=seed, years=years)
    return {name: made[st] for name, st in wanted.items()}


# --------------------------------------------------------------------------- runners
def run_ours(weather, loc, arrays):
    from energy_model.solar import simulate_pv

    return simulate_pv(weather, loc, arrays, check=False)


def pysam_model(weather, loc, array):
    """A PySAM Pvwattsv8 model set up like ``array`` on ``weather`` (not yet run)."""
    import PySAM.Pvwattsv8 as pvw

    from energy_model.solar.pvwatts import pysam_solar_resource, pysam_system_design

    model = pvw.new()
    model.SolarResource.solar_resource_data = pysam_solar_resource(weather, loc)
    design = pysam_system_design(array, 1.0)
    model.SolarResource.albedo = design.pop("albedo")
    for key, value in design.items():
        setattr(model.SystemDesign, key, value)
    return model


def run_pysam(weather, loc, array):
    """PySAM end to end: inputs from our DataFrame, then the simulation."""
    model = pysam_model(weather, loc, array)
    model.execute()
    return model.Outputs.ac_annual


def run_modelchain(weather, loc, array):
    """A plain pvlib ModelChain with the same physics choices as our default chain."""
    import pvlib

    location = pvlib.location.Location(loc["latitude"], loc["longitude"],
                                       tz=str(weather.index.tz), altitude=loc["altitude"])
    u_c, u_v = array.u_values()
    plane = array.planes()[0]
    system = pvlib.pvsystem.PVSystem(
        surface_tilt=plane.tilt, surface_azimuth=plane.azimuth, albedo=array.albedo,
        module_parameters={"pdc0": 1.0, "gamma_pdc": array.gamma_pdc},
        inverter_parameters={"pdc0": 1.0 / array.dc_ac_ratio / array.inverter_efficiency,
                             "eta_inv_nom": array.inverter_efficiency},
        temperature_model_parameters={"u_c": u_c, "u_v": u_v})
    mc = pvlib.modelchain.ModelChain(system, location, aoi_model="physical",
                                     spectral_model="no_loss", temperature_model="pvsyst",
                                     transposition_model="perez", dc_model="pvwatts",
                                     ac_model="pvwatts", losses_model="no_loss")
    instants = weather.copy()
    instants.index = instants.index + pd.Timedelta(minutes=30)  # mid-interval instants
    mc.run_model(instants)
    return float(mc.results.ac.sum())


# --------------------------------------------------------------------------- main
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke test: tiny sizes")
    parser.add_argument("--repeat", type=int, default=None, help="timing repeats (median)")
    parser.add_argument("--years", type=int, default=None, help="ensemble years")
    args = parser.parse_args(argv)
    n_sites = 3 if args.quick else 21
    repeat = args.repeat or (1 if args.quick else 5)
    years = args.years or (2 if args.quick else 10)

    from energy_model.solar import PVArray

    sites, source = catalog_sites(n_sites)
    weathers = site_weather(sites)
    roof = PVArray.preset("factory_roof_10deg", name="roof")
    run_ours(weathers[sites[0][0]][0], sites[0][1], [roof])  # warm caches and imports
    run_pysam(weathers[sites[0][0]][0], sites[0][1], roof)
    run_modelchain(weathers[sites[0][0]][0], sites[0][1], roof)

    print(f"Sites: {source}; weather: synthetic typical years (energy_model.weather)")
    print(f"\n1. One array (10° factory roof), median time per site-year over {len(sites)} "
          f"sites × {repeat} repeats")
    per = {"ours": [], "pysam": [], "pysam_execute": [], "modelchain": []}
    for name, loc, _, _ in sites:
        w = weathers[name][0]
        t, res = _timed(lambda: run_ours(w, loc, [roof]), repeat)
        per["ours"].append(t)
        t, ref = _timed(lambda: run_pysam(w, loc, roof), repeat)
        per["pysam"].append(t)
        models = [pysam_model(w, loc, roof) for _ in range(repeat)]
        it = iter(models)
        t, _ = _timed(lambda: next(it).execute(), repeat)
        per["pysam_execute"].append(t)
        t, _ = _timed(lambda: run_modelchain(w, loc, roof), max(1, repeat // 2))
        per["modelchain"].append(t)
    med = {k: statistics.median(v) for k, v in per.items()}
    for k, label in (("ours", "energy_model chain"), ("pysam", "PySAM Pvwattsv8"),
                     ("pysam_execute", "  of which execute()"),
                     ("modelchain", "pvlib ModelChain")):
        print(f"   {label:<20} {1000 * med[k]:8.1f} ms")
    print(f"   ratio PySAM / ours      {med['pysam'] / med['ours']:6.2f}   (target ≥ 1)")
    print(f"   ratio PySAM execute() alone / ours {med['pysam_execute'] / med['ours']:6.2f}")
    print(f"   ratio ModelChain / ours {med['modelchain'] / med['ours']:6.2f}")

    n_arrays = sum(len(arrays) for *_, arrays in sites)
    print(f"\n2. All {len(sites)} zones with their {n_arrays} arrays (one year)")

    def all_ours():
        return [run_ours(weathers[name][0], loc, arrays) for name, loc, _, arrays in sites]

    def all_pysam():
        return [run_pysam(weathers[name][0], loc, a) for name, loc, _, arrays in sites
                for a in arrays if len(a.planes()) == 1]

    def all_mc():
        return [run_modelchain(weathers[name][0], loc, a) for name, loc, _, arrays in sites
                for a in arrays if len(a.planes()) == 1]

    t_ours, _ = _timed(all_ours, repeat)
    t_pysam, _ = _timed(all_pysam, repeat)
    t_mc, _ = _timed(all_mc, 1)
    print(f"   energy_model chain {t_ours:8.3f} s")
    print(f"   PySAM Pvwattsv8    {t_pysam:8.3f} s")
    print(f"   pvlib ModelChain   {t_mc:8.3f} s")
    print(f"   ratio ModelChain / ours {t_mc / t_ours:6.2f}   (target ≥ 5)")
    print(f"   ratio PySAM / ours      {t_pysam / t_ours:6.2f}")

    name, loc, _, arrays = sites[0]
    # one synthetic year per calendar year (leap years included), contiguous
    ens = [site_weather([sites[0]], year=2021 + i, seed=7 + i)[name][0] for i in range(years)]
    multi = pd.concat(ens)
    print(f"\n3. {years}-year ensemble at {name}, arrays {[a.name for a in arrays]}")
    t_ours, _ = _timed(lambda: run_ours(multi, loc, arrays), repeat)
    single = [a for a in arrays if len(a.planes()) == 1]
    t_pysam, _ = _timed(lambda: [run_pysam(w, loc, a) for w in ens for a in single], 1)
    print(f"   energy_model chain, all years at once {t_ours:7.3f} s "
          f"({1000 * t_ours / years / len(arrays):.1f} ms per array-year)")
    print(f"   PySAM loop over years × arrays        {t_pysam:7.3f} s")
    print(f"   ratio PySAM / ours {t_pysam / t_ours:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
