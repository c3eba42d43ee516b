"""Catalog figures of issue 18 (who pays and who owns), re-runnable after any merge.

One full-year solve of a catalog park (default Sông Khoai, the 2030 catalog) with a 100 MW
nearshore wind farm added off site, then, on that sized dispatch (sizing is on the owned
basis; contracts only redistribute money):

(a) a virtual DPPA on the farm: the strike at which the tenant breaks even against the
    EVN tariff (year 1, and over the term with the strike fixed in nominal VND), the
    energy matched hourly to the park's import, and the investor's IRR at a given strike;
(b) an ESCO rooftop PPA and an ESCO rooftop lease on the park's sized roof array: the
    tenant's year-1 saving and NPV, and the ESCO's IRR and payback;
(c) an ESCO's 2 MW / 6 MWh battery added to the sized design (optimal dispatch), as a PPA
    priced at the tenant's break-even (the ESCO keeps all the savings): its IRR against
    the reference's 22–28 % (S).

Assumptions written here (E unless said): the farm is 28 × V117/3600 (100.8 MW) at 100 m
hub over the sea, at Cô Tô (20.98 N, 107.77 E) or Vân Đồn (21.06 N, 107.42 E); its weather
is whatever the pipeline gives an off-site farm at that location (since issue 18: the
normals station nearest it). Nearshore capex 50 million VND/kW and O&M 1.25 million
VND/kW/yr (E: ≈ 2,000 USD/kW, about 1.3 × the cost table's onshore row; the reference has
no offshore cost, NF). Virtual DPPA strike 1,300 VND/kWh, 20-yr term, no escalation; the
service charges 360 + 163 VND/kWh (S2). ESCO PPA 1,550 VND/kWh (E: ≈ 15 % below the
QĐ 1279 normal-hour price at ≥ 110 kV, 1,811, S2) escalating 2 %/yr nominal for 20 yr;
ESCO lease 1.9 million VND/kWp/yr, same escalation and term. Market price: the spot-price
proxy (mean 1,426.6 VND/kWh, S2; daily shape E) unless ``--market-price-file``.

Run with the project's Python (about 1–5 minutes)::

    python benchmarks/contract_figures.py                    # Sông Khoai, farm at Cô Tô
    python benchmarks/contract_figures.py --site van_don --csv /tmp/contracts.csv
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from energy_model.economics.market_price import market_price
from energy_model.paths import default_scenario
from energy_model.pipeline import (Changes, assemble, cost_table, load_scenario,
                                   scenario_weather, solve)
from energy_model.pipeline.contracts import evaluate_contract
from energy_model.pipeline.weather import park_weather_key
from energy_model.scenario.contracts import Contract

#: the ESCO's battery offer: power [kW], energy [kWh]
BATTERY_OFFER = (2000.0, 6000.0)
SITES = {"co_to": (20.98, 107.77), "van_don": (21.06, 107.42)}
FARM = "nearshore"
#: nearshore wind investor costs (E, see the module docstring)
NEARSHORE_CAPEX_VND_PER_KW = 50_000_000.0
NEARSHORE_OM_VND_PER_KW_YR = 1_250_000.0
CONTRACTS = {
    "virtual DPPA": dict(asset=FARM, ownership="dppa_virtual", strike_vnd_per_kwh=1300.0,
                         term_years=20, investor_capex_vnd_per_kw=NEARSHORE_CAPEX_VND_PER_KW,
                         investor_om_vnd_per_kw_yr=NEARSHORE_OM_VND_PER_KW_YR),
    "ESCO rooftop PPA": dict(asset="roof", ownership="ppa", price_vnd_per_kwh=1550.0,
                             escalation_nominal=0.02, term_years=20),
    "ESCO rooftop lease": dict(asset="roof", ownership="lease",
                               lease_vnd_per_kw_yr=1_900_000.0, escalation_nominal=0.02,
                               term_years=20),
}


def _variant(base: Path, park_id: str, site: str, market_file: str | None) -> Path:
    """A scenario file: the catalog with only ``park_id`` (and its KKT, not solved), the
    nearshore farm added."""
    parks = load_scenario(base, check_references=False).parks
    keep = {park_id} | {p.within_kkt for p in parks if p.id == park_id}  # and its KKT
    lat, lon = SITES[site]
    others = ", ".join(p.id for p in parks if p.id not in keep)
    market = f"contracts: {{market_price_file: {market_file}}}\n" if market_file else ""
    text = (f"extends: {base}\nname: contract_figures\nremove_parks: [{others}]\n{market}"
            f"parks:\n  - id: {park_id}\n    wind:\n"
            f"      - {{name: {FARM}, turbine: V117/3600, hub_height_m: 100, count: 28,\n"
            f"         offsite: true, terrain: sea, location: {{lat: {lat}, lon: {lon}}}}}\n")
    path = Path(tempfile.mkdtemp()) / "contract_figures.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def contract_figures(park_id: str = "song_khoai", site: str = "co_to",
                     scenario: str | Path | None = None,
                     market_file: str | None = None) -> pd.DataFrame:
    """Size the park once and evaluate the :data:`CONTRACTS` on its dispatch.

    Returns
    -------
    pandas.DataFrame
        One row per contract (the columns of ``contracts/contracts.csv``) with a ``case``.
    """
    s = load_scenario(_variant(Path(scenario or default_scenario()), park_id, site,
                               market_file))
    park = s.park(park_id)
    weather = scenario_weather(s)[park_weather_key(s, park)][0]
    inputs = assemble(s, park, weather)
    sizing = solve(inputs, method=s.sizing.method)
    costs = cost_table(s)
    mkt = market_price(sizing.dispatch.index, s.contracts.market_price_file, s.timezone)
    rows = []
    battery, offer = _battery_case(s, inputs, sizing, costs, mkt)
    cases = {**{k: (v, sizing) for k, v in CONTRACTS.items()},
             "ESCO battery, keeps the savings": (battery, offer)}
    for case, (spec, sized) in cases.items():
        def where(key, msg):
            raise SystemExit(f"{case}: {key}: {msg}")
        row, _, monthly = evaluate_contract(s, inputs, sized, costs, Contract(**spec), mkt,
                                            where)
        winter = monthly["month"].isin((11, 12, 1, 2))
        total = monthly["output_mwh"].sum()
        row["output_nov_feb_pct"] = (100 * monthly.loc[winter, "output_mwh"].sum() / total
                                     if total > 0 else float("nan"))
        rows.append({"case": case, "site": site, **row})
    return pd.DataFrame(rows)


def _battery_case(s, inputs, sizing, costs, mkt) -> tuple[dict, object]:
    """The ESCO's 2 MW / 6 MWh battery offer (1–2 MW, 2–3 h: the reference's best ESCO
    size, quang_ninh.md §6, S) added to the sized design and dispatched optimally, as a
    PPA on discharged kWh priced at the tenant's year-1 break-even and escalating with
    the tariff (nominal): the ESCO keeps all the savings, the case of the reference's
    22–28 % IRR (S). Returns the contract and the re-solved sizing."""
    fixed = {**sizing.capacities, "battery_kw": BATTERY_OFFER[0], "battery_kwh": BATTERY_OFFER[1]}
    offer = solve(inputs, changes=Changes(fixed=fixed, fix_all=True), method=s.sizing.method)
    e = s.economics
    spec = dict(asset="battery", ownership="ppa", price_vnd_per_kwh=1.0,
                escalation_nominal=(1 + e.tariff_escalation_real) * (1 + e.inflation) - 1,
                term_years=e.lifetime_years)
    row, _, _ = evaluate_contract(s, inputs, offer, costs, Contract(**spec), mkt,
                                  lambda key, msg: SystemExit(msg))
    if pd.notna(row["breakeven_price_y1"]) and row["breakeven_price_y1"] > 0:
        spec["price_vnd_per_kwh"] = float(row["breakeven_price_y1"])
    return spec, offer


def _irr(pct: float) -> str:
    return "n/a (never repaid)" if pd.isna(pct) else f"{pct:.1f} % real"


def _print(df: pd.DataFrame) -> None:
    v = df.set_index("case")
    d = v.loc["virtual DPPA"]
    print(f"(a) {d.park_id}: {d.capacity_mw:.1f} MW nearshore at {d.site}: farm "
          f"{d.output_mwh / 1e3:,.1f} GWh/yr, matched to the park's import "
          f"{d.delivered_mwh / 1e3:,.1f} GWh ({100 * d.delivered_mwh / d.output_mwh:.0f} %); "
          f"capacity factor {100 * d.output_mwh / (d.capacity_mw * 8760):.1f} %, "
          f"{d.output_nov_feb_pct:.0f} % of the output in Nov–Feb")
    print(f"    tenant break-even strike: {d.breakeven_price_y1:,.0f} VND/kWh in year 1, "
          f"{d.breakeven_price_life:,.0f} VND/kWh flat over {d.term_yr:.0f} yr; the "
          f"generator needs {d.investor_breakeven_price:,.0f} VND/kWh flat (NPV 0)")
    print(f"    at strike {d.price:,.0f}: tenant net year 1 {d.tenant_net_y1_billion_vnd:,.1f} "
          f"bn VND, NPV {d.tenant_npv_billion_vnd:,.1f} bn; investor IRR "
          f"{_irr(d.investor_irr_real_pct)}; economic NPV "
          f"{d.economic_npv_billion_vnd:,.0f} bn VND")
    for case in ("ESCO rooftop PPA", "ESCO rooftop lease"):
        e = v.loc[case]
        print(f"(b) {case} ({e.capacity_mw:.1f} MWp roof, {e.price:,.0f} {e.price_unit}): "
              f"tenant saving year 1 {e.tenant_net_y1_billion_vnd:,.2f} bn VND "
              f"(of {e.tenant_saving_y1_billion_vnd:,.2f} bn bill saving), NPV "
              f"{e.tenant_npv_billion_vnd:,.1f} bn; ESCO IRR {_irr(e.investor_irr_real_pct)}, "
              f"payback {e.investor_payback_yr:.1f} yr; break-even "
              f"{e.breakeven_price_y1:,.0f} {e.price_unit} (year 1)")
    b = v.loc["ESCO battery, keeps the savings"]
    print(f"(c) ESCO battery 2 MW / 6 MWh keeping all the savings ({b.capacity_mw:.1f} MW, "
          f"{b.delivered_mwh / 1e3:,.1f} GWh discharged, {b.price:,.0f} VND/kWh): ESCO IRR "
          f"{_irr(b.investor_irr_real_pct)} (reference: 22–28 %, S)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--park", default="song_khoai")
    ap.add_argument("--site", choices=sorted(SITES), default="co_to")
    ap.add_argument("--scenario", default=None)
    ap.add_argument("--market-price-file", default=None)
    ap.add_argument("--csv", default=None, help="write the rows to this CSV")
    a = ap.parse_args(argv)
    t = time.process_time()
    df = contract_figures(a.park, a.site, a.scenario, a.market_price_file)
    _print(df)
    print(f"cpu {time.process_time() - t:.0f} s")
    if a.csv:
        df.to_csv(a.csv, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
