"""Across tenants, as the platform role: the tenants with reservations due to expire
(INV-2). Served by the partial index ``reservations_expiry``."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.inventory.tables import reservations


class PostgresDueReservations:
    def __init__(self, platform_engine: AsyncEngine) -> None:
        self._engine = platform_engine

    async def tenants_with_due(self, now: datetime) -> list[UUID]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(reservations.c.tenant_id)
                .where(
                    reservations.c.status == "active",
                    reservations.c.expires_at.is_not(None),
                    reservations.c.expires_at <= now,
                )
                .distinct()
            )
            return [row.tenant_id for row in rows]
