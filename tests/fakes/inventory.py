"""In-memory inventory store (``uow.of(INVENTORY)``), held to the ports like the Postgres
adapter: a movement applies only while the level has what it takes (the conditional
update) and appends its ledger row; a SKU the tenant does not have is refused (the
foreign key); due reservations already taken by another sweep are skipped."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TypeVar
from uuid import UUID

from application.inventory.ports import (
    INVENTORY,
    ChannelSupplyRepository,
    CountedLine,
    CountRepository,
    InventoryStore,
    LedgerDifference,
    LevelPosition,
    ReservationRepository,
    StockRepository,
    TransferRepository,
    UnitCostReader,
    WarehouseRepository,
)
from domain.inventory.availability import ChannelSupply
from domain.inventory.count import CountKind, CountLine, CountSession
from domain.inventory.reservation import Reservation, ReservationStatus
from domain.inventory.stock import (
    FIGURES,
    Deltas,
    LedgerEntry,
    Movement,
    MovementKind,
    StockLevel,
    needs_available,
)
from domain.inventory.transfer import Transfer
from domain.inventory.warehouse import Bin, Warehouse
from domain.shared.errors import Conflict, NotFound, StaleVersion
from tests.fakes.stores import FakeStore

LevelKey = tuple[UUID, UUID, UUID | None]
A = TypeVar("A", CountSession, Transfer)
EPOCH = datetime(2026, 1, 1)


@dataclass
class InventoryTables:
    skus: set[UUID] = field(default_factory=set)  # what the catalog's skus table holds
    warehouses: dict[UUID, Warehouse] = field(default_factory=dict)
    bins: dict[UUID, Bin] = field(default_factory=dict)
    levels: dict[LevelKey, Deltas] = field(default_factory=dict)
    ledger: list[LedgerEntry] = field(default_factory=list)
    reservations: dict[UUID, Reservation] = field(default_factory=dict)
    supplies: dict[UUID, ChannelSupply] = field(default_factory=dict)
    announced: dict[tuple[UUID, UUID], int] = field(default_factory=dict)
    counts: dict[UUID, CountSession] = field(default_factory=dict)
    count_lines: dict[UUID, dict[UUID, CountLine]] = field(default_factory=dict)
    transfers: dict[UUID, Transfer] = field(default_factory=dict)

    def copy(self) -> InventoryTables:
        return copy.deepcopy(self)


class FakeWarehouseRepository(WarehouseRepository):
    def __init__(self, tables: InventoryTables) -> None:
        self._t = tables

    async def get(self, warehouse_id: UUID) -> Warehouse | None:
        return copy.deepcopy(self._t.warehouses.get(warehouse_id))

    async def add(self, warehouse: Warehouse) -> None:
        if any(w.code == warehouse.code for w in self._t.warehouses.values()):
            raise Conflict("warehouse_code_taken")
        self._t.warehouses[warehouse.id] = copy.deepcopy(warehouse)

    async def save(self, warehouse: Warehouse, expected_version: int) -> None:
        stored = self._t.warehouses.get(warehouse.id)
        if stored is None or stored.version != expected_version:
            raise StaleVersion(expected=expected_version)
        self._t.warehouses[warehouse.id] = copy.deepcopy(warehouse)

    async def page(self, after: UUID | None, limit: int) -> list[Warehouse]:
        found = sorted(self._t.warehouses.values(), key=lambda w: w.id)
        return [copy.deepcopy(w) for w in found if after is None or w.id > after][:limit]

    async def all(self) -> list[Warehouse]:
        found = sorted(self._t.warehouses.values(), key=lambda w: (w.priority, w.code))
        return [copy.deepcopy(w) for w in found]

    async def add_bin(self, bin: Bin) -> None:
        if any(
            b.warehouse_id == bin.warehouse_id and b.code == bin.code for b in self._t.bins.values()
        ):
            raise Conflict("bin_code_taken")
        self._t.bins[bin.id] = bin

    async def bins(self, warehouse_id: UUID) -> list[Bin]:
        return sorted(
            (b for b in self._t.bins.values() if b.warehouse_id == warehouse_id),
            key=lambda b: b.code,
        )


class FakeStockRepository(StockRepository):
    def __init__(self, tables: InventoryTables) -> None:
        self._t = tables

    async def move(self, movement: Movement, actor: str) -> Deltas | None:
        if movement.sku_id not in self._t.skus:
            raise NotFound(entity="sku")
        key = (movement.sku_id, movement.warehouse_id, movement.batch_id)
        current = self._t.levels.get(key, Deltas())
        after = current + movement.deltas
        taken = needs_available(movement.deltas)
        if (taken and current.available < taken) or any(getattr(after, f) < 0 for f in FIGURES):
            return None
        self._t.levels[key] = after
        self._t.ledger.append(
            LedgerEntry(
                len(self._t.ledger) + 1,
                movement.sku_id,
                movement.warehouse_id,
                movement.batch_id,
                movement.bin_id,
                movement.kind,
                movement.deltas,
                movement.unit_cost,
                movement.source.type,
                movement.source.id,
                actor,
                movement.reason,
                EPOCH,
            )
        )
        return after

    async def level(
        self, sku_id: UUID, warehouse_id: UUID, batch_id: UUID | None = None
    ) -> StockLevel | None:
        found = self._t.levels.get((sku_id, warehouse_id, batch_id))
        return StockLevel(sku_id, warehouse_id, batch_id, found, EPOCH) if found else None

    async def levels(
        self,
        sku_id: UUID | None,
        warehouse_id: UUID | None,
        after: LevelPosition | None,
        limit: int,
    ) -> list[StockLevel]:
        found = [
            StockLevel(sku, warehouse, batch, figures, EPOCH)
            for (sku, warehouse, batch), figures in sorted(
                self._t.levels.items(), key=lambda item: (item[0][0], item[0][1])
            )
            if (sku_id is None or sku == sku_id)
            and (warehouse_id is None or warehouse == warehouse_id)
            and (after is None or (sku, warehouse) > (after.sku_id, after.warehouse_id))
        ]
        return found[:limit]

    async def stocked_skus(self) -> list[UUID]:
        return sorted({sku for sku, _, _ in self._t.levels})

    async def available(self, sku_ids: list[UUID]) -> dict[UUID, dict[UUID, int]]:
        found: dict[UUID, dict[UUID, int]] = {sku: {} for sku in sku_ids}
        for (sku, warehouse, _), figures in self._t.levels.items():
            if sku in found:
                found[sku][warehouse] = found[sku].get(warehouse, 0) + figures.available
        return found

    async def ledger(
        self, sku_id: UUID | None, warehouse_id: UUID | None, after: int | None, limit: int
    ) -> list[LedgerEntry]:
        return [
            e
            for e in self._t.ledger
            if (sku_id is None or e.sku_id == sku_id)
            and (warehouse_id is None or e.warehouse_id == warehouse_id)
            and (after is None or e.seq > after)
        ][:limit]

    async def differences(self) -> list[LedgerDifference]:
        sums: dict[LevelKey, Deltas] = {}
        for e in self._t.ledger:
            key = (e.sku_id, e.warehouse_id, e.batch_id)
            sums[key] = sums.get(key, Deltas()) + e.deltas
        return [
            LedgerDifference(*key, self._t.levels.get(key, Deltas()), sums.get(key, Deltas()))
            for key in set(sums) | set(self._t.levels)
            if self._t.levels.get(key, Deltas()) != sums.get(key, Deltas())
        ]


class FakeReservationRepository(ReservationRepository):
    def __init__(self, tables: InventoryTables) -> None:
        self._t = tables

    async def add(self, reservation: Reservation) -> None:
        self._t.reservations[reservation.id] = copy.deepcopy(reservation)

    async def get(self, reservation_id: UUID, *, for_update: bool = False) -> Reservation | None:
        # One unit of work at a time: nothing to lock.
        return copy.deepcopy(self._t.reservations.get(reservation_id))

    async def save(self, reservation: Reservation, expected_version: int) -> None:
        stored = self._t.reservations.get(reservation.id)
        if stored is None or stored.version != expected_version:
            raise StaleVersion(expected=expected_version)
        self._t.reservations[reservation.id] = copy.deepcopy(reservation)

    async def lock_due(self, now: datetime, limit: int) -> list[Reservation]:
        due = sorted(
            (
                r
                for r in self._t.reservations.values()
                if r.status is ReservationStatus.ACTIVE
                and r.expires_at is not None
                and r.expires_at <= now
            ),
            key=lambda r: r.expires_at or now,
        )
        return [copy.deepcopy(r) for r in due[:limit]]


class FakeChannelSupplyRepository(ChannelSupplyRepository):
    def __init__(self, tables: InventoryTables) -> None:
        self._t = tables

    async def get(self, channel_id: UUID) -> ChannelSupply | None:
        return self._t.supplies.get(channel_id)

    async def put(self, supply: ChannelSupply, expected_version: int, at: datetime) -> None:
        stored = self._t.supplies.get(supply.channel_id)
        if (stored.version if stored else 0) != expected_version:
            raise StaleVersion(expected=expected_version)
        self._t.supplies[supply.channel_id] = supply

    async def all(self) -> list[ChannelSupply]:
        return list(self._t.supplies.values())

    async def announce(self, channel_id: UUID, sku_id: UUID, quantity: int) -> bool:
        if self._t.announced.get((channel_id, sku_id)) == quantity:
            return False
        self._t.announced[(channel_id, sku_id)] = quantity
        return True


def _stored(aggregate: A) -> A:
    """A copy as a table holds it: without the events it recorded (those go to the outbox)."""
    stored = copy.deepcopy(aggregate)
    stored.events.clear()
    return stored


def _on_hand(t: InventoryTables, warehouse_id: UUID, sku_id: UUID) -> int:
    return sum(
        figures.on_hand
        for (sku, warehouse, _), figures in t.levels.items()
        if sku == sku_id and warehouse == warehouse_id
    )


class FakeCountRepository(CountRepository):
    def __init__(self, tables: InventoryTables) -> None:
        self._t = tables

    async def add(self, session: CountSession) -> None:
        self._t.counts[session.id] = _stored(session)
        self._t.count_lines[session.id] = {}

    async def get(self, session_id: UUID, *, for_update: bool = False) -> CountSession | None:
        return copy.deepcopy(self._t.counts.get(session_id))

    async def save(self, session: CountSession, expected_version: int) -> None:
        stored = self._t.counts.get(session.id)
        if stored is None or stored.version != expected_version:
            raise StaleVersion(expected=expected_version)
        self._t.counts[session.id] = _stored(session)

    async def fix_lines(self, session: CountSession) -> int:
        if session.kind is CountKind.FULL:
            skus = {s for (s, w, _) in self._t.levels if w == session.warehouse_id}
        else:
            skus = set(session.sku_ids) | {
                e.sku_id
                for e in self._t.ledger
                if e.warehouse_id == session.warehouse_id and e.bin_id in session.bin_ids
            }
        if skus - self._t.skus:
            raise NotFound(entity="sku")
        lines = self._t.count_lines[session.id]
        new = [s for s in skus if s not in lines]
        for sku in new:
            lines[sku] = CountLine(sku)
        return len(new)

    async def record(
        self, session_id: UUID, sku_id: UUID, counted: int, by: str, at: datetime, *, add: bool
    ) -> bool:
        lines = self._t.count_lines[session_id]
        if sku_id not in lines and not add:
            return False
        if sku_id not in self._t.skus:
            raise NotFound(entity="sku")
        book = _on_hand(self._t, self._t.counts[session_id].warehouse_id, sku_id)
        lines[sku_id] = CountLine(sku_id, counted, book, by, at)
        return True

    async def uncounted(self, session_id: UUID) -> int:
        return sum(li.counted is None for li in self._t.count_lines[session_id].values())

    async def lines(
        self, session_id: UUID, after: UUID | None = None, limit: int | None = None
    ) -> list[CountedLine]:
        warehouse = self._t.counts[session_id].warehouse_id
        found = [
            CountedLine(li, None, _on_hand(self._t, warehouse, sku))
            for sku, li in sorted(self._t.count_lines[session_id].items())
            if after is None or sku > after
        ]
        return found[:limit] if limit is not None else found

    async def page(self, after: UUID | None, limit: int) -> list[CountSession]:
        found = sorted(self._t.counts.values(), key=lambda s: s.id)
        return [copy.deepcopy(s) for s in found if after is None or s.id > after][:limit]

    async def mark_posted(self, session_id: UUID, sku_id: UUID, change: int) -> None:
        lines = self._t.count_lines[session_id]
        lines[sku_id] = dataclasses.replace(lines[sku_id], posted=change)


class FakeTransferRepository(TransferRepository):
    def __init__(self, tables: InventoryTables) -> None:
        self._t = tables

    async def add(self, transfer: Transfer) -> None:
        if any(li.sku_id not in self._t.skus for li in transfer.lines):
            raise NotFound(entity="sku")
        self._t.transfers[transfer.id] = _stored(transfer)

    async def get(self, transfer_id: UUID, *, for_update: bool = False) -> Transfer | None:
        return copy.deepcopy(self._t.transfers.get(transfer_id))

    async def save(self, transfer: Transfer, expected_version: int) -> None:
        stored = self._t.transfers.get(transfer.id)
        if stored is None or stored.version != expected_version:
            raise StaleVersion(expected=expected_version)
        self._t.transfers[transfer.id] = _stored(transfer)

    async def page(self, after: UUID | None, limit: int) -> list[Transfer]:
        found = sorted(self._t.transfers.values(), key=lambda t: t.id)
        return [
            dataclasses.replace(copy.deepcopy(t), lines=[], receipts=[])
            for t in found
            if after is None or t.id > after
        ][:limit]


class FakeUnitCosts(UnitCostReader):
    """As the provisional Postgres adapter: the latest receipt's unit cost."""

    def __init__(self, tables: InventoryTables) -> None:
        self._t = tables

    async def unit_costs(self, warehouse_id: UUID, sku_ids: Sequence[UUID]) -> dict[UUID, Decimal]:
        found: dict[UUID, Decimal] = {}
        for e in self._t.ledger:
            if (
                e.warehouse_id == warehouse_id
                and e.sku_id in sku_ids
                and e.kind is MovementKind.RECEIPT
                and e.unit_cost is not None
            ):
                found[e.sku_id] = e.unit_cost
        return found


class FakeInventoryStore(InventoryStore):
    def __init__(self, tables: InventoryTables) -> None:
        self.warehouses = FakeWarehouseRepository(tables)
        self.stock = FakeStockRepository(tables)
        self.reservations = FakeReservationRepository(tables)
        self.channel_supply = FakeChannelSupplyRepository(tables)
        self.counts = FakeCountRepository(tables)
        self.transfers = FakeTransferRepository(tables)
        self.unit_costs = FakeUnitCosts(tables)


def build(tables: InventoryTables) -> InventoryStore:
    return FakeInventoryStore(tables)


# Found by the fake unit of work (tests/fakes/stores.py).
FAKE = FakeStore(INVENTORY, InventoryTables, lambda tables, parts: build(tables))
