"""The console's twin of the tenant-isolation route table (PLT-1 for PLT-8).

A module whose console pages take an id declares, in its
``tests/e2e/<module>/isolation_routes.py``, ``CONSOLE_ROUTES``: each such console route
(as Litestar writes it: ``/console/orders/{order_id:uuid}``) with the maker of tenant A's
entity it shows — usually the same maker as the API route's. ``gather_console`` finds them
by discovery; ``test_every_console_route_with_an_id_is_declared`` fails for a console route
with an id no module declares."""

from __future__ import annotations

import importlib
import pkgutil

from tests.e2e.platform.isolation import Maker


def gather_console() -> dict[str, Maker]:
    import tests.e2e as package

    routes: dict[str, Maker] = {}
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
        declared: dict[str, Maker] = getattr(module, "CONSOLE_ROUTES", {})
        twice = sorted(set(routes) & set(declared))
        assert not twice, f"console routes declared by two modules: {twice}"
        routes.update(declared)
    return routes
