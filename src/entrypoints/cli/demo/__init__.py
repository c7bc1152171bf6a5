"""Each module's demo data for ``shopkeeper demo load``, found by discovery.

A module with demo data has ``entrypoints/cli/demo/<module>.py`` with ``load(container,
ctx)`` (create what is missing, through the real use cases, so loading twice changes
nothing), ``SUMMARY`` (the line the command prints about it) and ``AFTER`` (the modules
whose demo data it builds on). ``loaders`` answers them in that order (ties by name), so a
new module adds a file here and edits no command.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from graphlib import TopologicalSorter
from typing import TYPE_CHECKING

from application.shared.context import CallContext

if TYPE_CHECKING:
    from bootstrap import Container


@dataclass(frozen=True)
class DemoLoader:
    module: str
    load: Callable[[Container, CallContext], Awaitable[None]]
    summary: str
    after: tuple[str, ...]


def loaders() -> list[DemoLoader]:
    """Every module's demo loader, each after the ones it names in ``AFTER``."""
    found: dict[str, DemoLoader] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found[info.name] = DemoLoader(info.name, module.load, module.SUMMARY, module.AFTER)
    for loader in found.values():
        unknown = set(loader.after) - set(found)
        if unknown:
            raise RuntimeError(f"demo data of {loader.module} needs unknown {sorted(unknown)}")
    order = TopologicalSorter({name: found[name].after for name in found}).static_order()
    return [found[name] for name in order]
