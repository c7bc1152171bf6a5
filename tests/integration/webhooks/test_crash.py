"""At least once, exactly one success (CHN-3; issue 13's R4): kill -9 the worker while the
receiver holds one delivery in the middle of the batch; after a new worker starts, every
event reaches every endpoint, the repeated request carries the same ``webhook-id`` (so the
receiver can count by it), and the log has exactly one success per (event, endpoint).

Events: 1,000 at full scale (the worker is killed at the 600th request), 6 in ``make
test`` (tests/reliability/figures.py).

Real ``shopkeeper worker`` subprocesses, real Redis (a private namespace), a real HTTP
receiver; a short broker heartbeat so the killed worker's messages come back promptly, and
a barrier in the receiver instead of sleeps.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import subprocess
import uuid
from collections import Counter
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import text
from standardwebhooks import Webhook

from bootstrap import Container
from bootstrap.settings import Settings
from tests.conftest import TenantHandle, cli_env, delete_redis_prefix
from tests.integration.webhooks.test_delivery import (  # fixtures and helpers
    Received,
    Receiver,
    api,
    loopback_container,
    loopback_settings,
    receiver,
    register,
)
from tests.reliability.figures import figure, scaled
from tests.support.background import eventually, set_aside_other_tenants_events, write_events
from tests.support.processes import stop_process, worker_process

__all__ = ["api", "loopback_container", "loopback_settings", "receiver"]

EVENTS = scaled(1000, 6)
HELD = scaled(600, 3)  # the receiver holds the request of this index (from 0) it gets


def signed_by(secret: str, request: Received) -> bool:
    """The request carries the secret's signature, however long ago it was sent
    (``Webhook.verify`` also refuses requests older than five minutes, and a full-scale
    run takes longer than that)."""
    headers = request.headers
    sent_at = datetime.fromtimestamp(int(headers["webhook-timestamp"]), UTC)
    expected = Webhook(secret).sign(headers["webhook-id"], sent_at, request.body.decode())
    return expected in headers["webhook-signature"].split(" ")


def start_worker(settings: Settings) -> subprocess.Popen[bytes]:
    env = {
        **cli_env(settings),
        "SHOPKEEPER_WEBHOOK_ALLOW_LOOPBACK": "true",
        "SHOPKEEPER_WEBHOOK_TIMEOUT_SECONDS": "3",  # lease: 2 x 3 s + 5 s
        "SHOPKEEPER_BROKER_HEARTBEAT_MS": "1000",
        "SHOPKEEPER_BROKER_MAINTENANCE_CHANCE": "1000000",
        "SHOPKEEPER_OUTBOX_POLL_SECONDS": "0.2",
        "SHOPKEEPER_LOG_LEVEL": "warning",
    }
    return worker_process(env)


@pytest.mark.slow
async def test_a_worker_killed_mid_delivery_loses_nothing_and_succeeds_once(
    settings: Settings,
    container: Container,
    api: httpx.AsyncClient,
    tenant: TenantHandle,
    receiver: Receiver,
) -> None:
    receiver.hold = {HELD}
    first, first_secret = await register(api, tenant, receiver.url + "&to=first")
    second, second_secret = await register(api, tenant, receiver.url + "&to=second")
    secrets = {"first": first_secret, "second": second_secret}
    private = dataclasses.replace(
        settings, redis_prefix=f"{settings.redis_prefix}crash-{uuid.uuid4().hex[:6]}:"
    )
    await set_aside_other_tenants_events(container, tenant.id)
    workers = [start_worker(private)]
    try:
        # The batch: customers' events written as the use case writes them (the claim is
        # the worker's; registering 1,000 customers over HTTP took a minute or two here).
        await write_events(container, tenant.id, EVENTS, "customer.created")
        assert await asyncio.to_thread(receiver.holding.wait, 300), "no delivery reached"
        os.kill(workers[0].pid, signal.SIGKILL)  # while the receiver holds delivery k
        await asyncio.to_thread(workers[0].wait, 10)
        receiver.release.set()  # its answer goes nowhere: the worker is gone
        workers.append(start_worker(private))

        async def all_succeeded() -> bool:
            async with container.platform_engine.connect() as conn:
                count = await conn.scalar(
                    text(
                        "SELECT count(*) FROM webhook_deliveries d JOIN outbox o"
                        " ON o.tenant_id = d.tenant_id AND o.id = d.event_id"
                        " WHERE d.tenant_id = :t AND d.status = 'succeeded'"
                        " AND o.event_type = 'customer.created'"
                    ),
                    {"t": tenant.id},
                )
            return count == 2 * EVENTS

        # A deadline for a busy machine, not a speed claim: a new worker process starts
        # slowly when the suite's other process and PostgreSQL share the two cores.
        await eventually(
            all_succeeded, seconds=scaled(600, 240), interval=0.25, what="every delivery"
        )
    finally:
        for process in workers:
            stop_process(process)
        await delete_redis_prefix(container.redis, private.redis_prefix)

    # Every request the receiver got verifies; the one it held came again, same webhook-id.
    requests = [r for r in receiver.received() if r.body.find(b'"customer.created"') >= 0]
    by_id: Counter[str] = Counter()
    unsigned = 0
    for request in requests:
        target = "first" if request.path.endswith("to=first") else "second"
        unsigned += not signed_by(secrets[target], request)
        by_id[request.headers["webhook-id"]] += 1
    figure("R4", "requests not signed by their endpoint's secret", unsigned, 0)
    assert unsigned == 0
    figure("R4", "events", EVENTS)
    figure("R4", "deliveries (events x endpoints)", 2 * EVENTS)
    figure("R4", "lost", 2 * EVENTS - len(by_id), 0)
    figure("R4", "requests repeated after the kill", sum(n - 1 for n in by_id.values()))
    assert len(by_id) == 2 * EVENTS  # every event reached every endpoint
    assert any(count > 1 for count in by_id.values())  # the held one was delivered again
    held = receiver.received()[HELD]
    assert by_id[held.headers["webhook-id"]] >= 2

    async with container.platform_engine.connect() as conn:
        rows = list(
            await conn.execute(
                text(
                    "SELECT d.endpoint_id, d.event_id,"
                    " count(*) FILTER (WHERE a.succeeded) AS successes"
                    " FROM webhook_deliveries d JOIN outbox o"
                    " ON o.tenant_id = d.tenant_id AND o.id = d.event_id"
                    " LEFT JOIN webhook_attempts a"
                    " ON a.tenant_id = d.tenant_id AND a.delivery_id = d.id"
                    " WHERE d.tenant_id = :t AND o.event_type = 'customer.created'"
                    " GROUP BY d.endpoint_id, d.event_id"
                ),
                {"t": tenant.id},
            )
        )
    figure("R4", "duplicate side effects (two successes)", sum(r.successes > 1 for r in rows), 0)
    assert len(rows) == 2 * EVENTS
    assert {r.endpoint_id for r in rows} == {first, second}
    assert all(r.successes == 1 for r in rows), rows  # exactly one success per pair
