"""Hypothesis strategies for orders: lines with discounts and tax, payments and refunds."""

from __future__ import annotations

import uuid
from decimal import Decimal

from hypothesis import strategies as st

from domain.orders.lines import Discount, OrderLine
from domain.orders.order import Order
from domain.orders.payment_records import Payment, PaymentMethod, Refund
from tests.unit.orders.factory import CHANNEL, later, order

FEN = Decimal("0.01")
cents = st.integers(min_value=0, max_value=99_999).map(lambda n: Decimal(n) * FEN)


@st.composite
def lines(draw: st.DrawFn, index: int) -> OrderLine:
    quantity = draw(st.integers(1, 6))
    price = draw(cents)
    gross_cents = int(price * quantity / FEN)
    discount_cents = draw(st.integers(0, gross_cents))
    discounts = (
        (Discount(Decimal(discount_cents) * FEN, "promotion:p1", "满减"),) if discount_cents else ()
    )
    return OrderLine(
        id=uuid.uuid4(),
        sku_id=uuid.UUID(int=draw(st.integers(1, 4))),
        quantity=quantity,
        unit_price=price,
        discounts=discounts,
        tax=draw(cents),
        platform_order_id=f"TB{index}",
        platform_sub_order_id=f"TB{index}-{draw(st.integers(1, 99))}",
        unit_weight_grams=draw(st.integers(0, 3000)),
        presale=draw(st.booleans()),
    )


@st.composite
def orders(draw: st.DrawFn, index: int = 0, *, paid: bool = True) -> Order:
    made = order(
        *draw(st.lists(lines(index), min_size=1, max_size=4)),
        shipping=str(draw(cents)),
        number=f"SO2026111{index:04d}",
        platform_order_ids=[f"TB{index}"],
        channel_id=CHANNEL,
    )
    if paid:
        total_cents = int(made.total / FEN)
        first = draw(st.integers(0, total_cents))
        for n, amount in enumerate((first, total_cents - first)):
            if amount:
                made.record_payment(
                    Payment(
                        uuid.uuid4(),
                        PaymentMethod.ALIPAY,
                        Decimal(amount) * FEN,
                        later(1),
                        f"{index}-T{n}",
                    ),
                    "channel:tmall",
                )
        if made.payments and draw(st.booleans()):
            payment = made.payments[0]
            back = draw(st.integers(1, int(payment.amount / FEN)))
            made.record_refund(
                Refund(uuid.uuid4(), payment.id, Decimal(back) * FEN, "部分退款", later(2)),
                "channel:tmall",
            )
    made.stock_reserved()
    made.pull_events()
    return made
