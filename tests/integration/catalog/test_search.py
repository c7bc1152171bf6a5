"""Product search on the real Postgres (CAT-12): equality on ``product_search_terms``,
every name term required, category filter through the closure table; and the plan the
request role gets for a two-character Chinese query uses the term index rather than
scanning products."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from adapters.postgres.catalog.products import PostgresProductRepository
from application.catalog.categories import CreateCategory
from application.catalog.ports.repositories import ProductFilters, ProductSearchTerms
from application.catalog.products import (
    CreateProduct,
    ProductData,
    SearchProducts,
    SkuData,
)
from application.shared.context import Actor, ActorKind, CallContext
from bootstrap import Container
from domain.catalog.search_terms import search_query
from domain.identity.permissions import ALL_PERMISSIONS
from tests.conftest import TenantHandle
from tests.support.databases import TestDatabase


@pytest.fixture
async def owner_conn(database: TestDatabase) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(database.owner_url)
    try:
        yield conn
    finally:
        await conn.close()


def ctx(tenant: TenantHandle) -> CallContext:
    return CallContext(
        tenant.id, Actor(ActorKind.SUPPORT, "pytest"), ALL_PERMISSIONS, uuid.uuid4().hex
    )


async def product(
    container: Container,
    tenant: TenantHandle,
    code: str,
    name: str,
    barcode: str | None = None,
    category: uuid.UUID | None = None,
) -> uuid.UUID:
    data = ProductData(
        name=name, category_id=category, skus=[SkuData(code=f"{code}-A", barcode=barcode)]
    )
    return (await container.use_cases.run(ctx(tenant), CreateProduct(code, data))).product.id


async def found(container: Container, tenant: TenantHandle, q: str, **filters: object) -> set:
    search = SearchProducts.of(q, ProductFilters(**filters), None, 200)  # type: ignore[arg-type]
    page = await container.use_cases.query(ctx(tenant), search)
    return {v.product.id for v in page.items}


async def test_search_by_name_code_prefix_barcode_and_category_subtree(
    container: Container, tenant: TenantHandle
) -> None:
    audio = (await container.use_cases.run(ctx(tenant), CreateCategory("音频", None))).id
    headphones = (await container.use_cases.run(ctx(tenant), CreateCategory("耳机", audio))).id
    earbuds = await product(
        container, tenant, "BT-100", "蓝牙耳机 Pro", "6901234567892", headphones
    )
    speaker = await product(container, tenant, "SP-200", "便携蓝牙音箱", None, audio)
    cable = await product(container, tenant, "CB-300", "数据线 牙刷", "INT-0042")
    await product(container, tenant, "HB-400", "头戴耳机")

    assert await found(container, tenant, "蓝牙") == {earbuds, speaker}
    assert await found(container, tenant, "蓝牙耳机") == {earbuds}
    assert await found(container, tenant, "牙") == {earbuds, speaker, cable}
    assert await found(container, tenant, "bt-1") == {earbuds}  # SKU / product code prefix
    assert await found(container, tenant, "bt-100-a") == {earbuds}
    assert await found(container, tenant, "690123456789") == {earbuds}  # barcode prefix
    assert await found(container, tenant, "06901234567892") == {earbuds}  # as GTIN-14
    assert await found(container, tenant, "INT-0042") == {cable}
    assert await found(container, tenant, "pro") == {earbuds}
    assert await found(container, tenant, "蓝牙", category_id=audio) == {earbuds, speaker}
    assert await found(container, tenant, "蓝牙", category_id=headphones) == {earbuds}
    assert await found(container, tenant, "耳机", lifecycle="active") == set()


async def test_several_words_find_products_holding_all_of_them_in_any_order(
    container: Container, tenant: TenantHandle
) -> None:
    """#9, item 14: the query's words, split on whitespace, in any order; a word of CJK
    characters alone also as pieces of two or more characters in any order (Chinese
    writes no spaces), any other word a phrase of its own."""
    earbuds = await product(container, tenant, "BT-100", "降噪蓝牙耳机 Pro")
    reversed_ = await product(container, tenant, "BT-200", "耳机蓝牙版")
    await product(container, tenant, "SP-300", "便携蓝牙音箱")
    await product(container, tenant, "HB-400", "头戴降噪耳塞")

    assert await found(container, tenant, "蓝牙 耳机") == {earbuds, reversed_}
    assert await found(container, tenant, "耳机 蓝牙") == {earbuds, reversed_}
    assert await found(container, tenant, "降噪 耳机") == {earbuds}
    assert await found(container, tenant, "PRO　耳机  降噪") == {earbuds}
    assert await found(container, tenant, "蓝牙 音箱 耳机") == set()
    assert await found(container, tenant, "蓝牙耳机") == {earbuds, reversed_}
    assert await found(container, tenant, "耳机蓝牙") == {earbuds, reversed_}
    assert await found(container, tenant, "牙耳机") == {earbuds}  # three characters: a phrase
    assert await found(container, tenant, "蓝牙耳机pro") == set()  # mixed: a phrase, no space


@pytest.mark.parametrize("q", ["蓝牙", "蓝牙 耳机"])
async def test_a_two_character_chinese_query_uses_the_term_index(
    q: str,
    container: Container,
    tenant: TenantHandle,
    database: TestDatabase,
    owner_conn: asyncpg.Connection,
) -> None:
    """Thousands of term rows (written as the owner, as an import would), then EXPLAIN of
    the repository's own query as shopkeeper_app with the tenant set."""
    await product(container, tenant, "BT-1", "蓝牙耳机")
    await owner_conn.execute(
        "INSERT INTO products (tenant_id, id, code, code_key, name, kind, lifecycle,"
        " created_at, updated_at)"
        " SELECT $1, gen_random_uuid(), 'P' || n, 'P' || n, '商品' || n, 'physical', 'new',"
        " now(), now() FROM generate_series(1, 3000) AS n",
        tenant.id,
    )
    await owner_conn.execute(
        "INSERT INTO product_search_terms (tenant_id, term, product_id)"
        " SELECT tenant_id, t, id FROM products, unnest(ARRAY['商品', '商', '品', code]) AS t"
        " WHERE tenant_id = $1 AND code LIKE 'P%'",
        tenant.id,
    )
    await owner_conn.execute("ANALYZE products; ANALYZE product_search_terms")

    captured: list[str] = []

    class Capturing:
        async def execute(self, statement: object, params: object = None) -> object:
            captured.append(str(statement))
            raise _Stop(params)

    query = search_query(q)
    terms = ProductSearchTerms(query.name_terms, frozenset())
    repository = PostgresProductRepository(Capturing(), tenant.id)  # type: ignore[arg-type]
    with pytest.raises(_Stop) as stop:
        await repository.search(terms, ProductFilters(), None, 50)
    sql, params = captured[0], dict(stop.value.args[0])

    app = await asyncpg.connect(database.app_url)
    try:
        async with app.transaction():
            await app.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant.id))
            names = sorted(params, key=len, reverse=True)
            positional = sql
            for i, name in enumerate(names, start=1):
                positional = positional.replace(f":{name}", f"${i}")
            values = [
                json.dumps(v) if isinstance(v, dict) else v for v in (params[n] for n in names)
            ]
            plan = "\n".join(r[0] for r in await app.fetch(f"EXPLAIN {positional}", *values))
    finally:
        await app.close()
    assert "product_search_terms" in plan
    assert "Index" in plan and "product_search_terms_pkey" in plan, plan
    assert "Seq Scan on product_search_terms" not in plan, plan
    assert "LIKE" not in plan.upper().replace("ILIKE", ""), plan


class _Stop(Exception):
    pass
