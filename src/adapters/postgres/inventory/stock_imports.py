"""Opening-stock import records and the look-ups their check needs (INV-1, #10)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, text, update

from adapters.postgres.inventory.tables import stock_imports, warehouse_bins, warehouses
from adapters.postgres.shared.rows import AnyRow, TenantRepository
from application.catalog.ports.files import errors_from_json, errors_json
from application.inventory.ports import StockImportRecord
from domain.catalog.codes import code_key
from domain.inventory.opening_stock import Place

_READ = [c for c in stock_imports.c if c.name not in ("tenant_id", "content")]
# The catalog's SKU codes, compared by the catalog's code key (codes.code_key), by name.
_SKUS = text(
    "SELECT code_key, id FROM skus WHERE tenant_id = :tenant AND code_key = ANY(:keys)"
    " AND NOT archived"
)


def _record(row: AnyRow) -> StockImportRecord:
    return StockImportRecord(
        id=row.id,
        file_name=row.file_name,
        format=row.format,
        content=bytes(row.content) if "content" in row._fields else b"",
        include_cost=row.include_cost,
        status=row.status,
        check_job_id=row.check_job_id,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        errors=errors_from_json(row.errors),
        counts=dict(row.counts),
        commit_job_id=row.commit_job_id,
        valid_only=row.valid_only,
        version=row.version,
    )


def _changes(record: StockImportRecord) -> dict[str, Any]:
    return {
        "status": record.status,
        "errors": errors_json(record.errors),
        "counts": dict(record.counts),
        "commit_job_id": record.commit_job_id,
        "valid_only": record.valid_only,
        "version": record.version,
        "updated_at": record.updated_at,
    }


class PostgresStockImports(TenantRepository):
    async def add(self, record: StockImportRecord) -> None:
        await self._conn.execute(
            insert(stock_imports).values(
                tenant_id=self._tenant_id,
                id=record.id,
                file_name=record.file_name,
                format=record.format,
                content=record.content,
                include_cost=record.include_cost,
                check_job_id=record.check_job_id,
                created_by=record.created_by,
                created_at=record.created_at,
                **_changes(record),
            )
        )

    async def get(
        self, import_id: UUID, *, for_update: bool = False, with_content: bool = False
    ) -> StockImportRecord | None:
        content = [stock_imports.c.content] if with_content else []
        query = select(*_READ, *content).where(self._row_of(stock_imports, import_id))
        if for_update:
            query = query.with_for_update()
        row = await self._first(query)
        return _record(row) if row is not None else None

    async def save(self, record: StockImportRecord) -> None:
        await self._conn.execute(
            update(stock_imports)
            .where(self._row_of(stock_imports, record.id))
            .values(_changes(record))
        )

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
