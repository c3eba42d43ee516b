"""Report languages: catalogs, Vietnamese number and money formats, fonts with diacritics."""

from __future__ import annotations

import io
import re
import string
import unicodedata
import warnings

import matplotlib
import numpy as np
import pytest
import yaml

from energy_model.report import i18n
from energy_model.report.i18n import Translator, format_number, tick_formatter

LOCALES = i18n.LOCALE_DIR


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


# --------------------------------------------------------------------------- catalogs

#: messages whose languages may use different subsets of the values the code passes
CHOICE_OF_FIELDS = {"date.day_month": {"day", "month", "month_name"}}


def test_catalogs_have_the_same_keys_and_placeholders():
    en = i18n.catalog("en")["messages"]
    vi = i18n.catalog("vi")["messages"]
    assert set(en) == set(vi), (sorted(set(en) ^ set(vi)))
    for key in en:
        if key in CHOICE_OF_FIELDS:
            assert _fields(en[key]) <= CHOICE_OF_FIELDS[key] >= _fields(vi[key]), key
        else:
            assert _fields(en[key]) == _fields(vi[key]), key


def test_vietnamese_catalog_is_translated_nfc_and_has_the_glossary():
    raw = (LOCALES / "vi.yaml").read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", raw) == raw
    data = yaml.safe_load(raw)
    vi, en = data["messages"], i18n.catalog("en")["messages"]
    # a message identical in both languages must be language-neutral (units, numbers)
    same = [k for k in vi if vi[k] == en[k]
            and re.search(r"[A-Za-z]{4,}", re.sub(r"\{\w+\}", "", vi[k]))]
    assert same == []
    terms = " | ".join(g["vi"] for g in data["glossary"])
    for term in ("KCN", "KKT", "công suất", "điện mặt trời mái nhà", "phụ tải", "tỷ đồng",
                 "triệu đồng", "trạm biến áp", "giá trị hiện tại ròng"):
        assert term in terms, term
    for g in data["glossary"]:
        assert set(g) == {"en", "vi", "note_en", "note_vi"}, g


def test_unknown_language_is_a_usage_error():
    from energy_model.errors import UsageError

    with pytest.raises(UsageError, match="unknown report language 'fr'"):
        Translator("fr")


# --------------------------------------------------------------------------- formats

@pytest.mark.parametrize("value, decimals, en, vi", [
    (1234.5, 1, "1,234.5", "1.234,5"),
    (1234567.891, 2, "1,234,567.89", "1.234.567,89"),
    (999.96, 1, "1,000.0", "1.000,0"),
    (-2500.0, 0, "−2,500", "−2.500"),
    (-0.04, 1, "0.0", "0,0"),          # no negative zero
    (0.25, 2, "0.25", "0,25"),
    (float("nan"), 1, "–", "–"),
    (None, 1, "–", "–"),
])
def test_number_formats(value, decimals, en, vi):
    assert format_number(value, decimals, "en") == en
    assert format_number(value, decimals, "vi") == vi


def test_money_in_trieu_and_ty_dong():
    vi, en = Translator("vi"), Translator("en")
    assert vi.money(2.5e9) == "2,5 tỷ đồng"
    assert vi.money(1_234.5e9) == "1.234,5 tỷ đồng"
    assert vi.money(13_000_000, 2) == "13,00 triệu đồng"
    assert vi.money(195_000) == "195.000 đồng"
    assert vi.money(-4.2e9, sign=True) == "−4,2 tỷ đồng"
    assert en.money(2.5e9) == "2.5 billion VND"
    assert en.billion(0.35) == "350.0 million VND"
    assert vi.pct(33.58) == "33,6\u00a0%"


def test_tick_formatter_uses_the_fewest_exact_decimals():
    f = tick_formatter("vi")
    assert f.format_ticks([0.0, 0.25, 0.5, 0.75]) == ["0,00", "0,25", "0,50", "0,75"]
    assert f.format_ticks([0.0, 5000.0, 10000.0]) == ["0", "5.000", "10.000"]
    assert tick_formatter("en").format_ticks([1.5, 2.0, 2.5]) == ["1.5", "2.0", "2.5"]


# --------------------------------------------------------------------------- fonts

def _render_warnings(text: str) -> list[str]:
    from matplotlib.figure import Figure

    from energy_model.report.plots import STYLE

    with matplotlib.rc_context(STYLE), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = Figure(figsize=(4, 1))
        fig.text(0.05, 0.5, text, fontsize=12)
        fig.savefig(io.BytesIO(), format="png")
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_plot_font_has_the_vietnamese_letters():
    assert _render_warnings("Điện mặt trời mái nhà — công suất, tỷ đồng, Quảng Ninh") == []
    # the check can fail: a letter DejaVu Sans lacks does warn
    assert _render_warnings("電") != []


def test_every_character_of_the_catalogs_is_in_the_plot_font():
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"),
                                 fallback_to_default=False)
    assert "DejaVuSans" in path
    charmap = FT2Font(path).get_charmap()
    for lang in ("vi", "en"):
        text = (LOCALES / f"{lang}.yaml").read_text(encoding="utf-8")
        missing = sorted({c for c in text if not c.isspace() and ord(c) not in charmap})
        assert missing == [], (lang, missing)
    assert ord("电") not in charmap  # and the check would see a missing one


def test_translator_reports_a_missing_key():
    with pytest.raises(KeyError, match="no.such.key"):
        Translator("vi")("no.such.key")


def test_number_format_round_trips_numerically():
    rng = np.random.default_rng(3)
    for v in rng.normal(0, 1e6, 50):
        text = format_number(v, 2, "vi")
        back = float(text.replace("−", "-").replace(".", "").replace(",", "."))
        assert back == pytest.approx(round(v, 2), abs=0.006)
