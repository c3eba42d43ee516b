"""Economic-zone (KKT) loads behind meters that exist: one meter per customer class.

A KKT is not one customer. Its port, airport, hotels, trade and services (and any factory
outside its KCN) are metered one by one by EVN, each on its own tariff class and voltage.
Storage or PV sized behind one zone meter on one tariff sits behind a meter that does not
exist. The scenario chooses between (``Scenario.kkt_metering``):

- ``class_meters``: the zone load is split into the classes of
  ``energy_model/data/kkt_meters.csv``, each with its own load and tariff, and PV and
  storage are sized per class meter (one LP per class);
- ``zone_substation_storage``: zone-level storage at the zone's 110 kV substation as a
  utility asset, valued at a stated price (``Scenario.kkt_zone_storage_value_vnd_per_kw_month``),
  not at a retail tariff.

This module holds the data side: the class table and a pure split of an hourly zone load
into class-meter loads with their tariffs. The split conserves energy in every hour.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from energy_model import tariff as tf
from energy_model.errors import EnergyModelError, Problem, ScenarioError
from energy_model.paths import package_data
from energy_model.rules_in_force import billing_tariff

METER_COLUMNS = ("class", "components", "customer", "voltage", "default_load_share",
                 "customer_mark", "voltage_mark", "share_mark", "source", "note")
#: relative tolerance of the hourly energy balance of a split [-]
SPLIT_RTOL = 1e-9


@dataclass(frozen=True)
class MeterClass:
    """One customer class of a KKT, behind its own meter.

    Attributes
    ----------
    name : str
        ``port``, ``airport``, ``hotels``, ``trade_services`` or ``factories``.
    components : tuple of str
        Rows of ``kkt_components.csv`` whose load this class meters.
    customer : str
        EVN customer class (``business`` or ``manufacturing``).
    voltage : str
        Metering voltage level.
    default_load_share : float
        Share of the zone load where no component breakdown is given [-].
    customer_mark, voltage_mark, share_mark, source, note : str
    """

    name: str
    components: tuple[str, ...]
    customer: str
    voltage: str
    default_load_share: float
    customer_mark: str = ""
    voltage_mark: str = ""
    share_mark: str = ""
    source: str = ""
    note: str = ""


def meter_classes(path: str | Path | None = None) -> dict[str, MeterClass]:
    """Read the KKT class-meter table (default ``energy_model/data/kkt_meters.csv``).

    Raises
    ------
    ScenarioError
        Missing columns, an unknown customer class or voltage, shares outside [0, 1] or not
        summing to 1, a component metered twice; with the file and line.
    """
    path = Path(path) if path is not None else package_data("kkt_meters.csv")
    table = pd.read_csv(path, comment="#", dtype=str, keep_default_na=False)
    missing = [c for c in METER_COLUMNS if c not in table.columns]
    if missing:
        raise ScenarioError(f"{path}: class-meter table lacks columns {missing}", file=str(path))
    header = next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                  if line.startswith("class,"))
    out: dict[str, MeterClass] = {}
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for i, row in table.iterrows():
        line = header + 1 + int(i)
        name = row["class"].strip()
        try:
            share = float(row["default_load_share"])
        except ValueError:
            share = float("nan")
        if not 0.0 <= share <= 1.0:
            problems.append(Problem(f"default_load_share must lie in [0, 1], got "
                                    f"{row['default_load_share']!r}", str(path), line,
                                    key="default_load_share"))
        if row["customer"] not in tf.CUSTOMERS:
            problems.append(Problem(f"customer must be one of {tf.CUSTOMERS}, got "
                                    f"{row['customer']!r}", str(path), line, key="customer"))
        if row["voltage"] not in tf.VOLTAGES:
            problems.append(Problem(f"voltage must be one of {tf.VOLTAGES}, got "
                                    f"{row['voltage']!r}", str(path), line, key="voltage"))
        if name in out:
            problems.append(Problem(f"duplicate class {name!r}", str(path), line, key="class"))
        comps = tuple(c.strip() for c in row["components"].split(";") if c.strip())
        for c in comps:
            if c in seen:
                problems.append(Problem(f"component {c!r} is metered by {seen[c]!r} already",
                                        str(path), line, key="components"))
            seen[c] = name
        out[name] = MeterClass(name=name, components=comps, customer=row["customer"],
                               voltage=row["voltage"], default_load_share=share,
                               customer_mark=row["customer_mark"],
                               voltage_mark=row["voltage_mark"], share_mark=row["share_mark"],
                               source=row["source"], note=row["note"])
    total = sum(c.default_load_share for c in out.values())
    if not problems and abs(total - 1.0) > 1e-6:
        problems.append(Problem(f"default_load_share must sum to 1, got {total:.6f}",
                                str(path), header, key="default_load_share"))
    if problems:
        raise ScenarioError(f"{path}: {len(problems)} problem(s) in the class-meter table",
                            problems, file=str(path))
    return out


def component_weights(component_loads: Mapping[str, object],
                      classes: Mapping[str, MeterClass] | None = None) -> dict[str, object]:
    """Class weights from per-component loads (an hourly Series or an annual energy each).

    Parameters
    ----------
    component_loads : mapping of str to float or pandas.Series
        ``kkt_components.csv`` row name (``port``, ``airport``, ``services``, ``tourism``)
        → its load: annual MWh (a constant weight) or an hourly Series [kW].
    classes : mapping of str to MeterClass, optional
        Default :func:`meter_classes`.

    Returns
    -------
    dict of str to float or pandas.Series
        Class → the sum of its components' loads (classes with no component get 0).
    """
    classes = classes if classes is not None else meter_classes()
    owner = {c: m.name for m in classes.values() for c in m.components}
    unknown = sorted(set(component_loads) - set(owner))
    if unknown:
        raise EnergyModelError(f"components {unknown} belong to no meter class; known: "
                               f"{sorted(owner)}")
    out: dict[str, object] = {name: 0.0 for name in classes}
    for comp, value in component_loads.items():
        out[owner[comp]] = out[owner[comp]] + value
    return out


@dataclass(frozen=True)
class ClassMeterLoad:
    """The load and tariff of one class meter of a KKT.

    Attributes
    ----------
    meter_class : MeterClass
    tariff : str
        The tariff it is billed on (the scenario's; under the two-component pilot a class
        the pilot is not open to stays on the frame in force).
    load_kw : pandas.Series
        Hourly load [kW].
    price_vnd_per_kwh : pandas.Series
        Hourly energy price of its customer class and voltage [VND/kWh].
    capacity_charge_vnd_per_kw_month : float
        Capacity charge of its tariff at its voltage [VND/kW/month]; 0 for one component.
    """

    meter_class: MeterClass
    tariff: str
    load_kw: pd.Series = field(compare=False)
    price_vnd_per_kwh: pd.Series = field(compare=False)
    capacity_charge_vnd_per_kw_month: float = 0.0


def split_kkt_load(load_kw: pd.Series, tariff: str, *,
                   weights: Mapping[str, object] | None = None,
                   classes: Mapping[str, MeterClass] | None = None,
                   ) -> dict[str, ClassMeterLoad]:
    """Split a KKT's hourly load into class-meter loads, each with its own tariff.

    Each hour's load is shared in proportion to the class weights of that hour, so the
    class loads add up to the zone load in every hour.

    Parameters
    ----------
    load_kw : pandas.Series
        The zone's own hourly load [kW] (its KCN excluded), tz-aware interval-start index.
    tariff : str
        The scenario's tariff name.
    weights : mapping of str to float or pandas.Series, optional
        Class → weight, constant or hourly on ``load_kw``'s index (e.g.
        :func:`component_weights` of the component loads). Default: the classes'
        ``default_load_share``.
    classes : mapping of str to MeterClass, optional
        Default :func:`meter_classes`.

    Returns
    -------
    dict of str to ClassMeterLoad
        Classes with a non-zero load, in table order.

    Raises
    ------
    EnergyModelError
        Unknown classes, negative or non-finite weights, or an hour with load but no weight.
    """
    classes = classes if classes is not None else meter_classes()
    if weights is None:
        weights = {n: c.default_load_share for n, c in classes.items()}
    unknown = sorted(set(weights) - set(classes))
    if unknown:
        raise EnergyModelError(f"weights for unknown meter classes {unknown}; known: "
                               f"{sorted(classes)}")
    index = load_kw.index
    load = load_kw.to_numpy(dtype=float)
    w = {}
    for name in classes:
        value = weights.get(name, 0.0)
        if isinstance(value, pd.Series):
            if not value.index.equals(index):
                raise EnergyModelError(f"weight of class {name!r} is not indexed like the load")
            arr = value.to_numpy(dtype=float)
        else:
            arr = np.full(len(index), float(value))
        if not np.all(np.isfinite(arr)) or (arr < 0).any():
            raise EnergyModelError(f"weight of class {name!r} must be finite and ≥ 0")
        w[name] = arr
    total = sum(w.values())
    gap = (total <= 0) & (load > 0)
    if gap.any():
        raise EnergyModelError(f"no class weight at {index[int(np.argmax(gap))]} where the "
                               "zone has load; every hour with load needs a weight")
    safe = np.where(total > 0, total, 1.0)
    out: dict[str, ClassMeterLoad] = {}
    for name, cls in classes.items():
        part = load * w[name] / safe
        if not (part > 0).any():
            continue
        billed = billing_tariff(tariff, cls.customer, cls.voltage)
        out[name] = ClassMeterLoad(
            meter_class=cls, tariff=billed,
            load_kw=pd.Series(part, index=index, name="load_kw"),
            price_vnd_per_kwh=tf.hourly_prices(index, billed, cls.voltage, cls.customer),
            capacity_charge_vnd_per_kw_month=tf.capacity_charge(billed, cls.voltage))
    residual = np.abs(sum(c.load_kw.to_numpy() for c in out.values()) - load) if out else load
    if np.max(residual, initial=0.0) > SPLIT_RTOL * max(float(np.abs(load).max()), 1.0):
        raise EnergyModelError("class-meter split does not add up to the zone load")
    return out
