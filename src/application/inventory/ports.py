"""The inventory module's ports (INV-1, INV-2, INV-6, CHN-1/CHN-2).

``StockReservations`` is the port other modules call (orders reserve, release, pick and
ship through it inside their own transaction); the repositories and the store are what
inventory's own use cases work with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from application.shared.unit_of_work import StoreKey
from application.shared.use_case import Work
from domain.inventory.availability import ChannelSupply
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


class StockRepository(Protocol):
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


class InventoryStore(Protocol):
    """The inventory module's repositories in one unit of work (``uow.of(INVENTORY)``)."""

    warehouses: WarehouseRepository
    stock: StockRepository
    reservations: ReservationRepository
    channel_supply: ChannelSupplyRepository


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
