"""What subpackages export, found by discovery: the routers of the API's modules and of the
console's pages, the console's menu entries — a new module adds its package and no list
changes."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from litestar import Router


def exported(package: ModuleType, name: str) -> list[object]:
    """What each subpackage of ``package`` exports as ``name``, by the subpackage's name."""
    found: list[object] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.ispkg:
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            if hasattr(module, name):
                found.append(getattr(module, name))
    return found


def routers_in(package: ModuleType) -> list[Router]:
    """The routers of ``package``'s subpackages, by name."""
    return [r for r in exported(package, "router") if isinstance(r, Router)]
