"""One section per park: its facts and its figures."""

from __future__ import annotations

from energy_model.report.html.common import FigureFile, Raw, _f, code, esc, figure_html
from energy_model.report.i18n import MISSING, Translator
from energy_model.report.load import Results


def park_section(res: Results, tr: Translator, pid: str, figures: list[FigureFile]) -> str:
    r = res.parks.loc[pid]
    ps = res.park_scenario(pid)
    yes_no = tr("word.yes") if bool(r.get("heritage_buffer")) else tr("word.no")
    facts = [
        (tr("park.kind"), tr(f"kind.{r['kind']}") if tr.has(f"kind.{r['kind']}") else r["kind"]),
        (tr("park.location"), tr("park.location_value", lat=tr.num(r["lat"], 3),
                                 lon=tr.num(r["lon"], 3))),
        (tr("park.area"), tr("park.area_value", area=tr.num(ps.get("area_ha"), 1),
                             occupancy=tr.pct(100 * _f(ps.get("occupancy")), 1),
                             year=ps.get("occupancy_year", MISSING))),
        (tr("park.weather"), code(r.get("weather", ""))),
        (tr("park.buffer"), yes_no),
        (tr("col.load_gwh"), tr.num(r["load_gwh"], 1)),
        (tr("col.peak_load_mw"), tr.num(r["peak_load_mw"], 1)),
        (tr("park.pv"), tr("park.pv_value", total=tr.num(r["pv_mwp"], 1),
                          rooftop=tr.num(r["pv_rooftop_mwp"], 1),
                          ground=tr.num(r["pv_ground_mwp"], 1),
                          floating=tr.num(r["pv_floating_mwp"], 1))),
        *_pv_limit_facts(res, tr, r),
        (tr("col.wind_mw"), tr.num(r["wind_mw"], 1)),
        *_offsite_facts(tr, r),
        (tr("park.battery"), tr("park.battery_value", mwh=tr.num(r["battery_mwh"], 1),
                               mw=tr.num(r["battery_mw"], 1))),
        (tr("col.self_sufficiency_pct"), tr.num(r["self_sufficiency_pct"], 1)),
        (tr("col.self_consumption_pct"), tr.num(r["self_consumption_pct"], 1)),
        (tr("park.peak"), tr("park.before_after", before=tr.num(r["peak_import_before_mw"], 1),
                            after=tr.num(r["peak_import_after_mw"], 1), unit="MW")),
        *_cap_facts(tr, r),
        (tr("park.evening"), tr("park.before_after",
                                before=tr.num(r["evening_import_before_gwh"], 2),
                                after=tr.num(r["evening_import_after_gwh"], 2), unit="GWh")),
        (tr("park.annual_cost"), tr("park.before_after",
                                    before=tr.billion(r["grid_only_cost_billion_vnd"]),
                                    after=tr.billion(r["annual_cost_billion_vnd"]), unit="")),
        (tr("summary.card.saving"), tr.billion(r["annual_saving_billion_vnd"])),
        (tr("park.capex"), tr.billion(r["capex_billion_vnd"])),
        (tr("park.npv"), tr.billion(r["npv_billion_vnd"])),
        (tr("col.irr_real_pct"), tr.num(r["irr_real_pct"], 1)),
        (tr("col.payback_yr"), tr.num(r["payback_yr"], 1)),
        (tr("col.lcoe_vnd_per_kwh"), tr.num(r["lcoe_vnd_per_kwh"], 0)),
        (tr("col.lcos_vnd_per_kwh"), tr.num(r["lcos_vnd_per_kwh"], 0)),
        (tr("col.co2_avoided_kt"), tr.num(r["co2_avoided_kt"], 2)),
        (tr("col.cut_covered_pct"), tr.num(r.get("cut_covered_pct"), 1)),
        (tr("col.blackout_critical_served_pct"), tr.num(r.get("blackout_critical_served_pct"), 1)),
    ]
    items = "".join(f"<li>{esc(a)}: <b>{b if isinstance(b, Raw) else esc(b)}</b></li>"
                    for a, b in facts)
    parts = [f'<section id="park-{esc(pid)}"><h3>{esc(r["name"])}</h3>',
             f'<ul class="park-facts">{items}</ul>']
    parts += [figure_html(f) for f in figures]
    parts.append("</section>")
    return "\n".join(parts)


def _cap_facts(tr, r) -> list[tuple[str, object]]:
    """Import cap and hours at it; where the cap is only the park's own grid-only peak (no
    substation rating known), the hours say nothing about grid headroom, and the report
    says so instead of showing them."""
    if r.get("import_cap_basis") == "grid_only_peak":
        return [(tr("col.import_cap_mw"), tr("park.cap_own_peak",
                                             mw=tr.num(r["import_cap_mw"], 1)))]
    return [(tr("col.import_cap_mw"), tr.num(r["import_cap_mw"], 1)),
            (tr("col.hours_at_cap_h"), tr.num(r["hours_at_cap_h"], 0))]


def _offsite_facts(tr, r) -> list[tuple[str, object]]:
    """One line on the park's off-site (DPPA) farms, wind or solar, from ``summary.csv``:
    nameplate, yearly and matched energy, and the stations whose weather drives them;
    nothing for a park without one (or a results folder from before the columns)."""
    mw = _f(r.get("offsite_mw"))
    if not mw > 0:
        return []
    return [(tr("park.offsite"), tr("park.offsite_value", mw=tr.num(mw, 1),
                                    energy=tr.num(r.get("offsite_energy_mwh"), 0),
                                    matched=tr.num(r.get("offsite_matched_mwh"), 0),
                                    station=str(r.get("offsite_station", "")).replace(";", ", ")))]


def _pv_limit_facts(res: Results, tr: Translator, r) -> list[tuple[str, object]]:
    """Where PV sits at its roof, area or ``max_kwp`` limit, say in words that the size is
    set by an assumption (the roof potential of the occupied land, the stated limits), not by
    the economics (issue 17)."""
    at = _f(r.get("pv_at_limit_mwp"))
    if not at == at or at < 0.05:  # NaN (older folder) or nothing at a limit
        return []
    potential = str((res.scenario.get("pv") or {}).get("roof_potential", "achievable"))
    key = f"park.pv_limit.{potential}"
    return [(tr("park.pv_limit"),
             tr(key if tr.has(key) else "park.pv_limit.other", mwp=tr.num(at, 1),
                total=tr.num(r["pv_mwp"], 1)))]
