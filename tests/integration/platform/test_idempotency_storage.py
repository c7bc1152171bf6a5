"""Stored idempotent responses are encrypted at rest (PLT-4): a created customer's response
holds personal data and a created API key's response holds its one-time secret."""

from __future__ import annotations

import uuid

import asyncpg
import httpx
import pytest

from application.shared.idempotency import IdempotencyScope, StoredResponse
from domain.shared.audit import AuditEntry
from domain.shared.errors import Conflict
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


async def test_a_stored_response_that_does_not_decrypt_is_a_409_not_a_500(
    tenant: TenantHandle, client: httpx.AsyncClient, database: TestDatabase
) -> None:
    """#9, item 7: the replay cannot be read back (altered, or its key gone): the caller is
    told so, the request is not run again, and the event is audited."""
    owner = {**(await tenant.headers("owner")), "Accept-Language": "en"}
    keyed = {**owner, "Idempotency-Key": uuid.uuid4().hex}
    first = await client.post("/api/v1/catalog/brands", json={"name": "甲"}, headers=keyed)
    assert first.status_code == 201, first.text
    conn = await asyncpg.connect(database.owner_url)
    try:  # flip one byte of the ciphertext: authentication fails
        await conn.execute(
            "UPDATE idempotency_keys SET body = overlay(body placing"
            " decode(lpad(to_hex(get_byte(body, 20) # 1), 2, '0'), 'hex') from 21 for 1)"
            " WHERE tenant_id = $1",
            tenant.id,
        )
    finally:
        await conn.close()
    again = await client.post("/api/v1/catalog/brands", json={"name": "甲"}, headers=keyed)
    assert again.status_code == 409, again.text
    assert again.json()["code"] == "idempotency_response_unreadable"
    brands = await client.get("/api/v1/catalog/brands", headers=owner)
    assert len(brands.json()["items"]) == 1  # not created twice
    audit = await client.get(
        "/api/v1/audit", params={"action": "personal_data.unreadable"}, headers=owner
    )
    records = audit.json()["items"]
    assert [(r["entityType"], r["detail"]["field"]) for r in records] == [
        ("idempotency_key", "idempotency.response")
    ]


async def test_an_answer_stored_since_the_claim_is_never_overwritten(
    tenant: TenantHandle, database: TestDatabase
) -> None:
    """Decision 97: the claim is one statement, so its read may miss an answer committed
    just before its advisory lock was granted. Storing over that live answer is refused —
    409, the request's work rolled back — and the first answer stays; an expired one is
    replaced."""
    scope = IdempotencyScope("user:pytest", "POST", "/api/v1/catalog/brands", uuid.uuid4().hex)
    first = StoredResponse(b"hash", 201, b'{"n": 1}', {"etag": '"v1"'})
    ctx, factory = tenant.admin_context, tenant.container.uow_factory
    async with factory.for_tenant(ctx) as uow:
        assert await uow.idempotency.claim(scope, b"hash") is None
        await uow.idempotency.complete(scope, first)
        await uow.commit()
    late = StoredResponse(b"hash", 201, b"{}", {})
    async with factory.for_tenant(ctx) as uow:  # as a request whose claim read nothing
        await uow.idempotency.complete(scope, late)
        with pytest.raises(Conflict) as refused:
            await uow.commit()  # the answer written alone
    assert refused.value.code == "idempotency_in_flight"
    async with factory.for_tenant(ctx) as uow:  # with the command's records and events
        await uow.idempotency.complete(scope, late)
        with pytest.raises(Conflict) as refused:
            await uow.write_changes([AuditEntry("brand.create", "brand", None)], [])
    assert refused.value.code == "idempotency_in_flight"
    async with factory.for_tenant(ctx) as uow:
        assert await uow.idempotency.claim(scope, b"hash") == first

    conn = await asyncpg.connect(database.owner_url)
    try:  # a day later: the answer has expired, and the key may be used again
        await conn.execute(
            "UPDATE idempotency_keys SET expires_at = now() - interval '1 second'"
            " WHERE tenant_id = $1",
            tenant.id,
        )
    finally:
        await conn.close()
    again = StoredResponse(b"other", 201, b'{"n": 2}', {})
    async with factory.for_tenant(ctx) as uow:
        assert await uow.idempotency.claim(scope, b"other") is None
        await uow.idempotency.complete(scope, again)
        await uow.commit()
    async with factory.for_tenant(ctx) as uow:
        assert await uow.idempotency.claim(scope, b"other") == again
