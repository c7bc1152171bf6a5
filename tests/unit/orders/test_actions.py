"""What an order allows a person to do now (ORD-1..ORD-5): the console shows a button when
the order allows its action and the role may run it; each answer follows the operation it
stands for, so a button shown is one the operation would take."""

from __future__ import annotations

import uuid

from domain.orders.abnormal import Abnormality, AbnormalType
from domain.orders.actions import OrderAction, allowed_actions
from domain.orders.merge import merge
from domain.orders.order import Order
from domain.orders.split import split
from domain.orders.split_plans import by_lines
from domain.orders.values import OrderNumber
from tests.unit.orders.factory import SKU_B, STAFF, later, line, order, reviewed

A = OrderAction


def _allowed(target: Order, *, merged: bool = False) -> frozenset[OrderAction]:
    return allowed_actions(target, merged=merged)


def test_an_order_awaiting_review_may_be_approved_held_edited_split_and_merged() -> None:
    target = reviewed(line(), line(SKU_B))
    assert _allowed(target) == {A.APPROVE, A.HOLD, A.EDIT, A.SPLIT, A.MERGE}


def test_an_unpaid_order_may_be_paid_held_and_edited_but_not_approved_or_merged() -> None:
    target = order(line(), line(SKU_B))
    assert _allowed(target) == {A.PAY, A.HOLD, A.EDIT, A.SPLIT}


def test_one_line_is_not_split_by_lines_and_a_refund_pending_stops_splitting_and_merging() -> None:
    assert A.SPLIT not in _allowed(reviewed(line(quantity=3)))
    target = reviewed(line(), line(SKU_B))
    target.set_refund_requested(True, later(3), STAFF)
    assert not {A.SPLIT, A.MERGE} & _allowed(target)


def test_a_held_order_is_released_not_held_again_nor_approved() -> None:
    target = reviewed(line(), line(SKU_B))
    target.hold_order(later(3), STAFF, "核对地址")
    allowed = _allowed(target)
    assert A.RELEASE in allowed and not {A.HOLD, A.APPROVE, A.MERGE, A.SPLIT} & allowed
    assert A.EDIT in allowed  # an edit waits for no release


def test_an_abnormal_order_is_resolved_and_may_still_be_held() -> None:
    target = reviewed(line())
    target.mark_abnormal(Abnormality(AbnormalType.SUSPECTED_FRAUD, later(3)), "rule_engine")
    allowed = _allowed(target)
    assert {A.RESOLVE_ABNORMAL, A.HOLD} <= allowed and A.RELEASE not in allowed
    target.resolve_abnormal(AbnormalType.SUSPECTED_FRAUD, later(4), STAFF, "ok", automatic=False)
    assert A.RESOLVE_ABNORMAL not in _allowed(target)


def test_a_cancelled_order_allows_nothing_even_with_money_owed() -> None:
    target = order(line())
    target.cancel(later(3), STAFF, "买家取消")
    assert _allowed(target) == frozenset()


def test_a_split_original_allows_only_rejoin_and_its_parts_their_own_actions() -> None:
    target = reviewed(line(), line(SKU_B))
    plan = by_lines(target, [target.lines[1].id])
    result = split(
        target, plan, new_ids=[uuid.uuid4(), uuid.uuid4()], at=later(3), actor=STAFF, reason="x"
    )
    assert _allowed(result.original) == {A.REJOIN}
    assert A.APPROVE in _allowed(result.parts[0]) and A.REJOIN not in _allowed(result.parts[0])


def test_a_merged_order_may_be_unmerged_until_picked_and_its_originals_allow_nothing() -> None:
    first = reviewed(line())
    second = reviewed(line(SKU_B), number="SO20261111002")
    result = merge(
        [first, second],
        new_id=uuid.uuid4(),
        number=OrderNumber("SO20261111999"),
        at=later(5),
        actor=STAFF,
        reason="同一买家",
    )
    assert A.UNMERGE in _allowed(result.merged, merged=True)
    assert A.UNMERGE not in _allowed(result.merged, merged=False)  # not made by merging
    assert _allowed(first) == frozenset() and _allowed(second) == frozenset()
    assert A.UNMERGE not in _allowed(_picked(result.merged), merged=True)


def _picked(target: Order) -> Order:
    target.approve(later(10), STAFF)
    target.move_to(target.status.ALLOCATED, later(11), STAFF)
    target.move_to(target.status.PICKING, later(12), STAFF)
    assert target.status.value == "picking"
    return target


def test_a_picked_order_is_no_longer_edited_split_or_merged() -> None:
    target = _picked(reviewed(line(), line(SKU_B)))
    allowed = _allowed(target)
    assert not {A.EDIT, A.SPLIT, A.MERGE, A.APPROVE} & allowed
    assert A.HOLD in allowed  # picking may still be interrupted


def test_a_fully_paid_order_is_not_offered_another_payment() -> None:
    assert A.PAY not in _allowed(reviewed(line()))
