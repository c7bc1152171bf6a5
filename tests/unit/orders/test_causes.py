"""The abnormal types the order's own figures decide (ORD-5, ORD-2, ORD-3; causes.py):
each opened with the reason it records when its cause shows, and closed automatically —
with the reason the timeline gives — once the cause is gone; a rule's own judgement, a
refund alone and a shipped order open nothing."""

from __future__ import annotations

import uuid
from decimal import Decimal

from domain.orders.abnormal import Abnormality, AbnormalType
from domain.orders.causes import DETECTED
from domain.orders.payment_records import Refund
from domain.orders.status import OrderStatus
from domain.orders.timeline import RuleRef, SystemReason
from domain.orders.values import Receiver, ShippingAddress
from tests.unit.orders.factory import STAFF, later, line, order, pay, receiver, reviewed

S, A = OrderStatus, AbnormalType
INTAKE = "system:orders"


def _open(made: object) -> list[AbnormalType]:
    return [a.type for a in made.abnormalities]  # type: ignore[attr-defined]


def _marked(made: object, kind: AbnormalType) -> Abnormality:
    return next(a for a in made.abnormalities if a.type is kind)  # type: ignore[attr-defined]


def _resolved_reason(made: object, kind: AbnormalType) -> str | None:
    entries = [
        e
        for e in made.timeline  # type: ignore[attr-defined]
        if e.kind == "abnormal_resolved" and e.detail.get("type") == kind.value
    ]
    return entries[-1].reason if entries else None


def test_an_incomplete_receiver_is_abnormal_until_the_address_is_completed() -> None:
    partial = Receiver("张三", "13800000000", ShippingAddress("浙江省", "杭州市", " ", ""))
    made = reviewed(receiver=partial)
    made.recheck_causes(later(2), INTAKE, DETECTED)  # the intake, once the order is built
    assert made.status is S.ABNORMAL and made.resume_status is S.AWAITING_REVIEW
    found = _marked(made, A.ADDRESS_INCOMPLETE)
    assert (found.note, dict(found.detail)) == ("receiver incomplete", {"missing": "district,line"})
    assert found.rule is None
    made.change_address(receiver("张三", "文三路 1 号"), later(3), STAFF, "buyer sent the rest")
    assert _open(made) == [] and made.status is S.AWAITING_REVIEW
    assert _resolved_reason(made, A.ADDRESS_INCOMPLETE) == SystemReason.ADDRESS_COMPLETED


def test_a_rules_address_mark_stays_for_a_person_to_release() -> None:
    made = reviewed()
    made.mark_abnormal(
        Abnormality(A.ADDRESS_INCOMPLETE, later(2), "自提点", rule=RuleRef("pickup", 1)), INTAKE
    )
    made.change_address(receiver("张三", "文三路 2 号"), later(3), STAFF, "another pick-up point")
    assert _open(made) == [A.ADDRESS_INCOMPLETE]  # the rule judged words, not the figures


def test_an_edit_that_changes_a_paid_total_is_abnormal_until_the_balance_is_settled() -> None:
    first = line(price="100.00")
    made = reviewed(first, line(price="50.00"))
    made.adjust_price(first.id, Decimal("60.00"), later(3), STAFF, "让利")
    found = _marked(made, A.PAID_AMOUNT_MISMATCH)
    assert (found.note, dict(found.detail)) == (
        "paid amount differs from the total",
        {"balance_due": "-40.00"},
    )
    assert made.status is S.ABNORMAL
    refund = Refund(uuid.uuid4(), made.payments[0].id, Decimal("40.00"), "差价退回", later(4))
    made.record_refund(refund, STAFF)
    assert _open(made) == [] and made.status is S.AWAITING_REVIEW
    assert _resolved_reason(made, A.PAID_AMOUNT_MISMATCH) == SystemReason.BALANCE_SETTLED


def test_a_raised_total_is_settled_by_paying_the_difference() -> None:
    made = reviewed()
    made.add_line(line(price="30.00"), later(3), STAFF)
    assert dict(_marked(made, A.PAID_AMOUNT_MISMATCH).detail) == {"balance_due": "30.00"}
    pay(made, "30.00")
    assert _open(made) == [] and made.status is S.AWAITING_REVIEW


def test_a_refund_alone_opens_nothing_and_a_shipped_order_is_not_stopped() -> None:
    made = reviewed()
    refund = Refund(uuid.uuid4(), made.payments[0].id, Decimal("10.00"), "补偿", later(3))
    made.record_refund(refund, STAFF)
    made.recheck_causes(later(3), INTAKE)
    assert _open(made) == [] and made.balance_due == Decimal("10.00")
    for target in (S.APPROVED, S.ALLOCATED, S.PICKING):
        made.move_to(target, later(4), STAFF)
    made.record_shipment({made.lines[0].id: 1}, later(5), STAFF)
    made.recheck_causes(later(6), INTAKE, DETECTED)
    assert _open(made) == [] and made.status is S.SHIPPED


def test_more_paid_than_due_is_abnormal() -> None:
    made = order(line(price="100.00"))
    pay(made, "120.00")
    made.recheck_causes(later(2), INTAKE, DETECTED)
    assert dict(_marked(made, A.PAID_AMOUNT_MISMATCH).detail) == {"balance_due": "-20.00"}


def test_unpaid_too_long_closes_once_paid() -> None:
    made = order(line(price="100.00"))
    rule = RuleRef("unpaid", 2)
    made.mark_abnormal(Abnormality(A.UNPAID_TOO_LONG, later(1), "未付款", rule=rule), INTAKE)
    assert made.status is S.ABNORMAL and made.resume_status is S.PENDING_PAYMENT
    pay(made, "60.00")
    assert _open(made) == [A.UNPAID_TOO_LONG]  # still owed 40
    pay(made, "40.00")
    assert _open(made) == [] and made.status is S.PAID
    assert _resolved_reason(made, A.UNPAID_TOO_LONG) == SystemReason.FULLY_PAID


def test_a_refund_request_withdrawn_closes_its_abnormality() -> None:
    made = reviewed()
    made.set_refund_requested(True, later(2), INTAKE)
    made.mark_abnormal(Abnormality(A.REFUND_REQUESTED, later(2), "refund requested"), INTAKE)
    made.set_refund_requested(False, later(3), INTAKE)
    assert _open(made) == [] and made.status is S.AWAITING_REVIEW
    assert _resolved_reason(made, A.REFUND_REQUESTED) == SystemReason.REFUND_WITHDRAWN
