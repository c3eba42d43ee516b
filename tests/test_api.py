"""The library's face (issue 20, item 3): what ``import energy_model as em`` offers."""
from __future__ import annotations

import ast
import inspect
from pathlib import Path

import numpy as np
import pandas as pd

import energy_model as em

PACKAGE = Path(em.__file__).parent


def test_every_exported_name_resolves_and_is_listed():
    for name in em.__all__:
        assert getattr(em, name) is not None, name
    assert set(em.__all__) <= set(dir(em))


def test_type_checkers_see_the_same_names_as_runtime():
    """The TYPE_CHECKING imports name exactly the lazily resolved API (no drift)."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    static = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for imp in node.body:
                for alias in imp.names:
                    static[alias.name] = imp.module
    assert static == em._API
    assert (PACKAGE / "py.typed").is_file()


def test_optimize_can_be_called_with_exported_names_only():
    """Everything optimize needs is exported: a 48-h PV + grid park, solved."""
    index = pd.date_range("2030-06-03", periods=48, freq="h", tz="Asia/Ho_Chi_Minh")
    hours = index.hour.to_numpy()
    sun = np.clip(np.sin((hours - 6) / 12 * np.pi), 0, None)
    load = np.full(48, 1000.0)
    pv = em.Technology(name="pv", kind="rooftop", profile_per_kw=sun, capex_per_kw=13e6,
                       fixed_om_per_kw_yr=195e3, life_years=25, max_kw=800.0)
    grid = em.Grid(import_price=np.full(48, 1800.0))
    result = em.optimize(load, [pv], grid, None, em.Finance(discount_rate=0.063),
                         em.Policy(), options=em.Options(index=index))
    assert isinstance(result, em.SizingResult)
    assert 0.0 <= result.capacities["pv_kw"] <= 800.0 + 1e-6
    signature = inspect.signature(em.optimize)
    assert {"load_kw", "technologies", "grid"} <= set(signature.parameters)


def test_load_normals_without_argument_is_the_shipped_file():
    normals = em.load_normals()
    assert "bai_chay" in normals.stations
    assert em.load_scenario().name == "quang_ninh_2030"
