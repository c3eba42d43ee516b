"""``energy-model weather``: synthetic years from normals, and weather-file checks.

- ``weather synth --normals CSV --station ID [--year Y] [--seed N] [--years N] --out FILE.csv
  [--header-lines]``: a plain CSV plus its metadata sidecar ``FILE.csv.meta.json``
- ``weather check FILE [--against-normals CSV --station ID]``
- ``weather fetch-pvgis --lat LAT --lon LON [--cache DIR] [--out FILE.csv]`` (online, opt-in)
"""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("weather", help="synthesize weather from monthly normals; check "
                                       "weather files against normals",
                       description="Synthetic hourly weather (HOMER-class, from monthly "
                                   "normals) and the statistics that validate it.")
    actions = p.add_subparsers(dest="weather_action", metavar="ACTION",
                               parser_class=type(p))

    s = actions.add_parser("synth", help="write synthetic hourly years of one station")
    s.add_argument("--normals", metavar="CSV",
                   help="monthly normals (default: the shipped weather/quang_ninh_normals.csv)")
    s.add_argument("--station", required=True, metavar="ID", help="station id in the normals")
    s.add_argument("--year", type=int, default=2030, help="calendar year of the index "
                                                          "(default 2030)")
    s.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    s.add_argument("--years", type=int, default=1,
                   help="1: typical year; N > 1: ensemble written as FILE_y01.csv ... ")
    s.add_argument("--tz", default="Asia/Ho_Chi_Minh", help="time zone (default "
                                                            "Asia/Ho_Chi_Minh)")
    s.add_argument("--out", required=True, metavar="FILE.csv",
                   help="output CSV: plain (pandas.read_csv reads it as is), with the "
                        "metadata in the sidecar FILE.csv.meta.json")
    s.add_argument("--header-lines", action="store_true",
                   help="older single-file form: metadata as '# key: value' lines above the "
                        "CSV header, no sidecar")
    s.set_defaults(func=handle_synth)

    c = actions.add_parser("check", help="annual and monthly statistics of a weather file, "
                                         "optionally against normals")
    c.add_argument("file", help="weather file (EPW, TMY3, PVGIS csv/json, PSM3 or CSV)")
    c.add_argument("--format", help="file format (default: detected)")
    c.add_argument("--against-normals", metavar="CSV", help="normals to compare with")
    c.add_argument("--station", metavar="ID", help="station of the normals")
    c.add_argument("--fill-gaps", action="store_true", help="fill gaps and NaN (reported)")
    c.add_argument("--tz", help="time zone to convert the file to")
    c.set_defaults(func=handle_check)

    f = actions.add_parser("fetch-pvgis", help="download a PVGIS typical year once "
                                               "(network; cached on disk)")
    f.add_argument("--lat", type=float, required=True, help="latitude [°]")
    f.add_argument("--lon", type=float, required=True, help="longitude [°]")
    f.add_argument("--cache", metavar="DIR", help="cache folder")
    f.add_argument("--refresh", action="store_true", help="fetch again even if cached")
    f.add_argument("--tz", help="time zone of the output (default UTC)")
    f.add_argument("--out", metavar="FILE.csv", help="also write a canonical CSV")
    f.set_defaults(func=handle_fetch)

    p.set_defaults(func=lambda args: _no_action(p))


def _no_action(parser) -> int:
    parser.print_help()
    return 2


def handle_synth(args) -> int:
    from pathlib import Path

    from energy_model.errors import UsageError
    from energy_model.weather.normals import load_normals
    from energy_model.weather.readers import write_weather_csv
    from energy_model.weather.synthetic import synthesize

    if args.years < 1:
        raise UsageError(f"--years must be >= 1, got {args.years}")
    normals = load_normals(args.normals)  # None: the shipped normals
    frames = synthesize(normals, args.station, args.year, args.seed, years=args.years,
                        tz=args.tz)[args.station]
    out = Path(args.out)
    for i, df in enumerate(frames):
        target = out if len(frames) == 1 else out.with_name(f"{out.stem}_y{i + 1:02d}{out.suffix}")
        write_weather_csv(df, target, header_lines=args.header_lines)
        est = df.attrs.get("estimated") or []
        print(f"{target}: {args.station} {args.year} (weather year {i + 1}/{len(frames)}, "
              f"seed {args.seed}): GHI {df['ghi'].sum() / 1000:.0f} kWh/m², "
              f"temperature {df['temp_air'].mean():.1f} °C, wind "
              f"{df['wind_speed'].mean():.2f} m/s at {df.attrs['wind_height_m']:g} m")
    if est:
        print(f"estimates (defaults, mark E) used for: {', '.join(est)}")
    return 0


def handle_check(args) -> int:
    from energy_model.errors import UsageError
    from energy_model.weather.normals import load_normals
    from energy_model.weather.readers import read_weather
    from energy_model.weather.stats import weather_stats

    if bool(args.against_normals) != bool(args.station):
        raise UsageError("--against-normals and --station go together")
    df, meta = read_weather(args.file, format=args.format, fill_gaps=args.fill_gaps,
                            tz=args.tz)
    normals = load_normals(args.against_normals).station(args.station) \
        if args.against_normals else None
    stats = weather_stats(df, meta, normals=normals)
    print(f"{meta['file']} ({meta['format']}, lat {meta['latitude']:g}, lon "
          f"{meta['longitude']:g}, {meta['tz']}, wind at {meta['wind_height_m']:g} m; "
          f"labels: interval start, file: {meta['source_label']}; filled rows: "
          f"{meta['filled_count']})")
    print(stats.to_text())
    return 0


def handle_fetch(args) -> int:
    from energy_model.weather.pvgis import fetch_pvgis_tmy
    from energy_model.weather.readers import write_weather_csv

    df, meta = fetch_pvgis_tmy(args.lat, args.lon, cache=args.cache, refresh=args.refresh,
                               tz=args.tz)
    print(f"PVGIS typical year cached at {meta['file']}: GHI "
          f"{df['ghi'].sum() / 1000:.0f} kWh/m², {len(df)} hours")
    if args.out:
        print(f"written {write_weather_csv(df, args.out, meta)}")
    return 0
