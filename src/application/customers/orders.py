"""A customer's orders on their profile (CRM-1): how many, what they came to and paid, the
first and the last, and their orders a page at a time, newest first.

The figures are the orders module's, read through its published port (``uow.of(ORDERS)``:
``customer_totals`` and ``page``) in the same read: the customers module never sees an
orders table. Orders merged or split away are left out (the merged order or the parts
stand for them); cancelled orders are listed but not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from application.customers.common import load_customer
from application.orders.ports import ORDERS, CustomerTotals, OrderFilter, OrderPosition
from application.shared.pagination import (
    Page,
    clamp_limit,
    page_of,
    time_and_id,
    time_and_id_after,
)
from application.shared.use_case import Query, Reading
from domain.customers.customer import ENTITY
from domain.customers.permissions import CUSTOMERS_READ
from domain.orders.order import Order


@dataclass(frozen=True)
class CustomerOrder:
    """One order as a profile lists it."""

    id: UUID
    number: str
    status: str
    channel_id: UUID | None
    currency: str
    total: Decimal
    paid_amount: Decimal
    placed_at: datetime
    paid_at: datetime | None


@dataclass(frozen=True)
class CustomerOrders:
    customer_id: UUID
    totals: CustomerTotals
    last_order: CustomerOrder | None  # the newest order, whatever the page
    recent: Page[CustomerOrder]


class GetCustomerOrders(Query[CustomerOrders], entity=ENTITY, permission=CUSTOMERS_READ):
    """404 for a customer the company does not have (or has erased)."""

    customer_id: UUID
    cursor: str | None = None
    limit: int | None = None


def listed(order: Order) -> CustomerOrder:
    return CustomerOrder(
        id=order.id,
        number=str(order.number),
        status=order.status.value,
        channel_id=order.channel_id,
        currency=order.currency,
        total=order.total,
        paid_amount=order.paid_amount,
        placed_at=order.placed_at,
        paid_at=order.paid_at,
    )


class GetCustomerOrdersHandler:
    async def handle(self, query: GetCustomerOrders, reading: Reading) -> CustomerOrders:
        size, after = clamp_limit(query.limit), time_and_id_after(query.cursor)
        customer = await load_customer(reading.uow, query.customer_id)
        orders = reading.uow.of(ORDERS).orders
        theirs = OrderFilter(customer_id=customer.id, live=True)
        position = OrderPosition(*after) if after else None
        rows = [s.order for s in await orders.page(theirs, position, size + 1)]
        recent = page_of(rows, size, lambda o: time_and_id(o.placed_at, o.id))
        newest = rows[:1] if position is None else await _newest(reading, theirs)
        return CustomerOrders(
            customer_id=customer.id,
            totals=await orders.customer_totals(customer.id),
            last_order=listed(newest[0]) if newest else None,
            recent=Page([listed(o) for o in recent.items], recent.next_cursor),
        )


async def _newest(reading: Reading, theirs: OrderFilter) -> list[Order]:
    return [s.order for s in await reading.uow.of(ORDERS).orders.page(theirs, None, 1)]
