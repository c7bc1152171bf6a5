"""What a case records beside its flow (ORD-6, LOG-4): shipping-insurance (运费险) claims
and a replenishment request — the outbox event ``aftersales.replenishment_requested``
(per SKU the units to buy again) that purchasing will consume.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from application.aftersales.common import changed
from application.shared.use_case import Command, Work
from domain.aftersales.case import ENTITY, AftersalesCase
from domain.aftersales.flows import CaseStatus
from domain.aftersales.permissions import AFTERSALES_WRITE
from domain.aftersales.records import InsuranceClaim
from domain.orders.values import clean_text
from domain.shared.errors import Conflict, ValidationFailed
from domain.shared.events import DomainEvent

REPLENISHMENT = "aftersales.replenishment_requested"


class ClaimInsurance(
    Command[AftersalesCase],
    action="aftersales_case.claim_insurance",
    entity=ENTITY,
    permission=AFTERSALES_WRITE,
    target="case_id",
):
    case_id: UUID
    amount: Decimal
    insurer: str
    claim_no: str | None = None


class RequestReplenishment(
    Command[AftersalesCase],
    action="aftersales_case.replenish",
    entity=ENTITY,
    permission=AFTERSALES_WRITE,
    target="case_id",
):
    """Buy again the units of the case's lines (all of them unless ``lines`` names some
    line numbers with their units)."""

    case_id: UUID
    expected_version: int | None
    lines: tuple[tuple[int, int], ...] = ()  # (case line number, units)


class ClaimInsuranceHandler:
    async def handle(self, command: ClaimInsurance, work: Work) -> AftersalesCase:
        insurer = clean_text(command.insurer, "insurer", 100)
        if insurer is None:
            raise ValidationFailed.single("insurer", "required")
        claim_no = clean_text(command.claim_no, "claimNo", 64)

        async def claim(case: AftersalesCase) -> None:
            case.add_claim(
                InsuranceClaim(
                    work.ids.new_id(),
                    command.amount,
                    insurer,
                    claim_no,
                    work.ctx.actor.label,
                    work.clock.now(),
                )
            )

        return await changed(work, command.case_id, None, claim, versioned=False)


class ReplenishmentRefused(Conflict):
    """A replenishment of a case that returns nothing, or a rejected one."""

    code = "aftersales_replenishment_refused"


class RequestReplenishmentHandler:
    async def handle(self, command: RequestReplenishment, work: Work) -> AftersalesCase:
        async def replenish(case: AftersalesCase) -> None:
            if not case.lines or case.status is CaseStatus.REJECTED:
                raise ReplenishmentRefused(status=case.status.value)
            by_no = {line.line_no: line for line in case.lines}
            wanted = command.lines or tuple((line.line_no, line.quantity) for line in case.lines)
            units: dict[str, int] = {}
            for i, (line_no, quantity) in enumerate(wanted):
                line = by_no.get(line_no)
                if line is None:
                    raise ValidationFailed.single(f"lines[{i}].lineNo", "unknown_case_line")
                if not 0 < quantity <= line.quantity:
                    raise ValidationFailed.single(f"lines[{i}].quantity", "more_than_case_line")
                units[str(line.sku_id)] = units.get(str(line.sku_id), 0) + quantity
            detail = {sku: str(n) for sku, n in units.items()}
            case.note("replenishment_requested", work.clock.now(), work.ctx.actor.label, detail)
            work.emit(
                DomainEvent(
                    REPLENISHMENT,
                    ENTITY,
                    case.id,
                    data={
                        "order": str(case.order_id),
                        **{f"sku:{k}": v for k, v in detail.items()},
                    },
                )
            )

        return await changed(work, command.case_id, command.expected_version, replenish)
