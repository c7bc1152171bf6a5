"""Search filters and sorts on the real Postgres (CAT-12): published on a channel, price
range on the base price (channel price there, else list price; archived SKUs ignored),
sorts by creation, change and price with cursor pages that neither skip nor repeat, and
the request role's plan for the channel filter uses the listings index."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import asyncpg
import pytest

from adapters.postgres.catalog.products import PostgresProductRepository
from application.catalog.channels import CreateChannel
from application.catalog.listings import PublishListing, UnpublishListing
from application.catalog.ports.repositories import ProductFilters, ProductSearchTerms, ProductSort
from application.catalog.products import (
    CreateProduct,
    GetProduct,
    ProductData,
    ReviseProduct,
    SearchProducts,
    SkuData,
)
from application.shared.context import Actor, ActorKind, CallContext
from bootstrap import Container
from domain.catalog.search_terms import search_query
from domain.identity.permissions import ALL_PERMISSIONS
from domain.shared.errors import ValidationFailed
from tests.conftest import TenantHandle
from tests.support.databases import TestDatabase


def _amount(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def ctx(tenant: TenantHandle) -> CallContext:
    return CallContext(
        tenant.id, Actor(ActorKind.SUPPORT, "pytest"), ALL_PERMISSIONS, uuid.uuid4().hex
    )


async def product(c: Container, t: TenantHandle, code: str, price: str | None) -> uuid.UUID:
    data = ProductData(
        name=f"蓝牙耳机 {code}",
        lifecycle="active",
        skus=[SkuData(f"{code}-A", list_price=_amount(price))],
    )
    return (await c.use_cases.run(ctx(t), CreateProduct(code, data))).product.id


async def codes(
    c: Container, t: TenantHandle, sort: str = "created", limit: int = 200, **filters: object
) -> list[str]:
    """Every page, following the cursors."""
    found: list[str] = []
    cursor = None
    while True:
        search = SearchProducts.of(
            "蓝牙",
            ProductFilters(**filters),
            cursor,
            limit,
            sort,  # type: ignore[arg-type]
        )
        page = await c.use_cases.query(ctx(t), search)
        found.extend(v.product.code for v in page.items)
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor


async def test_channel_price_range_and_sorts(container: Container, tenant: TenantHandle) -> None:
    c, t = container, tenant
    cheap = await product(c, t, "P-10", "10")
    mid = await product(c, t, "P-50", "50")
    dear = await product(c, t, "P-90", "90")
    await product(c, t, "P-NONE", None)
    tmall = await c.use_cases.run(ctx(t), CreateChannel("tmall", "天猫", "marketplace", "tmall"))
    sku_of = {
        p: (await c.use_cases.query(ctx(t), GetProduct(p))).product.skus[0].id for p in (cheap, mid)
    }
    await c.use_cases.run(
        ctx(t), PublishListing(cheap, tmall.id, {sku_of[cheap]: Decimal("95")})
    )  # dearer there
    await c.use_cases.run(ctx(t), PublishListing(mid, tmall.id))
    await c.use_cases.run(ctx(t), PublishListing(dear, tmall.id))
    await c.use_cases.run(ctx(t), UnpublishListing(dear, tmall.id))

    assert await codes(c, t, channel_id=tmall.id) == ["P-10", "P-50"]
    assert await codes(c, t, min_price=Decimal(20), max_price=Decimal(90)) == ["P-50", "P-90"]
    # On the channel, P-10 costs its channel price, 95.
    on_tmall = {"channel_id": tmall.id, "min_price": Decimal(60)}
    assert await codes(c, t, **on_tmall) == ["P-10"]
    assert await codes(c, t, max_price=Decimal(10)) == ["P-10"]

    assert await codes(c, t, "price", limit=1) == ["P-10", "P-50", "P-90", "P-NONE"]
    assert await codes(c, t, "-price", limit=1) == ["P-90", "P-50", "P-10", "P-NONE"]
    assert await codes(c, t, "price", limit=1, channel_id=tmall.id) == ["P-50", "P-10"]
    assert await codes(c, t, "-created", limit=3) == ["P-NONE", "P-90", "P-50", "P-10"]
    # Publishing P-10 launched nothing (already active); changing P-50 makes it newest.
    view = await c.use_cases.query(ctx(t), GetProduct(mid))
    await c.use_cases.run(
        ctx(t),
        ReviseProduct(
            mid,
            ProductData(
                name="蓝牙耳机 P-50 新",
                skus=[SkuData("P-50-A", id=view.product.skus[0].id, list_price=Decimal("50"))],
            ),
            view.product.version,
        ),
    )
    assert (await codes(c, t, "-updated", limit=1))[0] == "P-50"
    assert (await codes(c, t, "updated", limit=2))[-1] == "P-50"

    with pytest.raises(ValidationFailed) as bad_sort:
        await codes(c, t, "name")
    assert bad_sort.value.errors[0].code == "invalid_choice"
    first = await c.use_cases.query(
        ctx(t), SearchProducts.of("蓝牙", ProductFilters(), None, 1, "price")
    )
    with pytest.raises(ValidationFailed) as mixed:  # a price cursor is no creation cursor
        await c.use_cases.query(
            ctx(t), SearchProducts.of("蓝牙", ProductFilters(), first.next_cursor, 1, "updated")
        )
    assert mixed.value.errors[0].code == "invalid_cursor"


class _Stop(Exception):
    pass


async def test_the_filtered_plan_uses_indexes_as_the_request_role(
    container: Container, tenant: TenantHandle, database: TestDatabase
) -> None:
    """3,000 products with SKUs, half of them listed with channel prices, ten of them
    named 蓝牙 (written as the owner, as an import would), then EXPLAIN of the repository's
    own query — channel filter, price range, price sort — as shopkeeper_app."""
    channel = await container.use_cases.run(
        ctx(tenant), CreateChannel("own", "官网", "own_shop", None)
    )
    owner = await asyncpg.connect(database.owner_url)
    try:
        await owner.execute(
            "INSERT INTO products (tenant_id, id, code, code_key, name, kind, lifecycle,"
            " created_at, updated_at) SELECT $1, gen_random_uuid(), 'P' || n, 'P' || n,"
            " CASE WHEN n <= 10 THEN '蓝牙' ELSE '商品' END, 'physical', 'active', now(), now()"
            " FROM generate_series(1, 3000) n",
            tenant.id,
        )
        await owner.execute(
            "INSERT INTO skus (tenant_id, id, product_id, position, code, code_key, list_price)"
            " SELECT tenant_id, gen_random_uuid(), id, 0, code || '-A', code || '-A', 10"
            " FROM products WHERE tenant_id = $1",
            tenant.id,
        )
        await owner.execute(
            "INSERT INTO product_search_terms (tenant_id, term, product_id)"
            " SELECT tenant_id, t, id FROM products, unnest(ARRAY[name, code]) t"
            " WHERE tenant_id = $1",
            tenant.id,
        )
        await owner.execute(
            "INSERT INTO channel_listings (tenant_id, product_id, channel_id, status)"
            " SELECT tenant_id, id, $2, 'published' FROM products WHERE tenant_id = $1"
            " AND right(code, 1) IN ('1', '3', '5', '7', '9')",
            tenant.id,
            channel.id,
        )
        await owner.execute(
            "INSERT INTO channel_prices (tenant_id, product_id, channel_id, sku_id, amount)"
            " SELECT l.tenant_id, l.product_id, l.channel_id, s.id, 12 FROM channel_listings l"
            " JOIN skus s ON s.tenant_id = l.tenant_id AND s.product_id = l.product_id"
            " WHERE l.tenant_id = $1",
            tenant.id,
        )
        await owner.execute(
            "ANALYZE products; ANALYZE skus; ANALYZE product_search_terms;"
            " ANALYZE channel_listings; ANALYZE channel_prices"
        )
    finally:
        await owner.close()
    captured: list[str] = []

    class Capturing:
        async def execute(self, statement: object, params: object = None) -> object:
            captured.append(str(statement))
            raise _Stop(params)

    query = search_query("蓝牙")
    terms = ProductSearchTerms(query.name_terms, frozenset())
    repository = PostgresProductRepository(Capturing(), tenant.id)  # type: ignore[arg-type]
    filters = ProductFilters(channel_id=channel.id, min_price=Decimal(1))
    with pytest.raises(_Stop) as stop:
        await repository.search(terms, filters, None, 50, ProductSort.PRICE)
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
    assert "Seq Scan" not in plan, plan
    conditions = [line for line in plan.splitlines() if "Index Cond" in line]
    assert any("channel_id =" in line for line in conditions), plan  # listings
    assert any("term = ANY" in line for line in conditions), plan  # search terms
    assert any("product_id = products.id" in line for line in conditions), plan  # SKUs
