"""Channel refund statuses (ORD-6, CHN-2): when a channel's order says a refund was
requested (or made) on the platform — the orders' intake records it on the order from a
re-pulled page — an after-sales case is opened for it, or the order's open refund case
notes the channel's status.

When the platform refunded, its refunds (recorded on the order by the intake) are the
open refund-only case's refunds: the case is approved if still in review, the refunds are
recorded on it (up to the amount agreed, each once, not told back to the platform) and it
reaches refunded, for a person to complete.

Run by the worker for the orders' events (``order.refund_requested``,
``order.refund_recorded``) and idempotent: the status is read from the order itself, a
status already noted writes nothing, and a case is opened once.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from application.aftersales.common import store_of
from application.aftersales.opening import sold_of
from application.orders.ports import ORDERS
from application.shared.use_case import Command, Work
from domain.aftersales.case import ENTITY, PLATFORM_KEY, AftersalesCase
from domain.aftersales.flows import FINAL, CaseKind, CaseStatus
from domain.aftersales.permissions import AFTERSALES_WRITE
from domain.aftersales.records import CaseRefund, ReturnReason
from domain.orders.order import Order
from domain.orders.payment_records import PaymentMethod, Refund
from domain.orders.values import ZERO
from domain.shared.errors import NotFound

REQUESTED, REFUNDED = "requested", "refunded"


class SyncChannelRefund(
    Command[AftersalesCase | None],
    action="aftersales_case.channel_refund",
    entity=ENTITY,
    permission=AFTERSALES_WRITE,
    target="order_id",
):
    order_id: UUID


def channel_status(order: Order) -> str | None:
    """What the platform said of the order's refund: refunded once its platform payments
    are refunded whole, requested while the request stands, else nothing."""
    if order.channel_id is None or not order.refund_requested:
        return None
    platform = [p for p in order.payments if p.method is PaymentMethod.PLATFORM]
    returned = {p.id: ZERO for p in platform}
    for refund in order.refunds:
        if refund.payment_id in returned:
            returned[refund.payment_id] += refund.amount
    if platform and all(returned[p.id] >= p.amount for p in platform):
        return REFUNDED
    return REQUESTED


class SyncChannelRefundHandler:
    async def handle(self, command: SyncChannelRefund, work: Work) -> AftersalesCase | None:
        stored = await work.uow.of(ORDERS).orders.get(command.order_id)
        if stored is None:
            raise NotFound(entity="order")
        order = stored.order
        status = channel_status(order)
        if status is None:
            return None
        cases = store_of(work.uow).cases
        now, actor = work.clock.now(), work.ctx.actor.label
        every = await cases.of_order(order.id, for_update=True)
        own = {r.id for c in every for r in c.refunds}  # the cases' refunds, by the order's id
        open_cases = [c for c in every if c.kind.refunds and c.status not in FINAL]
        if open_cases:
            case = open_cases[0]
            before, read_version = case.snapshot(), case.version
            case.note_channel_refund(status, now, actor)
            if status == REFUNDED:
                _platform_refunds(case, order, own, actor, now)
            if case.version == read_version:
                return case
            await cases.save(case, read_version)
            work.audit(case.id, before, case.snapshot(), detail={"channel": status})
        else:
            # what the buyer paid before the platform's own refunds, if it made any
            paid = order.paid_amount + sum((r.amount for r in _by_platform(order, own)), ZERO)
            case = AftersalesCase.open(
                case_id=work.ids.new_id(),
                order_id=order.id,
                kind=CaseKind.REFUND_ONLY,
                currency=order.currency,
                reason=ReturnReason.OTHER,
                reason_text="refund requested on the channel",
                evidence=(),
                tracking_no=None,
                refund_amount=paid,
                paid=paid,
                requested=(),
                sold=sold_of(order),
                claimed={},
                actor=actor,
                at=now,
            )
            case.note_channel_refund(status, now, actor)
            if status == REFUNDED:
                _platform_refunds(case, order, own, actor, now)
            await cases.add(case)
            work.audit(case.id, {}, case.snapshot(), detail={"channel": status})
        work.publish(case)
        return case


def _by_platform(order: Order, own: set[UUID]) -> list[Refund]:
    """The order's refunds of its platform payments that are no case's own."""
    platform = {p.id for p in order.payments if p.method is PaymentMethod.PLATFORM}
    return [r for r in order.refunds if r.payment_id in platform and r.id not in own]


def _platform_refunds(
    case: AftersalesCase, order: Order, own: set[UUID], actor: str, at: datetime
) -> None:
    """The platform's refunds recorded on a refund-only case, approved first if still in
    review; each once (its key names the order's refund), never above what the case
    agreed."""
    if case.kind is not CaseKind.REFUND_ONLY:
        return
    for refund in _by_platform(order, own):
        room = case.refund_amount - case.refunded
        if room <= ZERO:
            return
        if case.status is CaseStatus.REVIEW:
            case.approve(at, actor, "refunded on the platform")
        amount = min(refund.amount, room)
        case.record_refund(
            CaseRefund(
                refund.id, refund.payment_id, amount, f"{PLATFORM_KEY}{refund.id}", actor, at
            )
        )
