"""The console's twin of the tenant-isolation route table (PLT-1 for PLT-8).

A module whose console pages take an id declares, in its
``tests/e2e/<module>/isolation_routes.py``, ``CONSOLE_ROUTES``: each such console route
(as Litestar writes it: ``/console/orders/{order_id:uuid}``) with the maker of tenant A's
entity it shows — usually the same maker as the API route's. ``gather_console`` finds them
by discovery; ``test_every_console_route_with_an_id_is_declared`` fails for a console route
with an id no module declares.

A route that also takes ids in its query string or its form (a filter's warehouse, a
merge's ``order_ids``) is declared as a ``ConsoleRoute`` naming those fields with the maker
of tenant A's entity each names (and, for a form, the other fields of an otherwise valid
post: as they are in ``fields``, or made by tenant B in ``own`` — a bulk action's own
orders beside the other company's warehouse); a route with no id in its path may be
declared so too, with no ``make``. A plain maker stays a valid declaration: a path id and
no such fields."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field

from tests.e2e.platform.isolation import Maker


@dataclass(frozen=True)
class ConsoleRoute:
    make: Maker | None = None  # the entity the path's id names; None: no id in the path
    query: dict[str, Maker] = field(default_factory=dict)  # GET field -> its entity's maker
    form: dict[str, Maker] = field(default_factory=dict)  # POST field -> its entity's maker
    fields: dict[str, str | list[str]] = field(default_factory=dict)  # the rest of the post
    own: dict[str, Maker] = field(default_factory=dict)  # post fields naming B's own entities
    answers: tuple[int, ...] = (404, 422)  # what a post naming another company's id gets
    page: str | None = None  # the page the form is on: the post sends the version it shows


def declared(entry: Maker | ConsoleRoute) -> ConsoleRoute:
    return entry if isinstance(entry, ConsoleRoute) else ConsoleRoute(entry)


def gather_console() -> dict[str, ConsoleRoute]:
    import tests.e2e as package

    routes: dict[str, ConsoleRoute] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if not info.ispkg:
            continue
        name = f"{package.__name__}.{info.name}.isolation_routes"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        entries: dict[str, Maker | ConsoleRoute] = getattr(module, "CONSOLE_ROUTES", {})
        twice = sorted(set(routes) & set(entries))
        assert not twice, f"console routes declared by two modules: {twice}"
        routes.update({path: declared(entry) for path, entry in entries.items()})
    return routes
