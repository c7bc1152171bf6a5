"""A case's steps along its kind's flow (ORD-6): approve (an exchange or a resend places
its order then), reject, inspect, complete, the return parcel's tracking number.

Approving an exchange places the replacement order through orders' port, held until the
returned goods arrive — or released at once when the tenant ships exchanges first
(``AftersalesSettings.ship_exchange_first``); approving a resend places a zero-amount order
of the case's lines at the merchant's cost. Either is in the approval's transaction: no
stock, no approval.
"""

from __future__ import annotations

from uuid import UUID

from application.aftersales.common import changed, store_of
from application.orders.ports import AftersalesOrders, Replacement, ReplacementLine
from application.shared.use_case import Command, Work
from domain.aftersales.case import ENTITY, AftersalesCase
from domain.aftersales.flows import CaseKind
from domain.aftersales.permissions import AFTERSALES_WRITE


class ApproveCase(
    Command[AftersalesCase],
    action="aftersales_case.approve",
    entity=ENTITY,
    permission=AFTERSALES_WRITE,
    target="case_id",
):
    case_id: UUID
    expected_version: int | None
    reason: str | None = None


class RejectCase(
    Command[AftersalesCase],
    action="aftersales_case.reject",
    entity=ENTITY,
    permission=AFTERSALES_WRITE,
    target="case_id",
):
    case_id: UUID
    reason: str
    expected_version: int | None


class InspectCase(
    Command[AftersalesCase],
    action="aftersales_case.inspect",
    entity=ENTITY,
    permission=AFTERSALES_WRITE,
    target="case_id",
):
    """The returned goods' inspection concluded (what did not come back never will)."""

    case_id: UUID
    expected_version: int | None
    reason: str | None = None


class CompleteCase(
    Command[AftersalesCase],
    action="aftersales_case.complete",
    entity=ENTITY,
    permission=AFTERSALES_WRITE,
    target="case_id",
):
    case_id: UUID
    expected_version: int | None
    reason: str | None = None


class SetTracking(
    Command[AftersalesCase],
    action="aftersales_case.set_tracking",
    entity=ENTITY,
    permission=AFTERSALES_WRITE,
    target="case_id",
):
    """The return parcel's tracking number, as the buyer gives it."""

    case_id: UUID
    tracking_no: str
    expected_version: int | None


Step = ApproveCase | RejectCase | InspectCase | CompleteCase | SetTracking
STEPS = (ApproveCase, RejectCase, InspectCase, CompleteCase, SetTracking)


class CaseStepHandler:
    def __init__(self, orders: AftersalesOrders) -> None:
        self._orders = orders

    async def handle(self, command: Step, work: Work) -> AftersalesCase:
        now, actor = work.clock.now(), work.ctx.actor.label

        async def step(case: AftersalesCase) -> None:
            match command:
                case ApproveCase():
                    case.approve(now, actor, command.reason)
                    await self._replace(work, case)
                case RejectCase():
                    case.reject(now, actor, command.reason)
                case InspectCase():
                    case.inspect(now, actor, command.reason)
                case CompleteCase():
                    case.complete(now, actor, command.reason)
                case SetTracking():
                    case.set_tracking(command.tracking_no, now, actor)

        return await changed(work, command.case_id, command.expected_version, step)

    async def _replace(self, work: Work, case: AftersalesCase) -> None:
        if case.kind not in (CaseKind.EXCHANGE, CaseKind.RESEND):
            return
        held = (
            case.kind is CaseKind.EXCHANGE
            and not (await store_of(work.uow).settings.get()).ship_exchange_first
        )
        order = await self._orders.place_replacement(
            work,
            Replacement(
                case.order_id,
                tuple(ReplacementLine(line.sku_id, line.quantity) for line in case.lines),
                f"{case.kind.value} for after-sales case {case.id}",
                held=held,
            ),
        )
        case.set_replacement(order.id, work.clock.now(), work.ctx.actor.label)
