"""Building blocks of the HTML report: the figure record, escaping, catalog messages as
HTML, tables, quality marks and embedded figures."""

from __future__ import annotations

import base64
import html
import math
from dataclasses import dataclass

from energy_model.report.i18n import Translator


@dataclass
class FigureFile:
    """A rendered figure for the report.

    Attributes
    ----------
    stem : str
        File stem under ``plots/``.
    park_id : str or None
        The park of a park figure.
    png : bytes
        The PNG image.
    title, caption : str
        Title and one-line caption, in the report's language.
    """

    stem: str
    park_id: str | None
    png: bytes
    title: str
    caption: str


def esc(text) -> str:
    """HTML-escaped text."""
    return html.escape(str(text), quote=True)


class Raw(str):
    """Text that is already HTML (inserted by :func:`message` without escaping)."""


def code(text) -> Raw:
    """An identifier (file, scenario or station name) shown as code."""
    return Raw(f"<code>{esc(text)}</code>")


def message(tr: Translator, key: str, **values) -> str:
    """A catalog message as HTML: its text escaped, :class:`Raw` values kept as HTML."""
    return esc(tr(key)).format(**{k: v if isinstance(v, Raw) else esc(v)
                                  for k, v in values.items()})


def _f(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def verbatim(text: str, lang: str) -> str:
    """Text quoted as written by its author (English), tagged so."""
    if not text:
        return ""
    return f'<span class="verbatim" lang="en">{esc(text)}</span>'


def figure_html(fig: FigureFile) -> str:
    """A ``<figure>`` with the PNG embedded as a data URI."""
    data = base64.b64encode(fig.png).decode("ascii")
    return (f'<figure id="fig-{esc(fig.stem)}"><img src="data:image/png;base64,{data}" '
            f'alt="{esc(fig.title)}"><figcaption class="visually-hidden">{esc(fig.caption)}'
            "</figcaption></figure>")


def table_html(header: list[str], rows: list[list[str]], numeric: set[int] = frozenset(),
               raw: bool = False) -> str:
    """An HTML table; cells are escaped unless ``raw`` (already HTML)."""
    def cell(tag, i, v):
        cls = ' class="num"' if i in numeric else ""
        return f"<{tag}{cls}>{v if raw else esc(v)}</{tag}>"

    head = "".join(cell("th", i, esc(h) if raw else h) for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(r)) + "</tr>"
                   for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def mark_html(tr: Translator, mark: str) -> str:
    m = esc(mark or "NF")
    return f'<span class="mark mark-{m}" title="{esc(tr.mark(mark))}">{m}</span>'
