"""Transfers between warehouses (调拨, INV-5).

``requested`` (source, destination, lines) → ``shipped`` (each line leaves the source's on
hand and enters the destination's in transit: ``transfer_out`` movements) → received in
one or several receipt documents (``partially_received`` until every shipped unit is
accounted for, then ``received``). A receipt says per line how many arrived sound (on hand
+), damaged (non-sellable +) and short (never arrived: recorded as a discrepancy); each of
the three closes that many units of the destination's in transit (``transfer_in``). A
requested transfer may be cancelled; a shipped one may not (its goods are on the road).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from domain.inventory.stock import Deltas, positive
from domain.shared.errors import Conflict, ValidationFailed
from domain.shared.events import DomainEvent, RecordsEvents

ENTITY = "transfer"
MAX_LINES = 500


class TransferStatus(StrEnum):
    REQUESTED = "requested"
    SHIPPED = "shipped"  # in transit, nothing received yet
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"  # every shipped unit received, damaged or short
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class TransferLine:
    line_no: int
    sku_id: UUID
    quantity: int
    received: int = 0  # sound: into the destination's on hand
    damaged: int = 0  # into the destination's non-sellable
    short: int = 0  # never arrived: a discrepancy
    unit_cost: Decimal | None = None  # the value shipped ÷ units, carried to receipts (INV-7)

    @property
    def outstanding(self) -> int:
        """Shipped units not accounted for by a receipt yet (still in transit)."""
        return self.quantity - self.received - self.damaged - self.short


@dataclass(frozen=True)
class ReceivedLine:
    """What one receipt says of one line."""

    line_no: int
    received: int = 0
    damaged: int = 0
    short: int = 0

    @property
    def total(self) -> int:
        return self.received + self.damaged + self.short

    @property
    def deltas(self) -> Deltas:
        """The destination's change: in transit closes by all three; sound goods go on
        hand, damaged ones to non-sellable; short ones only leave in transit."""
        return Deltas(on_hand=self.received, non_sellable=self.damaged, in_transit=-self.total)


@dataclass(frozen=True)
class TransferReceipt:
    id: UUID
    transfer_id: UUID
    lines: tuple[ReceivedLine, ...]
    note: str | None
    received_by: str
    received_at: datetime


def shipped_out(quantity: int) -> Deltas:
    """The source's change at shipment."""
    return Deltas(on_hand=-positive(quantity))


def shipped_in(quantity: int) -> Deltas:
    """The destination's change at shipment."""
    return Deltas(in_transit=positive(quantity))


@dataclass
class Transfer(RecordsEvents):
    id: UUID
    source_id: UUID
    destination_id: UUID
    status: TransferStatus
    lines: list[TransferLine]
    note: str | None
    version: int
    created_by: str
    created_at: datetime
    updated_at: datetime
    shipped_by: str | None = None
    shipped_at: datetime | None = None
    receipts: list[TransferReceipt] = field(default_factory=list)

    @classmethod
    def request(
        cls,
        transfer_id: UUID,
        source_id: UUID,
        destination_id: UUID,
        lines: list[tuple[UUID, int]],
        note: str | None,
        by: str,
        now: datetime,
    ) -> Transfer:
        if source_id == destination_id:
            raise ValidationFailed.single("destinationId", "same_as_source")
        if not lines:
            raise ValidationFailed.single("lines", "required")
        if len(lines) > MAX_LINES:
            raise ValidationFailed.single("lines", "too_many", max=MAX_LINES)
        seen: set[UUID] = set()
        made = []
        for i, (sku_id, quantity) in enumerate(lines):
            if sku_id in seen:
                raise ValidationFailed.single(f"lines[{i}].skuId", "duplicate_sku")
            seen.add(sku_id)
            made.append(TransferLine(i + 1, sku_id, positive(quantity, f"lines[{i}].quantity")))
        note = (note or "").strip() or None
        if note is not None and len(note) > 500:
            raise ValidationFailed.single("note", "invalid_length", max=500)
        transfer = cls(
            transfer_id,
            source_id,
            destination_id,
            TransferStatus.REQUESTED,
            made,
            note,
            1,
            by,
            now,
            now,
        )
        transfer._event("inventory.transfer_requested")
        return transfer

    def snapshot(self) -> dict[str, object]:
        return {"status": self.status.value}

    def check_status(self, *allowed: TransferStatus) -> None:
        if self.status not in allowed:
            raise Conflict("transfer_not_in_state", status=self.status.value)

    def ship(self, unit_costs: dict[UUID, Decimal], by: str, now: datetime) -> None:
        self.check_status(TransferStatus.REQUESTED)
        self.lines = [replace(li, unit_cost=unit_costs.get(li.sku_id)) for li in self.lines]
        self.shipped_by, self.shipped_at = by, now
        self._step(TransferStatus.SHIPPED, now, "inventory.transfer_shipped")

    def receive(self, receipt: TransferReceipt, now: datetime) -> None:
        """Account for some shipped units; no line may take more than it has in transit."""
        self.check_status(TransferStatus.SHIPPED, TransferStatus.PARTIALLY_RECEIVED)
        if not receipt.lines:
            raise ValidationFailed.single("lines", "required")
        by_no = {li.line_no: li for li in self.lines}
        seen: set[int] = set()
        for i, got in enumerate(receipt.lines):
            line = by_no.get(got.line_no)
            if line is None:
                raise ValidationFailed.single(f"lines[{i}].lineNo", "unknown_line")
            if got.line_no in seen:
                raise ValidationFailed.single(f"lines[{i}].lineNo", "duplicate_line")
            seen.add(got.line_no)
            for name in ("received", "damaged", "short"):
                if getattr(got, name) < 0:
                    raise ValidationFailed.single(f"lines[{i}].{name}", "must_not_be_negative")
            if got.total == 0:
                raise ValidationFailed.single(f"lines[{i}]", "must_be_positive")
            if got.total > line.outstanding:
                raise Conflict(
                    "transfer_over_received",
                    line=got.line_no,
                    outstanding=line.outstanding,
                    given=got.total,
                )
            by_no[got.line_no] = replace(
                line,
                received=line.received + got.received,
                damaged=line.damaged + got.damaged,
                short=line.short + got.short,
            )
        self.lines = [by_no[li.line_no] for li in self.lines]
        self.receipts.append(receipt)
        done = all(li.outstanding == 0 for li in self.lines)
        status = TransferStatus.RECEIVED if done else TransferStatus.PARTIALLY_RECEIVED
        self._step(status, now, "inventory.transfer_received")

    def cancel(self, now: datetime) -> None:
        self.check_status(TransferStatus.REQUESTED)
        self._step(TransferStatus.CANCELLED, now, "inventory.transfer_cancelled")

    def line(self, line_no: int) -> TransferLine:
        return next(li for li in self.lines if li.line_no == line_no)

    def _step(self, status: TransferStatus, now: datetime, event: str) -> None:
        self.status = status
        self.version += 1
        self.updated_at = now
        self._event(event, ("status",))

    def _event(self, event: str, fields: tuple[str, ...] = ()) -> None:
        data = {
            "sourceId": str(self.source_id),
            "destinationId": str(self.destination_id),
            "status": self.status.value,
        }
        self.record_event(DomainEvent(event, ENTITY, self.id, fields, data))


def by_batches(
    batches: list[tuple[UUID, int]],
    got: ReceivedLine,
    named: Mapping[UUID, tuple[int, int]] | None = None,
) -> list[tuple[UUID, ReceivedLine]]:
    """A receipt of a line whose units travel in batches (INV-8), split over the batches
    still in transit (in the order they were shipped, with the units each has left).
    ``named``: the damaged and short units the receipt puts in a batch itself (batch →
    (damaged, short)); a batch cannot give more than it has left (409
    ``transfer_over_received``), nor the batches more than the line's (422
    ``batch_counts_differ``). What is not named — the sound units, then the damaged, then
    the short — is taken in shipping order, each batch giving what it has left. The
    caller has checked the receipt against the line's units in transit."""
    named = named or {}
    left = dict(batches)
    shares = {batch_id: dict.fromkeys(("received", "damaged", "short"), 0) for batch_id in left}
    wanted = {"received": got.received, "damaged": got.damaged, "short": got.short}
    for batch_id, (damaged, short) in named.items():
        if damaged + short > left.get(batch_id, 0):
            raise Conflict(
                "transfer_over_received",
                line=got.line_no,
                outstanding=left.get(batch_id, 0),
                given=damaged + short,
            )
        left[batch_id] -= damaged + short
        shares[batch_id]["damaged"] += damaged
        shares[batch_id]["short"] += short
        wanted["damaged"] -= damaged
        wanted["short"] -= short
    for name in ("damaged", "short"):
        if wanted[name] < 0:
            given = getattr(got, name)
            raise ValidationFailed.single(
                "batches", "batch_counts_differ", counted=given, batches=given - wanted[name]
            )
    for batch_id, _ in batches:
        for name in ("received", "damaged", "short"):
            take = min(left[batch_id], wanted[name])
            shares[batch_id][name] += take
            left[batch_id] -= take
            wanted[name] -= take
    return [
        (batch_id, ReceivedLine(got.line_no, **shares[batch_id]))
        for batch_id, _ in batches
        if any(shares[batch_id].values())
    ]


def by_serials(
    line_no: int, batch_of: Mapping[str, UUID | None], kinds: Mapping[str, list[str]]
) -> list[tuple[UUID | None, ReceivedLine, list[str]]]:
    """A receipt of a serial-managed line (INV-8): the serials of each kind (``received``,
    ``damaged``, ``short``) decide the batches (``batch_of``: where each travelled); per
    batch, the units of each kind and the serials, in a stable order."""
    groups: dict[UUID | None, dict[str, list[str]]] = {}
    for name, serials in kinds.items():
        for serial in serials:
            groups.setdefault(batch_of[serial], {}).setdefault(name, []).append(serial)
    return [
        (
            batch_id,
            ReceivedLine(line_no, **{name: len(found) for name, found in group.items()}),
            [serial for found in group.values() for serial in found],
        )
        for batch_id, group in sorted(groups.items(), key=lambda item: str(item[0]))
    ]
