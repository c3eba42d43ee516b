"""Safe YAML loading that remembers where every key came from.

Only ``yaml.SafeLoader`` is used: no Python object is ever constructed from a scenario.
Alongside the data, :func:`load_yaml` returns a map from key path (a tuple such as
``("parks", 3, "pv", 0, "tilt")``) to the 1-based line in the file, so that validation
errors can point at the line a user must edit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from energy_model.errors import Problem, ScenarioError

#: Largest scenario file accepted [bytes]; a larger one is almost surely a mistake.
MAX_FILE_BYTES = 5 * 1024 * 1024

#: Most values a scenario may expand to, counting every use of an alias; the catalog of
#: 21 parks has about 2,000. Aliases of aliases grow exponentially (the "billion laughs"
#: file: 9 levels of 10 aliases in 300 bytes make 10⁹ values), so they are counted.
MAX_NODES = 200_000

LineMap = dict[tuple, int]


class _TooLarge(Exception):
    pass


def _walk(node: yaml.Node, path: tuple, lines: LineMap, budget: list[int] | None = None) -> None:
    budget = [MAX_NODES] if budget is None else budget
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge(node.start_mark.line + 1)
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            lines[path + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, path + (key,), lines, budget)
            lines[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), lines, budget)


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys in a mapping (YAML silently keeps the last)."""


def _construct_mapping(loader, node, deep=False):
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {seen[key]})",
                key_node.start_mark)
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                                 _construct_mapping)


def read_text(path: str | Path, what: str = "scenario") -> str:
    """Read a UTF-8 text file, with a clear error for missing, huge or non-UTF-8 files."""
    path = Path(path)
    if not path.exists():
        raise ScenarioError(f"{what} file not found: {path}", file=str(path))
    if path.is_dir():
        raise ScenarioError(f"{path} is a folder; expected a {what} YAML file", file=str(path))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ScenarioError(f"{path}: {what} file is {size / 1e6:.1f} MB; the limit is "
                            f"{MAX_FILE_BYTES / 1e6:.0f} MB (is this the right file?)",
                            file=str(path))
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(f"{path}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at "
                            f"offset {exc.start}); save the file as UTF-8",
                            file=str(path)) from None
    if "\x00" in text:
        raise ScenarioError(f"{path}: contains NUL bytes; expected a YAML text file",
                            file=str(path))
    return text


def load_yaml(path: str | Path, what: str = "scenario") -> tuple[Any, LineMap]:
    """Load a YAML file safely; return ``(data, line_map)``.

    Raises
    ------
    ScenarioError
        Missing file, non-UTF-8 text, oversize file, YAML syntax error (with line and
        column) or duplicate keys.
    """
    text = read_text(path, what)
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - SafeLoader subclass
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        msg = exc.problem or str(exc)
        if exc.context:
            msg = f"{msg} ({exc.context})"
        raise ScenarioError(f"YAML syntax error in {path}",
                            [Problem(f"{msg}", file=str(path), line=line, column=col)],
                            file=str(path)) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"YAML error in {path}: {exc}", file=str(path)) from None
    lines: LineMap = {}
    if node is not None:
        try:
            _walk(node, (), lines)
        except _TooLarge as exc:
            raise ScenarioError(
                f"{path}:{exc.args[0]}: the file expands to more than {MAX_NODES:,} values "
                "(aliases of aliases?); a scenario needs a few thousand", file=str(path)) from None
    return data, lines


def line_of(lines: LineMap, path: tuple) -> int | None:
    """The line of the longest prefix of ``path`` found in ``lines``."""
    for n in range(len(path), -1, -1):
        if path[:n] in lines:
            return lines[path[:n]]
    return None
