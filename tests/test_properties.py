"""Property tests (hypothesis), about 1,000 examples in all, ~1 min on one core.

- the scenario loader, on fuzzed YAML (structural edits of a valid scenario and raw text
  corruption), raises nothing but :class:`ScenarioError`;
- the weather readers, on randomly corrupted files, raise nothing but
  :class:`WeatherError`;
- the sizing LP, on random feasible 48–168 h problems, closes the hourly balance, keeps
  every invariant and never costs more than buying everything from the grid.
"""

from __future__ import annotations

import copy
import math
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from energy_model.errors import ScenarioError, WeatherError

BAD = Path(__file__).resolve().parent / "data" / "bad"
GOOD_SCENARIO = (BAD / "good.yaml").read_text(encoding="utf-8")
GOOD_DATA = yaml.safe_load(GOOD_SCENARIO)
GOOD_WEATHER = (BAD / "w_good_48h.csv").read_text(encoding="utf-8")
WORK = Path(tempfile.mkdtemp(prefix="energy_model_properties_"))



@pytest.fixture(scope="module", autouse=True)
def _clean_work():
    yield
    import shutil

    shutil.rmtree(WORK, ignore_errors=True)


FUZZ = settings(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# ----------------------------------------------------------------------------- scenario
#: any YAML-representable value, including the awkward ones
ANY_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=3),
    max_leaves=6)


def _paths(node, prefix=()):
    """Every key path of a nested dict/list structure."""
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


PATHS = [p for p in _paths(GOOD_DATA) if p]


def _edit(data, path, action, value):
    node = data
    for key in path[:-1]:
        node = node[key]
    last = path[-1]
    if action == "set":
        node[last] = value
    elif action == "delete":
        del node[last]
    elif action == "rename" and isinstance(node, dict):
        node[str(last) + "x"] = node.pop(last)
    elif action == "duplicate" and isinstance(node, list):
        node.append(copy.deepcopy(node[last]))


def _load(text: str | bytes):
    from energy_model.pipeline import load_scenario

    path = WORK / "fuzz.yaml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        assert str(exc)  # a message, never empty
        return None


@settings(FUZZ, max_examples=300)
@given(edits=st.lists(st.tuples(st.sampled_from(PATHS),
                                st.sampled_from(["set", "set", "delete", "rename", "duplicate"]),
                                ANY_VALUE), min_size=1, max_size=3))
def test_scenario_loader_structural_fuzz_raises_only_scenario_error(edits):
    data = copy.deepcopy(GOOD_DATA)
    for path, action, value in edits:
        try:
            _edit(data, path, action, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier edit removed that path
    _load(yaml.safe_dump(data, allow_unicode=True))


@settings(FUZZ, max_examples=150)
@given(cuts=st.lists(st.tuples(st.integers(0, len(GOOD_SCENARIO.encode())),
                               st.integers(0, 6), st.binary(max_size=6)),
                     min_size=1, max_size=4))
def test_scenario_loader_text_fuzz_raises_only_scenario_error(cuts):
    raw = bytearray(GOOD_SCENARIO.encode("utf-8"))
    for at, drop, insert in cuts:
        at = min(at, len(raw))
        raw[at:at + drop] = insert
    _load(bytes(raw))


# ----------------------------------------------------------------------------- readers
WEATHER_LINES = GOOD_WEATHER.splitlines()
TOKENS = st.sampled_from(["", "nan", "NaN", "-1", "1e9", "-999", "abc", "9999", "0",
                          "2030-01-01T00:00", "2030-02-29T00:00", " ", ",", "\"", "1,2"])


@settings(FUZZ, max_examples=300)
@given(ops=st.lists(st.one_of(
    st.tuples(st.just("cell"), st.integers(0, 60), st.integers(0, 7), TOKENS),
    st.tuples(st.just("drop"), st.integers(0, 60), st.integers(1, 30), st.just("")),
    st.tuples(st.just("dup"), st.integers(0, 60), st.integers(1, 3), st.just("")),
    st.tuples(st.just("cut"), st.integers(0, 3000), st.just(0), st.just("")),
    st.tuples(st.just("text"), st.integers(0, 3000), st.just(0), st.text(max_size=5))),
    min_size=1, max_size=4))
def test_readers_raise_only_weather_error(ops):
    from energy_model.weather.readers import read_weather, to_year

    lines = list(WEATHER_LINES)
    text = None
    for op, a, b, token in ops:
        if op == "cell" and lines:
            i = a % len(lines)
            cells = lines[i].split(",")
            cells[b % len(cells)] = token
            lines[i] = ",".join(cells)
        elif op == "drop" and lines:
            i = a % len(lines)
            del lines[i:i + b]
        elif op == "dup" and lines:
            i = a % len(lines)
            lines[i:i] = lines[i:i + b]
        elif op in ("cut", "text"):
            text = "\n".join(lines) + "\n" if text is None else text
            at = min(a, len(text))
            text = text[:at] + token + (text[at:] if op == "text" else "")
            lines = text.splitlines()
    path = WORK / "fuzz_weather.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        df, meta = read_weather(path, tz="Asia/Ho_Chi_Minh")
    except WeatherError as exc:
        assert str(exc)
        return
    # what a reader accepts is canonical and finite, labelled at interval start
    assert meta["label"] == "start"
    assert list(df.columns[:6]) == ["ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure"]
    assert np.isfinite(df.to_numpy(dtype=float)).all()
    assert df.index.is_monotonic_increasing and df.index.is_unique
    with pytest.raises(WeatherError):  # 48 h or less is never a full year
        to_year(df, 2030)


# ----------------------------------------------------------------------------- the LP
@st.composite
def feasible_problems(draw):
    hours = draw(st.integers(48, 168))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    hod = np.arange(hours) % 24
    load = draw(st.floats(50, 5000)) * (0.5 + rng.random(hours))
    sun = np.clip(np.sin(np.pi * (hod + 0.5 - 6) / 12), 0, None) * rng.uniform(0.2, 1.0, hours)
    peak = draw(st.floats(2500, 4500))
    price = np.where((hod >= 17) & (hod < 20), peak, np.where(hod < 4, 1190.0, 1833.0))
    return dict(
        hours=hours, load=load, sun=sun, wind=rng.random(hours) * draw(st.floats(0, 0.9)),
        price=price, export_price=draw(st.floats(0, 1189)),
        pv_capex=draw(st.floats(5e6, 25e6)), wind_capex=draw(st.floats(15e6, 60e6)),
        roof_kw=draw(st.floats(0, 3 * load.max())),
        battery=draw(st.booleans()), eta=draw(st.floats(0.8, 1.0)),
        soc_min=draw(st.floats(0, 0.3)), bat_capex=draw(st.floats(1e6, 8e6)),
        cap_factor=draw(st.one_of(st.none(), st.floats(1.0, 2.0))),
        capacity_charge=draw(st.sampled_from([0.0, 0.0, 150e3])),
        export_share=draw(st.floats(0, 1)), basis=draw(st.sampled_from(["power", "energy"])))


@settings(FUZZ, max_examples=250)
@given(p=feasible_problems())
def test_lp_balance_holds_and_never_costs_more_than_the_grid(p):
    from energy_model import invariants as inv
    from energy_model.metrics import check_dispatch
    from energy_model.sizing import Battery, Grid, Options, Technology, optimize

    index = pd.date_range("2030-03-02", periods=p["hours"], freq="h", tz="Asia/Ho_Chi_Minh")
    techs = [Technology("roof", "rooftop", p["sun"], p["pv_capex"], 2e5, 25,
                        max_kw=p["roof_kw"]),
             Technology("wind", "wind", p["wind"], p["wind_capex"], 5e5, 20, max_kw=2000.0)]
    cap = None if p["cap_factor"] is None else p["cap_factor"] * p["load"].max()
    grid = Grid(import_price=p["price"], export_price=p["export_price"],
                export_cap_share=p["export_share"], export_cap_basis=p["basis"],
                import_cap_kw=cap, capacity_charge_per_kw_month=p["capacity_charge"],
                month_of_hour=np.asarray(index.month))
    eta = math.sqrt(p["eta"])
    battery = (Battery(capex_per_kwh=p["bat_capex"], capex_per_kw=1e6, eta_charge=eta,
                       eta_discharge=eta, soc_min=p["soc_min"], throughput_cost_per_kwh=100.0)
               if p["battery"] else None)
    r = optimize(pd.Series(p["load"], index=index), techs, grid, battery,
                 options=Options(index=index))
    d = r.dispatch
    check_dispatch(d, "fuzz")  # balance to 1e-6 × peak, no NaN, no negative flow
    if battery is not None:
        inv.check_soc(d, r.capacities.get("battery_kwh", 0.0), p["soc_min"], "fuzz")
        inv.check_battery_exclusive(d, eta, eta, "fuzz")
    assert r.objective <= r.grid_only_cost * (1 + 1e-9) + 1e-6, (r.objective, r.grid_only_cost)
    assert r.capacities["roof_kw"] <= p["roof_kw"] * (1 + 1e-9) + 1e-6
    if cap is not None:
        assert (d["grid_import_kw"] <= cap * (1 + 1e-9) + 1e-6).all()
