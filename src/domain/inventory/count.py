"""Stock counts (盘点, INV-4).

A count session covers one warehouse: every SKU stocked there (a ``full`` count) or some
SKUs or some bins (a ``cycle`` count). It goes ``open`` (created, its scope set) →
``counting`` (started: its lines are fixed) → ``submitted`` (the counters are done) →
``posted`` (approved: the variances are ledger movements), or ``cancelled`` before it is
posted.

Blind entry: counters enter what they count; the book quantity is never shown to them
(the counting sheet has none). When a line's count is entered, the book quantity of that
moment is snapshotted beside it, so

    variance = counted − book at the moment of counting

and posting applies the variance to the figure as it is *then* (a ``count_variance``
movement of ``variance`` units), so goods received or shipped while the count ran — after
the line was counted — are neither lost nor counted twice (docs/decisions.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from uuid import UUID

from domain.shared.errors import Conflict, ValidationFailed
from domain.shared.events import DomainEvent, RecordsEvents

ENTITY = "stock_count"
MAX_SCOPE = 1000  # SKUs or bins named by a cycle count
FEN = Decimal("0.01")


class CountKind(StrEnum):
    FULL = "full"  # every SKU stocked in the warehouse
    CYCLE = "cycle"  # the SKUs or bins named


class CountStatus(StrEnum):
    OPEN = "open"
    COUNTING = "counting"
    SUBMITTED = "submitted"
    POSTED = "posted"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class CountLine:
    """One SKU of a session. ``book`` is the on-hand figure when ``counted`` was entered
    (None until counted); ``posted`` the change the posting made (None until posted)."""

    sku_id: UUID
    counted: int | None = None
    book: int | None = None
    counted_by: str | None = None
    counted_at: datetime | None = None
    posted: int | None = None

    @property
    def variance(self) -> int | None:
        if self.counted is None or self.book is None:
            return None
        return self.counted - self.book


@dataclass(frozen=True)
class BatchCountLine:
    """A batch-managed SKU's count line in one of its batches (INV-8): what was counted in
    it and its on hand when counted (``book``; 0 for a batch found that was not on the
    books, and a batch on the books that was not entered is counted 0)."""

    sku_id: UUID
    batch_id: UUID
    counted: int
    book: int
    posted: int | None = None

    @property
    def variance(self) -> int:
        return self.counted - self.book


def line_value(variance: int, unit_cost: Decimal | None) -> Decimal | None:
    """A variance's value, to the fen; None when the unit cost is not known."""
    if unit_cost is None:
        return None
    return (variance * unit_cost).quantize(FEN, rounding=ROUND_HALF_UP)


def counted_quantity(value: int, field: str = "counted") -> int:
    if value < 0:
        raise ValidationFailed.single(field, "must_not_be_negative")
    return value


@dataclass
class CountSession(RecordsEvents):
    id: UUID
    warehouse_id: UUID
    kind: CountKind
    sku_ids: tuple[UUID, ...]
    bin_ids: tuple[UUID, ...]
    note: str | None
    status: CountStatus
    version: int
    created_by: str
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = None
    submitted_by: str | None = None
    submitted_at: datetime | None = None
    posted_by: str | None = None
    posted_at: datetime | None = None

    @classmethod
    def create(
        cls,
        session_id: UUID,
        warehouse_id: UUID,
        kind: CountKind,
        sku_ids: tuple[UUID, ...],
        bin_ids: tuple[UUID, ...],
        note: str | None,
        by: str,
        now: datetime,
    ) -> CountSession:
        if kind is CountKind.FULL and (sku_ids or bin_ids):
            raise ValidationFailed.single("skuIds", "full_count_has_no_scope")
        if kind is CountKind.CYCLE and not (sku_ids or bin_ids):
            raise ValidationFailed.single("skuIds", "cycle_count_needs_scope")
        if len(sku_ids) > MAX_SCOPE or len(bin_ids) > MAX_SCOPE:
            raise ValidationFailed.single("skuIds", "too_many", max=MAX_SCOPE)
        note = (note or "").strip() or None
        if note is not None and len(note) > 500:
            raise ValidationFailed.single("note", "invalid_length", max=500)
        session = cls(
            session_id,
            warehouse_id,
            kind,
            tuple(dict.fromkeys(sku_ids)),
            tuple(dict.fromkeys(bin_ids)),
            note,
            CountStatus.OPEN,
            1,
            by,
            now,
            now,
        )
        session._event("inventory.count_created")
        return session

    def snapshot(self) -> dict[str, object]:
        return {"status": self.status.value}

    def check_status(self, *allowed: CountStatus) -> None:
        if self.status not in allowed:
            raise Conflict("count_not_in_state", status=self.status.value)

    def start(self, now: datetime) -> None:
        """Counting begins: the lines are fixed (the store lists them)."""
        self.check_status(CountStatus.OPEN)
        self.started_at = now
        self._step(CountStatus.COUNTING, now, "inventory.count_started")

    def submit(self, uncounted: int, by: str, now: datetime) -> None:
        """The counters are done: every line must have a count."""
        self.check_status(CountStatus.COUNTING)
        if uncounted:
            raise Conflict("count_lines_uncounted", uncounted=uncounted)
        self.submitted_by, self.submitted_at = by, now
        self._step(CountStatus.SUBMITTED, now, "inventory.count_submitted")

    def post(self, by: str, now: datetime) -> None:
        """Approved: the variances are posted (once: a posted session is never posted
        again)."""
        self.check_status(CountStatus.SUBMITTED)
        self.posted_by, self.posted_at = by, now
        self._step(CountStatus.POSTED, now, "inventory.count_posted")

    def cancel(self, now: datetime) -> None:
        self.check_status(CountStatus.OPEN, CountStatus.COUNTING, CountStatus.SUBMITTED)
        self._step(CountStatus.CANCELLED, now, "inventory.count_cancelled")

    def _step(self, status: CountStatus, now: datetime, event: str) -> None:
        self.status = status
        self.version += 1
        self.updated_at = now
        self._event(event, ("status",))

    def _event(self, event: str, fields: tuple[str, ...] = ()) -> None:
        data = {"warehouseId": str(self.warehouse_id), "status": self.status.value}
        self.record_event(DomainEvent(event, ENTITY, self.id, fields, data))
