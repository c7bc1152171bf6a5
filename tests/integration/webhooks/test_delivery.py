"""Webhook deliveries against the real Postgres and a REAL local HTTP receiver (CHN-3).

The receiver is a threaded ``http.server`` on 127.0.0.1 that verifies nothing itself: it
records each request, and the tests verify every one with the independent
``standardwebhooks`` package. Loopback is allowed through a container built with
``webhook_allow_loopback=True``; the SSRF tests use a sender with it off.

The use cases run directly here (with a fake clock, a fixed jitter draw and a recording
task queue), so retries and leases are deterministic; the last tests run the whole chain
through a real worker: outbox → relay → dispatcher → fan-out → ``webhooks.deliver``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import ipaddress
import json
import secrets
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import text
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError
from structlog.testing import capture_logs

from adapters.postgres.webhooks.repository import PostgresStalledDeliveries
from adapters.webhooks import sender as sender_module
from adapters.webhooks.sender import HttpWebhookSender
from application.shared.context import Actor, ActorKind, CallContext
from application.shared.messages import PublishedEvent
from application.webhooks.common import DELIVER_TASK
from application.webhooks.ports import WEBHOOKS
from application.webhooks.service import WebhookService
from bootstrap import Container, build_container
from bootstrap.settings import Settings
from domain.identity.permissions import ALL_PERMISSIONS
from domain.webhooks.delivery import ClaimRefusal, DeliveryStatus
from domain.webhooks.destination import IPAddress
from domain.webhooks.endpoint import WebhookEndpoint
from domain.webhooks.retry import RetryPolicy
from domain.webhooks.signature import new_secret
from entrypoints.http.app import create_app
from tests.conftest import TenantHandle
from tests.e2e.orders.support import order_body, stocked_sku
from tests.fakes.clock import FakeClock
from tests.support.background import eventually, running_worker, set_aside_other_tenants_events

CUSTOMER = {"name": "王小明", "phone": "13800138000", "email": "wang@example.com"}


# ---- a real receiver -------------------------------------------------------------------
@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Answers each POST with the next scripted status (then ``default``). Requests whose
    index is in ``hold`` wait for ``release`` (a barrier, not a sleep)."""

    script: list[int] = field(default_factory=list)
    default: int = 200
    hold: set[int] = field(default_factory=set)
    release: threading.Event = field(default_factory=threading.Event)
    holding: threading.Event = field(default_factory=threading.Event)
    requests: list[Received] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("content-length", "0"))
        body = request.rfile.read(length)
        with self._lock:
            index = len(self.requests)
            self.requests.append(
                Received(request.path, {k.lower(): v for k, v in request.headers.items()}, body)
            )
            status = self.script.pop(0) if self.script else self.default
        if index in self.hold:
            self.holding.set()
            self.release.wait(15)
        try:
            request.send_response(status)
            request.send_header("content-type", "text/plain")
            request.end_headers()
            request.wfile.write(b"receiver says: this body is never stored")
        except OSError:
            pass  # the sender is gone (a killed worker)

    @property
    def port(self) -> int:
        assert self.server is not None
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/shop?source=shopkeeper"

    def received(self) -> list[Received]:
        with self._lock:
            return list(self.requests)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            state.handle(self)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.server = server
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()


# ---- the service under test, deterministic -------------------------------------------
class RecordingQueue:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, str], str | None, int]] = []

    async def enqueue(
        self,
        task: str,
        payload: dict[str, str],
        *,
        message_id: str | None = None,
        delay_ms: int = 0,
    ) -> None:
        self.sent.append((task, dict(payload), message_id, delay_ms))


class FixedDraw:
    def random(self) -> float:
        return 0.5

    def token_bytes(self, n: int) -> bytes:
        return secrets.token_bytes(n)


class Ids:
    def new_id(self) -> UUID:
        return uuid.uuid4()


@dataclass
class Harness:
    service: WebhookService
    clock: FakeClock
    queue: RecordingQueue
    container: Container


def harness(
    c: Container,
    *,
    allow_loopback: bool = True,
    max_attempts: int = 3,
    lease: timedelta | None = None,
    timeout: float = 5.0,
) -> Harness:
    clock, queue = FakeClock(datetime.now(UTC)), RecordingQueue()
    service = WebhookService(
        c.uow_factory,
        c.runner,
        queue,
        HttpWebhookSender(allow_loopback=allow_loopback, timeout_seconds=timeout),
        PostgresStalledDeliveries(c.platform_engine),
        clock,
        Ids(),
        FixedDraw(),
        policy=RetryPolicy(max_attempts=max_attempts, base_seconds=2, cap_seconds=8),
        timeout_seconds=timeout,
        lease=lease,
    )
    return Harness(service, clock, queue, c)


@pytest.fixture(scope="module")
async def loopback_settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, webhook_allow_loopback=True)


@pytest.fixture(scope="module")
async def loopback_container(loopback_settings: Settings) -> AsyncIterator[Container]:
    services = build_container(loopback_settings)
    yield services
    await services.aclose()


@pytest.fixture(scope="module")
async def api(loopback_container: Container) -> AsyncIterator[httpx.AsyncClient]:
    """The real app, built on the loopback-allowing container (the dev setting)."""
    transport = httpx.ASGITransport(app=create_app(loopback_container), client=("203.0.113.7", 1))
    async with httpx.AsyncClient(transport=transport, base_url="http://shopkeeper.test") as c:
        yield c


@pytest.fixture
def hooks(loopback_container: Container) -> Harness:
    return harness(loopback_container)


# ---- helpers ---------------------------------------------------------------------------
async def register(
    api: httpx.AsyncClient, tenant: TenantHandle, url: str, types: list[str] | None = None
) -> tuple[UUID, str]:
    response = await api.post(
        "/api/v1/webhooks/endpoints",
        json={"url": url, "eventTypes": types or ["customer.*"], "description": "ERP"},
        headers=await tenant.headers("owner"),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return UUID(body["endpoint"]["id"]), body["secret"]


async def customer_event(api: httpx.AsyncClient, tenant: TenantHandle) -> tuple[UUID, UUID]:
    """A customer registered through the API: its id and its outbox event's id."""
    response = await api.post(
        "/api/v1/customers", json=CUSTOMER, headers=await tenant.headers("owner")
    )
    assert response.status_code == 201, response.text
    customer_id = UUID(response.json()["id"])
    async with tenant.container.platform_engine.connect() as conn:
        event_id = await conn.scalar(
            text("SELECT id FROM outbox WHERE tenant_id = :t AND entity_id = :e"),
            {"t": tenant.id, "e": customer_id},
        )
    assert event_id is not None
    return customer_id, event_id


async def attempts(c: Container, tenant_id: UUID, delivery_id: UUID) -> list[Any]:
    async with c.platform_engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT series, attempt, status_code, error, succeeded, duration_ms"
                " FROM webhook_attempts WHERE tenant_id = :t AND delivery_id = :d"
                " ORDER BY attempted_at, attempt"
            ),
            {"t": tenant_id, "d": delivery_id},
        )
        return list(rows)


def verify_all(secret: str, requests: list[Received]) -> list[dict[str, Any]]:
    """Every request verifies with the independent implementation."""
    return [Webhook(secret).verify(r.body, r.headers) for r in requests]


async def until_due(h: Harness, tenant_id: UUID, delivery_id: UUID) -> None:
    async with h.container.platform_engine.connect() as conn:
        due = await conn.scalar(
            text("SELECT next_attempt_at FROM webhook_deliveries WHERE tenant_id = :t AND id = :d"),
            {"t": tenant_id, "d": delivery_id},
        )
    if due is not None and due > h.clock.now():
        h.clock.current = due


# ---- retries, success, dead letters, replay -----------------------------------------
async def test_500_twice_then_200_is_three_signed_attempts_and_one_success(
    api: httpx.AsyncClient, tenant: TenantHandle, receiver: Receiver, hooks: Harness
) -> None:
    receiver.script = [500, 500, 200]
    endpoint_id, secret = await register(api, tenant, receiver.url)
    customer_id, event_id = await customer_event(api, tenant)

    delivery_ids = await hooks.service.record_deliveries_for_event(tenant.id, event_id)
    assert len(delivery_ids) == 1
    delivery_id = delivery_ids[0]
    assert [m[0] for m in hooks.queue.sent] == [DELIVER_TASK]
    assert hooks.queue.sent[0][1]["delivery_id"] == str(delivery_id)

    reports = []
    for _ in range(3):
        await until_due(hooks, tenant.id, delivery_id)
        reports.append(await hooks.service.deliver(tenant.id, delivery_id))
        hooks.clock.advance(seconds=1)  # the next attempt's timestamp differs even at once
    assert [r.result.status_code for r in reports if r.result] == [500, 500, 200]
    assert [r.status for r in reports] == [
        DeliveryStatus.PENDING,
        DeliveryStatus.PENDING,
        DeliveryStatus.SUCCEEDED,
    ]
    # Each failure queued the next attempt with its backoff as the delay.
    delays = [m[3] for m in hooks.queue.sent[1:]]
    assert len(delays) == 2 and all(d >= 1000 for d in delays)

    requests = receiver.received()
    payloads = verify_all(secret, requests)
    assert len(requests) == 3
    assert {r.headers["webhook-id"] for r in requests} == {f"msg_{delivery_id}"}
    assert len({r.headers["webhook-timestamp"] for r in requests}) == 3
    assert len({r.headers["webhook-signature"] for r in requests}) == 3
    assert len({r.body for r in requests}) == 1  # the same bytes every time
    assert all(r.headers["content-type"] == "application/json" for r in requests)
    assert all(r.path == "/hooks/shop?source=shopkeeper" for r in requests)
    assert all(r.headers["host"] == f"127.0.0.1:{receiver.port}" for r in requests)
    assert payloads[0]["type"] == "customer.created"
    assert payloads[0]["data"]["entityId"] == str(customer_id)
    assert payloads[0]["data"]["eventId"] == str(event_id)
    assert "phone" in payloads[0]["data"]["changedFields"]
    for personal in ("王小明", "13800138000", "wang@example.com"):  # ids and field names only
        assert personal.encode() not in requests[0].body
    tampered = requests[0].body.replace(b"customer.created", b"customer.erased")
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(tampered, requests[0].headers)

    log = await attempts(hooks.container, tenant.id, delivery_id)
    assert [(a.attempt, a.status_code, a.succeeded) for a in log] == [
        (1, 500, False),
        (2, 500, False),
        (3, 200, True),
    ]
    assert all(a.error in (None, "unexpected_status") for a in log)

    # Once succeeded, a further attempt (a duplicate message) does nothing at all.
    again = await hooks.service.deliver(tenant.id, delivery_id)
    assert again.refusal is ClaimRefusal.FINISHED and not again.attempted
    assert len(receiver.received()) == 3

    # The API shows the same story, without any response body or secret.
    detail = await api.get(
        f"/api/v1/webhooks/deliveries/{delivery_id}", headers=await tenant.headers("owner")
    )
    assert detail.status_code == 200, detail.text
    shown = detail.json()
    assert shown["delivery"]["status"] == "succeeded"
    assert shown["delivery"]["webhookId"] == f"msg_{delivery_id}"
    assert shown["delivery"]["endpointId"] == str(endpoint_id)
    assert [a["statusCode"] for a in shown["attempts"]] == [500, 500, 200]
    assert "never stored" not in detail.text and secret not in detail.text


async def test_max_attempts_dead_letters_and_replay_sends_it_again_under_the_same_id(
    api: httpx.AsyncClient, tenant: TenantHandle, receiver: Receiver, hooks: Harness
) -> None:
    receiver.script = [503, 503, 503]
    _, secret = await register(api, tenant, receiver.url)
    _, event_id = await customer_event(api, tenant)
    [delivery_id] = await hooks.service.record_deliveries_for_event(tenant.id, event_id)
    for _ in range(3):
        await until_due(hooks, tenant.id, delivery_id)
        await hooks.service.deliver(tenant.id, delivery_id)
        hooks.clock.advance(seconds=1)

    owner = await tenant.headers("owner")
    dead = await api.get("/api/v1/webhooks/deliveries", params={"status": "dead"}, headers=owner)
    assert dead.status_code == 200, dead.text
    [row] = dead.json()["items"]
    assert row["id"] == str(delivery_id) and row["attemptCount"] == 3
    assert row["lastStatusCode"] == 503 and row["nextAttemptAt"] is None
    after_dead = await hooks.service.deliver(tenant.id, delivery_id)
    assert after_dead.refusal is ClaimRefusal.FINISHED

    replay = await api.post(f"/api/v1/webhooks/deliveries/{delivery_id}/replay", headers=owner)
    assert replay.status_code == 202, replay.text
    assert replay.json()["status"] == "pending" and replay.json()["series"] == 2
    again = await api.post(f"/api/v1/webhooks/deliveries/{delivery_id}/replay", headers=owner)
    assert again.status_code == 409 and again.json()["code"] == "webhook_delivery_pending"

    report = await hooks.service.deliver(tenant.id, delivery_id, series=2, attempt=1)
    assert report.status is DeliveryStatus.SUCCEEDED
    requests = receiver.received()
    verify_all(secret, requests)
    assert len(requests) == 4
    assert {r.headers["webhook-id"] for r in requests} == {f"msg_{delivery_id}"}
    log = await attempts(hooks.container, tenant.id, delivery_id)
    assert [(a.series, a.attempt, a.succeeded) for a in log] == [
        (1, 1, False),
        (1, 2, False),
        (1, 3, False),
        (2, 1, True),
    ]
    # A stale message from the first series is dropped.
    stale = await hooks.service.deliver(tenant.id, delivery_id, series=1, attempt=3)
    assert stale.refusal is ClaimRefusal.FINISHED


async def test_410_gone_kills_the_delivery_and_deactivates_the_endpoint(
    api: httpx.AsyncClient, tenant: TenantHandle, receiver: Receiver, hooks: Harness
) -> None:
    receiver.script = [410]
    endpoint_id, _ = await register(api, tenant, receiver.url)
    _, event_id = await customer_event(api, tenant)
    [delivery_id] = await hooks.service.record_deliveries_for_event(tenant.id, event_id)
    report = await hooks.service.deliver(tenant.id, delivery_id)
    assert report.status is DeliveryStatus.DEAD
    owner = await tenant.headers("owner")
    endpoint = (await api.get(f"/api/v1/webhooks/endpoints/{endpoint_id}", headers=owner)).json()
    assert endpoint["active"] is False and endpoint["version"] == 2
    audit = await api.get(
        "/api/v1/audit", params={"action": "webhook_endpoint.deactivate"}, headers=owner
    )
    assert audit.status_code == 200 and str(endpoint_id) in audit.text
    # An inactive endpoint gets no new deliveries, and its replays are refused.
    _, second_event = await customer_event(api, tenant)
    assert await hooks.service.record_deliveries_for_event(tenant.id, second_event) == []
    replay = await api.post(f"/api/v1/webhooks/deliveries/{delivery_id}/replay", headers=owner)
    assert replay.status_code == 409 and replay.json()["code"] == "webhook_endpoint_inactive"


async def test_a_paused_endpoint_kills_its_pending_delivery_without_sending(
    api: httpx.AsyncClient, tenant: TenantHandle, receiver: Receiver, hooks: Harness
) -> None:
    endpoint_id, _ = await register(api, tenant, receiver.url)
    _, event_id = await customer_event(api, tenant)
    [delivery_id] = await hooks.service.record_deliveries_for_event(tenant.id, event_id)
    owner = await tenant.headers("owner")
    paused = await api.patch(
        f"/api/v1/webhooks/endpoints/{endpoint_id}",
        json={"active": False},
        headers={**owner, "If-Match": '"v1"'},
    )
    assert paused.status_code == 200, paused.text
    report = await hooks.service.deliver(tenant.id, delivery_id)
    assert report.status is DeliveryStatus.DEAD
    assert receiver.received() == []
    [attempt] = await attempts(hooks.container, tenant.id, delivery_id)
    assert attempt.error == "endpoint_inactive" and attempt.status_code is None


# ---- fan-out ---------------------------------------------------------------------------
async def test_fan_out_is_one_delivery_per_subscribed_active_endpoint_and_idempotent(
    api: httpx.AsyncClient, tenant: TenantHandle, receiver: Receiver, hooks: Harness
) -> None:
    everything, _ = await register(api, tenant, receiver.url, ["*"])
    customers, _ = await register(api, tenant, receiver.url, ["customer.created"])
    await register(api, tenant, receiver.url, ["order.*"])  # not subscribed
    paused, _ = await register(api, tenant, receiver.url, ["*"])
    await api.patch(
        f"/api/v1/webhooks/endpoints/{paused}",
        json={"active": False},
        headers={**(await tenant.headers("owner")), "If-Match": '"v1"'},
    )
    _, event_id = await customer_event(api, tenant)

    first = await hooks.service.record_deliveries_for_event(tenant.id, event_id)
    second = await hooks.service.record_deliveries_for_event(tenant.id, event_id)
    assert sorted(first) == sorted(second) and len(first) == 2
    async with hooks.container.platform_engine.connect() as conn:
        endpoints = set(
            await conn.scalars(
                text(
                    "SELECT endpoint_id FROM webhook_deliveries"
                    " WHERE tenant_id = :t AND event_id = :e"
                ),
                {"t": tenant.id, "e": event_id},
            )
        )
    assert endpoints == {everything, customers}
    # The second run queued the still-pending deliveries again (a crash between commit
    # and enqueue is repaired); duplicates are harmless because attempts are claimed.
    assert len(hooks.queue.sent) == 4
    assert len({m[2] for m in hooks.queue.sent}) == 4  # every message id is unique
    assert await hooks.service.record_deliveries_for_event(tenant.id, uuid.uuid4()) == []


# ---- an order's status change (ORD-7) --------------------------------------------------
PRIVATE_RECEIVER = {
    "name": "欧阳收件人",
    "phone": "13711112222",
    "address": {
        "province": "浙江省",
        "city": "湖州市",
        "district": "吴兴区",
        "line": "私密路 88 号",
    },
}


async def test_ord7_an_orders_status_change_reaches_a_subscribed_endpoint_without_personal_data(
    api: httpx.AsyncClient, tenant: TenantHandle, receiver: Receiver, hooks: Harness
) -> None:
    """ORD-7, CHN-3, PLT-4: a payment moves an order to awaiting review; an endpoint
    subscribed to the status-change notification (``notification.order.status_changed``,
    what ``tell_concerned`` sends to webhooks) and to the order's own status event
    (``order.status_changed``) receives signed deliveries naming the order — its number,
    new status and id — and never the receiver's name, phone or address."""
    types = ["notification.order.status_changed", "order.status_changed"]
    _, secret = await register(api, tenant, receiver.url, types)
    owner = await tenant.headers("owner")
    sku = await stocked_sku(api, owner, 5, "10.00")
    placed = await api.post(
        "/api/v1/orders", json=order_body((sku, 1), receiver=PRIVATE_RECEIVER), headers=owner
    )
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["receiver"]["name"] == PRIVATE_RECEIVER["name"]
    paid = await api.post(
        f"/api/v1/orders/{order['id']}/payments",
        json={"method": "cash", "amount": "10.00"},
        headers=owner,
    )
    assert paid.status_code == 201 and paid.json()["status"] == "awaiting_review", paid.text

    async with hooks.container.platform_engine.connect() as conn:
        events = list(
            await conn.scalars(
                text(
                    "SELECT id FROM outbox WHERE tenant_id = :t AND event_type = ANY(:types)"
                    " ORDER BY occurred_at, id"
                ),
                {"t": tenant.id, "types": types},
            )
        )
    assert events  # the change is published for webhooks
    for event_id in events:
        for delivery_id in await hooks.service.record_deliveries_for_event(tenant.id, event_id):
            report = await hooks.service.deliver(tenant.id, delivery_id)
            assert report.status is DeliveryStatus.SUCCEEDED

    requests = receiver.received()
    payloads = verify_all(secret, requests)
    assert len(requests) == len(events)
    (told,) = [p for p in payloads if p["type"] == "notification.order.status_changed"]
    details = told["data"]["details"]
    assert details["orderNumber"] == order["number"]
    assert details["status"] == "awaiting_review"
    assert details["link"] == f"/orders/{order['id']}"
    changes = [p["data"] for p in payloads if p["type"] == "order.status_changed"]
    assert changes and all(c["entityId"] == order["id"] for c in changes)
    assert changes[-1]["details"]["to_status"] == "awaiting_review"
    address = PRIVATE_RECEIVER["address"]
    assert isinstance(address, dict)
    personal = [PRIVATE_RECEIVER["name"], PRIVATE_RECEIVER["phone"], address["line"]]
    personal += [address["city"], address["district"]]
    for request in requests:  # ids, numbers and statuses only
        for value in personal:
            assert str(value).encode() not in request.body, value


# ---- one attempt at a time -------------------------------------------------------------
async def test_concurrent_attempts_on_one_delivery_send_once(
    api: httpx.AsyncClient, tenant: TenantHandle, receiver: Receiver, hooks: Harness
) -> None:
    receiver.hold = {0}
    _, secret = await register(api, tenant, receiver.url)
    _, event_id = await customer_event(api, tenant)
    [delivery_id] = await hooks.service.record_deliveries_for_event(tenant.id, event_id)
    hooks.queue.sent.clear()

    first = asyncio.create_task(hooks.service.deliver(tenant.id, delivery_id))
    await asyncio.to_thread(receiver.holding.wait, 10)  # the receiver holds attempt 1
    second = await hooks.service.deliver(tenant.id, delivery_id, series=1, attempt=1)
    assert second.refusal is ClaimRefusal.LEASED and not second.attempted
    # It comes back when the lease would run out, in case the first worker died.
    [(task, payload, _, delay_ms)] = hooks.queue.sent
    assert task == DELIVER_TASK and payload["attempt"] == "1"
    assert 5_000 <= delay_ms <= 5_000 + 31_000
    receiver.release.set()
    report = await first
    assert report.status is DeliveryStatus.SUCCEEDED
    assert len(receiver.received()) == 1
    verify_all(secret, receiver.received())
    # The message that came back finds the attempt settled: stale, dropped.
    hooks.clock.advance(seconds=40)
    late = await hooks.service.deliver(tenant.id, delivery_id, series=1, attempt=1)
    assert late.refusal is ClaimRefusal.FINISHED and len(receiver.received()) == 1


async def test_an_attempt_that_outlived_its_lease_does_not_count_twice(
    api: httpx.AsyncClient, tenant: TenantHandle, receiver: Receiver, loopback_container: Container
) -> None:
    """The stalled first attempt's lease runs out, a second attempt takes over and
    succeeds; when the first finally gets its 200 the log still has one success."""
    hooks = harness(loopback_container, lease=timedelta(seconds=1))
    receiver.hold = {0}
    _, secret = await register(api, tenant, receiver.url)
    _, event_id = await customer_event(api, tenant)
    [delivery_id] = await hooks.service.record_deliveries_for_event(tenant.id, event_id)

    stalled = asyncio.create_task(hooks.service.deliver(tenant.id, delivery_id))
    await asyncio.to_thread(receiver.holding.wait, 10)
    hooks.clock.advance(seconds=2)  # past the first attempt's lease
    takeover = await hooks.service.deliver(tenant.id, delivery_id)
    assert takeover.attempt == 2 and takeover.status is DeliveryStatus.SUCCEEDED
    receiver.release.set()
    late = await stalled
    assert late.result is not None and late.result.status_code == 200
    assert late.lease_held is False

    requests = receiver.received()
    verify_all(secret, requests)
    assert len(requests) == 2  # at least once: the receiver deduplicates by webhook-id
    assert requests[0].headers["webhook-id"] == requests[1].headers["webhook-id"]
    log = await attempts(hooks.container, tenant.id, delivery_id)
    assert sorted((a.attempt, a.succeeded, a.error) for a in log) == [
        (1, False, "lease_lost"),
        (2, True, None),
    ]


async def test_the_sweep_requeues_overdue_deliveries_whose_message_was_lost(
    api: httpx.AsyncClient, tenant: TenantHandle, receiver: Receiver, hooks: Harness
) -> None:
    await register(api, tenant, receiver.url)
    _, event_id = await customer_event(api, tenant)
    [delivery_id] = await hooks.service.record_deliveries_for_event(tenant.id, event_id)
    hooks.queue.sent.clear()  # as if the broker had lost it
    assert await hooks.service.requeue_stalled() >= 0
    assert str(delivery_id) not in {m[1]["delivery_id"] for m in hooks.queue.sent}  # in grace
    hooks.clock.advance(minutes=5)
    await hooks.service.requeue_stalled()
    requeued = [m for m in hooks.queue.sent if m[1]["delivery_id"] == str(delivery_id)]
    assert len(requeued) == 1 and requeued[0][1]["attempt"] == "1"
    report = await hooks.service.deliver(tenant.id, delivery_id, series=1, attempt=1)
    assert report.status is DeliveryStatus.SUCCEEDED


# ---- SSRF: refused after resolution, without any connection ---------------------------
async def _endpoint_row(c: Container, tenant: TenantHandle, url: str) -> UUID:
    """An endpoint stored as is (as if registered before a rule, or with the development
    setting on): registration would refuse most of these up front."""
    ctx = CallContext(tenant.id, Actor(ActorKind.SUPPORT, "pytest"), ALL_PERMISSIONS, "setup")
    endpoint = WebhookEndpoint(
        uuid.uuid4(), url, ("*",), "", True, datetime.now(UTC), datetime.now(UTC)
    )
    async with c.uow_factory.for_tenant(ctx) as uow:
        await uow.of(WEBHOOKS).webhooks.add_endpoint(endpoint, new_secret(secrets.token_bytes(32)))
        await uow.commit()
    return endpoint.id


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://127.0.0.1:{port}/hook", "loopback"),
        ("https://[::1]:{port}/hook", "loopback"),
        ("https://169.254.169.254/latest/meta-data/", "link_local"),
        ("https://erp.customer.test/hook", "private"),  # resolves to 10.x
        ("https://metadata.customer.test/hook", "link_local"),  # resolves to 169.254.169.254
        ("https://rebind.customer.test/hook", "private"),  # one public, one private answer
        ("https://mapped.customer.test/hook", "ipv4_mapped"),
    ],
)
async def test_internal_destinations_are_refused_and_recorded_without_any_connection(
    url: str,
    reason: str,
    tenant: TenantHandle,
    receiver: Receiver,
    container: Container,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dns: dict[str, list[str]] = {
        "erp.customer.test": ["10.20.30.40"],
        "metadata.customer.test": ["169.254.169.254"],
        "rebind.customer.test": ["93.184.216.34", "192.168.0.10"],
        "mapped.customer.test": ["::ffff:127.0.0.1"],
    }
    looked_up: list[str] = []

    async def fake_resolve(host: str, port: int) -> list[IPAddress]:
        looked_up.append(host)
        return [ipaddress.ip_address(a) for a in dns[host]]

    connections: list[str] = []

    async def no_connection(*args: Any, **kwargs: Any) -> int:
        connections.append(str(args))
        raise AssertionError("a refused destination must not be connected to")

    monkeypatch.setattr(sender_module, "resolve", fake_resolve)
    monkeypatch.setattr(HttpWebhookSender, "_post", no_connection)
    hooks = harness(container, allow_loopback=False)  # the development setting is off
    await _endpoint_row(container, tenant, url.format(port=receiver.port))
    event = PublishedEvent(
        uuid.uuid4(),
        tenant.id,
        "customer.updated",
        "customer",
        uuid.uuid4(),
        ("phone",),
        datetime.now(UTC),
    )
    async with container.uow_factory.for_tenant(tenant.admin_context) as uow:
        [delivery] = await hooks.service.record_deliveries_for_event.in_unit_of_work(uow, event)
        await uow.commit()

    report = await hooks.service.deliver(tenant.id, delivery.id)
    assert report.result is not None and report.result.status_code is None
    assert report.result.error is not None
    assert report.result.error.startswith(f"refused_destination:{reason}")
    assert report.status is DeliveryStatus.PENDING  # retried later: DNS may be fixed
    assert connections == [] and receiver.received() == []
    if "customer.test" in url:
        assert looked_up  # refused after resolution
    [attempt] = await attempts(container, tenant.id, delivery.id)
    assert attempt.error.startswith("refused_destination") and not attempt.succeeded


async def test_the_api_refuses_internal_urls_up_front(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    owner = await tenant.headers("owner")
    for url in (
        "https://10.0.0.1/hook",
        "https://127.0.0.1/hook",
        "https://169.254.169.254/",
        "https://[::1]/hook",
        "https://[fd00::1]/hook",
        "https://100.64.0.1/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://localhost/hook",
    ):
        response = await client.post(
            "/api/v1/webhooks/endpoints", json={"url": url, "eventTypes": ["*"]}, headers=owner
        )
        assert response.status_code == 422, (url, response.text)
        assert response.json()["code"] == "webhook_url_forbidden_address", url
    plain = await client.post(
        "/api/v1/webhooks/endpoints",
        json={"url": "http://hooks.example.com/", "eventTypes": ["*"]},
        headers=owner,
    )
    assert plain.status_code == 422 and plain.json()["code"] == "webhook_url_not_https"


# ---- the whole chain through a real worker --------------------------------------------
async def test_outbox_to_receiver_through_the_worker(
    api: httpx.AsyncClient,
    tenant: TenantHandle,
    receiver: Receiver,
    loopback_settings: Settings,
) -> None:
    receiver.script = [500]  # the first attempt fails; the worker retries after a backoff
    _, secret = await register(api, tenant, receiver.url)
    await set_aside_other_tenants_events(tenant.container, tenant.id)
    async with running_worker(loopback_settings):
        customer_id, _ = await customer_event(api, tenant)
        await eventually(lambda: len(receiver.received()) >= 2, 30, what="two attempts")
    requests = receiver.received()
    payloads = verify_all(secret, requests)
    assert len({r.headers["webhook-id"] for r in requests}) == 1
    customer_payloads = [p for p in payloads if p["type"] == "customer.created"]
    assert customer_payloads and customer_payloads[0]["data"]["entityId"] == str(customer_id)
    delivery_id = UUID(requests[0].headers["webhook-id"].removeprefix("msg_"))
    log = await attempts(tenant.container, tenant.id, delivery_id)
    assert [(a.status_code, a.succeeded) for a in log] == [(500, False), (200, True)]
    json.dumps([dict(r._mapping) for r in log], default=str)  # the log is plain data


# ---- a secret that does not decrypt (#9, item 7) --------------------------------------
async def test_an_unreadable_secret_holds_that_endpoints_deliveries_until_it_is_rotated(
    api: httpx.AsyncClient, tenant: TenantHandle, receiver: Receiver, hooks: Harness
) -> None:
    fine_id, fine_secret = await register(api, tenant, receiver.url)
    broken_id, _ = await register(api, tenant, receiver.url)
    # The fine endpoint's ciphertext moved onto the other row: sealed for another row, it
    # fails authentication there (as an altered one would).
    async with hooks.container.platform_engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE webhook_endpoints SET secret_enc = (SELECT secret_enc FROM"
                " webhook_endpoints WHERE tenant_id = :t AND id = :fine)"
                " WHERE tenant_id = :t AND id = :broken"
            ),
            {"t": tenant.id, "fine": fine_id, "broken": broken_id},
        )
    _, event_id = await customer_event(api, tenant)
    delivery_ids = await hooks.service.record_deliveries_for_event(tenant.id, event_id)
    async with hooks.container.platform_engine.connect() as conn:
        by_endpoint = dict(
            (
                await conn.execute(
                    text(
                        "SELECT endpoint_id, id FROM webhook_deliveries"
                        " WHERE tenant_id = :t AND event_id = :e"
                    ),
                    {"t": tenant.id, "e": event_id},
                )
            ).all()
        )
    assert set(by_endpoint.values()) == set(delivery_ids)
    hooks.queue.sent.clear()

    with capture_logs() as logs:
        held = await hooks.service.deliver(tenant.id, by_endpoint[broken_id])
        again = await hooks.service.deliver(tenant.id, by_endpoint[broken_id])  # a stray one
    delivered = await hooks.service.deliver(tenant.id, by_endpoint[fine_id])
    assert held.refusal is ClaimRefusal.HELD and held.status is DeliveryStatus.PENDING
    assert held.next_attempt_at is None and again.refusal is ClaimRefusal.HELD
    assert delivered.status is DeliveryStatus.SUCCEEDED  # the other endpoint keeps going
    assert len(verify_all(fine_secret, receiver.received())) == 1
    assert hooks.queue.sent == []  # nothing retried while held
    assert await attempts(hooks.container, tenant.id, by_endpoint[broken_id]) == []
    logged = [e for e in logs if e["event"] == "undecryptable_value"]
    assert [(e["row_id"], e["field"]) for e in logged] == [(str(broken_id), "webhook.secret")]
    # The sweep of overdue deliveries passes over a held one, however late it is.
    start = hooks.clock.now()
    hooks.clock.advance(hours=2)
    await hooks.service.requeue_stalled()
    assert str(by_endpoint[broken_id]) not in {m[1]["delivery_id"] for m in hooks.queue.sent}
    hooks.clock.current = start  # the receiver checks the signature's timestamp

    owner = await tenant.headers("owner")
    endpoints = "/api/v1/webhooks/endpoints"
    broken = (await api.get(f"{endpoints}/{broken_id}", headers=owner)).json()
    fine = (await api.get(f"{endpoints}/{fine_id}", headers=owner)).json()
    assert (broken["needsNewSecret"], fine["needsNewSecret"]) == (True, False)
    for action in ("personal_data.unreadable", "webhook_endpoint.secret_unreadable"):
        audit = await api.get(
            "/api/v1/audit", params={"entityId": str(broken_id), "action": action}, headers=owner
        )
        records = audit.json()["items"]
        assert records and {r["outcome"] for r in records} == {"failed"}, action

    rotated = await api.post(f"{endpoints}/{broken_id}/rotate-secret", headers=owner)
    assert rotated.status_code == 200, rotated.text
    new_secret_ = rotated.json()["secret"]
    assert rotated.json()["endpoint"]["needsNewSecret"] is False
    after = (await api.get(f"{endpoints}/{broken_id}", headers=owner)).json()
    assert after["needsNewSecret"] is False
    await until_due(hooks, tenant.id, by_endpoint[broken_id])
    recovered = await hooks.service.deliver(tenant.id, by_endpoint[broken_id])
    assert recovered.status is DeliveryStatus.SUCCEEDED and recovered.attempt == 1
    assert len(verify_all(new_secret_, receiver.received()[1:])) == 1
