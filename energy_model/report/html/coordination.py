"""The report section of province-coordinated sizing (issue 16).

It reads only ``province/`` of a results folder (``curve.csv``, ``builds.csv``,
``shadow_prices.csv``, ``province.json``, written by ``energy-model province``) and appears
only when that folder exists. :func:`write_province_report` also renders the section as a
page of its own, ``province/report.html``, with its figures in ``province/plots/``.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from string import Template

import pandas as pd

from energy_model import __version__
from energy_model.paths import PACKAGE_DIR
from energy_model.report.html.common import (FigureFile, esc, figure_html, message,
                                             table_html)
from energy_model.report.i18n import Translator

__all__ = ["province_figures", "province_section", "read_province", "section_for_folder",
           "write_province_report"]

FILES = {"points": "curve.csv", "builds": "builds.csv", "prices": "shadow_prices.csv"}


def read_province(folder) -> dict | None:
    """The province tables of ``folder`` (a results folder or its ``province/``), or None.

    Returns
    -------
    dict or None
        ``points``, ``builds``, ``prices`` (DataFrames) and ``meta`` (dict).
    """
    folder = Path(folder)
    if not (folder / FILES["points"]).exists():
        folder = folder / "province"
    if not (folder / FILES["points"]).exists():
        return None
    out = {k: pd.read_csv(folder / v, encoding="utf-8-sig") for k, v in FILES.items()
           if (folder / v).exists()}
    meta = folder / "province.json"
    out["meta"] = json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else {}
    return out


def province_figures(tables: dict, lang: str) -> list[FigureFile]:
    """The section's two figures, drawn from the tables."""
    from energy_model.report.plots.common import caption_of, save_png
    from energy_model.report.plots.coordination import plot_relief_curve, plot_shadow_prices

    out = []
    for stem, func, key in (("relief_curve", plot_relief_curve, "points"),
                            ("shadow_prices", plot_shadow_prices, "prices")):
        fig = func(tables.get(key, pd.DataFrame()), lang)
        buf = io.BytesIO()
        save_png(fig, buf)
        title = fig._suptitle.get_text() if fig._suptitle is not None else stem
        out.append(FigureFile(stem=f"province_{stem}", park_id=None, png=buf.getvalue(),
                              title=title, caption=caption_of(fig)))
    return out


def _curve_rows(tr: Translator, points: pd.DataFrame, baseline: float) -> list[list[str]]:
    """One row per point; the proven increase is the lower bound of the annualised cost
    less the baseline's, at least 0 (no relief costs less than the independent optimum)."""
    rows = []
    for _, r in points.sort_values("relief_mw").iterrows():
        avg = r["vnd_per_mw_yr"]
        proven = max(float(r["lower_bound_billion_vnd"]) - baseline, 0.0)
        rows.append([tr(f"province.kind.{r['kind']}"), tr.num(r["relief_mw"], 1),
                     tr.num(r["cost_increase_billion_vnd"], 2), tr.num(proven, 2),
                     "–" if pd.isna(avg) else tr.num(avg / 1e9, 3),
                     "–" if r["kind"] == "largest" else tr.num(
                         r["marginal_vnd_per_mw_yr"] / 1e9, 3),
                     f"{float(r['gap']):.1e}", tr.num(r["peak_import_mw"], 1)])
    return rows


def _build_rows(tr: Translator, builds: pd.DataFrame, relief: float) -> list[list[str]]:
    base = builds[builds["relief_mw"] == builds["relief_mw"].min()].set_index("unit")
    at = builds[(builds["relief_mw"] - relief).abs() < 1e-9].set_index("unit")
    rows = []
    for unit, r in at.iterrows():
        b = base.loc[unit] if unit in base.index else r
        d_cost = r["annual_cost_billion_vnd"] - b["annual_cost_billion_vnd"]
        d_peak = b["window_peak_import_mw"] - r["window_peak_import_mw"]
        if abs(d_cost) < 1e-6 and abs(r["battery_mwh"] - b["battery_mwh"]) < 1e-6:
            continue
        rows.append([str(unit), tr.num(r["pv_mwp"] - b["pv_mwp"], 2, sign=True),
                     tr.num(r["battery_mwh"] - b["battery_mwh"], 2, sign=True),
                     tr.num(r["battery_mw"] - b["battery_mw"], 2, sign=True),
                     tr.num(d_cost, 3, sign=True), tr.num(d_peak, 2, sign=True)])
    return rows


def _named(tr: Translator, kind: str, ident) -> str:
    """The catalog's name of a scope or window id (``province.<kind>.<id>``), else the id
    as written (a substation group's own id)."""
    key = f"province.{kind}.{ident}"
    return tr(key) if tr.has(key) else str(ident)


def province_section(tables: dict, tr: Translator, figures: list[FigureFile]) -> str:
    """The section as HTML."""
    m, points = tables.get("meta", {}), tables["points"]
    facts = message(tr, "province.facts", scope=_named(tr, "scope", m.get("group", "province")),
                    window=_named(tr, "window", m.get("window", "?")), n=len(m.get("units", [])),
                    peak=tr.num(m.get("peak_before_mw")),
                    largest=tr.num(m.get("largest_relief_mw")),
                    method=m.get("method", "?"), gap=f"{float(m.get('max_gap', 0)):.1e}")
    largest = points[points["kind"] == "largest"]
    tol = float(m.get("gap_tol", 1e-4))
    if len(largest) and float(largest["gap"].max()) > tol:
        facts += " " + esc(tr("province.largest_unproven"))
    if float(points["gap"].max()) > tol:
        facts += " " + message(tr, "province.unproven", gap=f"{tol:g}")
    head = [tr("province.col.kind"), tr("province.col.relief"), tr("province.col.increase"),
            tr("province.col.proven"), tr("province.col.average"), tr("province.col.marginal"),
            tr("province.col.gap"), tr("province.col.peak")]
    rows = _curve_rows(tr, points, float(m.get("baseline_cost_billion_vnd", float("nan"))))
    parts = [f'<section id="province"><h2>{esc(tr("section.province"))}</h2>',
             f"<p>{esc(tr('province.intro'))}</p>", f"<p>{facts}</p>",
             table_html(head, rows, numeric={1, 2, 3, 4, 5, 6, 7})]
    parts += [figure_html(f) for f in figures]
    builds = tables.get("builds")
    targets = points[(points["kind"] == "target") & (points["relief_mw"] > 0)]
    if builds is not None and len(targets):
        relief = float(targets["relief_mw"].max())
        parts.append(f"<h3>{esc(tr('province.builds.title', relief=tr.num(relief)))}</h3>")
        parts.append(table_html([tr("province.col.unit"), tr("province.col.pv"),
                                 tr("province.col.battery_mwh"), tr("province.col.battery_mw"),
                                 tr("province.col.cost"), tr("province.col.cut")],
                                _build_rows(tr, builds, relief), numeric={1, 2, 3, 4, 5}))
    parts.append(f"<p>{esc(tr('province.compare'))}</p></section>")
    return "\n".join(parts)


def section_for_folder(folder, tr: Translator) -> str:
    """The section of a results folder, or "" when it has no ``province/`` tables."""
    tables = read_province(folder)
    if tables is None:
        return ""
    return province_section(tables, tr, province_figures(tables, tr.lang))


def write_province_report(folder, lang: str = "en") -> Path:
    """Write ``plots/province_*.png`` and ``report.html`` (the section alone) into a
    province folder.

    Returns
    -------
    Path
        The HTML file.
    """
    folder = Path(folder)
    tables = read_province(folder)
    tr = Translator(lang)
    figures = province_figures(tables, lang)
    (folder / "plots").mkdir(exist_ok=True)
    for f in figures:
        (folder / "plots" / f"{f.stem}.png").write_bytes(f.png)
    title = tr("section.province")
    page = Template((PACKAGE_DIR / "report" / "templates" / "report.html")
                    .read_text(encoding="utf-8"))
    html = page.substitute(lang=lang, title=esc(title), version=esc(__version__),
                           body="<main>" + province_section(tables, tr, figures) + "</main>")
    out = folder / "report.html"
    out.write_text(html, encoding="utf-8")
    return out
