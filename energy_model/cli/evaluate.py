"""``energy-model evaluate SCENARIO --park ID --fixed KEY=VALUE,...``: a fixed design (an
ESCO's offer, e.g. a 2 MW / 6 MWh battery) dispatched by the time-of-use rules and by the
LP, side by side, with the value the rules lose (:mod:`energy_model.studies.fixed_design`).

Capacities not in ``--fixed`` are the park as it is today: the scenario's fixed sizes,
and 0 for anything the scenario would size.
"""

from __future__ import annotations

import math
from pathlib import Path

from energy_model.cli.validate import parse_sets
from energy_model.errors import UsageError

FIXED_EXAMPLE = "battery_kw=2000,battery_kwh=6000"


def register(sub) -> None:
    p = sub.add_parser(
        "evaluate", help="evaluate a fixed design (e.g. an ESCO's battery offer): rule-based "
                         "vs optimal dispatch, side by side",
        description="Dispatch a given design of one park with the rule-based time-of-use "
                    "controller and with the optimal LP, and compare bills, energy flows, "
                    "battery cycles and annualised cost; the value lost by the rules is the "
                    "difference, also as a share of the LP's battery value. Capacities not "
                    "given are the park as it is today: the scenario's fixed sizes, else 0.")
    p.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    p.add_argument("--park", required=True, metavar="ID", help="park id")
    p.add_argument("--fixed", action="append", required=True, metavar="KEY=VALUE,...",
                   help=f"the design, e.g. {FIXED_EXAMPLE},pv_roof_kw=3000 [kW, kWh] "
                        "(repeatable)")
    p.add_argument("--dispatch", choices=("rules", "optimal", "both"), default="both",
                   help="dispatch(es) to run (default: both)")
    p.add_argument("--out", metavar="DIR",
                   help="write the table to DIR/evaluate_<park>.csv (atomically)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario key path, e.g. --set year=2050 (repeatable)")
    p.set_defaults(func=handle)


def parse_fixed(items: list[str]) -> dict[str, float]:
    """Parse ``--fixed`` items (``KEY=VALUE`` separated by commas) into capacities.

    Raises
    ------
    UsageError
        For an item without ``=``, a value that is not a finite number ≥ 0, or a key
        given twice.
    """
    out: dict[str, float] = {}
    for item in items:
        for part in item.split(","):
            part = part.strip()
            if not part:
                continue
            key, sep, value = part.partition("=")
            key = key.strip()
            if not sep or not key:
                raise UsageError(f"--fixed {part!r}: expected KEY=VALUE, e.g. "
                                 f"--fixed {FIXED_EXAMPLE}")
            try:
                number = float(value.replace("_", ""))
            except ValueError:
                raise UsageError(f"--fixed {key}={value}: {value!r} is not a number; expected "
                                 "a capacity in kW (kWh for battery_kwh)") from None
            if not math.isfinite(number) or number < 0:
                raise UsageError(f"--fixed {key}={value}: expected a capacity ≥ 0")
            if key in out:
                raise UsageError(f"--fixed {key}: given twice ({out[key]:g} and {number:g})")
            out[key] = number
    if not out:
        raise UsageError(f"--fixed: no capacity given; e.g. --fixed {FIXED_EXAMPLE}")
    return out


def _fmt(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.1f} M"
    return f"{value:,.1f}"


def format_table(ev) -> str:
    """The comparison as text: one row per metric, one column per dispatch."""
    cols = [c for c in ("rules", "optimal", "rules_minus_optimal") if c in ev.table.columns]
    width = max(len(m) for m in ev.table["metric"])
    head = f"{'':<{width}}" + "".join(f"{c.replace('_', ' '):>22}" for c in cols)
    lines = [head, "-" * len(head)]
    for _, row in ev.table.iterrows():
        lines.append(f"{row['metric']:<{width}}" + "".join(f"{_fmt(row[c]):>22}" for c in cols))
    return "\n".join(lines)


def _summary(ev) -> list[str]:
    caps = ", ".join(f"{k}={v:,.0f}" for k, v in ev.capacities.items())
    lines = [f"park {ev.park_id}: design {caps}"]
    lines += [f"  {n}" for n in ev.notes]
    if ev.hours not in (8760, 8784):
        lines.append(f"  {ev.hours} h dispatched; energies and costs scaled to a year")
    return lines


def _value_lost(ev) -> list[str]:
    if ev.value_lost_vnd_per_yr is None:
        return []
    text = (f"value lost by the rules: {ev.value_lost_vnd_per_yr / 1e6:,.1f} million VND/yr")
    if ev.value_lost_share is not None:
        text += f" ({ev.value_lost_share * 100:.1f} % of the LP's battery value)"
    return [text]


def _park(scenario, park_id: str):
    ids = [p.id for p in scenario.parks]
    if park_id not in ids:
        raise UsageError(f"--park {park_id}: no such park in the scenario; known: "
                         f"{', '.join(ids)}")
    return scenario.park(park_id)


def handle(args) -> int:
    # the stages import slowly: lazy (see energy_model.cli's docstring)
    from energy_model.pipeline import assemble, load_scenario, park_weather_key, scenario_weather
    from energy_model.pipeline.meters import meters_apply
    from energy_model.files import atomic_file
    from energy_model.results import CSV_ENCODING
    from energy_model.studies.fixed_design import check_fixed, evaluate_design

    fixed = parse_fixed(args.fixed)
    scenario = load_scenario(args.scenario, overrides=parse_sets(args.set))
    park = _park(scenario, args.park)
    weather = scenario_weather(scenario)[park_weather_key(scenario, park)][0]
    inputs = assemble(scenario, park, weather)
    check_fixed(inputs, fixed)  # before any solve
    ev = evaluate_design(inputs, fixed, args.dispatch)
    if meters_apply(scenario, park):
        ev.notes.append("a KKT the run sizes per class meter: evaluated here at the zone's "
                        "one meter (kkt_metering: zone_substation_storage)")
    print("\n".join(_summary(ev)))
    print(format_table(ev))
    for line in _value_lost(ev):
        print(line)
    if args.out:
        path = Path(args.out) / f"evaluate_{park.id}.csv"
        with atomic_file(path) as tmp:  # 12 digits: annual bills reach 1e12 VND
            ev.table.to_csv(tmp, encoding=CSV_ENCODING, float_format="%.12g",
                            lineterminator="\n")
        print(f"table: {path}")
    return 0
