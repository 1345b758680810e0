"""No module of riskatlas imports itself back, however indirectly, so any module can be
imported first (a cycle is what makes ``import a`` work and ``import b`` fail).

The import-linter contracts in pyproject.toml check cycles between packages; this checks
them between single modules, as Python runs them: importing ``a.b.c`` first runs the
``__init__`` of ``a`` and ``a.b``, so it counts as importing those packages too (unless the
importer is inside them, when they are already running). Imports inside functions count;
imports only for type checkers do not. Migrations are left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from itertools import pairwise

import grimp
import pytest


def _packages_above(module: str) -> set[str]:
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def runs_on_import(imports: Mapping[str, Set[str]]) -> dict[str, set[str]]:
    """For each module, the modules that importing it runs: what it imports, and the packages
    above those that it is not itself inside."""
    runs: dict[str, set[str]] = {}
    for importer, imported in imports.items():
        running = _packages_above(importer) | {importer}
        runs[importer] = set()
        for module in imported:
            runs[importer] |= ({module} | _packages_above(module)) - running
        runs[importer] &= imports.keys()
    return runs


def _groups_in_cycles(runs: Mapping[str, Set[str]]) -> list[set[str]]:
    """The modules that reach each other (strongly connected, Tarjan), groups of two or more."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []
    for root in sorted(runs):
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack.append(root)
        path = [(root, iter(sorted(runs[root])))]
        while path:
            module, todo = path[-1]
            nxt = next(todo, None)
            if nxt is not None:
                if nxt not in order:
                    order[nxt] = low[nxt] = len(order)
                    stack.append(nxt)
                    path.append((nxt, iter(sorted(runs[nxt]))))
                elif nxt in stack:
                    low[module] = min(low[module], order[nxt])
                continue
            path.pop()
            if path:
                low[path[-1][0]] = min(low[path[-1][0]], low[module])
            if low[module] == order[module]:
                group = set()
                while not group or module not in group:
                    group.add(stack.pop())
                if len(group) > 1:
                    groups.append(group)
    return groups


def find_cycles(imports: Mapping[str, Set[str]]) -> list[list[str]]:
    """One shortest cycle (the first module again at the end) for each group of modules that
    import each other; [] when there is none."""
    runs = runs_on_import(imports)
    cycles = []
    for group in _groups_in_cycles(runs):
        first = min(group)
        came_from: dict[str, str] = {}  # breadth first from ``first`` until back at it
        frontier = [first]
        while first not in came_from:
            reached = []
            for module in frontier:
                for nxt in sorted(runs[module] & group):
                    if nxt not in came_from:
                        came_from[nxt] = module
                        reached.append(nxt)
            frontier = reached
        cycle = [first]
        while len(cycle) == 1 or cycle[-1] != first:
            cycle.append(came_from[cycle[-1]])
        cycles.append(cycle[::-1])
    return cycles


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("riskatlas", exclude_type_checking_imports=True)


def _riskatlas_imports(graph: grimp.ImportGraph) -> dict[str, set[str]]:
    modules = {m for m in graph.modules if ".migrations" not in m}
    return {m: graph.find_modules_directly_imported_by(m) & modules for m in modules}


def _describe(graph: grimp.ImportGraph, cycle: list[str]) -> str:
    lines = []
    for importer, imported in pairwise(cycle):
        found = [
            (m, d["line_number"])
            for m in sorted(graph.find_modules_directly_imported_by(importer))
            if m == imported or m.startswith(imported + ".")
            for d in graph.get_import_details(importer=importer, imported=m)
        ]
        how = ", ".join(
            f"line {line}" + ("" if m == imported else f" imports {m}, so runs the package first")
            for m, line in found
        )
        lines.append(f"  {importer} -> {imported} ({how})")
    return "\n".join(lines)


def test_no_module_imports_itself_back(graph):
    imports = _riskatlas_imports(graph)
    assert "riskatlas.apps.assessments.forms" in imports and len(imports) > 150
    cycles = find_cycles(imports)
    assert cycles == [], "import cycles:\n" + "\n\n".join(_describe(graph, c) for c in cycles)


def test_a_package_whose_init_gathers_modules_that_import_it_back_is_a_cycle():
    # The shape of the editing forms before part_form.py and form_fields.py left forms/:
    # importing the geography forms first ran forms/__init__, which needed them finished.
    imports = {
        "app.forms": {"app.forms.base", "geo.forms"},
        "app.forms.base": set(),
        "geo.forms": {"app.forms.base"},
        "app": set(),
        "geo": set(),
    }
    assert find_cycles(imports) == [["app.forms", "geo.forms", "app.forms"]]
    imports["geo.forms"] = {"app.base"}
    imports["app.base"] = set()
    assert find_cycles(imports) == []


def test_a_module_may_import_its_sibling_through_their_package():
    # ``from riskatlas.evidence import indicators`` inside riskatlas.evidence.catalogue: the
    # package is already running, so this is no cycle.
    imports = {
        "evidence": {"evidence.catalogue", "evidence.indicators"},
        "evidence.catalogue": {"evidence.indicators"},
        "evidence.indicators": set(),
    }
    assert find_cycles(imports) == []
