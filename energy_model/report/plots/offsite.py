"""Monthly complementarity of a park's PV and its off-site (DPPA) wind (issue 18).

Reads only the results folder: ``offsite_monthly.csv`` (per park and month, the park's PV
[kWh/kWp] and the off-site wind [kWh/kW], written by the run) and ``offsite_farms.csv``
(the station each farm's weather came from, its distance and the Nov–Feb share).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from energy_model.report.i18n import Translator
from energy_model.report.load import Results
from energy_model.report.plots.common import (COLORS, EDGE, _figure, _legend, _numbers,
                                              _park_name, _style)
from energy_model.results import read_csv

MONTHLY_FILE = "offsite_monthly.csv"
FARMS_FILE = "offsite_farms.csv"
#: the northern winter-monsoon months whose share the caption gives
WINTER = (11, 12, 1, 2)


def _table(res: Results, name: str) -> pd.DataFrame | None:
    path = res.folder / name
    if not path.is_file():
        return None
    t = read_csv(path, keep_default_na=False, na_values=[""])
    t["park_id"] = t["park_id"].astype(str)
    return t


def offsite_parks(res: Results) -> list[str]:
    """Parks with an off-site farm in the results folder, in summary order."""
    t = _table(res, MONTHLY_FILE)
    if t is None:
        return []
    have = set(t["park_id"])
    return [p for p in res.park_ids if p in have]


def _winter_share(monthly: pd.Series) -> float:
    total = float(monthly.sum())
    return 100 * float(monthly.loc[list(WINTER)].sum()) / total if total > 0 else np.nan


def _stations(res: Results, park_id: str, tr: Translator) -> str:
    farms = _table(res, FARMS_FILE)
    if farms is None:
        return ""
    rows = farms[(farms["park_id"] == park_id) & (farms["farm"] != "ALL")]
    parts = []
    for _, r in rows.iterrows():
        km = r.get("distance_km")
        dist = (tr("plot.offsite.km", km=tr.num(km, 0))
                if km is not None and pd.notna(km) else "")
        parts.append(f"{r['farm']}: {r['station_name']}{dist}")
    return "; ".join(parts)


@_style
def complementarity(res: Results, park_id: str, lang: str = "en") -> Figure:
    """Monthly share of the annual energy of the park's PV and of its off-site wind [%]."""
    tr = Translator(lang)
    t = _table(res, MONTHLY_FILE)
    m = t[t["park_id"] == park_id].set_index("month").sort_index()
    pv = m["pv_kwh_per_kwp"].astype(float)
    wind = m["offsite_wind_kwh_per_kw"].astype(float)
    pv_share = 100 * pv / pv.sum() if pv.notna().all() and pv.sum() > 0 else None
    wind_share = 100 * wind / wind.sum()
    caption = tr("plot.offsite.caption", wind=tr.pct(_winter_share(wind), 0),
                 pv=tr.pct(_winter_share(pv) if pv_share is not None else np.nan, 0),
                 stations=_stations(res, park_id, tr))
    fig, axes, panel = _figure(tr, tr("plot.offsite.title", park=_park_name(res, park_id)),
                               caption, (10.0, 4.4))
    ax = axes[0][0]
    x = m.index.to_numpy()
    for mo in WINTER:
        ax.axvspan(mo - 0.5, mo + 0.5, color="#E8EEF4", lw=0, zorder=0)
    handles, labels = [], []
    w = 0.38
    if pv_share is not None:
        handles.append(ax.bar(x - w / 2, pv_share.to_numpy(), width=w, color=COLORS["pv"],
                              edgecolor=EDGE, linewidth=0.5))
        labels.append(tr("plot.offsite.pv"))
    handles.append(ax.bar(x + w / 2 if pv_share is not None else x, wind_share.to_numpy(),
                          width=w, color=COLORS["wind"], edgecolor=EDGE, linewidth=0.5))
    labels.append(tr("plot.offsite.wind"))
    ax.axhline(100 / 12, color="#333333", lw=0.8, ls=":")
    ax.set_xticks(x, [tr.month(mo) for mo in x])
    ax.set_xlabel(tr("plot.month_axis"))
    ax.set_ylabel(tr("plot.offsite.ylabel"))
    _numbers(ax, lang)
    _legend(panel, handles, labels)
    return fig
