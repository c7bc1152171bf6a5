"""Fixtures for orders on the real database: a SKU with a list price and stock (through
the catalog's and inventory's HTTP routes, as a tenant would), a caller with every
permission, counts of what a placement writes (read as the owner, past RLS)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from uuid import UUID

import asyncpg

from application.orders.placing import NewLine, NewOrder, OrderSource, PlaceOrder
from application.shared.context import Actor, ActorKind, CallContext
from domain.identity.permissions import ALL_PERMISSIONS
from domain.orders.values import Receiver, ShippingAddress
from tests.conftest import TenantHandle
from tests.support.databases import TestDatabase

RECEIVER = Receiver(
    "李四", "13900005678", ShippingAddress("上海市", "上海市", "浦东新区", "世纪大道 8 号")
)


def caller(tenant: TenantHandle) -> CallContext:
    return CallContext(
        tenant.id, Actor(ActorKind.SUPPORT, "pytest"), ALL_PERMISSIONS, uuid.uuid4().hex
    )


def place(sku: UUID, quantity: int = 1, source: OrderSource = OrderSource.API) -> PlaceOrder:
    return PlaceOrder(NewOrder((NewLine(sku, quantity),), RECEIVER, source))


@dataclass(frozen=True)
class Written:
    orders: int
    lines: int
    timeline: int
    reservations: int
    reserved: int
    audit: int
    outbox: int


async def written(database: TestDatabase, tenant: TenantHandle, sku: UUID) -> Written:
    conn = await asyncpg.connect(database.owner_url)
    try:
        one = conn.fetchval
        t = tenant.id
        return Written(
            await one("SELECT count(*) FROM orders WHERE tenant_id = $1", t),
            await one("SELECT count(*) FROM order_lines WHERE tenant_id = $1", t),
            await one("SELECT count(*) FROM order_timeline WHERE tenant_id = $1", t),
            await one(
                "SELECT count(*) FROM reservations WHERE tenant_id = $1 AND source_type = 'order'",
                t,
            ),
            await one(
                "SELECT coalesce(sum(reserved), 0) FROM stock_levels"
                " WHERE tenant_id = $1 AND sku_id = $2",
                t,
                sku,
            ),
            await one(
                "SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'order.create'"
                " AND outcome = 'success'",
                t,
            ),
            await one(
                "SELECT count(*) FROM outbox WHERE tenant_id = $1 AND event_type = 'order.created'",
                t,
            ),
        )
    finally:
        await conn.close()


async def stocked_sku(tenant: TenantHandle, stock: int, price: str = "12.00") -> UUID:
    from tests.e2e.orders.support import stocked_sku as over_http

    owner = await tenant.headers("owner")
    return UUID(await over_http(tenant.client, owner, stock, price))
