"""Holds with an end are released when it passes (ORD-1, ORD-5): a rule's "hold for 4 h"
or a person's "until" ends by itself — once, with two sweeps racing — and the order goes
back to where it was; holds without an end, or not yet ended, stay."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg

from application.orders.lifecycle import HoldOrder, RecordPayment
from application.orders.queries import GetOrder
from application.orders.sweeps import OrderSweeps
from application.shared.context import Actor, ActorKind, CallContext
from domain.identity.permissions import ALL_PERMISSIONS
from domain.orders.payment_records import PaymentMethod
from domain.orders.status import OrderStatus
from tests.conftest import TenantHandle
from tests.integration.orders.conftest import caller, place, stocked_sku
from tests.support.databases import TestDatabase


async def test_ended_holds_are_released_once(tenant: TenantHandle, database: TestDatabase) -> None:
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    sku = await stocked_sku(tenant, 10, "10.00")
    later = datetime.now(UTC) + timedelta(hours=4)
    held = {}
    for until in ("ended", "later", "forever"):
        order = await run(ctx, place(sku))
        paid = await run(ctx, RecordPayment(order.id, PaymentMethod.CASH, order.total))
        stored = await run(
            ctx,
            HoldOrder(order.id, "核实", None if until == "forever" else later, paid.order.version),
        )
        assert stored.order.status is OrderStatus.HELD
        held[until] = order.id
    owner = await asyncpg.connect(database.owner_url)
    try:  # the first hold's end has passed
        await owner.execute(
            "UPDATE orders SET hold_until = now() - interval '1 minute' WHERE id = $1",
            held["ended"],
        )
    finally:
        await owner.close()
    sweeps = tenant.container.get(OrderSweeps)

    def in_tenant(tenant_id: uuid.UUID) -> CallContext:
        return CallContext(tenant_id, Actor(ActorKind.SYSTEM, "scheduler"), ALL_PERMISSIONS)

    counts = await asyncio.gather(
        sweeps.release_holds_everywhere(in_tenant), sweeps.release_holds_everywhere(in_tenant)
    )
    assert sum(c.get(tenant.id, 0) for c in counts) == 1
    query = tenant.container.use_cases.query
    released = (await query(ctx, GetOrder(held["ended"]))).order
    assert released.status is OrderStatus.AWAITING_REVIEW and released.hold is None
    entry = released.timeline[-1]
    assert entry.actor == "system:orders.hold_expiry" and entry.reason == "hold expired"
    for still in ("later", "forever"):
        assert (await query(ctx, GetOrder(held[still]))).order.status is OrderStatus.HELD
