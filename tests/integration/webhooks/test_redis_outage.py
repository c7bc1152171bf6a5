"""Nothing lost while Redis is down (PLT-3 outbox, CHN-3 webhooks), end to end.

Outbox → relay → worker → webhook against a real (private, throw-away) Redis and a real
HTTP receiver on 127.0.0.1: a tenant registers two endpoints through the API, Redis is
stopped, customers are registered through the API, the worker keeps running and its relay
keeps failing without crashing while every event waits in the outbox; Redis comes back
(same port, empty) and the same worker delivers every event to every endpoint exactly once,
each request verifying with the independent ``standardwebhooks`` package, and the delivery
log records exactly one success per (event, endpoint).
"""

from __future__ import annotations

import dataclasses
import uuid
from collections import Counter
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import text
from standardwebhooks import Webhook
from structlog.testing import capture_logs

from bootstrap import Container, build_container
from bootstrap.settings import Settings
from entrypoints.http.app import create_app
from tests.conftest import TenantHandle
from tests.integration.webhooks.test_delivery import Receiver, receiver
from tests.support.background import (
    all_published,
    eventually,
    queues_idle,
    running_worker,
    set_aside_other_tenants_events,
    unpublished,
)
from tests.support.redis_server import PrivateRedis

__all__ = ["receiver"]

EVENTS = 5
ENDPOINTS = ("first", "second")


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def relay_failures(captured: list[MutableMapping[str, Any]]) -> int:
    """The relay's "broker unavailable" warnings so far (logged from any thread)."""
    return sum(1 for e in list(captured) if e.get("event") == "outbox.broker_unavailable")


async def succeeded(c: Container, tenant_id: UUID, event_ids: list[UUID]) -> int:
    async with c.platform_engine.connect() as conn:
        count = await conn.scalar(
            text(
                "SELECT count(*) FROM webhook_deliveries WHERE tenant_id = :t"
                " AND event_id = ANY(:ids) AND status = 'succeeded'"
            ),
            {"t": tenant_id, "ids": event_ids},
        )
    return int(count or 0)


@pytest.mark.slow
async def test_events_produced_while_redis_is_down_reach_every_endpoint_once_it_is_back(
    settings: Settings,
    tenant: TenantHandle,
    receiver: Receiver,
    redis_server: PrivateRedis,
) -> None:
    private = dataclasses.replace(
        settings,
        webhook_allow_loopback=True,
        webhook_timeout_seconds=3,
        outbox_poll_seconds=0.2,
        redis_url=redis_server.url,
        redis_prefix=f"{settings.redis_prefix}outage-{uuid.uuid4().hex[:6]}:",
    )
    container = build_container(private)
    transport = httpx.ASGITransport(app=create_app(container), client=("203.0.113.7", 1))
    api = httpx.AsyncClient(transport=transport, base_url="http://shopkeeper.test")
    owner = await tenant.headers("owner")  # logs in now, while every Redis is up
    try:
        # A tenant admin registers two endpoints on the local receiver, through the API.
        secrets: dict[str, str] = {}
        endpoints: dict[str, UUID] = {}
        for name in ENDPOINTS:
            response = await api.post(
                "/api/v1/webhooks/endpoints",
                json={"url": f"{receiver.url}&to={name}", "eventTypes": ["customer.*"]},
                headers=owner,
            )
            assert response.status_code == 201, response.text
            endpoints[name] = UUID(response.json()["endpoint"]["id"])
            secrets[name] = response.json()["secret"]

        await set_aside_other_tenants_events(container, tenant.id)
        with capture_logs() as captured:
            async with running_worker(private):
                redis_server.stop()

                # Customers registered through the API while Redis is down.
                customer_ids: list[UUID] = []
                for n in range(EVENTS):
                    response = await api.post(
                        "/api/v1/customers",
                        json={"name": f"Outage {n}", "phone": f"1380013800{n}"},
                        headers=owner,
                    )
                    assert response.status_code == 201, response.text
                    customer_ids.append(UUID(response.json()["id"]))
                async with container.platform_engine.connect() as conn:
                    rows = list(
                        await conn.execute(
                            text(
                                "SELECT id, event_type FROM outbox"
                                " WHERE tenant_id = :t AND entity_id = ANY(:e)"
                            ),
                            {"t": tenant.id, "e": customer_ids},
                        )
                    )
                assert sorted(r.event_type for r in rows) == ["customer.created"] * EVENTS
                event_ids = [r.id for r in rows]

                # The relay neither crashes nor marks anything published.
                assert await container.outbox_relay.relay_pending() == 0
                assert await container.outbox_relay.relay_once() == 0
                backlog = {b.tenant_id: b for b in await container.outbox_relay.backlog()}
                assert backlog[tenant.id].unpublished >= EVENTS
                # ... nor does the worker's own relay loop: it fails twice more and goes on.
                seen = relay_failures(captured)
                await eventually(
                    lambda: relay_failures(captured) >= seen + 2,
                    what="the worker's relay retrying",
                )
                assert await unpublished(container, event_ids) == EVENTS
                assert receiver.received() == []

                # Redis comes back on the same port, empty; the same worker catches up.
                redis_server.start()
                await eventually(
                    lambda: all_published(container, event_ids),
                    seconds=15,
                    what="the worker's relay publishing every event",
                )
                await eventually(
                    lambda: _all_succeeded(container, tenant.id, event_ids),
                    seconds=20,
                    interval=0.1,
                    what="a successful delivery per (event, endpoint)",
                )
                await eventually(lambda: queues_idle(container), what="the queues drained")
    finally:
        await api.aclose()
        redis_server.stop()
        await container.aclose()

    # Every request verifies with its endpoint's secret; each webhook-id arrived once.
    by_id: Counter[str] = Counter()
    reached: dict[str, set[UUID]] = {name: set() for name in ENDPOINTS}
    for request in receiver.received():
        target = request.path.rsplit("to=", 1)[1]
        payload = Webhook(secrets[target]).verify(request.body, request.headers)
        assert payload["type"] == "customer.created"
        by_id[request.headers["webhook-id"]] += 1
        reached[target].add(UUID(payload["data"]["eventId"]))
    assert len(by_id) == len(ENDPOINTS) * EVENTS
    assert set(by_id.values()) == {1}, by_id  # exactly once per (event, endpoint)
    assert reached == {name: set(event_ids) for name in ENDPOINTS}

    # The delivery log: one delivery per (event, endpoint), each with exactly one success.
    async with tenant.container.platform_engine.connect() as conn:
        log = list(
            await conn.execute(
                text(
                    "SELECT d.id, d.endpoint_id, d.event_id, d.status,"
                    " count(a.*) FILTER (WHERE a.succeeded) AS successes"
                    " FROM webhook_deliveries d LEFT JOIN webhook_attempts a"
                    " ON a.tenant_id = d.tenant_id AND a.delivery_id = d.id"
                    " WHERE d.tenant_id = :t AND d.event_id = ANY(:ids)"
                    " GROUP BY d.id, d.endpoint_id, d.event_id, d.status"
                ),
                {"t": tenant.id, "ids": event_ids},
            )
        )
    assert len(log) == len(ENDPOINTS) * EVENTS
    assert {(r.endpoint_id, r.event_id) for r in log} == {
        (endpoint, event) for endpoint in endpoints.values() for event in event_ids
    }
    assert all(r.status == "succeeded" and r.successes == 1 for r in log), log
    assert {f"msg_{r.id}" for r in log} == set(by_id)


async def _all_succeeded(c: Container, tenant_id: UUID, ids: list[UUID]) -> bool:
    return await succeeded(c, tenant_id, ids) == len(ENDPOINTS) * len(ids)
