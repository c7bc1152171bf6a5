"""Wire types for /api/v1/aftersales (camelCase; money as Decimal strings to the fen)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from application.aftersales.refunds import KEY, MAX_KEY
from domain.aftersales.analysis import ReturnAnalysis, ReturnRate
from domain.aftersales.case import AftersalesCase
from domain.aftersales.flows import CaseAction, CaseKind, CaseStatus
from domain.aftersales.records import MAX_LINES, MAX_NOTE, MAX_NOTES, ReturnReason
from domain.inventory.batches import MAX_BATCH_NO, MAX_SERIAL, MAX_SERIALS
from entrypoints.http.limits import stated
from entrypoints.http.wire import AmountIn, PageOut, PositiveAmountIn, WireIn, WireOut

Positive = Annotated[int, stated(minimum=1)]
Note = Annotated[str, stated(max_length=MAX_NOTE)]
Units = Annotated[int, stated(minimum=0)]
Serial = Annotated[str, stated(max_length=MAX_SERIAL)]


class CaseLineIn(WireIn):
    order_line_id: UUID
    quantity: Positive


class CaseIn(WireIn):
    """Lines are required for a return, an exchange and a resend; ``refundAmount``
    defaults to the lines' value (or what the payments hold, for a refund without
    lines)."""

    order_id: UUID
    kind: CaseKind
    reason: ReturnReason
    lines: Annotated[list[CaseLineIn], stated(max_items=MAX_LINES)] = []
    reason_text: Annotated[str, stated(max_length=500)] | None = None
    evidence: Annotated[list[Note], stated(max_items=MAX_NOTES)] = []
    tracking_no: Annotated[str, stated(max_length=64)] | None = None
    refund_amount: AmountIn | None = None


class CaseReasonIn(WireIn):
    reason: Annotated[str, stated(max_length=500)]


class OptionalReasonIn(WireIn):
    reason: Annotated[str, stated(max_length=500)] | None = None


class TrackingIn(WireIn):
    tracking_no: Annotated[str, stated(max_length=64)]


class CaseReceivedLineIn(WireIn):
    line_no: Positive
    resellable: Units = 0  # into available stock
    damaged: Units = 0  # into non-sellable stock
    # INV-8: a batch-managed SKU's batch; a serial-managed SKU's serials, one a unit
    batch_no: Annotated[str, stated(max_length=MAX_BATCH_NO)] | None = None
    serials: Annotated[list[Serial], stated(max_items=MAX_SERIALS)] = []
    damaged_serials: Annotated[list[Serial], stated(max_items=MAX_SERIALS)] = []


class CaseReceiptIn(WireIn):
    """Into a returns warehouse (by id)."""

    warehouse_id: UUID
    lines: Annotated[list[CaseReceivedLineIn], stated(min_items=1, max_items=MAX_LINES)]


class CaseRefundIn(WireIn):
    """``key``: the refund's own reference (a provider's refund id) — the same key again
    records nothing."""

    payment_id: UUID
    amount: PositiveAmountIn
    key: Annotated[str, stated(pattern=KEY, max_length=MAX_KEY)]


class ClaimIn(WireIn):
    amount: PositiveAmountIn
    insurer: Annotated[str, stated(max_length=100)]
    claim_no: Annotated[str, stated(max_length=64)] | None = None


class ReplenishLineIn(WireIn):
    line_no: Positive
    quantity: Positive


class ReplenishIn(WireIn):
    """Per case line the units to buy again; none: every line's units."""

    lines: Annotated[list[ReplenishLineIn], stated(max_items=MAX_LINES)] = []


class SettingsIn(WireIn):
    ship_exchange_first: bool


class CaseLineOut(WireOut):
    line_no: int
    order_line_id: UUID
    sku_id: UUID
    quantity: int
    resellable: int
    damaged: int
    outstanding: int


class CaseRefundOut(WireOut):
    id: UUID
    payment_id: UUID
    amount: Decimal
    key: str
    refunded_by: str
    refunded_at: datetime


class ClaimOut(WireOut):
    id: UUID
    amount: Decimal
    insurer: str
    claim_no: str | None
    recorded_by: str
    recorded_at: datetime


class CaseEntryOut(WireOut):
    at: datetime
    actor: str
    action: str
    status: CaseStatus
    reason: str | None
    detail: dict[str, str]


class CaseOut(WireOut):
    id: UUID
    order_id: UUID
    kind: CaseKind
    status: CaseStatus
    # the steps the kind's flow allows from ``status`` (the caller's permissions aside)
    next_actions: list[CaseAction]
    currency: str
    reason: ReturnReason
    reason_text: str | None
    evidence: list[str]
    tracking_no: str | None
    refund_amount: Decimal
    refunded: Decimal
    insured: Decimal
    lines: list[CaseLineOut]
    refunds: list[CaseRefundOut]
    claims: list[ClaimOut]
    timeline: list[CaseEntryOut]
    replacement_order_id: UUID | None
    channel_refund_status: str | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    version: int


class CasePageOut(PageOut[CaseOut]):
    items: list[CaseOut]


class SettingsOut(WireOut):
    ship_exchange_first: bool
    version: int


class ReturnRateOut(WireOut):
    id: UUID
    code: str
    sold: int
    returned: int
    rate: Decimal | None


class ReturnAnalysisOut(WireOut):
    start: date
    end: date
    skus: list[ReturnRateOut]
    spus: list[ReturnRateOut]
    reasons: dict[str, int]
    cases: int
    refund_total: Decimal
    insurance_claims: int
    insurance_total: Decimal


def case_out(case: AftersalesCase) -> CaseOut:
    return CaseOut.of(
        case,
        evidence=list(case.evidence),
        next_actions=list(case.next_actions),
        lines=[CaseLineOut.of(line) for line in case.lines],
        refunds=[CaseRefundOut.of(r) for r in case.refunds],
        claims=[ClaimOut.of(c) for c in case.claims],
        timeline=[CaseEntryOut.of(e, detail=dict(e.detail)) for e in case.timeline],
    )


def _rate(rate: ReturnRate) -> ReturnRateOut:
    return ReturnRateOut.of(rate)


def analysis_out(analysis: ReturnAnalysis, start: date, end: date) -> ReturnAnalysisOut:
    return ReturnAnalysisOut.of(
        analysis,
        start=start,
        end=end,
        skus=[_rate(r) for r in analysis.skus],
        spus=[_rate(r) for r in analysis.spus],
        reasons=dict(analysis.reasons),
    )
