"""The assumptions the run used, read from the results folder (``tou_frame.csv`` and
``assumptions/{tariff,costs,emission_factor}.csv``), never from the package's current
tables: tariff, costs with the scenario's overrides, economics and the emission factor."""

from __future__ import annotations

import math

from energy_model.report.html.common import (_f, code, esc, mark_html, message, table_html,
                                             verbatim)
from energy_model.report.i18n import MISSING, Translator
from energy_model.report.load import Results


def _day_range(tr: Translator, days) -> str:
    days = sorted(int(d) for d in days)
    if not days:
        return MISSING
    if days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        return f"{tr(f'weekday.{days[0]}')}–{tr(f'weekday.{days[-1]}')}"
    return ", ".join(tr(f"weekday.{d}") for d in days)


def missing_table(tr: Translator, res: Results, name: str) -> str:
    """The note shown instead of a section whose assumption table the folder lacks."""
    return (f'<p class="note">'
            f"{message(tr, 'methods.assumption_missing', file=code('assumptions/' + name))}</p>")


def _hours(value: float) -> str:
    """Clock time of a decimal hour: 9.5 → ``09:30``."""
    minutes = int(round(float(value) * 60))
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def tariff_section(res: Results, tr: Translator) -> str:
    """The tariff the run used, from ``assumptions/tariff.csv`` and ``tou_frame.csv``."""
    sc = res.scenario
    name = sc.get("tariff", {}).get("name", MISSING)
    parts = [f"<h3>{esc(tr('methods.tariff'))}</h3>"]
    tou = res.tou_frame
    if tou is None:
        parts.append(missing_table(tr, res, "tou_frame.csv"))
    else:
        ev = tou[tou["period"] == "evening_peak"]
        evening = (f"{_hours(ev['start_h'].iloc[0])}–{_hours(ev['end_h'].iloc[0])}"
                   if len(ev) else MISSING)
        first = tou.iloc[0]
        parts.append(f"<p>{message(tr, 'methods.tariff_text', name=code(name), evening=evening)} "
                     f"{mark_html(tr, str(first['mark']))} "
                     f"{verbatim(str(first['source']), tr.lang)}</p>")
        weekdays = [int(d) for d in str(first["peak_weekdays"]).split()]
        windows = {}
        for _, r in tou[tou["period"] != "evening_peak"].iterrows():
            windows.setdefault((r["days"], r["period"]), []).append(
                f"{_hours(r['start_h'])}–{_hours(r['end_h'])}")
        rows = [[tr(f"period.{key}"),
                 ", ".join(windows.get(("peak_weekdays", key), [])) or MISSING,
                 ", ".join(windows.get(("other_days", key), [])) or MISSING]
                for key in ("peak", "normal", "offpeak")]
        other_days = [d for d in range(7) if d not in weekdays]
        parts.append(table_html([tr("methods.col.period"),
                                 tr("methods.days", days=_day_range(tr, weekdays)),
                                 tr("methods.days", days=_day_range(tr, other_days))], rows))
    prices = res.tariff
    if prices is None:
        parts.append(missing_table(tr, res, "tariff.csv"))
    else:
        price_rows = []
        for (customer, voltage), g in prices.groupby(["customer", "voltage"], sort=True):
            by = g.drop_duplicates("period").set_index("period")["price_vnd_per_kwh"]
            price_rows.append([tr(f"customer.{customer}"), tr(f"voltage.{voltage}")]
                              + [tr.num(by.get(p), 0) for p in ("offpeak", "normal", "peak")])
        parts.append(table_html([tr("methods.col.customer"), tr("methods.col.voltage"),
                                 tr("methods.col.price", period=tr("period.offpeak")),
                                 tr("methods.col.price", period=tr("period.normal")),
                                 tr("methods.col.price", period=tr("period.peak"))],
                                price_rows, numeric={2, 3, 4}))
        hours = prices.drop_duplicates("period").set_index("period")["hours"]
        parts.append("<p>" + esc(tr("methods.tariff_hours",
                                    **{p: tr.num(hours.get(p), 0)
                                       for p in ("offpeak", "normal", "peak")})) + "</p>")
    ex = sc.get("tariff", {}).get("export", {})
    parts.append("<p>" + esc(tr("methods.export_text",
                                price=tr.num(ex.get("price_vnd_per_kwh"), 1),
                                share=tr.pct(100 * _f(ex.get("cap_share")), 0),
                                basis=tr(f"methods.basis.{ex.get('basis', 'power')}"))) + "</p>")
    return "\n".join(parts)


def _unit(tr: Translator, unit: str) -> str:
    """A unit string in the report's language (VND → đồng, yr → năm)."""
    out = str(unit)
    for en_key in ("VND", "yr"):
        out = out.replace(en_key, tr(f"unit.{en_key}"))
    return out


def cost_value(tr: Translator, value: float, unit: str) -> str:
    if unit.startswith("VND/") and unit != "VND/USD":
        rest = _unit(tr, unit[len("VND"):])
        return tr.money(value, 2) + rest
    if unit == "1/yr":
        return tr.pct(100 * value, 2) + _unit(tr, "/yr")
    return f"{tr.num(value, 0 if float(value).is_integer() else 4)} {_unit(tr, unit)}"


def cost_label(tr: Translator, name: str) -> str:
    for suffix in ("replacement_interval", "replacement_cost", "throughput_cost", "fixed_om",
                   "capex", "life"):
        if name.endswith("_" + suffix):
            tech = name[: -len(suffix) - 1]
            t = tr(f"tech.{tech}") if tr.has(f"tech.{tech}") else tech
            return tr("methods.cost_item", tech=t, item=tr(f"cost.{suffix}"))
    return tr(f"cost.{name}") if tr.has(f"cost.{name}") else name


def costs_section(res: Results, tr: Translator) -> str:
    """The cost table the run used (``assumptions/costs.csv``), overrides marked ``user``."""
    body = [f"<h3>{esc(tr('methods.costs'))}</h3>", f"<p>{esc(tr('methods.costs_text'))}</p>"]
    if res.costs is None:
        return "\n".join(body + [missing_table(tr, res, "costs.csv")])
    rows = []
    for _, r in res.costs.iterrows():
        name, unit, value, mark = str(r["name"]), str(r["unit"]), float(r["value"]), str(r["mark"])
        rows.append([esc(cost_label(tr, name)) + f" <code>{esc(name)}</code>",
                     esc(cost_value(tr, value, unit)), mark_html(tr, mark),
                     verbatim(str(r.get("source", "")), tr.lang)])
    body.append(table_html([esc(tr("methods.col.item")), esc(tr("methods.col.value")),
                            esc(tr("methods.col.mark")), esc(tr("methods.col.source"))],
                           rows, raw=True))
    overrides = res.scenario.get("costs") or {}
    if overrides:
        orow = []
        for tech, o in sorted(overrides.items()):
            for k, v in sorted(o.items()):
                if v is not None:
                    orow.append([f"<code>{esc(tech)}.{esc(k)}</code>", esc(tr.num(v, 0)),
                                 mark_html(tr, "user")])
        body += [f"<p>{esc(tr('methods.cost_overrides'))}</p>",
                 table_html([esc(tr("methods.col.item")), esc(tr("methods.col.value")),
                             esc(tr("methods.col.mark"))], orow, raw=True)]
    return "\n".join(body)


def emission_factor_used(res: Results) -> tuple[float, str]:
    """Grid emission factor the run used [tCO2/MWh] and its quality mark
    (``assumptions/emission_factor.csv``; NaN and ``NF`` when the folder lacks it)."""
    table = res.emission_factor
    if table is None or table.empty:
        return math.nan, "NF"
    return float(table["value_t_per_mwh"].iloc[0]), str(table["mark"].iloc[0])


def economics_section(res: Results, tr: Translator) -> str:
    sc = res.scenario
    econ = sc.get("economics", {})
    src = sc.get("sources") or {}

    def row(key, value):
        s = src.get(f"economics.{key}", {})
        return [esc(tr(f"econ.{key}")) + f" <code>{esc(key)}</code>", esc(value),
                mark_html(tr, s.get("mark", "E") if s else "E") if s else "",
                verbatim(s.get("source", ""), tr.lang) if s else esc(tr("methods.default"))]

    rows = [row("discount_rate_real", tr.pct(100 * _f(econ.get("discount_rate_real")), 2)),
            row("inflation", tr.pct(100 * _f(econ.get("inflation")), 2)),
            row("lifetime_years", tr.num(econ.get("lifetime_years"), 0)),
            row("tariff_escalation_real", tr.pct(100 * _f(econ.get("tariff_escalation_real")), 2)),
            row("vnd_per_usd", tr.num(econ.get("vnd_per_usd"), 0)),
            row("co2_price_vnd_per_t", tr.num(econ.get("co2_price_vnd_per_t"), 0))]
    ef, mark = emission_factor_used(res)
    return "\n".join([
        f"<h3>{esc(tr('methods.economics'))}</h3>",
        table_html([esc(tr("methods.col.item")), esc(tr("methods.col.value")),
                    esc(tr("methods.col.mark")), esc(tr("methods.col.source"))], rows, raw=True),
        f"<h3>{esc(tr('methods.emission'))}</h3>",
        f"<p>{esc(tr('methods.emission_text', ef=tr.num(ef, 4), year=sc.get('year', MISSING)))} "
        f"{mark_html(tr, mark)}</p>"])
