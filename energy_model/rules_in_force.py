"""The rule sets a run's headline is compared under: tariff frames and export rules.

The default of every scenario from 2027 on is the rule set ``in_force``: the QĐ 963/2026
time-of-use frame (tariff ``evn_2026``, peak 17:30–22:30 Mon–Sat, S2) and the Decree
243/2026 export rule (surplus ≤ 50 % of the energy at the inverter output, S2). The other
sets change one rule at a time, so the dependence of each headline number on the rules is
visible in one table; ``legacy_2023`` changes both (the rules the catalog used before).

Each set is given as scenario ``--set``-style overrides (``{"key.path": value}``, for
:func:`energy_model.scenario.load_scenario` ``overrides=``). The export values are read
from the export rules of ``energy_model/data/tariffs.yaml``, so the data file stays the one
place they are written. A set never overrides the surplus price or the allow_* switches.

The two-component pilot is open to producers at ≥ 22 kV only (S2): under the ``pilot``
set a park that is not eligible (a KKT's business loads, or a lower voltage) stays on the
frame in force; :func:`tariff_for_park` gives each park's tariff under a set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from energy_model import tariff as tf

#: tariff of the rules in force from 2027 (QĐ 1279 prices on the QĐ 963/2026 frame)
IN_FORCE_TARIFF = "evn_2026"
#: export rule in force from 2027
IN_FORCE_EXPORT = "decree_243_2026"
#: the 2023 frame (QĐ 1279 prices on the 2023 frame)
FRAME_2023_TARIFF = "evn_2025"
#: the two-component pilot
PILOT_TARIFF = "evn_two_component_2026"
#: the Decree 135/2024 export rule (20 % of installed capacity, power basis)
OLD_EXPORT = "decree_135_2024"
#: customers and voltages eligible for the pilot (producers at ≥ 22 kV, S2)
PILOT_ELIGIBLE = {"customer": ("manufacturing",), "voltage": ("ge110kv", "22_110kv")}


@dataclass(frozen=True)
class RuleSet:
    """One named set of rules, as scenario overrides.

    Attributes
    ----------
    name : str
        Short id, e.g. ``frame_2023``.
    label : str
        What a table shows.
    overrides : dict
        ``{"tariff.name": ..., "tariff.export.cap_share": ..., "tariff.export.basis": ...}``.
    tariff, export_rule : str
        The named tariff and export rule of ``energy_model/data/tariffs.yaml``.
    mark : str
        Quality mark of the set (the weakest of its parts).
    note : str
        Caveats (eligibility, readings).
    """

    name: str
    label: str
    overrides: dict[str, Any] = field(compare=False)
    tariff: str
    export_rule: str
    mark: str
    note: str = ""


def _export_overrides(rule_name: str) -> dict[str, Any]:
    rule = tf.get_export_rule(rule_name)
    return {"tariff.export.cap_share": rule.cap_share, "tariff.export.basis": rule.cap_basis}


def _weakest(*marks: str) -> str:
    order = ("S", "S2", "E", "NF")
    return max(marks, key=lambda m: order.index(m) if m in order else len(order))


def _make(name: str, label: str, tariff: str, export_rule: str, note: str = "") -> RuleSet:
    t, r = tf.get_tariff(tariff), tf.get_export_rule(export_rule)
    return RuleSet(name=name, label=label,
                   overrides={"tariff.name": tariff, **_export_overrides(export_rule)},
                   tariff=tariff, export_rule=export_rule,
                   mark=_weakest(t.mark, t.frame.mark, r.mark), note=note)


def rule_sets() -> dict[str, RuleSet]:
    """The named rule sets, in table order; ``in_force`` first.

    Returns
    -------
    dict of str to RuleSet
        ``in_force`` (2026 frame, 50 % of energy), ``frame_2023`` (2023 frame, 50 % of
        energy), ``pilot`` (two-component pilot on the 2026 frame, 50 % of energy),
        ``export_20pct_power`` (2026 frame, 20 % of installed capacity each hour) and
        ``legacy_2023`` (2023 frame, 20 % of power: the catalog's former default).
    """
    window_26 = tf.evening_window_label(IN_FORCE_TARIFF)
    window_23 = tf.evening_window_label(FRAME_2023_TARIFF)
    sets = [
        _make("in_force", f"rules in force: QĐ 963/2026 frame (peak {window_26}), "
              "Decree 243/2026 export ≤ 50 % of energy", IN_FORCE_TARIFF, IN_FORCE_EXPORT),
        _make("frame_2023", f"2023 frame (peak 09:30–11:30 and {window_23}), export ≤ 50 % "
              "of energy", FRAME_2023_TARIFF, IN_FORCE_EXPORT),
        _make("pilot", "two-component pilot (capacity + energy) on the 2026 frame, export "
              "≤ 50 % of energy", PILOT_TARIFF, IN_FORCE_EXPORT,
              note="pilot open to producers at ≥ 22 kV (S2); KKT business loads and lower "
                   "voltages stay on evn_2026 (tariff_for_park); ≥ 110 kV energy prices E"),
        _make("export_20pct_power", "2026 frame, export ≤ 20 % of installed capacity each "
              "hour (Decree 135/2024 reading)", IN_FORCE_TARIFF, OLD_EXPORT,
              note="installed capacity read as tariff.export.capacity_basis (default AC)"),
        _make("legacy_2023", "2023 frame and export ≤ 20 % of power (the former default)",
              FRAME_2023_TARIFF, OLD_EXPORT),
    ]
    return {s.name: s for s in sets}


def billing_tariff(tariff: str, customer: str, voltage: str) -> str:
    """The tariff a customer is billed on when the scenario names ``tariff``.

    The two-component pilot is open to producers at ≥ 22 kV only (S2): any other customer
    (a KKT's business loads, a lower voltage) stays on :data:`IN_FORCE_TARIFF`. Every other
    tariff applies as named.
    """
    if tariff == PILOT_TARIFF and not (customer in PILOT_ELIGIBLE["customer"]
                                       and voltage in PILOT_ELIGIBLE["voltage"]):
        return IN_FORCE_TARIFF
    return tariff


def tariff_for_park(rule_set: RuleSet | str, customer: str, voltage: str) -> str:
    """The tariff a park is billed on under a rule set.

    Parameters
    ----------
    rule_set : RuleSet or str
        A set of :func:`rule_sets` or its name.
    customer : str
        ``manufacturing`` or ``business`` (:func:`energy_model.demand.tariff_class`).
    voltage : str
        The park's metering voltage level.

    Returns
    -------
    str
        The set's tariff; under the pilot, :data:`IN_FORCE_TARIFF` for a park the pilot is
        not open to (:func:`billing_tariff`).
    """
    rs = rule_sets()[rule_set] if isinstance(rule_set, str) else rule_set
    return billing_tariff(rs.tariff, customer, voltage)


def rules_table() -> list[dict[str, Any]]:
    """The rule sets as rows (name, label, tariff, frame, window, export cap, basis, mark)."""
    rows = []
    for rs in rule_sets().values():
        t, r = tf.get_tariff(rs.tariff), tf.get_export_rule(rs.export_rule)
        rows.append({"rule_set": rs.name, "label": rs.label, "tariff": rs.tariff,
                     "frame": t.frame.name, "evening_window": tf.evening_window_label(t),
                     "export_rule": rs.export_rule, "export_cap_share": r.cap_share,
                     "export_basis": r.cap_basis, "storage_export": r.storage_export,
                     "mark": rs.mark, "note": rs.note})
    return rows
