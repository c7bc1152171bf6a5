"""``OPTIONS`` answers every method of its path (#9, item 8).

Litestar makes a route's automatic OPTIONS handler when the route is first built and has
it list that route's methods; when a later controller adds methods to the same path, the
route is rebuilt but its OPTIONS handler still lists the first ones (``/users/{id}``
answered ``DELETE, OPTIONS`` without ``PATCH``). This middleware answers such a request
itself, from every route of the app at the path the request matched.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Receive,
    Scope,
    Send,
)

_AUTOMATIC = "options_handler"  # the name Litestar gives the handler it makes


def allowed_methods(app: Litestar, path_template: str) -> list[str]:
    methods: set[str] = {"OPTIONS"}
    for route in app.routes:
        if getattr(route, "path_format", route.path) == path_template:
            methods |= set(route.methods)
    return sorted(methods)


class AllowedMethods:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        handler = scope.get("route_handler")
        if (
            scope["type"] == ScopeType.HTTP
            and scope.get("method") == "OPTIONS"
            and getattr(handler, "handler_name", None) == _AUTOMATIC
        ):
            allow = ", ".join(allowed_methods(scope["litestar_app"], scope["path_template"]))
            start: HTTPResponseStartEvent = {
                "type": "http.response.start",
                "status": 204,
                "headers": [(b"allow", allow.encode())],
            }
            body: HTTPResponseBodyEvent = {
                "type": "http.response.body",
                "body": b"",
                "more_body": False,
            }
            await send(start)
            await send(body)
            return
        await self.app(scope, receive, send)
