"""Across tenants, as the platform role: the tenants with a carrier connected (the
tracking sweep's)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.logistics.tables import carriers


class PostgresTrackedTenants:
    def __init__(self, platform_engine: AsyncEngine) -> None:
        self._engine = platform_engine

    async def tenants_with_carriers(self) -> list[UUID]:
        found = (
            select(carriers.c.tenant_id)
            .where(carriers.c.active.is_(True), carriers.c.endpoint.is_not(None))
            .distinct()
        )
        async with self._engine.connect() as conn:
            return [row.tenant_id for row in await conn.execute(found)]
