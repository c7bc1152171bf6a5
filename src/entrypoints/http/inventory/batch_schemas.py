"""Wire types for batches, expiry and serials (INV-8)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from application.inventory.reservations.commands import MAX_SHIPPED_SKUS
from domain.inventory.batches import MAX_BATCH_NO, MAX_SERIALS, MAX_WARNING_DAYS, PickingRule
from entrypoints.http.limits import stated
from entrypoints.http.wire import WireIn, WireOut

BatchNo = Annotated[str, stated(min_length=1, max_length=MAX_BATCH_NO)]
SerialsIn = Annotated[list[str], stated(min_items=1, max_items=MAX_SERIALS)]


class ShippedSerialsIn(WireIn):
    """A SKU's serials scanned out at shipment (INV-8)."""

    sku_id: UUID
    serials: SerialsIn


class CommitIn(WireIn):
    """A shipment's serials, per SKU (required for a serial-managed SKU)."""

    lines: Annotated[list[ShippedSerialsIn], stated(max_items=MAX_SHIPPED_SKUS)] = []


class StockSettingsIn(WireIn):
    picking_rule: PickingRule = PickingRule.FEFO
    expiry_warning_days: Annotated[int, stated(minimum=0, maximum=MAX_WARNING_DAYS)] = 30


class StockSettingsOut(WireOut):
    picking_rule: PickingRule
    expiry_warning_days: int
    version: int


class SkuStockSettingsIn(WireIn):
    batch_managed: bool = False
    serial_managed: bool = False
    picking_rule: PickingRule | None = None  # null: the tenant's


class SkuStockSettingsOut(WireOut):
    sku_id: UUID
    batch_managed: bool
    serial_managed: bool
    picking_rule: PickingRule | None
    version: int


class BatchOut(WireOut):
    id: UUID
    number: str
    production_date: date | None
    expiry_date: date | None


class PickOut(WireOut):
    batch: BatchOut
    quantity: int


class PickingSuggestionOut(WireOut):
    sku_id: UUID
    warehouse_id: UUID
    quantity: int
    rule: PickingRule
    picks: list[PickOut]
    short: int  # units the batches cannot give


class BatchStockOut(WireOut):
    batch: BatchOut
    sku_id: UUID
    warehouse_id: UUID
    on_hand: int
    non_sellable: int
    first_received_at: datetime


class ExpiringOut(WireOut):
    batch: BatchOut
    sku_id: UUID
    sku_code: str
    warehouse_id: UUID
    warehouse_code: str
    on_hand: int
    non_sellable: int
    days_left: int  # negative: expired that many days ago
    expired: bool


class ExpiringReportOut(WireOut):
    today: date  # the company's today
    until: date
    items: list[ExpiringOut]


class SerialOut(WireOut):
    sku_id: UUID
    serial: str
    in_stock: bool
    in_transit: bool  # shipped by a transfer to ``warehouseId``, not received yet
    warehouse_id: UUID
    batch_id: UUID | None
    moves: list[SerialMoveOut]


class SerialMoveOut(WireOut):
    seq: int
    kind: str
    warehouse_id: UUID
    batch_id: UUID | None
    source_type: str
    source_id: UUID | None
    actor: str
    occurred_at: datetime
