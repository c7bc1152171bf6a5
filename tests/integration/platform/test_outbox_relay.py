"""The transactional outbox and its relay (PLT-3 events; CHN-3's "nothing lost"): with Redis
down, events wait in the outbox and the relay keeps running; once Redis is back every event
reaches its subscriber, exactly once even when the relay publishes one again."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from bootstrap import Container, build_container
from bootstrap.settings import Settings
from tests.conftest import TenantHandle
from tests.support.background import (
    ProbeSubscriber,
    eventually,
    queues_idle,
    running_worker,
    unpublished,
    write_events,
)
from tests.support.redis_server import PrivateRedis

EVENTS = 12


async def test_events_wait_while_redis_is_down_and_all_arrive_once_it_is_back(
    settings: Settings, tenant: TenantHandle, tmp_path: Path
) -> None:
    redis_server = PrivateRedis(tmp_path)
    redis_server.start()
    private = dataclasses.replace(settings, redis_url=redis_server.url)
    container = build_container(private)
    try:
        redis_server.stop()

        event_ids = await write_events(container, tenant.id, EVENTS)
        # Redis is down: the relay neither crashes nor marks anything published.
        assert await container.outbox_relay.relay_pending() == 0
        assert await container.outbox_relay.relay_once() == 0
        assert await unpublished(container, event_ids) == EVENTS
        backlog = {row.tenant_id: row for row in await container.outbox_relay.backlog()}
        assert backlog[tenant.id].unpublished == EVENTS

        redis_server.start()  # same port, empty: whatever was in it before is gone
        with ProbeSubscriber(tenant.id) as probe:
            async with running_worker(private):  # its relay publishes at start
                await eventually(
                    lambda: len(probe.delivered()) == EVENTS, what="every event delivered"
                )
                assert await unpublished(container, event_ids) == 0

                # A relay that enqueued but died before its commit publishes again: the
                # duplicates reach no subscriber twice.
                async with container.platform_engine.begin() as conn:
                    await conn.execute(
                        text("UPDATE outbox SET published_at = NULL WHERE id = ANY(:ids)"),
                        {"ids": event_ids[:4]},
                    )

                async def republished() -> bool:
                    return await unpublished(container, event_ids[:4]) == 0

                await eventually(republished, what="republished")
                await eventually(
                    lambda: queues_idle(container, ["events"]), what="the events queue drained"
                )
            assert probe.delivered() == dict.fromkeys(event_ids, 1)

        async with container.platform_engine.connect() as conn:
            claims = await conn.scalar(
                text(
                    "SELECT count(*) FROM processed_messages WHERE tenant_id = :t AND consumer = :c"
                ),
                {"t": tenant.id, "c": probe.name},
            )
        assert claims == EVENTS
    finally:
        redis_server.stop()
        await container.aclose()


async def test_housekeeping_purges_old_published_events_and_old_claims_only(
    container: Container, tenant: TenantHandle
) -> None:
    old, recent, waiting = await write_events(container, tenant.id, 3)
    async with container.platform_engine.begin() as conn:
        await conn.execute(
            text("UPDATE outbox SET published_at = now() - CAST(:age AS interval) WHERE id = :id"),
            [{"age": timedelta(days=8), "id": old}, {"age": timedelta(hours=1), "id": recent}],
        )
        await conn.execute(
            text(
                "INSERT INTO processed_messages (tenant_id, consumer, message_id, processed_at)"
                " VALUES (:t, 'test.purge', 'old', now() - interval '31 days'),"
                " (:t, 'test.purge', 'recent', now())"
            ),
            {"t": tenant.id},
        )
    now = datetime.now(UTC)
    await container.outbox_relay.purge(now - timedelta(days=7), now - timedelta(days=30))
    async with container.platform_engine.connect() as conn:
        left = set(
            await conn.scalars(text("SELECT id FROM outbox WHERE tenant_id = :t"), {"t": tenant.id})
        )
        claims = set(
            await conn.scalars(
                text(
                    "SELECT message_id FROM processed_messages WHERE tenant_id = :t"
                    " AND consumer = 'test.purge'"
                ),
                {"t": tenant.id},
            )
        )
    assert left == {recent, waiting}
    assert claims == {"recent"}
