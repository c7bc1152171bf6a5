"""Fake products with their SKUs, versions and search terms; related products, media
and the import/export records."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from application.catalog.ports.files import (
    ExportRecord,
    ImportRecord,
    PreparedWrites,
    ProductWrite,
)
from application.catalog.ports.repositories import (
    ProductFilters,
    ProductSearchTerms,
    ProductSort,
    RelatedProductSummary,
    SearchCandidate,
    SearchPosition,
)
from domain.catalog.codes import barcode_key, code_key
from domain.catalog.media import ProductMedia
from domain.catalog.product import Product
from domain.catalog.related import RelatedProducts, RelationKind
from domain.catalog.search_terms import product_terms
from domain.catalog.versions import ProductVersion
from domain.shared.errors import Conflict
from tests.fakes.catalog.tables import CatalogTables, check_version, fresh, id_page


class FakeProductRepository:
    def __init__(self, tables: CatalogTables) -> None:
        self._t = tables

    async def get(self, product_id: UUID) -> Product | None:
        found = self._t.products.get(product_id)
        return fresh(found) if found else None

    async def add(self, product: Product, version: ProductVersion) -> None:
        assert product.id not in self._t.products, "duplicate primary key"
        self._write(product, version)

    async def save(self, product: Product, expected_version: int, version: ProductVersion) -> None:
        stored = self._t.products.get(product.id)
        check_version(stored.version if stored else None, expected_version)
        self._write(product, version)

    def _write(self, product: Product, version: ProductVersion) -> None:
        others = [p for p in self._t.products.values() if p.id != product.id]
        if any(code_key(p.code) == code_key(product.code) for p in others):
            raise Conflict("product_code_taken", product_code=product.code)
        taken_codes = {code_key(s.code) for p in others for s in p.skus}
        taken_barcodes = {barcode_key(s.barcode) for p in others for s in p.skus if s.barcode}
        for sku in product.skus:
            if code_key(sku.code) in taken_codes:
                raise Conflict("sku_code_taken", sku_code=sku.code)
            if sku.barcode and barcode_key(sku.barcode) in taken_barcodes:
                raise Conflict("barcode_taken", barcode=sku.barcode)
        assert (product.id, version.number) not in self._t.versions, "duplicate version"
        self._t.products[product.id] = fresh(product)
        self._t.versions[(product.id, version.number)] = copy.deepcopy(version)
        self._t.search_terms[product.id] = product_terms(
            product.details.name,
            [product.code, *(s.code for s in product.skus)],
            [s.barcode for s in product.skus if s.barcode],
        )

    async def version(self, product_id: UUID, number: int) -> ProductVersion | None:
        found = self._t.versions.get((product_id, number))
        return copy.deepcopy(found) if found else None

    async def versions(
        self, product_id: UUID, after: int | None, limit: int
    ) -> list[ProductVersion]:
        numbers = sorted(
            (n for p, n in self._t.versions if p == product_id and (after is None or n < after)),
            reverse=True,
        )
        return [copy.deepcopy(self._t.versions[(product_id, n)]) for n in numbers[:limit]]

    async def page(self, after: UUID | None, limit: int) -> list[Product]:
        live = (p for p in self._t.products.values() if not p.archived)
        return id_page(live, lambda p: p.id, after, limit)

    async def in_category(self, category_id: UUID, after: UUID | None, limit: int) -> list[Product]:
        within = {r.descendant_id for r in self._t.closure if r.ancestor_id == category_id}
        found = (
            p
            for p in self._t.products.values()
            if not p.archived and p.details.category_id in within
        )
        return id_page(found, lambda p: p.id, after, limit)

    async def search(
        self,
        terms: ProductSearchTerms | None,
        filters: ProductFilters,
        after: SearchPosition | None,
        limit: int,
        sort: ProductSort = ProductSort.CREATED,
    ) -> list[SearchCandidate]:
        # Term-table equality, price sort keys and keyset paging are SQL's: searching is
        # tested against Postgres (tests/integration/catalog/test_search.py).
        raise NotImplementedError("product search runs against Postgres only")

    async def get_many(self, product_ids: Sequence[UUID]) -> list[Product]:
        return [fresh(self._t.products[i]) for i in product_ids if i in self._t.products]


class FakeProductMediaRepository:
    def __init__(self, tables: CatalogTables) -> None:
        self._t = tables

    async def lock_product(self, product_id: UUID) -> None:
        """Nothing to serialise: the fake runs one unit of work at a time."""

    async def of_product(self, product_id: UUID) -> list[ProductMedia]:
        found = (m for m in self._t.media.values() if m.product_id == product_id)
        return [fresh(m) for m in sorted(found, key=lambda m: m.position)]

    async def get(self, media_id: UUID) -> ProductMedia | None:
        found = self._t.media.get(media_id)
        return fresh(found) if found else None

    async def add(self, media: ProductMedia, at: datetime) -> None:
        assert media.id not in self._t.media, "duplicate primary key"
        self._t.media[media.id] = fresh(media)

    async def save(self, media: ProductMedia, expected_version: int, at: datetime) -> None:
        stored = self._t.media.get(media.id)
        check_version(stored.version if stored else None, expected_version)
        assert stored is not None
        stored.alt_text, stored.version = media.alt_text, media.version

    async def save_positions(self, media: Sequence[ProductMedia], at: datetime) -> None:
        for item in media:
            self._t.media[item.id].position = item.position

    async def delete(self, media_id: UUID) -> None:
        self._t.media.pop(media_id, None)


class FakeRelatedProductRepository:
    def __init__(self, tables: CatalogTables) -> None:
        self._t = tables

    async def get(self, product_id: UUID) -> RelatedProducts:
        links = {kind: ids for (p, kind), ids in self._t.related.items() if p == product_id}
        return RelatedProducts(product_id, links)

    async def replace(self, product_id: UUID, kind: RelationKind, related: Sequence[UUID]) -> None:
        assert all(r in self._t.products for r in related), "foreign key: related product"
        if related:
            self._t.related[(product_id, kind)] = tuple(related)
        else:
            self._t.related.pop((product_id, kind), None)

    async def summaries(self, product_ids: Sequence[UUID]) -> dict[UUID, RelatedProductSummary]:
        found = (self._t.products[i] for i in product_ids if i in self._t.products)
        return {
            p.id: RelatedProductSummary(p.id, p.code, p.details.name, p.archived) for p in found
        }


class FakeCatalogFiles:
    def __init__(self, tables: CatalogTables, products: FakeProductRepository) -> None:
        self._t = tables
        self._products = products

    async def add_import(self, record: ImportRecord) -> None:
        assert record.id not in self._t.imports, "duplicate primary key"
        self._t.imports[record.id] = copy.deepcopy(record)

    async def get_import(
        self, import_id: UUID, *, for_update: bool = False, with_content: bool = False
    ) -> ImportRecord | None:
        found = copy.deepcopy(self._t.imports.get(import_id))
        if found is not None and not with_content:
            found.content = b""
        return found

    async def save_import(self, record: ImportRecord) -> None:
        content = self._t.imports[record.id].content  # the content is written once
        self._t.imports[record.id] = copy.deepcopy(record)
        self._t.imports[record.id].content = content

    async def add_export(self, record: ExportRecord) -> None:
        assert record.id not in self._t.exports, "duplicate primary key"
        self._t.exports[record.id] = copy.deepcopy(record)

    async def get_export(
        self, export_id: UUID, *, with_content: bool = False
    ) -> ExportRecord | None:
        found = copy.deepcopy(self._t.exports.get(export_id))
        if found is not None and not with_content:
            found.content = None
        return found

    async def save_export(self, record: ExportRecord) -> None:
        self._t.exports[record.id] = copy.deepcopy(record)

    async def products_by_code_keys(
        self, keys: Sequence[str], *, lock: bool = False
    ) -> list[Product]:
        wanted = set(keys)
        found = (p for p in self._t.products.values() if code_key(p.code) in wanted)
        return id_page(found, lambda p: p.id, None, len(self._t.products))

    async def sku_owners(self, keys: Sequence[str]) -> dict[str, str]:
        wanted = set(keys)
        return {
            code_key(s.code): p.code
            for p in self._t.products.values()
            for s in p.skus
            if code_key(s.code) in wanted
        }

    async def barcode_owners(self, keys: Sequence[str]) -> dict[str, str]:
        wanted = set(keys)
        return {
            barcode_key(s.barcode): p.code
            for p in self._t.products.values()
            for s in p.skus
            if s.barcode and barcode_key(s.barcode) in wanted
        }

    def prepare_writes(self, writes: Sequence[ProductWrite]) -> PreparedWrites:
        # The import's set-based statements (unnest arrays) are the adapter's whole point;
        # imports are tested against Postgres (tests/integration/catalog/test_import*.py).
        raise NotImplementedError("set-based import writes run against Postgres only")

    async def write_prepared(self, prepared: PreparedWrites) -> None:
        raise NotImplementedError("set-based import writes run against Postgres only")

    async def export_batch(self, after: UUID | None, limit: int) -> list[Product]:
        return await self._products.page(after, limit)
