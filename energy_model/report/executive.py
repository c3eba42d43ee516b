"""The numbers of the executive summary, read from a results folder (no HTML here).

Four to five decision numbers of the province, each with its range across the rule sets
of ``rules_comparison.csv`` when the run compared them; a ranked "build here first" list of
the parks; and the caveats on what the sizes rest on. Everything comes from the tables the
run wrote (``grid/headline.csv``, ``summary.csv``, ``rules_comparison.csv``): nothing is
re-computed from a model stage.

Definitions (also in the report)
--------------------------------
- **Evening relief of a park** [MWh/yr]: its grid import in the evening window of the
  tariff frame in force, grid-only less with its systems (``evening_import_before_gwh −
  evening_import_after_gwh`` of ``summary.csv``, × 1000).
- **Annualised cost of a park's systems** [billion VND/yr]: investment × capital recovery
  factor ``r / (1 − (1 + r)^−n)`` at the run's real discount rate ``r`` over the analysis
  life ``n`` (``run.json`` economics). The same factor applies to every park, so the order
  is that of evening relief per investment.
- **Evening relief per cost** [MWh per billion VND]: evening relief ÷ annualised cost.
- **NPV per MWp** [billion VND/MWp]: the park's net present value ÷ its PV capacity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from energy_model.report.load import Results

#: headline columns with a range across rule sets, by decision number
HEADLINE_RANGES = {"evening": "evening_firm_contribution_mw",
                   "relief": "relief_at_peak_hour_mw", "reverse": "export_max_mw"}
#: summary (province row) columns with a range across rule sets
SUMMARY_RANGES = ("npv_billion_vnd", "pv_mwp", "battery_mwh", "co2_avoided_kt")
#: summary status of parks that exist today; any other status counts as planned
OPERATING = "operating"


def _f(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def timestamp(res: Results, value) -> pd.Timestamp | None:
    """An hour written in a table (ISO text) on the scenario's clock; None if missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or str(value) == "":
        return None
    try:
        ts = pd.Timestamp(str(value))
    except ValueError:
        return None
    tz = res.scenario.get("timezone", "Asia/Ho_Chi_Minh")
    return ts.tz_localize(tz) if ts.tzinfo is None else ts.tz_convert(tz)


@dataclass
class Range:
    """A number's lowest and highest value across the compared rule sets."""

    low: float
    high: float
    low_rule: str
    high_rule: str
    n: int


def rule_range(res: Results, column: str) -> Range | None:
    """Range of ``column`` over ``rules_comparison.csv`` (None without the table or column)."""
    rc = res.rules_comparison
    if rc is None or column not in rc.columns or rc.empty:
        return None
    values = pd.to_numeric(rc[column], errors="coerce")
    if not values.notna().any():
        return None
    lo, hi = int(values.idxmin()), int(values.idxmax())
    return Range(low=float(values[lo]), high=float(values[hi]),
                 low_rule=str(rc.loc[lo, "rule_set"]), high_rule=str(rc.loc[hi, "rule_set"]),
                 n=int(values.notna().sum()))


def headline(res: Results) -> dict | None:
    """The one row of ``grid/headline.csv`` as a dict (None when the folder lacks it)."""
    h = res.grid_headline
    if h is None or h.empty:
        return None
    return h.iloc[0].to_dict()


def capital_recovery_factor(res: Results) -> float:
    """``r / (1 − (1 + r)^−n)`` at the run's real discount rate and analysis life [1/yr]."""
    econ = res.scenario.get("economics", {})
    r, n = _f(econ.get("discount_rate_real")), _f(econ.get("lifetime_years"))
    if not (math.isfinite(r) and math.isfinite(n)) or n <= 0:
        return math.nan
    return 1.0 / n if r == 0 else r / (1.0 - (1.0 + r) ** -n)


def build_here_first(res: Results) -> pd.DataFrame:
    """The parks ranked by evening relief per cost (then by NPV per MWp).

    Returns
    -------
    pandas.DataFrame
        Index park id, in rank order; columns ``name``, ``evening_relief_mwh``,
        ``annualised_cost_billion_vnd``, ``relief_per_cost_mwh_per_billion_vnd``,
        ``npv_per_mwp_billion_vnd``, ``rank_relief`` and ``rank_npv`` (1 = best; 0 where
        the park builds nothing, so has no ratio).
    """
    p = res.parks
    crf = capital_recovery_factor(res)
    relief = 1000.0 * (p["evening_import_before_gwh"].astype(float)
                       - p["evening_import_after_gwh"].astype(float))
    cost = p["capex_billion_vnd"].astype(float) * crf
    pv = p["pv_mwp"].astype(float)
    out = pd.DataFrame({
        "name": p["name"].astype(str),
        "evening_relief_mwh": relief,
        "annualised_cost_billion_vnd": cost,
        "relief_per_cost_mwh_per_billion_vnd": (relief / cost.where(cost > 0)),
        "npv_per_mwp_billion_vnd": p["npv_billion_vnd"].astype(float) / pv.where(pv > 0),
    }, index=p.index)
    for col, rank in (("relief_per_cost_mwh_per_billion_vnd", "rank_relief"),
                      ("npv_per_mwp_billion_vnd", "rank_npv")):
        out[rank] = out[col].rank(ascending=False, method="first").fillna(0).astype(int)
    key = out["rank_relief"].where(out["rank_relief"] > 0, len(out) + 1)
    return out.iloc[np.argsort(key.to_numpy(), kind="stable")]


@dataclass
class Caveats:
    """Shares that qualify the sizes [%]; NaN where the summary lacks the columns."""

    pv_at_limit_pct: float
    pv_at_limit_mwp: float
    planned_load_pct: float
    unverified_load_pct: float
    uncertain_load_pct: float
    uncertain_parks: list


def caveats(res: Results) -> Caveats:
    """Share of PV at its roof/area limit, and of load from planned or unverified parks."""
    p = res.parks
    pv = p["pv_mwp"].astype(float).sum()
    at_limit = (p["pv_at_limit_mwp"].astype(float).sum() if "pv_at_limit_mwp" in p
                else math.nan)
    load = p["load_gwh"].astype(float)
    total = load.sum()
    nan = pd.Series(math.nan, index=p.index)
    planned = (p["status"].astype(str).str.strip().str.lower() != OPERATING
               if "status" in p else nan)
    unverified = ~p["name_verified"].astype(bool) if "name_verified" in p else nan

    def share(mask) -> float:
        if mask.isna().all() or total <= 0:
            return math.nan
        return 100.0 * float(load[mask.fillna(False).astype(bool)].sum()) / total

    either = (planned.fillna(False).astype(bool) | unverified.fillna(False).astype(bool)
              if not (planned.isna().all() and unverified.isna().all()) else nan)
    return Caveats(
        pv_at_limit_pct=100.0 * at_limit / pv if pv > 0 else math.nan,
        pv_at_limit_mwp=at_limit,
        planned_load_pct=share(planned), unverified_load_pct=share(unverified),
        uncertain_load_pct=share(either),
        uncertain_parks=([] if either is nan else list(p.index[either.astype(bool)])))


def hour_label(tr, ts: pd.Timestamp | None) -> str:
    """An hour as ``20:00, 5 Sep`` / ``20:00 ngày 5/9`` (``–`` when missing)."""
    if ts is None:
        return "–"
    date = tr("date.day_month", day=ts.day, month=ts.month, month_name=tr.month(ts.month))
    return tr("exec.at_hour", time=f"{ts:%H:%M}", date=date)


def group_label(res: Results, tr, group: str, name=None) -> str:
    """Display name of a substation group: its substation's name; for a park mapped to no
    substation (group ``unmapped:<park id>``) the park's name, said so."""
    if isinstance(name, str) and name.strip():
        return name
    group = str(group)
    if group.startswith("unmapped:"):
        pid = group.split(":", 1)[1]
        park = str(res.parks["name"].get(pid, pid)) if "name" in res.parks else pid
        return tr("grid.unmapped", park=park)
    return group
