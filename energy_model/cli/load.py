"""``energy-model load``: projected annual energy, peak and load factor of every park."""

from __future__ import annotations

from pathlib import Path

from energy_model.errors import UsageError

# energy_model.demand, energy_model.scenario and pandas are imported in the functions: they
# take about 2 s to import (python -X importtime), which --help and every other
# sub-command would otherwise pay at start-up.

#: Years printed when ``--year`` is not given (issue 6 milestones).
MILESTONES = (2025, 2030, 2035, 2050)


def register(sub) -> None:
    p = sub.add_parser(
        "load", help="project each park's hourly load and print energy, peak, load factor",
        description="Project the hourly load of each park and economic zone and print its "
                    "annual energy, peak, load factor and implied kW/ha against its band. "
                    f"Default years: the milestones {', '.join(map(str, MILESTONES))}.")
    p.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    p.add_argument("--park", action="append", metavar="ID",
                   help="only this park (repeatable); default all")
    p.add_argument("--year", action="append", type=int, metavar="Y",
                   help="projection year (repeatable); default the milestones")
    p.add_argument("--case", choices=("low", "base", "high"), default=None,
                   help="projection case; default the scenario's load_case")
    p.add_argument("--out", metavar="DIR",
                   help="write the hourly series, one CSV per park and year "
                        "(<DIR>/<park>_<year>.csv, columns time, load_kw)")
    p.set_defaults(func=handle)


def _band_text(park, occupied_ha: float, peak_kw: float) -> tuple[str, str, str]:
    from energy_model.demand import implied_kw_per_ha, kw_per_ha_band

    mix = park.load.shape or park.industries
    if park.kind != "KCN" or park.load.source == "kkt_components" or occupied_ha <= 0 or not mix:
        return "–", "–", ""
    kw_ha = implied_kw_per_ha(peak_kw, occupied_ha)
    low, high = kw_per_ha_band(list(mix))
    flag = "" if low <= kw_ha <= high else "OUT"
    return f"{kw_ha:.0f}", f"{low:.0f}–{high:.0f}", flag


def _observed_check(parks, scenario) -> None:
    """Modelled against observed peaks (base case, with the calibration scalar)."""
    from energy_model.demand import project_load

    observed = [p for p in parks if p.observed is not None and p.observed.peak_mw
                and p.observed.year]
    if observed:
        print()
        print("Check against observed peaks (base case, with the calibration scalar):")
        for park in observed:
            year = park.observed.year
            series = project_load(park.load, kind=park.kind, area_ha=park.area_ha,
                                  occupancy=park.occupancy, occupancy_year=park.occupancy_year,
                                  industries=list(park.industries), year=year,
                                  calibration=scenario.load_calibration, tz=scenario.timezone,
                                  name=park.id)
            peak_mw = float(series.max()) / 1000
            obs = park.observed.peak_mw
            firm = park.grid.firm_kva
            firm_text = (f"; firm limit {firm * park.grid.power_factor / 1000:.1f} MW"
                         if firm else "")
            gap = peak_mw / obs - 1
            verdict = "within ±10 %" if abs(gap) <= 0.10 else \
                "OUTSIDE ±10 %: check the park's occupancy and industries, then the scalar"
            print(f"  {park.id}: modelled {year} peak {peak_mw:.1f} MW vs observed {obs:g} MW "
                  f"({gap * 100:+.1f} %, {verdict}){firm_text}")


def _calibration_residuals(scenario, out) -> None:
    """What the calibration scalar leaves at each load check of the reference (issue 17)."""
    from energy_model.demand.calibration_check import calibration_residuals

    table = calibration_residuals(scenario)
    if table.empty:
        return
    print()
    print(f"Calibration residuals (scalar {scenario.load_calibration:g}; base case; coincident "
          "peak of the parks named; data/load_checks.csv):")
    for r in table.itertuples(index=False):
        ref = "NF" if r.kind == "nf" else f"{r.reference_mw:g} MW"
        res = "" if r.kind == "nf" else f" {r.residual_pct:+.1f} %"
        ok = {True: " ok", False: " NOT MET"}.get(r.within, "")
        print(f"  {r.id:<24} {r.year} {r.kind:<5} ref {ref:>9} ({r.mark:<2}) modelled "
              f"{r.modelled_mw:7.1f} MW{res}{ok}  [{r.industry_mix}]")
    if out is not None:
        table.to_csv(out / "calibration_residuals.csv", index=False, float_format="%.4f")
        print(f"  written to {out}/calibration_residuals.csv")


def handle(args) -> int:
    import pandas as pd

    from energy_model.demand import load_summary, occupied_area_ha, project_load, tariff_class
    from energy_model.scenario import load_scenario

    # only the load fields are needed: weather, turbine and tariff references are checked
    # by `energy-model validate`, and a meter file by the load reader itself
    scenario = load_scenario(args.scenario)
    parks = list(scenario.parks)
    if args.park:
        known = {p.id for p in parks}
        unknown = [i for i in args.park if i not in known]
        if unknown:
            raise UsageError(f"--park {', '.join(unknown)}: no such park in {args.scenario}; "
                             f"known: {', '.join(sorted(known))}")
        parks = [p for p in parks if p.id in args.park]
    years = sorted(set(args.year)) if args.year else list(MILESTONES)
    bad = [y for y in years if not 1990 <= y <= 2100]
    if bad:
        raise UsageError(f"--year {bad[0]}: expected a year between 1990 and 2100")
    case = args.case or scenario.load_case
    calibration = scenario.load_calibration
    out = Path(args.out) if args.out else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)

    print(f"Load projection: {args.scenario}  case {case}  calibration scalar "
          f"{calibration:g} (bottom-up parks)")
    print("Cooling follows the Hạ Long monthly climatology (energy_model.demand."
          "HA_LONG_TEMP_AIR_MONTHLY); the scenario's synthetic weather is not used here.")
    print("kW/ha: peak per hectare of occupied industrial land, against the share-weighted "
          "band of the park's industries (industry_intensity.csv).")
    header = (f"{'park':<20} {'kind':<4} {'tariff':<13} {'year':>4} {'occ. ha':>8} "
              f"{'GWh/yr':>9} {'peak MW':>8} {'LF':>5} {'kW/ha':>6} {'band':>9} ")
    for year in years:
        print()
        print(header)
        print("-" * len(header))
        total_gwh = 0.0
        for park in parks:
            series = project_load(park.load, kind=park.kind, area_ha=park.area_ha,
                                  occupancy=park.occupancy, occupancy_year=park.occupancy_year,
                                  industries=list(park.industries), year=year,
                                  case=case, calibration=calibration,
                                  tz=scenario.timezone, name=park.id)
            s = load_summary(series)
            occ = occupied_area_ha(park.load, park.area_ha, park.occupancy,
                                   park.occupancy_year, year, case) if park.kind == "KCN" else 0.0
            kw_ha, band, flag = _band_text(park, occ, s["peak_kw"])
            lf = f"{s['load_factor']:.2f}" if s["peak_kw"] > 0 else "–"
            occ_text = f"{occ:8.1f}" if park.kind == "KCN" else f"{'–':>8}"
            print(f"{park.id:<20} {park.kind:<4} {tariff_class(park.kind):<13} {year:>4} "
                  f"{occ_text} {s['annual_mwh'] / 1000:9.1f} {s['peak_kw'] / 1000:8.1f} "
                  f"{lf:>5} {kw_ha:>6} {band:>9} {flag}")
            total_gwh += s["annual_mwh"] / 1000
            if out is not None:
                stamps = series.index.strftime("%Y-%m-%dT%H:%M:%S%z")  # ISO 8601, +07:00
                frame = pd.DataFrame({"time": stamps.str[:-2] + ":" + stamps.str[-2:],
                                      "load_kw": series.to_numpy()})
                frame.to_csv(out / f"{park.id}_{year}.csv", index=False, float_format="%.3f")
        print(f"{'all listed':<20} {'':<4} {'':<13} {year:>4} {'':>8} {total_gwh:9.1f}")

    _observed_check(parks, scenario)
    _calibration_residuals(scenario, out)
    if out is not None:
        print(f"\nHourly series written to {out}/<park>_<year>.csv (time, load_kw; "
              "interval-start labels)")
    return 0
