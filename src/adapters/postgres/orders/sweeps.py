"""Across tenants, as the platform role: the tenants with orders for the unpaid-timeout
job (served by the partial index ``orders_unpaid``), for the restock sweep
(``orders_awaiting_stock``), for the expiry of holds (``orders_hold_until``) and for the
automatic merge (``orders_merge_candidates``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import ColumnElement, and_, func, literal, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.orders.repository import (
    DEFAULT_UNPAID_MINUTES,
    awaiting_stock,
    delivered_before,
    hold_due,
    merge_due,
    unpaid,
)
from adapters.postgres.orders.tables import order_settings, orders


class PostgresDueOrders:
    def __init__(self, platform_engine: AsyncEngine) -> None:
        self._engine = platform_engine

    async def tenants_with_unpaid_due(self, now: datetime) -> list[UUID]:
        c, s = orders.c, order_settings.c
        minutes = func.coalesce(s.unpaid_minutes, DEFAULT_UNPAID_MINUTES)
        due = and_(unpaid(), c.placed_at + minutes * literal(timedelta(minutes=1)) < now)
        return await self._tenants(due, with_settings=True)

    async def tenants_awaiting_stock(self) -> list[UUID]:
        return await self._tenants(awaiting_stock())

    async def tenants_with_holds_due(self, now: datetime) -> list[UUID]:
        return await self._tenants(hold_due(now))

    async def tenants_with_deliveries_due(self, cutoff: datetime) -> list[UUID]:
        return await self._tenants(delivered_before(cutoff))

    async def tenants_with_merges_due(self, now: datetime) -> list[UUID]:
        """The tenants with an order past its merge wait (more than one of a group is
        checked by the tenant's sweep)."""
        return await self._tenants(
            merge_due(now, order_settings.c.merge_wait_minutes), with_settings=True
        )

    async def _tenants(
        self, condition: ColumnElement[bool], *, with_settings: bool = False
    ) -> list[UUID]:
        """The tenants with an order meeting ``condition`` (which may read the tenant's
        ``order_settings`` with ``with_settings``)."""
        c, s = orders.c, order_settings.c
        found = select(c.tenant_id).where(condition).distinct()
        if with_settings:
            found = found.select_from(orders.outerjoin(order_settings, s.tenant_id == c.tenant_id))
        async with self._engine.connect() as conn:
            return [row.tenant_id for row in await conn.execute(found)]
