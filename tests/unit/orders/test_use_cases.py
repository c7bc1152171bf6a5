"""Orders' use cases on the typed fakes (ORD-1, ORD-2, ORD-3, ORD-7): placing reserves the
stock through inventory's engine, all lines or none; missing stock from the own API is
refused naming every SKU short; payment → paid → awaiting review; cancel releases the
stock; an edit re-reserves; a status change reaches the roles concerned; the unpaid-timeout
job cancels once; merging by hand, the merge candidates and the automatic merge take the
shop groups from the catalog's channels (ORD-4)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from adapters.identity.access_policy import RoleBasedAccessPolicy
from application.catalog.channels import ChangeChannel, ChannelChanges, CreateChannel
from application.catalog.channels.change import ChangeChannelHandler
from application.catalog.channels.create import CreateChannelHandler
from application.inventory.reservations.engine import RESERVATIONS
from application.inventory.stock.movements import ReceiveStock
from application.inventory.warehouses.open import OpenWarehouse
from application.notifications.ports import NotificationReceipt
from application.orders.common import OrderOutOfStock, StockKeeper
from application.orders.lifecycle import (
    ORDER_COMMANDS,
    ApproveOrder,
    AssignCarrier,
    AssignWarehouse,
    CancelOrder,
    ChangeQuantity,
    EditOrder,
    HoldOrder,
    OrderLifecycleHandler,
    RecordPayment,
    ReleaseHold,
    SetPriority,
)
from application.orders.merge_candidates import ListMergeCandidates, ListMergeCandidatesHandler
from application.orders.merging import MergeOrders, MergeOrdersHandler, Merger
from application.orders.placing import NewLine, NewOrder, PlaceOrder, PlaceOrderHandler
from application.orders.ports import PricedLine, PriceRequest
from application.orders.review import Reviewer, SaveRuleSet, SaveRuleSetHandler
from application.orders.splitting import Splitter
from application.orders.sweeps import (
    CancelUnpaidOrders,
    CancelUnpaidOrdersHandler,
    MergeDueOrders,
    MergeDueOrdersHandler,
    ReleaseExpiredHoldsHandler,
)
from application.shared.context import Actor, ActorKind, CallContext
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_cases import UseCases
from application.shared.versions import ANY_VERSION
from bootstrap.modules.inventory import register_use_cases
from domain.identity.permissions import ALL_PERMISSIONS
from domain.inventory.stock import Deltas
from domain.inventory.warehouse import WarehouseKind
from domain.notifications.notification import Channel, Notification
from domain.orders.errors import MergeRefused
from domain.orders.lines import Discount
from domain.orders.payment_records import PaymentMethod
from domain.orders.status import OrderStatus
from domain.orders.values import Receiver, ShippingAddress
from tests.fakes.clock import FakeClock
from tests.fakes.unit_of_work import FakeDatabase, FakeIds

NO_WAREHOUSE = uuid.UUID(int=0)
TENANT = uuid.UUID("0190a000-0000-7000-8000-0000000000bb")
START = datetime(2026, 11, 11, 0, 0, tzinfo=UTC)
CTX = CallContext(TENANT, Actor(ActorKind.SUPPORT, "test"), ALL_PERMISSIONS)
RECEIVER = Receiver(
    "王五", "13700001111", ShippingAddress("广东省", "广州市", "天河区", "体育西路")
)


class FixedPricing:
    """Every SKU at 10.00 with a member discount of 1.00 a unit (explained)."""

    async def price(
        self,
        uow: UnitOfWork,
        lines: Sequence[PriceRequest],
        channel_id: UUID | None,
        tier: str | None,
        at: datetime,
    ) -> list[PricedLine]:
        return [
            PricedLine(
                line.sku_id,
                Decimal("10.00"),
                (Discount(Decimal("1.00") * line.quantity, "member_price", "会员价 9.00"),),
            )
            for line in lines
        ]


@dataclass
class RecordingNotifier:
    sent: list[Notification] = field(default_factory=list)

    async def notify(self, uow: UnitOfWork, notification: Notification) -> NotificationReceipt:
        self.sent.append(notification)
        return NotificationReceipt(uuid.uuid4(), (), (), (), ())

    async def notify_many(
        self, uow: UnitOfWork, notifications: Sequence[Notification]
    ) -> list[NotificationReceipt]:
        return [await self.notify(uow, n) for n in notifications]


@dataclass
class Shop:
    db: FakeDatabase
    use_cases: UseCases
    clock: FakeClock
    notifier: RecordingNotifier
    warehouse: UUID = NO_WAREHOUSE

    async def sku(self, stock: int) -> UUID:
        sku = uuid.uuid4()
        self.db.tenant(TENANT).inventory.skus.add(sku)
        if stock:
            await self.use_cases.run(CTX, ReceiveStock(sku, self.warehouse, stock))
        return sku

    def level(self, sku: UUID) -> Deltas:
        return self.db.tenant(TENANT).inventory.levels.get((sku, self.warehouse, None), Deltas())


async def make_shop() -> Shop:
    db, clock, ids = FakeDatabase(), FakeClock(START), FakeIds()
    use_cases = UseCases(CommandRunner(db, RoleBasedAccessPolicy(), clock, ids))
    register_use_cases(use_cases)
    keeper, pricing, notifier = StockKeeper(RESERVATIONS), FixedPricing(), RecordingNotifier()
    reviewer, merger = Reviewer(Splitter(keeper)), Merger(keeper)
    use_cases.register(
        PlaceOrderHandler(keeper, pricing, reviewer),
        CancelUnpaidOrdersHandler(keeper, notifier),
        ReleaseExpiredHoldsHandler(keeper, notifier, reviewer),
        SaveRuleSetHandler(),
        MergeOrdersHandler(merger),
        ListMergeCandidatesHandler(),
        MergeDueOrdersHandler(merger, reviewer, keeper),
        CreateChannelHandler(),  # the catalog's: the channels' shop groups (ORD-4)
        ChangeChannelHandler(),
    )
    lifecycle = OrderLifecycleHandler(keeper, notifier, pricing, reviewer)
    for command in ORDER_COMMANDS:
        use_cases.add(command, lifecycle)
    shop = Shop(db, use_cases, clock, notifier)
    opened = await use_cases.run(CTX, OpenWarehouse("GZ", "广州仓", WarehouseKind.OWN, None, 1))
    shop.warehouse = opened.id
    return shop


def order(*lines: tuple[UUID, int]) -> PlaceOrder:
    return PlaceOrder(NewOrder(tuple(NewLine(s, q) for s, q in lines), RECEIVER))


async def test_ord1_placing_reserves_and_prices_with_explained_discounts() -> None:
    shop = await make_shop()
    sku = await shop.sku(5)
    placed = await shop.use_cases.run(CTX, order((sku, 3)))
    assert placed.status is OrderStatus.PENDING_PAYMENT and placed.reserved == {sku: 3}
    assert placed.total == Decimal("27.00")
    assert placed.lines[0].discounts[0].source == "member_price"
    assert shop.level(sku) == Deltas(on_hand=5, reserved=3)
    assert len(placed.reservation_ids) == 1


async def test_ord1_missing_stock_refuses_the_whole_order_naming_each_sku() -> None:
    shop = await make_shop()
    plenty, short, none = await shop.sku(9), await shop.sku(1), await shop.sku(0)
    with pytest.raises(OrderOutOfStock) as refused:
        await shop.use_cases.run(CTX, order((plenty, 2), (short, 2), (none, 1)))
    named = refused.value.params["skus"]  # a list: the message says it as a list
    assert isinstance(named, list) and set(named) == {str(short), str(none)}
    assert shop.level(plenty) == Deltas(on_hand=9)  # rolled back with the rest
    assert shop.db.tenant(TENANT).orders.orders == {}


async def test_ord3_payment_then_cancel_releases_and_tells_customer_service() -> None:
    shop = await make_shop()
    sku = await shop.sku(4)
    placed = await shop.use_cases.run(CTX, order((sku, 2)))
    paid = await shop.use_cases.run(
        CTX, RecordPayment(placed.id, PaymentMethod.ALIPAY, Decimal("18.00"), "A-1")
    )
    assert paid.order.status is OrderStatus.AWAITING_REVIEW
    again = await shop.use_cases.run(
        CTX, RecordPayment(placed.id, PaymentMethod.ALIPAY, Decimal("18.00"), "A-1")
    )
    assert again.order.version == paid.order.version  # the same transaction id: nothing new
    cancelled = await shop.use_cases.run(
        CTX, CancelOrder(placed.id, "买家取消", paid.order.version)
    )
    assert cancelled.order.status is OrderStatus.CANCELLED and cancelled.order.reserved == {}
    assert shop.level(sku) == Deltas(on_hand=4)
    statuses = [n.values["status"] for n in shop.notifier.sent]
    assert statuses == ["awaiting_review", "cancelled"]
    assert all(n.roles == ("customer_service",) for n in shop.notifier.sent)


async def test_ord2_an_edit_re_reserves_all_or_nothing() -> None:
    shop = await make_shop()
    sku = await shop.sku(5)
    placed = await shop.use_cases.run(CTX, order((sku, 2)))
    line = placed.lines[0].id
    edited = await shop.use_cases.run(
        CTX, EditOrder(placed.id, (ChangeQuantity(line, 4),), "买家加购", placed.version)
    )
    assert edited.order.reserved == {sku: 4} and shop.level(sku) == Deltas(on_hand=5, reserved=4)
    with pytest.raises(OrderOutOfStock):
        await shop.use_cases.run(
            CTX, EditOrder(placed.id, (ChangeQuantity(line, 6),), "再加", edited.order.version)
        )
    assert shop.level(sku) == Deltas(on_hand=5, reserved=4)


async def test_ord1_the_unpaid_timeout_cancels_once_and_releases() -> None:
    shop = await make_shop()
    sku = await shop.sku(3)
    placed = await shop.use_cases.run(CTX, order((sku, 3)))
    assert await shop.use_cases.run(CTX, CancelUnpaidOrders()) == 0  # not yet due
    shop.clock.advance(minutes=31)
    assert await shop.use_cases.run(CTX, CancelUnpaidOrders()) == 1
    assert await shop.use_cases.run(CTX, CancelUnpaidOrders()) == 0
    stored = shop.db.tenant(TENANT).orders.orders[placed.id].order
    assert stored.status is OrderStatus.CANCELLED and shop.level(sku) == Deltas(on_hand=3)


async def test_ord1_payment_is_reviewed_by_the_rule_set_with_its_reasons() -> None:
    shop = await make_shop()
    sku = await shop.sku(9)
    rules = [
        {
            "id": "big",
            "name": "大额订单人工复核",
            "priority": 10,
            "conditions": [{"kind": "amount_between", "min": "40"}],
            "actions": [{"kind": "hold", "hours": 4, "reason": "大额订单人工复核"}],
        },
        {"id": "rest", "name": "其余自动审核", "priority": 900, "actions": [{"kind": "approve"}]},
    ]
    saved = await shop.use_cases.run(CTX, SaveRuleSet(rules, 0))
    assert saved.version == 1
    small = await shop.use_cases.run(CTX, order((sku, 2)))  # 18.00
    big = await shop.use_cases.run(CTX, order((sku, 5)))  # 45.00
    for placed in (small, big):
        await shop.use_cases.run(CTX, RecordPayment(placed.id, PaymentMethod.CASH, placed.total))
    tables = shop.db.tenant(TENANT).orders.orders
    approved, held = tables[small.id].order, tables[big.id].order
    assert approved.status is OrderStatus.APPROVED
    assert str(approved.timeline[-1].rule) == "rest@v1"
    assert held.status is OrderStatus.HELD and held.hold is not None
    entry = held.timeline[-1]
    assert entry.actor == "rule_engine" and str(entry.rule) == "big@v1"
    assert entry.reason is not None and "45.00" in entry.reason


async def test_ord7_the_buyer_hears_of_the_steps_they_see_not_of_review_or_holds() -> None:
    shop = await make_shop()
    sku = await shop.sku(9)
    buyer = uuid.uuid4()

    def buyers_order(units: int) -> PlaceOrder:
        return PlaceOrder(NewOrder((NewLine(sku, units),), RECEIVER, customer_id=buyer))

    paid_one = await shop.use_cases.run(CTX, buyers_order(2))
    await shop.use_cases.run(CTX, RecordPayment(paid_one.id, PaymentMethod.CASH, paid_one.total))
    await shop.use_cases.run(CTX, HoldOrder(paid_one.id, "核对", None, ANY_VERSION))
    await shop.use_cases.run(CTX, ReleaseHold(paid_one.id, ANY_VERSION))
    await shop.use_cases.run(CTX, ApproveOrder(paid_one.id, ANY_VERSION))
    await shop.use_cases.run(CTX, HoldOrder(paid_one.id, "核对", None, ANY_VERSION))
    await shop.use_cases.run(CTX, CancelOrder(paid_one.id, "买家取消", ANY_VERSION))
    unpaid = await shop.use_cases.run(CTX, buyers_order(1))
    shop.clock.advance(minutes=31)
    assert await shop.use_cases.run(CTX, CancelUnpaidOrders()) == 1  # the sweep's cancel
    anonymous = await shop.use_cases.run(CTX, order((sku, 1)))
    await shop.use_cases.run(CTX, CancelOrder(anonymous.id, "取消", ANY_VERSION))

    to_buyer = [n for n in shop.notifier.sent if n.customers]
    assert [(n.values["orderNumber"], n.values["step"]) for n in to_buyer] == [
        (paid_one.number.value, "paid"),
        (paid_one.number.value, "cancelled"),  # held → cancelled: from "paid"
        (unpaid.number.value, "cancelled"),
    ]
    assert all(n.customers == (buyer,) and n.channels == {Channel.EMAIL} for n in to_buyer)


async def test_ord8_an_assignment_that_changes_nothing_writes_nothing() -> None:
    shop = await make_shop()
    sku = await shop.sku(5)
    placed = await shop.use_cases.run(CTX, order((sku, 2)))
    other = await shop.use_cases.run(CTX, OpenWarehouse("SZ", "深圳仓", WarehouseKind.OWN, None, 2))
    await shop.use_cases.run(CTX, ReceiveStock(sku, other.id, 5))
    commands = (
        AssignCarrier(placed.id, "sf", ANY_VERSION),
        AssignWarehouse(placed.id, other.id, ANY_VERSION, "近仓发货"),
        SetPriority(placed.id, 80, ANY_VERSION, "加急"),
    )
    for command in commands:
        first = await shop.use_cases.run(CTX, command)
        again = await shop.use_cases.run(CTX, command)
        assert again.order.version == first.order.version  # the same again: nothing written
        assert len(again.order.timeline) == len(first.order.timeline)
    stored = shop.db.tenant(TENANT).orders.orders[placed.id].order
    assert (stored.carrier, stored.warehouse_id, stored.priority) == ("sf", other.id, 80)
    assert [e.kind for e in stored.timeline][-3:] == [
        "carrier_assigned",
        "warehouse_assigned",
        "priority_set",
    ]
    moved = Deltas(on_hand=5, reserved=2)
    assert shop.level(sku) == Deltas(on_hand=5)  # the stock followed the warehouse
    assert shop.db.tenant(TENANT).inventory.levels[(sku, other.id, None)] == moved


async def _channels(shop: Shop) -> tuple[UUID, UUID, UUID]:
    """Two Tmall stores in the shop group ``tmall-main`` and a JD store in none."""
    made = [
        await shop.use_cases.run(CTX, CreateChannel(code, name, "marketplace", platform, group))
        for code, name, platform, group in (
            ("tmall_a", "天猫旗舰店", "tmall", "tmall-main"),
            ("tmall_b", "天猫专卖店", "tmall", "tmall-main"),
            ("jd_main", "京东店", "jd", None),
        )
    ]
    return made[0].id, made[1].id, made[2].id


async def _paid_on(shop: Shop, sku: UUID, channel: UUID, buyer: UUID) -> UUID:
    new = NewOrder((NewLine(sku, 1),), RECEIVER, channel_id=channel, customer_id=buyer)
    placed = await shop.use_cases.run(CTX, PlaceOrder(new))
    await shop.use_cases.run(CTX, RecordPayment(placed.id, PaymentMethod.CASH, placed.total))
    return placed.id


async def test_ord4_a_hand_merge_and_its_candidates_follow_the_channels_shop_groups() -> None:
    """Orders of two channels of one shop group are offered and merge; an order of a
    channel in no group is neither (``same_shop_group``, naming it) — until its channel
    joins the group."""
    shop = await make_shop()
    sku, buyer = await shop.sku(9), uuid.uuid4()
    tmall_a, tmall_b, jd = await _channels(shop)
    a, b, c = [await _paid_on(shop, sku, ch, buyer) for ch in (tmall_a, tmall_b, jd)]

    offered = await shop.use_cases.query(CTX, ListMergeCandidates(a))
    assert [s.order.id for s in offered] == [b]
    with pytest.raises(MergeRefused) as refused:
        await shop.use_cases.run(CTX, MergeOrders((a, c), "同一买家"))
    assert refused.value.params == {"condition": "same_shop_group", "order_id": str(c)}

    merged = await shop.use_cases.run(CTX, MergeOrders((a, b), "同一买家"))
    assert set(merged.merged_from) == {a, b}
    assert merged.order.channel_id == tmall_a  # the first original's channel
    assert [line.quantity for line in merged.order.lines] == [1, 1]
    changes = ChannelChanges(shop_group="tmall-main")
    await shop.use_cases.run(CTX, ChangeChannel(jd, changes, ANY_VERSION))
    offered = await shop.use_cases.query(CTX, ListMergeCandidates(c))
    assert [s.order.id for s in offered] == [merged.order.id]  # one group now


async def test_ord4_the_automatic_merge_groups_by_shop_group_not_by_channel() -> None:
    shop = await make_shop()
    sku, buyer = await shop.sku(9), uuid.uuid4()
    tmall_a, tmall_b, jd = await _channels(shop)
    a, b, c = [await _paid_on(shop, sku, ch, buyer) for ch in (tmall_a, tmall_b, jd)]
    shop.db.tenant(TENANT).orders.merge_wait_minutes = 0  # the tenant's wait from payment

    assert await shop.use_cases.run(CTX, MergeDueOrders()) == 1
    tables = shop.db.tenant(TENANT).orders.orders
    into = tables[a].order.merged_into
    assert into is not None and tables[b].order.merged_into == into
    assert tables[c].order.merged_into is None  # the JD store is a group of its own
    assert set(tables[into].merged_from) == {a, b}
    assert await shop.use_cases.run(CTX, MergeDueOrders()) == 0


async def test_ord4_a_channel_out_of_its_group_no_longer_merges_automatically() -> None:
    shop = await make_shop()
    sku, buyer = await shop.sku(9), uuid.uuid4()
    tmall_a, tmall_b, _ = await _channels(shop)
    left = await shop.use_cases.run(
        CTX, ChangeChannel(tmall_b, ChannelChanges(shop_group=None), ANY_VERSION)
    )
    assert left.shop_group is None and left.version == 2
    a, b = [await _paid_on(shop, sku, ch, buyer) for ch in (tmall_a, tmall_b)]
    shop.db.tenant(TENANT).orders.merge_wait_minutes = 0

    assert await shop.use_cases.run(CTX, MergeDueOrders()) == 0
    tables = shop.db.tenant(TENANT).orders.orders
    assert tables[a].order.merged_into is None and tables[b].order.merged_into is None
