"""The inventory module's ports (INV-1, INV-2, INV-6, CHN-1/CHN-2).

``StockReservations`` is the port other modules call (orders reserve, release, pick and
ship through it inside their own transaction); the repositories and the store are what
inventory's own use cases work with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from application.shared.unit_of_work import StoreKey, UnitOfWork
from application.shared.use_case import Work
from domain.inventory.alerts import (
    AlertKind,
    AlertRobot,
    AlertStatus,
    CategoryThreshold,
    RobotKind,
    StockAlert,
    StockThreshold,
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
from domain.inventory.costing import Correction, CostingMethod, CostPool, ValuedMovement
from domain.inventory.count import BatchCountLine, CountLine, CountSession
from domain.inventory.opening_stock import Place
from domain.inventory.reservation import RequestedLine, Reservation
from domain.inventory.stock import (
    Deltas,
    InspectionResult,
    InsufficientStock,
    LedgerEntry,
    Movement,
    StockLevel,
)
from domain.inventory.transfer import Transfer
from domain.inventory.warehouse import Bin, Warehouse
from domain.shared.file_rows import RowError


@dataclass(frozen=True)
class BinPlace:
    """A SKU's bin in a warehouse: the bin's code and its zone (None: no zone)."""

    code: str
    zone: str | None = None


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

    async def all_with_supplies(self) -> tuple[list[Warehouse], list[ChannelSupply]]:
        """``all()`` and every channel's supply settings (``ChannelSupplyRepository.all``)
        in one read: what a reservation allocates from and announces availability to."""
        ...

    async def add_bin(self, bin: Bin) -> None:
        """Raises ``Conflict("bin_code_taken")`` for a code the warehouse already has."""
        ...

    async def bins(self, warehouse_id: UUID) -> list[Bin]: ...

    async def bin_places(self, warehouse_id: UUID, sku_ids: list[UUID]) -> dict[UUID, BinPlace]:
        """Where each SKU is put away in the warehouse (fulfilment's pick list and wave
        zones, LOG-1): the bin (its code and zone) its latest ledger row naming a bin with
        goods coming in named; SKUs never put in a bin are left out."""
        ...


@dataclass(frozen=True)
class LevelPosition:
    """Where a page of stock levels ends (SKU, warehouse)."""

    sku_id: UUID
    warehouse_id: UUID


@dataclass(frozen=True)
class LedgerDifference:
    """A stock level whose figures are not the sum of its ledger rows (or, for a
    serial-managed SKU, not its serials' count)."""

    sku_id: UUID
    warehouse_id: UUID
    batch_id: UUID | None
    figures: Deltas  # what the level says
    ledger: Deltas  # what its ledger adds up to
    # INV-8: a serial-managed SKU's figures against its serial registry instead: figures
    # on hand + non-sellable (as ``on_hand``) and in transit, ``ledger`` the serials
    # in stock and in transit there
    serials: bool = False


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

    async def lock_available(self, sku_ids: list[UUID]) -> dict[UUID, dict[UUID, int]]:
        """``available`` of the SKUs' unbatched levels, locked for this transaction in a
        stable order (SKU id, then warehouse id): a page of reservations allocated from
        these figures cannot be overtaken, and two such pages never deadlock."""
        ...

    async def reserve_many(self, movements: list[Movement], actor: str) -> bool:
        """Reservation movements applied in one statement: each level's reserved figure up
        by its movements' sum where the available units cover it (a conditional update),
        a ledger row per movement. False when a level could not take its sum (the caller
        rolls back)."""
        ...

    async def ledger(
        self, sku_id: UUID | None, warehouse_id: UUID | None, after: int | None, limit: int
    ) -> list[LedgerEntry]:
        """Ledger rows in the order they were written (keyset on ``seq``), each with its
        SKU × warehouse's figures after it (``figures_after``: the sum of that level's
        rows up to it, read with the page)."""
        ...

    async def differences(self) -> list[LedgerDifference]:
        """Every level whose figures differ from the sum of its ledger rows (a ledger row
        without a level counts as a level of zeros)."""
        ...


class ReservationRepository(Protocol):
    async def add(self, reservation: Reservation) -> None: ...

    async def add_many(self, added: list[Reservation]) -> None:
        """New reservations of one creator, at version 1, with their lines (one statement)."""
        ...

    async def get(self, reservation_id: UUID, *, for_update: bool = False) -> Reservation | None:
        """``for_update``: lock the reservation for this transaction, so a release racing
        the expiry sweep (or a shipment) waits and then sees the status the other left."""
        ...

    async def save(self, reservation: Reservation, expected_version: int) -> None: ...

    async def warehouses(self, reservation_ids: Sequence[UUID]) -> dict[UUID, frozenset[UUID]]:
        """The warehouses each reservation's lines draw from, in one query however many
        (an order's stock already where a rule sends it is not moved)."""
        ...

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
class CountedLine:
    """A count line with what the reports add: the SKU's code and its on-hand figure now."""

    line: CountLine
    sku_code: str | None
    on_hand_now: int


@dataclass(frozen=True)
class CountedBatch:
    """A count line's batch with what the report per batch adds (INV-8): its number, its
    expiry and its on hand there now."""

    line: BatchCountLine
    batch_no: str
    expiry_date: date | None
    on_hand_now: int


class CountRepository(Protocol):
    """Count sessions (INV-4) and their lines, one per SKU."""

    async def add(self, session: CountSession) -> None: ...

    async def get(self, session_id: UUID, *, for_update: bool = False) -> CountSession | None:
        """``for_update``: lock it for this transaction (posting happens once)."""
        ...

    async def save(self, session: CountSession, expected_version: int) -> None: ...

    async def fix_lines(self, session: CountSession) -> int:
        """List the session's lines when counting starts: every SKU with a level in the
        warehouse (a full count), the SKUs named, and the SKUs whose ledger rows name one
        of the bins named. Answers how many."""
        ...

    async def record(
        self, session_id: UUID, sku_id: UUID, counted: int, by: str, at: datetime, *, add: bool
    ) -> bool:
        """Enter a line's count and snapshot, in the same statement, the on-hand figure of
        that moment as the line's book quantity (a recount replaces both). A SKU not on
        the list is added when ``add`` (goods found in a full count); otherwise nothing is
        written and the answer is False."""
        ...

    async def add_counted(
        self, session_id: UUID, sku_id: UUID, units: int, by: str, at: datetime, *, add: bool
    ) -> int | None:
        """Count ``units`` more of a line (a scan) in one statement: its count rises from
        what the row holds as it is written (two scans at once both count), its book
        snapshotted as ``record`` does. A SKU not on the list is added when ``add``;
        otherwise nothing is written and the answer is None. Answers the line's count."""
        ...

    async def uncounted(self, session_id: UUID) -> int: ...

    async def lines(
        self, session_id: UUID, after: UUID | None = None, limit: int | None = None
    ) -> list[CountedLine]:
        """In SKU id order, after the SKU ``after``."""
        ...

    async def mark_posted(self, session_id: UUID, sku_id: UUID, change: int) -> None: ...

    async def record_batches(
        self, session_id: UUID, sku_id: UUID, counted: dict[UUID, int]
    ) -> None:
        """A batch-managed SKU's count per batch (INV-8), replacing the line's earlier one:
        every batch named, and every batch on the books there not named (counted 0), each
        with its on hand snapshotted in the same statement; the line's book becomes their
        sum (of the same instant)."""
        ...

    async def batch_lines(self, session_id: UUID) -> dict[UUID, list[BatchCountLine]]:
        """The session's per-batch lines, per SKU."""
        ...

    async def record_serials(self, session_id: UUID, sku_id: UUID, serials: list[str]) -> None:
        """A serial-managed SKU's count (INV-4 × INV-8), replacing the line's earlier one:
        the serials found against those in stock there, kept where they differ, and the
        line's book set to how many the books had — in one statement (one instant)."""
        ...

    async def serial_lines(self, session_id: UUID) -> dict[UUID, SerialDifference]:
        """The session's serials that differ from the books, per SKU."""
        ...

    async def batch_report(self, session_id: UUID) -> dict[UUID, list[CountedBatch]]:
        """The session's batch lines with their numbers, expiry and on hand now, per SKU
        (in batch number order)."""
        ...

    async def mark_batch_posted(
        self, session_id: UUID, line: BatchCountLine, change: int
    ) -> None: ...

    async def page(self, after: UUID | None, limit: int) -> list[CountSession]:
        """In id (creation) order, starting after the id ``after``."""
        ...


class TransferRepository(Protocol):
    """Transfers (INV-5) with their lines and receipts."""

    async def add(self, transfer: Transfer) -> None: ...

    async def get(self, transfer_id: UUID, *, for_update: bool = False) -> Transfer | None: ...

    async def save(self, transfer: Transfer, expected_version: int) -> None:
        """The header at that version, every line's figures, and receipts not stored yet."""
        ...

    async def page(self, after: UUID | None, limit: int) -> list[Transfer]:
        """In id (creation) order, after the id ``after``: the headers only (no lines or
        receipts: a list shows where each transfer stands)."""
        ...

    async def in_transit_batches(self, transfer: Transfer, sku_id: UUID) -> list[tuple[UUID, int]]:
        """The SKU's units this transfer still has in transit at its destination, per
        batch (INV-8), in the order the batches were shipped; empty if none travel in
        batches."""
        ...


class UnitCostReader(Protocol):
    """Unit costs as costing holds them (INV-7): count variance values (INV-4), the
    cost a transfer carries to its destination (INV-5), and what an order's price is
    checked against (ORD-5, ``price_below_cost``)."""

    async def unit_costs(self, warehouse_id: UUID, sku_ids: Sequence[UUID]) -> dict[UUID, Decimal]:
        """Each SKU's unit cost in that warehouse; a SKU without one is left out."""
        ...

    async def average_unit_costs(self, sku_ids: Sequence[UUID]) -> dict[UUID, Decimal]:
        """Each SKU's unit cost over every warehouse (their value ÷ their quantity; the
        highest last unit cost when none is held); a SKU never costed is left out."""
        ...


@dataclass(frozen=True)
class AlertPosition:
    """Where a page of alerts ends (newest first)."""

    raised_at: datetime
    id: UUID


class StockAlertRepository(Protocol):
    """Thresholds and alerts (INV-3)."""

    async def watch(self, levels: list[tuple[UUID, UUID]] | None) -> list[Watched]:
        """The SKU × warehouse ``levels`` (every level of the tenant when None) that have a
        threshold in force (their own, else their category's nearest default) or an open
        alert: figures summed over batches, thresholds, open alert kinds. One query."""
        ...

    async def raise_alert(self, alert: StockAlert) -> bool:
        """Insert the open alert; False (nothing written) when one of its SKU × warehouse
        × kind is open already — two evaluations racing raise it once."""
        ...

    async def resolve(
        self, sku_id: UUID, warehouse_id: UUID, kind: AlertKind, at: datetime
    ) -> UUID | None:
        """Resolve the open alert (re-arming it); its id, or None if none was open."""
        ...

    async def get(self, alert_id: UUID) -> StockAlert | None:
        """With the SKU's and the warehouse's codes."""
        ...

    async def page(
        self,
        status: AlertStatus | None,
        sku_id: UUID | None,
        warehouse_id: UUID | None,
        after: AlertPosition | None,
        limit: int,
    ) -> list[StockAlert]:
        """Newest first."""
        ...

    async def threshold(self, sku_id: UUID, warehouse_id: UUID) -> StockThreshold | None: ...

    async def put_threshold(self, threshold: StockThreshold, expected_version: int) -> None:
        """Create (``expected_version`` 0) or replace at that version; thresholds with
        neither low nor high delete the row. Raises ``StaleVersion``, or
        ``NotFound(entity="sku")`` for a SKU the tenant does not have."""
        ...

    async def thresholds(
        self,
        sku_id: UUID | None,
        warehouse_id: UUID | None,
        after: LevelPosition | None,
        limit: int,
    ) -> list[StockThreshold]: ...

    async def category_threshold(self, category_id: UUID) -> CategoryThreshold | None: ...

    async def put_category_threshold(
        self, threshold: CategoryThreshold, expected_version: int
    ) -> None: ...

    async def category_thresholds(self) -> list[CategoryThreshold]: ...

    async def robot(self) -> AlertRobot | None: ...

    async def put_robot(self, robot: AlertRobot | None, expected_version: int) -> None:
        """Set (None: remove) the company's alert robot at that version."""
        ...


@dataclass(frozen=True)
class WarehousePosition:
    """A warehouse's daily position (INV-9). Values are None without costs."""

    warehouse_id: UUID
    warehouse_code: str
    skus: int  # SKUs with stock there
    on_hand: int
    available: int
    non_sellable: int
    bins: int
    free_bins: int  # bins holding nothing (no ledger rows netting above zero)
    received_today: int  # units in (receipts, returns, positive adjustments) today
    issued_today: int  # units out (issues, negative adjustments) today
    cost_amount: Decimal | None = None
    stock_value: Decimal | None = None


@dataclass(frozen=True)
class Turnover:
    """Turnover over a period for a SKU or a category (INV-10)."""

    key: UUID  # the SKU or the category
    code: str  # SKU code or category name
    issued: int  # units out in the period
    opening: int  # on hand at the period's start
    closing: int  # on hand at its end
    average: Decimal  # (opening + closing) / 2
    turnover: Decimal | None  # issued / average (None when the average is 0)
    days_of_stock: Decimal | None  # closing / (issued per day) (None when nothing issued)


@dataclass(frozen=True)
class IdleStock:
    """A SKU × warehouse holding stock with no issue for a while (INV-10)."""

    sku_id: UUID
    sku_code: str
    warehouse_id: UUID
    warehouse_code: str
    on_hand: int
    last_issue_at: datetime | None
    idle_days: int  # days since the last issue (or since the first receipt, never issued)


class StockAnalysis(Protocol):
    """The daily position and the analysis (INV-9, INV-10): SQL aggregates over the
    levels and the ledger."""

    async def position(
        self, day_start: datetime, day_end: datetime, warehouse_id: UUID | None
    ) -> list[WarehousePosition]:
        """Per warehouse, the figures and bins as they stood at ``day_end`` (now, for today
        or a later day) and units in and out in [day_start, day_end)."""
        ...

    async def turnover(
        self,
        start: datetime,
        end: datetime,
        by_category: bool,
        warehouse_id: UUID | None,
        category_id: UUID | None,
        limit: int,
    ) -> list[Turnover]: ...

    async def idle(
        self, since: datetime, now: datetime, warehouse_id: UUID | None, limit: int
    ) -> list[IdleStock]:
        """Levels holding stock whose last issue (or, never issued, first receipt) is
        before ``since``, longest idle first."""
        ...


class StockValues(Protocol):
    """Money values of stock for the daily position (INV-9), read-only: the cost amount is
    the costing module's value (FIFO or moving average, INV-7), the stock value list price
    × units."""

    async def values(self, warehouse_ids: list[UUID]) -> dict[UUID, tuple[Decimal, Decimal]]:
        """Per warehouse: (cost amount, stock value) now, exact to the fen."""
        ...

    async def values_at(
        self, at: datetime, warehouse_ids: list[UUID]
    ) -> dict[UUID, tuple[Decimal, Decimal]]:
        """The same at a past instant: the valuation at ``at`` (a closing and the
        movements since, INV-7), its units at the SKU's list price."""
        ...


@dataclass
class StockImportRecord:
    id: UUID
    file_name: str
    format: str
    content: bytes
    include_cost: bool
    status: str
    check_job_id: UUID
    created_by: str
    created_at: datetime
    updated_at: datetime
    errors: list[RowError]
    counts: dict[str, int]
    commit_job_id: UUID | None = None
    valid_only: bool | None = None
    version: int = 1


@dataclass(frozen=True)
class NamedSku:
    """A SKU as people name it: its code and its barcode (PLT-8 console), and its
    product's name (what an order's line is titled)."""

    id: UUID
    code: str
    barcode: str | None
    name: str = ""


class SkuDirectory(Protocol):
    async def find(self, code_key: str, barcode_key: str) -> NamedSku | None:
        """The SKU (not archived) whose code key or barcode key is the one given."""
        ...


class StockImportRepository(Protocol):
    async def add(self, record: StockImportRecord) -> None: ...

    async def get(
        self, import_id: UUID, *, for_update: bool = False, with_content: bool = False
    ) -> StockImportRecord | None: ...

    async def save(self, record: StockImportRecord) -> None: ...

    async def lookups(
        self, sku_codes: set[str], warehouse_codes: set[str]
    ) -> tuple[dict[str, UUID], dict[str, Place], dict[tuple[UUID, str], UUID]]:
        """SKU ids by the catalog's code key (``codes.code_key``; archived SKUs left
        out), the warehouses by code, and their bins by (warehouse id, bin code)."""
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
    levels: list[ValuedLevel]  # in SKU, warehouse order: all of them, or a page
    total: Decimal | None  # of every level, not only a page's (None on a following page)
    next_cursor: str | None = None  # a page's continuation


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
        self,
        at: datetime,
        sku_id: UUID | None,
        warehouse_id: UUID | None,
        after: tuple[UUID, UUID] | None = None,
        limit: int | None = None,
    ) -> Valuation:
        """Value by SKU × warehouse at ``at``: the last closing at or before it plus the
        movements (and corrections) effective since, never all history. The levels after
        ``after`` (a SKU, a warehouse) in that order, at most ``limit`` (all when None);
        ``total`` when ``after`` is None."""
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

    async def closings(self) -> list[datetime]:
        """Every closing's instant, oldest first."""
        ...

    async def prune_closings(self, closings: list[datetime]) -> None:
        """Delete these closings and their rows (a valuation reads an earlier one)."""
        ...

    async def first_valued(self) -> datetime | None:
        """The earliest effective time of a valued movement."""
        ...

    async def close(self, previous: datetime | None, closes_at: datetime) -> int:
        """Write the closing at ``closes_at`` from the one at ``previous`` and the
        movements between; answers the rows written."""
        ...


@dataclass(frozen=True)
class ExpiringStock:
    """A batch's stock in a warehouse that expires by the date asked (INV-8)."""

    stock: BatchStock
    sku_code: str
    warehouse_code: str


@dataclass(frozen=True)
class SerialRecord:
    """Where a serial is (its warehouse and batch; in stock, in transit or issued) and the ledger
    rows that moved it, oldest first."""

    sku_id: UUID
    serial: str
    in_stock: bool
    warehouse_id: UUID
    batch_id: UUID | None
    moves: list[LedgerEntry]
    in_transit: bool = False  # shipped by a transfer to ``warehouse_id`` (INV-5)


@dataclass(frozen=True)
class SerialDifference:
    """A serial-managed SKU's count against its books (INV-4 × INV-8): serials counted
    that the books did not have there, and serials the books had that were not counted."""

    found: list[str]
    missing: list[str]


class BatchRepository(Protocol):
    """Batches, their stock per warehouse, serials and the settings that decide which
    SKUs have them (INV-8). A movement naming a batch is written by
    ``StockRepository.move`` (it moves the SKU × warehouse level and the batch's)."""

    async def settings(self) -> StockSettings:
        """The tenant's (the defaults, version 0, when never set)."""
        ...

    async def put_settings(
        self, settings: StockSettings, expected_version: int, at: datetime
    ) -> None:
        """Write at ``expected_version`` (0: first time); raises ``StaleVersion``."""
        ...

    async def sku_settings(self, sku_id: UUID) -> SkuStockSettings:
        """The SKU's (nothing kept, version 0, when never set); raises
        ``NotFound(entity="sku")`` for a SKU the tenant does not have."""
        ...

    async def put_sku_settings(
        self, settings: SkuStockSettings, expected_version: int, at: datetime
    ) -> None:
        """Raises ``StaleVersion``, or ``NotFound(entity="sku")``."""
        ...

    async def kept(self, sku_ids: set[UUID]) -> set[UUID]:
        """Those of the SKUs that keep batches or serials (one query)."""
        ...

    async def batch(self, sku_id: UUID, batch: BatchInput, new_id: UUID, at: datetime) -> Batch:
        """The SKU's batch of that number, created (with ``new_id`` and the dates given)
        when it does not exist yet."""
        ...

    async def named(self, sku_id: UUID, number: str) -> Batch | None:
        """The SKU's batch of that number, if it was ever received."""
        ...

    async def stock(
        self, sku_id: UUID, warehouse_id: UUID, *, lock: bool = False
    ) -> list[BatchStock]:
        """The batches holding stock of the SKU in the warehouse. ``lock``: the SKU ×
        warehouse's stock level is locked first (FOR UPDATE, the order every movement
        locks in), so the batches read stay as read until the transaction ends."""
        ...

    async def hold(
        self,
        reservation_id: UUID,
        line_no: int,
        sku_id: UUID,
        warehouse_id: UUID,
        picks: list[Pick],
    ) -> None:
        """A pick lock's batches (INV-8): the reservation line's units held in them until
        its shipment or release (a suggestion gives only units no lock holds)."""
        ...

    async def unhold(self, reservation_id: UUID) -> dict[int, list[tuple[UUID, int]]]:
        """Drop the reservation's held batches, answering them per line (batch, units)."""
        ...

    async def expiring(
        self, until: date, warehouse_id: UUID | None, sku_id: UUID | None, limit: int
    ) -> list[ExpiringStock]:
        """Batch stock expiring on or before ``until`` (expired included), soonest
        first."""
        ...

    async def put_serials(
        self, sku_id: UUID, warehouse_id: UUID, batch_id: UUID | None, serials: list[str]
    ) -> list[str]:
        """Scan serials in (new, or issued before and now back): one statement. Answers
        the serials refused because they are in stock already (nothing is refused: all
        written)."""
        ...

    async def take_serials(
        self,
        sku_id: UUID,
        warehouse_id: UUID,
        serials: list[str],
        *,
        in_transit_to: UUID | None = None,
    ) -> dict[str, UUID | None]:
        """Scan serials out of the warehouse: one statement. Answers the batch of each
        serial taken; a serial missing from the answer is unknown, issued already or in
        another warehouse. ``in_transit_to``: a transfer ships them, in transit to that
        warehouse (INV-5), instead of issued."""
        ...

    async def arrive_serials(
        self,
        sku_id: UUID,
        transfer_id: UUID,
        warehouse_id: UUID,
        serials: list[str],
        lost: list[str],
    ) -> dict[str, UUID | None]:
        """A transfer's receipt (INV-5): the serials in transit to ``warehouse_id`` that
        the transfer shipped (their last move is its shipment) go in stock there, ``lost``
        ones (short) out of stock; one statement. Answers the batch of each serial taken;
        one missing from the answer was not in transit on this transfer."""
        ...

    async def serial_states(self, sku_id: UUID, serials: list[str]) -> dict[str, bool]:
        """Whether each known serial is in stock (unknown ones left out)."""
        ...

    async def record_serial_moves(self, sku_id: UUID, moves: dict[int, list[str]]) -> None:
        """Append each ledger row's serials (by its seq) to their history: one
        statement."""
        ...

    async def serial(self, sku_id: UUID, serial: str) -> SerialRecord | None: ...


class InventoryStore(Protocol):
    """The inventory module's repositories in one unit of work (``uow.of(INVENTORY)``)."""

    warehouses: WarehouseRepository
    stock: StockRepository
    reservations: ReservationRepository
    channel_supply: ChannelSupplyRepository
    counts: CountRepository
    transfers: TransferRepository
    unit_costs: UnitCostReader
    alerts: StockAlertRepository
    analysis: StockAnalysis
    values: StockValues  # provisional (see StockValues): re-point to costing after merge
    stock_imports: StockImportRepository
    skus: SkuDirectory
    costs: StockCosts
    batches: BatchRepository


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

    async def reserve_many(
        self, work: Work, requests: Sequence[ReservationRequest]
    ) -> list[Reservation | InsufficientStock]:
        """Many requests at once (a page of marketplace orders), each all or nothing: per
        request its reservation, or the ``InsufficientStock`` that refused it — nothing of
        it written, the others reserved. Never oversells (the levels are locked in a
        stable order and raised by conditional updates)."""
        ...

    async def release(self, work: Work, reservation_id: UUID) -> Reservation: ...

    async def pick_lock(self, work: Work, reservation_id: UUID) -> Reservation: ...

    async def commit(
        self, work: Work, reservation_id: UUID, serials: Mapping[UUID, Sequence[str]] | None = None
    ) -> Reservation:
        """Shipped: issue the goods (on hand and the locks go down). ``serials`` (INV-8):
        per SKU, the serials scanned out — one per unit, required for a serial-managed
        SKU, refused for another; a SKU on several lines gives them in line order. They
        decide the batches; unknown or issued ones are refused by name (409
        ``serials_not_in_stock``) and nothing ships."""
        ...


@dataclass(frozen=True)
class ReturnedGoods:
    """Units of a SKU a buyer sent back, counted into a returns warehouse with the
    inspection's result (ORD-6), for the document that returned them (an after-sales
    case: ``source_type`` ``aftersales_case``). A batch-managed SKU's units name their
    batch (``batch_no``), a serial-managed SKU's their serials, one a unit (INV-8), as a
    ``ReceiveReturn`` does."""

    sku_id: UUID
    warehouse_id: UUID
    quantity: int
    inspection: InspectionResult
    source_type: str
    source_id: UUID
    reason: str | None = None
    batch_no: str | None = None
    serials: tuple[str, ...] | None = None


class ReturnReceipts(Protocol):
    """Return receipts inside the caller's command (after-sales receives a return parcel
    through it): the movement, its ledger row, the audit record and the availability it
    changes are written in the caller's transaction."""

    async def receive(self, work: Work, goods: ReturnedGoods) -> Deltas:
        """Into the returns warehouse: resellable → on hand (available), damaged →
        non-sellable. Answers the level's figures after it. Refused (422
        ``not_a_returns_warehouse``) for a warehouse of another kind, 404 for one the
        tenant does not have, 409 ``warehouse_closed`` for a closed one; a batch or serials
        missing or wrong for the SKU as a ``ReceiveReturn`` refuses them (422
        ``batch_required``, ``serials_required``, ``serial_count_mismatch``, ...)."""
        ...


class PickingSuggestions(Protocol):
    """The picking suggestion (INV-8), published for fulfilment's pick list: which
    batches of a SKU to take a quantity from in a warehouse, by the SKU's picking rule
    (FEFO or FIFO). Empty for a SKU whose batches are not kept."""

    async def suggest(
        self, uow: UnitOfWork, sku_id: UUID, warehouse_id: UUID, quantity: int
    ) -> list[Pick]: ...


@dataclass(frozen=True)
class RobotMessage:
    """What a group robot posts: a title and a Markdown text."""

    title: str
    text: str


class RobotRefused(Exception):
    """The robot's server did not take the message: a non-2xx answer, or an ``errcode``
    other than 0 (a wrong key, a keyword or IP rule, a rate limit)."""

    def __init__(self, errcode: int | None, errmsg: str) -> None:
        super().__init__(f"robot refused: {errcode} {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class AlertRobotSender(Protocol):
    """Posts a message to a WeChat Work (企业微信) or DingTalk group robot webhook."""

    async def send(self, kind: RobotKind, url: str, message: RobotMessage) -> None:
        """Raises ``RobotRefused`` when the robot does not take it."""
        ...
