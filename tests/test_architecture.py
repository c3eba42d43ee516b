"""The package's import graph (issue 14): no cycles between energy_model's top-level modules.

``lint-imports`` (README's test command, run by .ci/run) checks every contract of
``[tool.importlinter]`` in pyproject.toml, including ``acyclic_siblings`` at every depth.
This test checks the top level again with grimp (import-linter's graph library), so that
a plain ``pytest`` run catches a new cycle too, and names the chains that form it.
"""

from __future__ import annotations

import itertools

import grimp
import pytest


@pytest.fixture(scope="module")
def graph():
    # as lint-imports (pyproject: exclude_type_checking_imports): the root package's
    # TYPE_CHECKING names (e.g. studies.province.relief_curve) are not run-time imports
    return grimp.build_graph("energy_model", cache_dir=None, exclude_type_checking_imports=True)


def top_level(graph) -> list[str]:
    return sorted(m for m in graph.find_children("energy_model"))


def cycles(graph) -> list[str]:
    """Each pair of top-level modules that import each other (counting their submodules),
    with one shortest chain each way."""
    found = []
    for a, b in itertools.combinations(top_level(graph), 2):
        if graph.chain_exists(a, b, as_packages=True) and graph.chain_exists(b, a,
                                                                             as_packages=True):
            there = graph.find_shortest_chains(a, b, as_packages=True)
            back = graph.find_shortest_chains(b, a, as_packages=True)
            found.append(f"{a} ⇄ {b}: {' -> '.join(min(there))} ; {' -> '.join(min(back))}")
    return found


def test_the_graph_sees_the_package(graph):
    mods = top_level(graph)
    for expected in ("energy_model.pipeline", "energy_model.report", "energy_model.studies",
                     "energy_model.sizing", "energy_model.cli"):
        assert expected in mods
    # the CLI reaches the report and the studies (the graph is not empty)
    assert graph.chain_exists("energy_model.cli", "energy_model.report", as_packages=True)
    assert graph.chain_exists("energy_model.cli", "energy_model.studies", as_packages=True)


def test_no_import_cycle_between_top_level_modules(graph):
    assert cycles(graph) == []


def test_a_cycle_would_be_found():
    """The check itself can fail: a graph with report → pipeline → report is a cycle."""
    g = grimp.ImportGraph()
    for m in ("energy_model", "energy_model.report", "energy_model.report.plots",
              "energy_model.pipeline"):
        g.add_module(m)
    g.add_import(importer="energy_model.report.plots", imported="energy_model.pipeline")
    g.add_import(importer="energy_model.pipeline", imported="energy_model.report")
    assert len(cycles(g)) == 1
    assert "energy_model.pipeline ⇄ energy_model.report" in cycles(g)[0]
