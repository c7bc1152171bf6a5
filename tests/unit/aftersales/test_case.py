"""The after-sales case (ORD-6): what it may claim of its order, receipts counted per line
(partial ones too), refunds exact to the fen, never above the amount agreed and once per
key, and every step on the timeline with its actor and reason."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from domain.aftersales.case import AftersalesCase, ReceiptRefused, RefundRefused, Sold
from domain.aftersales.flows import CaseKind, CaseStatus, CaseTransitionRefused
from domain.aftersales.records import CaseRefund, ReceivedUnits, ReturnReason
from domain.shared.errors import ValidationFailed
from tests.unit.orders.factory import AT, SKU_A, later

LINE = uuid.uuid4()
SOLD = [Sold(LINE, SKU_A, 3)]
PAYMENT = uuid.uuid4()


def case(
    kind: CaseKind = CaseKind.RETURN_REFUND,
    units: int = 2,
    refund: str = "20.00",
    claimed: dict[uuid.UUID, int] | None = None,
) -> AftersalesCase:
    return AftersalesCase.open(
        case_id=uuid.uuid4(),
        order_id=uuid.uuid4(),
        kind=kind,
        currency="CNY",
        reason=ReturnReason.QUALITY_ISSUE,
        reason_text=" 开线 ",
        evidence=["照片", " "],
        tracking_no=None,
        refund_amount=Decimal(refund),
        paid=Decimal("30.00"),
        requested=[(LINE, units)] if units else [],
        sold=SOLD,
        claimed=claimed or {},
        actor="user:cs",
        at=AT,
    )


def refund(amount: str, key: str) -> CaseRefund:
    return CaseRefund(uuid.uuid4(), PAYMENT, Decimal(amount), key, "user:finance", later(9))


def test_a_case_claims_no_more_than_was_sold_less_earlier_cases() -> None:
    with pytest.raises(ValidationFailed) as refused:
        case(units=2, claimed={LINE: 2})
    assert refused.value.errors[0].code == "more_than_returnable"
    assert refused.value.errors[0].params == {"returnable": 1}
    assert case(units=1, claimed={LINE: 2}).lines[0].quantity == 1
    with pytest.raises(ValidationFailed):
        case(kind=CaseKind.EXCHANGE, units=0, refund="0.00")  # an exchange names lines
    with pytest.raises(ValidationFailed) as refused:
        case(refund="30.01")
    assert refused.value.errors[0].code == "more_than_paid"
    with pytest.raises(ValidationFailed):
        case(kind=CaseKind.RESEND, refund="1.00")  # a resend refunds nothing
    opened = case()
    assert opened.reason_text == "开线" and opened.evidence == ("照片",)
    rejected = case()
    rejected.reject(later(1), "user:cs", "超过七天")
    assert rejected.claimed_units() == {}  # a rejected case frees its units


def test_partial_receipts_count_per_line_and_never_more_than_expected() -> None:
    made = case()
    made.approve(later(1), "user:cs", None)
    assert made.status is CaseStatus.AWAITING_RETURN
    made.receive([ReceivedUnits(1, resellable=1)], later(2), "user:wh")
    assert made.status is CaseStatus.PARTLY_RECEIVED and made.lines[0].outstanding == 1
    with pytest.raises(ReceiptRefused):
        made.receive([ReceivedUnits(1, damaged=2)], later(3), "user:wh")
    made.receive([ReceivedUnits(1, damaged=1)], later(3), "user:wh")
    assert made.status is CaseStatus.RECEIVED
    assert (made.lines[0].resellable, made.lines[0].damaged) == (1, 1)
    with pytest.raises(CaseTransitionRefused):
        made.receive([ReceivedUnits(1, resellable=1)], later(4), "user:wh")


def test_refunds_exact_to_the_fen_within_the_agreed_amount_once_per_key() -> None:
    made = case(refund="20.01")
    made.approve(later(1), "user:cs", None)
    with pytest.raises(CaseTransitionRefused):  # not before the inspection
        made.record_refund(refund("1.00", "K0"))
    made.receive([ReceivedUnits(1, resellable=2)], later(2), "user:wh")
    made.inspect(later(3), "user:wh", "完好")
    with pytest.raises(ValidationFailed):
        made.record_refund(refund("0.001", "K1"))
    assert made.record_refund(refund("20.00", "K1"))
    assert not made.record_refund(refund("20.00", "K1"))  # the same key: nothing
    with pytest.raises(RefundRefused):
        made.record_refund(refund("0.02", "K2"))
    assert made.status is CaseStatus.INSPECTED and made.refunded == Decimal("20.00")
    assert made.record_refund(refund("0.01", "K3"))
    assert made.status is CaseStatus.REFUNDED and made.refunded == Decimal("20.01")
    made.complete(later(10), "user:cs", None)
    steps = [(e.action, e.status.value, e.actor) for e in made.timeline]
    assert steps == [
        ("opened", "review", "user:cs"),
        ("approved", "approved", "user:cs"),
        ("awaiting_return", "awaiting_return", "user:cs"),
        ("received", "received", "user:wh"),
        ("inspected", "inspected", "user:wh"),
        ("refund_recorded", "inspected", "user:finance"),
        ("refunded", "refunded", "user:finance"),
        ("completed", "completed", "user:cs"),
    ]
    assert made.timeline[4].reason == "完好"
