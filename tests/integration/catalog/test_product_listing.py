"""The product listing without a text query (CAT-12): every filter alone and combined
(category with its descendants through the closure, brand, channel, lifecycle, price
range), sorts followed page by page through the cursors without repeats or gaps, bad
filters refused; and the request role's plan for one category of a few thousand products
(among other tenants' thousands) is driven by the category index, not a scan."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from adapters.postgres.catalog.products import PostgresProductRepository
from application.catalog.brands.create import CreateBrand
from application.catalog.categories import CreateCategory
from application.catalog.channels import CreateChannel
from application.catalog.listings import PublishListing
from application.catalog.ports.repositories import ProductFilters, ProductSort
from application.catalog.products import (
    ArchiveProduct,
    CreateProduct,
    GetProduct,
    ProductData,
    SearchProducts,
    SkuData,
)
from application.shared.context import Actor, ActorKind, CallContext
from bootstrap import Container
from domain.identity.permissions import ALL_PERMISSIONS
from domain.shared.errors import ValidationFailed
from tests.conftest import TenantFactory, TenantHandle
from tests.support.databases import TestDatabase


def _amount(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def ctx(tenant: TenantHandle) -> CallContext:
    return CallContext(
        tenant.id, Actor(ActorKind.SUPPORT, "pytest"), ALL_PERMISSIONS, uuid.uuid4().hex
    )


async def listed(
    c: Container, t: TenantHandle, sort: str = "created", limit: int = 200, **filters: Any
) -> list[str]:
    """Every page of the listing without a query, following the cursors."""
    found: list[str] = []
    cursor = None
    while True:
        page = await c.use_cases.query(
            ctx(t), SearchProducts.of(None, ProductFilters(**filters), cursor, limit, sort)
        )
        found.extend(v.product.code for v in page.items)
        if page.next_cursor is None:
            assert len(found) == len(set(found)), found  # no product twice
            return found
        cursor = page.next_cursor


async def test_filters_alone_and_combined_with_sorts(
    container: Container, tenant: TenantHandle
) -> None:
    c, t = container, tenant
    clothes = await c.use_cases.run(ctx(t), CreateCategory("服装", None))
    men = await c.use_cases.run(ctx(t), CreateCategory("男装", clothes.id))
    tees = await c.use_cases.run(ctx(t), CreateCategory("T恤", men.id))
    digital = await c.use_cases.run(ctx(t), CreateCategory("数码", None))
    acme, other = (
        await c.use_cases.run(ctx(t), CreateBrand("优衣库")),
        await c.use_cases.run(ctx(t), CreateBrand("华为")),
    )
    tmall = await c.use_cases.run(
        ctx(t), CreateChannel("tmall", "天猫旗舰店", "marketplace", "tmall")
    )
    own = await c.use_cases.run(ctx(t), CreateChannel("own", "官网", "own_shop", None))

    async def product(
        code: str, category: uuid.UUID, price: str, lifecycle: str = "active", brand: Any = None
    ) -> uuid.UUID:
        data = ProductData(
            name=f"商品 {code}",
            category_id=category,
            brand_id=brand,
            lifecycle=lifecycle,
            skus=[SkuData(f"{code}-A", list_price=_amount(price))],
        )
        return (await c.use_cases.run(ctx(t), CreateProduct(code, data))).product.id

    t1 = await product("T1", tees.id, "99", brand=acme.id)
    t2 = await product("T2", men.id, "49", brand=other.id)
    await product("T3", clothes.id, "120", "new", acme.id)
    t4 = await product("T4", tees.id, "300")
    e1 = await product("E1", digital.id, "80", brand=other.id)
    t5 = await product("T5", tees.id, "60")
    t6 = await product("T6", tees.id, "70")
    t7 = await product("T7", men.id, "60")
    sku_t1 = (await c.use_cases.query(ctx(t), GetProduct(t1))).product.skus[0].id
    await c.use_cases.run(ctx(t), PublishListing(t1, tmall.id, {sku_t1: Decimal("150")}))
    for p in (t2, t4, e1, t7):
        await c.use_cases.run(ctx(t), PublishListing(p, tmall.id))
    await c.use_cases.run(ctx(t), PublishListing(t6, own.id))
    await c.use_cases.run(ctx(t), PublishListing(t5, tmall.id))
    await c.use_cases.run(
        ctx(t),
        ArchiveProduct(t5, (await c.use_cases.query(ctx(t), GetProduct(t5))).product.version),
    )

    everything = ["T1", "T2", "T3", "T4", "E1", "T6", "T7"]  # creation order; T5 archived
    assert await listed(c, t) == everything
    assert await listed(c, t, limit=3) == everything
    assert await listed(c, t, category_id=clothes.id) == ["T1", "T2", "T3", "T4", "T6", "T7"]
    assert await listed(c, t, category_id=men.id) == ["T1", "T2", "T4", "T6", "T7"]
    assert await listed(c, t, category_id=tees.id) == ["T1", "T4", "T6"]
    assert await listed(c, t, brand_id=acme.id) == ["T1", "T3"]
    assert await listed(c, t, lifecycle="new") == ["T3"]
    assert await listed(c, t, channel_id=tmall.id) == ["T1", "T2", "T4", "E1", "T7"]
    assert await listed(c, t, channel_id=own.id) == ["T6"]
    low, high = Decimal(50), Decimal(100)
    assert await listed(c, t, min_price=low, max_price=high) == ["T1", "E1", "T6", "T7"]
    assert await listed(c, t, min_price=Decimal(100)) == ["T3", "T4"]
    assert await listed(c, t, max_price=Decimal(49)) == ["T2"]
    # The merchant's question: published on Tmall, in 服装 and below, active, 50–200, by
    # price. T1 counts at its Tmall price (150), T2 (49) and T4 (300) fall outside.
    question = {
        "category_id": clothes.id,
        "channel_id": tmall.id,
        "lifecycle": "active",
        "min_price": Decimal(50),
        "max_price": Decimal(200),
    }
    assert await listed(c, t, "price", limit=1, **question) == ["T7", "T1"]
    assert await listed(c, t, "-price", limit=1, **question) == ["T1", "T7"]
    assert await listed(c, t, category_id=men.id, brand_id=acme.id) == ["T1"]

    by_price = ["T2", "T7", "T6", "E1", "T1", "T3", "T4"]  # list prices, ties by id
    for limit in (1, 2, 3, 100):
        assert await listed(c, t, "price", limit=limit) == by_price
        assert await listed(c, t, "-price", limit=limit) == by_price[::-1]
        assert await listed(c, t, "-created", limit=limit) == everything[::-1]
    on_tmall = await listed(c, t, "price", limit=2, channel_id=tmall.id)
    assert on_tmall == ["T2", "T7", "E1", "T1", "T4"]  # T1 at 150 on Tmall
    assert await listed(c, t, "-updated", limit=2) == (await listed(c, t, "updated"))[::-1]

    async def refused(**filters: Any) -> tuple[str, str]:
        with pytest.raises(ValidationFailed) as failed:
            await listed(c, t, **filters)
        return failed.value.errors[0].field, failed.value.errors[0].code

    assert await refused(min_price=Decimal(9), max_price=Decimal(1)) == (
        "maxPrice",
        "invalid_price_range",
    )
    assert await refused(category_id=uuid.uuid4()) == ("category", "unknown_category")
    assert await refused(brand_id=uuid.uuid4()) == ("brand", "unknown_brand")
    assert await refused(channel_id=uuid.uuid4()) == ("channel", "unknown_channel")
    assert await refused(lifecycle="gone") == ("status", "invalid_choice")


class _Stop(Exception):
    pass


async def _plan(database: TestDatabase, tenant_id: uuid.UUID, filters: ProductFilters,
                sort: ProductSort) -> str:  # fmt: skip
    """EXPLAIN of the repository's own listing query, as shopkeeper_app under RLS."""
    captured: list[str] = []

    class Capturing:
        async def execute(self, statement: object, params: object = None) -> object:
            captured.append(str(statement))
            raise _Stop(params)

    repository = PostgresProductRepository(Capturing(), tenant_id)  # type: ignore[arg-type]
    with pytest.raises(_Stop) as stop:
        await repository.search(None, filters, None, 50, sort)
    sql, params = captured[0], dict(stop.value.args[0])
    app = await asyncpg.connect(database.app_url)
    try:
        async with app.transaction():
            await app.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant_id))
            names = sorted(params, key=len, reverse=True)
            positional = sql
            for i, name in enumerate(names, start=1):
                positional = positional.replace(f":{name}", f"${i}")
            values = [
                json.dumps(v) if isinstance(v, dict) else v for v in (params[n] for n in names)
            ]
            rows = await app.fetch(f"EXPLAIN {positional}", *values)
            return "\n".join(r[0] for r in rows)
    finally:
        await app.close()


async def test_one_category_plan_uses_the_category_index_as_the_request_role(
    container: Container, new_tenant: TenantFactory, database: TestDatabase
) -> None:
    """Two tenants of 3,000 products each (written as the owner, as an import would); one
    category (with a subcategory) of the first holds 200 of them."""
    shop, neighbour = await new_tenant(), await new_tenant()
    clothes = await container.use_cases.run(ctx(shop), CreateCategory("服装", None))
    tees = await container.use_cases.run(ctx(shop), CreateCategory("T恤", clothes.id))
    others = [
        (await container.use_cases.run(ctx(shop), CreateCategory(f"其{i}", None))).id
        for i in range(40)
    ]
    elsewhere = await container.use_cases.run(ctx(neighbour), CreateCategory("服装", None))
    tmall = await container.use_cases.run(
        ctx(shop), CreateChannel("tmall", "天猫", "marketplace", "tmall")
    )
    spread = f"(ARRAY{[str(o) for o in others]}::uuid[])[1 + n % 40]"
    owner = await asyncpg.connect(database.owner_url)
    try:
        for tenant_id, category_of in (
            (shop.id, f"CASE WHEN n <= 100 THEN '{clothes.id}'::uuid WHEN n <= 200"
                      f" THEN '{tees.id}'::uuid ELSE {spread} END"),
            (neighbour.id, f"'{elsewhere.id}'::uuid"),
        ):  # fmt: skip
            await owner.execute(
                "INSERT INTO products (tenant_id, id, code, code_key, name, kind, lifecycle,"
                " category_id, created_at, updated_at) SELECT $1, gen_random_uuid(),"
                f" 'P' || n, 'P' || n, '商品', 'physical', 'active', {category_of}, now(), now()"
                " FROM generate_series(1, 3000) n",
                tenant_id,
            )
            await owner.execute(
                "INSERT INTO skus (tenant_id, id, product_id, position, code, code_key,"
                " list_price) SELECT tenant_id, gen_random_uuid(), id, 0, code || '-A',"
                " code || '-A', 10 + length(code) FROM products WHERE tenant_id = $1",
                tenant_id,
            )
        await owner.execute(
            "INSERT INTO channel_listings (tenant_id, product_id, channel_id, status)"
            " SELECT tenant_id, id, $2, 'published' FROM products WHERE tenant_id = $1"
            " AND right(code, 2) = '00'",
            shop.id,
            tmall.id,
        )
        await owner.execute(
            "ANALYZE products; ANALYZE skus; ANALYZE category_closure; ANALYZE channel_listings"
        )
    finally:
        await owner.close()

    in_clothes = ProductFilters(category_id=clothes.id, lifecycle="active")
    assert len(await listed(container, shop, category_id=clothes.id)) == 200
    for filters, sort in (
        (in_clothes, ProductSort.PRICE_DESC),
        (ProductFilters(category_id=clothes.id, min_price=Decimal(1)), ProductSort.PRICE),
    ):
        plan = await _plan(database, shop.id, filters, sort)
        assert "Seq Scan on products" not in plan, plan
        assert "Seq Scan on skus" not in plan, plan  # prices filter candidates, one by one
        conditions = [line for line in plan.splitlines() if "Index Cond" in line]
        assert any("category_id = ANY" in line for line in conditions), plan
        assert any("product_id = products.id" in line for line in conditions), plan  # SKUs
    on_tmall = ProductFilters(channel_id=tmall.id, lifecycle="active", max_price=Decimal(99))
    assert len(await listed(container, shop, "price", **vars(on_tmall))) == 30
    plan = await _plan(database, shop.id, on_tmall, ProductSort.PRICE)
    assert "Seq Scan on products" not in plan, plan
    conditions = [line for line in plan.splitlines() if "Index Cond" in line]
    assert any("channel_id =" in line for line in conditions), plan  # listings
    # Creation order with a LIMIT: the planner may walk the tenant's primary key in order
    # and filter (it stops at the page's end); either way only this tenant's index rows.
    for filters in (in_clothes, ProductFilters()):
        plan = await _plan(database, shop.id, filters, ProductSort.CREATED)
        assert "Seq Scan on products" not in plan, plan
        scans = [line for line in plan.splitlines() if "Index Cond" in line]
        assert any(f"tenant_id = '{shop.id}'" in line for line in scans), plan
