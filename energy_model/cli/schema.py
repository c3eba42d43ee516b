"""``energy-model schema``: print the JSON schema of scenario files."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("schema", help="print the JSON schema of scenario files")
    p.set_defaults(func=handle)


def handle(args) -> int:
    import json

    from energy_model.scenario import json_schema

    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return 0
