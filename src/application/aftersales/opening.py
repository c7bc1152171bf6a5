"""Opening a case (ORD-6): an order, a kind, lines and quantities, a reason from the list
with free text, evidence notes, the return parcel's tracking number and, for the kinds
that refund, the amount agreed (by default the named lines' value, or what the order's
payments hold for a refund without lines).

The order's cases are locked while the new one is checked, so two cases opened at once
never claim more of a line than was sold.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from application.aftersales.common import store_of
from application.orders.ports import ORDERS
from application.shared.use_case import Command, Work
from domain.aftersales.case import ENTITY, AftersalesCase, Sold
from domain.aftersales.flows import CaseKind
from domain.aftersales.permissions import AFTERSALES_WRITE
from domain.aftersales.records import ReturnReason
from domain.orders.order import Order
from domain.orders.status import OrderStatus
from domain.orders.values import ZERO
from domain.shared.errors import NotFound, ValidationFailed
from domain.shared.money import quantum


class OpenCase(
    Command[AftersalesCase],
    action="aftersales_case.create",
    entity=ENTITY,
    permission=AFTERSALES_WRITE,
):
    order_id: UUID
    kind: CaseKind
    reason: ReturnReason
    lines: tuple[tuple[UUID, int], ...] = ()  # (order line id, quantity)
    reason_text: str | None = None
    evidence: tuple[str, ...] = ()
    tracking_no: str | None = None
    refund_amount: Decimal | None = None


def lines_value(order: Order, lines: Sequence[tuple[UUID, int]]) -> Decimal:
    """What the named units were paid: each line's net amount by its share of units."""
    value = ZERO
    for line_id, quantity in lines:
        line = order.line(line_id)
        if line is not None and 0 < quantity <= line.quantity:
            value += line.net * quantity / line.quantity
    return value.quantize(quantum(order.currency), ROUND_HALF_UP)


def sold_of(order: Order) -> list[Sold]:
    """The order's lines as a case sees them."""
    return [Sold(line.id, line.sku_id, line.quantity) for line in order.lines]


def _agreed(command: OpenCase, order: Order) -> Decimal:
    if command.refund_amount is not None:
        return command.refund_amount
    if not command.kind.refunds:
        return ZERO
    if command.lines:
        return min(lines_value(order, command.lines), order.paid_amount)
    return order.paid_amount


class OpenCaseHandler:
    async def handle(self, command: OpenCase, work: Work) -> AftersalesCase:
        stored = await work.uow.of(ORDERS).orders.get(command.order_id)
        if stored is None:
            raise NotFound(entity="order")
        order = stored.order
        if order.status in (OrderStatus.PENDING_PAYMENT, OrderStatus.CANCELLED) or order.retired:
            raise ValidationFailed.single("orderId", "order_not_served", status=order.status.value)
        earlier = await store_of(work.uow).cases.of_order(order.id, for_update=True)
        claimed: dict[UUID, int] = {}
        for case in earlier:
            for line_id, units in case.claimed_units().items():
                claimed[line_id] = claimed.get(line_id, 0) + units
        case = AftersalesCase.open(
            case_id=work.ids.new_id(),
            order_id=order.id,
            kind=command.kind,
            currency=order.currency,
            reason=command.reason,
            reason_text=command.reason_text,
            evidence=command.evidence,
            tracking_no=command.tracking_no,
            refund_amount=_agreed(command, order),
            paid=order.paid_amount,
            requested=command.lines,
            sold=sold_of(order),
            claimed=claimed,
            actor=work.ctx.actor.label,
            at=work.clock.now(),
        )
        await store_of(work.uow).cases.add(case)
        work.audit(
            case.id,
            {},
            case.snapshot(),
            detail={"order": str(order.id), "kind": case.kind.value, "lines": len(case.lines)},
        )
        work.publish(case)
        return case
