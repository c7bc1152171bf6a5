"""Products on the real Postgres, as shopkeeper_app under RLS (CAT-1, CAT-8).

Two writers racing for one SKU code: the second one's pre-check cannot see the first one's
uncommitted row, so it is the unique index that stops it — and the violation must come out
as ``Conflict sku_code_taken``, never a 500. Restores are checked at the repository level.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import asyncpg
import pytest

from application.catalog.ports.store import CATALOG
from application.catalog.products import (
    CreateProduct,
    ProductData,
    RestoreProduct,
    ReviseProduct,
    SkuData,
)
from application.shared.context import Actor, ActorKind, CallContext
from bootstrap import Container
from domain.catalog.product import Product, ProductInput, SkuInput
from domain.catalog.versions import first_version
from domain.identity.permissions import ALL_PERMISSIONS
from domain.shared.errors import Conflict
from tests.conftest import TenantHandle
from tests.support.databases import TestDatabase

AT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


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


def product(code: str, sku_code: str) -> Product:
    return Product.create(
        uuid.uuid4(),
        code,
        ProductInput(name=code),
        [SkuInput(uuid.uuid4(), sku_code, list_price=None)],
        None,
        "CNY",
        AT,
    )


async def test_racing_writers_of_one_sku_code_get_a_conflict_not_a_500(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    first, second = product("RACE-1", "RACE-SKU"), product("RACE-2", "race-sku")
    async with container.uow_factory.for_tenant(ctx(tenant)) as one:
        await one.of(CATALOG).products.add(
            first, first_version(first.id, first.snapshot(), "a", AT)
        )

        async def other_writer() -> None:
            async with container.uow_factory.for_tenant(ctx(tenant)) as two:
                version = first_version(second.id, second.snapshot(), "b", AT)
                await two.of(CATALOG).products.add(second, version)
                await two.commit()

        racer = asyncio.create_task(other_writer())
        for _ in range(1000):  # until the second insert waits on the first's index entry
            waiting = await owner_conn.fetchval(
                "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                " WHERE l.locktype = 'transactionid' AND NOT l.granted"
                " AND a.datname = current_database()"  # the server is shared
            )
            if waiting:
                break
            await asyncio.sleep(0.01)
        else:
            pytest.fail("the second writer never waited for the first")
        await one.commit()
    with pytest.raises(Conflict) as caught:
        await racer
    assert caught.value.code == "sku_code_taken"
    # Named from the violated index's name and the writer's own SKU (no message parsing).
    assert caught.value.params == {"sku_code": "race-sku"}
    count = await owner_conn.fetchval("SELECT count(*) FROM skus WHERE tenant_id = $1", tenant.id)
    assert count == 1


async def test_a_restore_writes_a_new_version_and_the_old_content(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    data = ProductData(
        name="初版", skus=[SkuData(code="RS-1", list_price=Decimal("10"), cost=Decimal("4"))]
    )
    view = await container.use_cases.run(ctx(tenant), CreateProduct("RS", data))
    sku_id = view.product.skus[0].id
    changed = ProductData(
        name="改版", skus=[SkuData(code="RS-1", id=sku_id, list_price=Decimal("12"))]
    )
    await container.use_cases.run(ctx(tenant), ReviseProduct(view.product.id, changed, 1))
    restored = await container.use_cases.run(ctx(tenant), RestoreProduct(view.product.id, 1, 2))
    assert restored.product.version == 3
    assert restored.product.details.name == "初版"
    assert str(restored.product.skus[0].list_price.amount) == "10.00"  # type: ignore[union-attr]
    rows = await owner_conn.fetch(
        "SELECT number, restored_from, snapshot->>'name' AS name FROM product_versions"
        " WHERE tenant_id = $1 ORDER BY number",
        tenant.id,
    )
    assert [(r["number"], r["restored_from"], r["name"]) for r in rows] == [
        (1, None, "初版"),
        (2, None, "改版"),
        (3, 1, "初版"),
    ]
    # The request role may add versions but never rewrite them.
    async with container.uow_factory.for_tenant(ctx(tenant)) as uow:
        with pytest.raises(Exception, match="permission denied"):
            await uow.connection.exec_driver_sql(  # type: ignore[attr-defined]
                "UPDATE product_versions SET actor = 'x'"
            )
