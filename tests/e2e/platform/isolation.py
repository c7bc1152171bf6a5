"""The tenant-isolation route table, gathered from the modules (PLT-1).

Each module declares, in ``tests/e2e/<module>/isolation_routes.py``, ``ROUTES`` (every
route of its with an id in the path, and how to create tenant A's entity for it with a
valid body), ``LISTS`` (its list routes) and ``LIST_MAKERS`` (what to create before reading
them). ``gather`` finds them by discovery, so a new module adds a file of its own and edits
no central table; ``test_every_route_with_an_id_is_covered`` still fails for any route with
an id that no module declares.
"""

from __future__ import annotations

import importlib
import io
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from PIL import Image

from tests.conftest import TenantHandle

Maker = Callable[[TenantHandle, httpx.AsyncClient], Awaitable[str]]


@dataclass(frozen=True)
class EntityRoute:
    make: Maker
    bodies: dict[str, Any] = field(default_factory=dict)  # method -> valid body
    # Path parameters that are not the entity's id (e.g. a version number) -> their value.
    params: dict[str, str] = field(default_factory=dict)
    # method -> multipart files, for upload routes (sent instead of a JSON body).
    files: dict[str, Callable[[], dict[str, Any]]] = field(default_factory=dict)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 20, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def upload() -> dict[str, Any]:
    return {"file": ("a.png", png(), "image/png")}


@dataclass(frozen=True)
class Table:
    routes: dict[str, EntityRoute]
    lists: list[str]
    list_makers: tuple[Maker, ...]


def gather() -> Table:
    """Every module's ``isolation_routes``, in module-name order; a route declared twice
    is an error."""
    import tests.e2e as package

    routes: dict[str, EntityRoute] = {}
    lists: list[str] = []
    makers: list[Maker] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        name = f"{package.__name__}.{info.name}.isolation_routes"
        if not info.ispkg:
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        twice = sorted(set(routes) & set(module.ROUTES))
        assert not twice, f"routes declared by two modules: {twice}"
        routes.update(module.ROUTES)
        lists.extend(module.LISTS)
        makers.extend(m for m in module.LIST_MAKERS if m not in makers)
    return Table(routes, lists, tuple(makers))
