"""Stock levels and the ledger (INV-1, INV-6). Unit costs are left out of ledger rows for
a caller without ``inventory:costing`` (INV-7)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from uuid import UUID

from application.inventory.common import store_of
from application.inventory.ports import LevelPosition
from application.inventory.references import WarehouseRef, warehouse_id_of
from application.shared.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from application.shared.use_case import Query, Reading
from domain.inventory.permissions import INVENTORY_COSTING, INVENTORY_READ
from domain.inventory.stock import LedgerEntry, StockLevel
from domain.shared.errors import ValidationFailed


class ListStockLevels(Query[Page[StockLevel]], entity="stock", permission=INVENTORY_READ):
    sku_id: UUID | None = None
    warehouse_id: WarehouseRef | None = None  # its id or its code (#9 item 16)
    cursor: str | None = None
    limit: int | None = None


def _uuid_cursor(cursor: str, parts: int) -> list[UUID]:
    values = decode_cursor(cursor)
    try:
        found = [UUID(v) for v in values]
    except ValueError:
        raise ValidationFailed.single("cursor", "invalid_cursor") from None
    if len(found) != parts:
        raise ValidationFailed.single("cursor", "invalid_cursor")
    return found


async def _warehouse_filter(reading: Reading, reference: WarehouseRef | None) -> UUID | None:
    if reference is None:
        return None
    return await warehouse_id_of(reading.uow, "warehouseId", reference)


class ListStockLevelsHandler:
    async def handle(self, query: ListStockLevels, reading: Reading) -> Page[StockLevel]:
        limit = clamp_limit(query.limit)
        after = LevelPosition(*_uuid_cursor(query.cursor, 2)) if query.cursor else None
        warehouse_id = await _warehouse_filter(reading, query.warehouse_id)
        found = await store_of(reading.uow).stock.levels(
            query.sku_id, warehouse_id, after, limit + 1
        )
        items = found[:limit]
        last = items[-1] if items else None
        more = len(found) > limit and last is not None
        cursor = (
            encode_cursor([str(last.sku_id), str(last.warehouse_id)]) if more and last else None
        )
        return Page(items, cursor)


@dataclass(frozen=True)
class LedgerPage:
    page: Page[LedgerEntry]
    costs_shown: bool


class ListLedger(Query[LedgerPage], entity="stock_ledger", permission=INVENTORY_READ):
    sku_id: UUID | None = None
    warehouse_id: WarehouseRef | None = None  # its id or its code (#9 item 16)
    cursor: str | None = None
    limit: int | None = None


class ListLedgerHandler:
    async def handle(self, query: ListLedger, reading: Reading) -> LedgerPage:
        limit = clamp_limit(query.limit)
        after = None
        if query.cursor:
            try:
                after = int(decode_cursor(query.cursor)[0])
            except (ValueError, IndexError):
                raise ValidationFailed.single("cursor", "invalid_cursor") from None
        warehouse_id = await _warehouse_filter(reading, query.warehouse_id)
        found = await store_of(reading.uow).stock.ledger(
            query.sku_id, warehouse_id, after, limit + 1
        )
        items = found[:limit]
        costs = reading.allows(INVENTORY_COSTING)
        if not costs:
            items = [
                dataclasses.replace(entry, unit_cost=None, cost_amount=None) for entry in items
            ]
        more = len(found) > limit and items
        cursor = encode_cursor([str(items[-1].seq)]) if more else None
        return LedgerPage(Page(items, cursor), costs)
