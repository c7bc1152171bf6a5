"""In-memory inventory store (``uow.of(INVENTORY)``), held to the ports like the Postgres
adapter: a movement applies only while the level has what it takes (the conditional
update) and appends its ledger row; a SKU the tenant does not have is refused (the
foreign key); due reservations already taken by another sweep are skipped."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import NoReturn
from uuid import UUID

from application.inventory.ports import (
    INVENTORY,
    ChannelSupplyRepository,
    CostPosition,
    InventoryStore,
    LedgerDifference,
    LevelPosition,
    Logged,
    ReservationRepository,
    StockCosts,
    StockRepository,
    Valuation,
    ValuedLevel,
    WarehouseRepository,
)
from domain.inventory.availability import ChannelSupply
from domain.inventory.costing import ZERO, Correction, CostingMethod, CostPool, ValuedMovement
from domain.inventory.reservation import Reservation, ReservationStatus
from domain.inventory.stock import (
    FIGURES,
    Deltas,
    LedgerEntry,
    Movement,
    StockLevel,
    needs_available,
)
from domain.inventory.warehouse import Bin, Warehouse
from domain.shared.errors import Conflict, NotFound, StaleVersion
from tests.fakes.stores import FakeStore

LevelKey = tuple[UUID, UUID, UUID | None]
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
    method: CostingMethod = CostingMethod.FIFO
    method_version: int = 0
    pools: dict[tuple[UUID, UUID], CostPool] = field(default_factory=dict)
    weights: dict[UUID, Decimal] = field(default_factory=dict)  # the catalog's, per unit

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
        self, at: datetime, sku_id: UUID | None, warehouse_id: UUID | None
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
        return Valuation(at, None, levels)

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

    async def first_valued(self) -> datetime | None:
        await self._postgres_only()

    async def close(self, previous: datetime | None, closes_at: datetime) -> int:
        await self._postgres_only()


class FakeInventoryStore(InventoryStore):
    def __init__(self, tables: InventoryTables) -> None:
        self.warehouses = FakeWarehouseRepository(tables)
        self.stock = FakeStockRepository(tables)
        self.reservations = FakeReservationRepository(tables)
        self.channel_supply = FakeChannelSupplyRepository(tables)
        self.costs = FakeStockCosts(tables)


def build(tables: InventoryTables) -> InventoryStore:
    return FakeInventoryStore(tables)


# Found by the fake unit of work (tests/fakes/stores.py).
FAKE = FakeStore(INVENTORY, InventoryTables, lambda tables, parts: build(tables))
