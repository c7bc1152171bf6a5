"""Catalog import and export records, and an import's set-based product reads and writes
(CAT-2, docs/catalog.md "Bulk import and export").

An import's commit runs in one transaction: the products the file names are read (and
locked) in one statement, and the changed ones are written with one statement per kind of
row — products inserted, products updated, SKUs upserted, search terms replaced, versions
inserted — each one statement over arrays (``unnest``), so a batch of 2,000 products is a
handful of statements rather than one per row, and the server plans each once.

Those set-based writes are hand-written SQL (``import_writes.py`` says why); everything
else is Core.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import Column, TextClause, and_, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.postgres.catalog.import_writes import (
    INSERT_PRODUCTS,
    INSERT_TERMS,
    INSERT_VERSIONS,
    PRODUCT_FIELDS,
    SKU_FIELDS,
    UPDATE_PRODUCTS,
    UPSERT_SKUS,
    VERSION_FIELDS,
    column_arrays,
)
from adapters.postgres.catalog.product_rows import (
    changes_data,
    held_terms,
    key_conflicts,
    product_row,
    sku_row,
)
from adapters.postgres.catalog.products import PostgresProductRepository
from adapters.postgres.catalog.sql import any_of
from adapters.postgres.catalog.tables import (
    catalog_exports,
    catalog_imports,
    product_search_terms,
    product_versions,
    products,
    skus,
)
from adapters.postgres.shared.errors import raise_for_constraint
from adapters.postgres.shared.import_records import ImportRecordRows
from adapters.postgres.shared.rows import TenantRepository
from application.catalog.ports.files import (
    ExportRecord,
    ImportRecord,
    PreparedWrites,
    ProductWrite,
)
from domain.catalog.product import Product
from domain.shared.errors import StaleVersion

_EXPORT_READ = [c for c in catalog_exports.c if c.name not in ("tenant_id", "content")]


@dataclass(frozen=True)
class _PreparedWrites:
    """A batch's statement parameters (``prepare_writes``); None: no such statement."""

    new_products: dict[str, Any] | None
    old_products: dict[str, Any] | None  # with "expected": the versions the plan read
    stored_skus: list[UUID]  # SKUs of updated products (their keys are cleared first)
    skus: dict[str, Any] | None
    rewritten_terms: list[UUID]  # updated products: their terms are replaced
    terms: dict[str, Any] | None
    versions: dict[str, Any]


class PostgresCatalogFiles(TenantRepository):
    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        super().__init__(conn, tenant_id)
        self._products = PostgresProductRepository(conn, tenant_id)
        self._imports = ImportRecordRows(conn, tenant_id, catalog_imports, ImportRecord)

    # ---- import records (the rows the opening-stock import's share) -----------------

    async def add_import(self, record: ImportRecord) -> None:
        await self._imports.add(record)

    async def get_import(
        self, import_id: UUID, *, for_update: bool = False, with_content: bool = False
    ) -> ImportRecord | None:
        return await self._imports.get(import_id, for_update=for_update, with_content=with_content)

    async def save_import(self, record: ImportRecord) -> None:
        await self._imports.save(record)

    # ---- export records --------------------------------------------------------------

    async def add_export(self, record: ExportRecord) -> None:
        await self._conn.execute(
            insert(catalog_exports).values(
                tenant_id=self._tenant_id,
                id=record.id,
                format=record.format,
                include_cost=record.include_cost,
                status=record.status,
                job_id=record.job_id,
                products=record.products,
                created_by=record.created_by,
                created_at=record.created_at,
            )
        )

    async def get_export(
        self, export_id: UUID, *, with_content: bool = False
    ) -> ExportRecord | None:
        content = [catalog_exports.c.content] if with_content else []
        row = await self._first(
            select(*_EXPORT_READ, *content).where(
                self._row_of(catalog_exports, export_id),
            )
        )
        if row is None:
            return None
        return ExportRecord(
            id=row.id,
            format=row.format,
            include_cost=row.include_cost,
            status=row.status,
            job_id=row.job_id,
            created_by=row.created_by,
            created_at=row.created_at,
            content=bytes(row.content) if with_content and row.content is not None else None,
            products=row.products,
            finished_at=row.finished_at,
        )

    async def save_export(self, record: ExportRecord) -> None:
        await self._conn.execute(
            update(catalog_exports)
            .where(self._row_of(catalog_exports, record.id))
            .values(
                status=record.status,
                content=record.content,
                products=record.products,
                finished_at=record.finished_at,
            )
        )

    # ---- products --------------------------------------------------------------------

    async def products_by_code_keys(
        self, keys: Sequence[str], *, lock: bool = False
    ) -> list[Product]:
        if not keys:
            return []
        named = any_of(products.c.code_key, keys)
        if lock:
            # Row locks in id order (no deadlock between two imports naming the same rows).
            await self._conn.execute(
                select(products.c.id)
                .where(products.c.tenant_id == self._tenant_id, named)
                .order_by(products.c.id)
                .with_for_update()
            )
        return await self._products.load(named, limit=len(keys))

    async def sku_owners(self, keys: Sequence[str]) -> dict[str, str]:
        return await self._owners(skus.c.code_key, keys)

    async def barcode_owners(self, keys: Sequence[str]) -> dict[str, str]:
        return await self._owners(skus.c.barcode_key, keys)

    async def _owners(self, key: Column[Any], keys: Sequence[str]) -> dict[str, str]:
        if not keys:
            return {}
        rows = await self._conn.execute(
            select(key.label("key"), products.c.code)
            .join_from(
                skus,
                products,
                and_(products.c.tenant_id == skus.c.tenant_id, products.c.id == skus.c.product_id),
            )
            .where(skus.c.tenant_id == self._tenant_id, any_of(key, keys))
        )
        return {r.key: r.code for r in rows}

    async def export_batch(self, after: UUID | None, limit: int) -> list[Product]:
        return await self._products.page(after, limit)

    def prepare_writes(self, writes: Sequence[ProductWrite]) -> _PreparedWrites:
        """Every parameter of the batch's statements, computed without the connection (the
        commit runs this in a worker thread for the next batch while this one is written)."""
        new = [w for w in writes if w.read_version is None]
        old = [w for w in writes if w.read_version is not None]
        sku_rows = [
            sku_row(self._tenant_id, w.product.id, i, sku)
            for w in writes
            for i, sku in enumerate(w.product.skus)
        ]
        version_rows = [
            {
                "product_id": w.version.product_id,
                "number": w.version.number,
                "snapshot": w.version.snapshot,
                "changes": changes_data(w.version.changes),
                "actor": w.version.actor,
                "at": w.version.at,
            }
            for w in writes
        ]
        return _PreparedWrites(
            new_products=self._product_arrays(new) if new else None,
            old_products=(
                {**self._product_arrays(old), "expected": [w.read_version for w in old]}
                if old
                else None
            ),
            stored_skus=[sku.id for w in old for sku in w.product.skus],
            skus=(
                {"tenant_id": self._tenant_id, **column_arrays(skus, SKU_FIELDS, sku_rows)}
                if sku_rows
                else None
            ),
            rewritten_terms=[w.product.id for w in old],
            terms=self._term_arrays(writes),
            versions={
                "tenant_id": self._tenant_id,
                **column_arrays(product_versions, VERSION_FIELDS, version_rows),
            },
        )

    async def write_prepared(self, prepared: PreparedWrites) -> None:
        if not isinstance(prepared, _PreparedWrites):
            raise TypeError("write_prepared takes what prepare_writes returned")
        if prepared.new_products is not None:
            # A racing writer's unique key becomes Conflict (the job fails; a retry plans
            # again against what is stored, and names the row).
            await self._guarded(INSERT_PRODUCTS, prepared.new_products)
        if prepared.old_products is not None:
            expected = prepared.old_products["expected"]
            updated = await self._guarded(UPDATE_PRODUCTS, prepared.old_products)
            if updated != len(expected):
                raise StaleVersion(expected=expected[0])
        await self._write_skus(prepared)
        await self._write_terms(prepared)
        await self._conn.execute(INSERT_VERSIONS, prepared.versions)

    async def _guarded(self, statement: TextClause, params: dict[str, Any]) -> int:
        try:
            result = await self._conn.execute(statement, params)
        except IntegrityError as error:
            # A batch's violation names the index, not the row: the conflict names no code
            # (the batch holds thousands).
            raise_for_constraint(error, key_conflicts([]))
        return result.rowcount

    def _product_arrays(self, writes: Sequence[ProductWrite]) -> dict[str, Any]:
        """The products' columns, one array each, in ``writes`` order."""
        rows = [product_row(self._tenant_id, w.product) for w in writes]
        return {"tenant_id": self._tenant_id, **column_arrays(products, PRODUCT_FIELDS, rows)}

    def _term_arrays(self, writes: Sequence[ProductWrite]) -> dict[str, Any] | None:
        # (term, the id as its 128-bit number, the id): sorted in primary-key order, so the
        # index takes them in sequence. A term is shared by many products (a name's words),
        # and comparing the numbers is C's work where comparing UUID objects is Python's.
        pairs: list[tuple[str, int, UUID]] = []
        for w in writes:
            number = w.product.id.int
            pairs.extend((term, number, w.product.id) for term in held_terms(w.product))
        if not pairs:
            return None
        pairs.sort()
        return {
            "tenant_id": self._tenant_id,
            "term": [term for term, _, _ in pairs],
            "product_id": [owner for _, _, owner in pairs],
        }

    async def _write_skus(self, prepared: _PreparedWrites) -> None:
        if prepared.skus is None:
            return
        # Barcodes and codes may move between SKUs of one product: clear the keys of the
        # SKUs being rewritten first, so the unique indexes see only the final state (a
        # new product's SKUs are new rows: nothing stored to clear).
        if prepared.stored_skus:
            await self._conn.execute(
                update(skus)
                .where(
                    skus.c.tenant_id == self._tenant_id,
                    any_of(skus.c.id, prepared.stored_skus),
                    skus.c.barcode_key.is_not(None),
                )
                .values(barcode_key=None)
            )
        await self._guarded(UPSERT_SKUS, prepared.skus)

    async def _write_terms(self, prepared: _PreparedWrites) -> None:
        if prepared.rewritten_terms:  # new products hold no terms yet
            await self._conn.execute(
                delete(product_search_terms).where(
                    product_search_terms.c.tenant_id == self._tenant_id,
                    any_of(product_search_terms.c.product_id, prepared.rewritten_terms),
                )
            )
        if prepared.terms is not None:
            await self._conn.execute(INSERT_TERMS, prepared.terms)
