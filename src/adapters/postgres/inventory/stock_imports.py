"""Opening-stock import records and the look-ups their check needs (INV-1, #10)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.postgres.inventory.tables import stock_imports, warehouse_bins, warehouses
from adapters.postgres.shared.import_records import ImportRecordRows
from application.inventory.ports import StockImportRecord
from domain.catalog.codes import code_key
from domain.inventory.opening_stock import Place

# The catalog's SKU codes, compared by the catalog's code key (codes.code_key), by name.
_SKUS = text(
    "SELECT code_key, id FROM skus WHERE tenant_id = :tenant AND code_key = ANY(:keys)"
    " AND NOT archived"
)


class PostgresStockImports(ImportRecordRows[StockImportRecord]):
    """The records' rows (``ImportRecordRows``: the catalog import's) and the look-ups."""

    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        super().__init__(conn, tenant_id, stock_imports, StockImportRecord)

    async def lookups(
        self, sku_codes: set[str], warehouse_codes: set[str]
    ) -> tuple[dict[str, UUID], dict[str, Place], dict[tuple[UUID, str], UUID]]:
        keys = sorted({code_key(c) for c in sku_codes})
        skus = (
            {
                row.code_key: row.id
                for row in await self._conn.execute(
                    _SKUS, {"tenant": self._tenant_id, "keys": keys}
                )
            }
            if keys
            else {}
        )
        found = await self._conn.execute(
            select(warehouses.c.code, warehouses.c.id, warehouses.c.closed_at).where(
                warehouses.c.tenant_id == self._tenant_id,
                warehouses.c.code.in_(sorted(warehouse_codes)),
            )
        )
        by_code = {row.code: Place(row.id, row.closed_at is not None) for row in found}
        bins: dict[tuple[UUID, str], UUID] = {}
        if by_code:
            rows = await self._conn.execute(
                select(
                    warehouse_bins.c.warehouse_id, warehouse_bins.c.code, warehouse_bins.c.id
                ).where(
                    warehouse_bins.c.tenant_id == self._tenant_id,
                    warehouse_bins.c.warehouse_id.in_([p.id for p in by_code.values()]),
                )
            )
            bins = {(row.warehouse_id, row.code): row.id for row in rows}
        return skus, by_code, bins
