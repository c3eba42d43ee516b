"""The methods section: the steps, quality marks and sources of every sourced figure, the
assumptions (:mod:`.assumptions`), the weather, the run's provenance and the glossary."""

from __future__ import annotations

from energy_model.report.html.assumptions import (costs_section, economics_section,
                                                  tariff_section)
from energy_model.report.html.common import (FigureFile, esc, figure_html, mark_html,
                                             table_html, verbatim)
from energy_model.report.i18n import MISSING, Translator
from energy_model.report.load import Results


def field_label(tr: Translator, key: str) -> str:
    """A readable label of a scenario field path, with the path itself in code."""
    for probe in (key, key.split(".")[0]):
        if tr.has(f"field.{probe}"):
            label = tr(f"field.{probe}")
            return f"{esc(label)} <code>{esc(key)}</code>"
    return f"<code>{esc(key)}</code>"


def sources_table(res: Results, tr: Translator) -> str:
    sc = res.scenario
    rows = []
    for key, s in sorted((sc.get("sources") or {}).items()):
        rows.append([esc(tr("plot.province")), field_label(tr, key), mark_html(tr, s.get("mark")),
                     verbatim(s.get("source", ""), tr.lang)])
    for p in sc.get("parks", []):
        for key, s in sorted((p.get("sources") or {}).items()):
            rows.append([esc(p.get("name", p.get("id"))), field_label(tr, key),
                         mark_html(tr, s.get("mark")), verbatim(s.get("source", ""), tr.lang)])
    if not rows:
        return f"<p>{esc(tr('methods.no_sources'))}</p>"
    header = [esc(tr("methods.col.scope")), esc(tr("methods.col.field")),
              esc(tr("methods.col.mark")), esc(tr("methods.col.source"))]
    return table_html(header, rows, raw=True)


def marks_legend(tr: Translator) -> str:
    rows = [[mark_html(tr, m), esc(tr.mark(m))] for m in ("S", "S2", "E", "NF", "user")]
    return table_html([esc(tr("methods.col.mark")), esc(tr("methods.col.meaning"))], rows, raw=True)


def methods_section(res: Results, tr: Translator, figures: dict[str, FigureFile]) -> str:
    sc = res.scenario
    w = sc.get("weather", {})
    parts = [f'<section id="methods"><h2>{esc(tr("section.methods"))}</h2>',
             "<ul>" + "".join(f"<li>{esc(tr(f'methods.step.{i}'))}</li>" for i in range(1, 8))
             + "</ul>",
             f'<p class="note">{esc(tr("methods.admin_note"))}</p>',
             f"<h3>{esc(tr('methods.marks'))}</h3>", marks_legend(tr),
             f"<p>{esc(tr('methods.sources_text'))}</p>", sources_table(res, tr),
             tariff_section(res, tr), costs_section(res, tr), economics_section(res, tr),
             f"<h3>{esc(tr('methods.weather'))}</h3>",
             "<p>" + esc(tr(f"methods.weather_text.{w.get('source', 'normals')}",
                            seed=w.get("seed", MISSING), years=w.get("years", 1))) + "</p>"]
    if "weather_check" in figures:
        parts.append(figure_html(figures["weather_check"]))
    parts.append(run_section(res, tr))
    parts.append(glossary_section(tr))
    parts.append("</section>")
    return "\n".join(parts)


def run_section(res: Results, tr: Translator) -> str:
    run = res.run
    versions = run.get("versions") or {}
    vrows = [[f"<code>{esc(k)}</code>", f"<code>{esc(v)}</code>"]
             for k, v in sorted(versions.items())]
    trows = [[stage_label(tr, k), esc(tr.num(v, 1))]
             for k, v in (run.get("timings_s") or {}).items()]
    parts = [f"<h3>{esc(tr('methods.run'))}</h3>",
             f"<p>{esc(tr('methods.run_text', seed=run.get('seed', MISSING)))}</p>",
             table_html([esc(tr("methods.col.package")), esc(tr("methods.col.version"))], vrows,
                        raw=True),
             table_html([esc(tr("methods.col.stage")), esc(tr("methods.col.seconds"))], trows,
                        numeric={1}, raw=True)]
    notes = run.get("notes") or []
    if notes:
        parts.append(f"<p>{esc(tr('methods.notes'))}</p>")
        parts.append('<pre class="log" lang="en">' + esc("\n".join(notes)) + "</pre>")
    return "\n".join(parts)


def stage_label(tr: Translator, key: str) -> str:
    """HTML label of a timing key such as ``sizing (cpu)``; an unknown stage stays in code."""
    base, _, qual = key.partition(" (")
    qual = qual.rstrip(")")
    if not tr.has(f"stage.{base}") or (qual and not tr.has(f"stage.{qual}")):
        return f"<code>{esc(key)}</code>"
    label = tr(f"stage.{base}")
    return esc(f"{label} ({tr(f'stage.{qual}')})" if qual else label)


def glossary_section(tr: Translator) -> str:
    rows = [[f'<span lang="en">{esc(g.get("en", ""))}</span>', esc(g.get("vi", "")),
             esc(g.get("note_vi" if tr.lang == "vi" else "note_en", ""))] for g in tr.glossary]
    return (f"<h3>{esc(tr('methods.glossary'))}</h3>"
            + table_html([esc(tr("methods.col.english")), esc(tr("methods.col.vietnamese")),
                          esc(tr("methods.col.meaning"))], rows, raw=True))
