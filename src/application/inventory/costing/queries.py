"""Reading costs and values (INV-7), all behind ``inventory:costing``: a SKU ×
warehouse's current cost (the read port other modules call directly as
``uow.of(INVENTORY).costs.position``), and the value by SKU × warehouse at any date: paged
(``GetValuation``, the API) or whole (``ExportValuation``, the CLI's CSV)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from uuid import UUID

from application.inventory.common import load_warehouse, store_of
from application.inventory.ports import CostPosition, Valuation
from application.inventory.references import WarehouseRef, warehouse_id_of
from application.shared.pagination import clamp_limit, decode_cursor, page_of
from application.shared.use_case import Query, Reading
from domain.inventory.permissions import INVENTORY_COSTING
from domain.shared.errors import ValidationFailed


class GetCostPosition(Query[CostPosition], entity="stock", permission=INVENTORY_COSTING):
    sku_id: UUID
    warehouse_id: WarehouseRef  # its id or its code


class GetCostPositionHandler:
    async def handle(self, query: GetCostPosition, reading: Reading) -> CostPosition:
        warehouse_id = await warehouse_id_of(reading.uow, "warehouseId", query.warehouse_id)
        await load_warehouse(reading.uow, warehouse_id)  # another tenant's: 404
        return await store_of(reading.uow).costs.position(query.sku_id, warehouse_id)


class GetValuation(Query[Valuation], entity="stock", permission=INVENTORY_COSTING):
    """Quantity and value per SKU × warehouse at ``at`` (movements effective before it),
    a page in SKU, warehouse order; ``total`` (of every level) on the first page."""

    at: datetime | None = None  # None: now
    sku_id: UUID | None = None
    warehouse_id: WarehouseRef | None = None
    cursor: str | None = None
    limit: int | None = None


class ExportValuation(Query[Valuation], entity="stock", permission=INVENTORY_COSTING):
    """The whole valuation at ``at``, every level (the CLI's CSV export)."""

    at: datetime | None = None
    sku_id: UUID | None = None
    warehouse_id: WarehouseRef | None = None


def _level_after(cursor: str | None) -> tuple[UUID, UUID] | None:
    """The SKU × warehouse a valuation page continues after."""
    if not cursor:
        return None
    key = decode_cursor(cursor)
    try:
        return UUID(key[0]), UUID(key[1])
    except (ValueError, IndexError):
        raise ValidationFailed.single("cursor", "invalid_cursor") from None


async def _valuation(
    query: GetValuation | ExportValuation,
    reading: Reading,
    after: tuple[UUID, UUID] | None = None,
    limit: int | None = None,
) -> Valuation:
    at = query.at or reading.clock.now()
    if at.tzinfo is None:
        raise ValidationFailed.single("at", "offset_required")
    warehouse_id = None
    if query.warehouse_id is not None:
        warehouse_id = await warehouse_id_of(reading.uow, "warehouseId", query.warehouse_id)
    costs = store_of(reading.uow).costs
    return await costs.value_at(at, query.sku_id, warehouse_id, after, limit)


class GetValuationHandler:
    async def handle(self, query: GetValuation, reading: Reading) -> Valuation:
        size, after = clamp_limit(query.limit), _level_after(query.cursor)
        found = await _valuation(query, reading, after, size + 1)
        page = page_of(found.levels, size, lambda v: [str(v.sku_id), str(v.warehouse_id)])
        return dataclasses.replace(found, levels=page.items, next_cursor=page.next_cursor)


class ExportValuationHandler:
    async def handle(self, query: ExportValuation, reading: Reading) -> Valuation:
        return await _valuation(query, reading)
