"""A page declares the use case it runs (``opt=needs(ListUsers)``, as the API's routes do);
a role without its permission gets the forbidden page naming it before anything is read."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler

from application.shared.context import CallContext
from domain.shared.errors import PermissionDenied
from entrypoints.http.permissions import PERMISSION


def declared_permissions(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    caller = connection.scope.get("user")
    if not isinstance(caller, CallContext):
        return  # a public page (sign-in): nothing is declared
    for permission in handler.opt.get(PERMISSION, ()):
        if permission not in caller.permissions:
            raise PermissionDenied(permission=permission)
