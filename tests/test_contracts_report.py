"""Contracts (issue 18): ``contracts/*.csv`` written by the pipeline's output and the
report section that reads them (only when they exist), in English and Vietnamese."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd
import pytest

from energy_model.pipeline.contracts import combined_tables
from energy_model.pipeline.output import write_contracts
from energy_model.report.html.contracts import contracts_section
from energy_model.report.i18n import Translator

ROW = {"park_id": "song_khoai", "asset": "nearshore", "ownership": "dppa_virtual",
       "capacity_mw": 100.8, "term_yr": 20, "price": 1300.0, "price_unit": "VND/kWh",
       "escalation_nominal_pct": 0.0, "output_mwh": 300_000.0, "delivered_mwh": 240_000.0,
       "unmatched_mwh": 60_000.0, "tenant_saving_y1_billion_vnd": 430.0,
       "tenant_payment_y1_billion_vnd": 437.5, "tenant_net_y1_billion_vnd": 92.5,
       "tenant_npv_billion_vnd": 1234.5, "investor_capex_billion_vnd": 5040.0,
       "investor_npv_billion_vnd": -321.0, "investor_irr_real_pct": 4.2,
       "investor_payback_yr": 14.5, "economic_npv_billion_vnd": 777.7,
       "economic_irr_real_pct": 7.7, "breakeven_price_y1": 1598.0,
       "breakeven_price_life": 2111.0, "investor_breakeven_price": 1850.0,
       "market_price_source": "proxy", "market_price_mean_vnd_per_kwh": 1426.6,
       "price_cap_vnd_per_kwh": float("nan"), "price_cap_check": "", "note": ""}


def _monthly():
    # 240 GWh matched: 30 GWh in each of Nov, Dec, Jan, Feb (120 = 50 %), 15 in the others
    rows = [{"park_id": "song_khoai", "asset": "nearshore", "month": m,
             "delivered_mwh": 30_000.0 if m in (11, 12, 1, 2) else 15_000.0} for m in range(1, 13)]
    return pd.DataFrame(rows)


def _folder(tmp_path):
    parks = {"song_khoai": SimpleNamespace(contracts={
        "contracts": pd.DataFrame([ROW]), "monthly": _monthly(),
        "cash_flows": pd.DataFrame({"park_id": ["song_khoai"], "asset": ["nearshore"],
                                    "year": [0], "tenant_net_vnd": [0.0]})}),
        "cai_lan": SimpleNamespace(contracts=None)}
    write_contracts(SimpleNamespace(parks=parks), tmp_path)
    return SimpleNamespace(folder=tmp_path)


def test_contract_tables_written_and_read_back(tmp_path):
    _folder(tmp_path)
    written = sorted(p.name for p in (tmp_path / "contracts").iterdir())
    assert written == ["cash_flows.csv", "contracts.csv", "monthly.csv"]
    back = pd.read_csv(tmp_path / "contracts" / "contracts.csv")
    assert back.loc[0, "breakeven_price_y1"] == pytest.approx(1598.0)
    assert combined_tables({"a": SimpleNamespace(contracts=None)}) == {}


def test_section_notes_from_codes(tmp_path):
    res = _folder(tmp_path)
    df = pd.DataFrame([{**ROW, "asset": "line", "ownership": "dppa_private",
                        "price_cap_vnd_per_kwh": 1382.7, "price_cap_check": "within_cap"},
                       {**ROW, "asset": "battery", "ownership": "lease", "note": "not_built"}])
    df.to_csv(tmp_path / "contracts" / "contracts.csv", index=False)
    html = contracts_section(res, Translator("en"))
    assert "within the generation price frame cap of 1,382.7 VND/kWh" in html
    assert "song_khoai / battery: not built by the sizing" in html


def test_no_contracts_no_folder_no_section(tmp_path):
    write_contracts(SimpleNamespace(parks={"a": SimpleNamespace(contracts=None)}), tmp_path)
    assert not (tmp_path / "contracts").exists()
    assert contracts_section(SimpleNamespace(folder=tmp_path), Translator("en")) == ""


@pytest.mark.parametrize("lang,words", [
    ("en", ["Who pays and who owns", "DPPA, virtual (CfD)", "1,598 VND/kWh", "1,234.5",
            "50 % of the matched energy", "240.0 GWh (80 %)", "synthetic proxy"]),
    ("vi", ["Ai trả tiền và ai sở hữu", "DPPA ảo", "1.598 đồng/kWh", "1.234,5",
            "50 % điện năng được khớp", "240,0 GWh (80 %)", "chuỗi giá tổng hợp"]),
])
def test_contracts_section_reads_the_tables(tmp_path, lang, words):
    html = contracts_section(_folder(tmp_path), Translator(lang))
    for w in words:
        assert w in html, w
    assert not re.search(r"\bnan\b", html, re.I)  # no empty cell shown as nan
    # financial NPV = tenant + investor = 1,234.5 − 321.0
    assert ("913.5" if lang == "en" else "913,5") in html


def test_vietnamese_section_has_no_english_words(tmp_path):
    """The Vietnamese section passes the report's own English-words check."""
    import sys
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
    from test_report import english_words

    res = _folder(tmp_path)
    df = pd.DataFrame([ROW, {**ROW, "asset": "roof", "ownership": "ppa"},
                       {**ROW, "asset": "battery", "ownership": "lease",
                        "price_unit": "VND/month", "note": "not_built"}])
    df.to_csv(tmp_path / "contracts" / "contracts.csv", index=False)
    text = re.sub(r"<[^>]+>", " ", contracts_section(res, Translator("vi")))
    assert english_words([text], ["song_khoai", "nearshore", "roof", "battery"]) == []
    # and the check can fail: the English section is caught
    text_en = re.sub(r"<[^>]+>", " ", contracts_section(res, Translator("en")))
    assert "month" in english_words([text_en], ["song_khoai", "nearshore", "roof", "battery"])
