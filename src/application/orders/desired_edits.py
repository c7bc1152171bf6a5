"""An edit given as the order wanted (ORD-2): the receiver and each line's quantity as they
should be, turned into the edits ``EditOrder`` applies — only what differs from the order
as it stands, so a form sent back unchanged is no edit at all and writes nothing (as an
``EditOrder`` with no edits). Whether the edits are allowed stays the use case's."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from application.orders.lifecycle import ChangeAddress, ChangeQuantity, Edit
from domain.orders.order import Order
from domain.orders.values import Receiver


def edits_towards(
    order: Order, receiver: Receiver, quantities: Mapping[UUID, int]
) -> tuple[Edit, ...]:
    """The receiver when it differs, then each quantity that differs, in the order
    given; a quantity for a line the order does not have is handed on, for the use case
    to refuse as it would any edit of an unknown line (404 ``order_line``)."""
    found: list[Edit] = []
    if receiver != order.receiver:
        found.append(ChangeAddress(receiver))
    known = {line.id: line.quantity for line in order.lines}
    for line_id, quantity in quantities.items():
        if known.get(line_id) != quantity:
            found.append(ChangeQuantity(line_id, quantity))
    return tuple(found)
