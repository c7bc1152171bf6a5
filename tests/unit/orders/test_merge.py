"""Merge (合单) and unmerge (ORD-4): which condition fails is named; Hypothesis: merging
conserves quantities, money, payments and platform ids, and unmerge gives back the originals."""

from __future__ import annotations

import copy
import uuid
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.orders.errors import MergeRefused
from domain.orders.merge import in_shop_groups, merge, merge_problems, unmerge
from domain.orders.order import Order
from domain.orders.status import OrderStatus
from domain.orders.values import FlagColour, OrderNumber, SellerMemo
from tests.unit.orders.factory import (
    CHANNEL,
    SKU_A,
    SKU_B,
    STAFF,
    later,
    line,
    paid_order,
    receiver,
)
from tests.unit.orders.strategies import orders

MERGED_NUMBER = OrderNumber("SO20261111999")


def _merge(*sources: Order, **kwargs: object) -> Order:
    return merge(
        sources,
        new_id=uuid.uuid4(),
        number=MERGED_NUMBER,
        at=later(30),
        actor="rule_engine",
        reason="同一买家同一地址",
        **kwargs,  # type: ignore[arg-type]
    ).merged


def test_two_orders_of_one_buyer_to_one_address_merge() -> None:
    first = paid_order(
        line(SKU_A, 1, "10.00", platform_order_id="TB1"),
        platform_order_ids=["TB1"],
        shipping="5.00",
        buyer_message="尽快发货",
    )
    second = paid_order(
        line(SKU_B, 2, "20.00", platform_order_id="TB2"),
        number="SO20261111002",
        platform_order_ids=["TB2"],
        shipping="5.00",
        seller_memo=SellerMemo("送小样", FlagColour.RED),
        receiver=receiver(line="文三路100号"),  # the same address, spaced differently
    )
    first.stock_reserved()
    second.stock_reserved()
    merged = _merge(first, second)
    assert merged.status is OrderStatus.AWAITING_REVIEW
    assert merged.total == Decimal("60.00") and merged.paid_amount == Decimal("60.00")
    assert merged.platform_order_ids == ("TB1", "TB2")
    assert merged.buyer_message == "尽快发货"
    assert merged.seller_memo == SellerMemo("送小样", FlagColour.RED)
    assert merged.reserved == {SKU_A: 1, SKU_B: 2} and merged.stock_delta() == {}
    assert first.merged_into == merged.id and first.reserved == {} and first.stock_delta() == {}
    assert merged.timeline[-1].detail == {"sources": "SO20261111001, SO20261111002"}
    assert first.timeline[-1].kind == "merged_into"


@pytest.mark.parametrize(
    ("change", "condition"),
    [
        ({"customer_id": uuid.UUID(int=99)}, "same_customer"),
        ({"channel_id": uuid.UUID(int=98)}, "same_shop_group"),
        ({"receiver": receiver("李四")}, "same_receiver"),
        ({"cash_on_delivery": True}, "same_cash_on_delivery"),
    ],
)
def test_merge_names_the_condition_that_failed(change: dict[str, object], condition: str) -> None:
    first = paid_order()
    second = paid_order(number="SO20261111002", **change)
    with pytest.raises(MergeRefused) as caught:
        _merge(first, second)
    assert caught.value.params == {"condition": condition, "order_id": str(second.id)}


def test_a_shop_group_lets_two_channels_merge() -> None:
    other = uuid.UUID(int=98)
    first, second = paid_order(), paid_order(number="SO20261111002", channel_id=other)
    groups = {CHANNEL: "tmall-stores", other: "tmall-stores"}
    assert merge_problems([first, second], lambda c: groups.get(c, str(c))) == []


def test_the_catalogs_shop_groups_join_channels_and_keep_the_rest_apart() -> None:
    """``in_shop_groups`` (the catalog's channel → group code): one code is one group; a
    channel of no group is its own, and never in a group named like a channel id."""
    tmall_b, jd, pdd = uuid.UUID(int=98), uuid.UUID(int=97), uuid.UUID(int=96)
    groups = in_shop_groups({CHANNEL: "tmall-main", tmall_b: "tmall-main", pdd: "pdd"})
    first = paid_order()
    assert (
        merge_problems([first, paid_order(number="SO20261111002", channel_id=tmall_b)], groups)
        == []
    )
    for other in (jd, pdd, None):
        refused = merge_problems(
            [first, paid_order(number="SO20261111002", channel_id=other)], groups
        )
        assert [p.condition for p in refused] == ["same_shop_group"]
    assert groups(jd) == str(jd) and groups(None) != groups(jd)
    assert in_shop_groups({pdd: str(jd)})(pdd) != groups(jd)  # never a channel's own group


def test_refund_pending_unpaid_or_picked_orders_do_not_merge() -> None:
    first = paid_order()
    refunding = paid_order(number="SO20261111002")
    refunding.set_refund_requested(True, later(3), "channel:tmall")
    assert [p.condition for p in merge_problems([first, refunding])] == ["no_refund_pending"]
    picked = paid_order(number="SO20261111003")
    for target in (
        OrderStatus.AWAITING_REVIEW,
        OrderStatus.APPROVED,
        OrderStatus.ALLOCATED,
        OrderStatus.PICKING,
    ):
        picked.move_to(target, later(3), STAFF)
    conditions = {p.condition for p in merge_problems([first, picked])}
    assert conditions == {"not_shipped", "paid_and_not_interrupted"}


def test_unmerge_is_refused_once_the_merged_order_changed() -> None:
    merged = _merge(paid_order(), paid_order(number="SO20261111002"))
    merged.add_line(line(SKU_B, 1), later(31), STAFF)
    with pytest.raises(MergeRefused) as caught:
        unmerge(merged, at=later(32), actor=STAFF, reason="undo")
    assert caught.value.params["condition"] == "changed_since_merge"


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 4).flatmap(lambda n: st.tuples(*(orders(i) for i in range(n)))))
def test_merge_conserves_everything_and_unmerge_gives_back_the_originals(
    sources: tuple[Order, ...],
) -> None:
    sources = tuple(s for s in sources if s.status is OrderStatus.PAID)
    if len(sources) < 2:
        return
    before = copy.deepcopy(sources)
    merged = _merge(*sources)
    assert merged.total == sum(o.total for o in before)
    assert merged.paid_amount == sum(o.paid_amount for o in before)
    assert sorted(x.quantity for x in merged.lines) == sorted(
        x.quantity for o in before for x in o.lines
    )
    assert set(merged.payments) == {p for o in before for p in o.payments}
    assert set(merged.refunds) == {r for o in before for r in o.refunds}
    assert set(merged.platform_order_ids) == {p for o in before for p in o.platform_order_ids}
    assert {(x.platform_order_id, x.platform_sub_order_id) for x in merged.lines} == {
        (x.platform_order_id, x.platform_sub_order_id) for o in before for x in o.lines
    }
    assert merged.stock_delta() == {} and all(s.stock_delta() == {} for s in sources)

    result = unmerge(merged, at=later(40), actor=STAFF, reason="客户要求分开发")
    assert result.merged.status is OrderStatus.CANCELLED and result.merged.stock_delta() == {}
    for back, original in zip(result.restored, before, strict=True):
        assert (back.id, back.number, back.status) == (
            original.id,
            original.number,
            original.status,
        )
        assert back.lines == original.lines
        assert (back.payments, back.refunds) == (original.payments, original.refunds)
        assert (
            back.total == original.total and back.platform_order_ids == original.platform_order_ids
        )
        assert back.merged_into is None and back.stock_delta() == {}
        assert back.timeline[: len(original.timeline)] == original.timeline
        assert [e.kind for e in back.timeline[-2:]] == ["merged_into", "unmerged"]
