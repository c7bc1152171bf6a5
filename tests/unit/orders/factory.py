"""Small builders for orders in unit tests: one worked example per helper, overridable."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.orders.lines import Discount, OrderLine
from domain.orders.order import Order
from domain.orders.payment_records import Payment, PaymentMethod
from domain.orders.values import OrderNumber, Receiver, ShippingAddress

AT = datetime(2026, 11, 11, 0, 5, tzinfo=UTC)
STAFF = "user:staff"
SKU_A = UUID("00000000-0000-0000-0000-00000000000a")
SKU_B = UUID("00000000-0000-0000-0000-00000000000b")
CUSTOMER = UUID("00000000-0000-0000-0000-0000000000c1")
CHANNEL = UUID("00000000-0000-0000-0000-0000000000d1")


def later(minutes: int) -> datetime:
    return AT + timedelta(minutes=minutes)


def receiver(name: str = "张三", line: str = "文三路 100 号") -> Receiver:
    return Receiver(name, "+86 13800000000", ShippingAddress("浙江省", "杭州市", "西湖区", line))


def line(
    sku: UUID = SKU_A,
    quantity: int = 1,
    price: str = "100.00",
    *,
    discount: str | None = None,
    tax: str = "0.00",
    **fields: Any,
) -> OrderLine:
    discounts = (Discount(Decimal(discount), "promotion:d11", "双11 满减"),) if discount else ()
    return OrderLine(
        id=fields.pop("id", uuid.uuid4()),
        sku_id=sku,
        quantity=quantity,
        unit_price=Decimal(price),
        discounts=discounts,
        tax=Decimal(tax),
        **fields,
    )


def order(
    *lines: OrderLine, shipping: str = "0.00", number: str = "SO20261111001", **fields: Any
) -> Order:
    fields.setdefault("customer_id", CUSTOMER)
    fields.setdefault("channel_id", CHANNEL)
    made = Order.create(
        order_id=fields.pop("order_id", uuid.uuid4()),
        number=OrderNumber(number),
        currency=fields.pop("currency", "CNY"),
        lines=lines or (line(),),
        receiver=fields.pop("receiver", receiver()),
        placed_at=fields.pop("placed_at", AT),
        actor=STAFF,
        shipping_fee=Decimal(shipping),
        **fields,
    )
    made.pull_events()
    return made


def pay(target: Order, amount: str | None = None, txn: str | None = None) -> Payment:
    payment = Payment(
        uuid.uuid4(),
        PaymentMethod.PLATFORM,
        Decimal(amount) if amount is not None else target.total,
        later(1),
        txn,
    )
    target.record_payment(payment, "channel:tmall")
    return payment


def paid_order(*lines: OrderLine, **fields: Any) -> Order:
    made = order(*lines, **fields)
    pay(made)
    return made


def reviewed(*lines: OrderLine, **fields: Any) -> Order:
    """Paid and waiting for review (待审核)."""
    made = paid_order(*lines, **fields)
    made.move_to(made.status.AWAITING_REVIEW, later(2), "rule_engine")
    return made
