"""The inventory module's ports (INV-1, INV-2, INV-6, CHN-1/CHN-2).

``StockReservations`` is the port other modules call (orders reserve, release, pick and
ship through it inside their own transaction); the repositories and the store are what
inventory's own use cases work with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from application.shared.unit_of_work import StoreKey
from application.shared.use_case import Work
from domain.inventory.availability import ChannelSupply
from domain.inventory.costing import Correction, CostingMethod, CostPool, ValuedMovement
from domain.inventory.reservation import RequestedLine, Reservation
from domain.inventory.stock import Deltas, LedgerEntry, Movement, StockLevel
from domain.inventory.warehouse import Bin, Warehouse


class WarehouseRepository(Protocol):
    async def get(self, warehouse_id: UUID) -> Warehouse | None: ...

    async def add(self, warehouse: Warehouse) -> None:
        """Raises ``Conflict("warehouse_code_taken")`` for a code the tenant already uses."""
        ...

    async def save(self, warehouse: Warehouse, expected_version: int) -> None: ...

    async def page(self, after: UUID | None, limit: int) -> list[Warehouse]:
        """In id (creation) order, starting after the id ``after``."""
        ...

    async def all(self) -> list[Warehouse]:
        """Every warehouse of the tenant, by priority then code (allocation reads them)."""
        ...

    async def add_bin(self, bin: Bin) -> None:
        """Raises ``Conflict("bin_code_taken")`` for a code the warehouse already has."""
        ...

    async def bins(self, warehouse_id: UUID) -> list[Bin]: ...


@dataclass(frozen=True)
class LevelPosition:
    """Where a page of stock levels ends (SKU, warehouse)."""

    sku_id: UUID
    warehouse_id: UUID


@dataclass(frozen=True)
class LedgerDifference:
    """A stock level whose figures are not the sum of its ledger rows."""

    sku_id: UUID
    warehouse_id: UUID
    batch_id: UUID | None
    figures: Deltas  # what the level says
    ledger: Deltas  # what its ledger adds up to


@dataclass(frozen=True)
class Logged:
    """A movement written: the level's figures after it, and its ledger row's seq and
    effective time (what the costing hook keys its layer on)."""

    figures: Deltas
    seq: int
    effective_at: datetime


class StockRepository(Protocol):
    async def move_logged(self, movement: Movement, actor: str) -> Logged | None:
        """``move``, answering the ledger row's seq and effective time as well."""
        ...

    async def move(self, movement: Movement, actor: str) -> Deltas | None:
        """Apply the movement's deltas to its stock level and append its ledger row, in one
        statement. Answers the level's new figures, or None (nothing written) when the
        level lacks what the movement takes: fewer available units than it consumes, or a
        figure it lowers would go below zero. The check and the change are one conditional
        update, so concurrent movements never oversell. Raises ``NotFound(entity="sku")``
        for a SKU the tenant does not have."""
        ...

    async def level(
        self, sku_id: UUID, warehouse_id: UUID, batch_id: UUID | None = None
    ) -> StockLevel | None: ...

    async def levels(
        self,
        sku_id: UUID | None,
        warehouse_id: UUID | None,
        after: LevelPosition | None,
        limit: int,
    ) -> list[StockLevel]: ...

    async def stocked_skus(self) -> list[UUID]:
        """Every SKU with a stock level in any warehouse of the tenant."""
        ...

    async def available(self, sku_ids: list[UUID]) -> dict[UUID, dict[UUID, int]]:
        """Per SKU, the available units in each warehouse holding a level of it."""
        ...

    async def ledger(
        self, sku_id: UUID | None, warehouse_id: UUID | None, after: int | None, limit: int
    ) -> list[LedgerEntry]:
        """Ledger rows in the order they were written (keyset on ``seq``)."""
        ...

    async def differences(self) -> list[LedgerDifference]:
        """Every level whose figures differ from the sum of its ledger rows (a ledger row
        without a level counts as a level of zeros)."""
        ...


class ReservationRepository(Protocol):
    async def add(self, reservation: Reservation) -> None: ...

    async def get(self, reservation_id: UUID, *, for_update: bool = False) -> Reservation | None:
        """``for_update``: lock the reservation for this transaction, so a release racing
        the expiry sweep (or a shipment) waits and then sees the status the other left."""
        ...

    async def save(self, reservation: Reservation, expected_version: int) -> None: ...

    async def lock_due(self, now: datetime, limit: int) -> list[Reservation]:
        """Active reservations expired by ``now``, locked for this transaction; one
        another transaction holds is skipped (two sweepers never take the same one)."""
        ...


class ChannelSupplyRepository(Protocol):
    async def get(self, channel_id: UUID) -> ChannelSupply | None: ...

    async def put(self, supply: ChannelSupply, expected_version: int, at: datetime) -> None:
        """Create (``expected_version`` 0) or replace the settings at that version."""
        ...

    async def all(self) -> list[ChannelSupply]: ...

    async def announce(self, channel_id: UUID, sku_id: UUID, quantity: int) -> bool:
        """Record the channel's sellable quantity of the SKU; True only if it changed (or
        was never announced), so each change is announced once."""
        ...


@dataclass(frozen=True)
class CostPosition:
    """What a SKU × warehouse holds and is worth now (INV-7): the read port counts'
    variance values and the daily analysis use (``uow.of(INVENTORY).costs.position``)."""

    sku_id: UUID
    warehouse_id: UUID
    quantity: int
    value: Decimal  # to the fen
    unit_cost: Decimal  # six places; the last known one when nothing is held


@dataclass(frozen=True)
class ValuedLevel:
    """One SKU × warehouse in a valuation at a date."""

    sku_id: UUID
    warehouse_id: UUID
    quantity: int
    value: Decimal


@dataclass(frozen=True)
class Valuation:
    at: datetime
    closing: datetime | None  # the closing it started from (None: no closing before ``at``)
    levels: list[ValuedLevel]

    @property
    def total(self) -> Decimal:
        return sum((level.value for level in self.levels), Decimal("0.00"))


class StockCosts(Protocol):
    """Costs and values (INV-7). Reading ``position`` is the published read port; the
    rest serves inventory's own costing code."""

    async def position(self, sku_id: UUID, warehouse_id: UUID) -> CostPosition:
        """The current quantity, value and unit cost (zeros for a level never valued)."""
        ...

    async def method(self) -> tuple[CostingMethod, int]:
        """The tenant's method and its settings' version (0: never set, FIFO)."""
        ...

    async def share_method(self) -> CostingMethod:
        """The method, held against a change until the transaction ends (a movement)."""
        ...

    async def lock_method(self) -> tuple[CostingMethod, int]:
        """The method, locked for a change until the transaction ends."""
        ...

    async def set_method(self, method: CostingMethod, expected_version: int, at: datetime) -> int:
        """Write the method at ``expected_version`` (0: first time); the new version."""
        ...

    async def has_history(self) -> bool:
        """Whether any movement posted a value."""
        ...

    async def lock_pool(
        self, sku_id: UUID, warehouse_id: UUID, method: CostingMethod, need: int = 0
    ) -> CostPool:
        """The SKU × warehouse's cost pool, its stock level row and its position locked
        (FOR UPDATE) until the transaction ends; under FIFO with the oldest layers that
        hold ``need`` units (only those: units out never reach further)."""
        ...

    async def save_pool(
        self, sku_id: UUID, warehouse_id: UUID, pool: CostPool, *, rewrite: bool = False
    ) -> None:
        """The position, and the FIFO layers the pool changed (``rewrite``: its layers
        replace every stored one — a re-valuation's)."""
        ...

    async def pool_before(
        self,
        sku_id: UUID,
        warehouse_id: UUID,
        method: CostingMethod,
        effective_at: datetime,
        seq: int,
    ) -> CostPool:
        """The pool as the movements before ``(effective_at, seq)`` left it."""
        ...

    async def valued_from(
        self, sku_id: UUID, warehouse_id: UUID, effective_at: datetime, seq: int
    ) -> list[ValuedMovement]:
        """The valued movements from ``(effective_at, seq)`` on, in effective order, with
        their amounts as they stand (posted + corrections)."""
        ...

    async def closings_after(self, effective_at: datetime) -> list[datetime]: ...

    async def correct(
        self,
        sku_id: UUID,
        warehouse_id: UUID,
        corrections: list[Correction],
        job_id: UUID | None,
    ) -> None:
        """Append the corrections (the ledger keeps its posted amounts)."""
        ...

    async def rewrite_closings(
        self, sku_id: UUID, warehouse_id: UUID, states: dict[datetime, tuple[int, Decimal]]
    ) -> None: ...

    async def value_at(
        self, at: datetime, sku_id: UUID | None, warehouse_id: UUID | None
    ) -> Valuation:
        """Value by SKU × warehouse at ``at``: the last closing at or before it plus the
        movements (and corrections) effective since, never all history."""
        ...

    async def sku_weights(self, sku_ids: list[UUID]) -> dict[UUID, Decimal]:
        """The catalog's weight per unit of each SKU that has one (its ``skus`` table,
        read by name like its foreign keys: no catalog code imported)."""
        ...

    async def hold_closings(self) -> None:
        """Serialise the closing job and re-valuations of the tenant (until the
        transaction ends): a re-valuation never races a closing it must correct."""
        ...

    async def last_closing(self) -> datetime | None: ...

    async def first_valued(self) -> datetime | None:
        """The earliest effective time of a valued movement."""
        ...

    async def close(self, previous: datetime | None, closes_at: datetime) -> int:
        """Write the closing at ``closes_at`` from the one at ``previous`` and the
        movements between; answers the rows written."""
        ...


class InventoryStore(Protocol):
    """The inventory module's repositories in one unit of work (``uow.of(INVENTORY)``)."""

    warehouses: WarehouseRepository
    stock: StockRepository
    reservations: ReservationRepository
    channel_supply: ChannelSupplyRepository
    costs: StockCosts


INVENTORY: StoreKey[InventoryStore] = StoreKey("inventory")


@dataclass(frozen=True)
class ReservationRequest:
    """What orders ask for: lines (a line may name its warehouse), the channel whose
    allocation strategy applies, the shipping region (for region matching), the
    document it holds stock for and an optional expiry (unpaid orders)."""

    lines: tuple[RequestedLine, ...]
    channel_id: UUID | None = None
    shipping_region: str | None = None
    source_type: str = "manual"
    source_id: UUID | None = None
    expires_at: datetime | None = None


class StockReservations(Protocol):
    """Reservations (INV-2) inside the caller's command: the stock change, its ledger
    rows, the audit records and the availability announcements are written in the
    caller's transaction, so an order and its reservation commit together or not at all.

    ``reserve`` is all or nothing: if any line cannot be allocated it raises
    ``InsufficientStock`` (naming the SKU and what is available) and the caller's
    transaction must roll back (the runner does that when the error leaves the handler).
    """

    async def reserve(self, work: Work, request: ReservationRequest) -> Reservation: ...

    async def release(self, work: Work, reservation_id: UUID) -> Reservation: ...

    async def pick_lock(self, work: Work, reservation_id: UUID) -> Reservation: ...

    async def commit(self, work: Work, reservation_id: UUID) -> Reservation:
        """Shipped: issue the goods (on hand and the locks go down)."""
        ...
