"""Stored idempotent responses are encrypted at rest (PLT-4): a created customer's response
holds personal data and a created API key's response holds its one-time secret."""

from __future__ import annotations

import uuid

import asyncpg
import httpx

from tests.conftest import TenantHandle
from tests.support.databases import TestDatabase


async def test_stored_responses_hold_no_plaintext(
    tenant: TenantHandle, client: httpx.AsyncClient, database: TestDatabase
) -> None:
    owner = await tenant.headers("owner")
    customer = await client.post(
        "/api/v1/customers",
        json={"name": "欧阳修", "phone": "13611112222"},
        headers={**owner, "Idempotency-Key": uuid.uuid4().hex},
    )
    key = await client.post(
        "/api/v1/api-keys",
        json={"name": "sync", "permissions": []},
        headers={**owner, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert customer.status_code == key.status_code == 201
    secret = key.json()["key"].rsplit("_", 1)[-1]

    conn = await asyncpg.connect(database.owner_url)
    try:
        bodies = [
            bytes(r["body"])
            for r in await conn.fetch(
                "SELECT body FROM idempotency_keys WHERE tenant_id = $1", tenant.id
            )
        ]
    finally:
        await conn.close()
    assert len(bodies) == 2
    stored = b"".join(bodies)
    for plaintext in ("欧阳修", "13611112222", secret):
        assert plaintext.encode() not in stored
