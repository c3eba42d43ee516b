"""``energy-model schema``: print the JSON schema of scenario files."""

from __future__ import annotations

import json


def register(sub) -> None:
    p = sub.add_parser("schema", help="print the JSON schema of scenario files")
    p.set_defaults(func=handle)


def handle(args) -> int:
    # imported here: energy_model.scenario (pydantic models, wind and load schemas) takes
    # about 1.4 s to import (python -X importtime) that --help and other commands skip
    from energy_model.scenario import json_schema

    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return 0
