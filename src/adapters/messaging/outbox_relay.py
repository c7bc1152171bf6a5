"""The outbox relay: hands unpublished outbox events to the worker (docs/events-and-jobs.md).

It runs as the platform role (``BYPASSRLS``): it reads every tenant's outbox, which no
request may. That is the whole of what it does with that right — select unpublished rows,
enqueue ``events.dispatch`` with ids only, mark them published — so the system path stays
small and reviewable. ``FOR UPDATE SKIP LOCKED`` lets any number of relays run side by side
without publishing a row twice at the same time; the enqueue happens inside the
transaction, so if Redis is down the transaction rolls back and the rows wait for the next
run (a batch cut short may have enqueued some rows already: they go again next time with
the same message id, and consumers deduplicate by it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.shared.outbox import load_published_event
from application.shared.messages import PublishedEvent
from application.shared.messaging import TaskQueue

DISPATCH_TASK = "events.dispatch"

log = structlog.get_logger("shopkeeper.outbox")


@dataclass(frozen=True)
class TenantBacklog:
    tenant_id: UUID
    slug: str
    unpublished: int
    oldest_occurred_at: datetime
    age_seconds: float


class OutboxRelay:
    def __init__(self, platform_engine: AsyncEngine, tasks: TaskQueue, batch_size: int = 200):
        self._engine = platform_engine
        self._tasks = tasks
        self._batch_size = batch_size

    async def relay_once(self) -> int:
        """Publish one batch; returns how many were published (0 when the broker is down)."""
        async with self._engine.connect() as conn, conn.begin() as tx:
            rows = (
                await conn.execute(
                    text(
                        "SELECT tenant_id, id, event_type FROM outbox"
                        " WHERE published_at IS NULL ORDER BY occurred_at"
                        " LIMIT :limit FOR UPDATE SKIP LOCKED"
                    ),
                    {"limit": self._batch_size},
                )
            ).all()
            if not rows:
                return 0
            try:
                for tenant_id, event_id, event_type in rows:
                    await self._tasks.enqueue(
                        DISPATCH_TASK,
                        {
                            "tenant_id": str(tenant_id),
                            "event_id": str(event_id),
                            "event_type": event_type,
                        },
                        message_id=str(event_id),
                    )
            except Exception as error:
                await tx.rollback()
                log.warning(
                    "outbox.broker_unavailable",
                    waiting=len(rows),
                    error=type(error).__name__,
                )
                return 0
            await conn.execute(
                text(
                    "UPDATE outbox SET published_at = clock_timestamp()"
                    " WHERE (tenant_id, id) IN (SELECT * FROM unnest("
                    "CAST(:tenants AS uuid[]), CAST(:ids AS uuid[])))"
                ),
                {"tenants": [r[0] for r in rows], "ids": [r[1] for r in rows]},
            )
        log.debug("outbox.published", count=len(rows))
        return len(rows)

    async def relay_pending(self) -> int:
        """Publish until the outbox is drained (or the broker is down)."""
        total = 0
        while True:
            published = await self.relay_once()
            total += published
            if published < self._batch_size:
                return total

    async def redrive(self, published_since: datetime) -> int:
        """Mark the events published since then unpublished again, so that the relay
        publishes them once more (the broker lost its messages: Redis flushed, or replaced
        without its data); answers how many. Subscribers skip the events they already
        handled (``processed_messages``), so only the lost ones do any work."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                text("UPDATE outbox SET published_at = NULL WHERE published_at >= :since"),
                {"since": published_since},
            )
        return int(result.rowcount or 0)

    async def purge(self, published_before: datetime, processed_before: datetime) -> int:
        """Delete published outbox rows and old dedupe claims, a batch at a time.

        A claim must outlive every redelivery of its message (retries for about 40 minutes,
        dead letters for 7 days): keep claims longer than that.
        """
        deleted = 0
        statements = (
            (
                "DELETE FROM outbox WHERE (tenant_id, id) IN (SELECT tenant_id, id FROM outbox"
                " WHERE published_at < :before LIMIT 5000)",
                published_before,
            ),
            (
                "DELETE FROM processed_messages WHERE (tenant_id, consumer, message_id) IN"
                " (SELECT tenant_id, consumer, message_id FROM processed_messages"
                " WHERE processed_at < :before LIMIT 5000)",
                processed_before,
            ),
        )
        for sql, before in statements:
            while True:
                async with self._engine.begin() as conn:
                    result = await conn.execute(text(sql), {"before": before})
                count = result.rowcount or 0
                deleted += count
                if count < 5000:
                    break
        return deleted

    async def load_event(self, tenant_id: UUID, event_id: UUID) -> PublishedEvent | None:
        async with self._engine.connect() as conn:
            return await load_published_event(conn, tenant_id, event_id)

    async def backlog(self) -> list[TenantBacklog]:
        """Unpublished events per tenant, oldest first (for `shopkeeper jobs backlog`)."""
        async with self._engine.connect() as conn:
            rows = (
                await conn.execute(
                    text(
                        "SELECT o.tenant_id, t.slug, count(*) AS unpublished,"
                        " min(o.occurred_at) AS oldest,"
                        " extract(epoch FROM clock_timestamp() - min(o.occurred_at)) AS age"
                        " FROM outbox o JOIN tenants t ON t.id = o.tenant_id"
                        " WHERE o.published_at IS NULL GROUP BY o.tenant_id, t.slug"
                        " ORDER BY oldest"
                    )
                )
            ).all()
        return [
            TenantBacklog(r.tenant_id, r.slug, r.unpublished, r.oldest, float(r.age)) for r in rows
        ]
