from __future__ import annotations

from typing import Any, Protocol
from uuid import UUID

from application.shared.context import SystemContext


class OperatorAudit(Protocol):
    """What support staff did, kept outside any tenant so it outlives deleted tenants.

    Writable only by the platform role, in the unit of work's transaction.
    """

    async def record(
        self,
        ctx: SystemContext,
        action: str,
        tenant_id: UUID | None,
        detail: dict[str, Any] | None = None,
    ) -> None: ...
