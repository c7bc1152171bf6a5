"""The order aggregate: creation, totals to the fen, payments and refunds (ORD-1, ORD-3)."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from hypothesis import given, settings

from domain.orders.errors import PaymentRefused
from domain.orders.lines import Discount
from domain.orders.order import Order
from domain.orders.payment_records import Payment, PaymentMethod, Refund
from domain.orders.status import OrderStatus
from domain.orders.values import InvoiceKind, InvoiceRequest, OrderNumber
from domain.shared.errors import ValidationFailed
from tests.reliability.figures import figure
from tests.unit.orders.factory import AT, STAFF, later, line, order, pay
from tests.unit.orders.strategies import orders

S = OrderStatus


def test_totals_are_lines_less_discounts_plus_tax_and_shipping_to_the_fen() -> None:
    made = order(
        line(quantity=3, price="33.33", discount="10.00", tax="1.30"),
        line(quantity=1, price="0.01"),
        shipping="8.00",
    )
    assert made.goods_total == Decimal("100.00")  # 99.99 + 0.01
    assert made.discount_total == Decimal("10.00")
    assert made.tax_total == Decimal("1.30")
    assert made.total == Decimal("99.30")
    assert made.balance_due == Decimal("99.30")


def test_creation_records_the_created_event_and_timeline() -> None:
    created = order()
    assert created.status is S.PENDING_PAYMENT
    assert [e.kind for e in created.timeline] == ["created"]
    assert created.timeline[0].actor == STAFF
    assert created.version == 1


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("0.001", "amount_not_in_minor_unit"),
        ("-1.00", "amount_negative"),
        ("NaN", "invalid_amount"),
    ],
)
def test_amounts_not_exact_to_the_fen_are_refused_never_rounded(amount: str, code: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        order(line(price=amount))
    assert caught.value.errors[0].code == code


def test_yen_has_no_minor_unit() -> None:
    with pytest.raises(ValidationFailed):
        order(line(price="100.50"), currency="JPY")
    assert order(line(price="100"), currency="JPY").total == Decimal(100)


def test_a_discount_must_say_where_it_comes_from_and_may_not_exceed_the_price() -> None:
    with pytest.raises(ValidationFailed) as caught:
        order(line(price="10.00", discount="10.01"))
    assert caught.value.errors[0].code == "discount_above_price"
    unexplained = line().__class__(
        id=uuid.uuid4(),
        sku_id=uuid.uuid4(),
        quantity=1,
        unit_price=Decimal("5.00"),
        discounts=(Discount(Decimal("1.00"), "coupon:X1", " "),),
    )
    with pytest.raises(ValidationFailed) as caught:
        order(unexplained)
    assert caught.value.errors[0].field == "lines[0].discounts[0].reason"


def test_order_needs_a_line_and_a_valid_number() -> None:
    with pytest.raises(ValidationFailed):
        OrderNumber("so-1")
    assert OrderNumber("SO20261111001").part(2).value == "SO20261111001-2"


def test_company_invoice_needs_a_tax_number() -> None:
    with pytest.raises(ValidationFailed):
        InvoiceRequest(InvoiceKind.COMPANY, "杭州某某有限公司")
    assert InvoiceRequest(InvoiceKind.PERSONAL, "个人").tax_number is None


def test_partial_payments_make_the_order_paid_once_covered() -> None:
    made = order(line(quantity=2, price="50.00"))
    pay(made, "30.00", "T1")
    assert made.status is S.PENDING_PAYMENT
    assert made.balance_due == Decimal("70.00")
    pay(made, "70.00", "T2")
    assert made.status is S.PAID
    assert made.paid_at == later(1)
    assert [e.event_type for e in made.pull_events()] == [
        "order.payment_recorded",
        "order.payment_recorded",
        "order.status_changed",
    ]


def test_the_same_platform_transaction_is_recorded_once() -> None:
    made = order()
    pay(made, "10.00", "T1")
    assert not made.record_payment(
        Payment(uuid.uuid4(), PaymentMethod.PLATFORM, Decimal("10.00"), AT, "T1"), "channel:x"
    )
    assert made.paid_amount == Decimal("10.00")


def test_a_refund_returns_money_of_the_payment_it_names() -> None:
    made = order(line(quantity=2, price="50.00"))
    first = pay(made, "60.00", "T1")
    second = pay(made, "40.00", "T2")
    made.record_refund(Refund(uuid.uuid4(), second.id, Decimal("40.00"), "缺货退款", AT), STAFF)
    with pytest.raises(PaymentRefused) as caught:
        made.record_refund(Refund(uuid.uuid4(), second.id, Decimal("0.01"), "again", AT), STAFF)
    assert caught.value.params["reason"] == "more_than_payment_holds"
    assert made.paid_amount == Decimal("60.00")
    assert made.refundable() == Decimal("60.00")
    assert first.id in {p.id for p in made.payments}


def test_no_refund_for_goods_already_shipped() -> None:
    shipped_line = line(quantity=2, price="50.00")
    made = order(shipped_line)
    payment = pay(made)
    for target in (S.AWAITING_REVIEW, S.APPROVED, S.ALLOCATED, S.PICKING):
        made.move_to(target, later(3), STAFF)
    made.record_shipment({shipped_line.id: 1}, later(4), "user:warehouse")
    assert made.status is S.PARTLY_SHIPPED
    assert made.refundable() == Decimal("50.00")
    with pytest.raises(PaymentRefused) as caught:
        made.record_refund(Refund(uuid.uuid4(), payment.id, Decimal("50.01"), "x", AT), STAFF)
    assert caught.value.params["reason"] == "goods_already_shipped"
    made.record_shipment({shipped_line.id: 1}, later(5), "user:warehouse")
    assert made.status is S.SHIPPED
    assert made.refundable() == Decimal("0.00")


def test_payment_on_a_cancelled_order_is_refused() -> None:
    made = order()
    made.cancel(later(1), STAFF, "buyer changed their mind")
    with pytest.raises(PaymentRefused):
        pay(made)


@settings(max_examples=200, deadline=None)
@given(orders(paid=False))
def test_totals_equal_the_sum_of_lines_to_the_fen(made: Order) -> None:
    by_hand = sum(
        (x.unit_price * x.quantity - sum((d.amount for d in x.discounts), Decimal(0)) + x.tax)
        for x in made.lines
    )
    exact = isinstance(made.total, Decimal) and made.total.as_tuple().exponent == -2
    figure("R10", "orders generated", 1)
    figure("R10", "unbalanced order totals", int(made.total != by_hand + made.shipping_fee), 0)
    figure("R10", "float or inexact totals", int(not exact), 0)
    assert made.total == by_hand + made.shipping_fee
    assert made.total.as_tuple().exponent == -2  # exact to the fen, never more places
    assert made.balance_due == made.total
