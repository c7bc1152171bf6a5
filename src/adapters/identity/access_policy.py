"""Role-based access: the caller's permissions were resolved from its roles (or its API key's
scopes) when it authenticated; a check is a set lookup."""

from __future__ import annotations

from application.shared.context import CallContext
from domain.shared.errors import PermissionDenied


class RoleBasedAccessPolicy:
    def allows(self, ctx: CallContext, permission: str) -> bool:
        return permission in ctx.permissions

    def require(self, ctx: CallContext, permission: str) -> None:
        if permission not in ctx.permissions:
            raise PermissionDenied(permission=permission)
