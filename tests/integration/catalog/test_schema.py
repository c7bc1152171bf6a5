"""The catalog tables of 0006 (docs/catalog.md, "Proposed tables"): all tenant-owned
(the generic checks of test_schema_catalog.py cover RLS and keys), product versions
append-only for the request role, and codes unique per tenant case-insensitively through
the stored keys."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest
from migrations.rls import APP_ROLE

from tests.support.databases import TestDatabase

CATALOG_TABLES = (
    "product_types",
    "product_type_attributes",
    "categories",
    "category_closure",
    "brands",
    "products",
    "skus",
    "product_versions",
    "product_search_terms",
)


@pytest.fixture
async def owner(database: TestDatabase) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(database.owner_url)
    try:
        yield conn
    finally:
        await conn.close()


async def test_every_catalog_table_forces_row_level_security(owner: asyncpg.Connection) -> None:
    rows = await owner.fetch(
        "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class"
        " WHERE relname = ANY($1::text[]) AND relkind = 'r'",
        list(CATALOG_TABLES),
    )
    assert {r["relname"] for r in rows} == set(CATALOG_TABLES)
    assert all(r["relrowsecurity"] and r["relforcerowsecurity"] for r in rows)


async def test_product_versions_are_append_only_for_the_request_role(
    owner: asyncpg.Connection,
) -> None:
    def may(privilege: str) -> object:
        return owner.fetchval(
            "SELECT has_table_privilege($1, 'product_versions', $2)", APP_ROLE, privilege
        )

    assert await may("SELECT") and await may("INSERT")
    assert not await may("UPDATE") and not await may("DELETE") and not await may("TRUNCATE")


@pytest.mark.parametrize(
    ("table", "columns"),
    [
        ("products", ["tenant_id", "code_key"]),
        ("skus", ["tenant_id", "code_key"]),
        ("skus", ["tenant_id", "barcode_key"]),
        ("brands", ["tenant_id", "name_key"]),
        ("product_types", ["tenant_id", "name_key"]),
        ("categories", ["tenant_id", "parent_id", "name_key"]),
    ],
)
async def test_tenant_unique_keys_exist(
    owner: asyncpg.Connection, table: str, columns: list[str]
) -> None:
    keys = await owner.fetch(
        "SELECT array_agg(a.attname ORDER BY k.ord) AS columns"
        " FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)"
        " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
        " WHERE i.indrelid = $1::regclass AND i.indisunique AND NOT i.indisprimary"
        " GROUP BY i.indexrelid",
        table,
    )
    assert columns in [list(k["columns"]) for k in keys]
