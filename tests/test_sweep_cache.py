"""Content-hash cache: hits, keys, LRU size limit, `energy-model cache clear`, weather."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from energy_model.studies import cache

EXAMPLE = Path(__file__).resolve().parents[1] / "scenarios" / "example_single_park.yaml"


@pytest.fixture
def cache_folder(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("ENERGY_MODEL_CACHE", str(folder))
    monkeypatch.delenv("ENERGY_MODEL_CACHE_MAX_MB", raising=False)
    return folder


def frame(n: int, seed: int = 0) -> pd.DataFrame:
    idx = pd.date_range("2030-01-01", periods=n, freq="h", tz="Asia/Ho_Chi_Minh")
    df = pd.DataFrame({"ghi": np.random.default_rng(seed).random(n)}, index=idx)
    df.attrs["label"] = "interval start"
    return df


def test_hit_returns_the_stored_value_without_computing(cache_folder):
    calls = []

    def compute():
        calls.append(1)
        return frame(100)

    a = cache.cached("test", {"x": 1}, compute)
    b = cache.cached("test", {"x": 1}, compute)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(a, b)
    assert str(b.index.tz) == "Asia/Ho_Chi_Minh" and b.attrs["label"] == "interval start"
    cache.cached("test", {"x": 2}, compute)  # other inputs, other key
    assert len(calls) == 2 and cache.usage()[0] == 2


def test_size_limit_evicts_least_recently_used(cache_folder, monkeypatch):
    one = len(__import__("pickle").dumps(frame(2000)))  # ~50 kB each
    monkeypatch.setenv("ENERGY_MODEL_CACHE_MAX_MB", str(2.5 * one / 1024 / 1024))
    for i in range(2):
        cache.cached("t", {"i": i}, lambda i=i: frame(2000, i))
    old = time.time() - 100
    first = cache.entries()[0]
    for p in cache.entries():
        os.utime(p, (old, old))
    cache.cached("t", {"i": 0}, lambda: frame(2000, 0))  # a hit marks entry 0 as used
    cache.cached("t", {"i": 2}, lambda: frame(2000, 2))   # over the limit: one must go
    n, size = cache.usage()
    assert n == 2 and size <= cache.max_bytes()
    assert first.exists() == (first in cache.entries())
    calls = []
    cache.cached("t", {"i": 0}, lambda: calls.append(0) or frame(2000, 0))
    assert calls == []  # the recently used entry survived ...
    cache.cached("t", {"i": 1}, lambda: calls.append(1) or frame(2000, 1))
    assert calls == [1]  # ... and the least recently used one was evicted


def test_zero_limit_disables(cache_folder, monkeypatch):
    monkeypatch.setenv("ENERGY_MODEL_CACHE_MAX_MB", "0")
    calls = []
    for _ in range(2):
        cache.cached("t", {}, lambda: calls.append(1) or 1)
    assert len(calls) == 2 and not cache_folder.exists()


def test_bad_limit_is_a_usage_error(cache_folder, monkeypatch):
    from energy_model.errors import UsageError

    monkeypatch.setenv("ENERGY_MODEL_CACHE_MAX_MB", "lots")
    with pytest.raises(UsageError, match="ENERGY_MODEL_CACHE_MAX_MB"):
        cache.max_bytes()


def test_cli_cache_info_and_clear(cache_folder, run_cli):
    cache.cached("a", {"i": 1}, lambda: frame(10))
    cache.cached("b", {"i": 1}, lambda: frame(10))
    code, out, _ = run_cli("cache", "info")
    assert code == 0 and "2 entries" in out and str(cache_folder) in out
    code, out, _ = run_cli("cache", "clear", "--kind", "a")
    assert code == 0 and "removed 1 entries" in out
    code, out, _ = run_cli("cache", "clear")
    assert code == 0 and "removed 1 entries" in out and cache.usage() == (0, 0)


def test_weather_is_cached_by_content(cache_folder, monkeypatch, tmp_path):
    from energy_model import pipeline
    from energy_model.pipeline import load_scenario

    s = load_scenario(EXAMPLE, overrides={"weather.years": 2})
    first = cache.scenario_weather(s)
    direct = pipeline.scenario_weather(s)
    for a, b in zip(first[s.parks[0].weather_station],
                    direct[s.parks[0].weather_station]):
        pd.testing.assert_frame_equal(a, b)
    calls = []
    real = cache.compute_weather  # the pipeline's scenario_weather, as the cache calls it
    monkeypatch.setattr(cache, "compute_weather", lambda sc: calls.append(1) or real(sc))
    cache.scenario_weather(s)
    assert calls == []
    cache.scenario_weather(load_scenario(EXAMPLE, overrides={"weather.years": 2, "weather.seed": 7}))
    assert calls == [1]
    # a changed normals file is a new key
    normals = tmp_path / "normals.csv"
    from energy_model.paths import shipped_dir

    normals.write_bytes((shipped_dir("weather") / "quang_ninh_normals.csv").read_bytes())
    s2 = load_scenario(EXAMPLE, overrides={"weather.years": 2, "weather.normals": str(normals)})
    k1 = cache.weather_inputs(s2)["files"]
    normals.write_bytes(normals.read_bytes() + b"\n")
    assert cache.weather_inputs(s2)["files"] != k1


def test_one_cache_folder_for_weather_and_pvgis(tmp_path, monkeypatch, run_cli):
    """XDG_CACHE_HOME moves every cache (the PVGIS downloads too), and cache info/clear
    count and remove the PVGIS files; the size limit never evicts them."""
    from energy_model import files
    from energy_model.weather import pvgis

    monkeypatch.delenv("ENERGY_MODEL_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    root = tmp_path / "xdg" / "energy_model"
    assert files.cache_dir() == root == cache.cache_dir()
    assert pvgis.cache_dir() == root / "pvgis"
    target = pvgis.cache_file(21.0, 107.0)
    files.write_text(target, "{}")
    cache.cached("weather", {"i": 1}, lambda: frame(10))
    assert cache.usage()[0] == 2
    assert cache.enforce_limit(0) == 1 and target.exists()  # only the generated entry goes
    code, out, _ = run_cli("cache", "info")
    assert code == 0 and "1 entries" in out and str(root) in out
    code, out, _ = run_cli("cache", "clear")
    assert code == 0 and "removed 1 entries" in out and not target.exists()
