"""Products with their SKUs (CAT-1, CAT-11): create, revise, archive; read them.

Every change runs in one transaction: the product row, its SKUs, its search terms
(rewritten on every save, CAT-12), a new version with actor, time and the field-level
diff (CAT-8), the audit record and the outbox events (ids and changed field names only).
A change that changes nothing writes nothing. The ETag is the product's version, which is
also the number of its latest version record.

Archiving or discontinuing a product also unpublishes its listings in the same
transaction, each with its ``product.unpublished`` event (CAT-7, ``unpublishing.py``).
A revision or restore that would leave a published listing with an active SKU priced
nowhere on its channel is refused (``priced_listings.py``).

Costs: readers without ``catalog:read_cost`` get SKUs without them; writers without it
cannot set them, and the costs already stored are kept whatever they send.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from application.catalog.common import id_after, id_page, load_product
from application.catalog.ports.repositories import (
    ProductFilters,
    ProductSearchTerms,
    ProductSort,
    SearchCandidate,
    SearchPosition,
)
from application.catalog.ports.store import CATALOG
from application.catalog.priced_listings import refuse_unpriced_listings
from application.catalog.product_filters import check_filter_references, check_price_range
from application.catalog.tenant_terms import tenant_terms
from application.catalog.unpublishing import unpublish_product_everywhere
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from application.shared.versions import check_version
from domain.catalog.channel import must_unpublish
from domain.catalog.checks import to_decimal
from domain.catalog.permissions import CATALOG_READ, CATALOG_READ_COST, CATALOG_WRITE
from domain.catalog.product import (
    ENTITY,
    Lifecycle,
    Product,
    ProductInput,
    ProductKind,
    Sku,
    SkuInput,
)
from domain.catalog.product_type import ProductType
from domain.catalog.search_terms import name_matches, search_query
from domain.catalog.versions import (
    ProductVersion,
    diff_versions,
    first_version,
    next_version,
    plan_restore,
    redact_costs,
)
from domain.shared.audit import AuditChange, AuditEntry
from domain.shared.errors import FieldError, NotFound, ValidationFailed

VERSION_ENTITY = "product_version"
KINDS = [str(k) for k in ProductKind]
MAX_QUERY_LENGTH = 100
# Search confirms candidates on their names; it reads them (id, name, sort key) in
# batches this big, then loads only the confirmed page whole.
SEARCH_BATCH = 100
LIFECYCLES = [str(s) for s in Lifecycle]
SORTS = [str(s) for s in ProductSort]


@dataclass(frozen=True)
class SkuData:
    """One SKU as sent: ``id`` names an existing SKU of the product (None: a new one); the
    weight as decimal text ("99.5")."""

    code: str
    id: UUID | None = None
    barcode: str | None = None
    list_price: Decimal | None = None
    cost: Decimal | None = None
    weight_grams: str | None = None
    axis_values: Mapping[str, object] = field(default_factory=dict)
    archived: bool = False


@dataclass(frozen=True)
class ProductData:
    """The whole content of a product; SKUs left out of a revision are archived (kept)."""

    name: str
    description: str = ""
    material: str | None = None
    kind: str = "physical"
    preorder_allowed: bool = False
    sell_out_of_stock_allowed: bool = False
    product_type_id: UUID | None = None
    category_id: UUID | None = None
    brand_id: UUID | None = None
    attributes: Mapping[str, object] = field(default_factory=dict)
    lifecycle: str | None = None  # None: "new" on create, unchanged on revise
    skus: Sequence[SkuData] = ()


@dataclass(frozen=True)
class ProductView:
    product: Product
    cost_hidden: bool

    @property
    def skus(self) -> tuple[Sku, ...]:
        if not self.cost_hidden:
            return self.product.skus
        return tuple(replace(s, cost=None) for s in self.product.skus)


@dataclass(frozen=True)
class VersionView:
    number: int
    actor: str
    at: datetime
    changes: tuple[AuditChange, ...]  # costs redacted without catalog:read_cost
    restored_from: int | None


def _number_after(cursor: str | None) -> int | None:
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


def _choice(errors: list[FieldError], path: str, value: str, allowed: list[str]) -> None:
    if value not in allowed:
        errors.append(FieldError(path, "invalid_choice", {"allowed": allowed}))


def _amount(errors: list[FieldError], path: str, value: Decimal | None) -> Decimal | None:
    """Reported with the form's other errors (the domain checks the rest: sign, places)."""
    if value is not None and not value.is_finite():
        errors.append(FieldError(path, "invalid_amount"))
    return value


def _weight(errors: list[FieldError], path: str, value: str | None) -> Decimal | None:
    if value is None:
        return None
    number = to_decimal(value)
    if number is None:
        errors.append(FieldError(path, "invalid_amount"))
    return number


async def save_product(
    ctx: CallContext,
    uow: UnitOfWork,
    product: Product,
    read_version: int,
    action: str,
    restored_from: int | None = None,
) -> None:
    """Write a changed product with its new version, audit record and events (one
    command, one version: the caller has set ``product.version`` to read_version + 1)."""
    latest = await uow.of(CATALOG).products.version(product.id, read_version)
    snapshot = product.snapshot()
    version = (
        next_version(latest, snapshot, ctx.actor.label, product.updated_at, restored_from)
        if latest is not None
        else None
    ) or first_version(product.id, snapshot, ctx.actor.label, product.updated_at)
    version = replace(version, number=product.version)
    await uow.of(CATALOG).products.save(product, read_version, version)
    await _record(uow, action, product, version.changes)


async def _record(
    uow: UnitOfWork, action: str, product: Product, changes: tuple[AuditChange, ...]
) -> None:
    await uow.audit.record(
        AuditEntry(
            action,
            ENTITY,
            product.id,
            changes=redact_costs(changes),
            detail={"version": product.version},
        )
    )
    for event in product.events:
        await uow.outbox.add(event)
    product.events.clear()


class ProductService:
    """``create``, ``revise``, ``archive``, ``restore`` and ``get``, ``list_products``,
    ``search``, ``list_versions``, ``diff``."""

    def __init__(
        self, runner: CommandRunner, access: AccessPolicy, clock: Clock, ids: IdGenerator
    ) -> None:
        self._runner = runner
        self._access = access
        self._clock = clock
        self._ids = ids

    def _view(self, ctx: CallContext, product: Product) -> ProductView:
        return ProductView(product, not self._access.allows(ctx, CATALOG_READ_COST))

    # ---- commands --------------------------------------------------------------------

    async def create(self, ctx: CallContext, code: str, data: ProductData) -> ProductView:
        async def command(uow: UnitOfWork) -> ProductView:
            self._access.require(ctx, CATALOG_WRITE)
            product_input, skus, product_type = await self._inputs(ctx, uow, data, None)
            errors: list[FieldError] = []
            _choice(errors, "lifecycle", data.lifecycle or "new", LIFECYCLES)
            if errors:
                raise ValidationFailed(errors)
            now = self._clock.now()
            product = Product.create(
                self._ids.new_id(),
                code,
                product_input,
                skus,
                product_type,
                (await tenant_terms(uow)).currency,
                now,
                Lifecycle(data.lifecycle or "new"),
            )
            version = first_version(product.id, product.snapshot(), ctx.actor.label, now)
            await uow.of(CATALOG).products.add(product, version)
            await _record(uow, "product.create", product, version.changes)
            return self._view(ctx, product)

        return await self._runner.run(ctx, "product.create", ENTITY, command)

    async def revise(
        self, ctx: CallContext, product_id: UUID, data: ProductData, expected_version: int | None
    ) -> ProductView:
        async def command(uow: UnitOfWork) -> ProductView:
            self._access.require(ctx, CATALOG_WRITE)
            product = await load_product(uow, product_id)
            check_version(expected_version, product.version)
            read_version, now = product.version, self._clock.now()
            product_input, skus, product_type = await self._inputs(ctx, uow, data, product)
            errors: list[FieldError] = []
            if data.lifecycle is not None:
                _choice(errors, "lifecycle", data.lifecycle, LIFECYCLES)
            if errors:
                raise ValidationFailed(errors)
            currency = (await tenant_terms(uow)).currency
            changed = bool(product.revise(product_input, skus, product_type, currency, now))
            if data.lifecycle is not None:
                changed |= bool(product.change_lifecycle(Lifecycle(data.lifecycle), now))
            if changed:
                product.version = read_version + 1  # one version per command
                await save_product(ctx, uow, product, read_version, "product.update")
                if must_unpublish(product):  # discontinued: off sale everywhere (CAT-7)
                    await unpublish_product_everywhere(
                        uow, product.id, now, "listing.unpublish_product_discontinued"
                    )
                await refuse_unpriced_listings(uow, product)  # after the row is held
            return self._view(ctx, product)

        return await self._runner.run(ctx, "product.update", ENTITY, command, entity_id=product_id)

    async def archive(
        self, ctx: CallContext, product_id: UUID, expected_version: int | None
    ) -> None:
        """The product's deletion: it stays, with its SKUs and versions; no more changes."""

        async def command(uow: UnitOfWork) -> None:
            self._access.require(ctx, CATALOG_WRITE)
            product = await load_product(uow, product_id)
            check_version(expected_version, product.version)
            read_version = product.version
            now = self._clock.now()
            if product.archive(now):
                await save_product(ctx, uow, product, read_version, "product.archive")
                await unpublish_product_everywhere(
                    uow, product.id, now, "listing.unpublish_product_archived"
                )

        await self._runner.run(ctx, "product.archive", ENTITY, command, entity_id=product_id)

    async def restore(
        self, ctx: CallContext, product_id: UUID, number: int, expected_version: int | None
    ) -> ProductView:
        """Bring back version ``number``'s content as a NEW version (``restored_from``).
        Lifecycle and archiving keep their current values; a restore that changes nothing
        records nothing (CAT-8)."""

        async def command(uow: UnitOfWork) -> ProductView:
            self._access.require(ctx, CATALOG_WRITE)
            product = await load_product(uow, product_id)
            check_version(expected_version, product.version)
            old = await uow.of(CATALOG).products.version(product_id, number)
            if old is None:
                raise NotFound(entity=VERSION_ENTITY)
            read_version, now = product.version, self._clock.now()
            target = plan_restore(product.snapshot(), old)
            if target is None:
                return self._view(ctx, product)
            type_id = target.get("productTypeId")
            product_type = (
                await uow.of(CATALOG).product_types.get(UUID(type_id)) if type_id else None
            )
            currency = (await tenant_terms(uow)).currency
            if product.restore(target, product_type, currency, now):
                product.version = read_version + 1
                await save_product(ctx, uow, product, read_version, "product.restore", number)
                await refuse_unpriced_listings(uow, product)
            return self._view(ctx, product)

        return await self._runner.run(ctx, "product.restore", ENTITY, command, entity_id=product_id)

    # ---- reads -----------------------------------------------------------------------

    async def list_versions(
        self, ctx: CallContext, product_id: UUID, cursor: str | None, limit: int | None
    ) -> Page[VersionView]:
        """Newest first; costs redacted without ``catalog:read_cost``."""
        size = clamp_limit(limit)
        after = _number_after(cursor)

        async def read(uow: UnitOfWork) -> Page[VersionView]:
            self._access.require(ctx, CATALOG_READ)
            await load_product(uow, product_id)
            rows = await uow.of(CATALOG).products.versions(product_id, after, size + 1)
            items = [self._version_view(ctx, v) for v in rows[:size]]
            more = len(rows) > size
            return Page(items, encode_cursor([str(items[-1].number)]) if more else None)

        return await self._runner.query(ctx, read)

    async def diff(
        self, ctx: CallContext, product_id: UUID, older: int, newer: int
    ) -> tuple[AuditChange, ...]:
        """What changed from version ``older`` to version ``newer`` (any two)."""

        async def read(uow: UnitOfWork) -> tuple[AuditChange, ...]:
            self._access.require(ctx, CATALOG_READ)
            await load_product(uow, product_id)
            a = await uow.of(CATALOG).products.version(product_id, older)
            b = await uow.of(CATALOG).products.version(product_id, newer)
            if a is None or b is None:
                raise NotFound(entity=VERSION_ENTITY)
            changes = diff_versions(a, b)
            return changes if self._access.allows(ctx, CATALOG_READ_COST) else redact_costs(changes)

        return await self._runner.query(ctx, read)

    def _version_view(self, ctx: CallContext, version: ProductVersion) -> VersionView:
        changes = version.changes
        if not self._access.allows(ctx, CATALOG_READ_COST):
            changes = redact_costs(changes)
        return VersionView(
            version.number, version.actor, version.at, changes, version.restored_from
        )

    async def get(self, ctx: CallContext, product_id: UUID) -> ProductView:
        async def read(uow: UnitOfWork) -> ProductView:
            self._access.require(ctx, CATALOG_READ)
            return self._view(ctx, await load_product(uow, product_id))

        return await self._runner.query(ctx, read)

    async def list_products(
        self, ctx: CallContext, cursor: str | None, limit: int | None
    ) -> Page[ProductView]:
        size, after = clamp_limit(limit), id_after(cursor)

        async def read(uow: UnitOfWork) -> Page[ProductView]:
            self._access.require(ctx, CATALOG_READ)
            page = await id_page(uow.of(CATALOG).products.page, after, size)
            return Page([self._view(ctx, p) for p in page.items], page.next_cursor)

        return await self._runner.query(ctx, read)

    async def in_category(
        self, ctx: CallContext, category_id: UUID, cursor: str | None, limit: int | None
    ) -> Page[ProductView]:
        """Products of the category and of all its subcategories (CAT-4)."""
        size, after = clamp_limit(limit), id_after(cursor)

        async def read(uow: UnitOfWork) -> Page[ProductView]:
            self._access.require(ctx, CATALOG_READ)
            if await uow.of(CATALOG).categories.get(category_id) is None:
                raise NotFound(entity="category")

            async def fetch(position: UUID | None, count: int) -> list[Product]:
                return await uow.of(CATALOG).products.in_category(category_id, position, count)

            page = await id_page(fetch, after, size)
            return Page([self._view(ctx, p) for p in page.items], page.next_cursor)

        return await self._runner.query(ctx, read)

    async def search(
        self,
        ctx: CallContext,
        query: str | None,
        filters: ProductFilters,
        cursor: str | None,
        limit: int | None,
        sort: str = ProductSort.CREATED,
    ) -> Page[ProductView]:
        """Name (every CJK pair and word prefix; confirmed on the name), SKU or product code
        prefix, or barcode (CAT-12); filtered by category (with its descendants), brand,
        lifecycle, channel (published on it) and price range (an active SKU's base price on
        that channel); sorted by creation, last change or price (``ProductSort``). Archived
        products are left out. Without a query (None or blank): every product within the
        filters — the filtered product listing."""
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

        def confirmed(candidate: SearchCandidate) -> bool:
            # Found by a code or barcode term: accepted as is; by name terms (which ignore
            # order): only when the name holds the query.
            return terms is None or candidate.by_code or name_matches(candidate.name, text)

        async def read(uow: UnitOfWork) -> Page[ProductView]:
            self._access.require(ctx, CATALOG_READ)
            await check_filter_references(uow, filters)
            found: list[SearchCandidate] = []
            position = after
            # Without a query nothing is left out after reading: one read of the page.
            batch_size = SEARCH_BATCH if terms is not None else size + 1
            while len(found) <= size:
                batch = await uow.of(CATALOG).products.search(
                    terms, filters, position, batch_size, ProductSort(sort)
                )
                found.extend(c for c in batch if confirmed(c))
                if len(batch) < batch_size:
                    break
                position = SearchPosition(batch[-1].sort_key, batch[-1].id)
            items = found[:size]
            next_cursor = None
            if len(found) > size:
                last = items[-1]
                key = [] if last.sort_key is None else [last.sort_key]
                next_cursor = encode_cursor([*key, str(last.id)])
            products = (
                await uow.of(CATALOG).products.get_many([c.id for c in items]) if items else []
            )
            return Page([self._view(ctx, p) for p in products], next_cursor)

        return await self._runner.query(ctx, read)

    # ---- steps -----------------------------------------------------------------------

    async def _inputs(
        self, ctx: CallContext, uow: UnitOfWork, data: ProductData, current: Product | None
    ) -> tuple[ProductInput, list[SkuInput], ProductType | None]:
        """The domain's inputs: references resolved (unknown ones are field errors), new
        SKUs given ids, and costs kept as stored for writers without read_cost."""
        errors: list[FieldError] = []
        _choice(errors, "kind", data.kind, KINDS)
        product_type = None
        if data.product_type_id is not None:
            product_type = await uow.of(CATALOG).product_types.get(data.product_type_id)
            if product_type is None:
                errors.append(
                    FieldError(
                        "productTypeId", "unknown_product_type", {"name": str(data.product_type_id)}
                    )
                )
        if (
            data.category_id is not None
            and await uow.of(CATALOG).categories.get(data.category_id) is None
        ):
            errors.append(
                FieldError("categoryId", "unknown_category", {"path": str(data.category_id)})
            )
        if data.brand_id is not None and await uow.of(CATALOG).brands.get(data.brand_id) is None:
            errors.append(FieldError("brandId", "unknown_brand", {"name": str(data.brand_id)}))
        sees_cost = self._access.allows(ctx, CATALOG_READ_COST)
        skus: list[SkuInput] = []
        for i, sku in enumerate(data.skus):
            path = f"skus[{i}]"
            existing = current.sku(sku.id) if current and sku.id else None
            if sku.id is not None and existing is None:
                errors.append(FieldError(f"{path}.id", "unknown_sku"))
            if not sees_cost and sku.cost is not None:
                errors.append(
                    FieldError(
                        f"{path}.cost", "permission_denied", {"permission": CATALOG_READ_COST}
                    )
                )
            cost = _amount(errors, f"{path}.cost", sku.cost)
            if not sees_cost:
                cost = existing.cost.amount if existing and existing.cost else None
            skus.append(
                SkuInput(
                    id=sku.id or self._ids.new_id(),
                    code=sku.code,
                    list_price=_amount(errors, f"{path}.listPrice", sku.list_price),
                    cost=cost,
                    barcode=sku.barcode,
                    weight_grams=_weight(errors, f"{path}.weightGrams", sku.weight_grams),
                    axis_values=dict(sku.axis_values),
                    archived=sku.archived,
                )
            )
        if errors:
            raise ValidationFailed(errors)
        product_input = ProductInput(
            name=data.name,
            description=data.description,
            material=data.material,
            kind=ProductKind(data.kind),
            preorder_allowed=data.preorder_allowed,
            sell_out_of_stock_allowed=data.sell_out_of_stock_allowed,
            category_id=data.category_id,
            brand_id=data.brand_id,
            attributes=dict(data.attributes),
        )
        return product_input, skus, product_type
