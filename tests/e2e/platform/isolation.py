"""The tenant-isolation route table, gathered from the modules (PLT-1).

Each module declares, in ``tests/e2e/<module>/isolation_routes.py``, ``ROUTES`` (every
route of its with an id in the path, and how to create tenant A's entity for it with a
valid body), ``LISTS`` (its list routes) and ``LIST_MAKERS`` (what to create before reading
them). ``gather`` finds them by discovery, so a new module adds a file of its own and edits
no central table; ``test_every_route_with_an_id_is_covered`` still fails for any route with
an id that no module declares.

A module may also declare ``TENANT_ROUTES``: its routes without an id over the tenant's data
as a whole (settings, rule sets, counts, or a batch of orders named in the body), each a
``TenantRoute`` keyed ``"METHOD path"``, and ``WITHOUT_A_CASE`` (``"METHOD path"`` → why a
route of its without an id needs no case: it creates what a list shows, say). Once it does,
every route of ``/api/v1/<module>`` without an id must be a list, a case or said why not
(``test_every_route_without_an_id_is_covered``).
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
# Tenant A's data for a route without an id: the ids B names in its body, if any.
Made = Callable[[TenantHandle, httpx.AsyncClient], Awaitable[list[str]]]


@dataclass(frozen=True)
class EntityRoute:
    make: Maker
    bodies: dict[str, Any] = field(default_factory=dict)  # method -> valid body
    # Path parameters that are not the entity's id (e.g. a version number) -> their value.
    params: dict[str, str] = field(default_factory=dict)
    # method -> multipart files, for upload routes (sent instead of a JSON body).
    files: dict[str, Callable[[], dict[str, Any]]] = field(default_factory=dict)


@dataclass(frozen=True)
class TenantRoute:
    """A route without an id over the tenant's data as a whole (PLT-1). ``make`` gives
    tenant A data the route shows or acts on, and answers A's ids (which ``body`` may name).

    With no ``reads`` the route reads: B's answer is the same before and after A's data
    exists, and A's own answer differs from it (the control: A's data shows there). With
    ``reads`` (the GETs that show what it changes) it writes: B's request answers one of
    ``answers`` (and satisfies ``answer``, given its body and A's ids), and A's answers to
    ``reads`` are what they were, while the same request from A changes them (the control:
    the reads would see the change)."""

    make: Made
    body: Callable[[list[str]], Any] | None = None
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    reads: tuple[str, ...] = ()
    answers: tuple[int, ...] = (200,)
    answer: Callable[[Any, list[str]], bool] | None = None
    # what a worker does with the answer before its effect shows (a job's run)
    settle: Callable[[TenantHandle, httpx.Response], Awaitable[None]] | None = None


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
    tenant_routes: dict[str, TenantRoute] = field(default_factory=dict)
    # /api/v1/<module> of each module that declares TENANT_ROUTES
    tenant_prefixes: tuple[str, ...] = ()
    without_a_case: dict[str, str] = field(default_factory=dict)


def gather() -> Table:
    """Every module's ``isolation_routes``, in module-name order; a route declared twice
    is an error."""
    import tests.e2e as package

    routes: dict[str, EntityRoute] = {}
    lists: list[str] = []
    makers: list[Maker] = []
    tenant_routes: dict[str, TenantRoute] = {}
    prefixes: list[str] = []
    without_a_case: dict[str, str] = {}
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
        if hasattr(module, "TENANT_ROUTES"):
            twice = sorted(set(tenant_routes) & set(module.TENANT_ROUTES))
            assert not twice, f"tenant routes declared by two modules: {twice}"
            tenant_routes.update(module.TENANT_ROUTES)
            prefixes.append(f"/api/v1/{info.name}")
            without_a_case.update(getattr(module, "WITHOUT_A_CASE", {}))
    return Table(routes, lists, tuple(makers), tenant_routes, tuple(prefixes), without_a_case)
