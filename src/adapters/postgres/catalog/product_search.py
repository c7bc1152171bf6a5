"""The product search's candidate statement (CAT-12), hand-written SQL.

Why SQL and not Core expressions: this is the measured query of bench/catalog_search.py
(bench/README.md), whose plans tests pin (tests/integration/catalog/test_search.py,
test_search_filters.py and test_product_listing.py): term lookups as equalities on the
search terms' primary key, the category as ``= ANY(ARRAY(...))`` from the closure's key,
prices as per-candidate aggregates, a row comparison for the cursor. Written out, the
statement reads as the plan it must keep.

Every lookup is an equality on (tenant_id, term): the primary key's index. The channel
filter is an equality on channel_listings' (tenant_id, channel_id, status) index, the
category filter on the closure's primary key then products' (tenant_id, category_id)
index; brand and lifecycle have their indexes. Prices are numeric, whose operators are not
leakproof, so under RLS they never drive an index: they filter and sort the candidates
only, each through the SKUs' (tenant_id, product_id) index. Without terms, the filters (or
the tenant's primary key) give the candidates.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import TextClause, text

from application.catalog.ports.repositories import (
    ProductFilters,
    ProductSearchTerms,
    ProductSort,
    SearchPosition,
)

# Whether a candidate holds one of the query's code or barcode terms: an equality on the
# whole primary key of the search terms (tenant_id, term, product_id), per candidate.
_BY_CODE = (
    "EXISTS (SELECT FROM product_search_terms t WHERE t.tenant_id = :tenant_id"
    " AND t.term = ANY(CAST(:any_of AS text[])) AND t.product_id = products.id)"
)
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


def sort_key_text(value: Any, sort: ProductSort) -> str | None:
    """A candidate's sort key as the cursor carries it (none for id order)."""
    if sort.lstrip("-") == "created":
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


def candidates_statement(
    tenant_id: UUID,
    terms: ProductSearchTerms | None,
    filters: ProductFilters,
    after: SearchPosition | None,
    limit: int,
    sort: ProductSort,
) -> tuple[TextClause, dict[str, Any]] | None:
    """The candidates' statement (id, name, by_code, sort_key) and its parameters; None
    when the terms can match nothing."""
    params: dict[str, Any] = {"tenant_id": tenant_id, "limit": limit}
    where = ["AND archived_at IS NULL", *_filter_clauses(filters, params)]
    if terms is not None:
        matches = _term_matches(terms, params)
        if not matches:
            return None
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
    statement = text(
        f"SELECT id, name, {by_code} AS by_code, {key_sql} AS sort_key FROM products"
        f" WHERE tenant_id = :tenant_id {' '.join(where)} ORDER BY {order} LIMIT :limit"
    )
    return statement, params
