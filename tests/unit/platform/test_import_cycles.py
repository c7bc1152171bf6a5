"""No two source files import each other, directly or through others (#8).

import-linter checks the layers and the independence of modules; this closes the last
gap: a cycle inside one layer or module (today's notifier and unit-of-work ports once
imported each other). Imports made inside functions count too: a cycle hidden in a
function is still a cycle.
"""

from __future__ import annotations

import grimp

PACKAGES = ("domain", "application", "adapters", "entrypoints", "bootstrap")


def cycles(graph: grimp.ImportGraph) -> list[tuple[str, str]]:
    found = []
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported in graph.modules and graph.chain_exists(importer=imported, imported=module):
                found.append((module, imported))
    return found


def test_the_check_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for name in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        graph.add_module(name)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.c")
    graph.add_import(importer="pkg.c", imported="pkg.a")
    assert ("pkg.a", "pkg.b") in cycles(graph)


def test_no_source_file_is_part_of_an_import_cycle() -> None:
    graph = grimp.build_graph(*PACKAGES)
    assert cycles(graph) == []
