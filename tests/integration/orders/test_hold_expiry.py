"""Holds with an end are released when it passes (ORD-1, ORD-5): a rule's "hold for 4 h"
or a person's "until" ends by itself — once, with two sweeps racing — and the order goes
back to where it was; holds without an end, or not yet ended, stay."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from uuid import UUID

import asyncpg

from application.orders.lifecycle import HoldOrder, RecordPayment
from application.orders.queries import GetOrder
from application.orders.review import SaveRuleSet
from application.orders.sweeps import OrderSweeps, ReleaseExpiredHolds
from application.shared.context import Actor, ActorKind, CallContext
from domain.identity.permissions import ALL_PERMISSIONS
from domain.orders.payment_records import PaymentMethod
from domain.orders.status import OrderStatus
from tests.conftest import TenantHandle
from tests.e2e.orders.support import levels, receive, two_warehouses
from tests.e2e.orders.support import stocked_sku as over_http
from tests.integration.orders.conftest import caller, place, stocked_sku
from tests.support.databases import TestDatabase


async def _end_holds(database: TestDatabase, ids: list[uuid.UUID]) -> None:
    """The holds of these orders ended a minute ago."""
    owner = await asyncpg.connect(database.owner_url)
    try:
        await owner.execute(
            "UPDATE orders SET hold_until = now() - interval '1 minute' WHERE id = ANY($1)", ids
        )
    finally:
        await owner.close()


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
    await _end_holds(database, [held["ended"]])  # the first hold's end has passed
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


async def test_a_rules_warehouse_on_an_ended_hold_moves_the_stock_or_says_why(
    tenant: TenantHandle, database: TestDatabase
) -> None:
    """Reviewed again when its hold ends, an order a rule sends to Beijing takes its stock
    there when Beijing holds enough; another keeps it in Hangzhou and says why; one whose
    stock is in Beijing already keeps its reservation as it was (nothing to move)."""
    use_cases, ctx, client = tenant.container.use_cases, caller(tenant), tenant.client
    run, query, owner = use_cases.run, use_cases.query, await tenant.headers("owner")
    hangzhou, beijing = await two_warehouses(client, owner)
    held = {}
    for name in ("plenty", "scarce", "there"):
        stocked = beijing if name == "there" else hangzhou
        sku = UUID(await over_http(client, owner, 5, "10.00", warehouse=stocked))
        order = await run(ctx, place(sku, 2))
        paid = await run(ctx, RecordPayment(order.id, PaymentMethod.CASH, order.total))
        later = datetime.now(UTC) + timedelta(hours=4)
        await run(ctx, HoldOrder(order.id, "核实", later, paid.order.version))
        held[name] = (sku, order.id)
    await receive(client, owner, str(held["plenty"][0]), beijing, 2)
    await receive(client, owner, str(held["scarce"][0]), beijing, 1)
    rule = {
        "id": "north",
        "name": "北京发",
        "priority": 10,
        "actions": [{"kind": "assign_warehouse", "warehouse_id": beijing}],
    }
    await run(ctx, SaveRuleSet([rule], 0))
    await _end_holds(database, [order_id for _, order_id in held.values()])
    there = (await query(ctx, GetOrder(held["there"][1]))).order.reservation_ids
    assert await run(ctx, ReleaseExpiredHolds()) == 3
    reserved = {}
    for name, (sku, order_id) in held.items():
        found = await levels(client, owner, str(sku))
        reserved[name] = tuple(found.get(w, {}).get("reserved", 0) for w in (hangzhou, beijing))
        order = (await query(ctx, GetOrder(order_id))).order
        assert order.warehouse_id == UUID(beijing)
        kept = [e for e in order.timeline if e.kind == "stock_not_moved"]
        assert [str(e.rule) for e in kept] == (["north@v1"] if name == "scarce" else [])
    assert reserved == {"plenty": (0, 2), "scarce": (2, 0), "there": (0, 2)}
    assert (await query(ctx, GetOrder(held["there"][1]))).order.reservation_ids == there
