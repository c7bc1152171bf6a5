"""The orders an order could be merged with by hand (合单, ORD-4), on the real database:
the same customer's other standing orders of the same receiver, paid and not picked;
another receiver, an unpaid order, another customer's, an order merged away and an order
without a customer are not offered; an order of another channel is offered when the two
channels are of one shop group (ORD-4), not when they are of two."""

from __future__ import annotations

import uuid
from uuid import UUID

from application.catalog.channels import CreateChannel
from application.orders.lifecycle import RecordPayment
from application.orders.merge_candidates import ListMergeCandidates
from application.orders.merging import MergeOrders
from application.orders.placing import NewLine, NewOrder, PlaceOrder
from domain.orders.payment_records import PaymentMethod
from domain.orders.values import Receiver, ShippingAddress
from tests.conftest import TenantHandle
from tests.integration.orders.conftest import RECEIVER, caller, stocked_sku

ELSEWHERE = Receiver(
    "李四", "13900005678", ShippingAddress("上海市", "上海市", "徐汇区", "漕溪北路 1 号")
)


async def _order(
    tenant: TenantHandle,
    sku: UUID,
    customer: UUID | None,
    receiver: Receiver = RECEIVER,
    *,
    paid: bool = True,
    channel: UUID | None = None,
) -> UUID:
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    new = NewOrder((NewLine(sku, 1),), receiver, channel_id=channel, customer_id=customer)
    placed = await run(ctx, PlaceOrder(new))
    if paid:
        await run(ctx, RecordPayment(placed.id, PaymentMethod.CASH, placed.total))
    return placed.id


async def _candidates(tenant: TenantHandle, order_id: UUID) -> list[UUID]:
    found = await tenant.container.use_cases.query(caller(tenant), ListMergeCandidates(order_id))
    return [s.order.id for s in found]


async def test_only_the_customers_mergeable_orders_are_offered(tenant: TenantHandle) -> None:
    sku = await stocked_sku(tenant, 20)
    customer, stranger = uuid.uuid4(), uuid.uuid4()
    first = await _order(tenant, sku, customer)
    second = await _order(tenant, sku, customer)
    third = await _order(tenant, sku, customer)
    await _order(tenant, sku, customer, ELSEWHERE)
    await _order(tenant, sku, customer, paid=False)
    await _order(tenant, sku, stranger)
    alone = await _order(tenant, sku, None)
    assert sorted(await _candidates(tenant, first)) == sorted([second, third])
    assert await _candidates(tenant, alone) == []
    await tenant.container.use_cases.run(caller(tenant), MergeOrders((first, second), "同一买家"))
    assert await _candidates(tenant, first) == []  # retired: merged away
    offered = await _candidates(tenant, third)
    assert first not in offered and second not in offered and len(offered) == 1  # the merged


async def test_orders_of_one_shop_group_are_offered_across_its_channels(
    tenant: TenantHandle,
) -> None:
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    sku, customer = await stocked_sku(tenant, 20), uuid.uuid4()
    channels = [
        (await run(ctx, CreateChannel(code, code, "marketplace", "tmall", group))).id
        for code, group in (
            ("tmall_a", "tmall-main"),
            ("tmall_b", "tmall-main"),
            ("tmall_c", "tmall-c"),
        )
    ]
    a, b, c = [await _order(tenant, sku, customer, channel=ch) for ch in channels]
    assert await _candidates(tenant, a) == [b]
    assert await _candidates(tenant, c) == []  # its group (tmall-c) is another
