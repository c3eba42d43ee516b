"""``energy-model wind``: hourly output of one wind farm from a weather file, or the library.

Examples::

    energy-model wind --list-turbines
    energy-model wind --weather station.epw --turbine E-82/2000 --hub-height 80 \\
        --count 3 --roughness 0.03 --out farm.csv
"""

from __future__ import annotations

WAKES = ("none", "dena_mean", "knorr_mean", "dena_extreme1", "dena_extreme2",
         "knorr_extreme1", "knorr_extreme2", "knorr_extreme3")


def register(sub) -> None:
    p = sub.add_parser("wind", help="simulate one wind farm from a weather file, or list "
                                    "the turbine library",
                       description="Hourly AC output of one wind farm (windpowerlib, density "
                                   "corrected). Prints annual MWh, capacity factor, full-load "
                                   "hours and a monthly table; writes time, wind_speed_hub, "
                                   "power_kw.")
    p.add_argument("--list-turbines", action="store_true", help="list the turbine library")
    p.add_argument("--weather", metavar="FILE", help="weather file (EPW, TMY3, PVGIS, CSV)")
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--turbine", metavar="NAME", help="library turbine, e.g. E-82/2000")
    kind.add_argument("--power-curve", metavar="FILE", help="power curve CSV or YAML")
    p.add_argument("--hub-height", type=float, metavar="M", help="hub height [m]")
    p.add_argument("--count", type=int, default=1, metavar="N", help="number of turbines "
                                                                     "(default 1)")
    p.add_argument("--wind-height", type=float, default=None, metavar="M",
                   help="height of the weather's wind speed [m] (default: the file's, else 10)")
    p.add_argument("--roughness", type=float, default=None, metavar="Z0",
                   help="roughness length around the weather station [m] (default: the "
                        "file's, else 0.03, open terrain)")
    p.add_argument("--terrain", choices=("sea", "coast", "open", "industrial", "suburban"),
                   help="terrain class of the station, instead of --roughness")
    p.add_argument("--wake", choices=WAKES, default=None,
                   help="wake curve (default: none for one turbine, dena_mean for more)")
    p.add_argument("--availability", type=float, default=None, help="availability [0-1] "
                                                                     "(default 0.97)")
    p.add_argument("--electrical-loss", type=float, default=None,
                   help="electrical loss [0-1] (default 0.02)")
    p.add_argument("--no-density-correction", action="store_true",
                   help="use the power curve as given at 1.225 kg/m³")
    p.add_argument("--out", metavar="FILE.csv", help="output CSV")
    p.set_defaults(func=handle)


def _read_weather(path):
    """Weather through the project's readers, as a canonical frame with attrs."""
    from pathlib import Path

    from energy_model.errors import UsageError

    if not Path(path).is_file():
        raise UsageError(f"weather file not found: {path}")
    from energy_model.weather.readers import read_weather

    df, meta = read_weather(path, require_site=False)  # wind needs no position: air
    # density comes from the file's temperature and pressure
    attrs = dict(meta or {})
    attrs.update(df.attrs)
    df.attrs = attrs
    return df


def _list_turbines() -> int:
    import pandas as pd

    from energy_model.wind import turbine_library

    lib = turbine_library()
    lib = lib.assign(source=lib["source"].str.slice(0, 60))
    with pd.option_context("display.max_rows", None, "display.width", 200,
                           "display.max_colwidth", 60):
        print(lib.to_string(index=False))
    print(f"\n{len(lib)} turbines (windpowerlib local library + shipped generic curves). "
          "max_cp above 0.593 (Betz) marks a doubtful curve.")
    return 0


def handle(args) -> int:
    if args.list_turbines:
        return _list_turbines()

    from pathlib import Path

    from energy_model.errors import UsageError

    given = (("--weather", args.weather), ("--hub-height", args.hub_height), ("--out", args.out))
    missing = [flag for flag, value in given if value is None]
    if args.turbine is None and args.power_curve is None:
        missing.append("--turbine or --power-curve")
    if missing:
        raise UsageError(f"energy-model wind needs {', '.join(missing)} "
                         "(or --list-turbines)")
    if args.roughness is not None and args.terrain is not None:
        raise UsageError("give --roughness or --terrain, not both")
    out = Path(args.out)
    if not out.parent.is_dir():
        raise UsageError(f"--out: folder {out.parent} does not exist")

    from energy_model import wind

    farm = _farm(args)
    weather = _read_weather(args.weather)
    if args.roughness is not None:
        if not 0 < args.roughness <= 3:
            raise UsageError(f"--roughness must be in (0, 3] m, got {args.roughness:g}")
        weather.attrs["roughness_length_m"] = args.roughness
        weather.attrs.pop("terrain", None)
    elif args.terrain is not None:
        weather.attrs["terrain"] = args.terrain
        weather.attrs.pop("roughness_length_m", None)
    result = wind.simulate_wind(weather, farm, wind_height_m=args.wind_height)
    _print_summary(result)

    frame = result.rename(columns={"farm_wind_speed_hub": "wind_speed_hub",
                                   "farm_kw": "power_kw"})[["wind_speed_hub", "power_kw"]]
    frame.index = frame.index.map(lambda t: t.isoformat())
    frame.index.name = "time"
    frame.round({"wind_speed_hub": 3, "power_kw": 3}).to_csv(out)
    print(f"\nwrote {out} ({len(frame)} rows; time labels mark the start of each interval)")
    return 0


def _farm(args):
    """The WindFarm of the command line; a pydantic error names the option."""
    from pydantic import ValidationError

    from energy_model import wind
    from energy_model.errors import UsageError

    spec = {"name": "farm", "hub_height_m": args.hub_height, "count": args.count,
            "wake": args.wake, "density_correction": not args.no_density_correction}
    spec.update({"turbine": args.turbine} if args.turbine else {"power_curve": args.power_curve})
    if args.availability is not None:
        spec["availability"] = args.availability
    if args.electrical_loss is not None:
        spec["electrical_loss"] = args.electrical_loss
    try:
        return wind.WindFarm(**spec)
    except ValidationError as exc:
        lines = [f"--{'-'.join(str(p) for p in e['loc']).replace('_', '-')}: {e['msg']}"
                 if e["loc"] else e["msg"] for e in exc.errors()]
        raise UsageError("; ".join(lines)) from None


def _print_summary(result) -> None:
    """Print the farm, its annual energy, capacity factor and the monthly table."""
    from energy_model import wind
    from energy_model.timeseries import time_step_hours

    info = result.attrs["wind"]["farm"]
    kw, v_hub = result["farm_kw"], result["farm_wind_speed_hub"]
    nominal = info["nominal_kw_per_turbine"] * info["count"]
    step_h = time_step_hours(result.index, "weather", spliced=True)
    years = len(result) * step_h / 8760.0
    annual_mwh = float(kw.sum()) * step_h / 1000.0 / years
    cf = info["capacity_factor"]

    table = wind.monthly_table(kw, v_hub, nominal)
    print(f"wind farm: {info['count']} × {info['turbine']} ({nominal:,.0f} kW) at "
          f"{info['hub_height_m']:g} m hub height")
    print(f"  wind at {info['wind_height_m']:g} m → hub: {info['profile']} profile, station "
          f"z0 = {info['station_roughness_length_m']:g} m ({info['station_roughness_basis']})")
    print(f"  wake {info['wake']}, availability {info['availability']:.3f}, electrical loss "
          f"{info['electrical_loss']:.3f}, density correction "
          f"{'on' if info['density_correction'] else 'off'} (mean ρ "
          f"{info['mean_air_density_kg_m3']:.3f} kg/m³)")
    print(f"  mean hub wind speed    {float(v_hub.mean()):8.2f} m/s")
    print(f"  annual energy          {annual_mwh:8.1f} MWh/yr")
    print(f"  capacity factor        {cf * 100:8.1f} %")
    print(f"  full-load hours        {cf * 8760:8.0f} h/yr")
    print()
    print(" month  energy_MWh   CF_%   v_hub_m/s")
    for month, row in table.iterrows():
        print(f"  {month:4d}  {row['energy_mwh'] / years:10.1f}  "
              f"{row['capacity_factor'] * 100:5.1f}   {row['mean_wind_speed_hub_ms']:9.2f}")
