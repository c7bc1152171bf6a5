"""Each route names the use case it runs, and the OpenAPI document shows the permission that
use case declares as ``x-permission`` on the operation, so an integrator reads what a role
needs.

A route says ``opt=needs(CreateProduct)``: the command or query class (or a service method
marked ``@runs``); its permission is read with ``permission_of``, never written twice. A
use case on the caller's own data (``SIGNED_IN``, the inbox) shows ``[]``, as does
``needs()`` for a route that runs no use case (who am I, log out). The use case still
checks (the CLI and the worker are held to the same rules): the declaration documents the
check, it does not replace it. Permissions a route needs only for part of its answer (a
cost column, say) are named in the route's description.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from litestar.handlers import HTTPRouteHandler
from litestar.openapi.spec import Operation
from litestar.plugins import ReceiveRoutePlugin
from litestar.routes import BaseRoute, HTTPRoute

from application.shared.use_case import SIGNED_IN, permission_of

PERMISSION = "permission"


def needs(*use_cases: object) -> dict[str, Any]:
    """The route's ``opt``: the permissions the use cases it runs declare (all of them)."""
    permissions: list[str] = []
    for use_case in use_cases:
        permission = permission_of(use_case)
        if permission is None:
            raise LookupError(f"{use_case!r} names no use case (mark it with @runs)")
        if permission != SIGNED_IN and permission not in permissions:
            permissions.append(permission)
    return {PERMISSION: tuple(permissions)}


def permissions_of(handler: HTTPRouteHandler) -> tuple[str, ...] | None:
    """What the route declared; None when it declared nothing (public routes)."""
    declared: tuple[str, ...] | None = handler.opt.get(PERMISSION)
    return declared


@cache
def _operation_needing(permissions: tuple[str, ...]) -> type[Operation]:
    @dataclass
    class OperationWithPermission(Operation):
        x_permission: list[str] = field(
            default_factory=lambda: list(permissions), metadata={"alias": "x-permission"}
        )

    return OperationWithPermission


class PermissionsInOpenAPI(ReceiveRoutePlugin):
    """Writes each route's declared permissions on its OpenAPI operation."""

    def receive_route(self, route: BaseRoute) -> None:
        if not isinstance(route, HTTPRoute):
            return
        for handler in route.route_handlers:
            declared = permissions_of(handler)
            if declared is not None:
                handler.operation_class = _operation_needing(declared)
