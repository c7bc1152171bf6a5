"""What the benchmarks that work through the application share: a migrated database of
their own (``bench/_database.py``), a container built on it, one tenant with its owner,
the caller (a support actor with every permission), the tenant's warehouses, and SKUs with
opening stock seeded as the owner — set up once here, torn down on the way out.
"""

from __future__ import annotations

import random
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import asyncpg

from application.identity.tenant_operations import NewTenant, TenantOperations
from application.inventory.warehouses.open import OpenWarehouse
from application.shared.context import Actor, ActorKind, CallContext, SystemContext
from bench._database import BenchDatabase, bench_database
from bootstrap import Container, build_container
from bootstrap.settings import Settings
from domain.identity.permissions import ALL_PERMISSIONS
from domain.inventory.warehouse import WarehouseKind

PASSWORD = "bench-owner-Kq7-vault"  # the tenant owner's
SUPPORT = SystemContext(Actor(ActorKind.SUPPORT, "bench"), "benchmark")  # makes tenants


def bench_settings(db: BenchDatabase, keystore: Path) -> Settings:
    """The application's settings on the benchmark database (fast test hashing; Redis
    only under a key prefix of the run's own)."""
    return Settings(
        environment="test",
        database_url=db.app_url,
        migration_database_url=db.owner_url,
        platform_database_url=db.platform_url,
        redis_prefix=f"bench:{db.name}:",
        keystore=keystore,
        argon2_profile="fast-insecure-test",
        token_signing_key="bench-signing-key-" + "x" * 32,
        log_level="warning",
    )


@dataclass(frozen=True)
class BenchTenant:
    db: BenchDatabase
    container: Container
    ctx: CallContext  # a support actor with every permission
    slug: str
    owner_email: str
    warehouses: list[uuid.UUID]

    @property
    def tenant_id(self) -> uuid.UUID:
        return self.ctx.tenant_id

    @property
    def admin_url(self) -> str:
        """The superuser on the benchmark database (seeding past row-level security)."""
        return self.db.admin_url

    @property
    def app_url(self) -> str:
        return self.db.app_url


@asynccontextmanager
async def bench_tenant(
    label: str, warehouses: int = 1, uses_redis: bool = False
) -> AsyncIterator[BenchTenant]:
    """A database ``shopkeeper_bench_<label>_…`` with one tenant (owner
    ``owner@<slug>.example.com``, password ``PASSWORD``) and ``warehouses`` own warehouses
    ``W0``, ``W1`` …; with ``uses_redis`` the run's Redis keys are deleted at the end."""
    async with bench_database(label) as db:
        with tempfile.TemporaryDirectory() as keystore:
            container = build_container(bench_settings(db, Path(keystore)))
            try:
                slug = f"bench-{uuid.uuid4().hex[:6]}"
                owner = f"owner@{slug}.example.com"
                tenant = await container.get(TenantOperations).create(
                    SUPPORT, NewTenant(slug, "Bench", owner, PASSWORD)
                )
                ctx = CallContext(tenant.id, Actor(ActorKind.SUPPORT, "bench"), ALL_PERMISSIONS)
                opened = [
                    (
                        await container.use_cases.run(
                            ctx, OpenWarehouse(f"W{i}", f"仓 {i}", WarehouseKind.OWN, None, i)
                        )
                    ).id
                    for i in range(warehouses)
                ]
                yield BenchTenant(db, container, ctx, slug, owner, opened)
            finally:
                if uses_redis:
                    prefix = container.settings.redis_prefix
                    async for key in container.redis.scan_iter(match=prefix + "*", count=500):
                        await container.redis.delete(key)
                await container.aclose()


def numbered_skus(count: int) -> list[uuid.UUID]:
    """SKU ids ``00000000-0000-4000-8000-<100000000000 + i>``: a pgbench script can name
    the i-th as a text over its variables (``bench/_pgbench.py``)."""
    return [uuid.UUID(f"00000000-0000-4000-8000-{NUMBERED + i}") for i in range(count)]


NUMBERED = 100_000_000_000


async def seed_stocked_skus(
    bench: BenchTenant,
    count: int,
    opening: int,
    list_price: Decimal | None = None,
    ids: list[uuid.UUID] | None = None,
) -> list[uuid.UUID]:
    """``count`` SKUs of one product with ``opening`` units each in the first warehouse,
    written as the owner the way a receipt leaves them (the level and its opening ledger
    row agree); priced ``list_price`` when given; ``ids`` when given, else random ones."""
    tenant, warehouse = bench.tenant_id, bench.warehouses[0]
    skus = ids or [uuid.uuid4() for _ in range(count)]
    conn = await asyncpg.connect(bench.admin_url)
    try:
        code = f"BENCH{skus[0].hex[-16:]}"  # another product each call
        product = await insert_product(conn, tenant, code)
        await conn.executemany(
            "INSERT INTO skus (tenant_id, id, product_id, position, code, code_key, list_price)"
            " VALUES ($1, $2, $3, $4, $5, lower($5), $6)",
            [(tenant, sku, product, i, f"{code}-{i}", list_price) for i, sku in enumerate(skus)],
        )
        await conn.executemany(
            "INSERT INTO stock_levels (tenant_id, sku_id, warehouse_id, on_hand)"
            " VALUES ($1, $2, $3, $4)",
            [(tenant, sku, warehouse, opening) for sku in skus],
        )
        await conn.executemany(
            "INSERT INTO stock_ledger (tenant_id, sku_id, warehouse_id, kind, d_on_hand,"
            " source_type, actor) VALUES ($1, $2, $3, 'receipt', $4, 'opening_balance', 'bench')",
            [(tenant, sku, warehouse, opening) for sku in skus],
        )
        await conn.execute("VACUUM ANALYZE stock_levels")
        return skus
    finally:
        await conn.close()


async def insert_product(conn: asyncpg.Connection, tenant_id: uuid.UUID, code: str) -> uuid.UUID:
    """An active physical product ``code`` for benchmark SKUs, written as the owner."""
    product = uuid.uuid4()
    await conn.execute(
        "INSERT INTO products (tenant_id, id, code, code_key, name, kind, lifecycle,"
        " created_at, updated_at) VALUES ($1, $2, $3, lower($3), 'Bench', 'physical',"
        " 'active', now(), now())",
        tenant_id,
        product,
        code,
    )
    return product


def scenarios(skus: list[uuid.UUID], count: int) -> dict[str, list[uuid.UUID]]:
    """The SKU of each of ``count`` calls, for the two contention scenarios: a random SKU
    each time (the same sequence every run), and one hot SKU every caller waits on."""
    rng = random.Random(7)
    return {
        f"many SKUs ({len(skus):,})": [rng.choice(skus) for _ in range(count)],
        "one hot SKU": [skus[0]] * count,
    }
