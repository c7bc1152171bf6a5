"""The order's state machine (ORD-1): one transition table; everything else asks it.

    pending_payment → paid → awaiting_review → approved → allocated → picking
        → partly_shipped → shipped → delivered → completed
    plus held, abnormal (both return to the status they interrupted), cancelled (final)
    and after_sales (from shipment on).

A move not in ``TRANSITIONS`` is refused with ``order_transition_refused`` naming both
statuses. Two moves carry a guard the aggregate checks: pending_payment → awaiting_review
only for cash on delivery, and leaving held or abnormal only back to where the order was.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from domain.orders.errors import TransitionRefused


class OrderStatus(StrEnum):
    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    AWAITING_REVIEW = "awaiting_review"  # 待审核
    APPROVED = "approved"
    ALLOCATED = "allocated"  # 配货: stock assigned to a warehouse
    PICKING = "picking"
    PARTLY_SHIPPED = "partly_shipped"
    SHIPPED = "shipped"
    DELIVERED = "delivered"  # signed for
    COMPLETED = "completed"
    HELD = "held"
    ABNORMAL = "abnormal"
    CANCELLED = "cancelled"
    AFTER_SALES = "after_sales"


S = OrderStatus

# The statuses held and abnormal interrupt, and return to when released.
INTERRUPTIBLE: frozenset[OrderStatus] = frozenset(
    {S.PENDING_PAYMENT, S.PAID, S.AWAITING_REVIEW, S.APPROVED, S.ALLOCATED, S.PICKING}
)

TRANSITIONS: Mapping[OrderStatus, frozenset[OrderStatus]] = {
    S.PENDING_PAYMENT: frozenset({S.PAID, S.AWAITING_REVIEW, S.HELD, S.ABNORMAL, S.CANCELLED}),
    S.PAID: frozenset({S.AWAITING_REVIEW, S.HELD, S.ABNORMAL, S.CANCELLED}),
    S.AWAITING_REVIEW: frozenset({S.APPROVED, S.HELD, S.ABNORMAL, S.CANCELLED}),
    # approved → awaiting_review is 反审核 (an edit or a second look sends it back)
    S.APPROVED: frozenset({S.ALLOCATED, S.AWAITING_REVIEW, S.HELD, S.ABNORMAL, S.CANCELLED}),
    # allocated → approved gives the allocation back; → awaiting_review after an edit
    S.ALLOCATED: frozenset(
        {S.PICKING, S.APPROVED, S.AWAITING_REVIEW, S.HELD, S.ABNORMAL, S.CANCELLED}
    ),
    # cancelling while picking is an interception; the warehouse puts the goods back
    S.PICKING: frozenset({S.PARTLY_SHIPPED, S.SHIPPED, S.HELD, S.ABNORMAL, S.CANCELLED}),
    S.PARTLY_SHIPPED: frozenset({S.SHIPPED, S.AFTER_SALES}),
    S.SHIPPED: frozenset({S.DELIVERED, S.AFTER_SALES}),
    S.DELIVERED: frozenset({S.COMPLETED, S.AFTER_SALES}),
    S.COMPLETED: frozenset({S.AFTER_SALES}),
    S.AFTER_SALES: frozenset({S.COMPLETED}),
    S.HELD: INTERRUPTIBLE | {S.ABNORMAL, S.CANCELLED},
    S.ABNORMAL: INTERRUPTIBLE | {S.HELD, S.CANCELLED},
    S.CANCELLED: frozenset(),
}

# Goods have left (or are leaving) the warehouse: no more edits, merges or splits.
SHIPPED_OR_LATER: frozenset[OrderStatus] = frozenset(
    {S.PARTLY_SHIPPED, S.SHIPPED, S.DELIVERED, S.COMPLETED, S.AFTER_SALES}
)
FINAL: frozenset[OrderStatus] = frozenset({S.CANCELLED})


def check_transition(current: OrderStatus, target: OrderStatus) -> None:
    if target not in TRANSITIONS[current]:
        raise TransitionRefused(from_status=current.value, to_status=target.value)


def is_allowed(current: OrderStatus, target: OrderStatus) -> bool:
    return target in TRANSITIONS[current]
