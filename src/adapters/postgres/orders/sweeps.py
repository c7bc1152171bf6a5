"""Across tenants, as the platform role: the tenants with orders for the unpaid-timeout
job (served by the partial index ``orders_unpaid``) and for the restock sweep
(``orders_awaiting_stock``), and for the expiry of holds (``orders_hold_until``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import func, literal, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.orders.repository import DEFAULT_UNPAID_MINUTES
from adapters.postgres.orders.tables import order_settings, orders


class PostgresDueOrders:
    def __init__(self, platform_engine: AsyncEngine) -> None:
        self._engine = platform_engine

    async def tenants_with_unpaid_due(self, now: datetime) -> list[UUID]:
        c, s = orders.c, order_settings.c
        minutes = func.coalesce(s.unpaid_minutes, DEFAULT_UNPAID_MINUTES)
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(c.tenant_id)
                .select_from(orders.outerjoin(order_settings, s.tenant_id == c.tenant_id))
                .where(
                    c.status == "pending_payment",
                    c.source.in_(("staff", "api")),
                    c.cash_on_delivery.is_(False),
                    c.placed_at + minutes * literal(timedelta(minutes=1)) < now,
                )
                .distinct()
            )
            return [row.tenant_id for row in rows]

    async def tenants_awaiting_stock(self) -> list[UUID]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(orders.c.tenant_id).where(orders.c.awaiting_stock.is_(True)).distinct()
            )
            return [row.tenant_id for row in rows]

    async def tenants_with_holds_due(self, now: datetime) -> list[UUID]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(orders.c.tenant_id).where(orders.c.hold_until <= now).distinct()
            )
            return [row.tenant_id for row in rows]
