"""``energy-model cache info|clear``: every cache of the package (generated weather and
profiles, PVGIS downloads), under :func:`energy_model.files.cache_dir`."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("cache", help="show or clear the cache (generated weather and profiles, "
                                     "PVGIS downloads)")
    p.add_argument("action", choices=("info", "clear"),
                   help="info: folder, entries, size and limit; clear: delete the entries")
    p.add_argument("--kind", default=None, help="clear only this kind (e.g. weather, pvgis)")
    p.set_defaults(func=handle)


def handle(args) -> int:
    # imported here: studies.cache imports the pipeline (pvlib, pandas, HiGHS), about 1.5 s
    # that every other sub-command (and --help) would pay at start-up
    from energy_model.studies import cache

    folder = cache.cache_dir()
    if args.action == "clear":
        n, freed = cache.clear(args.kind)
        print(f"cache {folder}: removed {n} entries, {freed / 1e6:,.1f} MB")
        return 0
    n, size = cache.usage()
    print(f"cache {folder}: {n} entries, {size / 1e6:,.1f} MB of "
          f"{cache.max_bytes() / 1e6:,.1f} MB (ENERGY_MODEL_CACHE_MAX_MB; PVGIS files are "
          "counted but never evicted)")
    return 0
