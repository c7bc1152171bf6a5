"""The operator audit (global table, platform role only)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.postgres.shared.tables import operator_audit_log
from application.shared.clock import IdGenerator
from application.shared.context import SystemContext


class PostgresOperatorAudit:
    def __init__(self, conn: AsyncConnection, ids: IdGenerator) -> None:
        self._conn = conn
        self._ids = ids

    async def record(
        self,
        ctx: SystemContext,
        action: str,
        tenant_id: UUID | None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        await self._conn.execute(
            insert(operator_audit_log).values(
                id=self._ids.new_id(),
                operator=ctx.actor.label,
                action=action,
                tenant_id=tenant_id,
                reason=ctx.reason,
                detail=detail or {},
            )
        )
