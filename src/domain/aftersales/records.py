"""What an after-sales case holds besides its status (ORD-6, LOG-4): its lines, the
return's receipts, its refunds, shipping-insurance claims and the timeline entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from domain.aftersales.flows import CaseStatus

MAX_LINES = 100
MAX_NOTES = 20
MAX_NOTE = 1000  # characters of an evidence note


class ReturnReason(StrEnum):
    """The reasons a buyer gives (a free text goes with any of them)."""

    QUALITY_ISSUE = "quality_issue"  # 质量问题
    DAMAGED_IN_TRANSIT = "damaged_in_transit"  # 运输破损
    WRONG_ITEM = "wrong_item"  # 发错货
    MISSING_PARTS = "missing_parts"  # 少件漏发
    NOT_AS_DESCRIBED = "not_as_described"  # 与描述不符
    SIZE_OR_FIT = "size_or_fit"  # 尺码不合适
    NOT_RECEIVED = "not_received"  # 未收到货
    CHANGED_MIND = "changed_mind"  # 七天无理由
    OTHER = "other"


@dataclass(frozen=True)
class CaseLine:
    """Units of one order line the case concerns, and what of them came back: resellable
    (into available) and damaged (into non-sellable)."""

    line_no: int
    order_line_id: UUID
    sku_id: UUID
    quantity: int
    resellable: int = 0
    damaged: int = 0

    @property
    def received(self) -> int:
        return self.resellable + self.damaged

    @property
    def outstanding(self) -> int:
        return self.quantity - self.received


@dataclass(frozen=True)
class ReceivedUnits:
    """One line of a return receipt: the inspection's result per unit, and for a batch-
    or serial-managed SKU the batch the units came back in and the serials of the
    resellable and of the damaged units (inventory checks them)."""

    line_no: int
    resellable: int = 0
    damaged: int = 0
    batch_no: str | None = None
    serials: tuple[str, ...] = ()  # the resellable units'
    damaged_serials: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseRefund:
    """Money returned against one of the order's payments. ``key`` makes it idempotent:
    the same key again records nothing."""

    id: UUID
    payment_id: UUID
    amount: Decimal
    key: str
    refunded_by: str
    refunded_at: datetime


@dataclass(frozen=True)
class InsuranceClaim:
    """A shipping-insurance (运费险) claim for the return parcel's postage."""

    id: UUID
    amount: Decimal
    insurer: str
    claim_no: str | None
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class CaseEntry:
    """One step of the case's timeline: who did what, why, and the status it left."""

    at: datetime
    actor: str
    action: str
    status: CaseStatus
    reason: str | None = None
    detail: tuple[tuple[str, str], ...] = ()
