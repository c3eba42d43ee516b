"""Shortage events as MW cuts with the grid up (not blackouts): schedules and what the
systems cover.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from energy_model.errors import Problem, ScenarioError
from energy_model.paths import package_data
from energy_model.yaml_io import line_of, load_yaml
from energy_model.metrics.checks import stack_dispatches, step_hours


# ----------------------------------------------------------- shortage events as MW cuts

@dataclass(frozen=True)
class Cut:
    """One MW cut with the grid up: a scope, days, hours and a size.

    Attributes
    ----------
    scope : str
        ``"province"`` (the sum of all parks), ``"each_park"`` or a park id.
    dates : tuple of (int, int)
        (month, day) of the days with the cut, on the calendar of the dispatch year.
    hours : tuple of (int, int)
        Local clock hours ``[start, end)`` of each day [h].
    cut_mw : float or None
        MW cut in each hour [MW]; or
    cut_share : float or None
        Share of the scope's load cut in each hour [-].
    mark, source : str
    """

    scope: str
    dates: tuple
    hours: tuple
    cut_mw: float | None = None
    cut_share: float | None = None
    mark: str = ""
    source: str = ""


def load_cut_schedules(path: str | Path | None = None) -> tuple[dict[str, list[Cut]], str]:
    """Read cut schedules (default: the shipped ``energy_model/data/shortage_cuts.yaml``).

    Returns
    -------
    (dict of str to list of Cut, str)
        Schedules by name, and the name of the default schedule.

    Raises
    ------
    ScenarioError
        A malformed file, with its file, line and key.
    """
    path = str(path or package_data("shortage_cuts.yaml"))
    raw, lines = load_yaml(path, what="cut schedule")
    if not isinstance(raw, dict) or not isinstance(raw.get("schedules"), dict):
        raise ScenarioError(f"{path}: expected a mapping with 'schedules'",
                            [Problem("expected 'schedules: {name: {cuts: [...]}}'", path, 1)],
                            file=path)
    out: dict[str, list[Cut]] = {}
    problems = []
    for name, sched in raw["schedules"].items():
        cuts = (sched or {}).get("cuts") if isinstance(sched, dict) else None
        if not isinstance(cuts, list) or not cuts:
            problems.append(Problem("expected a non-empty list 'cuts'", path,
                                    line_of(lines, ("schedules", name)), key=f"schedules.{name}"))
            continue
        out[name] = []
        for k, c in enumerate(cuts):
            loc = ("schedules", name, "cuts", k)
            key = f"schedules.{name}.cuts[{k}]"
            where = line_of(lines, loc)
            try:
                mw, share = c.get("cut_mw"), c.get("cut_share")
                if (mw is None) == (share is None):
                    raise ValueError("give exactly one of cut_mw and cut_share")
                if mw is not None and not float(mw) >= 0:
                    raise ValueError(f"cut_mw must be ≥ 0, got {mw!r}")
                if share is not None and not 0 <= float(share) <= 1:
                    raise ValueError(f"cut_share must lie in [0, 1], got {share!r}")
                h0, h1 = (int(h) for h in c["hours"])
                if not 0 <= h0 < h1 <= 24:
                    raise ValueError(f"hours must be [start, end) within 0–24, got {c['hours']!r}")
                dates = tuple((int(m), int(d)) for m, d in c["dates"])
                for m, d in dates:
                    pd.Timestamp(year=2024, month=m, day=d)  # leap year: 29 Feb allowed
                out[name].append(Cut(scope=str(c["scope"]), dates=dates, hours=(h0, h1),
                                     cut_mw=None if mw is None else float(mw),
                                     cut_share=None if share is None else float(share),
                                     mark=str(c.get("mark", "")),
                                     source=str(c.get("source", ""))))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                msg = str(exc) if isinstance(exc, ValueError) else \
                    f"expected scope, dates [[month, day], ...], hours [start, end] and " \
                    f"cut_mw or cut_share ({type(exc).__name__}: {exc})"
                problems.append(Problem(msg, path, where, key=key))
    default = raw.get("default", next(iter(out), ""))
    if default not in out and not problems:
        problems.append(Problem(f"default {default!r} is not one of {sorted(out)}", path,
                                line_of(lines, ("default",)), key="default"))
    if problems:
        raise ScenarioError(f"{path}: {len(problems)} problem(s) in the cut schedules",
                            problems, file=path)
    return out, default


def _cut_hours(index: pd.DatetimeIndex, cut: Cut, tz: str) -> np.ndarray:
    local = index.tz_convert(tz) if index.tz is not None else index
    md = np.asarray(local.month * 100 + local.day)
    on_day = np.isin(md, [m * 100 + d for m, d in cut.dates])
    hour = np.asarray(local.hour)
    return on_day & (hour >= cut.hours[0]) & (hour < cut.hours[1])


@dataclass(frozen=True)
class ShortageCutResult:
    """MWh of MW cuts covered by on-site supply and load still shed, with the grid up.

    Attributes
    ----------
    scopes : pandas.DataFrame
        One row per cut scope (``province`` or a park id): ``cut_hours_h``, ``cut_mwh``
        (the cut asked, at most the load), ``covered_mwh`` (on-site supply already
        replacing grid import in those hours: min(cut, load − import)), ``shed_mwh``
        (cut − covered), ``covered_share`` [-] (NaN without cut).
    cut_mwh, covered_mwh, shed_mwh : float
        Sums over the scopes [MWh].
    basis : str
        How the cut is read.
    """

    scopes: pd.DataFrame
    cut_mwh: float
    covered_mwh: float
    shed_mwh: float
    basis: str = ("MW cut with the grid up: in each cut hour the grid delivers at most the "
                  "scope's grid-only load − cut; on-site supply covers the cut as far as it "
                  "already lowers import below the load in that hour (the battery follows its "
                  "sized dispatch, not re-dispatched for the event)")


def shortage_cuts(dispatches: Mapping[str, pd.DataFrame], cuts: list[Cut] | None = None, *,
                  tz: str = "Asia/Ho_Chi_Minh") -> ShortageCutResult:
    """MWh of a cut schedule covered by on-site supply, and the load still shed.

    Parameters
    ----------
    dispatches : mapping of str to pandas.DataFrame
        Park id → hourly dispatch (``load_kw``, ``grid_import_kw`` [kW]), one tz-aware index.
    cuts : list of Cut, optional
        The schedule; default the shipped default (:func:`load_cut_schedules`: the 6/6/2023
        cuts, 51.2 MW province-wide and 8 MW at Sông Khoai, 13:00–17:00, hours E). A cut whose
        scope is a park not in ``dispatches`` is skipped.
    tz : str
        Local time zone of the cut hours.

    Returns
    -------
    ShortageCutResult
    """
    if cuts is None:
        schedules, default = load_cut_schedules()
        cuts = schedules[default]
    index, a = stack_dispatches(dispatches, ("load_kw", "grid_import_kw"))
    dt = step_hours(index)
    parks = list(dispatches)
    load, imp = a["load_kw"] / 1000.0, a["grid_import_kw"] / 1000.0
    rows: dict[str, dict] = {}

    def add(scope: str, l_mw: np.ndarray, i_mw: np.ndarray, cut_mw: np.ndarray) -> None:
        cut = np.minimum(cut_mw, l_mw)
        covered = np.minimum(cut, np.maximum(l_mw - i_mw, 0.0))
        r = rows.setdefault(scope, {"cut_hours_h": 0.0, "cut_mwh": 0.0, "covered_mwh": 0.0})
        r["cut_hours_h"] += float((cut > 0).sum() * dt)
        r["cut_mwh"] += float(cut.sum() * dt)
        r["covered_mwh"] += float(covered.sum() * dt)

    for cut in cuts:
        on = _cut_hours(index, cut, tz)
        targets = ([("province", load.sum(axis=0), imp.sum(axis=0))] if cut.scope == "province"
                   else [(p, load[i], imp[i]) for i, p in enumerate(parks)]
                   if cut.scope == "each_park"
                   else [(cut.scope, load[parks.index(cut.scope)], imp[parks.index(cut.scope)])]
                   if cut.scope in parks else [])
        for scope, l_mw, i_mw in targets:
            size = cut.cut_mw if cut.cut_mw is not None else cut.cut_share * l_mw
            add(scope, l_mw, i_mw, np.where(on, size, 0.0))
    df = pd.DataFrame.from_dict(rows, orient="index",
                                columns=["cut_hours_h", "cut_mwh", "covered_mwh"])
    df.index.name = "scope"
    df["shed_mwh"] = df["cut_mwh"] - df["covered_mwh"]
    df["covered_share"] = np.where(df["cut_mwh"] > 0,
                                   df["covered_mwh"] / df["cut_mwh"].where(df["cut_mwh"] > 0),
                                   np.nan)
    return ShortageCutResult(scopes=df, cut_mwh=float(df["cut_mwh"].sum()),
                             covered_mwh=float(df["covered_mwh"].sum()),
                             shed_mwh=float(df["shed_mwh"].sum()))
