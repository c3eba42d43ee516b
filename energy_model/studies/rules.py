"""The headline under each rule set (issue 15): :func:`compare_rules`.

A run's grid-pressure headline and economics depend on the tariff frame and the export
rule. :func:`compare_rules` re-sizes the scenario once per rule set of
:func:`energy_model.rules_in_force.rule_sets` (the rules in force, the 2023 frame, the
two-component pilot, export 20 % of power instead of 50 % of energy, and the former
default) and returns one row per set, so the dependence on the rules is visible in one
table (``rules_comparison.csv``). Every set is applied as scenario overrides on top of
the scenario as given, so everything else (parks, costs, weather, ``--set`` overrides)
stays the same.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

import pandas as pd

from energy_model.pipeline import ScenarioResult, run_scenario
from energy_model.rules_in_force import RuleSet, rule_sets
from energy_model.scenario import Scenario, layer_files

#: economic and energy columns of the PROVINCE row added to the headline
SUMMARY_COLUMNS = ("pv_mwp", "battery_mwh", "npv_billion_vnd", "self_sufficiency_pct",
                   "annual_saving_billion_vnd")


def _set_path(data: dict, dotted: str, value: Any) -> None:
    keys = dotted.split(".")
    node = data
    for k in keys[:-1]:
        node = node.setdefault(k, {})
    node[keys[-1]] = value


def with_overrides(scenario: Scenario, overrides: dict[str, Any]) -> Scenario:
    """A copy of ``scenario`` with ``{"key.path": value}`` overrides, validated again.

    The copy keeps the scenario's layer files (for located messages and provenance).
    """
    data = scenario.model_dump(mode="python")
    for key, value in overrides.items():
        _set_path(data, key, value)
    out = Scenario.model_validate(data)
    out._files = layer_files(scenario)
    out._lines = getattr(scenario, "_lines", None)
    return out


def comparison_row(rs: RuleSet, result: ScenarioResult) -> dict[str, Any]:
    """One row: the rule set, its grid-pressure headline and the PROVINCE row's economics."""
    prov = result.summary.set_index("park_id").loc["PROVINCE"]
    row = {"rule_set": rs.name, "description": rs.label}
    row.update(result.grid.headline if result.grid is not None else {})
    row.update({c: float(prov[c]) if c in prov.index else float("nan")
                for c in SUMMARY_COLUMNS})
    return row


def compare_rules(scenario: Scenario, *, workers: int | None = 1,
                  rule_names: list[str] | None = None,
                  run: Callable[..., ScenarioResult] | None = None,
                  executor: Executor | None = None) -> pd.DataFrame:
    """Run the scenario under each rule set and tabulate the headline.

    Each set re-sizes every park (one full :func:`~energy_model.pipeline.run_scenario` per
    set), so the table shows what the rules change in the designs as well as in the grid.

    Parameters
    ----------
    scenario : Scenario
    workers : int or None
        Worker processes of each run (None: one per core).
    rule_names : list of str, optional
        Sets to run, in table order (default: all of :func:`rule_sets`).
    run : callable, optional
        Stand-in for :func:`~energy_model.pipeline.run_scenario` (tests).
    executor : concurrent.futures.Executor, optional
        A process pool the runs size their parks on (``workers`` is then ignored), e.g.
        ``energy-model run``'s own, which then starts no pool per rule set.

    Returns
    -------
    pandas.DataFrame
        One row per rule set: ``rule_set``, ``description``, the columns of
        ``grid/headline.csv`` (:func:`energy_model.metrics.grid_pressure_headline` +
        ``tariff``, ``frame``, ``kkt_metering``), then ``pv_mwp``, ``battery_mwh``,
        ``npv_billion_vnd``, ``self_sufficiency_pct``, ``annual_saving_billion_vnd`` of
        the PROVINCE row.
    """
    sets = rule_sets()
    names = list(sets) if rule_names is None else list(rule_names)
    run = run or run_scenario
    rows = []
    for name in names:
        rs = sets[name]
        result = run(with_overrides(scenario, rs.overrides), progress=False, workers=workers,
                     executor=executor)
        rows.append(comparison_row(rs, result))
    return pd.DataFrame(rows)
