"""The HTML report: one self-contained file, images embedded, no network, two languages.

Order: the executive summary (grid-pressure decision numbers with their ranges across rule
sets, the parks to build first, caveats, grid figures and tables: :mod:`.executive`), the
summary for decision makers (key numbers of the province, a few sentences,
the province figures and a table of the parks), one section per park, then methods and
assumptions: quality marks of every sourced figure, tariffs, costs, the emission factor,
the weather check, the run's provenance and a bilingual glossary.

Text written by people outside this program (source notes in scenario and data files,
the run log) is quoted verbatim and tagged with ``lang="en"``; everything else comes
from the message catalogs (:mod:`energy_model.report.i18n`).

Modules: :mod:`.common` (figure record, escaping, messages, tables, marks),
:mod:`.executive`, :mod:`.summary`, :mod:`.parks`, :mod:`.methods` and
:mod:`.assumptions` (one per section of the page). :func:`render` puts the page together;
the names of the section modules are re-exported here.
"""

from __future__ import annotations

from string import Template

from energy_model import __version__
from energy_model.paths import PACKAGE_DIR
from energy_model.report.html.assumptions import (
    cost_label, cost_value, costs_section, economics_section, emission_factor_used,
    missing_table, tariff_section,
)
from energy_model.report.html.coordination import section_for_folder
from energy_model.report.html.common import (
    FigureFile, Raw, code, esc, figure_html, mark_html, message, table_html, verbatim,
)
from energy_model.report.html.contracts import contracts_section
from energy_model.report.html.executive import (
    EXECUTIVE_FIGURES, caveats_list, cuts_text, decision_cards, executive_section,
    ranking_table, rules_table, substations_table,
)
from energy_model.report.html.methods import (
    field_label, glossary_section, marks_legend, methods_section, run_section, sources_table,
    stage_label,
)
from energy_model.report.html.milestones import milestones_section
from energy_model.report.html.parks import park_section
from energy_model.report.html.summary import (
    SUMMARY_FIGURES, card, key_numbers, parks_table, summary_section,
)
from energy_model.report.i18n import MISSING, Translator
from energy_model.report.load import Results

__all__ = [
    "EXECUTIVE_FIGURES", "SUMMARY_FIGURES", "TEMPLATE", "FigureFile", "Raw", "card",
    "caveats_list", "code", "contracts_section", "cost_label", "cost_value", "costs_section", "cuts_text",
    "decision_cards", "economics_section", "emission_factor_used", "esc", "executive_section",
    "field_label", "figure_html", "glossary_section", "key_numbers", "mark_html",
    "marks_legend", "message", "methods_section", "missing_table", "park_section",
    "parks_table", "ranking_table", "render", "rules_table", "run_section", "sources_table",
    "stage_label", "substations_table", "summary_section", "table_html", "tariff_section",
    "verbatim",
]

TEMPLATE = PACKAGE_DIR / "report" / "templates" / "report.html"


# --------------------------------------------------------------------------- page

def render(res: Results, lang: str, figures: list[FigureFile]) -> str:
    """The whole report as one HTML string.

    Parameters
    ----------
    res : Results
        The results folder, loaded.
    lang : str
        ``"en"`` or ``"vi"``.
    figures : list of FigureFile
        The figures, rendered in the same language.

    Returns
    -------
    str
    """
    tr = Translator(lang)
    sc = res.scenario
    by_stem = {f.stem: f for f in figures if f.park_id is None}
    by_park: dict[str, list[FigureFile]] = {}
    for f in figures:
        if f.park_id is not None:
            by_park.setdefault(f.park_id, []).append(f)
    title = tr("report.title", year=sc.get("year", MISSING))
    header = (f"<header><h1>{esc(title)}</h1>"
              + "<p>" + message(tr, "report.subtitle", name=code(sc.get("name", MISSING)),
                                year=sc.get("year", MISSING), n=len(res.park_ids)) + "</p>"
              + "<p>" + message(tr, "report.generated", version=code("energy_model " + __version__))
              + "</p></header>")
    nav = (f'<nav><a href="#executive">{esc(tr("section.executive"))}</a>'
           f'<a href="#summary">{esc(tr("section.summary"))}</a>'
           f'<a href="#milestones">{esc(tr("section.milestones"))}</a>'
           f'<a href="#parks">{esc(tr("section.parks"))}</a>'
           f'<a href="#methods">{esc(tr("section.methods"))}</a></nav>')
    body = [header, nav, "<main>", executive_section(res, tr, by_stem),
            summary_section(res, tr, by_stem), milestones_section(res, tr),
            f'<section id="parks"><h2>{esc(tr("section.parks"))}</h2>'
            f"<p>{esc(tr('parks.intro'))}</p>"]
    body += [park_section(res, tr, pid, by_park.get(pid, [])) for pid in res.park_ids]
    body.append("</section>")
    body.append(contracts_section(res, tr))  # issue 18: only when the run has contracts
    body.append(section_for_folder(res.folder, tr))   # only with province/ (issue 16)
    body.append(methods_section(res, tr, by_stem))
    body.append("</main>")
    page = Template(TEMPLATE.read_text(encoding="utf-8"))
    return page.substitute(lang=lang, title=esc(title), version=esc(__version__),
                           body="\n".join(body))
