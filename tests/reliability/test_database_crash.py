"""R3 database crash (PLT-3, INV-2): a project-local PostgreSQL of the test's own is shut
down with ``pg_ctl stop -m immediate`` five times while buyers place orders over HTTP;
after each crash it is started again (recovery from the WAL). Then every order whose
201 a buyer received is there, every stock figure equals its ledger (the inventory
ledger check), and the units reserved are exactly the orders' (nothing half-written).

Crashes: 5 at full scale, 1 in ``make test`` (tests/reliability/figures.py)."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from application.inventory.stock.check import CheckLedger
from bootstrap import Container, build_container
from bootstrap.settings import Settings
from entrypoints.http.app import create_app
from tests.conftest import create_tenant, delete_redis_prefix
from tests.e2e.orders.support import BASE, all_orders, available, order_body, stocked_sku
from tests.reliability.figures import figure, full_scale, scaled
from tests.support.databases import create_migrated_database
from tests.support.private_postgres import PrivatePostgres

CRASHES = scaled(5, 1)
BUYERS = 6
STOCK = 100_000
UP_SECONDS = 2.0 if full_scale() else 1.0  # orders placed between two crashes
DOWN_SECONDS = 0.5  # how long the server stays down before it is started again


@pytest.fixture
async def crashable(
    settings: Settings, tmp_path: Path
) -> AsyncIterator[tuple[PrivatePostgres, Container]]:
    """A migrated database on a server of the test's own, and a container using it."""
    server = PrivatePostgres()
    try:
        await asyncio.to_thread(server.start)
        db = await create_migrated_database("crash", server.admin_url, server.host)
        own = dataclasses.replace(
            settings,
            database_url=db.app_url,
            migration_database_url=db.owner_url,
            platform_database_url=db.platform_url,
            redis_prefix=f"{settings.redis_prefix}crash-{uuid.uuid4().hex[:6]}:",
            keystore=tmp_path / "keystore",
            file_store_dir=tmp_path / "files",
        )
        container = build_container(own)
        try:
            yield server, container
        finally:
            await delete_redis_prefix(container.redis, own.redis_prefix)
            await container.aclose()
    finally:
        await asyncio.to_thread(server.stop)


async def test_acknowledged_orders_survive_immediate_shutdowns_and_stock_equals_its_ledger(
    crashable: tuple[PrivatePostgres, Container],
) -> None:
    server, container = crashable
    transport = httpx.ASGITransport(app=create_app(container), client=("203.0.113.7", 3))
    async with httpx.AsyncClient(transport=transport, base_url="http://r3.test") as client:
        tenant = await create_tenant(container, client)
        owner = await tenant.headers("owner")
        sku = await stocked_sku(client, owner, STOCK, "12.30")
        acknowledged: set[str] = set()
        answers = Counter[str]()
        stop = asyncio.Event()

        async def buyer() -> None:
            while not stop.is_set():
                try:
                    response = await client.post(BASE, json=order_body((sku, 1)), headers=owner)
                except Exception:  # the connection died under the request
                    answers["failed without an answer"] += 1
                    await asyncio.sleep(0.05)
                    continue
                if response.status_code == 201:
                    acknowledged.add(response.json()["id"])
                else:
                    answers[f"{response.status_code}"] += 1
                    await asyncio.sleep(0.05)

        buyers = [asyncio.create_task(buyer()) for _ in range(BUYERS)]
        for _ in range(CRASHES):
            await asyncio.sleep(UP_SECONDS)
            await asyncio.to_thread(server.crash)
            await asyncio.sleep(DOWN_SECONDS)
            await asyncio.to_thread(server.start)
        await asyncio.sleep(UP_SECONDS)  # orders after the last recovery go through again
        stop.set()
        await asyncio.gather(*buyers)

        present = {o["id"] for o in await all_orders(client, owner)}
        reserved = STOCK - await available(client, owner, sku)
        ledger = await container.use_cases.query(tenant.admin_context, CheckLedger())
    figure("R3", "crashes", CRASHES)
    figure("R3", "orders acknowledged", len(acknowledged))
    figure("R3", "refused while down", sum(answers.values()))
    figure("R3", "acknowledged but lost", len(acknowledged - present), 0)
    figure("R3", "figures differing from their ledger", len(ledger), 0)
    figure("R3", "units reserved without an order", reserved - len(present), 0)
    assert acknowledged and not acknowledged - present
    assert ledger == [] and reserved == len(present)
