"""Read warehouses (INV-1)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.inventory.common import load_warehouse, store_of
from application.shared.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from application.shared.use_case import Query, Reading
from domain.inventory.permissions import INVENTORY_READ
from domain.inventory.warehouse import ENTITY, Warehouse


@dataclass(frozen=True)
class GetWarehouse(Query):
    entity = ENTITY
    permission = INVENTORY_READ
    target = "warehouse_id"

    warehouse_id: UUID


class GetWarehouseHandler:
    async def handle(self, query: GetWarehouse, reading: Reading) -> Warehouse:
        return await load_warehouse(reading.uow, query.warehouse_id)


@dataclass(frozen=True)
class ListWarehouses(Query):
    entity = ENTITY
    permission = INVENTORY_READ

    cursor: str | None = None
    limit: int | None = None


class ListWarehousesHandler:
    async def handle(self, query: ListWarehouses, reading: Reading) -> Page[Warehouse]:
        limit = clamp_limit(query.limit)
        after = decode_cursor(query.cursor)[0] if query.cursor else None
        found = await store_of(reading.uow).warehouses.page(after, limit + 1)
        items = found[:limit]
        more = len(found) > limit
        return Page(items, encode_cursor([items[-1].code]) if more and items else None)
