"""Idempotency-Key on POST /api/v1/customers (docs/architecture.md, "nothing lost").

Replay identical → the first response with ``Idempotent-Replayed: true``; same key with
another body → 422; a duplicate while the first is still in its transaction → 409. The
concurrency is made deterministic with a hook that holds the first request inside its
transaction until the test lets it go (events, no sleeps).
"""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest

from adapters.postgres.customers.repository import PostgresCustomerRepository
from domain.customers.customer import Customer
from tests.conftest import TenantHandle

BASE = "/api/v1/customers"
BODY = {"name": "诸葛亮", "phone": "13700001234", "tags": ["vip"]}


async def _count(client: httpx.AsyncClient, headers: dict[str, str]) -> int:
    return len((await client.get(BASE, headers=headers)).json()["items"])


async def test_replay_returns_the_first_response(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    headers = {**(await tenant.headers("customer_service")), "Idempotency-Key": uuid.uuid4().hex}
    first = await client.post(BASE, json=BODY, headers=headers)
    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers
    again = await client.post(BASE, json=BODY, headers=headers)
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["location"] == first.headers["location"]
    assert await _count(client, headers) == 1
    audit = await client.get(
        "/api/v1/audit", params={"action": "customer.create"}, headers=await tenant.headers("owner")
    )
    assert len(audit.json()["items"]) == 1


async def test_same_key_with_another_body_is_422(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    headers = {**(await tenant.headers("owner")), "Idempotency-Key": uuid.uuid4().hex}
    assert (await client.post(BASE, json=BODY, headers=headers)).status_code == 201
    other = await client.post(BASE, json={**BODY, "name": "司马懿"}, headers=headers)
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert await _count(client, headers) == 1


async def test_a_failed_request_does_not_use_up_its_key(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    headers = {**(await tenant.headers("owner")), "Idempotency-Key": uuid.uuid4().hex}
    invalid = await client.post(BASE, json={**BODY, "phone": "12"}, headers=headers)
    assert invalid.status_code == 422
    # The failed transaction rolled back with its claim, so the corrected retry runs.
    fixed = await client.post(BASE, json={**BODY, "phone": "13700001234"}, headers=headers)
    assert fixed.status_code == 201 and "idempotent-replayed" not in fixed.headers


async def test_a_concurrent_duplicate_is_409(
    tenant: TenantHandle, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = {**(await tenant.headers("owner")), "Idempotency-Key": uuid.uuid4().hex}
    inside, release = asyncio.Event(), asyncio.Event()
    original_add = PostgresCustomerRepository.add

    async def held_add(self: PostgresCustomerRepository, customer: Customer) -> None:
        # The first request has claimed its key and is inside its transaction: hold it.
        inside.set()
        await release.wait()
        await original_add(self, customer)

    monkeypatch.setattr(PostgresCustomerRepository, "add", held_add)
    first = asyncio.create_task(client.post(BASE, json=BODY, headers=headers))
    try:
        await asyncio.wait_for(inside.wait(), timeout=30)
        duplicate = await client.post(BASE, json=BODY, headers=headers)
        assert duplicate.status_code == 409, duplicate.text
        assert duplicate.json()["code"] == "idempotency_in_flight"
    finally:
        release.set()
        response = await first
    monkeypatch.undo()
    assert response.status_code == 201, response.text
    replay = await client.post(BASE, json=BODY, headers=headers)
    assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == "true"
    assert replay.json()["id"] == response.json()["id"]
    assert await _count(client, headers) == 1
