"""Grid-pressure metrics (issue 15): evening firm contribution, relief at the peak hour,
substation groups, reverse flow and the one-row headline of a run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from energy_model.errors import EnergyModelError
from energy_model import tariff as tf
from energy_model.substations import load_substations
from energy_model.metrics.checks import stack_dispatches, step_hours
from energy_model.metrics.cuts import Cut, shortage_cuts


# --------------------------------------------------------------------------- grid pressure
# The metrics a grid planner uses (issue 15). Every one compares the grid-only case
# (import = load) with the dispatch *at the same hours*: a peak that moves has not shrunk.
# Inputs are per-park hourly dispatches on one index with the columns named below [kW];
# outputs are in MW and MWh, units in the field names.


#: default number of provincial evening hours of the firm-contribution metric
EVENING_TOP_N = 100
#: flag of a substation group whose firm capacity is not known
RATING_NF = "rating NF"


@dataclass(frozen=True)
class EveningFirmContribution:
    """Firm contribution of on-site supply in the provincial evening stress hours.

    The hours are the ``top_n`` hours of highest provincial grid-only import (the sum of
    the parks' loads) among the hours touching the evening window of the tariff frame in
    force. Means are weighted by each hour's share inside the window (an hour half inside,
    e.g. 17:00–18:00 under a 17:30 start, weighs 0.5). "Before" is grid-only, "after"
    the dispatch, both at the same hours.

    Attributes
    ----------
    frame : str
        Tariff frame whose window was used.
    window : str
        The window, local clock, e.g. ``"17:30–22:30"``.
    top_n : int
        Hours selected (fewer if the window holds fewer).
    window_hours_h : float
        Window-weighted hours of the selection [h].
    first_hour, last_hour : pandas.Timestamp
        Earliest and latest selected hour.
    mean_import_before_mw, mean_import_after_mw : float
        Window-weighted mean provincial import over the selected hours [MW].
    mean_reduction_mw : float
        before − after: the firm contribution [MW].
    max_import_before_mw, max_import_after_mw : float
        Highest provincial import over the selected hours [MW] (the same hours before and
        after; the after maximum may fall at another selected hour).
    max_reduction_mw : float
        max before − max after over the selected hours [MW].
    window_peak_after_mw : float
        Highest provincial import after, over every hour touching the window [MW].
    window_peak_after_hour : pandas.Timestamp
        Its hour.
    """

    frame: str
    window: str
    top_n: int
    window_hours_h: float
    first_hour: pd.Timestamp
    last_hour: pd.Timestamp
    mean_import_before_mw: float
    mean_import_after_mw: float
    mean_reduction_mw: float
    max_import_before_mw: float
    max_import_after_mw: float
    max_reduction_mw: float
    window_peak_after_mw: float
    window_peak_after_hour: pd.Timestamp


def evening_firm_contribution(dispatches: Mapping[str, pd.DataFrame], frame,
                              *, top_n: int = EVENING_TOP_N) -> EveningFirmContribution:
    """Mean and maximum provincial import over the top-N evening hours, before and after.

    Parameters
    ----------
    dispatches : mapping of str to pandas.DataFrame
        Park id → hourly dispatch (``load_kw``, ``grid_import_kw`` [kW]), one tz-aware index.
    frame : str, TouFrame or Tariff
        The tariff frame in force (or a tariff); its evening window is read from the tariff
        data (:func:`energy_model.tariff.evening_window`), never assumed.
    top_n : int, default 100
        Number of hours of highest grid-only provincial import to keep.

    Returns
    -------
    EveningFirmContribution
    """
    if int(top_n) < 1:
        raise EnergyModelError(f"top_n must be ≥ 1, got {top_n!r}")
    index, a = stack_dispatches(dispatches, ("load_kw", "grid_import_kw"))
    share = tf.evening_peak_share(index, frame).to_numpy(dtype=float)
    before = a["load_kw"].sum(axis=0) / 1000.0
    after = a["grid_import_kw"].sum(axis=0) / 1000.0
    inside = np.flatnonzero(share > 0)
    if not inside.size:
        raise EnergyModelError("the dispatch has no hour inside the evening window")
    order = inside[np.argsort(-before[inside], kind="stable")][:int(top_n)]
    w = share[order]
    mean_b = float((before[order] * w).sum() / w.sum())
    mean_a = float((after[order] * w).sum() / w.sum())
    max_b, max_a = float(before[order].max()), float(after[order].max())
    peak_i = inside[int(np.argmax(after[inside]))]
    f = tf.get_frame(frame)
    return EveningFirmContribution(
        frame=f.name, window=tf.evening_window_label(f), top_n=int(len(order)),
        window_hours_h=float(w.sum() * step_hours(index)),
        first_hour=index[int(order.min())], last_hour=index[int(order.max())],
        mean_import_before_mw=mean_b, mean_import_after_mw=mean_a,
        mean_reduction_mw=mean_b - mean_a, max_import_before_mw=max_b,
        max_import_after_mw=max_a, max_reduction_mw=max_b - max_a,
        window_peak_after_mw=float(after[peak_i]), window_peak_after_hour=index[peak_i])


@dataclass(frozen=True)
class PeakRelief:
    """Provincial import at the hour of the grid-only peak, before and after.

    Attributes
    ----------
    peak_hour : pandas.Timestamp
        Hour of the grid-only provincial peak (the sum of the parks' loads).
    import_before_mw, import_after_mw : float
        Provincial import at ``peak_hour`` [MW], grid-only and with the systems.
    relief_mw : float
        before − after at ``peak_hour`` [MW]: relief at the same hour.
    peak_after_hour : pandas.Timestamp
        Hour of the provincial import peak with the systems.
    peak_after_mw : float
        That peak [MW].
    peak_to_peak_mw : float
        Grid-only peak − peak after [MW]: compares two hours, ``peak_hour`` and
        ``peak_after_hour``; both are named wherever it is shown.
    peak_moved : bool
        Whether the two hours differ.
    """

    peak_hour: pd.Timestamp
    import_before_mw: float
    import_after_mw: float
    relief_mw: float
    peak_after_hour: pd.Timestamp
    peak_after_mw: float
    peak_to_peak_mw: float
    peak_moved: bool

    def label(self) -> str:
        """One line naming both hours, e.g. for a table note."""
        return (f"at the grid-only peak {self.peak_hour:%Y-%m-%d %H:%M}: "
                f"{self.import_before_mw:.1f} → {self.import_after_mw:.1f} MW "
                f"(relief {self.relief_mw:.1f} MW); peak to peak "
                f"{self.import_before_mw:.1f} MW at {self.peak_hour:%Y-%m-%d %H:%M} → "
                f"{self.peak_after_mw:.1f} MW at {self.peak_after_hour:%Y-%m-%d %H:%M}")


def relief_at_peak_hour(dispatches: Mapping[str, pd.DataFrame]) -> PeakRelief:
    """Relief at the hour of the grid-only provincial peak, and the peak-to-peak figure.

    Parameters
    ----------
    dispatches : mapping of str to pandas.DataFrame
        Park id → hourly dispatch (``load_kw``, ``grid_import_kw`` [kW]), one index.

    Returns
    -------
    PeakRelief
    """
    index, a = stack_dispatches(dispatches, ("load_kw", "grid_import_kw"))
    before = a["load_kw"].sum(axis=0) / 1000.0
    after = a["grid_import_kw"].sum(axis=0) / 1000.0
    i, j = int(np.argmax(before)), int(np.argmax(after))
    return PeakRelief(
        peak_hour=index[i], import_before_mw=float(before[i]), import_after_mw=float(after[i]),
        relief_mw=float(before[i] - after[i]), peak_after_hour=index[j],
        peak_after_mw=float(after[j]), peak_to_peak_mw=float(before[i] - after[j]),
        peak_moved=bool(i != j))


def _group_of(park_substation: Mapping[str, str | None], park: str) -> str:
    sid = park_substation.get(park) if park_substation is not None else None
    return sid if sid else f"unmapped:{park}"


def substation_groups(dispatches: Mapping[str, pd.DataFrame],
                      park_substation: Mapping[str, str | None],
                      substations: Mapping | None = None) -> pd.DataFrame:
    """Coincident import and N-1 headroom of each 110 kV substation group.

    A group is the parks naming one substation id; a park without one is its own group
    ``unmapped:<park id>`` with an unknown rating. The firm limit is the substation's firm
    (N-1) capacity × power factor; where it is not known, every headroom figure is NaN and
    ``flag`` is ``"rating NF"``: the park's own peak never stands in for it.

    Parameters
    ----------
    dispatches : mapping of str to pandas.DataFrame
        Park id → hourly dispatch (``load_kw``, ``grid_import_kw``, ``grid_export_kw`` [kW]).
    park_substation : mapping of str to str or None
        Park id → substation id (``parks[].grid.substation``).
    substations : mapping of str to Substation, optional
        Default: :func:`energy_model.substations.load_substations`.

    Returns
    -------
    pandas.DataFrame
        One row per group, index ``substation``; columns ``parks`` (comma-separated ids),
        ``n_parks``, ``firm_mw`` and ``rating_mw`` (NaN where NF), ``firm_mark``,
        ``peak_import_before_mw``, ``peak_hour_before``, ``peak_import_after_mw``,
        ``peak_hour_after``, ``import_after_at_peak_hour_before_mw`` (same-hour figure),
        ``n1_exceed_hours_before_h``, ``n1_exceed_hours_after_h`` (hours with group import
        > firm limit), ``headroom_before_mw``, ``headroom_after_mw`` (firm limit − peak
        import), ``reverse_flow_hours_h`` and ``reverse_flow_max_mw`` (hours and peak of net
        export of the group: Σ export − Σ import > 0), ``flag``.
    """
    if substations is None:
        substations = load_substations()
    index, a = stack_dispatches(dispatches, ("load_kw", "grid_import_kw", "grid_export_kw"))
    dt = step_hours(index)
    parks = list(dispatches)
    groups: dict[str, list[int]] = {}
    for i, park in enumerate(parks):
        groups.setdefault(_group_of(park_substation, park), []).append(i)
    rows = []
    for gid, members in groups.items():
        sub = substations.get(gid)
        if sub is None and not gid.startswith("unmapped:"):
            raise EnergyModelError(f"substation {gid!r} (park {parks[members[0]]!r}) is not in "
                                   f"the substation table; known: {sorted(substations)}")
        before = a["load_kw"][members].sum(axis=0) / 1000.0
        after = a["grid_import_kw"][members].sum(axis=0) / 1000.0
        net_export = (a["grid_export_kw"][members].sum(axis=0) / 1000.0) - after
        firm = sub.firm_mw if sub is not None else None
        rating = sub.rating_mw if sub is not None else None
        ib, ia = int(np.argmax(before)), int(np.argmax(after))
        nan = float("nan")
        reverse = net_export > 0
        rows.append({
            "substation": gid, "parks": ",".join(parks[m] for m in members),
            "n_parks": len(members),
            "firm_mw": nan if firm is None else firm,
            "rating_mw": nan if rating is None else rating,
            "firm_mark": "NF" if sub is None else sub.firm_mark,
            "peak_import_before_mw": float(before[ib]), "peak_hour_before": index[ib],
            "peak_import_after_mw": float(after[ia]), "peak_hour_after": index[ia],
            "import_after_at_peak_hour_before_mw": float(after[ib]),
            "n1_exceed_hours_before_h": nan if firm is None else float((before > firm).sum() * dt),
            "n1_exceed_hours_after_h": nan if firm is None else float((after > firm).sum() * dt),
            "headroom_before_mw": nan if firm is None else firm - float(before[ib]),
            "headroom_after_mw": nan if firm is None else firm - float(after[ia]),
            "reverse_flow_hours_h": float(reverse.sum() * dt),
            "reverse_flow_max_mw": float(net_export.max()) if reverse.any() else 0.0,
            "flag": RATING_NF if firm is None else "",
        })
    return pd.DataFrame(rows).set_index("substation")


@dataclass(frozen=True)
class ReverseFlow:
    """Export to the grid per park, per substation group and province-wide, and curtailment.

    Attributes
    ----------
    parks : pandas.DataFrame
        Index park id; ``export_hours_h``, ``export_mwh``, ``export_max_mw``,
        ``curtailment_hours_h``, ``curtailment_mwh``, ``substation``.
    groups : pandas.DataFrame
        Index substation id; ``export_hours_h`` (hours with any park exporting),
        ``export_max_mw`` (highest Σ export of its parks), ``export_mwh``,
        ``net_reverse_hours_h`` and ``net_reverse_max_mw`` (Σ export − Σ import > 0:
        flow back through the substation), ``curtailment_mwh``.
    province_export_hours_h : float
        Hours with Σ export > 0 [h].
    province_export_max_mw : float
        Highest Σ export over the parks [MW].
    province_export_max_hour : pandas.Timestamp or None
    province_export_mwh : float
    province_hours_above_threshold_h : float
        Hours with Σ export above ``threshold_mw`` [h].
    threshold_mw : float
    province_curtailment_mwh : float
    """

    parks: pd.DataFrame
    groups: pd.DataFrame
    province_export_hours_h: float
    province_export_max_mw: float
    province_export_max_hour: pd.Timestamp | None
    province_export_mwh: float
    province_hours_above_threshold_h: float
    threshold_mw: float
    province_curtailment_mwh: float


def reverse_flow(dispatches: Mapping[str, pd.DataFrame],
                 park_substation: Mapping[str, str | None] | None = None, *,
                 threshold_mw: float = 100.0) -> ReverseFlow:
    """Hours and MW of export per park, per substation group and province-wide.

    Parameters
    ----------
    dispatches : mapping of str to pandas.DataFrame
        Park id → hourly dispatch (``load_kw``, ``grid_import_kw``, ``grid_export_kw``,
        ``curtailment_kw`` [kW]).
    park_substation : mapping of str to str or None, optional
        Park id → substation id; a park without one is its own group ``unmapped:<id>``.
    threshold_mw : float, default 100
        Province-wide export level whose exceedance hours are counted [MW].

    Returns
    -------
    ReverseFlow
    """
    index, a = stack_dispatches(dispatches)
    dt = step_hours(index)
    parks = list(dispatches)
    tol = 1e-9
    exp = a["grid_export_kw"] / 1000.0
    imp = a["grid_import_kw"] / 1000.0
    cur = a["curtailment_kw"] / 1000.0
    mapping = park_substation or {}
    park_rows = []
    for i, park in enumerate(parks):
        park_rows.append({
            "park": park, "substation": _group_of(mapping, park),
            "export_hours_h": float((exp[i] > tol).sum() * dt),
            "export_mwh": float(exp[i].sum() * dt), "export_max_mw": float(exp[i].max()),
            "curtailment_hours_h": float((cur[i] > tol).sum() * dt),
            "curtailment_mwh": float(cur[i].sum() * dt)})
    park_df = pd.DataFrame(park_rows).set_index("park")
    group_rows = []
    for gid, sel in park_df.groupby("substation", sort=False).groups.items():
        members = [parks.index(p) for p in sel]
        e = exp[members].sum(axis=0)
        net = e - imp[members].sum(axis=0)
        group_rows.append({
            "substation": gid, "export_hours_h": float((e > tol).sum() * dt),
            "export_max_mw": float(e.max()), "export_mwh": float(e.sum() * dt),
            "net_reverse_hours_h": float((net > tol).sum() * dt),
            "net_reverse_max_mw": float(max(net.max(), 0.0)),
            "curtailment_mwh": float(cur[members].sum() * dt)})
    total = exp.sum(axis=0)
    k = int(np.argmax(total))
    return ReverseFlow(
        parks=park_df, groups=pd.DataFrame(group_rows).set_index("substation"),
        province_export_hours_h=float((total > tol).sum() * dt),
        province_export_max_mw=float(total.max()),
        province_export_max_hour=index[k] if total[k] > tol else None,
        province_export_mwh=float(total.sum() * dt),
        province_hours_above_threshold_h=float((total > threshold_mw).sum() * dt),
        threshold_mw=float(threshold_mw), province_curtailment_mwh=float(cur.sum() * dt))


def grid_pressure_headline(dispatches: Mapping[str, pd.DataFrame], frame,
                           park_substation: Mapping[str, str | None] | None = None, *,
                           top_n: int = EVENING_TOP_N, cuts: list[Cut] | None = None,
                           threshold_mw: float = 100.0) -> dict:
    """The grid-pressure headline of one run as one flat row (units in the keys).

    For the rules comparison: one row per rule set. Combines
    :func:`evening_firm_contribution`, :func:`relief_at_peak_hour`, :func:`reverse_flow`
    and :func:`shortage_cuts` (default schedule unless ``cuts``).

    Returns
    -------
    dict
        ``evening_window``, ``evening_top_n``, ``evening_mean_import_before_mw``,
        ``evening_mean_import_after_mw``, ``evening_firm_contribution_mw``,
        ``evening_max_import_before_mw``, ``evening_max_import_after_mw``,
        ``peak_hour``, ``import_at_peak_hour_before_mw``, ``import_at_peak_hour_after_mw``,
        ``relief_at_peak_hour_mw``, ``peak_after_hour``, ``peak_after_mw``,
        ``export_hours_h``, ``export_max_mw``, ``export_max_hour``, ``export_gwh``,
        ``export_hours_above_threshold_h``, ``export_threshold_mw``, ``curtailment_mwh``,
        ``cut_mwh``, ``cut_covered_mwh``, ``cut_shed_mwh``.
    """
    ev = evening_firm_contribution(dispatches, frame, top_n=top_n)
    pk = relief_at_peak_hour(dispatches)
    rf = reverse_flow(dispatches, park_substation, threshold_mw=threshold_mw)
    sc = shortage_cuts(dispatches, cuts)
    return {
        "evening_window": ev.window, "evening_top_n": ev.top_n,
        "evening_mean_import_before_mw": ev.mean_import_before_mw,
        "evening_mean_import_after_mw": ev.mean_import_after_mw,
        "evening_firm_contribution_mw": ev.mean_reduction_mw,
        "evening_max_import_before_mw": ev.max_import_before_mw,
        "evening_max_import_after_mw": ev.max_import_after_mw,
        "peak_hour": pk.peak_hour, "import_at_peak_hour_before_mw": pk.import_before_mw,
        "import_at_peak_hour_after_mw": pk.import_after_mw,
        "relief_at_peak_hour_mw": pk.relief_mw, "peak_after_hour": pk.peak_after_hour,
        "peak_after_mw": pk.peak_after_mw,
        "export_hours_h": rf.province_export_hours_h, "export_max_mw": rf.province_export_max_mw,
        "export_max_hour": rf.province_export_max_hour,
        "export_gwh": rf.province_export_mwh / 1000.0,
        "export_hours_above_threshold_h": rf.province_hours_above_threshold_h,
        "export_threshold_mw": rf.threshold_mw, "curtailment_mwh": rf.province_curtailment_mwh,
        "cut_mwh": sc.cut_mwh, "cut_covered_mwh": sc.covered_mwh, "cut_shed_mwh": sc.shed_mwh,
    }
