"""``energy-model pv``: hourly output of one PV array from a weather file.

Examples::

    energy-model pv --weather halong.epw --lat 20.95 --lon 107.07 --kwp 1000 --tilt 10 \\
        --azimuth 180 --mounting roof --out roof.csv
    energy-model pv --weather site.epw --kwp 1 --tilt 20 --losses 14 --dc-ac 1.2 \\
        --inv-eff 96 --pvwatts --out pvwatts.csv
"""

from __future__ import annotations

#: ``--mounting`` choices → (array kind, thermal mounting).
MOUNTINGS = {"open_rack": ("ground", "open_rack"), "roof": ("rooftop", "close_roof"),
             "floating": ("floating", "floating")}


def register(sub) -> None:
    p = sub.add_parser(
        "pv", help="simulate one PV array from a weather file",
        description="Hourly AC output of one PV array (pvlib chain, or the PVWatts v8 "
                    "equivalent with --pvwatts). Prints annual AC kWh, kWh/kWp, capacity "
                    "factor, performance ratio and a monthly table; writes time, ac_kw, "
                    "dc_kw, poa_global, temp_cell (hourly, labelled at interval start).")
    p.add_argument("--weather", required=True, metavar="FILE",
                   help="weather file: EPW, TMY3, PVGIS, PSM3 or canonical CSV")
    p.add_argument("--lat", type=float, metavar="DEG", help="latitude [°N] (default: the "
                                                             "file's)")
    p.add_argument("--lon", type=float, metavar="DEG", help="longitude [°E] (default: the "
                                                             "file's)")
    p.add_argument("--altitude", type=float, metavar="M", help="altitude [m] (default: the "
                                                                "file's, else 0)")
    p.add_argument("--kwp", type=float, default=1.0, metavar="KWP",
                   help="DC capacity [kWp] (default 1)")
    p.add_argument("--tilt", type=float, default=20.0, metavar="DEG",
                   help="tilt from horizontal [°] (default 20)")
    p.add_argument("--azimuth", type=float, default=180.0, metavar="DEG",
                   help="azimuth clockwise from north, 180 = south [°] (default 180)")
    p.add_argument("--losses", type=float, metavar="PCT",
                   help="total system losses as one PVWatts-style figure [%%] (default: the "
                        "itemised loss table, about 7.6 %% with dry-season soiling)")
    p.add_argument("--dc-ac", type=float, default=1.2, metavar="RATIO",
                   help="DC/AC ratio (default 1.2)")
    p.add_argument("--inv-eff", type=float, metavar="PCT",
                   help="inverter nominal efficiency [%%] (default 98)")
    p.add_argument("--mounting", choices=sorted(MOUNTINGS), default="open_rack",
                   help="open_rack (ground), roof (close to a roof) or floating "
                        "(default open_rack)")
    p.add_argument("--gcr", type=float, metavar="RATIO",
                   help="ground coverage ratio of module rows (default: one row, no "
                        "row-to-row shading)")
    p.add_argument("--pvwatts", action="store_true",
                   help="PVWatts v8 equivalent chain instead of energy_model's")
    p.add_argument("--operating-year", type=int, default=1, metavar="N",
                   help="year of operation for degradation (default 1)")
    p.add_argument("--life-mean", action="store_true",
                   help="life-mean degradation (what sizing uses) instead of one year")
    p.add_argument("--no-check", action="store_true",
                   help="skip the plausibility bands (capacity factor, performance ratio)")
    p.add_argument("--reconcile", action="store_true",
                   help="also print the loss-by-loss reconciliation of the default chain "
                        "with PVWatts v8 (with PySAM's own result when PySAM is installed)")
    p.add_argument("--out", metavar="FILE.csv", help="output CSV")
    p.set_defaults(func=handle)


def _read_weather(path, site=None):
    """Canonical weather and site metadata; the project's readers, else pvlib's.

    ``site`` (``latitude``/``longitude``/``altitude`` from --lat/--lon/--altitude)
    supplies what the file lacks and wins over the file's values, with a note.
    """
    from pathlib import Path

    from energy_model.errors import UsageError

    if not Path(path).is_file():
        raise UsageError(f"weather file not found: {path}")
    try:
        from energy_model.weather.readers import read_weather
    except ImportError:  # pragma: no cover - readers ship with the package
        return _read_weather_pvlib(path)
    return read_weather(path, site=site)


def _read_weather_pvlib(path):  # pragma: no cover - fallback only
    import pandas as pd
    import pvlib

    from energy_model.errors import WeatherError

    suffix = str(path).lower()
    if suffix.endswith(".epw"):
        df, meta = pvlib.iotools.read_epw(path)
    elif suffix.endswith(".csv"):
        df, meta = pvlib.iotools.read_tmy3(path, map_variables=True)
        df["pressure"] = df["pressure"] * 100
    else:
        raise WeatherError(f"{path}: only EPW and TMY3 can be read without the readers")
    df = df[["ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure"]].astype(float)
    df.index = df.index - pd.Timedelta(hours=1)  # hour-ending → interval start
    return df, {"latitude": meta["latitude"], "longitude": meta["longitude"],
                "altitude": meta.get("altitude", 0.0), "label": "start"}


def _array(args):
    from pydantic import ValidationError

    from energy_model.errors import Problem, UsageError
    from energy_model.solar import Losses, PVArray

    kind, mounting = MOUNTINGS[args.mounting]
    fields = {"name": "pv", "kind": kind, "mounting": mounting, "tilt": args.tilt,
              "azimuth": args.azimuth, "dc_ac_ratio": args.dc_ac, "fixed_kwp": args.kwp,
              "gcr": args.gcr}
    if args.inv_eff is not None:
        fields["inverter_efficiency"] = args.inv_eff / 100
    if args.losses is not None:
        fields["losses"] = Losses.lumped(args.losses)
    flags = {"tilt": "--tilt", "azimuth": "--azimuth", "dc_ac_ratio": "--dc-ac",
             "fixed_kwp": "--kwp", "gcr": "--gcr", "inverter_efficiency": "--inv-eff",
             "losses": "--losses"}
    try:
        return PVArray(**fields)
    except ValidationError as exc:
        raise UsageError("invalid PV array options", problems=[
            Problem(e["msg"], key=flags.get(str(e["loc"][0]), str(e["loc"][0])) if e["loc"]
                    else None) for e in exc.errors()]) from None


def _print_reconciliation(weather, location, array, year) -> None:
    from energy_model.solar.reconcile import reconcile_with_pvwatts

    reference = None
    if len(weather) == 8760:  # PySAM runs whole years only
        try:
            import PySAM.Pvwattsv8 as pvw

            from energy_model.solar.pvwatts import pysam_solar_resource, pysam_system_design

            model = pvw.new()
            model.SolarResource.solar_resource_data = pysam_solar_resource(weather, location)
            design = pysam_system_design(array, 1.0)
            model.SolarResource.albedo = design.pop("albedo")
            for key, value in design.items():
                setattr(model.SystemDesign, key, value)
            model.execute()
            reference = model.Outputs.ac_annual * array.degradation_factor(year)
        except ImportError:
            pass
    table = reconcile_with_pvwatts(weather, location, array,
                                   operating_year=year or 1, reference_kwh_per_kwp=reference)
    print("\nDefault chain vs PVWatts v8, one model swap at a time (kWh/kWp per year):")
    print(f"{'step':<30}{'kWh/kWp':>9}{'step %':>8}{'total %':>9}  change")
    for step, row in table.iterrows():
        print(f"{step:<30}{row['kwh_per_kwp']:>9.1f}{row['step_pct']:>8.2f}"
              f"{row['cumulative_pct']:>9.2f}  {row['change']}")


def handle(args) -> int:
    import pandas as pd

    from energy_model.errors import UsageError
    from energy_model.solar import pv_summary, simulate_pv

    array = _array(args)
    site = {k: v for k, v in (("latitude", args.lat), ("longitude", args.lon),
                              ("altitude", args.altitude)) if v is not None}
    weather, meta = _read_weather(args.weather, site=site)
    lat = args.lat if args.lat is not None else meta.get("latitude")
    lon = args.lon if args.lon is not None else meta.get("longitude")
    if lat is None or lon is None:
        raise UsageError(f"{args.weather} gives no site coordinates: pass --lat and --lon")
    alt = args.altitude if args.altitude is not None else (meta.get("altitude") or 0.0)
    for note in meta.get("notes") or []:
        if "given by the caller overrides" in note:
            print(f"note: {note.replace('given by the caller', 'from the command line')}")
    location = {"latitude": lat, "longitude": lon, "altitude": alt}
    if args.operating_year < 1:
        raise UsageError(f"--operating-year must be ≥ 1, got {args.operating_year}")
    year = None if args.life_mean else args.operating_year
    model = "pvwatts" if args.pvwatts else "default"
    result = simulate_pv(weather, location, array, operating_year=year, model=model,
                         check=not args.no_check)
    summary = pv_summary(result, [array], weather).loc["pv"]

    years = len(result) / 8760
    print(f"PV array: {args.kwp:g} kWp DC, tilt {args.tilt:g}°, azimuth {args.azimuth:g}°, "
          f"{args.mounting}, DC/AC {args.dc_ac:g}, model {model}"
          + (", life-mean degradation" if year is None else f", operating year {year}"))
    print(f"Site: {lat:.4f} °N, {lon:.4f} °E, {alt:g} m; weather {args.weather} "
          f"({len(result)} h, labelled at interval start)")
    print(f"Annual AC energy: {summary['ac_kwh_per_year']:,.0f} kWh"
          + (f" (mean of {years:.2f} years)" if abs(years - 1) > 1e-9 else ""))
    print(f"Specific yield:   {summary['specific_yield_kwh_per_kwp']:,.0f} kWh/kWp")
    print(f"Capacity factor:  {100 * summary['capacity_factor']:.1f} % (AC energy / DC "
          "nameplate)")
    print(f"Performance ratio: {summary['performance_ratio']:.3f}")
    ac = result["pv_ac_kw"]
    poa = result["pv_poa_global"]
    months = pd.DataFrame({
        "ac_kwh": ac.groupby(ac.index.month).sum() / years,
        "poa_kwh_m2": poa.groupby(poa.index.month).sum() / 1000 / years})
    months["kwh_per_kwp"] = months["ac_kwh"] / args.kwp
    print("\nMonth      AC kWh   kWh/kWp   POA kWh/m²")
    for m, row in months.iterrows():
        print(f"{pd.Timestamp(2001, int(m), 1).strftime('%b'):<5}{row['ac_kwh']:>11,.0f}"
              f"{row['kwh_per_kwp']:>10,.1f}{row['poa_kwh_m2']:>13,.1f}")
    if args.reconcile:
        _print_reconciliation(weather, location, array, year)
    if args.out:
        out = pd.DataFrame({"time": result.index.strftime("%Y-%m-%dT%H:%M:%S%z"),
                            "ac_kw": ac.to_numpy(), "dc_kw": result["pv_dc_kw"].to_numpy(),
                            "poa_global": poa.to_numpy(),
                            "temp_cell": result["pv_temp_cell"].to_numpy()})
        out.to_csv(args.out, index=False, float_format="%.4f")
        print(f"\nwrote {args.out}: time (interval start), ac_kw, dc_kw [kW], poa_global "
              "[W/m²], temp_cell [°C]")
    return 0
