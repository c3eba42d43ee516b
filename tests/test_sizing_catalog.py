"""The catalog sizing benchmark (issue 19) runs, and its figures are real numbers.

A smoke run on two catalog parks over one week: the fast path, the monolithic LP and the
PyPSA mirror (free-duration battery with a minimum state of charge, rooftop export under
the 20 % power cap) must agree on each park's objective.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("pypsa")


def _module():
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "catalog_sizing.py"
    spec = importlib.util.spec_from_file_location("catalog_sizing", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_catalog_benchmark_smoke(capsys):
    bench = _module()
    # the 20 % power-cap rule (Decree 135/2024 reading): the catalog's default is now the
    # Decree 243 energy basis, which the PyPSA mirror does not model (its rows say "n/a")
    assert bench.main(["--parks", "cai_lan,kkt_van_don", "--hours", "168",
                       "--set", "tariff.export.cap_share=0.2",
                       "--set", "tariff.export.basis=power"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    last = dict(part.split("=") for part in out[-1].split())
    assert list(last) == ["catalog_sizing_cpu_s", "p95_park_s", "min_ratio_vs_pypsa",
                          "max_rel_diff"]
    assert float(last["catalog_sizing_cpu_s"]) > 0.0
    assert 0.0 < float(last["p95_park_s"]) <= float(last["catalog_sizing_cpu_s"])
    # both parks are mirrored in PyPSA (a ratio exists) and every objective agrees
    assert float(last["min_ratio_vs_pypsa"]) > 0.0
    assert float(last["max_rel_diff"]) <= 1e-6
    rows = [line.split()[0] for line in out[1:3]]
    assert rows == ["cai_lan", "kkt_van_don"]
    assert not any("n/a" in line for line in out[1:3])
