"""``shopkeeper worker``: dramatiq worker threads for the registered tasks, and the outbox
relay (docs/events-and-jobs.md).

One process: ``--threads`` worker threads share one asyncio event loop (dramatiq's AsyncIO
middleware) on which the handlers and the relay run with the process's own ``Container``.
Scale out by running more processes; the relay in each uses ``SKIP LOCKED``.

Why the relay lives here rather than in the scheduler: it is not periodic work with a
period to record, it must keep going on every node that can publish, and several relays
side by side are safe; a single scheduler leader would make the relay a single point of
delay.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import Iterable
from concurrent.futures import Future
from typing import Any

import dramatiq
import structlog
from dramatiq.asyncio import get_event_loop_thread
from dramatiq.broker import Broker
from dramatiq.middleware import CurrentMessage, Middleware

from application.shared.messages import AlreadyProcessed
from bootstrap import Container, build_container, check_database
from bootstrap.event_loop import use_uvloop
from bootstrap.heap import freeze_heap
from bootstrap.settings import Settings
from entrypoints.logging import configure_logging
from entrypoints.worker.tasks import TaskMessage, TaskSpec, load_task_modules, registered_tasks

log = structlog.get_logger("shopkeeper.worker")


def declare_actors(broker: Broker, container: Container, specs: Iterable[TaskSpec]) -> None:
    """One thin dramatiq actor per task: read the message, await the handler."""
    for spec in specs:
        dramatiq.Actor(
            _perform(spec, container),
            broker=broker,
            actor_name=spec.name,
            queue_name=spec.queue,
            priority=0,
            options=spec.actor_options(),
        )


def _perform(spec: TaskSpec, container: Container) -> Any:
    # A plain function, not ``async def``: it runs on the worker thread, where dramatiq's
    # CurrentMessage holds the message (its id is the dedupe key), and hands the handler to
    # the AsyncIO middleware's event loop.
    def perform(payload: dict[str, str]) -> None:
        current = CurrentMessage.get_current_message()
        message = TaskMessage(
            name=spec.name,
            message_id=current.message_id if current else "",
            payload={str(k): str(v) for k, v in payload.items()},
            retries=int(current.options.get("retries", 0)) if current else 0,
        )
        loop_thread = get_event_loop_thread()
        if loop_thread is None:
            raise RuntimeError("the AsyncIO middleware is not running")
        try:
            loop_thread.run_coroutine(_handle(spec, container, message))
        except AlreadyProcessed:
            log.info("task.duplicate", task=spec.name, message_id=message.message_id)

    perform.__name__ = spec.name.replace(".", "_")
    perform.__module__ = spec.handler.__module__
    return perform


async def _handle(spec: TaskSpec, container: Container, message: TaskMessage) -> None:
    with structlog.contextvars.bound_contextvars(
        task=spec.name,
        message_id=message.message_id,
        tenant_id=message.payload.get("tenant_id"),
    ):
        await spec.handler(container, message)


class _CloseContainer(Middleware):
    """Closes the container on the event loop after in-flight messages finished and before
    the AsyncIO middleware stops the loop (``after_*`` hooks run in reverse order)."""

    def __init__(self, runtime: WorkerRuntime) -> None:
        self._runtime = runtime

    def after_worker_shutdown(self, broker: Broker, worker: dramatiq.Worker) -> None:
        self._runtime.close_on_loop()


class WorkerRuntime:
    """A worker in this process: ``start()``, then ``stop()`` (tests use it in-process; one
    at a time, since dramatiq's event loop thread is process-wide)."""

    def __init__(
        self,
        settings: Settings,
        *,
        threads: int = 8,
        queues: Iterable[str] | None = None,
        relay: bool = True,
    ) -> None:
        self.settings = settings
        self._threads = threads
        self._queues = set(queues) if queues else None
        self._relay_enabled = relay
        self._relay_stop: asyncio.Event | None = None
        self._relay: Future[None] | None = None
        self._closed = False
        self.container: Container | None = None
        self._worker: dramatiq.Worker | None = None
        self._sweep_stop = threading.Event()
        self._sweeper: threading.Thread | None = None

    def start(self) -> None:
        load_task_modules(self.settings.worker_modules if self.settings.is_development else ())
        asyncio.run(check_database(self.settings))  # before any message is taken
        container = self.container = build_container(self.settings)
        broker = container.broker
        broker.add_middleware(_CloseContainer(self))
        specs = list(registered_tasks().values())
        declare_actors(broker, container, specs)
        freeze_heap()
        self._worker = dramatiq.Worker(broker, queues=self._queues, worker_threads=self._threads)
        self._worker.start()
        self._sweep_stop = threading.Event()
        self._sweeper = threading.Thread(
            target=self._sweep_loop, args=(container,), name="broker-sweep", daemon=True
        )
        self._sweeper.start()
        log.info(
            "worker.started",
            tasks=sorted(s.name for s in specs),
            threads=self._threads,
            relay=self._relay_enabled,
        )
        if self._relay_enabled:
            loop = self._loop()
            self._relay_stop = asyncio.Event()
            self._relay = asyncio.run_coroutine_threadsafe(self._relay_loop(), loop)

    def stop(self, timeout_ms: int = 30_000) -> None:
        """Stop relaying and fetching, let in-flight messages finish (up to ``timeout_ms``),
        requeue prefetched ones, close the container."""
        if self._relay is not None and self._relay_stop is not None:
            self._loop().call_soon_threadsafe(self._relay_stop.set)
            with contextlib.suppress(Exception):
                self._relay.result(timeout=timeout_ms / 1000)
            self._relay = None
        if self._sweeper is not None:
            self._sweep_stop.set()
            self._sweeper.join()
            self._sweeper = None
        if self._worker is not None:
            self._worker.stop(timeout=timeout_ms)
            self._worker = None
        log.info("worker.stopped")

    def close_on_loop(self) -> None:
        if self._closed or self.container is None:
            return
        self._closed = True
        container = self.container
        with contextlib.suppress(Exception):
            self._loop_thread().run_coroutine(container.aclose())

    def run_on_loop(self, coro: Any) -> Any:
        """Run a coroutine on the worker's loop (where its container's pools live)."""
        return self._loop_thread().run_coroutine(coro)

    async def _relay_loop(self) -> None:
        assert self.container is not None and self._relay_stop is not None
        relay, stop = self.container.outbox_relay, self._relay_stop
        while not stop.is_set():
            try:
                await relay.relay_pending()
            except Exception as error:  # the database is down: try again next time
                log.warning("outbox.relay_failed", error=type(error).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.settings.outbox_poll_seconds)

    def _sweep_loop(self, container: Container) -> None:
        """Hand dead workers' messages back on every queue: at start, then every
        ``broker_sweep_seconds`` (a thread: the broker's Redis client blocks)."""
        interval = self.settings.broker_sweep_seconds
        while True:
            try:
                container.broker.sweep()
            except Exception as error:  # Redis is down: try again next time
                log.warning("broker.sweep_failed", error=type(error).__name__)
            if self._sweep_stop.wait(interval):
                return

    def _loop_thread(self) -> Any:
        thread = get_event_loop_thread()
        if thread is None:
            raise RuntimeError("the worker is not running")
        return thread

    def _loop(self) -> asyncio.AbstractEventLoop:
        loop: asyncio.AbstractEventLoop = self._loop_thread().loop
        return loop


def run_worker(threads: int, queues: tuple[str, ...], no_relay: bool) -> None:
    """Run background tasks and the outbox relay until SIGTERM/SIGINT (``shopkeeper
    worker``, declared in ``entrypoints/cli/commands/worker.py``)."""
    settings = Settings()
    configure_logging(settings.log_level)
    use_uvloop()  # before dramatiq's loop thread and the database check make their loops
    runtime = WorkerRuntime(settings, threads=threads, queues=queues or None, relay=not no_relay)
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    runtime.start()
    try:
        while not stopping.wait(0.5):
            pass
    finally:
        runtime.stop()
