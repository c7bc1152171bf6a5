"""Wire types for /api/v1/inventory (camelCase; separate read, create and update types).
Quantities are whole units (integers); unit costs are Decimal strings with up to six
places, present only for callers with ``inventory:costing``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, TypeVar
from uuid import UUID

import msgspec

from application.inventory.costing.receipts import MAX_LINES as MAX_DOCUMENT_LINES
from application.inventory.references import named_required
from domain.inventory.availability import ShareKind
from domain.inventory.costing import AllocationBasis, ChargeKind, CostingMethod
from domain.inventory.reservation import AllocationStrategy
from domain.inventory.stock import InspectionResult, Target
from domain.inventory.warehouse import WarehouseKind
from entrypoints.http.inventory.batch_schemas import BatchNo, SerialsIn
from entrypoints.http.limits import stated
from entrypoints.http.wire import AmountIn, PageOut, WireIn, WireOut, decimal_in

T = TypeVar("T")
Positive = Annotated[int, stated(minimum=1)]  # the domain refuses less: must_be_positive


# Six places, like the ledger's unit costs (numeric(20, 6)).
UnitCostIn = Annotated[Decimal, decimal_in(6, 14)]
# A percentage (0–100) or a cap in whole units, per shareKind (the domain says which).
ShareIn = Annotated[Decimal, decimal_in(2, 10)]


class WarehouseIn(WireIn):
    code: str
    name: str
    kind: WarehouseKind = WarehouseKind.OWN
    region: str | None = None  # e.g. a province, matched against shipping regions
    priority: int = 100  # lower first


class WarehousePatch(WireIn):
    name: str
    region: str | None = None
    priority: int = 100


class WarehouseOut(WireOut):
    id: UUID
    code: str
    name: str
    kind: WarehouseKind
    region: str | None
    priority: int
    closed: bool
    closed_at: datetime | None
    version: int


class WarehousePageOut(PageOut[WarehouseOut]):
    items: list[WarehouseOut]


class BinIn(WireIn):
    code: str
    name: str | None = None
    zone: str | None = None  # the warehouse zone (区) the bin lies in


class BinOut(WireOut):
    id: UUID
    warehouse_id: UUID
    code: str
    name: str | None
    zone: str | None


class FiguresOut(WireOut):
    on_hand: int
    reserved: int
    pick_locked: int
    available: int
    in_transit: int
    on_order: int
    non_sellable: int


class StockLevelOut(WireOut):
    sku_id: UUID
    warehouse_id: UUID
    batch_id: UUID | None
    figures: FiguresOut
    updated_at: datetime


class StockLevelPageOut(PageOut[StockLevelOut]):
    items: list[StockLevelOut]


class MovedOut(WireOut):
    sku_id: UUID
    warehouse_id: UUID
    figures: FiguresOut
    cost_amount: Decimal | None = None  # the value moved (signed); null without costing
    revaluation_job_id: UUID | None = None  # a back-dated receipt's re-valuation job


class LedgerEntryOut(WireOut):
    seq: int
    sku_id: UUID
    warehouse_id: UUID
    batch_id: UUID | None
    bin_id: UUID | None
    kind: str
    changes: dict[str, int]  # the figures this movement changed, by how much
    unit_cost: Decimal | None  # null without inventory:costing
    source_type: str
    source_id: UUID | None
    actor: str
    reason: str | None
    occurred_at: datetime
    cost_amount: Decimal | None = None  # the value it moved, as posted; null without costing
    effective_at: datetime | None = None  # when it counts for valuation


class LedgerPageOut(PageOut[LedgerEntryOut]):
    items: list[LedgerEntryOut]
    costs_shown: bool


class NamesWarehouse(WireIn, kw_only=True):
    """A movement's warehouse: ``warehouseId`` (its id) or ``warehouse`` (its code, or its
    id), one of them (#9 item 16)."""

    EXCLUSIVE = ONE_NEEDED = (("warehouseId", "warehouse"),)

    warehouse_id: UUID | None = None
    warehouse: str | None = None

    def to(self, target: Callable[..., T], **given: Any) -> T:
        """The command, its ``warehouse_id`` the id or the code the body gave."""
        given.setdefault("warehouse_id", named_required(self.warehouse_id, self.warehouse))
        return super().to(target, **given)


class ReceiptIn(NamesWarehouse):
    sku_id: UUID
    quantity: Positive
    unit_cost: UnitCostIn | None = None  # needs inventory:costing
    effective_at: datetime | None = None  # back-dated: re-valued from then (a job)
    target_state: Target = Target.SELLABLE
    bin_id: UUID | None = None
    source_type: str = "receipt"
    source_id: UUID | None = None
    reason: str | None = None
    # INV-8: required for a batch-managed SKU, refused for others
    batch_no: BatchNo | None = None
    production_date: date | None = None
    expiry_date: date | None = None
    serials: SerialsIn | None = None  # one per unit, for a serial-managed SKU


class IssueIn(NamesWarehouse):
    sku_id: UUID
    quantity: Positive
    source_type: str = "issue"
    source_id: UUID | None = None
    reason: str | None = None
    # INV-8: a batch-managed SKU's batch (none: the picking suggestion's batches)
    batch_no: BatchNo | None = None
    serials: SerialsIn | None = None  # scanned out, for a serial-managed SKU


class AdjustmentIn(NamesWarehouse):
    sku_id: UUID
    change: Annotated[int, stated(nonzero=True)]  # positive or negative
    reason: str
    target_state: Target = Target.SELLABLE
    # INV-8: the batch (required for a batch-managed SKU, but for sellable units lost:
    # the picking suggestion's batches) and the serials found or lost
    batch_no: BatchNo | None = None
    serials: SerialsIn | None = None


class StateChangeIn(NamesWarehouse):
    sku_id: UUID
    quantity: Positive
    to_state: Target  # non_sellable, or back to sellable
    reason: str | None = None
    batch_no: BatchNo | None = None  # INV-8: required for a batch-managed SKU


class ReturnReceiptIn(NamesWarehouse):  # into a returns warehouse
    sku_id: UUID
    quantity: Positive
    inspection: InspectionResult
    source_type: str = "return"
    source_id: UUID | None = None
    reason: str | None = None
    # INV-8: like a receipt's
    batch_no: BatchNo | None = None
    production_date: date | None = None
    expiry_date: date | None = None
    serials: SerialsIn | None = None


class ReservationLineIn(WireIn):
    EXCLUSIVE = (("warehouseId", "warehouse"),)

    sku_id: UUID
    quantity: Positive
    warehouse_id: UUID | None = None
    warehouse: str | None = None  # or its code (#9 item 16); not with warehouseId


class ReservationIn(WireIn):
    lines: Annotated[list[ReservationLineIn], stated(min_items=1)]
    channel_id: UUID | None = None
    shipping_region: str | None = None
    source_type: str = "manual"
    source_id: UUID | None = None
    # With its offset (2026-12-06T20:00:00+08:00): a time without one is refused.
    expires_at: Annotated[datetime, msgspec.Meta(tz=True)] | None = None


class ReservationLineOut(WireOut):
    line_no: int
    sku_id: UUID
    warehouse_id: UUID
    quantity: int


class ReservationOut(WireOut):
    id: UUID
    channel_id: UUID | None
    source_type: str
    source_id: UUID | None
    status: str
    expires_at: datetime | None
    lines: list[ReservationLineOut]
    version: int
    created_at: datetime


class ChannelSupplyIn(WireIn):
    EXCLUSIVE = (("warehouseIds", "warehouses"),)

    # empty: every own, third-party and virtual warehouse
    warehouse_ids: list[UUID] = []
    warehouses: list[str] = []  # or by their codes (#9 item 16); not with warehouseIds
    strategy: AllocationStrategy = AllocationStrategy.PRIORITY
    safety_stock: int = 0
    share_kind: ShareKind = ShareKind.PERCENT
    # 100 (percent) when not sent; a factory, so the OpenAPI document has no Decimal default
    share_value: ShareIn = msgspec.field(default_factory=lambda: Decimal(100))


class ChannelSupplyOut(WireOut):
    channel_id: UUID
    warehouse_ids: list[UUID]
    strategy: AllocationStrategy
    safety_stock: int
    share_kind: ShareKind
    share_value: Decimal
    version: int


class WarehouseAvailableOut(WireOut):
    warehouse_id: UUID
    available: int


class AvailabilityOut(WireOut):
    channel_id: UUID
    sku_id: UUID
    sellable: int
    warehouses: list[WarehouseAvailableOut]
    total_available: int
    safety_stock: int
    after_safety_stock: int
    share_kind: ShareKind
    share_value: Decimal
    explanation: str


# Costing (INV-7)


class CostingSettingsIn(WireIn):
    method: CostingMethod


class CostingSettingsOut(WireOut):
    method: CostingMethod
    version: int
    has_history: bool  # a value was posted: the method can no longer change


class DocumentLineIn(WireIn):
    sku_id: UUID
    quantity: Positive
    unit_cost: UnitCostIn
    weight: Annotated[Decimal, decimal_in(3, 12)] | None = None  # the line's total weight
    # (default: the SKU's × quantity)
    # INV-8: required for a batch-managed SKU, refused for others; serials one per unit
    batch_no: BatchNo | None = None
    production_date: date | None = None
    expiry_date: date | None = None
    serials: SerialsIn | None = None


class ChargeIn(WireIn):
    kind: ChargeKind
    amount: AmountIn
    basis: AllocationBasis = AllocationBasis.QUANTITY


class ReceiptDocumentIn(NamesWarehouse):
    lines: Annotated[list[DocumentLineIn], stated(min_items=1, max_items=MAX_DOCUMENT_LINES)]
    charges: list[ChargeIn] = []
    document_id: UUID | None = None
    effective_at: datetime | None = None
    reason: str | None = None


class ReceivedLineOut(WireOut):
    sku_id: UUID
    quantity: int
    goods: Decimal  # quantity × unit cost, to the fen
    landed: Decimal  # its share of the charges
    total: Decimal  # the layer's value
    unit_cost: Decimal  # landed, six places
    seq: int
    figures: FiguresOut


class ReceiptDocumentOut(WireOut):
    document_id: UUID
    warehouse_id: UUID
    total: Decimal
    lines: list[ReceivedLineOut]
    revaluation_job_ids: list[UUID]


class CostPositionOut(WireOut):
    sku_id: UUID
    warehouse_id: UUID
    quantity: int
    value: Decimal
    unit_cost: Decimal


class ValuedLevelOut(WireOut):
    sku_id: UUID
    warehouse_id: UUID
    quantity: int
    value: Decimal


class ValuationOut(PageOut[ValuedLevelOut]):
    items: list[ValuedLevelOut]
    at: datetime
    closing: datetime | None  # the closing it started from
    total: Decimal | None  # of every level, on the first page (null on the following ones)
