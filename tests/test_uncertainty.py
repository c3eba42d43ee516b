"""P50/P75/P90 over synthetic weather years: levels, the spread against the stated
year-to-year variability, and the fixed design run over weather years."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from energy_model.report.sweep_plots import plot_load_vs_weather
from energy_model.studies import uncertainty as un
from energy_model.pipeline import load_scenario
from energy_model.weather.synthetic import DEFAULT_SETTINGS

EXAMPLE = Path(__file__).resolve().parents[1] / "scenarios" / "example_single_park.yaml"
WIND = [{"name": "coast_wind", "turbine": "Generic-54/500", "hub_height_m": 50, "max_count": 4,
         "terrain": "coast"}]


@pytest.fixture(scope="module", autouse=True)
def _private_cache(tmp_path_factory):
    """Keep the tests' cache entries out of the user's cache folder."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ENERGY_MODEL_CACHE", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="module")
def ensemble30():
    scenario = load_scenario(EXAMPLE, overrides={"weather.years": 30, "parks[0].wind": WIND})
    return scenario, un.resource_years(scenario)


def test_normal_levels_by_hand():
    # PVsyst's worked form: P50 1000 kWh/kWp, sigma 5 % → P90 = 1000 × (1 − 1.2816 × 0.05)
    lv = un.normal_levels(1000.0, 0.05)
    assert lv[50] == 1000.0
    assert lv[90] == pytest.approx(935.92, abs=0.01)
    assert lv[75] == pytest.approx(966.275, abs=0.01)
    assert un.combined_sigma(0.03, 0.04) == pytest.approx(0.05, rel=1e-12)


def test_empirical_levels_follow_the_good_direction():
    v = np.arange(1, 101, dtype=float)  # 1..100
    more = un.empirical_levels(v, more_is_better=True)
    less = un.empirical_levels(v, more_is_better=False)
    assert more[90] == pytest.approx(10.9) and more[50] == pytest.approx(50.5)
    assert less[90] == pytest.approx(90.1)
    assert more[50] >= more[75] >= more[90] and less[50] <= less[75] <= less[90]


def test_pv_yield_spread_matches_stated_variability(ensemble30):
    """30 synthetic years: the year-to-year CV of annual PV yield is the stated GHI CV
    (SynthesisSettings.ghi_annual_cv, 5 %) within a third of it."""
    _, res = ensemble30
    pv = res.loc[res["park_id"] == "demo_park", "pv_kwh_per_kwp"].to_numpy()
    assert len(pv) == 30
    cv = pv.std(ddof=1) / pv.mean()
    stated = DEFAULT_SETTINGS.ghi_annual_cv
    assert abs(cv - stated) <= stated / 3, f"PV yield CV {cv:.4f} vs stated {stated}"
    # plausible specific yield of a 10° roof in Quảng Ninh (~1,000-1,200 kWh/kWp)
    assert 900 < pv.mean() < 1300


def test_p50_at_least_p90_for_yields(ensemble30):
    _, res = ensemble30
    table = un.yield_exceedance(res)
    assert set(table["metric"]) == {"pv_kwh_per_kwp", "wind_kwh_per_kw"}
    assert set(table["park_id"]) == {"demo_park", "PROVINCE"}
    for _, r in table.iterrows():
        assert r["p50"] >= r["p75"] >= r["p90"] > 0
        assert r["p90"] <= r["p90_weather_only"]  # data uncertainty widens the band
        assert r["sigma_total_pct"] == pytest.approx(np.hypot(r["sigma_years_pct"],
                                                              r["sigma_data_pct"]), rel=1e-12)
    pv = table[(table["park_id"] == "demo_park") & (table["metric"] == "pv_kwh_per_kwp")].iloc[0]
    # 5 % years ⊕ 5 % data ≈ 7 %: P90 about 9 % under P50
    assert 0.85 < pv["p90"] / pv["p50"] < 0.95
    wind = table[(table["park_id"] == "demo_park") & (table["metric"] == "wind_kwh_per_kw")].iloc[0]
    # wind energy varies more than wind speed (7 % stated) between years
    assert wind["sigma_years_pct"] > 100 * DEFAULT_SETTINGS.wind_annual_cv
    assert wind["sigma_years_pct"] > pv["sigma_years_pct"]


def test_one_year_is_refused():
    import pandas as pd

    from energy_model.errors import UsageError

    with pytest.raises(UsageError, match="weather.years"):
        un.yield_exceedance(pd.DataFrame({"park_id": ["a"], "weather_year": [1],
                                          "pv_kwh_per_kwp": [1000.0], "wind_kwh_per_kw": [np.nan]}))


@pytest.mark.slow
def test_uncertainty_run_end_to_end(tmp_path, run_cli):
    """`energy-model sweep` on an uncertainty file: 2 weather years and the design over
    both (3 full-year LPs on 2 workers; the load-case sweep is a plain scenario sweep,
    tested in test_sweep.py, and its table join below by hand).

    Year 1 of the fixed design reproduces the sizing optimum; PV energy is capacity × the
    year's specific yield."""
    import pandas as pd

    spec = tmp_path / "u.yaml"
    spec.write_text(f"name: u\nbase: {EXAMPLE}\nuncertainty:\n  weather_years: 2\n"
                    "  design_years: 2\n  load_cases: false\n", encoding="utf-8")
    code, out, err = run_cli("sweep", spec, "--workers", "2", "--out", tmp_path / "o", "--quiet")
    assert code == 0, err
    folder = tmp_path / "o" / "u"
    design = pd.read_csv(folder / "design_years.csv", encoding="utf-8-sig")
    park = design[design["park_id"] == "demo_park"].set_index("weather_year")
    scenario = load_scenario(EXAMPLE, overrides={"weather.years": 2})
    row = pd.read_csv(folder / "sized_summary.csv", encoding="utf-8-sig").set_index("park_id").loc["demo_park"]
    assert park.loc[1, "annual_cost_billion_vnd"] == pytest.approx(row["annual_cost_billion_vnd"], rel=1e-5)
    assert park.loc[1, "self_sufficiency_pct"] == pytest.approx(row["self_sufficiency_pct"], rel=1e-4)
    res = un.resource_years(scenario).set_index("weather_year")
    for y in (1, 2):
        assert park.loc[y, "pv_gwh"] == pytest.approx(
            row["pv_mwp"] * res.loc[y, "pv_kwh_per_kwp"] / 1000, rel=1e-5)
    assert park.loc[1, "pv_gwh"] != park.loc[2, "pv_gwh"]
    assert (folder / "plots" / "yield_demo_park.png").exists()
    assert not (folder / "load_vs_weather.csv").exists()
    levels = pd.read_csv(folder / "design_levels.csv", encoding="utf-8-sig")
    assert {"pv_gwh", "self_sufficiency_pct", "annual_cost_billion_vnd"} <= set(levels["metric"])


def test_load_cases_beside_weather_by_hand():
    import pandas as pd

    levels = pd.DataFrame([{"park_id": "PROVINCE", "metric": "annual_cost_billion_vnd",
                            "unit": "billion VND/yr", "p50": 100.0, "p75": 101.0, "p90": 103.0}])
    load = pd.DataFrame({"status": "ok", "park_id": "PROVINCE",
                         "load_case": ["low", "base", "high"],
                         "annual_cost_billion_vnd": [80.0, 100.0, 125.0]})
    t = un.beside_load_cases(levels, load).iloc[0]
    assert t["weather_range_pct"] == pytest.approx(3.0)
    assert t["load_range_pct"] == pytest.approx(45.0)
    assert (t["load_low"], t["load_base"], t["load_high"]) == (80.0, 100.0, 125.0)
    fig = plot_load_vs_weather(un.beside_load_cases(levels, load))
    assert len(fig.axes[0].patches) == 2
    spec = un.load_case_spec(EXAMPLE)
    assert [v[0] for v in spec.axes[0].values] == ["low", "base", "high"]
