"""The province map (issue 20, item 5): offline coastline, heritage zones, KKT areas,
substations, labels without collisions, Vietnamese checked like the other plots."""
from __future__ import annotations

import json
import re
import warnings
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.patches import Polygon
from matplotlib.text import Annotation, Text

from energy_model.report import plots
from energy_model.report.i18n import catalog
from energy_model.report.load import Results
from energy_model.report.maplabels import cluster
from energy_model.pipeline import load_scenario

#: words allowed in the Vietnamese map: acronyms, units and proper names (as in test_report)
ALLOWED = {"kcn", "kkt", "gwh", "globe", "km", "long", "ninh", "khoai", "so", "city",
           "amata", "texhong"}


@pytest.fixture(scope="module")
def res():
    """A results-like object of the whole catalog (made-up loads; the map reads no flows)."""
    s = load_scenario()
    rng = np.random.default_rng(1)
    rows = [{"park_id": p.id, "name": p.name, "kind": p.kind, "lat": p.location.lat,
             "lon": p.location.lon, "heritage_buffer": p.heritage_buffer,
             "load_gwh": float(rng.uniform(5, 600)),
             "self_sufficiency_pct": float(rng.uniform(5, 40))} for p in s.parks]
    rows.append({"park_id": "PROVINCE", "name": "", "kind": "", "lat": np.nan, "lon": np.nan,
                 "heritage_buffer": False, "load_gwh": 1.0, "self_sufficiency_pct": 1.0})
    return Results(folder=Path("."), summary=pd.DataFrame(rows), hourly={},
                   run={"scenario": json.loads(s.model_dump_json())})


def _draw(res, lang):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = plots.province_map(res, lang)
        fig.canvas.draw()
    return fig, [str(w.message) for w in caught if "missing from font" in str(w.message)]


def _english(texts) -> list[str]:
    lexicon = set()
    for msg in catalog("en")["messages"].values():
        lexicon |= {w.lower() for w in re.findall(r"[A-Za-z]{2,}", re.sub(r"\{\w+\}", "", msg))}
    lexicon -= ALLOWED
    return sorted({t for text in texts for t in re.findall(r"\w+", text)
                   if re.fullmatch(r"[A-Za-z]+", t) and t.lower() in lexicon})


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_map_layers_and_labels_without_collisions(res, lang):
    fig, missing = _draw(res, lang)
    assert missing == []
    renderer = fig.canvas.get_renderer()
    main = fig.axes[0]
    # coastline (contour of the land mask) and the heritage polygons on the main map
    assert main.collections and any(type(c).__name__ in ("QuadContourSet", "ContourSet")
                                    or "Contour" in type(c).__name__ for c in main.get_children())
    polys = [p for p in main.patches if isinstance(p, Polygon)]
    assert len(polys) == 12  # Hạ Long core + buffer, 5 Yên Tử sites × (core, buffer)
    # every park is labelled once, with no two labels overlapping in the same axes
    labels = [a for a in fig.findobj(Annotation) if re.fullmatch(r"\d+", a.get_text())]
    assert sorted(int(a.get_text()) for a in labels) == list(range(1, 22))
    by_axes: dict = {}
    for a in labels:
        by_axes.setdefault(id(a.axes), []).append(a.get_window_extent(renderer))
    for boxes in by_axes.values():
        for b1, b2 in combinations(boxes, 2):
            assert not b1.overlaps(b2), (b1, b2)
    # KKT squares are larger than the smallest KCN circle
    sizes = [c.get_sizes() for c in main.collections if isinstance(c, PathCollection)]
    assert max(s.max() for s in sizes if len(s)) >= 14 ** 2
    fig.clear()


def test_vietnamese_map_has_no_english_outside_the_allow_list(res):
    fig, missing = _draw(res, "vi")
    texts = [t.get_text() for t in fig.findobj(Text) if t.get_visible()]
    names = " ".join(res.parks["name"])
    words = [w for w in _english(texts) if w not in names]
    assert words == []
    assert any("Di sản" in t for t in texts) and missing == []
    # the check can fail
    assert _english(["Substation with a known rating"]) != []
    fig.clear()


def test_cluster_finds_the_quang_yen_group(res):
    p = res.parks
    mask = cluster(p["lon"].to_numpy(float), p["lat"].to_numpy(float), 9.0, 4)
    got = set(p["park_id"][mask])
    assert {"bach_dang", "dam_nha_mac", "bac_tien_phong", "nam_tien_phong"} <= got
    assert "kkt_mong_cai" not in got
