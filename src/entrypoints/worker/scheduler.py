"""``shopkeeper scheduler``: periodic jobs, fired by one leader among any number of
schedulers (docs/events-and-jobs.md).

Register a job anywhere under ``entrypoints.worker``::

    @every(5, "audit.seal")
    async def seal(container: Container, period_start: datetime) -> None: ...

Periods are aligned to the epoch on the database's clock. Each firing is first recorded in
``scheduler_runs`` (only while holding the leader lock; the primary key refuses a second
firing of one period), then the job runs. A job still running when its next period comes
skips that period rather than overlapping itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import signal
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import overload

import structlog

from adapters.postgres.shared.scheduler_lock import SchedulerLeadership
from bootstrap import Container, build_container
from bootstrap.event_loop import use_uvloop
from bootstrap.heap import freeze_heap
from bootstrap.settings import Settings
from entrypoints.logging import configure_logging
from entrypoints.worker.tasks import load_task_modules

log = structlog.get_logger("shopkeeper.scheduler")

JobFunction = Callable[[Container, datetime], Awaitable[None]]


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    seconds: float
    run: JobFunction

    def period_start(self, now: datetime) -> datetime:
        epoch = now.timestamp()
        return datetime.fromtimestamp(math.floor(epoch / self.seconds) * self.seconds, UTC)


_jobs: dict[str, PeriodicJob] = {}


@overload
def every(seconds: float, name: str) -> Callable[[JobFunction], JobFunction]: ...
@overload
def every(seconds: float, name: str, fn: JobFunction) -> JobFunction: ...
def every(
    seconds: float, name: str, fn: JobFunction | None = None
) -> JobFunction | Callable[[JobFunction], JobFunction]:
    """Run ``fn(container, period_start)`` once every ``seconds`` (a decorator or a call)."""
    if seconds <= 0:
        raise ValueError("a period must be positive")

    def decorate(job: JobFunction) -> JobFunction:
        _jobs[name] = PeriodicJob(name, seconds, job)
        return job

    return decorate(fn) if fn is not None else decorate


def enqueue_task(task: str) -> JobFunction:
    """A periodic job that enqueues ``task`` once a period: the period's start is in the
    message id, so two schedulers firing one period enqueue it once."""

    async def enqueue(container: Container, period_start: datetime) -> None:
        await container.task_queue.enqueue(
            task, {}, message_id=f"{task}:{period_start.isoformat()}"
        )

    return enqueue


def unschedule(name: str) -> None:
    _jobs.pop(name, None)


def periodic_jobs() -> dict[str, PeriodicJob]:
    return dict(_jobs)


def scheduler_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Scheduler:
    def __init__(
        self,
        container: Container,
        jobs: list[PeriodicJob],
        *,
        identity: str | None = None,
        lock_poll_seconds: float = 0.5,
        tick_seconds: float = 0.2,
    ) -> None:
        self._container = container
        self._jobs = jobs
        self.identity = identity or scheduler_identity()
        self._lock_poll = lock_poll_seconds
        self._tick = tick_seconds
        self._running: dict[str, asyncio.Task[None]] = {}
        self.is_leader = False

    async def run(self, stop: asyncio.Event) -> None:
        try:
            while not stop.is_set():
                leadership = SchedulerLeadership(self._container.platform_engine)
                try:
                    if await leadership.acquire():
                        self.is_leader = True
                        log.info("scheduler.leading", identity=self.identity)
                        await self._lead(leadership, stop)
                except Exception as error:
                    # Lost connection or lock, or the database is down: stop firing, retry.
                    log.warning(
                        "scheduler.not_leading", identity=self.identity, error=type(error).__name__
                    )
                finally:
                    self.is_leader = False
                    with contextlib.suppress(Exception):
                        await leadership.release()
                await _wait(stop, self._lock_poll)
        finally:
            await self._finish_running()

    async def _lead(self, leadership: SchedulerLeadership, stop: asyncio.Event) -> None:
        last: dict[str, datetime] = {}
        while not stop.is_set():
            now = await leadership.now()
            for job in self._jobs:
                period_start = job.period_start(now)
                if last.get(job.name) == period_start:
                    continue
                running = self._running.get(job.name)
                if running is not None and not running.done():
                    log.warning("scheduler.job_overran", job=job.name)
                    last[job.name] = period_start
                    continue
                firing = await leadership.record(job.name, period_start, self.identity)
                last[job.name] = period_start
                if firing.fired:
                    self._running[job.name] = asyncio.create_task(
                        self._run_job(job, period_start), name=f"job:{job.name}"
                    )
            await _wait(stop, self._tick)

    async def _run_job(self, job: PeriodicJob, period_start: datetime) -> None:
        try:
            await job.run(self._container, period_start)
        except Exception:
            log.exception("scheduler.job_failed", job=job.name, period_start=str(period_start))

    async def _finish_running(self) -> None:
        tasks = [t for t in self._running.values() if not t.done()]
        if tasks:
            await asyncio.wait(tasks, timeout=30)


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def run_scheduler(settings: Settings) -> None:
    load_task_modules(settings.worker_modules if settings.is_development else ())
    jobs = list(periodic_jobs().values())
    container = build_container(settings)
    freeze_heap()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    log.info("scheduler.started", jobs=[f"{j.name}/{j.seconds}s" for j in jobs])
    try:
        await Scheduler(container, jobs).run(stop)
    finally:
        await container.aclose()
        log.info("scheduler.stopped")


def serve_scheduler() -> None:
    """Fire periodic jobs until stopped (``shopkeeper scheduler``, declared in
    ``entrypoints/cli/commands/scheduler.py``)."""
    settings = Settings()
    configure_logging(settings.log_level)
    use_uvloop()
    asyncio.run(run_scheduler(settings))
