"""Report languages: message catalogs, number and money formats (English and Vietnamese).

Every label, caption and sentence of the plots and of the HTML report is a message of
``energy_model/report/locales/<lang>.yaml``, looked up by key. The Vietnamese catalog is
one reviewed file with a glossary of the field's terms (KCN, KKT, công suất, điện mặt
trời mái nhà, ...); both catalogs have the same keys and the same ``{placeholders}``.

Number formats
--------------
- English: ``1,234.5``; Vietnamese: ``1.234,5`` (dot for thousands, comma for decimals).
- Money: English in million/billion VND; Vietnamese in triệu đồng / tỷ đồng
  (1 triệu = 10⁶ đồng, 1 tỷ = 10⁹ đồng).
- Percentages carry a thin no-break space before ``%`` in both languages.
"""

from __future__ import annotations

import math
import unicodedata
from functools import lru_cache

import yaml
from matplotlib.ticker import Formatter

from energy_model.errors import UsageError
from energy_model.paths import PACKAGE_DIR

LANGUAGES = ("en", "vi")
LOCALE_DIR = PACKAGE_DIR / "report" / "locales"
#: Shown in place of a missing number (NaN, None).
MISSING = "–"
NBSP = "\u00a0"


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict:
    """The parsed catalog of a language: ``{"messages": {...}, "glossary": [...]}``."""
    if lang not in LANGUAGES:
        raise UsageError(f"unknown report language {lang!r}; expected one of "
                         f"{', '.join(LANGUAGES)}")
    path = LOCALE_DIR / f"{lang}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    messages = {str(k): unicodedata.normalize("NFC", str(v))
                for k, v in (data.get("messages") or {}).items()}
    return {"messages": messages, "glossary": data.get("glossary") or [],
            "meta": data.get("meta") or {}}


def _group(digits: str, sep: str) -> str:
    """Insert ``sep`` every three digits from the right of an integer string."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return sep.join(parts)


def format_number(value, decimals: int = 1, lang: str = "en", sign: bool = False) -> str:
    """A number in the language's format.

    Parameters
    ----------
    value : float or None
        The number; NaN or None gives :data:`MISSING`.
    decimals : int
        Digits after the decimal mark.
    lang : str
        ``"en"`` (1,234.5) or ``"vi"`` (1.234,5).
    sign : bool
        Show ``+`` on positive numbers.

    Returns
    -------
    str
    """
    if value is None:
        return MISSING
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(v):
        return MISSING
    text = f"{abs(v):.{decimals}f}"
    if float(text) == 0.0:
        v = 0.0  # no "-0"
    whole, _, frac = text.partition(".")
    thousands, mark = (".", ",") if lang == "vi" else (",", ".")
    out = _group(whole, thousands) + (mark + frac if frac else "")
    if v < 0:
        out = "−" + out
    elif sign and v > 0:
        out = "+" + out
    return out


class Translator:
    """Messages and number formats of one language.

    Parameters
    ----------
    lang : str
        ``"en"`` or ``"vi"``.

    Examples
    --------
    >>> t = Translator("vi")
    >>> t.num(1234.5)
    '1.234,5'
    """

    def __init__(self, lang: str = "en"):
        self.lang = lang
        self._messages = catalog(lang)["messages"]

    def __call__(self, key: str, **values) -> str:
        """The message ``key`` with its ``{placeholders}`` filled."""
        try:
            text = self._messages[key]
        except KeyError:
            raise KeyError(f"report message {key!r} missing from "
                           f"locales/{self.lang}.yaml") from None
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        """Whether the catalog has ``key``."""
        return key in self._messages

    @property
    def glossary(self) -> list:
        """The glossary entries (``en``, ``vi``, ``note``)."""
        return catalog("vi")["glossary"]

    def num(self, value, decimals: int = 1, sign: bool = False) -> str:
        """A number, e.g. ``1.234,5`` in Vietnamese."""
        return format_number(value, decimals, self.lang, sign)

    def pct(self, value, decimals: int = 1, sign: bool = False) -> str:
        """A percentage given in percent, e.g. ``33,6 %``."""
        text = self.num(value, decimals, sign)
        return text if text == MISSING else f"{text}{NBSP}%"

    def money(self, vnd, decimals: int = 1, sign: bool = False) -> str:
        """An amount [VND] in million (triệu) or billion (tỷ) đồng, whichever reads best."""
        if vnd is None or not math.isfinite(float(vnd)):
            return MISSING
        v = float(vnd)
        if abs(v) >= 1e9:
            return self("unit.billion_vnd_value", value=self.num(v / 1e9, decimals, sign))
        if abs(v) >= 1e6:
            return self("unit.million_vnd_value", value=self.num(v / 1e6, decimals, sign))
        return self("unit.vnd_value", value=self.num(v, 0, sign))

    def billion(self, billion_vnd, decimals: int = 1, sign: bool = False) -> str:
        """An amount given in billion VND (the unit of summary.csv)."""
        if billion_vnd is None:
            return MISSING
        return self.money(float(billion_vnd) * 1e9, decimals, sign)

    def month(self, month: int) -> str:
        """Short month name (Jan / T1)."""
        return self(f"month.{int(month)}")

    def mark(self, mark: str) -> str:
        """Meaning of a quality mark (S, S2, E, NF, user)."""
        key = f"mark.{mark}"
        return self(key) if self.has(key) else str(mark)


def tick_formatter(lang: str):
    """A matplotlib tick formatter writing numbers in the language's format.

    The number of decimals is the fewest that write every tick exactly, so ticks read
    0, 5, 10 or 0,25; 0,5 (Vietnamese) without trailing noise.
    """
    class _LangFormatter(Formatter):
        def __init__(self):
            self.decimals = 0

        def set_locs(self, locs):
            super().set_locs(locs)
            finite = [v for v in locs if math.isfinite(v)]
            steps = [abs(b - a) for a, b in zip(finite, finite[1:]) if b != a]
            step = min(steps) if steps else 1.0
            self.decimals = next((d for d in range(7) if all(
                abs(round(v, d) - v) < 1e-3 * step for v in finite)), 6)

        def __call__(self, x, pos=None):
            return format_number(x, self.decimals, lang)

    return _LangFormatter()
