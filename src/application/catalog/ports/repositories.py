"""Ports of the catalog module (docs/catalog.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from domain.catalog.brand import Brand
from domain.catalog.category import Category, ClosureChange, ClosureRow
from domain.catalog.media import ProductMedia
from domain.catalog.product import Product
from domain.catalog.product_type import ProductType
from domain.catalog.related import RelatedProducts, RelationKind
from domain.catalog.versions import ProductVersion


class CategoryRepository(Protocol):
    """The category tree of the unit of work's tenant (CAT-4), with its closure table.

    Tree changes must run under ``lock_tree``, taken before any ancestor path is read: it
    serialises the tenant's tree changes until the transaction ends, so two racing moves
    (A under B, B under A) cannot each pass the cycle check and together make a cycle.
    """

    async def lock_tree(self) -> None:
        """A transaction-scoped lock on this tenant's category tree."""
        ...

    async def get(self, category_id: UUID) -> Category | None: ...

    async def path(self, category_id: UUID) -> list[UUID]:
        """The category's ancestors and itself, root first (empty: unknown category)."""
        ...

    async def subtree(self, category_id: UUID) -> dict[UUID, int]:
        """Every descendant, itself included, with its depth below it."""
        ...

    async def child_names(self, parent_id: UUID | None, excluding: UUID | None) -> list[str]:
        """Names of ``parent_id``'s children (the roots for None), ``excluding`` left out."""
        ...

    async def add(
        self, category: Category, closure: frozenset[ClosureRow], at: datetime
    ) -> None: ...

    async def save(self, category: Category, expected_version: int, at: datetime) -> None:
        """Write name, parent and version; ``StaleVersion`` when the stored version is no
        longer ``expected_version``."""
        ...

    async def apply_closure(self, change: ClosureChange) -> None: ...

    async def page(self, after: UUID | None, limit: int) -> list[Category]:
        """All categories in id order (creation order), starting after ``after``."""
        ...


class BrandRepository(Protocol):
    """Brands of the unit of work's tenant (CAT-6). Names are unique by ``name_key``: a
    write that would break that raises ``Conflict brand_name_taken``."""

    async def get(self, brand_id: UUID) -> Brand | None: ...

    async def by_name(self, name: str) -> Brand | None:
        """The brand of that name, compared as names are (``checks.name_key``)."""
        ...

    async def add(self, brand: Brand, at: datetime) -> None: ...

    async def save(self, brand: Brand, expected_version: int, at: datetime) -> None:
        """``StaleVersion`` when the stored version is no longer ``expected_version``."""
        ...

    async def page(self, after: UUID | None, limit: int) -> list[Brand]:
        """All brands in id order (creation order), starting after ``after``."""
        ...


class ProductTypeRepository(Protocol):
    """Product types of the unit of work's tenant with their attributes, in order (CAT-5).
    Names are unique by ``name_key``: a write that would break that raises
    ``Conflict product_type_name_taken``."""

    async def get(self, type_id: UUID) -> ProductType | None: ...

    async def add(self, product_type: ProductType, at: datetime) -> None: ...

    async def save(self, product_type: ProductType, expected_version: int, at: datetime) -> None:
        """Name, version and the attributes as a whole; ``StaleVersion`` when the stored
        version is no longer ``expected_version``."""
        ...

    async def page(self, after: UUID | None, limit: int) -> list[ProductType]:
        """All product types in id order (creation order), starting after ``after``."""
        ...


@dataclass(frozen=True)
class ProductSearchTerms:
    all_of: frozenset[str]  # name terms: a product must hold every one
    any_of: frozenset[str]  # code and barcode terms: one is enough


@dataclass(frozen=True)
class ProductFilters:
    category_id: UUID | None = None  # that category or any of its descendants
    brand_id: UUID | None = None
    lifecycle: str | None = None
    channel_id: UUID | None = None  # published on that channel
    # An active SKU's base price (its channel price on ``channel_id``, else its list
    # price) within [min_price, max_price]; either bound may be left open.
    min_price: Decimal | None = None
    max_price: Decimal | None = None


class ProductSort(StrEnum):
    """Search orders; a leading ``-`` is descending. ``price`` is the lowest base price
    of the product's active SKUs (on the filter's channel); products without one last."""

    CREATED = "created"
    CREATED_DESC = "-created"
    UPDATED = "updated"
    UPDATED_DESC = "-updated"
    PRICE = "price"
    PRICE_DESC = "-price"


@dataclass(frozen=True)
class SearchPosition:
    """Where a page ended: the last product's sort key (text; None when sorting by
    creation, i.e. by id) and id."""

    key: str | None
    id: UUID


@dataclass(frozen=True)
class SearchCandidate:
    """A product a search found, before its name is confirmed: only what confirming and
    paging need, so candidates that fail are never loaded whole."""

    id: UUID
    name: str
    sort_key: str | None  # as in SearchPosition
    by_code: bool  # holds one of the query's code or barcode terms (``any_of``)


class ProductRepository(Protocol):
    """Products (SPU) of the unit of work's tenant with their SKUs, versions and search
    terms (CAT-1, CAT-8, CAT-12).

    ``add`` and ``save`` write the product row, its SKUs, its search terms (rewritten on
    every save) and the version in one go. Product codes, SKU codes and barcodes are
    unique per tenant (archived SKUs included): a write that would break that raises
    ``Conflict product_code_taken / sku_code_taken / barcode_taken``.
    """

    async def get(self, product_id: UUID) -> Product | None:
        """Archived products included (they read, but refuse every change)."""
        ...

    async def add(self, product: Product, version: ProductVersion) -> None: ...

    async def save(self, product: Product, expected_version: int, version: ProductVersion) -> None:
        """``StaleVersion`` when the stored version is no longer ``expected_version``."""
        ...

    async def version(self, product_id: UUID, number: int) -> ProductVersion | None: ...

    async def versions(
        self, product_id: UUID, after: int | None, limit: int
    ) -> list[ProductVersion]:
        """The product's versions, newest first, starting below number ``after``."""
        ...

    async def page(self, after: UUID | None, limit: int) -> list[Product]:
        """Products not archived, in id order (creation order), starting after ``after``."""
        ...

    async def in_category(self, category_id: UUID, after: UUID | None, limit: int) -> list[Product]:
        """Products not archived in the category or any of its descendants (through the
        closure table), in id order."""
        ...

    async def search(
        self,
        terms: ProductSearchTerms | None,
        filters: ProductFilters,
        after: SearchPosition | None,
        limit: int,
        sort: ProductSort = ProductSort.CREATED,
    ) -> list[SearchCandidate]:
        """Candidates, not archived, in ``sort`` order (ties by id): products holding every
        ``all_of`` term or any ``any_of`` term (equality on the search-term table), within
        the filters. The caller confirms name matches (``search_terms.name_matches``) and
        loads the confirmed page with ``get_many``. ``terms`` None: every product within
        the filters (a listing, nothing to confirm)."""
        ...

    async def get_many(self, product_ids: Sequence[UUID]) -> list[Product]:
        """The products of those ids with their SKUs, in the order given; ids of no product
        of the tenant are left out. Archived products included."""
        ...


class ProductMediaRepository(Protocol):
    """Images and videos of the unit of work's products (CAT-3), positions 0..n-1 per
    product (a unique key, checked at commit, so a reorder may pass through duplicates)."""

    async def lock_product(self, product_id: UUID) -> None:
        """Serialises media changes of one product until the transaction ends (two
        uploads racing for the last free place or the same position)."""
        ...

    async def of_product(self, product_id: UUID) -> list[ProductMedia]:
        """In display order."""
        ...

    async def get(self, media_id: UUID) -> ProductMedia | None: ...

    async def add(self, media: ProductMedia, at: datetime) -> None: ...

    async def save(self, media: ProductMedia, expected_version: int, at: datetime) -> None:
        """Alt text and version; ``StaleVersion`` when the stored version is no longer
        ``expected_version``."""
        ...

    async def save_positions(self, media: Sequence[ProductMedia], at: datetime) -> None: ...

    async def delete(self, media_id: UUID) -> None: ...


@dataclass(frozen=True)
class RelatedProductSummary:
    id: UUID
    code: str
    name: str
    archived: bool


class RelatedProductRepository(Protocol):
    """Cross-sell and up-sell links of the unit of work's products (CAT-9)."""

    async def get(self, product_id: UUID) -> RelatedProducts: ...

    async def replace(self, product_id: UUID, kind: RelationKind, related: Sequence[UUID]) -> None:
        """The links of one kind, in display order, as a whole."""
        ...

    async def summaries(self, product_ids: Sequence[UUID]) -> dict[UUID, RelatedProductSummary]:
        """The products among ``product_ids`` that exist in the tenant (archived included)."""
        ...
