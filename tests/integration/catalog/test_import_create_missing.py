"""#9 item 17: a first catalogue import may create the categories (by path), brands and
product types it names, when asked (``createMissing``): the preview lists them and creates
nothing; the commit creates each once, parents first, audited and announced, and the
products point at them. Without the flag, the file's unknown names stay row errors."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest

from application.catalog.categories import CreateCategory
from application.catalog.imports import CatalogImports
from bootstrap import Container
from domain.catalog.permissions import CATALOG_IMPORT, CATALOG_READ
from domain.shared.errors import PermissionDenied
from domain.shared.file_rows import RowError
from tests.conftest import TenantHandle
from tests.integration.catalog.test_import import ctx, imported
from tests.support.databases import TestDatabase

FILE = (
    "product_code,product_name,category,brand,product_type,sku_code,list_price\r\n"
    "T-1,圆领T恤,服装 > 男装 > T恤,棉语,上衣,T-1-A,99\r\n"
    "T-2,V领T恤,服装 > 男装 > T恤,棉语,上衣,T-2-A,109\r\n"
    "S-1,运动袜,服装 > 袜子,  棉语 ,,S-1-A,19\r\n"  # the same brand spelled with spaces
)


@pytest.fixture
async def owner_conn(database: TestDatabase) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(database.owner_url)
    try:
        yield conn
    finally:
        await conn.close()


async def _count(conn: asyncpg.Connection, table: str, tenant: TenantHandle) -> int:
    query = f"SELECT count(*) FROM {table} WHERE tenant_id = $1"  # a table name of this test
    value = await conn.fetchval(query, tenant.id)
    return int(value)


async def test_without_the_flag_unknown_names_are_row_errors_and_listed(
    container: Container, tenant: TenantHandle
) -> None:
    call = ctx(tenant)
    view = await imported(container.get(CatalogImports), call, "a.csv", FILE.encode())
    record = view.record
    assert record.status == "checked" and not record.create_missing
    assert (
        RowError(2, "category", "unknown_category", {"path": "服装 > 男装 > T恤"}) in record.errors
    )
    assert record.to_create == {
        "categories": ["服装 > 男装 > T恤", "服装 > 袜子"],
        "brands": ["棉语"],
        "productTypes": ["上衣"],
    }


async def test_the_preview_lists_and_the_commit_creates_each_once(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    call = ctx(tenant)
    clothes = await container.use_cases.run(call, CreateCategory("服装", None))
    service = container.get(CatalogImports)
    view = await service.upload(call, "a.csv", FILE.encode(), create_missing=True, enqueue=False)
    await service.run_check(tenant.id, view.record.check_job_id)
    checked = (await service.get(call, view.record.id)).record
    assert checked.errors == [] and checked.create_missing
    assert checked.to_create["categories"] == ["服装 > 男装 > T恤", "服装 > 袜子"]
    assert checked.counts["created"] == 3
    assert await _count(owner_conn, "categories", tenant) == 1  # the preview creates nothing
    assert await _count(owner_conn, "brands", tenant) == 0

    started = await service.commit(call, checked.id, False, checked.version, enqueue=False)
    assert started.commit_job is not None
    await service.run_commit(tenant.id, started.commit_job.id)
    done = (await service.get(call, checked.id)).record
    assert done.status == "committed", done.errors

    rows = await owner_conn.fetch(
        "SELECT id, name, parent_id FROM categories WHERE tenant_id = $1", tenant.id
    )
    by_name = {r["name"]: r for r in rows}
    assert set(by_name) == {"服装", "男装", "T恤", "袜子"}  # 服装 existed: reused
    assert by_name["男装"]["parent_id"] == clothes.id
    assert by_name["T恤"]["parent_id"] == by_name["男装"]["id"]
    assert by_name["袜子"]["parent_id"] == clothes.id
    depth = await owner_conn.fetchval(
        "SELECT depth FROM category_closure WHERE tenant_id = $1 AND ancestor_id = $2"
        " AND descendant_id = $3",
        tenant.id,
        clothes.id,
        by_name["T恤"]["id"],
    )
    assert depth == 2  # the tree's closure rows are written for the new levels
    assert [
        r["name"]
        for r in await owner_conn.fetch("SELECT name FROM brands WHERE tenant_id = $1", tenant.id)
    ] == ["棉语"]
    assert await _count(owner_conn, "product_types", tenant) == 1
    linked = await owner_conn.fetch(
        "SELECT code, category_id, brand_id, product_type_id FROM products"
        " WHERE tenant_id = $1 ORDER BY code",
        tenant.id,
    )
    assert {r["code"]: r["category_id"] for r in linked} == {
        "S-1": by_name["袜子"]["id"],
        "T-1": by_name["T恤"]["id"],
        "T-2": by_name["T恤"]["id"],
    }
    assert len({r["brand_id"] for r in linked}) == 1 and linked[0]["brand_id"] is not None
    audited = await owner_conn.fetch(
        "SELECT action, count(*) AS n FROM audit_log WHERE tenant_id = $1"
        " AND action IN ('category.create', 'brand.create', 'product_type.create')"
        " GROUP BY action",
        tenant.id,
    )
    assert {r["action"]: r["n"] for r in audited} == {
        "category.create": 4,  # 服装 by hand, 男装, T恤, 袜子 by the import
        "brand.create": 1,
        "product_type.create": 1,
    }
    events = await owner_conn.fetch(
        "SELECT event_type FROM outbox WHERE tenant_id = $1 AND event_type IN"
        " ('category.created', 'brand.created', 'product_type.created')",
        tenant.id,
    )
    assert sorted(e["event_type"] for e in events) == [
        "brand.created",
        *["category.created"] * 4,
        "product_type.created",
    ]


async def test_creating_what_is_missing_needs_catalog_write(
    container: Container, tenant: TenantHandle
) -> None:
    importer = ctx(tenant, frozenset({CATALOG_IMPORT, CATALOG_READ}))
    service = container.get(CatalogImports)
    with pytest.raises(PermissionDenied):
        await service.upload(importer, "a.csv", FILE.encode(), create_missing=True, enqueue=False)
    plain = await service.upload(importer, "a.csv", FILE.encode(), enqueue=False)
    assert not plain.record.create_missing


async def test_a_name_the_catalog_refuses_is_the_error_of_its_first_row(
    container: Container, tenant: TenantHandle
) -> None:
    body = (
        f"product_code,product_name,brand,sku_code,list_price\r\nB-1,商品,{'长' * 200},B-1-A,1\r\n"
    )
    view = await container.get(CatalogImports).upload(
        ctx(tenant), "b.csv", body.encode(), create_missing=True, enqueue=False
    )
    service = container.get(CatalogImports)
    await service.run_check(tenant.id, view.record.check_job_id)
    record = (await service.get(ctx(tenant), view.record.id)).record
    at_brand = {e.code for e in record.errors if (e.row, e.column) == (2, "brand")}
    assert len(at_brand - {"unknown_brand"}) == 1, record.errors  # the reason, not only "unknown"
