"""R5 Redis loss (PLT-3): a worker is relaying and dispatching a batch of outbox events
when its Redis — a project-local ``redis-server`` of the test's own, never the shared one —
is flushed; the messages it held are gone. ``shopkeeper jobs redrive --since`` (from
before the batch) publishes the outbox again, and every event then reaches its subscriber,
none twice (``processed_messages``).

Events: 1,000 at full scale, 60 in ``make test`` (tests/reliability/figures.py)."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path

import redis
from sqlalchemy import text

from bootstrap import build_container
from bootstrap.settings import Settings
from tests.conftest import TenantHandle, cli_env
from tests.reliability.figures import figure, scaled
from tests.support.background import (
    ProbeSubscriber,
    all_published,
    eventually,
    queues_idle,
    running_worker,
    set_aside_other_tenants_events,
    write_events,
)
from tests.support.cli import shopkeeper as in_process
from tests.support.redis_server import PrivateRedis

EVENTS = scaled(1000, 60)


async def test_after_redis_is_flushed_mid_run_the_redrive_delivers_every_event_once(
    settings: Settings, tenant: TenantHandle, tmp_path: Path
) -> None:
    server = PrivateRedis(tmp_path)
    server.start()
    private = dataclasses.replace(
        settings,
        redis_url=server.url,
        redis_prefix=f"{settings.redis_prefix}flush-{uuid.uuid4().hex[:6]}:",
        outbox_poll_seconds=0.2,
    )
    container = build_container(private)
    try:
        await set_aside_other_tenants_events(container, tenant.id)
        async with container.platform_engine.connect() as conn:
            since = await conn.scalar(text("SELECT clock_timestamp()"))
        with ProbeSubscriber(tenant.id) as probe:
            async with running_worker(private):
                event_ids = await write_events(container, tenant.id, EVENTS)
                await eventually(
                    lambda: len(probe.delivered()) >= EVENTS // 4, what="a quarter delivered"
                )
                flush = redis.Redis.from_url(server.url)  # the test's own server only
                flush.flushall()
                flush.close()
                at_flush = len(probe.delivered())
                await eventually(
                    lambda: all_published(container, event_ids), what="every event published"
                )
                await eventually(lambda: queues_idle(container, ["events"]), what="queue idle")
                lost = EVENTS - len(probe.delivered())
                redrive = await in_process(
                    cli_env(private),
                    "jobs",
                    "redrive",
                    "--since",
                    since.isoformat(),
                    "--reason",
                    "R5",
                )
                assert redrive.returncode == 0, redrive.stderr
                redriven = int(redrive.stdout.split("\t")[1].split()[0])
                await eventually(
                    lambda: len(probe.delivered()) == EVENTS,
                    seconds=120,
                    what="every event delivered after the re-drive",
                )
                await eventually(lambda: queues_idle(container, ["events"]), what="queue idle")
        delivered = probe.delivered()
        async with container.platform_engine.connect() as conn:
            audited = await conn.scalar(
                text(
                    "SELECT count(*) FROM operator_audit_log WHERE action = 'jobs.redrive'"
                    " AND detail->>'since' = :since"
                ),
                {"since": since.isoformat()},
            )
    finally:
        await container.aclose()
        server.stop()
    figure("R5", "events", EVENTS)
    figure("R5", "delivered before the flush", at_flush)
    figure("R5", "missing before the re-drive", lost)
    figure("R5", "re-driven", redriven)
    figure("R5", "lost after the re-drive", len(set(event_ids) - set(delivered)), 0)
    figure("R5", "delivered twice", sum(n > 1 for n in delivered.values()), 0)
    assert set(delivered) == set(event_ids)
    assert set(delivered.values()) == {1}
    assert redriven >= lost and audited == 1
