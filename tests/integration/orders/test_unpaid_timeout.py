"""The unpaid-timeout job (ORD-1, INV-2): orders of the own API or staff entry unpaid past
the tenant's limit are cancelled and their stock released — exactly once, even with two
schedulers and a hand-run sweep racing (FOR UPDATE SKIP LOCKED); paid, cash-on-delivery,
marketplace and recent orders are left alone."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg

from application.orders.lifecycle import RecordPayment
from application.orders.placing import NewLine, NewOrder, OrderSource, PlaceOrder
from application.orders.queries import GetOrder, SetUnpaidLimit
from application.orders.sweeps import CancelUnpaidOrders, OrderSweeps
from application.shared.context import Actor, ActorKind, CallContext
from domain.identity.permissions import ALL_PERMISSIONS
from domain.orders.payment_records import PaymentMethod
from domain.orders.status import OrderStatus
from tests.conftest import TenantHandle
from tests.integration.orders.conftest import RECEIVER, caller, place, stocked_sku
from tests.support.databases import TestDatabase


async def test_unpaid_orders_are_cancelled_once_with_two_schedulers_racing(
    tenant: TenantHandle, database: TestDatabase
) -> None:
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    assert await run(ctx, SetUnpaidLimit(15)) == 15
    sku = await stocked_sku(tenant, 30, "10.00")
    unpaid = [await run(ctx, place(sku, 2)) for _ in range(9)]
    paid = await run(ctx, place(sku, 1))
    await run(ctx, RecordPayment(paid.id, PaymentMethod.CASH, paid.total))
    cod = await run(ctx, PlaceOrder(NewOrder((NewLine(sku, 1),), RECEIVER, cash_on_delivery=True)))
    recent = await run(ctx, place(sku, 1))
    owner = await asyncpg.connect(database.owner_url)
    try:  # time passes for all but the recent one
        await owner.execute(
            "UPDATE orders SET placed_at = now() - interval '20 minutes'"
            " WHERE tenant_id = $1 AND id <> $2",
            tenant.id,
            recent.id,
        )
    finally:
        await owner.close()
    sweeps = tenant.container.get(OrderSweeps)

    def in_tenant(tenant_id: uuid.UUID) -> CallContext:
        return CallContext(tenant_id, Actor(ActorKind.SYSTEM, "scheduler"), ALL_PERMISSIONS)

    async def scheduler() -> int:  # what each scheduler's task runs, for every tenant
        return (await sweeps.cancel_unpaid_everywhere(in_tenant)).get(tenant.id, 0)

    async def by_hand() -> int:
        return await run(ctx, CancelUnpaidOrders(limit=2)) + await sweeps.cancel_unpaid(
            ctx, limit=2
        )

    counts = await asyncio.gather(scheduler(), scheduler(), by_hand())
    assert sum(counts) == 9
    assert await scheduler() == 0
    for order in unpaid:
        stored = await tenant.container.use_cases.query(ctx, GetOrder(order.id))
        assert stored.order.status is OrderStatus.CANCELLED and stored.order.reserved == {}
        cancels = [e for e in stored.order.timeline if e.to_status == "cancelled"]
        assert len(cancels) == 1 and cancels[0].reason == "unpaid_timeout"
        assert cancels[0].actor == "system:orders.unpaid_timeout"
    for kept, status in (
        (paid, OrderStatus.AWAITING_REVIEW),
        (cod, OrderStatus.AWAITING_REVIEW),
        (recent, OrderStatus.PENDING_PAYMENT),
    ):
        assert (
            await tenant.container.use_cases.query(ctx, GetOrder(kept.id))
        ).order.status is status
    owner = await asyncpg.connect(database.owner_url)
    try:
        reserved = await owner.fetchval(
            "SELECT reserved FROM stock_levels WHERE tenant_id = $1 AND sku_id = $2",
            tenant.id,
            sku,
        )
        releases = await owner.fetchval(
            "SELECT count(*) FROM stock_ledger WHERE tenant_id = $1 AND kind = 'release'",
            tenant.id,
        )
        audits = await owner.fetchval(
            "SELECT count(*) FROM audit_log WHERE tenant_id = $1"
            " AND action = 'order.unpaid_timeout' AND outcome = 'success'",
            tenant.id,
        )
        events = await owner.fetchval(
            "SELECT count(*) FROM outbox WHERE tenant_id = $1 AND event_type ="
            " 'order.status_changed' AND data->>'to_status' = 'cancelled'",
            tenant.id,
        )
    finally:
        await owner.close()
    assert reserved == 3  # paid 1 + cash on delivery 1 + recent 1
    assert releases == 9 and audits == 9 and events == 9


async def test_marketplace_orders_are_left_to_their_platform(
    tenant: TenantHandle, database: TestDatabase
) -> None:
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    sku = await stocked_sku(tenant, 5)
    staff = await run(ctx, place(sku, 1, OrderSource.STAFF))
    owner = await asyncpg.connect(database.owner_url)
    try:
        await owner.execute(
            "UPDATE orders SET placed_at = now() - interval '2 hours' WHERE tenant_id = $1",
            tenant.id,
        )
    finally:
        await owner.close()
    assert await run(ctx, CancelUnpaidOrders()) == 1
    assert (await tenant.container.use_cases.query(ctx, GetOrder(staff.id))).order.status is (
        OrderStatus.CANCELLED
    )
