"""Editing before shipment (ORD-2): each edit in the timeline, totals re-computed, the stock
delta inventory must apply, and nothing once goods have left."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from domain.orders.errors import OrderNotEditable
from domain.orders.status import OrderStatus
from domain.shared.errors import ValidationFailed
from tests.unit.orders.factory import (
    SKU_A,
    SKU_B,
    STAFF,
    later,
    line,
    order,
    pay,
    receiver,
    reviewed,
)

S = OrderStatus


def test_a_new_order_needs_all_its_stock_and_nothing_once_reserved() -> None:
    made = order(line(SKU_A, 2), line(SKU_B, 1), line(SKU_A, 1))
    assert made.stock_delta() == {SKU_A: 3, SKU_B: 1}
    made.stock_reserved()
    assert made.stock_delta() == {}


def test_edits_give_the_stock_to_reserve_and_release() -> None:
    first, second = line(SKU_A, 2), line(SKU_B, 1)
    made = reviewed(first, second)
    made.stock_reserved()
    made.change_quantity(first.id, 5, later(3), STAFF, "buyer asked for more")
    made.remove_line(second.id, later(4), STAFF, "out of range")
    made.add_line(line(uuid.UUID(int=7), 1), later(5), STAFF)
    assert made.stock_delta() == {SKU_A: 3, SKU_B: -1, uuid.UUID(int=7): 1}
    edited = {"quantity_changed", "line_removed", "line_added"}
    assert [e.kind for e in made.timeline if e.kind in edited] == [
        "quantity_changed",
        "line_removed",
        "line_added",
    ]
    assert made.total == Decimal("600.00")


def test_cancelling_releases_everything_reserved() -> None:
    made = order(line(SKU_A, 2))
    made.stock_reserved()
    made.cancel(later(1), STAFF, "unpaid")
    assert made.stock_delta() == {SKU_A: -2}


def test_adjust_price_needs_a_reason_and_keeps_old_and_new() -> None:
    first = line(SKU_A, 2, "100.00")
    made = reviewed(first)
    with pytest.raises(ValidationFailed):
        made.adjust_price(first.id, Decimal("80.00"), later(3), STAFF, " ")
    made.adjust_price(first.id, Decimal("80.00"), later(3), "user:lead", "老客户让利")
    [entry] = [e for e in made.timeline if e.kind == "price_adjusted"]
    assert (entry.kind, entry.reason) == ("price_adjusted", "老客户让利")
    assert entry.detail["from"] == "100.00" and entry.detail["to"] == "80.00"
    assert made.total == Decimal("160.00")
    assert made.balance_due == Decimal("-40.00")  # paid 200: 40 to return


def test_change_address_keeps_personal_data_out_of_the_timeline_and_event() -> None:
    made = reviewed()
    made.pull_events()
    made.change_address(receiver("李四", "新地址 1 号"), later(3), STAFF, "buyer moved")
    assert made.receiver.name == "李四"
    entry = made.timeline[-1]
    assert entry.kind == "address_changed" and entry.detail == {}
    event = made.pull_events()[0]
    assert event.changed_fields == ("receiver",) and "李四" not in str(event)


def test_an_edit_to_an_approved_order_sends_it_back_for_review() -> None:
    made = reviewed()
    made.approve(later(3), STAFF)
    made.move_to(S.ALLOCATED, later(4), STAFF)
    made.change_quantity(made.lines[0].id, 2, later(5), STAFF, "more")
    back = [e for e in made.timeline if e.to_status == S.AWAITING_REVIEW.value]
    assert back[-1].reason == "edited: quantity_changed"
    # The total rose on a paid order: abnormal until the difference is paid (causes.py),
    # then back to review.
    assert (made.status, made.resume_status) == (S.ABNORMAL, S.AWAITING_REVIEW)
    pay(made, str(made.balance_due))
    assert made.status is S.AWAITING_REVIEW


@pytest.mark.parametrize("edit", ["add", "remove", "quantity", "price", "address"])
def test_every_edit_is_refused_after_shipment(edit: str) -> None:
    made = reviewed(line(SKU_A, 1), line(SKU_B, 1))
    for target in (S.APPROVED, S.ALLOCATED, S.PICKING):
        made.move_to(target, later(3), STAFF)
    made.record_shipment({made.lines[0].id: 1}, later(4), STAFF)
    target_line = made.lines[1].id
    with pytest.raises(OrderNotEditable) as caught:
        if edit == "add":
            made.add_line(line(), later(5), STAFF)
        elif edit == "remove":
            made.remove_line(target_line, later(5), STAFF, "x")
        elif edit == "quantity":
            made.change_quantity(target_line, 3, later(5), STAFF, "x")
        elif edit == "price":
            made.adjust_price(target_line, Decimal("1.00"), later(5), STAFF, "x")
        else:
            made.change_address(receiver("王五"), later(5), STAFF, "x")
    assert caught.value.params["status"] == "partly_shipped"


def test_the_last_line_cannot_be_removed() -> None:
    made = order()
    with pytest.raises(ValidationFailed) as caught:
        made.remove_line(made.lines[0].id, later(1), STAFF, "x")
    assert caught.value.errors[0].code == "order_needs_a_line"
