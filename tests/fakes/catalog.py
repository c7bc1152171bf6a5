"""In-memory catalog store (``uow.of(CATALOG)``): every repository of ``CatalogStore`` over
one tenant's dicts, with the rules the Postgres adapters enforce — versions checked on
save, codes, names and barcodes unique in the tenant, the category closure table, search
terms rewritten on every product save.

Entities go in and come out as deep copies (a read is a fresh object, as from a row), so
a use case that changes an entity and then fails leaves the tables as they were.

Not faked (``NotImplementedError``): the search candidates (equality on a term table
joined with prices, sorting and keyset paging in SQL) and the set-based import writes;
the tests of those use cases run against Postgres (tests/integration/catalog/).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar
from uuid import UUID

from application.catalog.ports.channels import StoredMemberPrice, StoredPromotion, TierSettings
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
from application.catalog.ports.store import CatalogStore
from domain.catalog.brand import Brand
from domain.catalog.category import Category, ClosureChange, ClosureRow
from domain.catalog.channel import Listing, ListingStatus, SalesChannel
from domain.catalog.checks import name_key
from domain.catalog.codes import barcode_key, code_key
from domain.catalog.media import ProductMedia
from domain.catalog.membership import MembershipTier
from domain.catalog.pricing import ChannelPrice, SkuPrices
from domain.catalog.product import Product
from domain.catalog.product_type import ProductType
from domain.catalog.related import RelatedProducts, RelationKind
from domain.catalog.search_terms import product_terms
from domain.catalog.versions import ProductVersion
from domain.shared.errors import Conflict, StaleVersion

E = TypeVar("E")


def fresh(entity: E) -> E:
    """A copy with no pending events: what a row reads back as."""
    clone = copy.deepcopy(entity)
    events = getattr(clone, "events", None)
    if isinstance(events, list):
        events.clear()
    return clone


def id_page(rows: Iterable[E], key: Callable[[E], UUID], after: UUID | None, limit: int) -> list[E]:
    """Rows in id order after ``after`` (how every ``page`` of the adapters reads)."""
    ordered = sorted(rows, key=key)
    return [fresh(r) for r in ordered if after is None or key(r) > after][:limit]


def check_version(stored: int | None, expected: int) -> None:
    """The adapters' ``UPDATE … WHERE version = :expected``: no row, no update."""
    if stored != expected:
        raise StaleVersion(expected=expected)


@dataclass
class CatalogTables:
    """One tenant's catalog tables."""

    categories: dict[UUID, Category] = field(default_factory=dict)
    closure: set[ClosureRow] = field(default_factory=set)
    brands: dict[UUID, Brand] = field(default_factory=dict)
    product_types: dict[UUID, ProductType] = field(default_factory=dict)
    products: dict[UUID, Product] = field(default_factory=dict)
    versions: dict[tuple[UUID, int], ProductVersion] = field(default_factory=dict)
    search_terms: dict[UUID, frozenset[str]] = field(default_factory=dict)
    channels: dict[UUID, SalesChannel] = field(default_factory=dict)
    listings: dict[tuple[UUID, UUID], Listing] = field(default_factory=dict)
    tiers: TierSettings = field(default_factory=lambda: TierSettings((), 0))
    member_prices: dict[UUID, StoredMemberPrice] = field(default_factory=dict)
    promotions: dict[UUID, StoredPromotion] = field(default_factory=dict)
    media: dict[UUID, ProductMedia] = field(default_factory=dict)
    related: dict[tuple[UUID, RelationKind], tuple[UUID, ...]] = field(default_factory=dict)
    imports: dict[UUID, ImportRecord] = field(default_factory=dict)
    exports: dict[UUID, ExportRecord] = field(default_factory=dict)

    def copy(self) -> CatalogTables:
        return copy.deepcopy(self)


class FakeCategoryRepository:
    def __init__(self, tables: CatalogTables) -> None:
        self._t = tables

    async def lock_tree(self) -> None:
        """Nothing to serialise: the fake runs one unit of work at a time."""

    async def get(self, category_id: UUID) -> Category | None:
        found = self._t.categories.get(category_id)
        return fresh(found) if found else None

    async def path(self, category_id: UUID) -> list[UUID]:
        rows = [r for r in self._t.closure if r.descendant_id == category_id]
        return [r.ancestor_id for r in sorted(rows, key=lambda r: -r.depth)]

    async def subtree(self, category_id: UUID) -> dict[UUID, int]:
        return {r.descendant_id: r.depth for r in self._t.closure if r.ancestor_id == category_id}

    async def child_names(self, parent_id: UUID | None, excluding: UUID | None) -> list[str]:
        return [
            c.name
            for c in self._t.categories.values()
            if c.parent_id == parent_id and c.id != excluding
        ]

    async def add(self, category: Category, closure: frozenset[ClosureRow], at: datetime) -> None:
        assert category.id not in self._t.categories, "duplicate primary key"
        self._t.categories[category.id] = fresh(category)
        self._t.closure |= closure

    async def save(self, category: Category, expected_version: int, at: datetime) -> None:
        stored = self._t.categories.get(category.id)
        check_version(stored.version if stored else None, expected_version)
        self._t.categories[category.id] = fresh(category)

    async def apply_closure(self, change: ClosureChange) -> None:
        self._t.closure = {
            r for r in self._t.closure if (r.ancestor_id, r.descendant_id) not in change.deleted
        } | change.inserted

    async def page(self, after: UUID | None, limit: int) -> list[Category]:
        return id_page(self._t.categories.values(), lambda c: c.id, after, limit)


class FakeBrandRepository:
    def __init__(self, tables: CatalogTables) -> None:
        self._t = tables

    async def get(self, brand_id: UUID) -> Brand | None:
        found = self._t.brands.get(brand_id)
        return fresh(found) if found else None

    async def add(self, brand: Brand, at: datetime) -> None:
        self._write(brand)

    async def save(self, brand: Brand, expected_version: int, at: datetime) -> None:
        stored = self._t.brands.get(brand.id)
        check_version(stored.version if stored else None, expected_version)
        self._write(brand)

    def _write(self, brand: Brand) -> None:
        if any(
            b.id != brand.id and name_key(b.name) == name_key(brand.name)
            for b in self._t.brands.values()
        ):
            raise Conflict("brand_name_taken", name=brand.name)
        self._t.brands[brand.id] = fresh(brand)

    async def page(self, after: UUID | None, limit: int) -> list[Brand]:
        return id_page(self._t.brands.values(), lambda b: b.id, after, limit)


class FakeProductTypeRepository:
    def __init__(self, tables: CatalogTables) -> None:
        self._t = tables

    async def get(self, type_id: UUID) -> ProductType | None:
        found = self._t.product_types.get(type_id)
        return fresh(found) if found else None

    async def add(self, product_type: ProductType, at: datetime) -> None:
        self._write(product_type)

    async def save(self, product_type: ProductType, expected_version: int, at: datetime) -> None:
        stored = self._t.product_types.get(product_type.id)
        check_version(stored.version if stored else None, expected_version)
        self._write(product_type)

    def _write(self, product_type: ProductType) -> None:
        if any(
            t.id != product_type.id and name_key(t.name) == name_key(product_type.name)
            for t in self._t.product_types.values()
        ):
            raise Conflict("product_type_name_taken", name=product_type.name)
        self._t.product_types[product_type.id] = fresh(product_type)

    async def page(self, after: UUID | None, limit: int) -> list[ProductType]:
        return id_page(self._t.product_types.values(), lambda t: t.id, after, limit)


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


class FakeChannelRepository:
    def __init__(self, tables: CatalogTables) -> None:
        self._t = tables

    async def get(self, channel_id: UUID) -> SalesChannel | None:
        found = self._t.channels.get(channel_id)
        return fresh(found) if found else None

    async def add(self, channel: SalesChannel, at: datetime) -> None:
        self._write(channel)

    async def save(self, channel: SalesChannel, expected_version: int, at: datetime) -> None:
        stored = self._t.channels.get(channel.id)
        check_version(stored.version if stored else None, expected_version)
        self._write(channel)

    def _write(self, channel: SalesChannel) -> None:
        if any(c.id != channel.id and c.code == channel.code for c in self._t.channels.values()):
            raise Conflict("channel_code_taken", channel_code=channel.code)
        self._t.channels[channel.id] = fresh(channel)

    async def page(self, after: UUID | None, limit: int) -> list[SalesChannel]:
        return id_page(self._t.channels.values(), lambda c: c.id, after, limit)


class FakeListingRepository:
    def __init__(self, tables: CatalogTables) -> None:
        self._t = tables

    async def hold(self, product_id: UUID, channel_id: UUID) -> None:
        """Nothing to serialise: the fake runs one unit of work at a time."""

    async def get(self, product_id: UUID, channel_id: UUID) -> Listing | None:
        found = self._t.listings.get((product_id, channel_id))
        return fresh(found) if found else None

    async def of_product(self, product_id: UUID) -> list[Listing]:
        return [fresh(v) for k, v in sorted(self._t.listings.items()) if k[0] == product_id]

    async def published_on(self, channel_id: UUID) -> list[Listing]:
        return [
            fresh(v)
            for k, v in sorted(self._t.listings.items())
            if k[1] == channel_id and v.status is ListingStatus.PUBLISHED
        ]

    async def add(self, listing: Listing) -> None:
        key = (listing.product_id, listing.channel_id)
        if key in self._t.listings:  # another writer stored it first
            raise StaleVersion(expected=0)
        self._t.listings[key] = fresh(listing)

    async def save(self, listing: Listing, expected_version: int) -> None:
        key = (listing.product_id, listing.channel_id)
        stored = self._t.listings.get(key)
        check_version(stored.version if stored else None, expected_version)
        self._t.listings[key] = fresh(listing)


class FakePriceRepository:
    def __init__(self, tables: CatalogTables) -> None:
        self._t = tables

    async def tier_settings(self) -> TierSettings:
        return self._t.tiers

    async def save_tiers(self, tiers: tuple[MembershipTier, ...], expected_version: int) -> int:
        check_version(self._t.tiers.version, expected_version)
        codes = {t.code for t in tiers}
        if any(m.price.tier not in codes for m in self._t.member_prices.values()):
            raise Conflict("membership_tier_in_use")
        self._t.tiers = TierSettings(tiers, expected_version + 1)
        return expected_version + 1

    async def member_price(self, price_id: UUID) -> StoredMemberPrice | None:
        return self._t.member_prices.get(price_id)

    async def member_prices_of(self, sku_id: UUID) -> list[StoredMemberPrice]:
        order = [t.code for t in self._t.tiers.tiers]
        found = [m for m in self._t.member_prices.values() if m.sku_id == sku_id]
        return sorted(found, key=lambda m: order.index(m.price.tier))

    async def add_member_price(self, price: StoredMemberPrice, at: datetime) -> None:
        if any(
            m.sku_id == price.sku_id and m.price.tier == price.price.tier
            for m in self._t.member_prices.values()
        ):
            raise Conflict("member_price_taken", tier=price.price.tier)
        self._t.member_prices[price.id] = price

    async def save_member_price(
        self, price: StoredMemberPrice, expected_version: int, at: datetime
    ) -> None:
        stored = self._t.member_prices.get(price.id)
        check_version(stored.version if stored else None, expected_version)
        self._t.member_prices[price.id] = price

    async def delete_member_price(self, price_id: UUID, expected_version: int) -> None:
        stored = self._t.member_prices.get(price_id)
        check_version(stored.version if stored else None, expected_version)
        del self._t.member_prices[price_id]

    async def promotion(self, promotion_id: UUID) -> StoredPromotion | None:
        return self._t.promotions.get(promotion_id)

    async def promotions_of(
        self, sku_id: UUID, after: UUID | None, limit: int
    ) -> list[StoredPromotion]:
        of_sku = (p for p in self._t.promotions.values() if p.sku_id == sku_id)
        return id_page(of_sku, lambda p: p.id, after, limit)

    async def add_promotion(self, promotion: StoredPromotion, at: datetime) -> None:
        assert promotion.id not in self._t.promotions, "duplicate primary key"
        self._t.promotions[promotion.id] = promotion

    async def save_promotion(
        self, promotion: StoredPromotion, expected_version: int, at: datetime
    ) -> None:
        stored = self._t.promotions.get(promotion.id)
        check_version(stored.version if stored else None, expected_version)
        self._t.promotions[promotion.id] = promotion

    async def delete_promotion(self, promotion_id: UUID, expected_version: int) -> None:
        stored = self._t.promotions.get(promotion_id)
        check_version(stored.version if stored else None, expected_version)
        del self._t.promotions[promotion_id]

    async def product_of_sku(self, sku_id: UUID) -> UUID | None:
        return next((p.id for p in self._t.products.values() if p.sku(sku_id)), None)

    async def sku_prices(
        self, sku_id: UUID, channel_id: UUID | None, tier: str | None, at: datetime
    ) -> SkuPrices | None:
        product_id = await self.product_of_sku(sku_id)
        if product_id is None:
            return None
        sku = self._t.products[product_id].sku(sku_id)
        assert sku is not None
        channel_prices: tuple[ChannelPrice, ...] = ()
        if channel_id is not None and (product_id, channel_id) in self._t.listings:
            amount = self._t.listings[(product_id, channel_id)].prices.get(sku_id)
            if amount is not None:
                channel_prices = (ChannelPrice(channel_id, amount),)
        return SkuPrices(
            sku_id,
            sku.list_price,
            channel_prices,
            tuple(
                m.price
                for m in self._t.member_prices.values()
                if m.sku_id == sku_id and tier is not None and m.price.tier == tier
            ),
            tuple(
                p.promotion
                for p in self._t.promotions.values()
                if p.sku_id == sku_id
                and p.promotion.active_at(at)
                and p.promotion.channel_id in (None, channel_id)
            ),
        )


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


class FakeCatalogStore(CatalogStore):
    def __init__(self, tables: CatalogTables) -> None:
        self.categories = FakeCategoryRepository(tables)
        self.brands = FakeBrandRepository(tables)
        self.product_types = FakeProductTypeRepository(tables)
        self.products = FakeProductRepository(tables)
        self.catalog_files = FakeCatalogFiles(tables, self.products)
        self.channels = FakeChannelRepository(tables)
        self.listings = FakeListingRepository(tables)
        self.prices = FakePriceRepository(tables)
        self.product_media = FakeProductMediaRepository(tables)
        self.related_products = FakeRelatedProductRepository(tables)


def build(tables: CatalogTables) -> CatalogStore:
    """Typed as the port, so mypy proves the fake store satisfies ``CatalogStore``."""
    return FakeCatalogStore(tables)
