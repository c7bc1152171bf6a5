"""Stock thresholds and alerts on the real database (INV-3).

A crossing raises ONE alert (not one per movement), recovery resolves it and re-arms it,
the next crossing raises a new one; category defaults apply to the SKUs under them; the
sweep catches a threshold changed without a movement, and two sweepers racing raise an
alert once. The delivery test runs a real worker: the alert reaches the inbox of the
users holding ``inventory:alerts`` (and nobody else's), an email reaches a real local
SMTP server (aiosmtpd), and the ``inventory.stock_alert`` event reaches a webhook
receiver on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from uuid import UUID

import asyncpg
import httpx
import pytest

from application.identity.access_admin import CreateUser, NewUser
from application.inventory.alerts.evaluate import STOCK_ALERT, StockAlertSweep, SweepStockAlerts
from application.inventory.alerts.queries import ListStockAlerts
from application.inventory.alerts.thresholds import SetCategoryThreshold, SetStockThreshold
from application.inventory.ports import ReservationRequest
from application.inventory.reservations.commands import ReleaseReservation, ReserveStock
from application.inventory.stock.movements import IssueStock, ReceiveStock
from application.shared.context import CallContext
from bootstrap import build_container
from bootstrap.settings import Settings
from domain.inventory.alerts import AlertKind, AlertStatus
from domain.inventory.reservation import RequestedLine
from domain.shared.errors import ValidationFailed
from entrypoints.http.app import create_app
from entrypoints.worker.tasks import worker_context
from tests.conftest import PASSWORD, TenantHandle
from tests.integration.inventory.conftest import MakeSkus, caller, open_warehouse
from tests.support.background import eventually, running_worker, set_aside_other_tenants_events
from tests.support.databases import TestDatabase
from tests.support.smtp_sink import smtp_sink


async def alert_events(database: TestDatabase, tenant: TenantHandle) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(database.owner_url)
    try:
        return list(
            await conn.fetch(
                "SELECT entity_id, data FROM outbox WHERE tenant_id = $1 AND event_type = $2"
                " ORDER BY id",
                tenant.id,
                STOCK_ALERT,
            )
        )
    finally:
        await conn.close()


async def alerts(tenant: TenantHandle, status: AlertStatus | None = None) -> list[Any]:
    page = await tenant.container.use_cases.query(caller(tenant), ListStockAlerts(status=status))
    return list(page.items)


async def test_a_crossing_raises_one_alert_and_recovery_rearms_it(
    tenant: TenantHandle, make_skus: MakeSkus, database: TestDatabase
) -> None:
    """INV-3: low = 5 on available units. Going below raises one alert however many
    movements follow; recovering resolves it; the next crossing raises a second."""
    (sku,) = await make_skus(tenant, 1)
    main = await open_warehouse(tenant, "MAIN")
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    await run(ctx, SetStockThreshold(sku, "MAIN", 5, 100, 0))
    await run(ctx, ReceiveStock(sku, main, 10))
    await run(ctx, IssueStock(sku, main, 5))  # 5 available: not below 5
    assert await alerts(tenant) == []
    await run(ctx, IssueStock(sku, main, 1))  # 4: below
    await run(ctx, IssueStock(sku, main, 1))  # 3: still below, no second alert
    # A reservation lowers what is available too: still the same crossing.
    await run(ctx, ReserveStock(ReservationRequest((RequestedLine(sku, 1),))))
    [first] = await alerts(tenant)
    assert (first.kind, first.status, first.threshold, first.quantity) == (
        AlertKind.LOW,
        AlertStatus.OPEN,
        5,
        4,
    )
    assert first.sku_code and first.warehouse_code == "MAIN"
    assert [e["entity_id"] for e in await alert_events(database, tenant)] == [first.id]

    await run(ctx, ReceiveStock(sku, main, 20))  # 22 available: recovered
    [resolved] = await alerts(tenant)
    assert resolved.status is AlertStatus.RESOLVED and resolved.resolved_at is not None

    await run(ctx, IssueStock(sku, main, 19))  # 3 available: a new crossing
    latest, earlier = await alerts(tenant)
    assert earlier.id == first.id and latest.status is AlertStatus.OPEN and latest.quantity == 3
    assert len(await alert_events(database, tenant)) == 2


async def test_a_high_threshold_alerts_on_overstock_and_a_release_counts_too(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    (sku,) = await make_skus(tenant, 1)
    main = await open_warehouse(tenant, "HI")
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    await run(ctx, SetStockThreshold(sku, main, None, 50, 0))
    await run(ctx, ReceiveStock(sku, main, 50))
    assert await alerts(tenant) == []
    await run(ctx, ReceiveStock(sku, main, 1))
    [alert] = await alerts(tenant, AlertStatus.OPEN)
    assert (alert.kind, alert.quantity, alert.threshold) == (AlertKind.HIGH, 51, 50)
    with pytest.raises(ValidationFailed) as refused:
        await run(ctx, SetStockThreshold(sku, main, 60, 50, 1))
    assert refused.value.errors[0].code == "threshold_high_not_above_low"
    # Raising the threshold above the stock resolves the alert at once.
    await run(ctx, SetStockThreshold(sku, main, None, 80, 1))
    assert await alerts(tenant, AlertStatus.OPEN) == []
    # A low threshold and a reservation then its release: one alert, then recovered.
    await run(ctx, SetStockThreshold(sku, main, 10, 80, 2))
    reserved = await run(ctx, ReserveStock(ReservationRequest((RequestedLine(sku, 45),))))
    [low] = await alerts(tenant, AlertStatus.OPEN)
    assert (low.kind, low.quantity) == (AlertKind.LOW, 6)
    await run(ctx, ReleaseReservation(reserved.id))
    assert await alerts(tenant, AlertStatus.OPEN) == []


async def _categorised_sku(database: TestDatabase, tenant: TenantHandle) -> tuple[UUID, UUID]:
    """A SKU whose product is in 服装 > 男装 (categories and closure written as the owner):
    the SKU and the top category's id."""
    conn = await asyncpg.connect(database.owner_url)
    try:
        top, child, product, sku = (uuid.uuid4() for _ in range(4))
        for category, parent, name in ((top, None, "服装"), (child, top, "男装")):
            await conn.execute(
                "INSERT INTO categories (tenant_id, id, parent_id, name, name_key, created_at,"
                " updated_at) VALUES ($1, $2, $3, $4, $4, now(), now())",
                tenant.id,
                category,
                parent,
                name,
            )
        for ancestor, descendant, depth in ((top, top, 0), (child, child, 0), (top, child, 1)):
            await conn.execute(
                "INSERT INTO category_closure (tenant_id, ancestor_id, descendant_id, depth)"
                " VALUES ($1, $2, $3, $4)",
                tenant.id,
                ancestor,
                descendant,
                depth,
            )
        code = f"C-{product.hex[:8]}"
        await conn.execute(
            "INSERT INTO products (tenant_id, id, code, code_key, name, kind, lifecycle,"
            " category_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $3, 'physical',"
            " 'active', $5, now(), now())",
            tenant.id,
            product,
            code,
            code.upper(),
            child,
        )
        await conn.execute(
            "INSERT INTO skus (tenant_id, id, product_id, position, code, code_key)"
            " VALUES ($1, $2, $3, 0, $4, $5)",
            tenant.id,
            sku,
            product,
            code + "-S",
            (code + "-S").upper(),
        )
        return sku, top
    finally:
        await conn.close()


async def test_a_category_default_applies_below_it_and_the_sweep_raises_it_once(
    tenant: TenantHandle, database: TestDatabase
) -> None:
    """A default set on 服装 (by path) governs a SKU in 服装 > 男装; set without any movement,
    it is caught by the sweep; two sweepers racing raise the alert once."""
    sku, top = await _categorised_sku(database, tenant)
    main = await open_warehouse(tenant, "CAT")
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    await run(ctx, ReceiveStock(sku, main, 3))
    with pytest.raises(ValidationFailed) as unknown:
        await run(ctx, SetCategoryThreshold("服装 > 女装", 5, None, 0))
    assert unknown.value.errors[0].code == "unknown_category"
    threshold = await run(ctx, SetCategoryThreshold("服装", 5, None, 0))
    assert threshold.category_id == top
    assert await alerts(tenant) == []  # no movement yet: the sweep's work

    # Two scheduled sweepers at once, across tenants (the worker's), raise it once.
    sweep = tenant.container.get(StockAlertSweep)

    def as_worker(tenant_id: UUID) -> CallContext:
        return worker_context(tenant_id, "inventory.sweep_alerts")

    first, second = await asyncio.gather(sweep.sweep_all(as_worker), sweep.sweep_all(as_worker))
    assert sorted([first.get(tenant.id, 0), second.get(tenant.id, 0)]) == [0, 1]
    [alert] = await alerts(tenant)
    assert (alert.sku_id, alert.kind, alert.threshold, alert.quantity) == (sku, AlertKind.LOW, 5, 3)
    assert await run(ctx, SweepStockAlerts()) == 0
    assert len(await alert_events(database, tenant)) == 1

    # The SKU's own threshold overrides the default, field by field.
    await run(ctx, SetStockThreshold(sku, main, 2, None, 0))
    [resolved] = await alerts(tenant)
    assert resolved.status is AlertStatus.RESOLVED


# ---- delivery through a real worker ---------------------------------------------------
class Receiver:
    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        body = request.rfile.read(int(request.headers.get("content-length", "0")))
        with self._lock:
            self.bodies.append(json.loads(body))
        request.send_response(200)
        request.end_headers()


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            state.handle(self)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}/hooks/erp"
    server.shutdown()
    server.server_close()


async def test_an_alert_reaches_the_inbox_an_email_and_a_webhook(
    settings: Settings,
    tenant: TenantHandle,
    make_skus: MakeSkus,
    database: TestDatabase,
    receiver: tuple[Receiver, str],
) -> None:
    """INV-3 end to end: stock moves below its threshold; a real worker relays the event;
    the warehouse user (inventory:alerts) gets an inbox message and an email at the
    local SMTP server, the finance user (no inventory:alerts) gets neither; a webhook
    endpoint subscribed to inventory.stock_alert receives the event."""
    hooks, url = receiver
    with smtp_sink() as (mailbox, port):
        worker_settings = dataclasses.replace(settings, smtp_port=port, webhook_allow_loopback=True)
        container = build_container(worker_settings)
        try:
            admin = tenant.admin_context
            keeper = await container.use_cases.run(
                admin,
                CreateUser(NewUser("keeper@example.com", "库管", PASSWORD, ["warehouse"], "en")),
            )
            finance = await container.use_cases.run(
                admin,
                CreateUser(NewUser("money@example.com", "财务", PASSWORD, ["finance"], "zh-CN")),
            )
            transport = httpx.ASGITransport(app=create_app(container))
            async with httpx.AsyncClient(
                transport=transport, base_url="http://shopkeeper.test"
            ) as api:
                registered = await api.post(
                    "/api/v1/webhooks/endpoints",
                    json={"url": url, "eventTypes": [STOCK_ALERT]},
                    headers=await tenant.headers("owner"),
                )
                assert registered.status_code == 201, registered.text
            (sku,) = await make_skus(tenant, 1)
            main = await open_warehouse(tenant, "DLV")
            ctx = caller(tenant)
            await container.use_cases.run(ctx, SetStockThreshold(sku, main, 5, None, 0))
            await container.use_cases.run(ctx, ReceiveStock(sku, main, 4))
            [alert] = await alerts(tenant)

            await set_aside_other_tenants_events(container, tenant.id)
            async with running_worker(worker_settings):
                await eventually(lambda: bool(mailbox.to("keeper@example.com")), 60, what="email")
                await eventually(lambda: bool(hooks.bodies), 60, what="webhook")
        finally:
            await container.aclose()

    [mail] = mailbox.to("keeper@example.com")
    assert mail["Subject"].startswith("Low stock:")
    assert "DLV" in mail.get_content() and f"/inventory/alerts/{alert.id}" in mail.get_content()
    assert mailbox.to("money@example.com") == []
    conn = await asyncpg.connect(database.owner_url)
    try:
        inbox = await conn.fetch(
            "SELECT user_id, topic, link FROM inbox_messages WHERE tenant_id = $1", tenant.id
        )
    finally:
        await conn.close()
    assert [
        (r["user_id"], r["topic"]) for r in inbox if r["user_id"] in (keeper.id, finance.id)
    ] == [(keeper.id, "stock.low")]
    [event] = [b for b in hooks.bodies if b["type"] == STOCK_ALERT]
    assert event["data"]["entityId"] == str(alert.id)
