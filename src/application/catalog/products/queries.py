"""Reading products (CAT-1, CAT-4, CAT-8, CAT-12): one, a page, a category's, a search,
and a product's versions and the diff of two. Costs only with ``catalog:read_cost``."""

from __future__ import annotations

from dataclasses import field
from datetime import datetime
from uuid import UUID

from application.catalog.common import id_page, load_product
from application.catalog.ports.repositories import (
    ProductFilters,
    ProductSearchTerms,
    ProductSort,
    SearchCandidate,
    SearchPosition,
)
from application.catalog.ports.store import CATALOG
from application.catalog.product_filters import (
    FilterReferences,
    check_price_range,
    resolve_filters,
)
from application.catalog.products.inputs import LIFECYCLES
from application.catalog.products.views import (
    VERSION_ENTITY,
    ProductView,
    VersionView,
    version_view,
    view,
)
from application.shared.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from application.shared.reads import InIdOrder
from application.shared.use_case import Query, Reading
from domain.catalog.checks import to_decimal
from domain.catalog.permissions import CATALOG_READ, CATALOG_READ_COST
from domain.catalog.product import ENTITY, Product
from domain.catalog.search_terms import name_matches, search_query
from domain.catalog.versions import diff_versions, redact_costs
from domain.shared.audit import AuditChange
from domain.shared.errors import NotFound, ValidationFailed

MAX_QUERY_LENGTH = 100
# Search confirms candidates on their names; it reads them (id, name, sort key) in
# batches this big, then loads only the confirmed page whole.
SEARCH_BATCH = 100
SORTS = [str(s) for s in ProductSort]


class GetProduct(Query[ProductView], entity=ENTITY, permission=CATALOG_READ):
    product_id: UUID


class GetProductHandler:
    async def handle(self, query: GetProduct, reading: Reading) -> ProductView:
        return view(reading, await load_product(reading.uow, query.product_id))


class ListProducts(InIdOrder[ProductView], entity=ENTITY, permission=CATALOG_READ):
    pass


class ListProductsHandler:
    async def handle(self, query: ListProducts, reading: Reading) -> Page[ProductView]:
        page = await id_page(reading.uow.of(CATALOG).products.page, query.after, query.size)
        return Page([view(reading, p) for p in page.items], page.next_cursor)


class ProductsInCategory(Query[Page[ProductView]], entity=ENTITY, permission=CATALOG_READ):
    """Products of the category and of all its subcategories (CAT-4)."""

    category_id: UUID
    after: UUID | None
    size: int


class ProductsInCategoryHandler:
    async def handle(self, query: ProductsInCategory, reading: Reading) -> Page[ProductView]:
        store = reading.uow.of(CATALOG)
        if await store.categories.get(query.category_id) is None:
            raise NotFound(entity="category")

        async def fetch(position: UUID | None, count: int) -> list[Product]:
            return await store.products.in_category(query.category_id, position, count)

        page = await id_page(fetch, query.after, query.size)
        return Page([view(reading, p) for p in page.items], page.next_cursor)


class SearchProducts(Query[Page[ProductView]], entity=ENTITY, permission=CATALOG_READ):
    """Name (every CJK pair and word prefix; confirmed on the name), SKU or product code
    prefix, or barcode (CAT-12); filtered by category (with its descendants), brand,
    lifecycle, channel (published on it) and price range (an active SKU's base price on
    that channel); sorted by creation, last change or price (``ProductSort``). Archived
    products are left out. Without a query: every product within the filters."""

    text: str
    terms: ProductSearchTerms | None
    filters: ProductFilters
    after: SearchPosition | None
    size: int
    sort: ProductSort
    # by id or code, resolved first
    references: FilterReferences = field(default_factory=FilterReferences)

    @classmethod
    def of(
        cls,
        query: str | None,
        filters: ProductFilters,
        cursor: str | None,
        limit: int | None,
        sort: str = ProductSort.CREATED,
        references: FilterReferences | None = None,
    ) -> SearchProducts:
        """Checked before the search runs (a malformed search is not an audited attempt)."""
        if sort not in SORTS:
            raise ValidationFailed.single("sort", "invalid_choice", allowed=SORTS)
        size, after = clamp_limit(limit), _search_position(cursor, ProductSort(sort))
        text = (query or "").strip()
        if len(text) > MAX_QUERY_LENGTH:
            raise ValidationFailed.single("q", "too_long", max=MAX_QUERY_LENGTH)
        if filters.lifecycle is not None and filters.lifecycle not in LIFECYCLES:
            raise ValidationFailed.single("status", "invalid_choice", allowed=LIFECYCLES)
        check_price_range(filters)
        terms: ProductSearchTerms | None = None
        if text:
            wanted = search_query(text)
            terms = ProductSearchTerms(
                wanted.name_terms,
                wanted.barcode_terms | ({wanted.code_term} if wanted.code_term else set()),
            )
        named = references or FilterReferences()
        return cls(text, terms, filters, after, size, ProductSort(sort), named)

    def confirmed(self, candidate: SearchCandidate) -> bool:
        # Found by a code or barcode term: accepted as is; by name terms (which ignore
        # order): only when the name holds every word of the query, in any order.
        return self.terms is None or candidate.by_code or name_matches(candidate.name, self.text)


class SearchProductsHandler:
    async def handle(self, query: SearchProducts, reading: Reading) -> Page[ProductView]:
        products = reading.uow.of(CATALOG).products
        filters = await resolve_filters(reading.uow, query.filters, query.references)
        size = query.size
        found: list[SearchCandidate] = []
        position = query.after
        # Without a query nothing is left out after reading: one read of the page.
        batch_size = SEARCH_BATCH if query.terms is not None else size + 1
        while len(found) <= size:
            batch = await products.search(query.terms, filters, position, batch_size, query.sort)
            found.extend(c for c in batch if query.confirmed(c))
            if len(batch) < batch_size:
                break
            position = SearchPosition(batch[-1].sort_key, batch[-1].id)
        items = found[:size]
        next_cursor = None
        if len(found) > size:
            last = items[-1]
            key = [] if last.sort_key is None else [last.sort_key]
            next_cursor = encode_cursor([*key, str(last.id)])
        page = await products.get_many([c.id for c in items]) if items else []
        return Page([view(reading, p) for p in page], next_cursor)


class ListVersions(Query[Page[VersionView]], entity=ENTITY, permission=CATALOG_READ):
    """Newest first; costs redacted without ``catalog:read_cost``."""

    product_id: UUID
    after: int | None
    size: int

    @classmethod
    def window(cls, product_id: UUID, cursor: str | None, limit: int | None) -> ListVersions:
        size, after = clamp_limit(limit), number_after(cursor)
        return cls(product_id, after, size)


class ListVersionsHandler:
    async def handle(self, query: ListVersions, reading: Reading) -> Page[VersionView]:
        await load_product(reading.uow, query.product_id)
        rows = await reading.uow.of(CATALOG).products.versions(
            query.product_id, query.after, query.size + 1
        )
        items = [version_view(reading, v) for v in rows[: query.size]]
        more = len(rows) > query.size
        return Page(items, encode_cursor([str(items[-1].number)]) if more else None)


class DiffVersions(Query[tuple[AuditChange, ...]], entity=ENTITY, permission=CATALOG_READ):
    """What changed from version ``older`` to version ``newer`` (any two)."""

    product_id: UUID
    older: int
    newer: int


class DiffVersionsHandler:
    async def handle(self, query: DiffVersions, reading: Reading) -> tuple[AuditChange, ...]:
        products = reading.uow.of(CATALOG).products
        await load_product(reading.uow, query.product_id)
        a = await products.version(query.product_id, query.older)
        b = await products.version(query.product_id, query.newer)
        if a is None or b is None:
            raise NotFound(entity=VERSION_ENTITY)
        changes = diff_versions(a, b)
        return changes if reading.allows(CATALOG_READ_COST) else redact_costs(changes)


def number_after(cursor: str | None) -> int | None:
    if not cursor:
        return None
    key = decode_cursor(cursor)
    try:
        return int(key[0])
    except (ValueError, IndexError):
        raise ValidationFailed.single("cursor", "invalid_cursor") from None


def _search_position(cursor: str | None, sort: ProductSort) -> SearchPosition | None:
    """A search cursor: [id] when sorted by creation, else [sort key, id] — a price as
    decimal text or an ISO time, checked here so a forged cursor is a 422, not a 500."""
    if not cursor:
        return None
    key = decode_cursor(cursor)
    by_id = sort in (ProductSort.CREATED, ProductSort.CREATED_DESC)
    try:
        if by_id and len(key) == 1:
            return SearchPosition(None, UUID(key[0]))
        if not by_id and len(key) == 2 and _is_sort_key(key[0], sort):
            return SearchPosition(key[0], UUID(key[1]))
    except ValueError:  # not a UUID, not an ISO time
        pass
    raise ValidationFailed.single("cursor", "invalid_cursor")


def _is_sort_key(value: str, sort: ProductSort) -> bool:
    """A price as decimal text, or an aware ISO time (``fromisoformat`` may raise)."""
    if sort in (ProductSort.PRICE, ProductSort.PRICE_DESC):
        return to_decimal(value) is not None
    return datetime.fromisoformat(value).tzinfo is not None
