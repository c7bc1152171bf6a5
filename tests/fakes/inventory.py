"""In-memory inventory store (``uow.of(INVENTORY)``), held to the ports like the Postgres
adapter: a movement applies only while the level has what it takes (the conditional
update) and appends its ledger row; a SKU the tenant does not have is refused (the
foreign key); due reservations already taken by another sweep are skipped."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import NoReturn, TypeVar
from uuid import UUID

from application.inventory.ports import (
    INVENTORY,
    AlertPosition,
    BatchRepository,
    BinPlace,
    ChannelSupplyRepository,
    CostPosition,
    CountedBatch,
    CountedLine,
    CountRepository,
    ExpiringStock,
    IdleStock,
    InventoryStore,
    LedgerDifference,
    LevelPosition,
    Logged,
    NamedSku,
    ReservationRepository,
    SerialDifference,
    SerialRecord,
    SkuDirectory,
    StockAlertRepository,
    StockAnalysis,
    StockCosts,
    StockImportRecord,
    StockImportRepository,
    StockRepository,
    StockValues,
    TransferRepository,
    Turnover,
    UnitCostReader,
    Valuation,
    ValuedLevel,
    WarehousePosition,
    WarehouseRepository,
)
from domain.inventory.alerts import (
    AlertKind,
    AlertRobot,
    AlertStatus,
    CategoryThreshold,
    StockAlert,
    StockThreshold,
    Thresholds,
    Watched,
)
from domain.inventory.availability import ChannelSupply
from domain.inventory.batches import (
    Batch,
    BatchInput,
    BatchStock,
    Pick,
    SkuStockSettings,
    StockSettings,
)
from domain.inventory.costing import ZERO, Correction, CostingMethod, CostPool, ValuedMovement, unit
from domain.inventory.count import BatchCountLine, CountKind, CountLine, CountSession
from domain.inventory.opening_stock import Place
from domain.inventory.reservation import Reservation, ReservationStatus
from domain.inventory.stock import (
    FIGURES,
    Deltas,
    LedgerEntry,
    Movement,
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
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


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
    thresholds: dict[tuple[UUID, UUID], StockThreshold] = field(default_factory=dict)
    category_thresholds: dict[UUID, CategoryThreshold] = field(default_factory=dict)
    # What the catalog's products and closure say: each SKU's categories, nearest first.
    sku_categories: dict[UUID, list[UUID]] = field(default_factory=dict)
    alerts: dict[UUID, StockAlert] = field(default_factory=dict)
    robot: AlertRobot | None = None
    method: CostingMethod = CostingMethod.FIFO
    method_version: int = 0
    pools: dict[tuple[UUID, UUID], CostPool] = field(default_factory=dict)
    weights: dict[UUID, Decimal] = field(default_factory=dict)  # the catalog's, per unit
    stock_settings: StockSettings = field(default_factory=StockSettings)
    sku_settings: dict[UUID, SkuStockSettings] = field(default_factory=dict)

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

    async def all_with_supplies(self) -> tuple[list[Warehouse], list[ChannelSupply]]:
        return await self.all(), list(self._t.supplies.values())

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

    async def bin_places(self, warehouse_id: UUID, sku_ids: list[UUID]) -> dict[UUID, BinPlace]:
        found: dict[UUID, BinPlace] = {}
        for entry in self._t.ledger:  # oldest first: the latest bin wins
            if (
                entry.warehouse_id == warehouse_id
                and entry.sku_id in sku_ids
                and entry.bin_id in self._t.bins
                and entry.deltas.on_hand > 0
            ):
                bin = self._t.bins[entry.bin_id]
                found[entry.sku_id] = BinPlace(bin.code, bin.zone)
        return found


class FakeStockRepository(StockRepository):
    def __init__(self, tables: InventoryTables) -> None:
        self._t = tables

    async def move(self, movement: Movement, actor: str) -> Deltas | None:
        logged = await self.move_logged(movement, actor)
        return logged.figures if logged else None

    async def move_logged(self, movement: Movement, actor: str) -> Logged | None:
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
                movement.cost_amount,
                movement.effective_at or EPOCH,
            )
        )
        return Logged(after, len(self._t.ledger), movement.effective_at or EPOCH)

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

    async def lock_available(self, sku_ids: list[UUID]) -> dict[UUID, dict[UUID, int]]:
        # One unit of work at a time: nothing to lock. Unbatched levels only (as Postgres).
        found: dict[UUID, dict[UUID, int]] = {sku: {} for sku in sku_ids}
        for (sku, warehouse, batch), figures in self._t.levels.items():
            if sku in found and batch is None:
                found[sku][warehouse] = figures.available
        return found

    async def reserve_many(self, movements: list[Movement], actor: str) -> bool:
        needed: dict[tuple[UUID, UUID], int] = {}
        for m in movements:
            needed[(m.sku_id, m.warehouse_id)] = needed.get((m.sku_id, m.warehouse_id), 0) + (
                m.deltas.reserved
            )
        for (sku, warehouse), units in needed.items():
            if self._t.levels.get((sku, warehouse, None), Deltas()).available < units:
                return False  # as the conditional update: nothing of it written
        for m in movements:
            await self.move_logged(m, actor)
        return True

    async def ledger(
        self, sku_id: UUID | None, warehouse_id: UUID | None, after: int | None, limit: int
    ) -> list[LedgerEntry]:
        running: dict[tuple[UUID, UUID], Deltas] = {}
        found = []
        for e in self._t.ledger:
            level = (e.sku_id, e.warehouse_id)
            running[level] = running.get(level, Deltas()) + e.deltas
            if (
                (sku_id is None or e.sku_id == sku_id)
                and (warehouse_id is None or e.warehouse_id == warehouse_id)
                and (after is None or e.seq > after)
            ):
                found.append(dataclasses.replace(e, figures_after=running[level]))
        return found[:limit]

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

    async def add_many(self, added: list[Reservation]) -> None:
        for reservation in added:
            await self.add(reservation)

    async def get(self, reservation_id: UUID, *, for_update: bool = False) -> Reservation | None:
        # One unit of work at a time: nothing to lock.
        return copy.deepcopy(self._t.reservations.get(reservation_id))

    async def save(self, reservation: Reservation, expected_version: int) -> None:
        stored = self._t.reservations.get(reservation.id)
        if stored is None or stored.version != expected_version:
            raise StaleVersion(expected=expected_version)
        self._t.reservations[reservation.id] = copy.deepcopy(reservation)

    async def warehouses(self, reservation_ids: Sequence[UUID]) -> dict[UUID, frozenset[UUID]]:
        return {
            r: frozenset(line.warehouse_id for line in self._t.reservations[r].lines)
            for r in reservation_ids
            if r in self._t.reservations
        }

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
    # Counts by batch (INV-8) are Postgres-only, like batch stock (FakeBatchRepository).
    async def batch_lines(self, session_id: UUID) -> dict[UUID, list[BatchCountLine]]:
        return {}

    async def record_batches(
        self, session_id: UUID, sku_id: UUID, counted: dict[UUID, int]
    ) -> None:
        raise NotImplementedError("counts by batch: Postgres only")

    async def mark_batch_posted(self, session_id: UUID, line: BatchCountLine, change: int) -> None:
        raise NotImplementedError("counts by batch: Postgres only")

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

    async def add_counted(
        self, session_id: UUID, sku_id: UUID, units: int, by: str, at: datetime, *, add: bool
    ) -> int | None:
        line = self._t.count_lines[session_id].get(sku_id)
        counted = (line.counted if line else None) or 0
        if not await self.record(session_id, sku_id, counted + units, by, at, add=add):
            return None
        return counted + units

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

    async def record_serials(self, session_id: UUID, sku_id: UUID, serials: list[str]) -> None:
        raise NotImplementedError("serials: tests/integration/inventory")

    async def batch_report(self, session_id: UUID) -> dict[UUID, list[CountedBatch]]:
        return {}  # batch stock is Postgres-only (FakeBatchRepository)

    async def serial_lines(self, session_id: UUID) -> dict[UUID, SerialDifference]:
        return {}  # serials are Postgres-only (FakeBatchRepository)

    async def mark_posted(self, session_id: UUID, sku_id: UUID, change: int) -> None:
        lines = self._t.count_lines[session_id]
        lines[sku_id] = dataclasses.replace(lines[sku_id], posted=change)


class FakeTransferRepository(TransferRepository):
    async def in_transit_batches(self, transfer: Transfer, sku_id: UUID) -> list[tuple[UUID, int]]:
        return []  # batch stock is Postgres-only (FakeBatchRepository)

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
    """As the Postgres adapter: costing's position, value ÷ quantity (the pool's)."""

    def __init__(self, tables: InventoryTables) -> None:
        self._t = tables

    async def unit_costs(self, warehouse_id: UUID, sku_ids: Sequence[UUID]) -> dict[UUID, Decimal]:
        pools = ((sku, self._t.pools.get((sku, warehouse_id))) for sku in sku_ids)
        return {sku: pool.unit_cost for sku, pool in pools if pool is not None}

    async def average_unit_costs(self, sku_ids: Sequence[UUID]) -> dict[UUID, Decimal]:
        found: dict[UUID, Decimal] = {}
        for sku in sku_ids:
            pools = [p for (s, _), p in self._t.pools.items() if s == sku]
            quantity = sum(p.quantity for p in pools)
            value = sum((p.value for p in pools), Decimal(0))
            if quantity:
                found[sku] = unit(value / quantity)
            elif pools and (last := max(p.unit_cost for p in pools)):
                found[sku] = last
        return found


class FakeStockAlertRepository(StockAlertRepository):
    """Thresholds and alerts in memory: the same effective thresholds (own, field by field
    else the nearest category default) and one open alert per SKU × warehouse × kind."""

    def __init__(self, tables: InventoryTables) -> None:
        self._t = tables

    def _effective(self, sku_id: UUID, warehouse_id: UUID) -> Thresholds | None:
        own = self._t.thresholds.get((sku_id, warehouse_id))
        default = next(
            (
                self._t.category_thresholds[c]
                for c in self._t.sku_categories.get(sku_id, [])
                if c in self._t.category_thresholds
            ),
            None,
        )
        if own is None and default is None:
            return None
        mine = own.thresholds if own else Thresholds()
        theirs = default.thresholds if default else Thresholds()
        low = mine.low if mine.low is not None else theirs.low
        high = mine.high if mine.high is not None else theirs.high
        return Thresholds.in_force(low, high)

    async def watch(self, levels: list[tuple[UUID, UUID]] | None) -> list[Watched]:
        sums: dict[tuple[UUID, UUID], Deltas] = {}
        for (sku, warehouse, _), figures in self._t.levels.items():
            sums[(sku, warehouse)] = sums.get((sku, warehouse), Deltas()) + figures
        wanted = sorted(sums) if levels is None else [k for k in levels if k in sums]
        found = []
        for key in wanted:
            open_kinds = frozenset(
                a.kind
                for a in self._t.alerts.values()
                if (a.sku_id, a.warehouse_id) == key and a.status is AlertStatus.OPEN
            )
            thresholds = self._effective(*key)
            if thresholds is None and not open_kinds:
                continue
            figures = sums[key]
            found.append(
                Watched(
                    key[0],
                    key[1],
                    figures.on_hand,
                    figures.on_hand - figures.reserved - figures.pick_locked,
                    thresholds or Thresholds(),
                    open_kinds,
                )
            )
        return found

    def _open(self, sku_id: UUID, warehouse_id: UUID, kind: AlertKind) -> StockAlert | None:
        return next(
            (
                a
                for a in self._t.alerts.values()
                if (a.sku_id, a.warehouse_id, a.kind) == (sku_id, warehouse_id, kind)
                and a.status is AlertStatus.OPEN
            ),
            None,
        )

    async def raise_alert(self, alert: StockAlert) -> bool:
        if self._open(alert.sku_id, alert.warehouse_id, alert.kind) is not None:
            return False
        self._t.alerts[alert.id] = alert
        return True

    async def resolve(
        self, sku_id: UUID, warehouse_id: UUID, kind: AlertKind, at: datetime
    ) -> UUID | None:
        found = self._open(sku_id, warehouse_id, kind)
        if found is None:
            return None
        self._t.alerts[found.id] = dataclasses.replace(
            found, status=AlertStatus.RESOLVED, resolved_at=at
        )
        return found.id

    async def get(self, alert_id: UUID) -> StockAlert | None:
        return self._t.alerts.get(alert_id)

    async def page(
        self,
        status: AlertStatus | None,
        sku_id: UUID | None,
        warehouse_id: UUID | None,
        after: AlertPosition | None,
        limit: int,
    ) -> list[StockAlert]:
        found = [
            a
            for a in self._t.alerts.values()
            if (status is None or a.status is status)
            and (sku_id is None or a.sku_id == sku_id)
            and (warehouse_id is None or a.warehouse_id == warehouse_id)
            and (after is None or (a.raised_at, a.id) < (after.raised_at, after.id))
        ]
        return sorted(found, key=lambda a: (a.raised_at, a.id), reverse=True)[:limit]

    async def threshold(self, sku_id: UUID, warehouse_id: UUID) -> StockThreshold | None:
        return self._t.thresholds.get((sku_id, warehouse_id))

    async def put_threshold(self, threshold: StockThreshold, expected_version: int) -> None:
        key = (threshold.sku_id, threshold.warehouse_id)
        current = self._t.thresholds.get(key)
        if (current.version if current else 0) != expected_version:
            raise StaleVersion(expected=expected_version)
        if threshold.sku_id not in self._t.skus:
            raise NotFound(entity="sku")
        if threshold.thresholds.empty:
            self._t.thresholds.pop(key, None)
        else:
            self._t.thresholds[key] = threshold

    async def thresholds(
        self,
        sku_id: UUID | None,
        warehouse_id: UUID | None,
        after: LevelPosition | None,
        limit: int,
    ) -> list[StockThreshold]:
        found = [
            t
            for (s, w), t in sorted(self._t.thresholds.items(), key=lambda i: i[0])
            if (sku_id is None or s == sku_id)
            and (warehouse_id is None or w == warehouse_id)
            and (after is None or (s, w) > (after.sku_id, after.warehouse_id))
        ]
        return found[:limit]

    async def category_threshold(self, category_id: UUID) -> CategoryThreshold | None:
        return self._t.category_thresholds.get(category_id)

    async def put_category_threshold(
        self, threshold: CategoryThreshold, expected_version: int
    ) -> None:
        current = self._t.category_thresholds.get(threshold.category_id)
        if (current.version if current else 0) != expected_version:
            raise StaleVersion(expected=expected_version)
        if threshold.thresholds.empty:
            self._t.category_thresholds.pop(threshold.category_id, None)
        else:
            self._t.category_thresholds[threshold.category_id] = threshold

    async def category_thresholds(self) -> list[CategoryThreshold]:
        return sorted(self._t.category_thresholds.values(), key=lambda t: t.category_id)

    async def robot(self) -> AlertRobot | None:
        return self._t.robot

    async def put_robot(self, robot: AlertRobot | None, expected_version: int) -> None:
        if (self._t.robot.version if self._t.robot else 0) != expected_version:
            raise StaleVersion(expected=expected_version)
        self._t.robot = robot


class PostgresOnly(StockAnalysis, StockValues, StockImportRepository, SkuDirectory):
    """The daily position, the analysis, stock values, the import records and the SKUs
    by code are SQL aggregates and look-ups in the catalog's tables: their tests run on Postgres
    (tests/integration/inventory), so the fake store refuses them loudly."""

    def _refuse(self) -> AssertionError:
        return AssertionError("Postgres only: see tests/integration/inventory")

    async def position(
        self, day_start: datetime, day_end: datetime, warehouse_id: UUID | None
    ) -> list[WarehousePosition]:
        raise self._refuse()

    async def turnover(
        self,
        start: datetime,
        end: datetime,
        by_category: bool,
        warehouse_id: UUID | None,
        category_id: UUID | None,
        limit: int,
    ) -> list[Turnover]:
        raise self._refuse()

    async def idle(
        self, since: datetime, now: datetime, warehouse_id: UUID | None, limit: int
    ) -> list[IdleStock]:
        raise self._refuse()

    async def values(self, warehouse_ids: list[UUID]) -> dict[UUID, tuple[Decimal, Decimal]]:
        raise self._refuse()

    async def values_at(
        self, at: datetime, warehouse_ids: list[UUID]
    ) -> dict[UUID, tuple[Decimal, Decimal]]:
        raise self._refuse()

    async def add(self, record: StockImportRecord) -> None:
        raise self._refuse()

    async def get(
        self, import_id: UUID, *, for_update: bool = False, with_content: bool = False
    ) -> StockImportRecord | None:
        raise self._refuse()

    async def save(self, record: StockImportRecord) -> None:
        raise self._refuse()

    async def lookups(
        self, sku_codes: set[str], warehouse_codes: set[str]
    ) -> tuple[dict[str, UUID], dict[str, Place], dict[tuple[UUID, str], UUID]]:
        raise self._refuse()

    async def find(self, code_key: str, barcode_key: str) -> NamedSku | None:
        raise self._refuse()


class FakeStockCosts(StockCosts):
    """The live costing subset (method, pools, positions, value at a date from the
    ledger); re-valuations and closings are Postgres work (tests/integration)."""

    def __init__(self, tables: InventoryTables) -> None:
        self._t = tables

    async def position(self, sku_id: UUID, warehouse_id: UUID) -> CostPosition:
        pool = self._t.pools.get((sku_id, warehouse_id))
        if pool is None:
            return CostPosition(sku_id, warehouse_id, 0, ZERO, ZERO)
        return CostPosition(sku_id, warehouse_id, pool.quantity, pool.value, pool.unit_cost)

    async def method(self) -> tuple[CostingMethod, int]:
        return self._t.method, self._t.method_version

    async def share_method(self) -> CostingMethod:
        return self._t.method

    async def lock_method(self) -> tuple[CostingMethod, int]:
        return self._t.method, self._t.method_version

    async def set_method(self, method: CostingMethod, expected_version: int, at: datetime) -> int:
        if expected_version != self._t.method_version:
            raise StaleVersion(expected=expected_version)
        self._t.method, self._t.method_version = method, expected_version + 1
        return self._t.method_version

    async def has_history(self) -> bool:
        return any(e.cost_amount is not None for e in self._t.ledger)

    async def lock_pool(
        self, sku_id: UUID, warehouse_id: UUID, method: CostingMethod, need: int = 0
    ) -> CostPool:
        if sku_id not in self._t.skus:
            raise NotFound(entity="sku")
        return self._t.pools.get((sku_id, warehouse_id), CostPool(method)).copy()

    async def save_pool(
        self, sku_id: UUID, warehouse_id: UUID, pool: CostPool, *, rewrite: bool = False
    ) -> None:
        self._t.pools[(sku_id, warehouse_id)] = pool.copy()

    async def sku_weights(self, sku_ids: list[UUID]) -> dict[UUID, Decimal]:
        return {sku: self._t.weights[sku] for sku in sku_ids if sku in self._t.weights}

    async def value_at(
        self,
        at: datetime,
        sku_id: UUID | None,
        warehouse_id: UUID | None,
        after: tuple[UUID, UUID] | None = None,
        limit: int | None = None,
    ) -> Valuation:
        sums: dict[tuple[UUID, UUID], tuple[int, Decimal]] = {}
        for e in self._t.ledger:
            if e.cost_amount is None or (e.effective_at or EPOCH) >= at:
                continue
            if (sku_id and e.sku_id != sku_id) or (warehouse_id and e.warehouse_id != warehouse_id):
                continue
            q, v = sums.get((e.sku_id, e.warehouse_id), (0, ZERO))
            moved = e.deltas.on_hand + e.deltas.non_sellable
            sums[(e.sku_id, e.warehouse_id)] = (q + moved, v + e.cost_amount)
        levels = [
            ValuedLevel(sku, warehouse, q, v)
            for (sku, warehouse), (q, v) in sorted(sums.items())
            if q or v
        ]
        total = sum((level.value for level in levels), ZERO) if after is None else None
        page = [lv for lv in levels if after is None or (lv.sku_id, lv.warehouse_id) > after]
        return Valuation(at, None, page[:limit] if limit is not None else page, total)

    async def _postgres_only(self) -> NoReturn:
        raise NotImplementedError("re-valuations and closings: tests/integration/inventory")

    async def pool_before(
        self,
        sku_id: UUID,
        warehouse_id: UUID,
        method: CostingMethod,
        effective_at: datetime,
        seq: int,
    ) -> CostPool:
        await self._postgres_only()

    async def valued_from(
        self, sku_id: UUID, warehouse_id: UUID, effective_at: datetime, seq: int
    ) -> list[ValuedMovement]:
        await self._postgres_only()

    async def closings_after(self, effective_at: datetime) -> list[datetime]:
        await self._postgres_only()

    async def correct(
        self,
        sku_id: UUID,
        warehouse_id: UUID,
        corrections: list[Correction],
        job_id: UUID | None,
    ) -> None:
        await self._postgres_only()

    async def rewrite_closings(
        self, sku_id: UUID, warehouse_id: UUID, states: dict[datetime, tuple[int, Decimal]]
    ) -> None:
        await self._postgres_only()

    async def hold_closings(self) -> None:
        await self._postgres_only()

    async def last_closing(self) -> datetime | None:
        await self._postgres_only()

    async def closings(self) -> list[datetime]:
        await self._postgres_only()

    async def prune_closings(self, closings: list[datetime]) -> None:
        await self._postgres_only()

    async def first_valued(self) -> datetime | None:
        await self._postgres_only()

    async def close(self, previous: datetime | None, closes_at: datetime) -> int:
        await self._postgres_only()


class FakeBatchRepository(BatchRepository):
    """The settings (what every receipt and issue reads); batches, batch stock and
    serials are set-based SQL, tested on Postgres (tests/integration/inventory)."""

    def __init__(self, tables: InventoryTables) -> None:
        self._t = tables

    async def _postgres_only(self) -> NoReturn:
        raise NotImplementedError("batches and serials: tests/integration/inventory")

    async def hold(
        self,
        reservation_id: UUID,
        line_no: int,
        sku_id: UUID,
        warehouse_id: UUID,
        picks: list[Pick],
    ) -> None:
        await self._postgres_only()

    async def unhold(self, reservation_id: UUID) -> dict[int, list[tuple[UUID, int]]]:
        return {}  # nothing is held: batch stock is Postgres-only

    async def settings(self) -> StockSettings:
        return self._t.stock_settings

    async def put_settings(
        self, settings: StockSettings, expected_version: int, at: datetime
    ) -> None:
        if self._t.stock_settings.version != expected_version:
            raise StaleVersion(expected=expected_version)
        self._t.stock_settings = dataclasses.replace(settings, version=expected_version + 1)

    async def sku_settings(self, sku_id: UUID) -> SkuStockSettings:
        if sku_id not in self._t.skus:
            raise NotFound(entity="sku")
        return self._t.sku_settings.get(sku_id, SkuStockSettings(sku_id))

    async def put_sku_settings(
        self, settings: SkuStockSettings, expected_version: int, at: datetime
    ) -> None:
        if (await self.sku_settings(settings.sku_id)).version != expected_version:
            raise StaleVersion(expected=expected_version)
        changed = dataclasses.replace(settings, version=expected_version + 1)
        self._t.sku_settings[settings.sku_id] = changed

    async def kept(self, sku_ids: set[UUID]) -> set[UUID]:
        return {
            sku
            for sku in sku_ids
            if (s := self._t.sku_settings.get(sku)) and (s.batch_managed or s.serial_managed)
        }

    async def batch(self, sku_id: UUID, batch: BatchInput, new_id: UUID, at: datetime) -> Batch:
        await self._postgres_only()

    async def named(self, sku_id: UUID, number: str) -> Batch | None:
        await self._postgres_only()

    async def stock(
        self, sku_id: UUID, warehouse_id: UUID, *, lock: bool = False
    ) -> list[BatchStock]:
        await self._postgres_only()

    async def expiring(
        self, until: date, warehouse_id: UUID | None, sku_id: UUID | None, limit: int
    ) -> list[ExpiringStock]:
        await self._postgres_only()

    async def put_serials(
        self, sku_id: UUID, warehouse_id: UUID, batch_id: UUID | None, serials: list[str]
    ) -> list[str]:
        await self._postgres_only()

    async def take_serials(
        self,
        sku_id: UUID,
        warehouse_id: UUID,
        serials: list[str],
        *,
        in_transit_to: UUID | None = None,
    ) -> dict[str, UUID | None]:
        await self._postgres_only()

    async def arrive_serials(
        self,
        sku_id: UUID,
        transfer_id: UUID,
        warehouse_id: UUID,
        serials: list[str],
        lost: list[str],
    ) -> dict[str, UUID | None]:
        await self._postgres_only()

    async def serial_states(self, sku_id: UUID, serials: list[str]) -> dict[str, bool]:
        await self._postgres_only()

    async def record_serial_moves(self, sku_id: UUID, moves: dict[int, list[str]]) -> None:
        await self._postgres_only()

    async def serial(self, sku_id: UUID, serial: str) -> SerialRecord | None:
        await self._postgres_only()


class FakeInventoryStore(InventoryStore):
    def __init__(self, tables: InventoryTables) -> None:
        self.warehouses = FakeWarehouseRepository(tables)
        self.stock = FakeStockRepository(tables)
        self.reservations = FakeReservationRepository(tables)
        self.channel_supply = FakeChannelSupplyRepository(tables)
        self.counts = FakeCountRepository(tables)
        self.transfers = FakeTransferRepository(tables)
        self.unit_costs = FakeUnitCosts(tables)
        self.alerts = FakeStockAlertRepository(tables)
        postgres_only = PostgresOnly()
        self.analysis = postgres_only
        self.values = postgres_only
        self.stock_imports = postgres_only
        self.skus = postgres_only
        self.costs = FakeStockCosts(tables)
        self.batches = FakeBatchRepository(tables)


def build(tables: InventoryTables) -> InventoryStore:
    return FakeInventoryStore(tables)


# Found by the fake unit of work (tests/fakes/stores.py).
FAKE = FakeStore(INVENTORY, InventoryTables, lambda tables, parts: build(tables))
