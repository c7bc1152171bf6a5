"""Fixtures for inventory on the real database: SKUs made straight in the catalog's
tables (as the owner: inventory only needs them to exist), warehouses through the use
cases, a caller holding every permission."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from uuid import UUID

import asyncpg
import pytest

from application.inventory.warehouses.open import OpenWarehouse
from application.shared.context import Actor, ActorKind, CallContext
from domain.identity.permissions import ALL_PERMISSIONS
from domain.inventory.warehouse import WarehouseKind
from tests.conftest import TenantHandle
from tests.support.databases import TestDatabase

MakeSkus = Callable[[TenantHandle, int], Awaitable[list[UUID]]]


def caller(tenant: TenantHandle, permissions: frozenset[str] = ALL_PERMISSIONS) -> CallContext:
    return CallContext(tenant.id, Actor(ActorKind.SUPPORT, "pytest"), permissions, uuid.uuid4().hex)


@pytest.fixture
def make_skus(database: TestDatabase) -> MakeSkus:
    async def make(tenant: TenantHandle, count: int) -> list[UUID]:
        conn = await asyncpg.connect(database.owner_url)
        try:
            product = uuid.uuid4()
            code = f"P-{product.hex[:8]}"
            await conn.execute(
                "INSERT INTO products (tenant_id, id, code, code_key, name, kind, lifecycle,"
                " created_at, updated_at) VALUES ($1, $2, $3, $4, $3, 'physical', 'active',"
                " now(), now())",
                tenant.id,
                product,
                code,
                code.upper(),
            )
            skus = [uuid.uuid4() for _ in range(count)]
            for position, sku in enumerate(skus):
                sku_code = f"{code}-{position}"
                await conn.execute(
                    "INSERT INTO skus (tenant_id, id, product_id, position, code, code_key)"
                    " VALUES ($1, $2, $3, $4, $5, $6)",
                    tenant.id,
                    sku,
                    product,
                    position,
                    sku_code,
                    sku_code.upper(),
                )
            return skus
        finally:
            await conn.close()

    return make


async def open_warehouse(
    tenant: TenantHandle,
    code: str,
    kind: WarehouseKind = WarehouseKind.OWN,
    region: str | None = None,
    priority: int = 100,
) -> UUID:
    warehouse = await tenant.container.use_cases.run(
        caller(tenant), OpenWarehouse(code, f"仓库 {code}", kind, region, priority)
    )
    return warehouse.id


async def make_channel(database: TestDatabase, tenant: TenantHandle, code: str) -> UUID:
    conn = await asyncpg.connect(database.owner_url)
    try:
        channel = uuid.uuid4()
        await conn.execute(
            "INSERT INTO sales_channels (tenant_id, id, code, name, kind, created_at, updated_at)"
            " VALUES ($1, $2, $3, $3, 'own_shop', now(), now())",
            tenant.id,
            channel,
            code,
        )
        return channel
    finally:
        await conn.close()
