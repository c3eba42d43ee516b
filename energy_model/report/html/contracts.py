"""Who pays and who owns (issue 18): the parks' lease, PPA and DPPA contracts.

Reads only ``contracts/contracts.csv`` and ``contracts/monthly.csv`` of the results folder;
the section is left out when the run had no contracts. Each contract shows the energy it
delivers (matched hourly to the park's import for a DPPA), the financial view (the tenant's
saving against its EVN bill, the investor's IRR and payback) beside the economic view
(resource cost, no retail transfers), and the break-even prices.
"""

from __future__ import annotations

import pandas as pd

from energy_model.report.html.common import _f, esc, message, table_html
from energy_model.report.i18n import Translator
from energy_model.report.load import Results
from energy_model.results import read_csv

#: the contract tables the section reads, under ``contracts/``
CONTRACT_TABLES = ("contracts.csv", "monthly.csv")


def contract_tables(res: Results) -> dict[str, pd.DataFrame]:
    """The folder's contract tables by file stem (empty without ``contracts/contracts.csv``)."""
    folder = res.folder / "contracts"
    if not (folder / "contracts.csv").is_file():
        return {}
    return {name[:-4]: read_csv(folder / name, keep_default_na=False, na_values=[""])
            for name in CONTRACT_TABLES if (folder / name).is_file()}


#: price units of ``contracts.csv`` → their catalog key
UNIT_KEYS = {"VND/kWh": "contracts.unit.vnd_per_kwh", "VND/kW/yr": "contracts.unit.vnd_per_kw_yr",
             "VND/month": "contracts.unit.vnd_per_month"}


def _price(tr: Translator, value, unit: str) -> str:
    key = UNIT_KEYS.get(unit)
    return f"{tr.num(value, 0)} {tr(key) if key else unit}"


def _financial_rows(tr: Translator, df: pd.DataFrame) -> list[list[str]]:
    rows = []
    for _, r in df.iterrows():
        own = f"ownership.{r['ownership']}"
        rows.append([str(r["park_id"]), str(r["asset"]), tr(own) if tr.has(own) else
                     str(r["ownership"]), tr.num(r["capacity_mw"], 1),
                     _price(tr, r["price"], str(r["price_unit"])),
                     tr.num(_f(r["delivered_mwh"]) / 1e3, 1),
                     tr.num(_f(r["unmatched_mwh"]) / 1e3, 1),
                     tr.num(r["tenant_net_y1_billion_vnd"], 1),
                     tr.num(r["tenant_npv_billion_vnd"], 1),
                     tr.num(r["investor_irr_real_pct"], 1), tr.num(r["investor_payback_yr"], 1)])
    return rows


def _view_rows(tr: Translator, df: pd.DataFrame) -> list[list[str]]:
    rows = []
    for _, r in df.iterrows():
        unit = str(r["price_unit"])
        rows.append([str(r["park_id"]), str(r["asset"]),
                     tr.num(_f(r["tenant_npv_billion_vnd"]) + _f(r["investor_npv_billion_vnd"]), 1),
                     tr.num(r["economic_npv_billion_vnd"], 1),
                     tr.num(r["economic_irr_real_pct"], 1),
                     _price(tr, r["breakeven_price_y1"], unit),
                     _price(tr, r["breakeven_price_life"], unit),
                     _price(tr, r["investor_breakeven_price"], unit)])
    return rows


def _winter_share(monthly: pd.DataFrame | None, pid: str, asset: str) -> float:
    if monthly is None:
        return float("nan")
    m = monthly[(monthly["park_id"].astype(str) == pid) & (monthly["asset"] == asset)]
    total = m["delivered_mwh"].astype(float).sum()
    winter = m.loc[m["month"].astype(int).isin((11, 12, 1, 2)), "delivered_mwh"].astype(float)
    return 100 * winter.sum() / total if total > 0 else float("nan")


def _dppa_notes(tr: Translator, df: pd.DataFrame, monthly) -> list[str]:
    notes = []
    for _, r in df[df["ownership"].astype(str).str.startswith("dppa")].iterrows():
        out = _f(r["output_mwh"])
        notes.append(message(
            tr, "contracts.dppa_note", park=r["park_id"], asset=r["asset"],
            output=tr.num(out / 1e3, 1), matched=tr.num(_f(r["delivered_mwh"]) / 1e3, 1),
            share=tr.num(100 * _f(r["delivered_mwh"]) / out if out > 0 else float("nan"), 0),
            winter=tr.num(_winter_share(monthly, str(r["park_id"]), str(r["asset"])), 0)))
        if r["ownership"] == "dppa_virtual":
            source = str(r.get("market_price_source") or "")
            notes.append(message(tr, "contracts.market_note",
                                 mean=tr.num(r["market_price_mean_vnd_per_kwh"], 1),
                                 source=tr("contracts.proxy") if source == "proxy" else source))
    for _, r in df.iterrows():
        for col in ("price_cap_check", "note"):
            code = _text(r.get(col))
            if code and tr.has(f"contracts.{col}.{code}"):
                notes.append(message(tr, f"contracts.{col}.{code}", park=r["park_id"],
                                     asset=r["asset"],
                                     cap=tr.num(r.get("price_cap_vnd_per_kwh"), 1)))
    return notes


def _text(value) -> str:
    """A free-text cell ('' for an empty or missing one)."""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def contracts_section(res: Results, tr: Translator) -> str:
    """The contracts section, or ``""`` when the results folder has no contracts."""
    tables = contract_tables(res)
    df = tables.get("contracts")
    if df is None or df.empty:
        return ""
    fin_head = [tr(f"contracts.col.{k}") for k in (
        "park", "asset", "ownership", "capacity", "price", "delivered", "unmatched",
        "tenant_y1", "tenant_npv", "investor_irr", "investor_payback")]
    view_head = [tr(f"contracts.col.{k}") for k in (
        "park", "asset", "financial_npv", "economic_npv", "economic_irr", "breakeven_y1",
        "breakeven_life", "investor_breakeven")]
    notes = "".join(f"<li>{n}</li>" for n in _dppa_notes(tr, df, tables.get("monthly")))
    return "\n".join([
        f'<section id="contracts"><h2>{esc(tr("section.contracts"))}</h2>',
        f"<p>{esc(tr('contracts.intro'))}</p>",
        f"<h3>{esc(tr('contracts.financial'))}</h3>",
        table_html(fin_head, _financial_rows(tr, df), numeric=set(range(3, 11))),
        f"<h3>{esc(tr('contracts.views'))}</h3>",
        f"<p>{esc(tr('contracts.views_intro'))}</p>",
        table_html(view_head, _view_rows(tr, df), numeric=set(range(2, 8))),
        f"<ul>{notes}</ul>" if notes else "",
        "</section>"])
