"""Products, SKUs, product versions and search terms in Postgres (CAT-1, CAT-8, CAT-12).

Codes and barcodes are unique per tenant through the stored ``code_key`` / ``barcode_key``
(computed by the domain functions of those names). Before writing, the keys another
product already holds are looked up so the conflict names the code; the unique indexes
stay the rule, and a violation from a racing writer becomes the same conflict.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.postgres.catalog.brands import violated_constraint
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
from domain.catalog.search_terms import product_terms
from domain.catalog.versions import ProductVersion
from domain.shared.audit import AuditChange
from domain.shared.errors import Conflict, StaleVersion
from domain.shared.money import Money

_PRODUCT_COLUMNS = (
    "id, code, name, description, material, kind, preorder_allowed, sell_out_of_stock_allowed,"
    " product_type_id, category_id, brand_id, attributes, lifecycle, archived_at, version,"
    " created_at, updated_at"
)
# Whether a candidate holds one of the query's code or barcode terms: an equality on the
# whole primary key of the search terms (tenant_id, term, product_id), per candidate.
_BY_CODE = (
    "EXISTS (SELECT FROM product_search_terms t WHERE t.tenant_id = :tenant_id"
    " AND t.term = ANY(CAST(:any_of AS text[])) AND t.product_id = products.id)"
)
# The tenant's currency beside the rows that need it, instead of a statement of its own.
_TENANT_CURRENCY = "(SELECT currency FROM tenants WHERE id = :tenant_id)"
_KEY_IN_DETAIL = re.compile(r"\)=\([^,]*, (.*)\) already exists")
# A SKU's base price on the searched channel (its channel price there, else its list
# price), for the active SKUs of the product of the outer query; no channel: list prices.
_SKUS_ON_CHANNEL = (
    "FROM skus s LEFT JOIN channel_prices cp ON cp.tenant_id = s.tenant_id"
    " AND cp.sku_id = s.id AND cp.channel_id = CAST(:channel_id AS uuid)"
    " WHERE s.tenant_id = products.tenant_id AND s.product_id = products.id AND NOT s.archived"
)
_BASE_PRICE = "COALESCE(cp.amount, s.list_price)"
# Products without a price sort last either way: amounts are below 10^10 and not negative.
_NO_PRICE_ASC, _NO_PRICE_DESC = "10000000000", "-1"


# The category and its descendants as an array of ids, read once from the closure's
# primary key: ``category_id = ANY(...)`` is then an index condition on products'
# (tenant_id, category_id) index (uuid equality is leakproof, so RLS allows it).
_IN_CATEGORY = (
    "AND category_id = ANY(ARRAY(SELECT descendant_id FROM category_closure"
    " WHERE tenant_id = :tenant_id AND ancestor_id = :category_id))"
)


def _price_key(descending: bool) -> tuple[str, str]:
    missing = _NO_PRICE_DESC if descending else _NO_PRICE_ASC
    return f"COALESCE((SELECT min({_BASE_PRICE}) {_SKUS_ON_CHANNEL}), {missing})", "numeric"


_SORT_KEYS: dict[str, Callable[[bool], tuple[str, str]]] = {
    "created": lambda _: ("id", "uuid"),
    "updated": lambda _: ("updated_at", "timestamptz"),
    "price": _price_key,
}


# Cursor keys back to the values asyncpg binds (the use case has checked their form).
_KEY_VALUES: dict[str, Callable[[str], Any]] = {
    "timestamptz": datetime.fromisoformat,
    "numeric": Decimal,
}


def _key_text(value: Any, key_sql: str) -> str | None:
    if key_sql == "id":
        return None
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _filter_clauses(filters: ProductFilters, params: dict[str, Any]) -> list[str]:
    """The search filters as WHERE clauses, their values added to ``params``."""
    where = []
    if filters.category_id is not None:
        where.append(_IN_CATEGORY)
        params["category_id"] = filters.category_id
    if filters.brand_id is not None:
        where.append("AND brand_id = :brand_id")
        params["brand_id"] = filters.brand_id
    if filters.lifecycle is not None:
        where.append("AND lifecycle = :lifecycle")
        params["lifecycle"] = filters.lifecycle
    if filters.channel_id is not None:
        where.append(
            "AND id IN (SELECT product_id FROM channel_listings WHERE tenant_id = :tenant_id"
            " AND channel_id = :channel_id AND status = 'published')"
        )
    bounds = []
    if filters.min_price is not None:
        bounds.append(f"{_BASE_PRICE} >= :min_price")
        params["min_price"] = filters.min_price
    if filters.max_price is not None:
        bounds.append(f"{_BASE_PRICE} <= :max_price")
        params["max_price"] = filters.max_price
    if bounds:  # an aggregate, so it stays a filter of each candidate (no semi-join)
        where.append(f"AND (SELECT bool_or({' AND '.join(bounds)}) {_SKUS_ON_CHANNEL})")
    if filters.channel_id is not None or bounds:
        params["channel_id"] = filters.channel_id
    return where


def _term_matches(terms: ProductSearchTerms, params: dict[str, Any]) -> list[str]:
    """Subqueries of the products holding the terms, their values added to ``params``."""
    matches = []
    if terms.all_of:
        matches.append(
            "SELECT product_id FROM product_search_terms"
            " WHERE tenant_id = :tenant_id AND term = ANY(CAST(:all_of AS text[]))"
            " GROUP BY product_id HAVING count(DISTINCT term) = :all_count"
        )
        params |= {"all_of": sorted(terms.all_of), "all_count": len(terms.all_of)}
    if terms.any_of:
        matches.append(
            "SELECT product_id FROM product_search_terms"
            " WHERE tenant_id = :tenant_id AND term = ANY(CAST(:any_of AS text[]))"
        )
        params["any_of"] = sorted(terms.any_of)
    return matches


CONSTRAINTS = {
    "products_code_key": ("product_code_taken", "product_code"),
    "skus_code_key": ("sku_code_taken", "sku_code"),
    "skus_barcode_key": ("barcode_taken", "barcode"),
}


def _attribute_value(value: Any) -> AttributeValue:
    # Numbers are stored as canonical text (snapshot form); the snapshot reads the same.
    return value if isinstance(value, bool | str) else str(value)


def _changes_json(changes: Sequence[AuditChange]) -> str:
    return json.dumps(
        [{"field": c.field, "before": c.before, "after": c.after} for c in changes],
        ensure_ascii=False,
    )


class PostgresProductRepository:
    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        self._conn = conn
        self._tenant_id = tenant_id

    # ---- reads -----------------------------------------------------------------------

    async def get(self, product_id: UUID) -> Product | None:
        found = await self._load("AND id = :id", {"id": product_id, "limit": 1})
        return found[0] if found else None

    async def page(self, after: UUID | None, limit: int) -> list[Product]:
        return await self._load(
            "AND archived_at IS NULL"
            " AND (CAST(:after AS uuid) IS NULL OR id > CAST(:after AS uuid))",
            {"after": after, "limit": limit},
        )

    async def in_category(self, category_id: UUID, after: UUID | None, limit: int) -> list[Product]:
        return await self._load(
            f"{_IN_CATEGORY} AND archived_at IS NULL"
            " AND (CAST(:after AS uuid) IS NULL OR id > CAST(:after AS uuid))",
            {"category_id": category_id, "after": after, "limit": limit},
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
        # names and loads the page with ``get_many``. Every lookup is an equality on
        # (tenant_id, term): the primary key's index. The channel filter is an equality on
        # channel_listings' (tenant_id, channel_id, status) index, the category filter on
        # the closure's primary key then products' (tenant_id, category_id) index; brand
        # and lifecycle have their indexes. Prices are numeric, whose operators are not
        # leakproof, so under RLS they never drive an index: they filter and sort the
        # candidates only, each through the SKUs' (tenant_id, product_id) index. Without
        # terms, the filters (or the tenant's primary key) give the candidates.
        params: dict[str, Any] = {"limit": limit}
        where = ["AND archived_at IS NULL", *_filter_clauses(filters, params)]
        if terms is not None:
            matches = _term_matches(terms, params)
            if not matches:
                return []
            where.insert(0, f"AND id IN ({' UNION '.join(matches)})")
        key_sql, cast = _SORT_KEYS[sort.lstrip("-")](sort.startswith("-"))
        direction = "DESC" if sort.startswith("-") else "ASC"
        comparison = "<" if sort.startswith("-") else ">"
        if after is not None:
            params["after_id"] = after.id
            if key_sql == "id":
                where.append(f"AND id {comparison} :after_id")
            else:
                where.append(
                    f"AND ({key_sql}, id) {comparison} (CAST(:after_key AS {cast}), :after_id)"
                )
                params["after_key"] = _KEY_VALUES[cast](after.key or "")
        order = f"id {direction}" if key_sql == "id" else f"{key_sql} {direction}, id {direction}"
        if ":channel_id" in key_sql:
            params["channel_id"] = filters.channel_id
        by_code = _BY_CODE if terms is not None and terms.any_of else "false"
        rows = await self._select(
            " ".join(where), params, order, key_sql, f"id, name, {by_code} AS by_code"
        )
        return [
            SearchCandidate(r.id, r.name, _key_text(r.sort_key, key_sql), r.by_code) for r in rows
        ]

    async def get_many(self, product_ids: Sequence[UUID]) -> list[Product]:
        if not product_ids:
            return []
        ids = list(dict.fromkeys(product_ids))
        rows = await self._select(
            "AND id = ANY(CAST(:ids AS uuid[]))",
            {"ids": ids, "limit": len(ids)},
            columns=f"{_PRODUCT_COLUMNS}, {_TENANT_CURRENCY} AS currency",
        )
        loaded = {p.id: p for p in await self._products(rows, rows[0].currency if rows else None)}
        return [loaded[i] for i in product_ids if i in loaded]

    async def _currency_of_tenant(self) -> str:
        value = await self._conn.scalar(
            text("SELECT currency FROM tenants WHERE id = :tenant_id"),
            {"tenant_id": self._tenant_id},
        )
        return str(value).strip()

    async def _load(self, where: str, params: dict[str, Any]) -> list[Product]:
        return await self._products(await self._select(where, params))

    async def _select(
        self,
        where: str,
        params: dict[str, Any],
        order: str = "id",
        key_sql: str = "id",
        columns: str = _PRODUCT_COLUMNS,
    ) -> list[Row[Any]]:
        return list(
            (
                await self._conn.execute(
                    text(
                        f"SELECT {columns}, {key_sql} AS sort_key FROM products"
                        " WHERE tenant_id = :tenant_id " + where + f" ORDER BY {order} LIMIT :limit"
                    ),
                    {"tenant_id": self._tenant_id, **params},
                )
            ).all()
        )

    async def _products(self, rows: list[Row[Any]], currency: str | None = None) -> list[Product]:
        """Products of the rows with their SKUs; ``currency`` (the tenant's) read when not
        given."""
        if not rows:
            return []
        currency = currency.strip() if currency is not None else await self._currency_of_tenant()
        skus: dict[UUID, list[Sku]] = {r.id: [] for r in rows}
        for s in await self._conn.execute(
            text(
                "SELECT product_id, id, code, barcode, axis_values, list_price, cost,"
                " weight_grams, archived FROM skus WHERE tenant_id = :tenant_id"
                " AND product_id = ANY(CAST(:ids AS uuid[])) ORDER BY product_id, position"
            ),
            {"tenant_id": self._tenant_id, "ids": list(skus)},
        ):
            skus[s.product_id].append(
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
        return [self._product(r, tuple(skus[r.id])) for r in rows]

    def _product(self, row: Row[Any], skus: tuple[Sku, ...]) -> Product:
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
            skus=skus,
            lifecycle=Lifecycle(row.lifecycle),
            created_at=row.created_at,
            updated_at=row.updated_at,
            archived_at=row.archived_at,
            version=row.version,
        )

    async def version(self, product_id: UUID, number: int) -> ProductVersion | None:
        found = await self._versions("AND number = :number", product_id, {"number": number})
        return found[0] if found else None

    async def versions(
        self, product_id: UUID, after: int | None, limit: int
    ) -> list[ProductVersion]:
        return await self._versions(
            "AND (CAST(:after AS integer) IS NULL OR number < CAST(:after AS integer))"
            " ORDER BY number DESC LIMIT :limit",
            product_id,
            {"after": after, "limit": limit},
        )

    async def _versions(
        self, where: str, product_id: UUID, params: dict[str, Any]
    ) -> list[ProductVersion]:
        rows = await self._conn.execute(
            text(
                "SELECT product_id, number, snapshot, actor, at, changes, restored_from"
                " FROM product_versions WHERE tenant_id = :tenant_id"
                " AND product_id = :product_id " + where
            ),
            {"tenant_id": self._tenant_id, "product_id": product_id, **params},
        )
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
            for row in rows
        ]

    # ---- writes ----------------------------------------------------------------------

    async def add(self, product: Product, version: ProductVersion) -> None:
        await self._refuse_taken_keys(product)
        await self._guarded(
            "INSERT INTO products (tenant_id, id, code, code_key, name, description, material,"
            " kind, preorder_allowed, sell_out_of_stock_allowed, product_type_id, category_id,"
            " brand_id, attributes, lifecycle, archived_at, version, created_at, updated_at)"
            " VALUES (:tenant_id, :id, :code, :code_key, :name, :description, :material, :kind,"
            " :preorder_allowed, :sell_out_of_stock_allowed, :product_type_id, :category_id,"
            " :brand_id, CAST(:attributes AS jsonb), :lifecycle, :archived_at, :version,"
            " :created_at, :updated_at)",
            self._values(product),
        )
        await self._write_children(product, version)

    async def save(self, product: Product, expected_version: int, version: ProductVersion) -> None:
        await self._refuse_taken_keys(product)
        result = await self._guarded(
            "UPDATE products SET name = :name, description = :description,"
            " material = :material, kind = :kind, preorder_allowed = :preorder_allowed,"
            " sell_out_of_stock_allowed = :sell_out_of_stock_allowed,"
            " product_type_id = :product_type_id, category_id = :category_id,"
            " brand_id = :brand_id, attributes = CAST(:attributes AS jsonb),"
            " lifecycle = :lifecycle, archived_at = :archived_at, version = :version,"
            " updated_at = :updated_at"
            " WHERE tenant_id = :tenant_id AND id = :id AND version = :expected_version",
            {**self._values(product), "expected_version": expected_version},
        )
        if result != 1:
            raise StaleVersion(expected=expected_version)
        await self._write_children(product, version)

    def _values(self, product: Product) -> dict[str, Any]:
        snapshot, d = product.snapshot(), product.details
        return {
            "tenant_id": self._tenant_id,
            "id": product.id,
            "code": product.code,
            "code_key": code_key(product.code),
            "name": d.name,
            "description": d.description,
            "material": d.material,
            "kind": str(d.kind),
            "preorder_allowed": d.preorder_allowed,
            "sell_out_of_stock_allowed": d.sell_out_of_stock_allowed,
            "product_type_id": d.product_type_id,
            "category_id": d.category_id,
            "brand_id": d.brand_id,
            "attributes": json.dumps(snapshot["attributes"], ensure_ascii=False),
            "lifecycle": str(product.lifecycle),
            "archived_at": product.archived_at,
            "version": product.version,
            "created_at": product.created_at,
            "updated_at": product.updated_at,
        }

    async def _write_children(self, product: Product, version: ProductVersion) -> None:
        if product.skus:
            await self._guarded(
                "INSERT INTO skus (tenant_id, id, product_id, position, code, code_key, barcode,"
                " barcode_key, axis_values, list_price, cost, weight_grams, archived)"
                " VALUES (:tenant_id, :id, :product_id, :position, :code, :code_key, :barcode,"
                " :barcode_key, CAST(:axis_values AS jsonb), :list_price, :cost,"
                " :weight_grams, :archived)"
                " ON CONFLICT (tenant_id, id) DO UPDATE SET position = EXCLUDED.position,"
                " code = EXCLUDED.code, code_key = EXCLUDED.code_key,"
                " barcode = EXCLUDED.barcode, barcode_key = EXCLUDED.barcode_key,"
                " axis_values = EXCLUDED.axis_values, list_price = EXCLUDED.list_price,"
                " cost = EXCLUDED.cost, weight_grams = EXCLUDED.weight_grams,"
                " archived = EXCLUDED.archived"
                " WHERE skus.product_id = EXCLUDED.product_id",
                [
                    {
                        "tenant_id": self._tenant_id,
                        "id": sku.id,
                        "product_id": product.id,
                        "position": i,
                        "code": sku.code,
                        "code_key": code_key(sku.code),
                        "barcode": sku.barcode,
                        "barcode_key": barcode_key(sku.barcode) if sku.barcode else None,
                        "axis_values": json.dumps(dict(sku.axis_values), ensure_ascii=False),
                        "list_price": sku.list_price.amount if sku.list_price else None,
                        "cost": sku.cost.amount if sku.cost else None,
                        "weight_grams": sku.weight_grams,
                        "archived": sku.archived,
                    }
                    for i, sku in enumerate(product.skus)
                ],
            )
        await self._conn.execute(
            text(
                "DELETE FROM product_search_terms"
                " WHERE tenant_id = :tenant_id AND product_id = :product_id"
            ),
            {"tenant_id": self._tenant_id, "product_id": product.id},
        )
        terms = product_terms(
            product.details.name,
            [product.code, *(s.code for s in product.skus)],
            [s.barcode for s in product.skus if s.barcode],
        )
        if terms:
            await self._conn.execute(
                text(
                    "INSERT INTO product_search_terms (tenant_id, term, product_id)"
                    " SELECT :tenant_id, t, :product_id FROM unnest(CAST(:terms AS text[])) AS t"
                ),
                {"tenant_id": self._tenant_id, "product_id": product.id, "terms": sorted(terms)},
            )
        await self._conn.execute(
            text(
                "INSERT INTO product_versions (tenant_id, product_id, number, snapshot, changes,"
                " actor, at, restored_from) VALUES (:tenant_id, :product_id, :number,"
                " CAST(:snapshot AS jsonb), CAST(:changes AS jsonb), :actor, :at, :restored_from)"
            ),
            {
                "tenant_id": self._tenant_id,
                "product_id": version.product_id,
                "number": version.number,
                "snapshot": json.dumps(version.snapshot, ensure_ascii=False),
                "changes": _changes_json(version.changes),
                "actor": version.actor,
                "at": version.at,
                "restored_from": version.restored_from,
            },
        )

    async def _refuse_taken_keys(self, product: Product) -> None:
        """Name the code another product already holds (the indexes stay the rule)."""
        taken = await self._conn.scalar(
            text(
                "SELECT code FROM products WHERE tenant_id = :tenant_id AND code_key = :key"
                " AND id <> :id"
            ),
            {"tenant_id": self._tenant_id, "key": code_key(product.code), "id": product.id},
        )
        if taken is not None:
            raise Conflict("product_code_taken", product_code=product.code)
        codes = {code_key(s.code): s.code for s in product.skus}
        taken = await self._conn.scalar(
            text(
                "SELECT code_key FROM skus WHERE tenant_id = :tenant_id"
                " AND code_key = ANY(CAST(:keys AS text[])) AND product_id <> :id LIMIT 1"
            ),
            {"tenant_id": self._tenant_id, "keys": sorted(codes), "id": product.id},
        )
        if taken is not None:
            raise Conflict("sku_code_taken", sku_code=codes[taken])
        barcodes = {barcode_key(s.barcode): s.barcode for s in product.skus if s.barcode}
        taken = await self._conn.scalar(
            text(
                "SELECT barcode_key FROM skus WHERE tenant_id = :tenant_id"
                " AND barcode_key = ANY(CAST(:keys AS text[])) AND product_id <> :id LIMIT 1"
            ),
            {"tenant_id": self._tenant_id, "keys": sorted(barcodes), "id": product.id},
        )
        if taken is not None:
            raise Conflict("barcode_taken", barcode=barcodes[taken])

    async def _guarded(self, sql: str, values: dict[str, Any] | list[dict[str, Any]]) -> int:
        try:
            result = await self._conn.execute(text(sql), values)
        except IntegrityError as error:
            taken = CONSTRAINTS.get(violated_constraint(error) or "")
            if taken is None:
                raise
            code, param = taken
            detail = getattr(getattr(error.orig, "__cause__", None), "detail", None) or ""
            match = _KEY_IN_DETAIL.search(detail)
            raise Conflict(code, **{param: match.group(1) if match else ""}) from None
        return result.rowcount
