"""R7 pool leakage (PLT-1): requests of 50 tenants interleaved through a small connection
pool, with errors injected in the middle of their transactions (an exception after the
insert, a failing statement after the insert) → no request sees another tenant's row,
no transaction runs under another tenant's setting, no failed insert survives, and no
pooled connection is left holding a tenant.

10,000 requests at full scale; 200 requests of 5 tenants in ``make test``
(tests/reliability/figures.py)."""

from __future__ import annotations

import asyncio
import itertools
import random
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import text

import bootstrap.container as wiring
from adapters.postgres.customers.repository import PostgresCustomerRepository
from adapters.postgres.shared.engine import create_engine
from bootstrap import build_container
from bootstrap.settings import Settings
from domain.customers.customer import Customer
from entrypoints.http.app import create_app
from tests.conftest import TenantFactory
from tests.reliability.figures import figure, scaled

REQUESTS = scaled(10_000, 200)
TENANTS = scaled(50, 5)
POOL = 3  # connections of each engine: far fewer than the requests in flight
IN_FLIGHT = 24
FAIL_RAISE, FAIL_STATEMENT = "注入-raise", "注入-statement"
BASE = "/api/v1/customers"


@pytest.fixture
async def small_pool_client(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    """The real app on a container whose engines hold ``POOL`` connections each."""
    monkeypatch.setattr(
        wiring, "create_engine", lambda url, **_: create_engine(url, pool_size=POOL, max_overflow=0)
    )
    container = build_container(settings)
    transport = httpx.ASGITransport(app=create_app(container), client=("203.0.113.7", 7))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://r7.test") as client:
            yield client, container
    finally:
        await container.aclose()


async def test_interleaved_tenants_with_failing_transactions_never_see_each_other(
    new_tenant: TenantFactory,
    small_pool_client: tuple[httpx.AsyncClient, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, container = small_pool_client
    tenants = [await new_tenant() for _ in range(TENANTS)]
    headers = {t.id: await t.headers("owner") for t in tenants}
    wrong_setting = Counter[str]()
    original_add = PostgresCustomerRepository.add

    async def add_then_fail(self: PostgresCustomerRepository, customer: Customer) -> None:
        await original_add(self, customer)
        setting = await self._conn.scalar(text("SELECT current_setting('app.tenant_id', true)"))
        wrong_setting["checked"] += 1
        wrong_setting["wrong"] += setting != str(self._tenant_id)
        if customer.profile.name == FAIL_RAISE:
            raise RuntimeError("injected in the middle of the transaction")
        if customer.profile.name == FAIL_STATEMENT:
            await self._conn.execute(text("SELECT 1 / 0"))

    monkeypatch.setattr(PostgresCustomerRepository, "add", add_then_fail)
    owner: dict[str, uuid.UUID] = {}  # every customer created, by id: its tenant
    failed_names: set[str] = set()
    seen = Counter[str]()
    gate = asyncio.Semaphore(IN_FLIGHT)
    draw = random.Random(20261207)
    order = list(itertools.islice(itertools.cycle(tenants), REQUESTS))
    draw.shuffle(order)

    async def request(n: int, tenant_id: uuid.UUID) -> None:
        kind = draw.choices(["list", "create", FAIL_RAISE, FAIL_STATEMENT], [60, 25, 8, 7])[0]
        async with gate:
            if kind == "list":
                response = await client.get(BASE, params={"limit": 200}, headers=headers[tenant_id])
                assert response.status_code == 200, response.text
                ids = {item["id"] for item in response.json()["items"]}
                seen["rows read"] += len(ids)
                seen["cross-tenant rows"] += sum(owner.get(i, tenant_id) != tenant_id for i in ids)
                seen["rows of failed requests"] += sum(
                    item["name"] in failed_names for item in response.json()["items"]
                )
                return
            name = kind if kind != "create" else f"顾客 {n}"
            body = {"name": name, "phone": f"138{n:08d}"}
            response = await client.post(BASE, json=body, headers=headers[tenant_id])
            if kind == "create":
                assert response.status_code == 201, response.text
                owner[response.json()["id"]] = tenant_id
            else:
                failed_names.add(name)
                seen["injected errors"] += 1
                seen["injected errors answered 2xx"] += response.status_code < 300

    await asyncio.gather(*(request(n, t.id) for n, t in enumerate(order)))

    async def left_with_a_tenant() -> bool:
        async with container.app_engine.connect() as conn:
            await asyncio.sleep(0.05)  # hold it, so the others are handed out too
            return bool(await conn.scalar(text("SELECT current_setting('app.tenant_id', true)")))

    leftovers = sum(await asyncio.gather(*(left_with_a_tenant() for _ in range(POOL))))
    figure("R7", "requests", REQUESTS)
    figure("R7", "tenants", TENANTS)
    figure("R7", "injected errors", seen["injected errors"])
    figure("R7", "rows read", seen["rows read"])
    figure("R7", "cross-tenant rows", seen["cross-tenant rows"], 0)
    figure("R7", "rows of failed requests", seen["rows of failed requests"], 0)
    figure("R7", "transactions under another tenant", wrong_setting["wrong"], 0)
    figure("R7", "pooled connections left with a tenant", leftovers, 0)
    figure("R7", "injected errors answered 2xx", seen["injected errors answered 2xx"], 0)
    assert seen["cross-tenant rows"] == 0 and seen["rows of failed requests"] == 0
    assert wrong_setting["wrong"] == 0 and wrong_setting["checked"] > 0
    assert leftovers == 0 and seen["injected errors answered 2xx"] == 0
