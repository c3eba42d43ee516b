"""Monthly complementarity of a park's PV and its off-site (DPPA) farms, wind or solar
(issue 18).

Reads only the results folder: ``offsite_monthly.csv`` (per park and month, the park's PV
[kWh/kWp], the off-site wind [kWh/kW] and the off-site solar [kWh/kWp], written by the run)
and ``offsite_farms.csv`` (the station each farm's weather came from, its distance, the
Nov–Feb share and whether it is a nearshore wind farm, whose caption carries the caveat on
the island stations' winter share).
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


#: the bars of the figure: (column of offsite_monthly.csv, colour, label key, share key)
SERIES = (("pv_kwh_per_kwp", COLORS["pv"], "plot.offsite.pv", "plot.offsite.of_pv"),
          ("offsite_wind_kwh_per_kw", COLORS["wind"], "plot.offsite.wind",
           "plot.offsite.of_wind"),
          ("offsite_pv_kwh_per_kwp", COLORS["pv_ground"], "plot.offsite.offsite_pv",
           "plot.offsite.of_offsite_pv"))


def _nearshore(res: Results, park_id: str) -> bool:
    """True where one of the park's off-site farms is a nearshore wind farm."""
    farms = _table(res, FARMS_FILE)
    if farms is None or "nearshore" not in farms.columns:
        return False
    rows = farms[(farms["park_id"] == park_id) & (farms["farm"] != "ALL")]
    return bool(rows["nearshore"].astype(str).str.lower().isin(["true", "1"]).any())


def _series(m: pd.DataFrame) -> list[tuple[pd.Series, str, str, str]]:
    """The monthly series the park has (all twelve months known and a positive year)."""
    out = []
    for col, color, label, share in SERIES:
        if col in m.columns:
            v = m[col].astype(float)
            if v.notna().all() and v.sum() > 0:
                out.append((v, color, label, share))
    return out


def _caption(res: Results, park_id: str, tr: Translator, series) -> str:
    shares = "; ".join(tr(key, share=tr.pct(_winter_share(v), 0)) for v, _, _, key in series)
    text = tr("plot.offsite.caption", shares=shares, stations=_stations(res, park_id, tr))
    wind = [v for v, _, label, _ in series if label == "plot.offsite.wind"]
    if wind and _nearshore(res, park_id):
        text += " " + tr("plot.offsite.nearshore_caveat", wind=tr.pct(_winter_share(wind[0]), 0))
    return text


@_style
def complementarity(res: Results, park_id: str, lang: str = "en") -> Figure:
    """Monthly share of the annual energy of the park's PV and of its off-site farms [%]."""
    tr = Translator(lang)
    t = _table(res, MONTHLY_FILE)
    m = t[t["park_id"] == park_id].set_index("month").sort_index()
    series = _series(m)
    fig, axes, panel = _figure(tr, tr("plot.offsite.title", park=_park_name(res, park_id)),
                               _caption(res, park_id, tr, series), (10.0, 4.4))
    ax = axes[0][0]
    x = m.index.to_numpy()
    for mo in WINTER:
        ax.axvspan(mo - 0.5, mo + 0.5, color="#E8EEF4", lw=0, zorder=0)
    handles, labels = [], []
    w = 0.76 / max(len(series), 1)
    for k, (v, color, label, _) in enumerate(series):
        offset = (k - (len(series) - 1) / 2) * w
        handles.append(ax.bar(x + offset, (100 * v / v.sum()).to_numpy(), width=w, color=color,
                              edgecolor=EDGE, linewidth=0.5))
        labels.append(tr(label))
    ax.axhline(100 / 12, color="#333333", lw=0.8, ls=":")
    ax.set_xticks(x, [tr.month(mo) for mo in x])
    ax.set_xlabel(tr("plot.month_axis"))
    ax.set_ylabel(tr("plot.offsite.ylabel"))
    _numbers(ax, lang)
    _legend(panel, handles, labels)
    return fig
