"""Scenario files: the YAML loader (layering, overrides, located errors) and the JSON-schema
export. The schema itself is in :mod:`.model`, :mod:`.pv`, :mod:`.wind` and :mod:`.load`.

A scenario is a YAML file describing one province study: the simulated year, the weather
source, the tariff and export rules, economics, costs and the parks. Every field has a
unit in its name or its description, every number is bounded, and unknown keys are
refused with a did-you-mean suggestion.

Layering (precedence from low to high)
--------------------------------------
1. the model defaults written in this schema;
2. the file named by ``extends:`` (recursively; its own relative paths resolve against it);
3. the file itself: mappings are merged key by key, lists are replaced, except ``parks``,
   which is merged by ``id`` (an entry with a known id updates that park; a new id is
   appended; ``remove_parks: [id, ...]`` drops parks of the base);
4. ``--set key.path=value`` overrides on the command line (``load_scenario(overrides=...)``).

Relative paths (``weather.normals``, ``weather.file``, ``parks[].weather_file``,
``parks[].load.meter_file``, ``parks[].wind[].power_curve``) resolve against the file
that names them.

Sources
-------
Catalog figures carry their quality mark in a per-park ``sources:`` map keyed by field
path (``area_ha``, ``grid.substation_mva``, ``pv`` for all PV fields, ...), and a
top-level ``sources:`` map for scenario-wide figures. Marks: **S** read on an official
or news page; **S2** quoted by secondary documents; **E** an estimate with its method;
**NF** not found; **user** a user's own input.
"""

from __future__ import annotations

import copy
import difflib
import re
import types
import typing
from pathlib import Path
from typing import Any, Union

from pydantic import BaseModel, ValidationError

from energy_model.errors import Problem, ScenarioError
from energy_model.paths import default_scenario
from energy_model.scenario.contracts import contract_problems
from energy_model.scenario.locate import located_problem
from energy_model.scenario.model import Scenario
from energy_model.yaml_io import LineMap, line_of, load_yaml

# ---------------------------------------------------------------------- loading
#: key paths (with '*' for list items) that hold file paths relative to the scenario file
PATH_KEYS: tuple[tuple, ...] = (
    ("weather", "normals"), ("weather", "file"),
    ("parks", "*", "weather_file"), ("parks", "*", "load", "meter_file"),
    ("parks", "*", "wind", "*", "power_curve"), ("contracts", "market_price_file"),
)


def _resolve_paths(data: Any, base: Path) -> None:
    def visit(node: Any, keys: tuple) -> None:
        if not keys or node is None:
            return
        head, rest = keys[0], keys[1:]
        if head == "*":
            if isinstance(node, list):
                for item in node:
                    visit(item, rest)
            return
        if not isinstance(node, dict) or head not in node:
            return
        if not rest:
            value = node[head]
            if isinstance(value, str) and value and not Path(value).is_absolute():
                node[head] = str((base / value).resolve())
            return
        visit(node[head], rest)

    for keys in PATH_KEYS:
        visit(data, keys)


def _deep_merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            if k == "parks" and isinstance(v, list) and isinstance(base.get("parks"), list):
                out[k] = _merge_parks(base["parks"], v)
            else:
                out[k] = _deep_merge(base.get(k), v) if k in base else copy.deepcopy(v)
        return out
    return copy.deepcopy(over)


def _merge_parks(base: list, over: list) -> list:
    merged = [copy.deepcopy(p) for p in base]
    index = {p.get("id"): i for i, p in enumerate(merged) if isinstance(p, dict)}
    for p in over:
        pid = p.get("id") if isinstance(p, dict) else None
        if pid in index:
            merged[index[pid]] = _deep_merge(merged[index[pid]], p)
        else:
            merged.append(copy.deepcopy(p))
    return merged


def _set_path(data: dict, dotted: str, value: Any) -> None:
    """Apply one ``--set a.b[2].c=value`` override."""
    parts: list[Any] = []
    for token in dotted.split("."):
        m = re.fullmatch(r"([^\[\]]+)((?:\[\d+\])*)", token)
        if not m:
            raise ScenarioError(f"--set {dotted}: cannot parse key path segment {token!r}")
        parts.append(m.group(1))
        parts.extend(int(i) for i in re.findall(r"\[(\d+)\]", m.group(2)))
    node: Any = data
    for part in parts[:-1]:
        try:
            node = node[part] if not (isinstance(node, dict) and part not in node) else node.setdefault(part, {})
        except (IndexError, KeyError, TypeError):
            raise ScenarioError(f"--set {dotted}: no such key path in the scenario") from None
    try:
        node[parts[-1]] = value
    except (IndexError, TypeError):
        raise ScenarioError(f"--set {dotted}: no such key path in the scenario") from None


def _read_layered(path: Path, chain: tuple[Path, ...] = ()) -> tuple[dict, LineMap, list[Path]]:
    path = path.resolve()
    if path in chain:
        raise ScenarioError(f"{path}: 'extends' forms a loop: "
                            + " -> ".join(str(p) for p in chain + (path,)), file=str(path))
    data, lines = load_yaml(path)
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: expected a mapping of scenario keys at the top level, "
                            f"got {type(data).__name__}", file=str(path))
    _resolve_paths(data, path.parent)
    files = [path]
    base_name = data.get("extends")
    if base_name:
        if not isinstance(base_name, str):
            raise ScenarioError(f"{path}:{lines.get(('extends',), '?')}: extends must be a file path")
        base_path = (path.parent / base_name)
        if not base_path.exists():
            raise ScenarioError(f"{path}:{lines.get(('extends',), '?')}: extends: base scenario "
                                f"{base_name!r} not found (looked at {base_path})", file=str(path))
        base, _, base_files = _read_layered(base_path, chain + (path,))
        removed = data.pop("remove_parks", None) or []
        if removed and isinstance(base.get("parks"), list):
            base["parks"] = [p for p in base["parks"] if p.get("id") not in removed]
        data = _deep_merge(base, data)
        files = base_files + files
    data.pop("remove_parks", None)
    return data, lines, files


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The pydantic model class that owns the last key of ``loc`` (for did-you-mean)."""
    model: Any = Scenario
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(part)
        if field is None:
            return model
        model = _unwrap(field.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, dict):
        args = typing.get_args(annotation)
        return _unwrap(args[-1]) if args else None
    if origin in (Union, types.UnionType) or origin is typing.Annotated:
        for arg in typing.get_args(annotation):
            u = _unwrap(arg)
            if isinstance(u, type) and issubclass(u, BaseModel):
                return u
        return None
    return annotation


def _problems_from_validation(exc: ValidationError, file: str, lines: LineMap,
                              data: dict) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and
                                                  p in ("function-after", "function-before")))
        # drop pydantic's union/tag markers
        loc = tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p.startswith("tagged"))))
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        if err["type"] == "extra_forbidden":
            model = _model_at(loc[:-1])
            key = loc[-1]
            msg = "unknown key"
            if model is not None:
                fields = list(model.model_fields)
                close = difflib.get_close_matches(str(key), fields, n=1, cutoff=0.6)
                if close:
                    msg += f"; did you mean {close[0]!r}?"
                else:
                    msg += f"; expected one of: {', '.join(fields)}"
        elif err["type"] == "missing":
            msg = "required key is missing"
        elif "input" in err and err["type"] not in ("model_type", "dict_type") and \
                not (isinstance(err["input"], dict) and len(loc) == 0):
            shown = repr(err["input"])
            if len(shown) > 60:
                shown = shown[:57] + "..."
            msg = f"{msg}, got {shown}"
        problems.append(located_problem(msg, file, lines, loc))
    return problems


def _duplicate_id_problems(data: Any, file: str, lines: LineMap) -> list[Problem]:
    """One located problem per park whose ``id`` repeats an earlier park's."""
    parks = data.get("parks") if isinstance(data, dict) else None
    if not isinstance(parks, list):
        return []
    first: dict[str, int] = {}
    problems = []
    for i, park in enumerate(parks):
        pid = park.get("id") if isinstance(park, dict) else None
        if not isinstance(pid, str):
            continue
        if pid in first:
            j = first[pid]
            problems.append(Problem(
                f"duplicate park ids: {pid!r} is also parks[{j}].id (line "
                f"{line_of(lines, ('parks', j, 'id'))}); park ids must be unique",
                file=file, line=line_of(lines, ("parks", i, "id")), key=f"parks[{i}].id"))
        else:
            first[pid] = i
    return problems


def load_scenario(path: str | Path | None = None,
                  overrides: dict[str, Any] | None = None) -> Scenario:
    """Load, layer and validate a scenario file against the schema.

    Named references to the stages' data (weather stations, tariffs, turbines, files) are
    checked one layer up, by :func:`energy_model.pipeline.load_scenario` (which
    ``energy_model.load_scenario`` is): the scenario layer imports no stage.

    Parameters
    ----------
    path : str or Path, optional
        Scenario YAML. Default: the Quảng Ninh catalog.
    overrides : dict, optional
        ``{"key.path": value}`` applied last (highest precedence).

    Returns
    -------
    Scenario
        With ``scenario_file`` and ``layer_files`` in ``Scenario.model_extra``-free attributes
        :func:`scenario_file` and :func:`layer_files`.

    Raises
    ------
    ScenarioError
        Listing every problem with its file, line and key path.
    """
    path = Path(path) if path is not None else default_scenario()
    data, lines, files = _read_layered(path)
    for key, value in (overrides or {}).items():
        _set_path(data, key, value)
    data.pop("extends", None)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = _problems_from_validation(exc, str(path), lines, data)
        located = _duplicate_id_problems(data, str(path), lines)
        if located:  # replace the unlocated model-level message by one per duplicate
            problems = [p for p in problems if not p.message.startswith("duplicate park ids")]
            problems += located
        raise ScenarioError(f"{path}: {len(problems)} problem(s) in the scenario",
                            problems, file=str(path)) from None
    problems = contract_problems(scenario, str(path), lines)
    if problems:
        raise ScenarioError(f"{path}: {len(problems)} problem(s) in the scenario",
                            problems, file=str(path))
    scenario._files = tuple(files)
    scenario._lines = lines
    return scenario


def layer_files(scenario: Scenario) -> tuple[Path, ...]:
    """The files a loaded scenario was layered from, base first."""
    return getattr(scenario, "_files", ())


def json_schema() -> dict:
    """The JSON schema of scenario files (for editors and documentation)."""
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "energy_model scenario"
    return schema
