"""The after-sales case (售后单, ORD-6): one order, one kind, its flow.

A case names an order and, for the kinds that move goods, lines and quantities — never
more of a line than was sold less what the order's earlier cases already claim
(``claimable``). Every move goes through the kind's table (``flows.py``) and leaves an
entry on the case's timeline with the actor and the reason. The case counts what came
back per line (resellable, damaged) and the refunds recorded against it, never above the
amount agreed, each refund once by its key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from domain.aftersales.flows import (
    FINAL,
    CaseAction,
    CaseKind,
    CaseStatus,
    CaseTransitionRefused,
    actions_from,
    check_transition,
)
from domain.aftersales.records import (
    MAX_LINES,
    MAX_NOTE,
    MAX_NOTES,
    CaseEntry,
    CaseLine,
    CaseRefund,
    InsuranceClaim,
    ReceivedUnits,
    ReturnReason,
)
from domain.orders.values import ZERO, clean_text, exact
from domain.shared.errors import Conflict, FieldError, ValidationFailed
from domain.shared.events import DomainEvent, RecordsEvents

ENTITY = "aftersales_case"
# A case's refund recorded: its order, refund id and amount (the channel is told of it,
# unless the platform made it: ``platform`` "true").
REFUND_RECORDED = "aftersales.refund_recorded"
# The key of a refund the platform made (a key the API never accepts: see refunds.KEY).
PLATFORM_KEY = "@platform:"
S = CaseStatus


class RefundRefused(Conflict):
    """A refund above what the case agreed to return. Params: ``amount``, ``available``."""

    code = "aftersales_refund_refused"


class ReceiptRefused(Conflict):
    """A receipt of more units than a line still expects. Params: ``line_no``,
    ``outstanding``."""

    code = "aftersales_receipt_refused"


@dataclass(frozen=True)
class Sold:
    """An order line as the case sees it: its SKU and the units sold."""

    order_line_id: UUID
    sku_id: UUID
    quantity: int


def claimable(sold: Sequence[Sold], claimed: Mapping[UUID, int]) -> dict[UUID, int]:
    """Per order line, the units a new case may still name: sold less what earlier cases
    (not rejected) already name."""
    return {s.order_line_id: s.quantity - claimed.get(s.order_line_id, 0) for s in sold}


def _lines(
    kind: CaseKind,
    requested: Sequence[tuple[UUID, int]],
    sold: Sequence[Sold],
    room: dict[UUID, int],
) -> tuple[CaseLine, ...]:
    if kind.needs_lines and not requested:
        raise ValidationFailed.single("lines", "case_needs_a_line")
    if len(requested) > MAX_LINES:
        raise ValidationFailed.single("lines", "too_many", max=MAX_LINES)
    by_id = {s.order_line_id: s for s in sold}
    errors: list[FieldError] = []
    lines: list[CaseLine] = []
    seen: set[UUID] = set()
    for i, (line_id, quantity) in enumerate(requested):
        where = f"lines[{i}]"
        line = by_id.get(line_id)
        if line is None:
            errors.append(FieldError(f"{where}.orderLineId", "not_an_order_line"))
        elif line_id in seen:
            errors.append(FieldError(f"{where}.orderLineId", "duplicate"))
        elif quantity < 1:
            errors.append(FieldError(f"{where}.quantity", "must_be_positive"))
        elif quantity > room.get(line_id, 0):
            errors.append(
                FieldError(
                    f"{where}.quantity",
                    "more_than_returnable",
                    {"returnable": max(room.get(line_id, 0), 0)},
                )
            )
        else:
            lines.append(CaseLine(len(lines) + 1, line_id, line.sku_id, quantity))
        seen.add(line_id)
    if errors:
        raise ValidationFailed(errors)
    return tuple(lines)


def _notes(evidence: Sequence[str]) -> tuple[str, ...]:
    if len(evidence) > MAX_NOTES:
        raise ValidationFailed.single("evidence", "too_many", max=MAX_NOTES)
    notes = (clean_text(note, f"evidence[{i}]", MAX_NOTE) for i, note in enumerate(evidence))
    return tuple(note for note in notes if note)


@dataclass
class AftersalesCase(RecordsEvents):
    id: UUID
    order_id: UUID
    kind: CaseKind
    status: CaseStatus
    currency: str
    reason: ReturnReason
    reason_text: str | None
    evidence: tuple[str, ...]
    tracking_no: str | None
    refund_amount: Decimal  # what the case agreed to return (0 for the kinds that return none)
    lines: tuple[CaseLine, ...]
    created_by: str
    created_at: datetime
    updated_at: datetime
    refunds: tuple[CaseRefund, ...] = ()
    claims: tuple[InsuranceClaim, ...] = ()
    timeline: tuple[CaseEntry, ...] = ()
    replacement_order_id: UUID | None = None
    channel_refund_status: str | None = None
    version: int = 1

    @classmethod
    def open(
        cls,
        *,
        case_id: UUID,
        order_id: UUID,
        kind: CaseKind,
        currency: str,
        reason: ReturnReason,
        reason_text: str | None,
        evidence: Sequence[str],
        tracking_no: str | None,
        refund_amount: Decimal,
        paid: Decimal,
        requested: Sequence[tuple[UUID, int]],
        sold: Sequence[Sold],
        claimed: Mapping[UUID, int],
        actor: str,
        at: datetime,
    ) -> AftersalesCase:
        """A new case in review. ``paid``: what the order's payments still hold (received
        less refunded); the agreed refund never exceeds it."""
        amount = exact(refund_amount, currency, "refundAmount")
        if not kind.refunds and amount != ZERO:
            raise ValidationFailed.single("refundAmount", "no_refund_for_kind", kind=kind.value)
        if amount > paid:
            raise ValidationFailed.single("refundAmount", "more_than_paid", paid=str(paid))
        case = cls(
            id=case_id,
            order_id=order_id,
            kind=kind,
            status=S.REVIEW,
            currency=currency,
            reason=reason,
            reason_text=clean_text(reason_text, "reasonText", 500),
            evidence=_notes(evidence),
            tracking_no=clean_text(tracking_no, "trackingNo", 64),
            refund_amount=amount,
            lines=_lines(kind, requested, sold, claimable(sold, claimed)),
            created_by=actor,
            created_at=at,
            updated_at=at,
        )
        case._entry(at, actor, "opened", reason=case.reason_text)
        case._event("aftersales.case_opened", kind=kind.value, order=str(order_id))
        return case

    # --- reading ---------------------------------------------------------------------------

    @property
    def refunded(self) -> Decimal:
        return sum((r.amount for r in self.refunds), ZERO)

    @property
    def insured(self) -> Decimal:
        return sum((c.amount for c in self.claims), ZERO)

    @property
    def fully_received(self) -> bool:
        return all(line.outstanding == 0 for line in self.lines)

    @property
    def next_actions(self) -> tuple[CaseAction, ...]:
        """What the kind's flow lets a person do from where the case stands (whether the
        caller may is the permission's business)."""
        return actions_from(self.kind, self.status)

    def claimed_units(self) -> dict[UUID, int]:
        """Per order line, the units this case names (nothing once rejected)."""
        if self.status is S.REJECTED:
            return {}
        return {line.order_line_id: line.quantity for line in self.lines}

    def snapshot(self) -> dict[str, str]:
        return {
            "status": self.status.value,
            "refunded": str(self.refunded),
            "received": str(sum(line.received for line in self.lines)),
            "trackingNo": self.tracking_no or "",
        }

    # --- moves -----------------------------------------------------------------------------

    def approve(self, at: datetime, actor: str, reason: str | None) -> None:
        self._move(S.APPROVED, at, actor, "approved", reason)
        if self.kind.returns_goods:
            self._move(S.AWAITING_RETURN, at, actor, "awaiting_return", "goods to come back")

    def reject(self, at: datetime, actor: str, reason: str) -> None:
        self._move(S.REJECTED, at, actor, "rejected", _required(reason))

    def receive(self, units: Sequence[ReceivedUnits], at: datetime, actor: str) -> None:
        """The return parcel's goods counted in: per line, resellable and damaged units."""
        check_transition(self.kind, self.status, S.RECEIVED)
        changed = {line.line_no: line for line in self.lines}
        for got in units:
            line = changed.get(got.line_no)
            if line is None:
                raise ValidationFailed.single("lines", "unknown_case_line", line_no=got.line_no)
            if got.resellable < 0 or got.damaged < 0 or got.resellable + got.damaged == 0:
                raise ValidationFailed.single("lines", "must_be_positive", line_no=got.line_no)
            if got.resellable + got.damaged > line.outstanding:
                raise ReceiptRefused(line_no=got.line_no, outstanding=line.outstanding)
            changed[got.line_no] = replace(
                line,
                resellable=line.resellable + got.resellable,
                damaged=line.damaged + got.damaged,
            )
        self.lines = tuple(changed[no] for no in sorted(changed))
        detail = tuple((f"line{got.line_no}", f"{got.resellable}+{got.damaged}") for got in units)
        target = S.RECEIVED if self.fully_received else S.PARTLY_RECEIVED
        if target is self.status:
            self._entry(at, actor, "received", detail=detail)
            self._event("aftersales.goods_received")
        else:
            self._move(target, at, actor, "received", None, detail)

    def inspect(self, at: datetime, actor: str, reason: str | None) -> None:
        self._move(S.INSPECTED, at, actor, "inspected", reason)

    def record_refund(self, refund: CaseRefund) -> bool:
        """Record a refund; False (nothing changes) when its key is already recorded.
        Moves the case on to refunded once the agreed amount is returned."""
        if any(r.key == refund.key for r in self.refunds):
            return False
        check_transition(self.kind, self.status, S.REFUNDED)
        exact(refund.amount, self.currency, "amount")
        if refund.amount <= ZERO:
            raise ValidationFailed.single("amount", "amount_not_positive")
        available = self.refund_amount - self.refunded
        if refund.amount > available:
            raise RefundRefused(amount=str(refund.amount), available=str(available))
        self.refunds = (*self.refunds, refund)
        detail = (("payment", str(refund.payment_id)), ("amount", str(refund.amount)))
        if self.refunded == self.refund_amount:
            self._move(S.REFUNDED, refund.refunded_at, refund.refunded_by, "refunded", None, detail)
        else:
            self._entry(refund.refunded_at, refund.refunded_by, "refund_recorded", detail=detail)
        self._event(
            REFUND_RECORDED,
            order=str(self.order_id),
            refund=str(refund.id),
            amount=str(refund.amount),
            platform=str(refund.key.startswith(PLATFORM_KEY)).lower(),
        )
        return True

    def complete(self, at: datetime, actor: str, reason: str | None) -> None:
        self._move(S.COMPLETED, at, actor, "completed", reason)

    def set_replacement(self, order_id: UUID, at: datetime, actor: str) -> None:
        self.replacement_order_id = order_id
        self._entry(at, actor, "replacement_placed", detail=(("order", str(order_id)),))
        self._event("aftersales.replacement_placed", order=str(order_id))

    def add_claim(self, claim: InsuranceClaim) -> None:
        if self.status is S.REJECTED:
            raise self._refused_here()
        exact(claim.amount, self.currency, "amount")
        if claim.amount <= ZERO:
            raise ValidationFailed.single("amount", "amount_not_positive")
        self.claims = (*self.claims, claim)
        detail = (("amount", str(claim.amount)), ("insurer", claim.insurer))
        self._entry(claim.recorded_at, claim.recorded_by, "insurance_claimed", detail=detail)
        self._event("aftersales.insurance_claimed")

    def set_tracking(self, tracking_no: str, at: datetime, actor: str) -> bool:
        number = clean_text(tracking_no, "trackingNo", 64)
        if number is None:
            raise ValidationFailed.single("trackingNo", "required")
        if number == self.tracking_no:
            return False
        if self.status in FINAL:
            raise self._refused_here()
        self.tracking_no = number
        self._entry(at, actor, "tracking_set", detail=(("trackingNo", number),))
        self._event("aftersales.tracking_set")
        return True

    def note_channel_refund(self, status: str, at: datetime, actor: str) -> bool:
        """The channel's refund status as the platform last said it."""
        if status == self.channel_refund_status:
            return False
        self.channel_refund_status = status
        self._entry(at, actor, "channel_refund_status", detail=(("status", status),))
        self._event("aftersales.channel_refund_changed", status=status)
        return True

    def note(self, action: str, at: datetime, actor: str, detail: Mapping[str, str]) -> None:
        """A timeline entry that changes nothing else (a replenishment requested)."""
        self._entry(at, actor, action, detail=tuple(detail.items()))

    # --- the one place a status changes ----------------------------------------------------

    def _refused_here(self) -> CaseTransitionRefused:
        """A change the case's status no longer takes (a rejected or closed case)."""
        status = self.status.value
        return CaseTransitionRefused(kind=self.kind.value, from_status=status, to_status=status)

    def _move(
        self,
        target: CaseStatus,
        at: datetime,
        actor: str,
        action: str,
        reason: str | None,
        detail: tuple[tuple[str, str], ...] = (),
    ) -> None:
        check_transition(self.kind, self.status, target)
        before = self.status
        self.status = target
        self._entry(at, actor, action, reason=clean_text(reason, "reason", 500), detail=detail)
        self._event("aftersales.status_changed", to=target.value, **{"from": before.value})

    def _entry(
        self,
        at: datetime,
        actor: str,
        action: str,
        *,
        reason: str | None = None,
        detail: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.timeline = (*self.timeline, CaseEntry(at, actor, action, self.status, reason, detail))
        self.updated_at = at
        self.version += 1

    def _event(self, event_type: str, **data: str) -> None:
        self.record_event(DomainEvent(event_type, ENTITY, self.id, data=data))


def _required(reason: str) -> str:
    text = clean_text(reason, "reason", 500)
    if text is None:
        raise ValidationFailed.single("reason", "required")
    return text
