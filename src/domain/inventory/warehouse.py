"""Warehouses and their bin locations (INV-1).

A warehouse has a kind, a region (matched against a shipping region when a channel
allocates by region) and a priority (lower first). A closed warehouse takes no new stock
(receipts, return receipts and positive adjustments are refused) but keeps what it holds
and its history; warehouses are never deleted, since the ledger names them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.shared.errors import Conflict, bounded_text
from domain.shared.events import DomainEvent, RecordsEvents

ENTITY = "warehouse"
MAX_ZONE = 32  # a bin zone's code (区: "A", "冷藏区")


class WarehouseKind(StrEnum):
    OWN = "own"
    THIRD_PARTY = "third_party"  # a 3PL's warehouse holding our goods
    RETURNS = "returns"  # returned goods wait here for inspection
    DEFECTIVE = "defective"
    VIRTUAL = "virtual"  # stock that is sold but not held (drop-ship, pre-sale)

    @property
    def supplies_sales(self) -> bool:
        """Whether its available stock is offered to channels by default."""
        return self in (WarehouseKind.OWN, WarehouseKind.THIRD_PARTY, WarehouseKind.VIRTUAL)


class WarehouseClosed(Conflict):
    code = "warehouse_closed"


@dataclass
class Warehouse(RecordsEvents):
    id: UUID
    code: str
    name: str
    kind: WarehouseKind
    region: str | None
    priority: int
    closed_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def open(
        cls,
        warehouse_id: UUID,
        code: str,
        name: str,
        kind: WarehouseKind,
        region: str | None,
        priority: int,
        now: datetime,
    ) -> Warehouse:
        warehouse = cls(
            warehouse_id,
            bounded_text("code", code, 64),
            bounded_text("name", name, 200),
            kind,
            (region or "").strip() or None,
            priority,
            None,
            1,
            now,
            now,
        )
        warehouse.record_event(DomainEvent("inventory.warehouse_opened", ENTITY, warehouse_id))
        return warehouse

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    def snapshot(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind.value,
            "region": self.region,
            "priority": self.priority,
            "closed": self.closed,
        }

    def revise(self, name: str, region: str | None, priority: int, now: datetime) -> bool:
        """Change the name, region and priority; False (no new version) if none changed."""
        name = bounded_text("name", name, 200)
        region = (region or "").strip() or None
        changed = [
            field
            for field, old, new in (
                ("name", self.name, name),
                ("region", self.region, region),
                ("priority", self.priority, priority),
            )
            if old != new
        ]
        if not changed:
            return False
        self.name, self.region, self.priority = name, region, priority
        self._bump(now, "inventory.warehouse_updated", tuple(changed))
        return True

    def close(self, now: datetime) -> None:
        if self.closed:
            raise Conflict("warehouse_already_closed")
        self.closed_at = now
        self._bump(now, "inventory.warehouse_closed", ("closed",))

    def check_accepts_stock(self) -> None:
        """New stock (a receipt, a return, a positive adjustment) needs an open warehouse."""
        if self.closed:
            raise WarehouseClosed(warehouse=self.code)

    def _bump(self, now: datetime, event: str, fields: tuple[str, ...]) -> None:
        self.version += 1
        self.updated_at = now
        self.record_event(DomainEvent(event, ENTITY, self.id, fields))


@dataclass(frozen=True)
class Bin:
    """A bin location (库位) in a warehouse: a code unique within the warehouse, and the
    zone (区) it lies in, if the warehouse has zones (fulfilment groups waves by it)."""

    id: UUID
    warehouse_id: UUID
    code: str
    name: str | None
    created_at: datetime
    zone: str | None = None

    @classmethod
    def create(
        cls,
        bin_id: UUID,
        warehouse: Warehouse,
        code: str,
        name: str | None,
        now: datetime,
        zone: str | None = None,
    ) -> Bin:
        warehouse.check_accepts_stock()
        zone = bounded_text("zone", zone, MAX_ZONE) if zone is not None else None
        return cls(bin_id, warehouse.id, bounded_text("code", code, 64), name, now, zone)
