"""What a person may do to an order now (ORD-1..ORD-5), as the order's own state allows
it — whether their role may is the caller's to add (the console shows a button only when
both hold; the use case still decides and refuses in its own words).

Each answer follows the operation it stands for: approve from awaiting review; hold an
order not held that a hold may interrupt; release a hold; record a payment while money is
owed on a live order; edit while ``editable``; split by lines (at least two lines) in a
splittable status with no refund pending; merge when the order's own merge conditions
hold; unmerge a merged order not yet picked; rejoin the parts of a split original;
resolve an open abnormality. A retired order (split or merged away) allows only rejoin.
"""

from __future__ import annotations

from enum import StrEnum

from domain.orders.merge import UNMERGEABLE, may_merge
from domain.orders.split import SPLITTABLE
from domain.orders.state import OrderState
from domain.orders.status import INTERRUPTIBLE, OrderStatus


class OrderAction(StrEnum):
    APPROVE = "approve"
    HOLD = "hold"
    RELEASE = "release"
    PAY = "pay"
    EDIT = "edit"
    SPLIT = "split"
    MERGE = "merge"
    UNMERGE = "unmerge"
    REJOIN = "rejoin"
    RESOLVE_ABNORMAL = "resolve_abnormal"


A = OrderAction


def allowed_actions(order: OrderState, *, merged: bool) -> frozenset[OrderAction]:
    """``merged``: the order was made by merging others (its store keeps their ids)."""
    if order.retired:
        return frozenset({A.REJOIN}) if order.split_into else frozenset()
    status = order.status
    checks = {
        A.APPROVE: status is OrderStatus.AWAITING_REVIEW,
        A.HOLD: order.hold is None and status in INTERRUPTIBLE | {OrderStatus.ABNORMAL},
        A.RELEASE: order.hold is not None,
        A.PAY: status is not OrderStatus.CANCELLED and order.balance_due > 0,
        A.EDIT: order.editable,
        A.SPLIT: status in SPLITTABLE and not order.refund_requested and len(order.lines) > 1,
        A.MERGE: may_merge(order),
        A.UNMERGE: merged and status in UNMERGEABLE,
        A.RESOLVE_ABNORMAL: bool(order.abnormalities),
    }
    return frozenset(action for action, allowed in checks.items() if allowed)
