"""Reservations (INV-2): an order's lines locked against stock, all or nothing.

A reservation is created ``active`` with its lines allocated to warehouses; it ends
``released`` (the order was cancelled), ``expired`` (an unpaid order's hold ran out: the
scheduled sweep releases it exactly once) or ``committed`` (shipped: the goods were issued).
Picking converts its reserved units to pick locks (``picking``); a pick-locked reservation
no longer expires.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.shared.errors import Conflict, ValidationFailed
from domain.shared.events import DomainEvent, RecordsEvents

ENTITY = "reservation"


class ReservationStatus(StrEnum):
    ACTIVE = "active"
    PICKING = "picking"
    RELEASED = "released"
    EXPIRED = "expired"
    COMMITTED = "committed"

    @property
    def open(self) -> bool:
        return self in (ReservationStatus.ACTIVE, ReservationStatus.PICKING)


class AllocationStrategy(StrEnum):
    """How a channel's reservations choose a warehouse for each line."""

    PRIORITY = "priority"  # the supplying warehouses in priority order
    MOST_AVAILABLE = "most_available"  # the one with the most available units
    REGION = "region"  # a warehouse of the shipping region first, then by priority


@dataclass(frozen=True)
class RequestedLine:
    sku_id: UUID
    quantity: int
    warehouse_id: UUID | None = None  # a named warehouse: only that one is tried


@dataclass(frozen=True)
class ReservationLine:
    line_no: int
    sku_id: UUID
    warehouse_id: UUID
    quantity: int


@dataclass
class Reservation(RecordsEvents):
    id: UUID
    channel_id: UUID | None
    source_type: str  # the document it holds stock for: "order", "manual", ...
    source_id: UUID | None
    status: ReservationStatus
    expires_at: datetime | None
    lines: list[ReservationLine]
    version: int
    created_at: datetime
    updated_at: datetime
    created_by: str = field(default="")

    def snapshot(self) -> dict[str, object]:
        return {"status": self.status.value}

    def _end(self, status: ReservationStatus, now: datetime, event: str) -> None:
        self.status = status
        self.version += 1
        self.updated_at = now
        self.record_event(DomainEvent(event, ENTITY, self.id, ("status",)))

    def check_open(self) -> None:
        if not self.status.open:
            raise Conflict("reservation_not_open", status=self.status.value)

    def release(self, now: datetime, *, expired: bool = False) -> None:
        self.check_open()
        if expired:
            self._end(ReservationStatus.EXPIRED, now, "inventory.reservation_expired")
        else:
            self._end(ReservationStatus.RELEASED, now, "inventory.reservation_released")

    def start_picking(self, now: datetime) -> None:
        if self.status is not ReservationStatus.ACTIVE:
            raise Conflict("reservation_not_active", status=self.status.value)
        self._end(ReservationStatus.PICKING, now, "inventory.reservation_picking")

    def commit(self, now: datetime) -> None:
        self.check_open()
        self._end(ReservationStatus.COMMITTED, now, "inventory.reservation_committed")


def merged_lines(lines: list[RequestedLine]) -> list[RequestedLine]:
    """The request's lines, one per SKU and named warehouse, in a fixed order (SKU id,
    then warehouse): every reservation locks stock rows in the same order, so two
    reservations of the same SKUs never wait on each other in a cycle (no deadlock)."""
    if not lines:
        raise ValidationFailed.single("lines", "required")
    totals: dict[tuple[UUID, UUID | None], int] = {}
    for index, line in enumerate(lines):
        if line.quantity <= 0:
            raise ValidationFailed.single(f"lines.{index}.quantity", "must_be_positive")
        key = (line.sku_id, line.warehouse_id)
        totals[key] = totals.get(key, 0) + line.quantity
    ordered = sorted(totals.items(), key=lambda item: (str(item[0][0]), str(item[0][1] or "")))
    return [RequestedLine(sku, quantity, warehouse) for (sku, warehouse), quantity in ordered]
