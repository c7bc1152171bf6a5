"""Automatic merging (合单, ORD-4) on the real database: orders of one customer, shop
group and receiver (blind index), paid, not shipped, past their merge wait — a rule's
``merge_eligible`` wait or the tenant's wait from payment — are merged by the sweep, once
even with two schedulers and a hand-run sweep racing (one run per tenant at a time, the
rows locked); the merge names the rule and its version on the timelines. Orders of
another receiver, another customer, unpaid, or not yet past their wait are left alone.
Orders of two channels of one shop group merge, racing too; a channel of another group or
of none keeps its orders apart, until it joins the group (the groups are read each run)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from uuid import UUID

import asyncpg

from application.catalog.channels import ChangeChannel, ChannelChanges, CreateChannel
from application.orders.lifecycle import RecordPayment
from application.orders.placing import NewLine, NewOrder, PlaceOrder
from application.orders.queries import GetMergeWait, GetOrder, SetMergeWait
from application.orders.review import SaveRuleSet
from application.orders.sweeps import MergeDueOrders, OrderSweeps
from application.shared.context import Actor, ActorKind, CallContext
from application.shared.versions import ANY_VERSION
from domain.identity.permissions import ALL_PERMISSIONS
from domain.orders.order import Order
from domain.orders.payment_records import PaymentMethod
from domain.orders.status import OrderStatus
from domain.orders.values import Receiver, ShippingAddress
from tests.conftest import TenantHandle
from tests.e2e.orders.support import levels, receive, sku_code, two_warehouses
from tests.e2e.orders.support import stocked_sku as over_http
from tests.integration.orders.conftest import RECEIVER, caller, stocked_sku
from tests.support.databases import TestDatabase

ELSEWHERE = Receiver(
    "李四", "13900005678", ShippingAddress("上海市", "上海市", "徐汇区", "漕溪北路 1 号")
)
# The same receiver written differently: merging compares them normalised.
SAME_RECEIVER = Receiver(
    "李四 ", "139 0000 5678", ShippingAddress("上海市", "上海市", "浦东新区", "世纪大道8号")
)


def _in_tenant(tenant_id: UUID) -> CallContext:
    return CallContext(tenant_id, Actor(ActorKind.SYSTEM, "scheduler"), ALL_PERMISSIONS)


async def _order(
    tenant: TenantHandle,
    sku: UUID,
    customer: UUID,
    receiver: Receiver = RECEIVER,
    *,
    paid: bool = True,
) -> UUID:
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    new = NewOrder((NewLine(sku, 1),), receiver, customer_id=customer)
    placed = await run(ctx, PlaceOrder(new))
    if paid:
        await run(ctx, RecordPayment(placed.id, PaymentMethod.CASH, placed.total))
    return placed.id


async def _paid_earlier(database: TestDatabase, ids: Sequence[UUID], minutes: int) -> None:
    owner = await asyncpg.connect(database.owner_url)
    try:
        await owner.execute(
            "UPDATE orders SET paid_at = paid_at - make_interval(mins => $2),"
            " merge_after = merge_after - make_interval(mins => $2) WHERE id = ANY($1)",
            list(ids),
            minutes,
        )
    finally:
        await owner.close()


async def test_ord4_rule_eligible_orders_merge_once_with_two_schedulers_racing(
    tenant: TenantHandle, database: TestDatabase
) -> None:
    use_cases, ctx = tenant.container.use_cases, caller(tenant)
    run, query = use_cases.run, use_cases.query
    rule = {
        "id": "merge-30",
        "name": "30分钟内合单",
        "priority": 10,
        "actions": [{"kind": "merge_eligible", "wait_minutes": 30}],
    }
    await run(ctx, SaveRuleSet([rule], 0))
    sku = await stocked_sku(tenant, 20, "10.00")
    buyer, other_buyer = uuid.uuid4(), uuid.uuid4()
    a = await _order(tenant, sku, buyer)
    b = await _order(tenant, sku, buyer, SAME_RECEIVER)
    c = await _order(tenant, sku, buyer)
    elsewhere = await _order(tenant, sku, buyer, ELSEWHERE)
    unpaid = await _order(tenant, sku, buyer, paid=False)
    other = await _order(tenant, sku, other_buyer)
    recent = await _order(tenant, sku, buyer)  # paid, but its 30 minutes have not passed
    await _paid_earlier(database, [a, b, c, elsewhere, unpaid, other], 31)
    sweeps = tenant.container.get(OrderSweeps)

    async def scheduler() -> int:
        return (await sweeps.merge_everywhere(_in_tenant)).get(tenant.id, 0)

    counts = await asyncio.gather(scheduler(), scheduler(), run(ctx, MergeDueOrders()))
    assert sum(counts) == 1  # one merged order, whoever made it

    originals = [(await query(ctx, GetOrder(i))).order for i in (a, b, c)]
    into = {o.merged_into for o in originals}
    assert len(into) == 1 and None not in into
    (merged_id,) = into
    assert merged_id is not None
    merged = await query(ctx, GetOrder(merged_id))
    assert set(merged.merged_from) == {a, b, c}
    assert merged.order.total == sum((o.total for o in originals), merged.order.total * 0)
    assert [x.quantity for x in merged.order.lines] == [1, 1, 1]
    entry = next(e for e in merged.order.timeline if e.kind == "merged")
    assert entry.actor == "system:orders.auto_merge" and str(entry.rule) == "merge-30@v1"
    assert all(str(o.timeline[-1].rule) == "merge-30@v1" for o in originals)
    # reviewed by the rule set as a new order: merge-eligible again (the merge's rule entry
    # is not the rule engine's), so a later order of the buyer can join it
    assert merged.order.merge_after is not None
    for left in (elsewhere, unpaid, other, recent):
        order = (await query(ctx, GetOrder(left))).order
        assert order.merged_into is None and order.status is not OrderStatus.CANCELLED
    assert await run(ctx, MergeDueOrders()) == 0  # nothing left to merge


async def test_ord4_the_tenants_wait_from_payment_merges_without_a_rule(
    tenant: TenantHandle, database: TestDatabase
) -> None:
    use_cases, ctx = tenant.container.use_cases, caller(tenant)
    run, query = use_cases.run, use_cases.query
    sku = await stocked_sku(tenant, 10, "10.00")
    buyer = uuid.uuid4()
    a, b = await _order(tenant, sku, buyer), await _order(tenant, sku, buyer)
    await _paid_earlier(database, [a, b], 20)
    assert await run(ctx, MergeDueOrders()) == 0  # no rule, no tenant wait: never
    assert await run(ctx, SetMergeWait(15)) == 15
    assert await query(ctx, GetMergeWait()) == 15
    assert await run(ctx, MergeDueOrders()) == 1
    merged_into = (await query(ctx, GetOrder(a))).order.merged_into
    assert (
        merged_into is not None and merged_into == (await query(ctx, GetOrder(b))).order.merged_into
    )
    merged = (await query(ctx, GetOrder(merged_into))).order
    entry = next(e for e in merged.timeline if e.kind == "merged")
    assert entry.rule is None and entry.reason == "automatic merge (the tenant's wait from payment)"
    assert merged.status is OrderStatus.AWAITING_REVIEW and merged.reserved


async def test_ord4_a_rules_warehouse_on_the_merged_order_moves_its_stock_or_says_why(
    tenant: TenantHandle, database: TestDatabase
) -> None:
    """The merged order (two units) is the first a rule of two units or more matches: its
    warehouse moves the stock the originals held there, in a savepoint — one SKU Beijing
    holds enough of moves, the other stays in Hangzhou and the timeline says why."""
    use_cases, ctx, client = tenant.container.use_cases, caller(tenant), tenant.client
    run, query, owner = use_cases.run, use_cases.query, await tenant.headers("owner")
    hangzhou, beijing = await two_warehouses(client, owner)
    plenty = UUID(await over_http(client, owner, 5, "10.00", warehouse=hangzhou))
    scarce = UUID(await over_http(client, owner, 5, "10.00", warehouse=hangzhou))
    rule = {
        "id": "north",
        "name": "两件以上北京发",
        "priority": 10,
        "conditions": [{"kind": "quantity_between", "min": 2}],
        "actions": [{"kind": "assign_warehouse", "warehouse_id": beijing}],
    }
    await run(ctx, SaveRuleSet([rule], 0))
    groups = {
        sku: [await _order(tenant, sku, buyer) for _ in range(2)]
        for sku, buyer in ((plenty, uuid.uuid4()), (scarce, uuid.uuid4()))
    }
    await receive(client, owner, str(plenty), beijing, 3)
    await receive(client, owner, str(scarce), beijing, 1)
    await _paid_earlier(database, [*groups[plenty], *groups[scarce]], 20)
    assert await run(ctx, SetMergeWait(15)) == 15
    assert await run(ctx, MergeDueOrders()) == 2

    def figures(found: dict[str, dict[str, int]], where: str) -> tuple[int, int]:
        return found[where]["onHand"], found[where]["reserved"]

    moved = await levels(client, owner, str(plenty))
    assert figures(moved, beijing) == (3, 2) and figures(moved, hangzhou) == (5, 0)
    kept = await levels(client, owner, str(scarce))
    assert figures(kept, beijing) == (1, 0) and figures(kept, hangzhou) == (5, 2)
    merged = {}
    for sku, (first, _) in groups.items():
        into = (await query(ctx, GetOrder(first))).order.merged_into
        assert into is not None
        merged[sku] = (await query(ctx, GetOrder(into))).order
        assert merged[sku].warehouse_id == UUID(beijing)
    assert "stock_not_moved" not in [e.kind for e in merged[plenty].timeline]
    entry = next(e for e in merged[scarce].timeline if e.kind == "stock_not_moved")
    assert str(entry.rule) == "north@v1" and entry.detail == {
        "skus": sku_code(str(scarce)),
        "sku_ids": str(scarce),
    }


async def _channel(tenant: TenantHandle, code: str, group: str | None) -> UUID:
    platform = "jd" if code.startswith("jd") else "tmall"
    made = await tenant.container.use_cases.run(
        caller(tenant), CreateChannel(code, f"店铺 {code}", "marketplace", platform, group)
    )
    assert made.shop_group == group
    return made.id


async def _paid_on(tenant: TenantHandle, sku: UUID, channel: UUID, buyer: UUID) -> UUID:
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    new = NewOrder((NewLine(sku, 1),), RECEIVER, channel_id=channel, customer_id=buyer)
    placed = await run(ctx, PlaceOrder(new))
    await run(ctx, RecordPayment(placed.id, PaymentMethod.CASH, placed.total))
    return placed.id


async def _orders(tenant: TenantHandle, ids: Sequence[UUID]) -> list[Order]:
    query, ctx = tenant.container.use_cases.query, caller(tenant)
    return [(await query(ctx, GetOrder(i))).order for i in ids]


async def test_ord4_two_channels_of_one_shop_group_merge_automatically_once(
    tenant: TenantHandle, database: TestDatabase
) -> None:
    run = tenant.container.use_cases.run
    tmall_a = await _channel(tenant, "tmall_a", "tmall-main")
    tmall_b = await _channel(tenant, "tmall_b", "tmall-main")
    jd = await _channel(tenant, "jd_a", "jd-main")  # another group
    own = await _channel(tenant, "own_web", None)  # a group of its own
    sku, buyer = await stocked_sku(tenant, 20, "10.00"), uuid.uuid4()
    a, b, j, o1, o2, lone = [
        await _paid_on(tenant, sku, ch, buyer) for ch in (tmall_a, tmall_b, jd, own, own, tmall_b)
    ]
    stranger = await _paid_on(tenant, sku, tmall_a, uuid.uuid4())
    await _paid_earlier(database, [a, b, j, o1, o2, stranger], 20)  # `lone`: not yet due
    assert await run(caller(tenant), SetMergeWait(15)) == 15
    sweeps = tenant.container.get(OrderSweeps)

    async def scheduler() -> int:
        return (await sweeps.merge_everywhere(_in_tenant)).get(tenant.id, 0)

    counts = await asyncio.gather(scheduler(), scheduler(), run(caller(tenant), MergeDueOrders()))
    assert sum(counts) == 2  # {a, b} and {o1, o2}, whoever merged them

    first, second, third, fourth = await _orders(tenant, [a, b, o1, o2])
    assert first.merged_into is not None and first.merged_into == second.merged_into
    assert third.merged_into is not None and third.merged_into == fourth.merged_into
    assert first.merged_into != third.merged_into
    (merged,) = await _orders(tenant, [first.merged_into])
    assert merged.channel_id == tmall_a and len(merged.lines) == 2  # the first original's
    for left in await _orders(tenant, [j, lone, stranger]):
        assert left.merged_into is None
    assert await run(caller(tenant), MergeDueOrders()) == 0  # nothing left to merge


async def test_ord4_two_shop_groups_stay_apart_until_a_channel_joins_the_other(
    tenant: TenantHandle, database: TestDatabase
) -> None:
    run = tenant.container.use_cases.run
    tmall = await _channel(tenant, "tmall_a", "tmall-main")
    other = await _channel(tenant, "tmall_b", "tmall-outlet")
    sku, buyer = await stocked_sku(tenant, 10, "10.00"), uuid.uuid4()
    a, b = await _paid_on(tenant, sku, tmall, buyer), await _paid_on(tenant, sku, other, buyer)
    await _paid_earlier(database, [a, b], 20)
    assert await run(caller(tenant), SetMergeWait(15)) == 15

    assert await run(caller(tenant), MergeDueOrders()) == 0  # two groups: never merged
    assert [o.merged_into for o in await _orders(tenant, [a, b])] == [None, None]

    joined = ChannelChanges(shop_group="tmall-main")
    await run(caller(tenant), ChangeChannel(other, joined, ANY_VERSION))
    assert await run(caller(tenant), MergeDueOrders()) == 1
    first, second = await _orders(tenant, [a, b])
    assert first.merged_into is not None and first.merged_into == second.merged_into
