"""``energy-model validate SCENARIO``: check a scenario and list every problem."""

from __future__ import annotations

import yaml

from energy_model.errors import UsageError


def register(sub) -> None:
    p = sub.add_parser("validate", help="check a scenario file and list all problems")
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a key path, e.g. --set year=2050 (repeatable)")
    p.set_defaults(func=handle)


def parse_sets(items: list[str]) -> dict:
    """Parse ``--set key.path=value`` items; values are read as YAML scalars."""
    out = {}
    for item in items:
        if "=" not in item:
            raise UsageError(f"--set {item!r}: expected KEY=VALUE, e.g. --set year=2050")
        key, value = item.split("=", 1)
        try:
            out[key.strip()] = yaml.safe_load(value)
        except yaml.YAMLError:
            out[key.strip()] = value
    return out


def handle(args) -> int:
    # imported here: energy_model.scenario takes about 1.4 s to import (python -X importtime)
    from energy_model.pipeline import load_scenario

    scenario = load_scenario(args.scenario, overrides=parse_sets(args.set))
    n_kcn = sum(p.kind == "KCN" for p in scenario.parks)
    n_kkt = sum(p.kind == "KKT" for p in scenario.parks)
    print(f"{args.scenario}: valid scenario {scenario.name!r}, year {scenario.year}, "
          f"{len(scenario.parks)} parks ({n_kcn} KCN, {n_kkt} KKT)")
    return 0
