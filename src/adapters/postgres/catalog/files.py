"""Catalog import and export records, and an import's set-based product reads and writes
(CAT-2, docs/catalog.md "Bulk import and export").

An import's commit runs in one transaction: the products the file names are read (and
locked) in one statement, and the changed ones are written with one statement per kind of
row — products inserted, products updated, SKUs upserted, search terms replaced, versions
inserted — each one statement over arrays (``unnest``), so a batch of 2,000 products is a
handful of statements rather than one per row, and the server plans each once.

Those set-based writes are hand-written SQL (measured: bench/catalog_import.py; Core has no
``INSERT ... SELECT FROM unnest(...) WITH ORDINALITY`` of its own), but their column lists
and array types are read from the tables (``tables.py``), so a column is still described
once; everything else is Core.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import Column, Table, and_, delete, insert, select, text, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.postgres.catalog.products import (
    PRODUCT_UPDATED,
    SKU_UPDATED,
    PostgresProductRepository,
    changes_data,
    held_terms,
    key_conflicts,
    product_row,
    sku_row,
)
from adapters.postgres.catalog.sql import AnyRow, any_of
from adapters.postgres.catalog.tables import (
    catalog_exports,
    catalog_imports,
    product_search_terms,
    product_versions,
    products,
    skus,
)
from adapters.postgres.errors import raise_for_constraint
from application.catalog.ports.files import (
    ExportRecord,
    ImportRecord,
    PreparedWrites,
    ProductWrite,
    errors_from_json,
    errors_json,
)
from domain.catalog.product import Product
from domain.shared.errors import StaleVersion

_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]


def _array_type(column: Column[Any]) -> str:
    # jsonb travels as text (one JSON document a cell) and is cast where it is written.
    element = "text" if isinstance(column.type, JSONB) else column.type.compile(_DIALECT)
    return f"{element}[]"


def _cell(column: Column[Any]) -> str:
    return (
        f"CAST(v.{column.name} AS jsonb)" if isinstance(column.type, JSONB) else f"v.{column.name}"
    )


def _rows(table: Table, names: Sequence[str], *, ordered: bool = True) -> str:
    """The batch's rows from one array parameter a column (named as the column)."""
    arrays = ", ".join(f"CAST(:{n} AS {_array_type(table.c[n])})" for n in names)
    ordinality = " WITH ORDINALITY" if ordered else ""
    return f"unnest({arrays}){ordinality} AS v({', '.join(names)}{', n' if ordered else ''})"


def _insert_rows(table: Table, names: Sequence[str], *, ordered: bool = True) -> str:
    """``INSERT ... SELECT`` of the batch's rows (in the batch's order when ``ordered``)."""
    return (
        f"INSERT INTO {table.name} (tenant_id, {', '.join(names)})"
        f" SELECT CAST(:tenant_id AS uuid), {', '.join(_cell(table.c[n]) for n in names)}"
        f" FROM {_rows(table, names, ordered=ordered)}{' ORDER BY v.n' if ordered else ''}"
    )


def _arrays(table: Table, names: Sequence[str], rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The rows' values as one array a column (jsonb as JSON text)."""
    arrays: dict[str, Any] = {}
    for name in names:
        values = [row[name] for row in rows]
        if isinstance(table.c[name].type, JSONB):
            values = [json.dumps(v, ensure_ascii=False) for v in values]
        arrays[name] = values
    return arrays


_PRODUCT_FIELDS = [c.name for c in products.c if c.name != "tenant_id"]
_SKU_FIELDS = [c.name for c in skus.c if c.name != "tenant_id"]
_VERSION_FIELDS = ["product_id", "number", "snapshot", "changes", "actor", "at"]
_TERM_FIELDS = ["term", "product_id"]

_INSERT_PRODUCTS = _insert_rows(products, _PRODUCT_FIELDS)
# The optimistic check of every updated product: one changed since the plan (it cannot
# be while the commit holds its lock) fails the whole commit.
_UPDATE_PRODUCTS = (
    f"UPDATE products p SET {', '.join(f'{n} = {_cell(products.c[n])}' for n in PRODUCT_UPDATED)}"
    f" FROM {_rows(products, _PRODUCT_FIELDS)},"
    " unnest(CAST(:expected AS integer[])) WITH ORDINALITY AS e(expected, n)"
    " WHERE e.n = v.n AND p.tenant_id = :tenant_id AND p.id = v.id AND p.version = e.expected"
)
_UPSERT_SKUS = (
    _insert_rows(skus, _SKU_FIELDS)
    + " ON CONFLICT (tenant_id, id) DO UPDATE SET "
    + ", ".join(f"{n} = EXCLUDED.{n}" for n in SKU_UPDATED)
    + " WHERE skus.product_id = EXCLUDED.product_id"  # a SKU never moves to another product
)
_INSERT_VERSIONS = _insert_rows(product_versions, _VERSION_FIELDS)
# In the order prepared (the primary key's): no ordinality to sort by.
_INSERT_TERMS = _insert_rows(product_search_terms, _TERM_FIELDS, ordered=False)

_IMPORT_READ = [c for c in catalog_imports.c if c.name not in ("tenant_id", "content")]
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


def _import(row: AnyRow) -> ImportRecord:
    return ImportRecord(
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
        valid_only=row.valid_only,
        commit_job_id=row.commit_job_id,
        counts=dict(row.counts),
        errors=errors_from_json(row.errors),
        version=row.version,
    )


def _import_changes(record: ImportRecord) -> dict[str, Any]:
    """What an import record's save writes."""
    return {
        "status": record.status,
        "valid_only": record.valid_only,
        "commit_job_id": record.commit_job_id,
        "counts": dict(record.counts),
        "errors": errors_json(record.errors),
        "version": record.version,
        "updated_at": record.updated_at,
    }


class PostgresCatalogFiles:
    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        self._conn = conn
        self._tenant_id = tenant_id
        self._products = PostgresProductRepository(conn, tenant_id)

    # ---- import records --------------------------------------------------------------

    async def add_import(self, record: ImportRecord) -> None:
        await self._conn.execute(
            insert(catalog_imports).values(
                tenant_id=self._tenant_id,
                id=record.id,
                file_name=record.file_name,
                format=record.format,
                content=record.content,
                include_cost=record.include_cost,
                check_job_id=record.check_job_id,
                created_by=record.created_by,
                created_at=record.created_at,
                **_import_changes(record),
            )
        )

    async def get_import(
        self, import_id: UUID, *, for_update: bool = False, with_content: bool = False
    ) -> ImportRecord | None:
        content = [catalog_imports.c.content] if with_content else []
        query = select(*_IMPORT_READ, *content).where(
            catalog_imports.c.tenant_id == self._tenant_id, catalog_imports.c.id == import_id
        )
        if for_update:
            query = query.with_for_update()
        row = (await self._conn.execute(query)).first()
        return _import(row) if row is not None else None

    async def save_import(self, record: ImportRecord) -> None:
        await self._conn.execute(
            update(catalog_imports)
            .where(
                catalog_imports.c.tenant_id == self._tenant_id, catalog_imports.c.id == record.id
            )
            .values(_import_changes(record))
        )

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
        row = (
            await self._conn.execute(
                select(*_EXPORT_READ, *content).where(
                    catalog_exports.c.tenant_id == self._tenant_id,
                    catalog_exports.c.id == export_id,
                )
            )
        ).first()
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
            .where(
                catalog_exports.c.tenant_id == self._tenant_id, catalog_exports.c.id == record.id
            )
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
                {"tenant_id": self._tenant_id, **_arrays(skus, _SKU_FIELDS, sku_rows)}
                if sku_rows
                else None
            ),
            rewritten_terms=[w.product.id for w in old],
            terms=self._term_arrays(writes),
            versions={
                "tenant_id": self._tenant_id,
                **_arrays(product_versions, _VERSION_FIELDS, version_rows),
            },
        )

    async def write_prepared(self, prepared: PreparedWrites) -> None:
        if not isinstance(prepared, _PreparedWrites):
            raise TypeError("write_prepared takes what prepare_writes returned")
        if prepared.new_products is not None:
            # A racing writer's unique key becomes Conflict (the job fails; a retry plans
            # again against what is stored, and names the row).
            await self._guarded(_INSERT_PRODUCTS, prepared.new_products)
        if prepared.old_products is not None:
            expected = prepared.old_products["expected"]
            updated = await self._guarded(_UPDATE_PRODUCTS, prepared.old_products)
            if updated != len(expected):
                raise StaleVersion(expected=expected[0])
        await self._write_skus(prepared)
        await self._write_terms(prepared)
        await self._conn.execute(text(_INSERT_VERSIONS), prepared.versions)

    async def _guarded(self, sql: str, params: dict[str, Any]) -> int:
        try:
            result = await self._conn.execute(text(sql), params)
        except IntegrityError as error:
            # A batch's violation names the index, not the row: the conflict names no code
            # (the batch holds thousands).
            raise_for_constraint(error, key_conflicts([]))
        return result.rowcount

    def _product_arrays(self, writes: Sequence[ProductWrite]) -> dict[str, Any]:
        """The products' columns, one array each, in ``writes`` order."""
        rows = [product_row(self._tenant_id, w.product) for w in writes]
        return {"tenant_id": self._tenant_id, **_arrays(products, _PRODUCT_FIELDS, rows)}

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
        await self._guarded(_UPSERT_SKUS, prepared.skus)

    async def _write_terms(self, prepared: _PreparedWrites) -> None:
        if prepared.rewritten_terms:  # new products hold no terms yet
            await self._conn.execute(
                delete(product_search_terms).where(
                    product_search_terms.c.tenant_id == self._tenant_id,
                    any_of(product_search_terms.c.product_id, prepared.rewritten_terms),
                )
            )
        if prepared.terms is not None:
            await self._conn.execute(text(_INSERT_TERMS), prepared.terms)
