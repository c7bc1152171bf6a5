"""Products, SKUs, product versions and search terms in Postgres (CAT-1, CAT-8, CAT-12).

Codes and barcodes are unique per tenant through the stored ``code_key`` / ``barcode_key``
(computed by the domain functions of those names). Before writing, the keys another
product already holds are looked up so the conflict names the code; the unique indexes
stay the rule, and a violation from a racing writer becomes the same conflict (naming the
writer's own codes: the violation says which index, not which row).

The product's columns are the ``products`` table's (``tables.py``); ``product_rows.py``
is the one place a ``Product`` becomes a row, for these writes and the import's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Executable,
    Select,
    Uuid,
    any_,
    bindparam,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.exc import IntegrityError

from adapters.postgres.catalog.product_rows import (
    PRODUCT_UPDATED,
    SKU_UPDATED,
    changes_data,
    held_terms,
    key_conflicts,
    product_row,
    sku_row,
)
from adapters.postgres.catalog.product_search import candidates_statement, sort_key_text
from adapters.postgres.catalog.sql import any_of, tenant_currency, tenant_currency_of
from adapters.postgres.catalog.tables import (
    category_closure,
    product_search_terms,
    product_versions,
    products,
    skus,
)
from adapters.postgres.shared.errors import raise_for_constraint
from adapters.postgres.shared.rows import AnyRow, TenantRepository, one_updated
from application.catalog.ports.repositories import (
    ProductFilters,
    ProductSearchTerms,
    ProductSort,
    SearchCandidate,
    SearchPosition,
)
from domain.catalog.codes import barcode_key, code_key
from domain.catalog.product import Lifecycle, Product, ProductDetails, ProductKind, Sku
from domain.catalog.product_type import AttributeValue
from domain.catalog.versions import ProductVersion
from domain.shared.audit import AuditChange
from domain.shared.errors import Conflict
from domain.shared.money import Money

# What a product and its SKUs are read as.
PRODUCT_READ = [c for c in products.c if c.name not in ("tenant_id", "code_key")]


def _ids() -> BindParameter[Any]:
    return bindparam("ids", type_=ARRAY(Uuid))


# A search's page load (``get_many``) and every load's SKUs are on the hot path: built once
# with named parameters, so a call does not build a statement again (building one and its
# cache key costs ~0.1 ms of Python a statement; bench/catalog_search.py).
_BY_IDS = (
    select(*PRODUCT_READ, tenant_currency_of(bindparam("tenant_id")).label("currency"))
    .where(products.c.tenant_id == bindparam("tenant_id"), products.c.id == any_(_ids()))
    .order_by(products.c.id)
    .limit(bindparam("limit"))
)
_SKUS_OF = (
    select(
        *(c for c in skus.c if c.name not in ("tenant_id", "position", "code_key", "barcode_key"))
    )
    .where(skus.c.tenant_id == bindparam("tenant_id"), skus.c.product_id == any_(_ids()))
    .order_by(skus.c.product_id, skus.c.position)
)


def _attribute_value(value: Any) -> AttributeValue:
    # Numbers are stored as canonical text (snapshot form); the snapshot reads the same.
    return value if isinstance(value, bool | str) else str(value)


def _in_category(tenant_id: UUID, category_id: UUID) -> ColumnElement[bool]:
    # The category and its descendants as an array read once from the closure's primary
    # key: ``= ANY(ARRAY(...))`` is an index condition on (tenant_id, category_id), where
    # ``IN (SELECT ...)`` would be a join (as product_search.py's filter).
    return products.c.category_id == any_(
        func.array(
            select(category_closure.c.descendant_id)
            .where(
                category_closure.c.tenant_id == tenant_id,
                category_closure.c.ancestor_id == category_id,
            )
            .scalar_subquery()
        )
    )


class PostgresProductRepository(TenantRepository):
    # ---- reads -----------------------------------------------------------------------

    async def get(self, product_id: UUID) -> Product | None:
        found = await self.load(products.c.id == product_id, limit=1)
        return found[0] if found else None

    async def page(self, after: UUID | None, limit: int) -> list[Product]:
        return await self.load(*self._unarchived(after), limit=limit)

    async def in_category(self, category_id: UUID, after: UUID | None, limit: int) -> list[Product]:
        return await self.load(
            _in_category(self._tenant_id, category_id), *self._unarchived(after), limit=limit
        )

    async def search(
        self,
        terms: ProductSearchTerms | None,
        filters: ProductFilters,
        after: SearchPosition | None,
        limit: int,
        sort: ProductSort = ProductSort.CREATED,
    ) -> list[SearchCandidate]:
        # Candidates only (id, name, sort key, found by a code term): the caller confirms
        # names and loads the page with ``get_many``.
        found = candidates_statement(self._tenant_id, terms, filters, after, limit, sort)
        if found is None:
            return []
        statement, params = found
        rows = await self._conn.execute(statement, params)
        return [
            SearchCandidate(r.id, r.name, sort_key_text(r.sort_key, sort), r.by_code) for r in rows
        ]

    async def get_many(self, product_ids: Sequence[UUID]) -> list[Product]:
        if not product_ids:
            return []
        ids = list(dict.fromkeys(product_ids))
        found = await self._conn.execute(
            _BY_IDS, {"tenant_id": self._tenant_id, "ids": ids, "limit": len(ids)}
        )
        rows = list(found.all())
        loaded = {p.id: p for p in await self._products(rows, rows[0].currency if rows else None)}
        return [loaded[i] for i in product_ids if i in loaded]

    def _select(self, *where: ColumnElement[bool], limit: int) -> Select[Any]:
        return (
            select(*PRODUCT_READ)
            .where(products.c.tenant_id == self._tenant_id, *where)
            .order_by(products.c.id)
            .limit(limit)
        )

    @staticmethod
    def _unarchived(after: UUID | None) -> list[ColumnElement[bool]]:
        later = [products.c.id > after] if after is not None else []
        return [products.c.archived_at.is_(None), *later]

    async def load(self, *where: ColumnElement[bool], limit: int) -> list[Product]:
        """The tenant's products matching ``where``, in id order, with their SKUs."""
        rows = await self._conn.execute(self._select(*where, limit=limit))
        return await self._products(list(rows.all()))

    async def _products(self, rows: list[AnyRow], currency: str | None = None) -> list[Product]:
        """Products of the rows with their SKUs; ``currency`` (the tenant's) read when not
        given."""
        if not rows:
            return []
        currency = (
            currency.strip()
            if currency is not None
            else await tenant_currency(self._conn, self._tenant_id)
        )
        held: dict[UUID, list[Sku]] = {r.id: [] for r in rows}
        for s in await self._conn.execute(
            _SKUS_OF, {"tenant_id": self._tenant_id, "ids": list(held)}
        ):
            held[s.product_id].append(
                Sku(
                    id=s.id,
                    code=s.code,
                    list_price=Money(s.list_price, currency) if s.list_price is not None else None,
                    cost=Money(s.cost, currency) if s.cost is not None else None,
                    barcode=s.barcode,
                    weight_grams=s.weight_grams.normalize() if s.weight_grams is not None else None,
                    axis_values=dict(s.axis_values),
                    archived=s.archived,
                )
            )
        return [self._product(r, tuple(held[r.id])) for r in rows]

    def _product(self, row: AnyRow, skus_of_product: tuple[Sku, ...]) -> Product:
        return Product(
            id=row.id,
            code=row.code,
            details=ProductDetails(
                name=row.name,
                description=row.description or "",
                material=row.material,
                kind=ProductKind(row.kind),
                preorder_allowed=row.preorder_allowed,
                sell_out_of_stock_allowed=row.sell_out_of_stock_allowed,
                product_type_id=row.product_type_id,
                category_id=row.category_id,
                brand_id=row.brand_id,
                attributes={k: _attribute_value(v) for k, v in row.attributes.items()},
            ),
            skus=skus_of_product,
            lifecycle=Lifecycle(row.lifecycle),
            created_at=row.created_at,
            updated_at=row.updated_at,
            archived_at=row.archived_at,
            version=row.version,
        )

    async def version(self, product_id: UUID, number: int) -> ProductVersion | None:
        found = await self._versions(product_id, product_versions.c.number == number)
        return found[0] if found else None

    async def versions(
        self, product_id: UUID, after: int | None, limit: int
    ) -> list[ProductVersion]:
        older = [product_versions.c.number < after] if after is not None else []
        return await self._versions(product_id, *older, limit=limit)

    async def _versions(
        self, product_id: UUID, *where: ColumnElement[bool], limit: int | None = None
    ) -> list[ProductVersion]:
        query = select(*(c for c in product_versions.c if c.name != "tenant_id")).where(
            product_versions.c.tenant_id == self._tenant_id,
            product_versions.c.product_id == product_id,
            *where,
        )
        if limit is not None:
            query = query.order_by(product_versions.c.number.desc()).limit(limit)
        return [
            ProductVersion(
                row.product_id,
                row.number,
                row.snapshot,
                row.actor or "",
                row.at,
                tuple(AuditChange(c["field"], c["before"], c["after"]) for c in row.changes),
                row.restored_from,
            )
            for row in await self._conn.execute(query)
        ]

    # ---- writes ----------------------------------------------------------------------

    async def add(self, product: Product, version: ProductVersion) -> None:
        await self._refuse_taken_keys(product)
        await self.guarded(
            insert(products).values(product_row(self._tenant_id, product)), [product]
        )
        await self._write_children(product, version)

    async def save(self, product: Product, expected_version: int, version: ProductVersion) -> None:
        await self._refuse_taken_keys(product)
        row = product_row(self._tenant_id, product)
        result = await self.guarded(
            self._at_version(products, product.id, expected_version).values(
                {name: row[name] for name in PRODUCT_UPDATED}
            ),
            [product],
        )
        one_updated(result, expected_version)
        await self._write_children(product, version)

    async def _write_children(self, product: Product, version: ProductVersion) -> None:
        if product.skus:
            statement = upsert(skus)
            await self.guarded(
                statement.on_conflict_do_update(
                    index_elements=[skus.c.tenant_id, skus.c.id],
                    set_={name: statement.excluded[name] for name in SKU_UPDATED},
                    # a SKU never moves to another product
                    where=skus.c.product_id == statement.excluded.product_id,
                ),
                [product],
                [
                    sku_row(self._tenant_id, product.id, i, sku)
                    for i, sku in enumerate(product.skus)
                ],
            )
        await self._conn.execute(
            delete(product_search_terms).where(
                product_search_terms.c.tenant_id == self._tenant_id,
                product_search_terms.c.product_id == product.id,
            )
        )
        terms = held_terms(product)
        if terms:
            await self._conn.execute(
                insert(product_search_terms),
                [
                    {"tenant_id": self._tenant_id, "term": term, "product_id": product.id}
                    for term in sorted(terms)
                ],
            )
        await self._conn.execute(
            insert(product_versions).values(
                tenant_id=self._tenant_id,
                product_id=version.product_id,
                number=version.number,
                snapshot=version.snapshot,
                changes=changes_data(version.changes),
                actor=version.actor,
                at=version.at,
                restored_from=version.restored_from,
            )
        )

    async def _refuse_taken_keys(self, product: Product) -> None:
        """Name the code another product already holds (the indexes stay the rule)."""
        taken = await self._conn.scalar(
            select(products.c.code).where(
                products.c.tenant_id == self._tenant_id,
                products.c.code_key == code_key(product.code),
                products.c.id != product.id,
            )
        )
        if taken is not None:
            raise Conflict("product_code_taken", product_code=product.code)
        codes = {code_key(s.code): s.code for s in product.skus}
        taken = await self._taken(skus.c.code_key, codes, product.id)
        if taken is not None:
            raise Conflict("sku_code_taken", sku_code=codes[taken])
        barcodes = {barcode_key(s.barcode): s.barcode for s in product.skus if s.barcode}
        taken = await self._taken(skus.c.barcode_key, barcodes, product.id)
        if taken is not None:
            raise Conflict("barcode_taken", barcode=barcodes[taken])

    async def _taken(
        self, key: ColumnElement[Any], keys: dict[str, str], product_id: UUID
    ) -> str | None:
        """One of ``keys`` a SKU of another product holds."""
        value = await self._conn.scalar(
            select(key)
            .where(
                skus.c.tenant_id == self._tenant_id,
                any_of(key, sorted(keys)),
                skus.c.product_id != product_id,
            )
            .limit(1)
        )
        return str(value) if value is not None else None

    async def guarded(
        self,
        statement: Executable,
        written: Sequence[Product],
        rows: list[dict[str, Any]] | None = None,
    ) -> int:
        """Execute a write of ``written`` products; a unique key a racing writer took
        becomes its Conflict. The rowcount."""
        try:
            result = await self._conn.execute(statement, rows)
        except IntegrityError as error:
            raise_for_constraint(error, key_conflicts(written))
        return result.rowcount
