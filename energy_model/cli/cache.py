"""``energy-model cache info|clear``: the content-hash cache of weather and profiles."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("cache", help="show or clear the cache of generated weather and profiles")
    p.add_argument("action", choices=("info", "clear"),
                   help="info: folder, entries, size and limit; clear: delete the entries")
    p.add_argument("--kind", default=None, help="clear only this kind (e.g. weather)")
    p.set_defaults(func=handle)


def handle(args) -> int:
    from energy_model import cache

    folder = cache.cache_dir()
    if args.action == "clear":
        n, freed = cache.clear(args.kind)
        print(f"cache {folder}: removed {n} entries, {freed / 1e6:,.1f} MB")
        return 0
    n, size = cache.usage()
    print(f"cache {folder}: {n} entries, {size / 1e6:,.1f} MB of "
          f"{cache.max_bytes() / 1e6:,.1f} MB (ENERGY_MODEL_CACHE_MAX_MB)")
    return 0
