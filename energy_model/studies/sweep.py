"""Sweeps: many variants of one base scenario, on a local process pool or a Dask cluster.

A sweep file names a base scenario, the key paths to vary and the outputs to collect::

    name: battery_cost
    base: ../example_single_park.yaml      # relative to this file
    parameters:                            # the Cartesian product of the axes below
      - key: costs.battery_energy.capex_vnd_per_kwh
        values: [4.0e6, 5.6e6]
      - key: economics.discount_rate_real
        range: {start: 0.04, stop: 0.10, step: 0.02}   # stop included when hit exactly
      - zip:                               # these keys move together
          load_case: [low, base, high]
          load_calibration: [0.9, 1.0, 1.1]
    outputs: [pv_mwp, battery_mwh, self_sufficiency_pct, annual_cost_billion_vnd]

Each variant is the base scenario with ``load_scenario(base, overrides=...)`` applied, so
the layering rules of :mod:`energy_model.scenario` hold (overrides have the highest
precedence). Its **key** is the SHA-256 of what determines its result: the resolved
scenario, the outputs, the package version and the content of the shipped data tables
and weather normals. Results go to ``OUT/<name>/``::

    parts/<key>.json   one file per finished variant (written atomically), ok or failed
    results.parquet    the tidy table: one row per variant and park (+ PROVINCE)
    results.csv        the same table, UTF-8 with BOM
    sweep.json         the sweep file as read, the variants and their keys

Re-running a sweep skips every variant whose part file exists, so an interrupted sweep
resumes where it stopped; a failed variant is recorded with its error and is retried
only with ``retry_failed=True``; a variant whose worker process died (memory, a signal)
is marked ``lost`` in the table but not recorded, so the next run retries it. Timings
are kept out of the table (they go to
``parts/<key>.json`` as ``seconds``) so that two runs of a sweep give identical tables,
wherever they ran.

The evaluation function is pluggable: ``scenario`` (the only one a sweep file may name)
runs :func:`energy_model.pipeline.run_scenario`; the package registers others in
:data:`EVALUATORS` (``design_year``), and an in-memory :class:`SweepSpec` may name any
importable ``module:function`` (the tests' cheap stand-in evaluator lives under tests/).
The sweep file's schema is :class:`energy_model.studies.spec.SweepFile`.
"""

from __future__ import annotations

import importlib
import json
import itertools
import math
import multiprocessing
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from energy_model import __version__, files
from energy_model.errors import ScenarioError, UsageError
from energy_model.paths import package_data, shipped_dir
from energy_model.pipeline import run_scenario
from energy_model.results import file_sha256, safe_name, write_csv
from energy_model.pipeline import load_scenario
from energy_model.studies.cache import canonical_json, content_hash
from energy_model.studies.spec import Axis, SweepFile, load_study

#: summary columns never copied into a sweep table: they vary from run to run
VOLATILE_COLUMNS = ("solve_s",)
#: leading columns of the tidy table, before the parameter and output columns
ID_COLUMNS = ("variant", "variant_key", "status", "error", "park_id")

__all__ = ["Axis", "SweepResult", "SweepSpec", "Variant", "content_hash", "expand",
           "load_sweep", "main_effects", "read_table", "run_sweep", "variants"]


@dataclass(frozen=True)
class SweepSpec:
    """A sweep file, read and checked.

    Attributes
    ----------
    name : str
        Sweep name; results go to ``OUT/<name>/``.
    base : Path or None
        Base scenario file.
    evaluate : str
        Evaluation function: a name of :data:`EVALUATORS` or ``module:function``.
    axes : tuple of Axis
        The axes; variants are their Cartesian product, first axis slowest.
    outputs : tuple of str or None
        Summary columns to keep (None: all but :data:`VOLATILE_COLUMNS`).
    options : dict
        Settings passed to the evaluator as ``task["options"]`` but not hashed into the
        keys (e.g. where a test evaluator keeps its journal).
    context : dict
        Fixed JSON-able inputs every variant's evaluator receives (hashed into the keys),
        e.g. the sized capacities of :mod:`energy_model.studies.uncertainty`'s design years.
    file : str
        Where the spec was read from.
    description : str
    """

    name: str
    base: Path | None
    evaluate: str
    axes: tuple[Axis, ...]
    outputs: tuple[str, ...] | None = None
    options: dict = field(default_factory=dict)
    file: str = "<memory>"
    description: str = ""
    context: dict = field(default_factory=dict)

    @property
    def keys(self) -> list[str]:
        """Every varied key path, in axis order."""
        return [k for a in self.axes for k in a.keys]


@dataclass(frozen=True)
class Variant:
    """One point of a sweep.

    Attributes
    ----------
    index : int
        Position in the sweep (0-based, first axis slowest).
    overrides : dict
        ``{key path: value}`` applied to the base scenario.
    key : str
        Content hash (hex SHA-256) of everything that determines the result.
    """

    index: int
    overrides: dict
    key: str


def load_sweep(path: str | Path) -> SweepSpec:
    """Read and check a sweep file (schema: :class:`energy_model.studies.spec.SweepFile`).

    Parameters
    ----------
    path : str or Path
        Sweep YAML.

    Returns
    -------
    SweepSpec

    Raises
    ------
    ScenarioError
        Naming the file, line and key of every problem.
    """
    data, base, path = load_study(path, SweepFile, "sweep")
    return SweepSpec(name=data.name, base=base, evaluate=data.evaluate,
                     axes=tuple(data.parameters),
                     outputs=tuple(data.outputs) if data.outputs else None,
                     file=str(path), description=data.description)


def expand(spec: SweepSpec) -> list[dict]:
    """The overrides of every variant: the Cartesian product of the axes, first axis slowest."""
    out = []
    for combo in itertools.product(*(a.values for a in spec.axes)):
        overrides = {}
        for axis, point in zip(spec.axes, combo):
            overrides.update(dict(zip(axis.keys, point)))
        out.append(overrides)
    return out


# ----------------------------------------------------------------------------- hashing
@lru_cache(maxsize=1)
def data_fingerprint() -> str:
    """SHA-256 over the shipped data tables and weather normals: a change re-runs variants."""
    files = sorted(p for p in package_data().rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts)
    try:
        files += sorted(shipped_dir("weather").glob("*.csv"))
    except FileNotFoundError:
        pass
    return content_hash({str(p.name): file_sha256(p) for p in files})


def variant_key(spec: SweepSpec, overrides: dict) -> str:
    """Content-hash key of a variant.

    For the package's evaluators the scenario is resolved first, so two sweeps reaching
    the same scenario by different files share a key, and an edit of the base file (or of
    a file it extends) changes it; for a ``module:function`` evaluator the overrides are
    hashed as they are.
    """
    if spec.base is not None and spec.evaluate in EVALUATORS:
        scen, extra = scenario_overrides(spec, overrides)
        try:
            resolved = load_scenario(spec.base, overrides=scen).model_dump(mode="json")
        except ScenarioError as exc:  # recorded as a failed variant; keyed by its inputs
            resolved = {"invalid": str(exc), "base": str(spec.base), "overrides": scen}
        what = {"scenario": resolved, "extra": extra}
    else:
        what = {"overrides": overrides}
    return content_hash({"evaluate": spec.evaluate, "outputs": spec.outputs, **what,
                         "context": spec.context, "version": __version__,
                         "data": data_fingerprint()})


def scenario_overrides(spec: SweepSpec, overrides: dict) -> tuple[dict, dict]:
    """Split a variant's overrides into scenario key paths and evaluator arguments.

    Scenario overrides are the context's ``set`` (fixed for the sweep) updated by the
    variant's keys; keys named in the context's ``arguments`` go to the evaluator.
    """
    args = set(spec.context.get("arguments", ()))
    scen = {**spec.context.get("set", {}), **{k: v for k, v in overrides.items() if k not in args}}
    return scen, {k: v for k, v in overrides.items() if k in args}


def variants(spec: SweepSpec) -> list[Variant]:
    """Every variant of a sweep with its key."""
    return [Variant(i, o, variant_key(spec, o)) for i, o in enumerate(expand(spec))]


# ----------------------------------------------------------------------------- evaluators
def evaluate_scenario(task: dict) -> list[dict]:
    """Run one variant through the pipeline; one summary row per park plus PROVINCE.

    Parameters
    ----------
    task : dict
        ``base`` (scenario path), ``overrides``, ``outputs`` (list or None).

    Returns
    -------
    list of dict
        Summary rows restricted to ``outputs`` (``park_id`` always kept).
    """
    scenario = load_scenario(task["base"], overrides={**(task.get("context") or {}).get("set", {}),
                                                      **task["overrides"]})
    summary = run_scenario(scenario).summary
    return _select(summary, task.get("outputs"))


def _select(summary: pd.DataFrame, outputs) -> list[dict]:
    if outputs:
        missing = [c for c in outputs if c not in summary.columns]
        if missing:
            raise ScenarioError(f"outputs: unknown summary columns {missing}; known: "
                                f"{', '.join(summary.columns)}")
        cols = ["park_id"] + [c for c in outputs if c != "park_id"]
    else:
        cols = [c for c in summary.columns if c not in VOLATILE_COLUMNS]
    return summary[cols].to_dict(orient="records")


#: evaluation functions (``module:function``) by the name used in sweep files
EVALUATORS: dict[str, str] = {
    "scenario": "energy_model.studies.sweep:evaluate_scenario",
    "design_year": "energy_model.studies.uncertainty:evaluate_design_year",
}


def evaluator(name: str) -> Callable[[dict], list[dict]]:
    """The evaluation function registered as ``name``, or ``module:function``."""
    module, func = EVALUATORS.get(name, name).split(":")
    return getattr(importlib.import_module(module), func)


def run_task(task: dict) -> dict:
    """Evaluate one variant and capture any failure (runs in a worker process).

    Returns
    -------
    dict
        ``key``, ``variant``, ``overrides``, ``status`` ("ok" or "failed"), ``error``
        (message, None when ok), ``rows`` (list of dict), ``seconds`` (wall) and
        ``cpu_seconds`` (this process's CPU time) [s].
    """
    t, cpu = time.perf_counter(), time.process_time()
    out = {"key": task["key"], "variant": task["variant"], "overrides": task["overrides"],
           "status": "ok", "error": None, "rows": []}
    try:
        out["rows"] = evaluator(task["evaluate"])(task)
    except Exception as exc:  # recorded, the sweep goes on
        out["status"] = "failed"
        out["error"] = f"{type(exc).__name__}: {exc}"
        out["traceback"] = traceback.format_exc(limit=8)
    out["seconds"] = time.perf_counter() - t
    out["cpu_seconds"] = time.process_time() - cpu
    return out


# ----------------------------------------------------------------------------- running
@dataclass
class SweepResult:
    """What a sweep run did.

    Attributes
    ----------
    table : pandas.DataFrame
        The tidy table (one row per variant and park; a failed variant has one row).
    folder : Path
        ``OUT/<name>/``.
    ran : list of str
        Keys evaluated in this run.
    skipped : list of str
        Keys found done and not run again.
    failed : list of str
        Keys whose variant failed (this run or before), or whose worker was lost
        (status ``lost``: not recorded on disk, so the next run retries them).
    seconds : float
        Wall time of this run [s].
    """

    table: pd.DataFrame
    folder: Path
    ran: list[str]
    skipped: list[str]
    failed: list[str]
    seconds: float

    @property
    def variants_per_minute(self) -> float:
        """Throughput of this run [variants/min] (evaluated variants only)."""
        return 60.0 * len(self.ran) / self.seconds if self.seconds > 0 else float("nan")


def _write_json_atomic(obj: dict, path: Path) -> None:
    files.write_json(obj, path, indent=None, sort_keys=False, newline=False)


def _read_part(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # unreadable: treated as not done


def done_parts(parts_dir: Path, keys: Iterable[str]) -> dict[str, dict]:
    """Part records already on disk for ``keys``."""
    out = {}
    for k in keys:
        rec = _read_part(parts_dir / f"{k}.json")
        if rec is not None and rec.get("key") == k:
            out[k] = rec
    return out


def _tasks(spec: SweepSpec, todo: list[Variant]) -> list[dict]:
    return [{"key": v.key, "variant": v.index, "overrides": v.overrides, "evaluate": spec.evaluate,
             "base": str(spec.base) if spec.base else None,
             "outputs": list(spec.outputs) if spec.outputs else None, "options": spec.options,
             "context": spec.context}
            for v in todo]


def _local_results(tasks: list[dict], workers: int):
    """Yield task results from a spawn-context process pool as they finish."""
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = {pool.submit(run_task, t): t for t in tasks}
        try:
            for f in as_completed(futures):
                try:
                    yield f.result()
                except Exception as exc:  # the worker died (memory, signal): not the variant's fault
                    yield lost(futures[f], exc)
        except BaseException:
            for f in futures:
                f.cancel()
            raise


def lost(task: dict, exc: BaseException) -> dict:
    """Record of a variant whose worker was lost; kept in memory only, so a re-run retries it."""
    return {"key": task["key"], "variant": task["variant"], "overrides": task["overrides"],
            "status": "lost", "error": f"worker lost: {type(exc).__name__}: {exc}", "rows": [],
            "seconds": float("nan")}


def _dask_results(tasks: list[dict], scheduler: str):
    """Yield task results from a dask.distributed cluster as they finish."""
    try:
        # imported here: dask.distributed costs about 1 s to import and only --scheduler uses it
        from distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - dask[distributed] is a dependency
        raise UsageError("--scheduler needs dask.distributed "
                         "(pip install 'dask[distributed]')") from exc
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"--scheduler {scheduler}: cannot reach the Dask scheduler "
                         f"({exc})") from None
    try:
        futures = client.map(run_task, tasks, key=[f"energy-model-sweep-{t['key']}" for t in tasks],
                             pure=False)
        by_key = {f.key: t for f, t in zip(futures, tasks)}
        for f in as_completed(futures):
            try:
                yield f.result()
            except Exception as exc:  # KilledWorker, lost connection: retried on a re-run
                yield lost(by_key[f.key], exc)
            f.release()
    finally:
        client.close()


def run_sweep(spec: SweepSpec | str | Path, out_dir: str | Path = "results/sweeps",
              workers: int = 1, scheduler: str | None = None, progress: bool = False,
              retry_failed: bool = False) -> SweepResult:
    """Run (or resume) a sweep and write its tidy table.

    Parameters
    ----------
    spec : SweepSpec or path
        The sweep, or its YAML file.
    out_dir : str or Path
        Parent folder; results go to ``out_dir/<name>/``.
    workers : int
        Local worker processes (ignored with ``scheduler``).
    scheduler : str, optional
        Address of a dask.distributed scheduler (``tcp://HOST:PORT``).
    progress : bool
        Show a progress bar.
    retry_failed : bool
        Run failed variants again (default: keep their recorded error).

    Returns
    -------
    SweepResult
    """
    if not isinstance(spec, SweepSpec):
        spec = load_sweep(spec)
    if workers < 1:
        raise UsageError(f"--workers must be at least 1, got {workers}")
    t0 = time.perf_counter()
    folder = Path(out_dir) / safe_name(spec.name)
    parts = folder / "parts"
    parts.mkdir(parents=True, exist_ok=True)
    all_variants = variants(spec)
    done = done_parts(parts, [v.key for v in all_variants])
    if retry_failed:
        done = {k: r for k, r in done.items() if r.get("status") == "ok"}
    todo, seen = [], set()
    for v in all_variants:
        if v.key not in done and v.key not in seen:
            todo.append(v)
            seen.add(v.key)
    tasks = _tasks(spec, todo)
    _write_json_atomic({"file": spec.file, "name": spec.name, "base": str(spec.base),
                        "evaluate": spec.evaluate, "outputs": spec.outputs,
                        "context": spec.context,
                        "variants": [{"variant": v.index, "key": v.key, "overrides": v.overrides}
                                     for v in all_variants]}, folder / "sweep.json")
    ran: list[str] = []
    if tasks:
        stream = (_dask_results(tasks, scheduler) if scheduler
                  else _local_results(tasks, min(workers, len(tasks))))
        bar = None
        if progress:
            bar = tqdm(total=len(tasks), desc=f"sweep {spec.name}", unit="variant")
        try:
            for rec in stream:
                if rec["status"] != "lost":
                    _write_json_atomic(rec, parts / f"{rec['key']}.json")
                done[rec["key"]] = rec
                ran.append(rec["key"])
                if bar is not None:
                    bar.update(1)
        finally:
            if bar is not None:
                bar.close()
    table = build_table(spec, all_variants, done)
    write_table(table, folder)
    failed = sorted({v.key for v in all_variants if done[v.key]["status"] != "ok"})
    skipped = [v.key for v in all_variants if v.key not in set(ran)]
    return SweepResult(table=table, folder=folder, ran=ran, skipped=skipped, failed=failed,
                       seconds=time.perf_counter() - t0)


def build_table(spec: SweepSpec, all_variants: list[Variant],
                records: dict[str, dict]) -> pd.DataFrame:
    """The tidy table from part records, in variant order.

    Columns: ``variant``, ``variant_key``, ``status``, ``error``, ``park_id``, one column
    per varied key path (its value), then the outputs.
    """
    rows = []
    for v in all_variants:
        rec = records[v.key]
        head = {"variant": v.index, "variant_key": v.key, "status": rec["status"],
                "error": rec["error"]}
        params = {k: _cell(v.overrides.get(k)) for k in spec.keys}
        if rec["status"] == "ok" and rec["rows"]:
            for r in rec["rows"]:
                rows.append({**head, "park_id": r.get("park_id"), **params,
                             **{k: val for k, val in r.items() if k != "park_id"}})
        else:
            rows.append({**head, "park_id": None, **params})
    table = pd.DataFrame(rows)
    for c in ID_COLUMNS:
        if c not in table.columns:
            table[c] = None
    table.attrs["parameters"] = list(spec.keys)
    return table


def _cell(value: Any) -> Any:
    """A parameter value as a table cell (lists and mappings as canonical JSON)."""
    return canonical_json(value) if isinstance(value, (list, dict)) else value


def write_table(table: pd.DataFrame, folder: Path) -> None:
    """Write ``results.parquet`` and ``results.csv`` atomically."""
    folder = Path(folder)
    with files.atomic_file(folder / "results.parquet") as tmp:
        _parquet(table, tmp)
    write_csv(table, folder / "results.csv", index=False)


def _parquet(table: pd.DataFrame, path: Path) -> None:
    t = table.copy()
    for c in t.columns:  # mixed-type parameter columns (e.g. 5 and "none") as text
        if t[c].dtype == object:
            kinds = {type(v) for v in t[c]
                     if v is not None and not (isinstance(v, float) and math.isnan(v))}
            if len(kinds) > 1:
                t[c] = t[c].map(lambda v: None if v is None else str(v))
    t.to_parquet(path, index=False)


def read_table(folder: str | Path) -> pd.DataFrame:
    """Read a sweep's ``results.parquet`` (``attrs["parameters"]`` from ``sweep.json``)."""
    folder = Path(folder)
    table = pd.read_parquet(folder / "results.parquet")
    meta = _read_part(folder / "sweep.json") or {}
    keys = []
    for v in meta.get("variants", []):
        keys += [k for k in v["overrides"] if k not in keys]
    table.attrs["parameters"] = keys
    return table


# ----------------------------------------------------------------------------- sensitivity
def main_effects(table: pd.DataFrame, metric: str, park_id: str = "PROVINCE",
                 keys: list[str] | None = None) -> pd.DataFrame:
    """Main effect of each varied key on one output of a full-factorial sweep.

    For each key and each of its values, the mean of ``metric`` over every variant with
    that value (the other keys averaged over their grid): the usual main-effects view of
    a factorial design, and HOMER's sensitivity view for one key at a time.

    Parameters
    ----------
    table : pandas.DataFrame
        Tidy sweep table (:func:`run_sweep`); failed variants are left out.
    metric : str
        Output column.
    park_id : str
        Row to use (a park id or ``PROVINCE``).
    keys : list of str, optional
        Varied key paths (default: ``table.attrs["parameters"]``, set by
        :func:`build_table` and :func:`read_table`).

    Returns
    -------
    pandas.DataFrame
        ``key``, ``value``, ``mean`` (of ``metric``), ``n`` (variants), ``swing``
        (largest minus smallest mean of that key, in the unit of ``metric``).
    """
    t = table[(table["status"] == "ok") & (table["park_id"] == park_id)]
    if metric not in t.columns:
        raise UsageError(f"no output column {metric!r} in the sweep table")
    if keys is None:
        keys = list(table.attrs.get("parameters", []))
        if not keys:
            raise UsageError("main_effects: name the varied keys (the table carries no "
                             "'parameters' attribute)")
        keys = [k for k in keys if k in t.columns and t[k].nunique(dropna=True) > 1]
    rows = []
    for k in keys:
        g = t.groupby(k, sort=True)[metric].agg(["mean", "size"]).reset_index()
        swing = float(g["mean"].max() - g["mean"].min()) if len(g) else np.nan
        for _, r in g.iterrows():
            rows.append({"key": k, "value": r[k], "mean": float(r["mean"]), "n": int(r["size"]),
                         "swing": swing})
    return pd.DataFrame(rows, columns=["key", "value", "mean", "n", "swing"])
