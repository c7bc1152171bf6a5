from __future__ import annotations

from typing import Protocol

from application.shared.context import CallContext


class AccessPolicy(Protocol):
    """Decides whether the caller may perform an action (``module:action``)."""

    def allows(self, ctx: CallContext, permission: str) -> bool: ...

    def require(self, ctx: CallContext, permission: str) -> None:
        """Raise ``PermissionDenied`` unless allowed."""
        ...
