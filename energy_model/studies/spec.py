"""Study files (sweep, pathway, uncertainty) as pydantic models with located errors.

Each loader reads the YAML with :func:`energy_model.yaml_io.load_yaml`, validates it with
a strict model (unknown keys rejected) and raises :class:`ScenarioError` whose problems
name the file, line and key path of every mistake, as for scenarios.
"""

from __future__ import annotations

import difflib
import math
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from energy_model.errors import Problem, ScenarioError
from energy_model.scenario import MAX_YEAR, MIN_YEAR
from energy_model.yaml_io import LineMap, line_of, load_yaml

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$"
#: hints added to "required key is missing" by key
MISSING_HINTS = {"base": "the base scenario file", "name": "the study name"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ----------------------------------------------------------------------------- sweep
def range_values(spec: Any, where: str = "range") -> list[float]:
    """``{start, stop, step}`` → values from start to stop inclusive (when hit)."""
    if not isinstance(spec, dict) or set(spec) != {"start", "stop", "step"}:
        raise ValueError(f"{where}: range needs exactly start, stop and step, got {spec!r}")
    start, stop, step = (spec[k] for k in ("start", "stop", "step"))
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (start, stop, step)):
        raise ValueError(f"{where}: range start, stop and step must be numbers")
    if step == 0 or (stop - start) / step < 0:
        raise ValueError(f"{where}: step {step} never reaches stop {stop} from {start}")
    n = int(math.floor((stop - start) / step + 1e-9)) + 1
    if n > 10_000:
        raise ValueError(f"{where}: range gives {n} values (limit 10,000)")
    as_int = all(isinstance(v, int) for v in (start, stop, step))
    return [start + i * step if as_int else round(start + i * step, 12) for i in range(n)]


def _zip_axis(item: dict) -> dict:
    if set(item) != {"zip"} or not isinstance(item["zip"], dict) or not item["zip"]:
        raise ValueError("zip must be the only key and map key paths to lists")
    cols = {}
    for k, v in item["zip"].items():
        cols[str(k)] = (range_values(v["range"], f"zip.{k}")
                        if isinstance(v, dict) and "range" in v else v)
        if not isinstance(cols[str(k)], list) or not cols[str(k)]:
            raise ValueError(f"zip.{k}: expected a non-empty list of values")
    lengths = {k: len(v) for k, v in cols.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError(f"zipped lists must have equal lengths, got {lengths}")
    return {"keys": tuple(cols), "values": tuple(zip(*cols.values()))}


class Axis(_Strict):
    """One axis of a sweep: key paths that move together and their values.

    In the file: ``{key, values}``, ``{key, range: {start, stop, step}}`` or
    ``{zip: {key: [values], ...}}``.

    Attributes
    ----------
    keys : tuple of str
        Scenario key paths (``costs.battery_energy.capex_vnd_per_kwh``).
    values : tuple of tuple
        One tuple per point of the axis, aligned with ``keys``.
    """

    keys: tuple[str, ...]
    values: tuple[tuple, ...]

    @model_validator(mode="before")
    @classmethod
    def _from_file(cls, item: Any) -> Any:
        if not isinstance(item, dict):
            raise ValueError("expected a mapping with key+values, key+range or zip")
        if "keys" in item:
            return item
        if "zip" in item:
            return _zip_axis(item)
        extra = set(item) - {"key", "values", "range"}
        if extra or "key" not in item or ("values" in item) == ("range" in item):
            raise ValueError("expected 'key' with exactly one of 'values' or 'range'"
                             + (f"; unknown {sorted(extra)}" if extra else ""))
        if "range" in item:
            values = range_values(item["range"])
        else:
            values = item["values"]
            if not isinstance(values, list) or not values:
                raise ValueError("values: expected a non-empty list")
        return {"keys": (str(item["key"]),), "values": tuple((v,) for v in values)}


class SweepFile(_Strict):
    """A sweep file: a base scenario, the axes to vary and the outputs to keep."""

    name: str = Field(pattern=NAME_PATTERN)
    description: str = ""
    base: str
    evaluate: Literal["scenario"] = "scenario"
    parameters: list[Axis] = Field(min_length=1)
    outputs: list[str] | None = None

    @field_validator("parameters")
    @classmethod
    def _once(cls, axes: list[Axis]) -> list[Axis]:
        keys = [k for a in axes for k in a.keys]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise ValueError(f"key paths varied twice: {dup}")
        return axes


# ----------------------------------------------------------------------------- pathway
class MilestoneEntry(_Strict):
    """One milestone: a year and the scenario keys it sets."""

    year: int = Field(ge=MIN_YEAR, le=MAX_YEAR)
    set: dict[str, Any] = Field(default_factory=dict)

    @field_validator("set", mode="before")
    @classmethod
    def _no_year(cls, v: Any) -> Any:
        v = {} if v is None else v
        if not isinstance(v, dict) or "year" in v:
            raise ValueError("set: a mapping of key paths to values (not 'year')")
        return v


class PathwayFile(_Strict):
    """A pathway file: a base scenario and milestones in increasing years."""

    name: str
    description: str = ""
    base: str
    milestones: list[MilestoneEntry] = Field(min_length=1)

    @classmethod
    def raw_checks(cls, data: dict) -> list[tuple[str, tuple]]:
        """Checks across items, reported beside the items' own problems."""
        items = data.get("milestones")
        if not isinstance(items, list):
            return []
        years = [m.get("year") for m in items if isinstance(m, dict)]
        if all(isinstance(y, int) for y in years) and years != sorted(set(years)):
            return [(f"milestone years must increase strictly, got {years}", ("milestones",))]
        return []


# ----------------------------------------------------------------------------- uncertainty
class UncertaintySettings(_Strict):
    """Weather years of the ensemble, years the design is dispatched over, load cases."""

    weather_years: int = Field(30, ge=2, le=100)
    design_years: int | None = Field(None, ge=1)
    load_cases: bool = True

    @model_validator(mode="after")
    def _within(self):
        if self.design_years is not None and self.design_years > self.weather_years:
            raise ValueError(f"design_years: a whole number within 1..weather_years, "
                             f"got {self.design_years}")
        return self


class UncertaintyFile(_Strict):
    """An uncertainty file: a base scenario and :class:`UncertaintySettings`."""

    name: str
    description: str = ""
    base: str
    uncertainty: UncertaintySettings = Field(default_factory=UncertaintySettings)


# ----------------------------------------------------------------------------- loading
def _message(err: dict, model: type[BaseModel], loc: tuple) -> str:
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        fields = list(model.model_fields) if len(loc) == 1 else []
        close = difflib.get_close_matches(str(loc[-1]), fields, n=1, cutoff=0.6)
        return "unknown key" + (f"; did you mean {close[0]!r}?" if close else
                                f"; expected one of: {', '.join(fields)}" if fields else "")
    if err["type"] == "missing":
        hint = MISSING_HINTS.get(str(loc[-1])) if loc else None
        return "required key is missing" + (f": {hint}" if hint else "")
    if "input" in err and not isinstance(err["input"], dict) and err["type"] != "value_error":
        shown = repr(err["input"])
        msg = f"{msg}, got {shown[:57] + '...' if len(shown) > 60 else shown}"
    return msg


def problems_of(exc: ValidationError, file: str, lines: LineMap,
                model: type[BaseModel]) -> list[Problem]:
    """Located problems (file, line, dotted key path) of a validation error."""
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and (
            p.startswith(("function-", "tagged")) or "[" in p)))
        out.append(Problem(_message(err, model, loc), file=file, line=line_of(lines, loc),
                           key=".".join(str(p) for p in loc) or None))
    # in file order; missing keys (located at their parent) after what is written
    return sorted(out, key=lambda p: (p.message.startswith("required key is missing"),
                                      p.line is None, p.line or 0))


def load_study(path: str | Path, model: type[BaseModel], what: str):
    """Read a study file into ``model``; its base scenario resolved next to the file.

    Returns
    -------
    data : model
    base : Path
        The base scenario file.
    path : Path
        The study file, resolved.

    Raises
    ------
    ScenarioError
        Naming the file, line and key of every problem.
    """
    path = Path(path).resolve()
    data, lines = load_yaml(path, what=what)
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: expected a mapping with name, base, ...", file=str(path))
    problems: list[Problem] = []
    parsed = None
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        problems = problems_of(exc, str(path), lines, model)
    for msg, loc in getattr(model, "raw_checks", lambda d: [])(data):
        problems.append(Problem(msg, file=str(path), line=line_of(lines, loc),
                                key=".".join(map(str, loc))))
    base = (path.parent / str(data.get("base", ""))).resolve()
    if data.get("base") and not base.is_file():
        problems.append(Problem(f"base scenario {data['base']!r} not found (looked at {base})",
                                file=str(path), line=line_of(lines, ("base",)), key="base"))
    if problems:
        raise ScenarioError(f"{path}: {len(problems)} problem(s) in the {what} file", problems,
                            file=str(path))
    return parsed, base, path

