"""``shopkeeper demo load`` finds each module's demo data by discovery and loads a module
after the ones it builds on (#8)."""

from __future__ import annotations

from entrypoints.cli.demo import loaders


def test_each_module_loads_after_the_ones_it_names() -> None:
    order = [loader.module for loader in loaders()]
    assert order.index("catalog") < order.index("inventory")
    for loader in loaders():
        assert all(order.index(before) < order.index(loader.module) for before in loader.after)


def test_every_loader_says_what_it_loaded() -> None:
    assert all(loader.summary.startswith("Demo ") for loader in loaders())
