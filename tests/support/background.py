"""Helpers for tests of the outbox, the worker and the scheduler: a probe subscriber that
counts deliveries, an in-process worker, and polling with a deadline instead of sleeps."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from uuid import UUID

from sqlalchemy import text

from bootstrap import Container
from bootstrap.settings import Settings
from domain.shared.events import DomainEvent
from entrypoints.worker import events
from entrypoints.worker.events import EventWork, subscribe, unsubscribe
from entrypoints.worker.tasks import load_task_modules, worker_context
from entrypoints.worker.worker import WorkerRuntime


async def set_aside_other_tenants_events(container: Container, tenant_id: UUID) -> int:
    """Mark every unpublished outbox row of *other* tenants as published.

    Each test process shares one database, so earlier tests (bulk imports, demo catalogs)
    leave thousands of events nobody relayed; a worker started by a later test would
    dispatch that whole backlog first, oldest first, before the test's own events. Tests
    that time a worker's delivery call this so they measure their own events only."""
    async with container.platform_engine.begin() as conn:
        result = await conn.execute(
            text(
                "UPDATE outbox SET published_at = clock_timestamp()"
                " WHERE published_at IS NULL AND tenant_id <> :t"
            ),
            {"t": tenant_id},
        )
    return int(result.rowcount)


async def eventually(
    check: Callable[[], Awaitable[bool]] | Callable[[], bool],
    seconds: float = 45,  # a deadline for a busy machine, not a speed claim
    interval: float = 0.05,
    what: str = "condition",
) -> None:
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds}s waiting for {what}")
        await asyncio.sleep(interval)


class ProbeSubscriber:
    """Subscribed to every event; counts the deliveries of one tenant's events.

    While it is subscribed it is the only subscriber: these tests are about the relay and
    the dispatcher, and a failing subscriber of another area (tested on its own) would
    retry every dispatch and blur what is measured here.
    """

    def __init__(self, tenant_id: UUID) -> None:
        self._others: dict[str, object] = {}
        self.tenant_id = tenant_id
        self.name = f"test.probe.{uuid.uuid4().hex[:8]}"
        self.deliveries: Counter[UUID] = Counter()
        self._lock = threading.Lock()  # the worker's event loop runs in another thread

    async def __call__(self, work: EventWork) -> None:
        if work.event.tenant_id == self.tenant_id:
            with self._lock:
                self.deliveries[work.event.id] += 1

    def __enter__(self) -> ProbeSubscriber:
        load_task_modules()  # so that no module subscribes behind our back later
        self._others = dict(events._subscriptions)
        events._subscriptions.clear()
        subscribe("*", name=self.name)(self)
        return self

    def __exit__(self, *_: object) -> None:
        unsubscribe(self.name)
        events._subscriptions.update(self._others)  # type: ignore[arg-type]

    def delivered(self) -> Counter[UUID]:
        with self._lock:
            return Counter(self.deliveries)


async def write_events(
    container: Container, tenant_id: UUID, count: int, kind: str = "test.happened"
) -> list[UUID]:
    """Outbox rows of ``kind`` (``<entity>.<what happened>``) written the way use cases
    write them: through the unit of work, in one transaction."""
    entity = kind.split(".", maxsplit=1)[0]
    async with container.uow_factory.for_tenant(worker_context(tenant_id, "test")) as uow:
        for _ in range(count):
            await uow.outbox.add(DomainEvent(kind, entity, uuid.uuid4(), ("n",)))
        await uow.commit()
    async with container.platform_engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT id FROM outbox WHERE tenant_id = :t AND event_type = :kind"
                " ORDER BY occurred_at DESC LIMIT :n"
            ),
            {"t": tenant_id, "n": count, "kind": kind},
        )
        return [row.id for row in rows]


async def unpublished(container: Container, ids: list[UUID]) -> int:
    """How many of these outbox events the relay has not published (yet)."""
    async with container.platform_engine.connect() as conn:
        count = await conn.scalar(
            text("SELECT count(*) FROM outbox WHERE id = ANY(:ids) AND published_at IS NULL"),
            {"ids": ids},
        )
    return int(count or 0)


async def all_published(container: Container, ids: list[UUID]) -> bool:
    return await unpublished(container, ids) == 0


async def queues_idle(container: Container, queues: Sequence[str] = ("events", "webhooks")) -> bool:
    """Nothing waiting, in flight or delayed on those queues."""
    stats = await container.queues.stats(list(queues))
    return all(q.waiting == 0 and q.in_flight == 0 and q.delayed == 0 for q in stats)


@asynccontextmanager
async def running_worker(settings: Settings, **options: object) -> AsyncIterator[WorkerRuntime]:
    runtime = WorkerRuntime(settings, threads=2, **options)  # type: ignore[arg-type]
    await asyncio.to_thread(runtime.start)
    try:
        yield runtime
    finally:
        await asyncio.to_thread(runtime.stop, 10_000)
