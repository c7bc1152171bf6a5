"""Catalog import and export records, and an import's set-based product reads and writes
(CAT-2, docs/catalog.md "Bulk import and export").

An import's commit runs in one transaction: the products the file names are read (and
locked) in one statement, and the changed ones are written with one statement per kind of
row — products inserted, products updated, SKUs upserted, search terms replaced, versions
inserted — each one statement over arrays (``unnest``), so a batch of 2,000 products is a
handful of statements rather than one per row, and the server plans each once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.postgres.catalog.products import PostgresProductRepository, _changes_json
from application.catalog.ports.files import (
    ExportRecord,
    ImportRecord,
    PreparedWrites,
    ProductWrite,
    errors_from_json,
    errors_json,
)
from domain.catalog.codes import barcode_key, code_key
from domain.catalog.product import Product
from domain.catalog.search_terms import product_terms
from domain.shared.errors import StaleVersion

_IMPORT_COLUMNS = (
    "id, file_name, format, include_cost, status, valid_only, check_job_id,"
    " commit_job_id, counts, errors, version, created_by, created_at, updated_at"
)
_EXPORT_COLUMNS = (
    "id, format, include_cost, status, job_id, products, created_by, created_at, finished_at"
)


# The products' columns an import writes, with their types: sent as one array each and
# read back row by row with unnest (one statement a batch, not one a product).
_PRODUCT_FIELDS = {
    "id": "uuid",
    "code": "text",
    "code_key": "text",
    "name": "text",
    "description": "text",
    "material": "text",
    "kind": "text",
    "preorder_allowed": "boolean",
    "sell_out_of_stock_allowed": "boolean",
    "product_type_id": "uuid",
    "category_id": "uuid",
    "brand_id": "uuid",
    "attributes": "text",
    "lifecycle": "text",
    "archived_at": "timestamptz",
    "version": "integer",
    "created_at": "timestamptz",
    "updated_at": "timestamptz",
}
_PRODUCT_ARRAYS = (
    "unnest("
    + ", ".join(f"CAST(:{column} AS {kind}[])" for column, kind in _PRODUCT_FIELDS.items())
    + ")"
)
_PRODUCT_ROW = "v(" + ", ".join(_PRODUCT_FIELDS) + ", n)"


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


def _import(row: Any) -> ImportRecord:
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


class PostgresCatalogFiles:
    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        self._conn = conn
        self._tenant_id = tenant_id
        self._products = PostgresProductRepository(conn, tenant_id)

    # ---- import records --------------------------------------------------------------

    async def add_import(self, record: ImportRecord) -> None:
        await self._conn.execute(
            text(
                f"INSERT INTO catalog_imports (tenant_id, content, {_IMPORT_COLUMNS}) VALUES"
                " (:tenant_id, :content, :id, :file_name, :format, :include_cost, :status,"
                " :valid_only, :check_job_id, :commit_job_id, CAST(:counts AS jsonb),"
                " CAST(:errors AS jsonb), :version, :created_by, :created_at, :updated_at)"
            ),
            {
                **self._import_values(record),
                "file_name": record.file_name,
                "format": record.format,
                "content": record.content,
                "include_cost": record.include_cost,
                "check_job_id": record.check_job_id,
                "created_by": record.created_by,
                "created_at": record.created_at,
            },
        )

    def _import_values(self, record: ImportRecord) -> dict[str, Any]:
        return {
            "tenant_id": self._tenant_id,
            "id": record.id,
            "status": record.status,
            "valid_only": record.valid_only,
            "commit_job_id": record.commit_job_id,
            "counts": json.dumps(record.counts),
            "errors": json.dumps(errors_json(record.errors), ensure_ascii=False),
            "version": record.version,
            "updated_at": record.updated_at,
        }

    async def get_import(
        self, import_id: UUID, *, for_update: bool = False, with_content: bool = False
    ) -> ImportRecord | None:
        lock = " FOR UPDATE" if for_update else ""
        content = ", content" if with_content else ""
        row = (
            await self._conn.execute(
                text(
                    f"SELECT {_IMPORT_COLUMNS}{content} FROM catalog_imports"
                    f" WHERE tenant_id = :tenant_id AND id = :id{lock}"
                ),
                {"tenant_id": self._tenant_id, "id": import_id},
            )
        ).first()
        return _import(row) if row is not None else None

    async def save_import(self, record: ImportRecord) -> None:
        await self._conn.execute(
            text(
                "UPDATE catalog_imports SET status = :status, valid_only = :valid_only,"
                " commit_job_id = :commit_job_id, counts = CAST(:counts AS jsonb),"
                " errors = CAST(:errors AS jsonb), version = :version, updated_at = :updated_at"
                " WHERE tenant_id = :tenant_id AND id = :id"
            ),
            self._import_values(record),
        )

    # ---- export records --------------------------------------------------------------

    async def add_export(self, record: ExportRecord) -> None:
        await self._conn.execute(
            text(
                "INSERT INTO catalog_exports (tenant_id, id, format, include_cost, status,"
                " job_id, products, created_by, created_at) VALUES (:tenant_id, :id, :format,"
                " :include_cost, :status, :job_id, :products, :created_by, :created_at)"
            ),
            {
                "tenant_id": self._tenant_id,
                "id": record.id,
                "format": record.format,
                "include_cost": record.include_cost,
                "status": record.status,
                "job_id": record.job_id,
                "products": record.products,
                "created_by": record.created_by,
                "created_at": record.created_at,
            },
        )

    async def get_export(
        self, export_id: UUID, *, with_content: bool = False
    ) -> ExportRecord | None:
        content = ", content" if with_content else ""
        row = (
            await self._conn.execute(
                text(
                    f"SELECT {_EXPORT_COLUMNS}{content} FROM catalog_exports"
                    " WHERE tenant_id = :tenant_id AND id = :id"
                ),
                {"tenant_id": self._tenant_id, "id": export_id},
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
            text(
                "UPDATE catalog_exports SET status = :status, content = :content,"
                " products = :products, finished_at = :finished_at"
                " WHERE tenant_id = :tenant_id AND id = :id"
            ),
            {
                "tenant_id": self._tenant_id,
                "id": record.id,
                "status": record.status,
                "content": record.content,
                "products": record.products,
                "finished_at": record.finished_at,
            },
        )

    # ---- products --------------------------------------------------------------------

    async def products_by_code_keys(
        self, keys: Sequence[str], *, lock: bool = False
    ) -> list[Product]:
        if not keys:
            return []
        if lock:
            # Row locks in id order (no deadlock between two imports naming the same rows).
            await self._conn.execute(
                text(
                    "SELECT id FROM products WHERE tenant_id = :tenant_id"
                    " AND code_key = ANY(CAST(:keys AS text[])) ORDER BY id FOR UPDATE"
                ),
                {"tenant_id": self._tenant_id, "keys": list(keys)},
            )
        return await self._products._load(
            "AND code_key = ANY(CAST(:keys AS text[]))", {"keys": list(keys), "limit": len(keys)}
        )

    async def sku_owners(self, keys: Sequence[str]) -> dict[str, str]:
        return await self._owners("s.code_key", keys)

    async def barcode_owners(self, keys: Sequence[str]) -> dict[str, str]:
        return await self._owners("s.barcode_key", keys)

    async def _owners(self, column: str, keys: Sequence[str]) -> dict[str, str]:
        if not keys:
            return {}
        rows = await self._conn.execute(
            text(
                f"SELECT {column} AS key, p.code FROM skus s JOIN products p"
                " ON p.tenant_id = s.tenant_id AND p.id = s.product_id"
                f" WHERE s.tenant_id = :tenant_id AND {column} = ANY(CAST(:keys AS text[]))"
            ),
            {"tenant_id": self._tenant_id, "keys": list(keys)},
        )
        return {r.key: r.code for r in rows}

    async def export_batch(self, after: UUID | None, limit: int) -> list[Product]:
        return await self._products.page(after, limit)

    def prepare_writes(self, writes: Sequence[ProductWrite]) -> _PreparedWrites:
        """Every parameter of the batch's statements, computed without the connection (the
        commit runs this in a worker thread for the next batch while this one is written)."""
        new = [w for w in writes if w.read_version is None]
        old = [w for w in writes if w.read_version is not None]
        return _PreparedWrites(
            new_products=self._product_arrays(new) if new else None,
            old_products=(
                {**self._product_arrays(old), "expected": [w.read_version for w in old]}
                if old
                else None
            ),
            stored_skus=[sku.id for w in old for sku in w.product.skus],
            skus=self._sku_arrays(writes),
            rewritten_terms=[w.product.id for w in old],
            terms=self._term_arrays(writes),
            versions={
                "tenant_id": self._tenant_id,
                "product_ids": [w.version.product_id for w in writes],
                "numbers": [w.version.number for w in writes],
                "snapshots": [json.dumps(w.version.snapshot, ensure_ascii=False) for w in writes],
                "changes": [_changes_json(w.version.changes) for w in writes],
                "actors": [w.version.actor for w in writes],
                "ats": [w.version.at for w in writes],
            },
        )

    async def write_prepared(self, prepared: PreparedWrites) -> None:
        if not isinstance(prepared, _PreparedWrites):
            raise TypeError("write_prepared takes what prepare_writes returned")
        if prepared.new_products is not None:
            # A racing writer's unique key becomes Conflict (the job fails; a retry plans
            # again against what is stored).
            await self._products._guarded(
                "INSERT INTO products (tenant_id, id, code, code_key, name, description,"
                " material, kind, preorder_allowed, sell_out_of_stock_allowed,"
                " product_type_id, category_id, brand_id, attributes, lifecycle,"
                " archived_at, version, created_at, updated_at)"
                " SELECT CAST(:tenant_id AS uuid), v.id, v.code, v.code_key, v.name,"
                " v.description, v.material, v.kind, v.preorder_allowed,"
                " v.sell_out_of_stock_allowed, v.product_type_id, v.category_id, v.brand_id,"
                " CAST(v.attributes AS jsonb), v.lifecycle, v.archived_at, v.version,"
                " v.created_at, v.updated_at"
                f" FROM {_PRODUCT_ARRAYS} WITH ORDINALITY AS {_PRODUCT_ROW} ORDER BY v.n",
                prepared.new_products,
            )
        if prepared.old_products is not None:
            # The optimistic check of every updated product: one changed since the plan
            # (it cannot be while the commit holds its lock) fails the whole commit.
            expected = prepared.old_products["expected"]
            updated = await self._products._guarded(
                "UPDATE products p SET name = v.name, description = v.description,"
                " material = v.material, kind = v.kind, preorder_allowed = v.preorder_allowed,"
                " sell_out_of_stock_allowed = v.sell_out_of_stock_allowed,"
                " product_type_id = v.product_type_id, category_id = v.category_id,"
                " brand_id = v.brand_id, attributes = CAST(v.attributes AS jsonb),"
                " lifecycle = v.lifecycle, archived_at = v.archived_at, version = v.version,"
                " updated_at = v.updated_at"
                f" FROM {_PRODUCT_ARRAYS} WITH ORDINALITY AS {_PRODUCT_ROW},"
                " unnest(CAST(:expected AS integer[])) WITH ORDINALITY AS e(expected, n)"
                " WHERE e.n = v.n AND p.tenant_id = :tenant_id AND p.id = v.id"
                " AND p.version = e.expected",
                prepared.old_products,
            )
            if updated != len(expected):
                raise StaleVersion(expected=expected[0])
        await self._write_skus(prepared)
        await self._write_terms(prepared)
        await self._conn.execute(
            text(
                "INSERT INTO product_versions (tenant_id, product_id, number, snapshot, changes,"
                " actor, at, restored_from) SELECT CAST(:tenant_id AS uuid), v.product_id,"
                " v.number, CAST(v.snapshot AS jsonb), CAST(v.changes AS jsonb), v.actor, v.at,"
                " NULL FROM unnest(CAST(:product_ids AS uuid[]), CAST(:numbers AS integer[]),"
                " CAST(:snapshots AS text[]), CAST(:changes AS text[]),"
                " CAST(:actors AS text[]), CAST(:ats AS timestamptz[]))"
                " WITH ORDINALITY AS v(product_id, number, snapshot, changes, actor, at, n)"
                " ORDER BY v.n"
            ),
            prepared.versions,
        )

    def _product_arrays(self, writes: Sequence[ProductWrite]) -> dict[str, Any]:
        """The products' columns, one array each (``_PRODUCT_ARRAYS``), in ``writes`` order."""
        values = [self._products._values(w.product) for w in writes]
        return {
            "tenant_id": self._tenant_id,
            **{column: [v[column] for v in values] for column in _PRODUCT_FIELDS},
        }

    def _sku_arrays(self, writes: Sequence[ProductWrite]) -> dict[str, Any] | None:
        skus = [(w.product.id, i, sku) for w in writes for i, sku in enumerate(w.product.skus)]
        if not skus:
            return None
        return {
            "tenant_id": self._tenant_id,
            "ids": [sku.id for _, _, sku in skus],
            "product_ids": [product_id for product_id, _, _ in skus],
            "positions": [i for _, i, _ in skus],
            "codes": [sku.code for _, _, sku in skus],
            "code_keys": [code_key(sku.code) for _, _, sku in skus],
            "barcodes": [sku.barcode for _, _, sku in skus],
            "barcode_keys": [
                barcode_key(sku.barcode) if sku.barcode else None for _, _, sku in skus
            ],
            "axis_values": [
                json.dumps(dict(sku.axis_values), ensure_ascii=False) for _, _, sku in skus
            ],
            "list_prices": [
                sku.list_price.amount if sku.list_price else None for _, _, sku in skus
            ],
            "costs": [sku.cost.amount if sku.cost else None for _, _, sku in skus],
            "weights": [sku.weight_grams for _, _, sku in skus],
            "archived": [sku.archived for _, _, sku in skus],
        }

    def _term_arrays(self, writes: Sequence[ProductWrite]) -> dict[str, Any] | None:
        # (term, the id as its 128-bit number, the id): sorted in primary-key order, so the
        # index takes them in sequence. A term is shared by many products (a name's words),
        # and comparing the numbers is C's work where comparing UUID objects is Python's.
        pairs: list[tuple[str, int, UUID]] = []
        for w in writes:
            p = w.product
            held = product_terms(
                p.details.name,
                [p.code, *(s.code for s in p.skus)],
                [s.barcode for s in p.skus if s.barcode],
            )
            number = p.id.int
            pairs.extend((term, number, p.id) for term in held)
        if not pairs:
            return None
        pairs.sort()
        return {
            "tenant_id": self._tenant_id,
            "terms": [term for term, _, _ in pairs],
            "owners": [owner for _, _, owner in pairs],
        }

    async def _write_skus(self, prepared: _PreparedWrites) -> None:
        if prepared.skus is None:
            return
        # Barcodes and codes may move between SKUs of one product: clear the keys of the
        # SKUs being rewritten first, so the unique indexes see only the final state (a
        # new product's SKUs are new rows: nothing stored to clear).
        if prepared.stored_skus:
            await self._conn.execute(
                text(
                    "UPDATE skus SET barcode_key = NULL WHERE tenant_id = :tenant_id"
                    " AND id = ANY(CAST(:ids AS uuid[])) AND barcode_key IS NOT NULL"
                ),
                {"tenant_id": self._tenant_id, "ids": prepared.stored_skus},
            )
        await self._products._guarded(
            "INSERT INTO skus (tenant_id, id, product_id, position, code, code_key, barcode,"
            " barcode_key, axis_values, list_price, cost, weight_grams, archived)"
            " SELECT CAST(:tenant_id AS uuid), v.id, v.product_id, v.position, v.code,"
            " v.code_key, v.barcode, v.barcode_key, CAST(v.axis_values AS jsonb),"
            " v.list_price, v.cost, v.weight_grams, v.archived"
            " FROM unnest(CAST(:ids AS uuid[]), CAST(:product_ids AS uuid[]),"
            " CAST(:positions AS integer[]), CAST(:codes AS text[]),"
            " CAST(:code_keys AS text[]), CAST(:barcodes AS text[]),"
            " CAST(:barcode_keys AS text[]), CAST(:axis_values AS text[]),"
            " CAST(:list_prices AS numeric[]), CAST(:costs AS numeric[]),"
            " CAST(:weights AS numeric[]), CAST(:archived AS boolean[])) WITH ORDINALITY"
            " AS v(id, product_id, position, code, code_key, barcode, barcode_key,"
            " axis_values, list_price, cost, weight_grams, archived, n) ORDER BY v.n"
            " ON CONFLICT (tenant_id, id) DO UPDATE SET position = EXCLUDED.position,"
            " code = EXCLUDED.code, code_key = EXCLUDED.code_key,"
            " barcode = EXCLUDED.barcode, barcode_key = EXCLUDED.barcode_key,"
            " axis_values = EXCLUDED.axis_values, list_price = EXCLUDED.list_price,"
            " cost = EXCLUDED.cost, weight_grams = EXCLUDED.weight_grams,"
            " archived = EXCLUDED.archived"
            " WHERE skus.product_id = EXCLUDED.product_id",
            prepared.skus,
        )

    async def _write_terms(self, prepared: _PreparedWrites) -> None:
        if prepared.rewritten_terms:  # new products hold no terms yet
            await self._conn.execute(
                text(
                    "DELETE FROM product_search_terms WHERE tenant_id = :tenant_id"
                    " AND product_id = ANY(CAST(:ids AS uuid[]))"
                ),
                {"tenant_id": self._tenant_id, "ids": prepared.rewritten_terms},
            )
        if prepared.terms is not None:
            await self._conn.execute(
                text(
                    "INSERT INTO product_search_terms (tenant_id, term, product_id)"
                    " SELECT CAST(:tenant_id AS uuid), t.term, t.product_id"
                    " FROM unnest(CAST(:terms AS text[]), CAST(:owners AS uuid[]))"
                    " AS t(term, product_id)"
                ),
                prepared.terms,
            )
