"""Across tenants, as the platform role: the tenants with reservations due to expire
(INV-2; served by the partial index ``reservations_expiry``), those the alert sweep
has work in (INV-3), and those holding valued stock, whose days the closing sweep closes
(INV-7)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import exists, select, union
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.inventory.tables import (
    category_thresholds,
    cost_positions,
    reservations,
    stock_alerts,
    stock_batches,
    stock_thresholds,
)
from adapters.postgres.shared.tables import tenants


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


class PostgresWatchedTenants:
    """Across tenants, as the platform role: the tenants the alert sweep has work in —
    those with thresholds (their own or a category's) or an open alert (INV-3), or batches
    with an expiry date (INV-8)."""

    def __init__(self, platform_engine: AsyncEngine) -> None:
        self._engine = platform_engine

    async def tenants_watched(self) -> list[UUID]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                union(
                    select(stock_thresholds.c.tenant_id),
                    select(category_thresholds.c.tenant_id),
                    select(stock_alerts.c.tenant_id).where(stock_alerts.c.status == "open"),
                    # INV-8: batches with an expiry date may come into the warning window
                    select(stock_batches.c.tenant_id).where(
                        stock_batches.c.expiry_date.is_not(None)
                    ),
                )
            )
            return sorted((row.tenant_id for row in rows), key=str)


class PostgresValuedTenants:
    """Across tenants, as the platform role: the tenants with a cost position (every
    valued movement writes one), one probe of its key per tenant (INV-7)."""

    def __init__(self, platform_engine: AsyncEngine) -> None:
        self._engine = platform_engine

    async def tenants_valued(self) -> list[UUID]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(tenants.c.id)
                .where(exists().where(cost_positions.c.tenant_id == tenants.c.id))
                .order_by(tenants.c.id)
            )
            return [row.id for row in rows]
