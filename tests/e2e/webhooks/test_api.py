"""/api/v1/webhooks through HTTP (CHN-3): endpoints with a secret shown once and stored
encrypted, If-Match on changes, webhooks:manage enforced, audit and outbox events with ids
only, and the delivery log with cursor pagination."""

from __future__ import annotations

import base64
import secrets
import uuid
from datetime import UTC, datetime

import httpx
from sqlalchemy import text

from application.shared.messages import PublishedEvent
from application.webhooks.ports import WEBHOOKS
from application.webhooks.service import WebhookService
from bootstrap import Container
from tests.conftest import TenantHandle

ENDPOINTS = "/api/v1/webhooks/endpoints"
DELIVERIES = "/api/v1/webhooks/deliveries"
HOOK = "https://hooks.example.com/shopkeeper?token=receiver-secret"


async def _create(
    client: httpx.AsyncClient, tenant: TenantHandle, **body: object
) -> httpx.Response:
    payload = {"url": HOOK, "eventTypes": ["customer.*", "*"], **body}
    return await client.post(ENDPOINTS, json=payload, headers=await tenant.headers("owner"))


async def test_endpoint_lifecycle(client: httpx.AsyncClient, tenant: TenantHandle) -> None:
    owner = await tenant.headers("owner")
    created = await _create(client, tenant, description="ERP sync")
    assert created.status_code == 201, created.text
    body = created.json()
    secret = body["secret"]
    assert secret.startswith("whsec_")
    assert 24 <= len(base64.b64decode(secret.removeprefix("whsec_"))) <= 32
    endpoint = body["endpoint"]
    assert endpoint["eventTypes"] == ["*", "customer.*"]
    assert endpoint["active"] is True and endpoint["description"] == "ERP sync"
    assert created.headers["etag"] == '"v1"'
    url = f"{ENDPOINTS}/{endpoint['id']}"
    assert created.headers["location"] == url

    # The secret is never shown again.
    listed = await client.get(ENDPOINTS, headers=owner)
    assert listed.status_code == 200 and [e["id"] for e in listed.json()] == [endpoint["id"]]
    shown = await client.get(url, headers=owner)
    assert shown.headers["etag"] == '"v1"'
    assert secret not in listed.text and secret not in shown.text

    # Changes need the version read.
    change = {"eventTypes": ["customer.updated"], "active": False}
    assert (await client.patch(url, json=change, headers=owner)).status_code == 428
    stale = await client.patch(url, json=change, headers={**owner, "If-Match": '"v9"'})
    assert stale.status_code == 412
    changed = await client.patch(url, json=change, headers={**owner, "If-Match": '"v1"'})
    assert changed.status_code == 200, changed.text
    assert changed.json()["eventTypes"] == ["customer.updated"]
    assert changed.json()["active"] is False and changed.headers["etag"] == '"v2"'

    rotated = await client.post(f"{url}/rotate-secret", headers=owner)
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["secret"].startswith("whsec_") and rotated.json()["secret"] != secret
    assert rotated.headers["etag"] == '"v3"'

    assert (await client.delete(url, headers=owner)).status_code == 428
    gone = await client.delete(url, headers={**owner, "If-Match": '"v3"'})
    assert gone.status_code == 204
    assert (await client.get(url, headers=owner)).status_code == 404


async def test_the_secret_is_stored_encrypted(
    client: httpx.AsyncClient, tenant: TenantHandle, container: Container
) -> None:
    created = (await _create(client, tenant)).json()
    secret, endpoint_id = created["secret"], uuid.UUID(created["endpoint"]["id"])
    async with container.platform_engine.connect() as conn:
        stored = await conn.scalar(
            text("SELECT secret_enc FROM webhook_endpoints WHERE tenant_id = :t AND id = :id"),
            {"t": tenant.id, "id": endpoint_id},
        )
    raw = base64.b64decode(secret.removeprefix("whsec_"))
    assert secret.encode() not in stored and raw not in stored
    async with container.uow_factory.for_tenant(tenant.admin_context) as uow:
        assert await uow.of(WEBHOOKS).webhooks.secret_of(endpoint_id) == secret


async def test_an_idempotent_create_replays_the_same_answer(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    headers = {**(await tenant.headers("owner")), "Idempotency-Key": uuid.uuid4().hex}
    body = {"url": HOOK, "eventTypes": ["*"]}
    first = await client.post(ENDPOINTS, json=body, headers=headers)
    second = await client.post(ENDPOINTS, json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.headers.get("idempotent-replayed") == "true"
    assert first.json() == second.json()
    assert len((await client.get(ENDPOINTS, headers=await tenant.headers("owner"))).json()) == 1


async def test_invalid_endpoints_are_refused_with_field_errors(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    for body, code in (
        ({"url": "https://hooks.example.com/", "eventTypes": []}, "required"),
        ({"url": "https://hooks.example.com/", "eventTypes": ["Bad Type"]}, "invalid_event_type"),
        ({"url": "https://u:p@hooks.example.com/", "eventTypes": ["*"]}, "webhook_url_credentials"),
        ({"url": "not a url", "eventTypes": ["*"]}, "invalid_webhook_url"),
        ({"url": "https://192.168.1.20/", "eventTypes": ["*"]}, "webhook_url_forbidden_address"),
    ):
        response = await client.post(
            ENDPOINTS,
            json=body,
            headers={**(await tenant.headers("owner")), "Accept-Language": "en"},
        )
        assert response.status_code == 422, response.text
        assert response.json()["code"] == code
        assert response.headers["content-language"] == "en"


async def test_webhooks_need_the_manage_permission(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    staff = await tenant.headers("customer_service")
    endpoint_id = (await _create(client, tenant)).json()["endpoint"]["id"]
    for method, url in (
        ("GET", ENDPOINTS),
        ("POST", ENDPOINTS),
        ("GET", f"{ENDPOINTS}/{endpoint_id}"),
        ("POST", f"{ENDPOINTS}/{endpoint_id}/rotate-secret"),
        ("GET", DELIVERIES),
    ):
        body = {"url": HOOK, "eventTypes": ["*"]} if method == "POST" else None
        response = await client.request(method, url, json=body, headers=staff)
        assert response.status_code == 403, (method, url, response.text)
    admin = await tenant.headers("admin")
    assert (await client.get(ENDPOINTS, headers=admin)).status_code == 200


async def test_changes_are_audited_without_the_url_and_published_as_ids(
    client: httpx.AsyncClient, tenant: TenantHandle, container: Container
) -> None:
    owner = await tenant.headers("owner")
    endpoint_id = (await _create(client, tenant)).json()["endpoint"]["id"]
    audit = await client.get(
        "/api/v1/audit", params={"entityType": "webhook_endpoint"}, headers=owner
    )
    assert audit.status_code == 200
    assert "webhook_endpoint.create" in audit.text
    assert "receiver-secret" not in audit.text and "hooks.example.com" not in audit.text
    async with container.platform_engine.connect() as conn:
        rows = list(
            await conn.execute(
                text(
                    "SELECT event_type, changed_fields, data FROM outbox"
                    " WHERE tenant_id = :t AND entity_id = :e"
                ),
                {"t": tenant.id, "e": uuid.UUID(endpoint_id)},
            )
        )
    assert [r.event_type for r in rows] == ["webhook_endpoint.created"]
    assert "url" in rows[0].changed_fields and "receiver-secret" not in str(rows[0].data)


async def test_the_delivery_log_pages_and_filters(
    client: httpx.AsyncClient, tenant: TenantHandle, container: Container
) -> None:
    owner = await tenant.headers("owner")
    first = uuid.UUID((await _create(client, tenant)).json()["endpoint"]["id"])
    second = uuid.UUID((await _create(client, tenant)).json()["endpoint"]["id"])
    record = container.get(WebhookService).record_deliveries_for_event
    async with container.uow_factory.for_tenant(tenant.admin_context) as uow:
        for _ in range(3):
            event = PublishedEvent(
                uuid.uuid4(),
                tenant.id,
                "customer.updated",
                "customer",
                uuid.uuid4(),
                ("tags",),
                datetime.now(UTC),
            )
            await record.in_unit_of_work(uow, event)  # not queued: nothing is sent
        await uow.commit()

    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        page = await client.get(DELIVERIES, params=params, headers=owner)
        assert page.status_code == 200, page.text
        seen += [d["id"] for d in page.json()["items"]]
        cursor = page.json()["nextCursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 6

    mine = await client.get(DELIVERIES, params={"endpointId": str(first)}, headers=owner)
    assert {d["endpointId"] for d in mine.json()["items"]} == {str(first)}
    assert len(mine.json()["items"]) == 3
    pending = await client.get(DELIVERIES, params={"status": "pending"}, headers=owner)
    assert len(pending.json()["items"]) == 6
    assert all(d["status"] == "pending" for d in pending.json()["items"])
    dead = await client.get(
        DELIVERIES, params={"status": "dead", "endpointId": str(second)}, headers=owner
    )
    assert dead.json()["items"] == []
    bad = await client.get(DELIVERIES, params={"status": "lost"}, headers=owner)
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_delivery_status"
    junk = await client.get(DELIVERIES, params={"cursor": "junk"}, headers=owner)
    assert junk.status_code == 422
    unknown = await client.get(f"{DELIVERIES}/{uuid.uuid4()}", headers=owner)
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    detail = await client.get(f"{DELIVERIES}/{seen[0]}", headers=owner)
    assert detail.status_code == 200
    assert detail.json()["payload"]["type"] == "customer.updated"
    assert detail.json()["attempts"] == []
    assert secrets.compare_digest(
        detail.json()["delivery"]["webhookId"], f"msg_{detail.json()['delivery']['id']}"
    )
