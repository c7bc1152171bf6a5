"""Routers found by discovery: every subpackage of a package that exports a ``router``
(the API's modules, the console's pages), so a new module adds its package and no list
changes."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from litestar import Router


def routers_in(package: ModuleType) -> list[Router]:
    """The routers of ``package``'s subpackages, by name."""
    found: list[Router] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.ispkg:
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            router = getattr(module, "router", None)
            if isinstance(router, Router):
                found.append(router)
    return found
