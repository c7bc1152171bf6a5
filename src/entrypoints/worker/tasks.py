"""The task registry: task names mapped to async handlers (docs/events-and-jobs.md).

A handler is ``async def handler(container, message: TaskMessage) -> None``. The worker
creates one dramatiq actor per registered task; the actor only reads the message and awaits
the handler, so handlers never see dramatiq.

Every module under ``entrypoints.worker`` is imported by ``load_task_modules`` (the worker,
the scheduler and ``shopkeeper jobs`` call it), so a ``@register`` anywhere in that
package is enough: there is no central list to edit.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from adapters.messaging.broker import queue_for
from application.shared.context import Actor, ActorKind, CallContext
from bootstrap import Container
from domain.identity.permissions import ALL_PERMISSIONS


@dataclass(frozen=True)
class TaskMessage:
    name: str
    message_id: str
    payload: dict[str, str]  # ids and codes only, never personal data
    retries: int = 0  # how many earlier attempts failed


TaskHandler = Callable[[Container, TaskMessage], Awaitable[None]]


@dataclass(frozen=True)
class TaskSpec:
    name: str
    handler: TaskHandler
    queue: str
    max_retries: int | None = None  # None: the broker's default (adapters.messaging.broker)
    min_backoff_ms: int | None = None
    max_backoff_ms: int | None = None
    time_limit_ms: int | None = None  # None: dramatiq's 10 minutes

    def actor_options(self) -> dict[str, int]:
        options = {
            "max_retries": self.max_retries,
            "min_backoff": self.min_backoff_ms,
            "max_backoff": self.max_backoff_ms,
            "time_limit": self.time_limit_ms,
        }
        return {key: value for key, value in options.items() if value is not None}


_tasks: dict[str, TaskSpec] = {}


def register(
    name: str,
    *,
    max_retries: int | None = None,
    min_backoff_ms: int | None = None,
    max_backoff_ms: int | None = None,
    time_limit_ms: int | None = None,
) -> Callable[[TaskHandler], TaskHandler]:
    """Register ``handler`` as the task ``name`` (``<area>.<verb>``; queue = area)."""
    if "." not in name:
        raise ValueError(f"task name {name!r} must look like 'area.verb'")

    def decorate(handler: TaskHandler) -> TaskHandler:
        existing = _tasks.get(name)
        if existing is not None and _qualname(existing.handler) != _qualname(handler):
            raise ValueError(
                f"task {name!r} is already registered by {_qualname(existing.handler)}"
            )
        _tasks[name] = TaskSpec(
            name,
            handler,
            queue_for(name),
            max_retries,
            min_backoff_ms,
            max_backoff_ms,
            time_limit_ms,
        )
        return handler

    return decorate


def unregister(name: str) -> None:
    """For tests that register a probe task."""
    _tasks.pop(name, None)


def registered_tasks() -> dict[str, TaskSpec]:
    return dict(_tasks)


def task_queues() -> set[str]:
    return {spec.queue for spec in _tasks.values()}


def worker_context(tenant_id: UUID, actor_id: str, request_id: str = "") -> CallContext:
    """The worker acting in one tenant: a system actor named after its task, which the
    audit records; use cases check permissions as for anyone else."""
    return CallContext(tenant_id, Actor(ActorKind.SYSTEM, actor_id), ALL_PERMISSIONS, request_id)


Sweep = Callable[[Callable[[UUID], CallContext]], Awaitable[dict[UUID, int]]]


def register_sweep(
    task: str,
    sweep: Callable[[Container], Sweep],
    logger: Any,
    event: str,
    counted: str,
    *,
    quiet_when_none: bool = False,
) -> None:
    """A scheduled sweep over every tenant (``sweep(container)`` run with each tenant's
    worker context named ``task``), never retried (the next period does it again); each
    tenant's count is logged as ``event`` with ``counted=N`` (not when N is 0, with
    ``quiet_when_none``)."""

    async def run(container: Container, message: TaskMessage) -> None:
        counts = await sweep(container)(lambda tenant_id: worker_context(tenant_id, task))
        for tenant_id, count in counts.items():
            if count or not quiet_when_none:
                logger.info(event, tenant_id=str(tenant_id), **{counted: count})

    run.__name__ = run.__qualname__ = task.replace(".", "_")
    register(task, max_retries=0)(run)


def job_of(message: TaskMessage) -> tuple[UUID, UUID]:
    """The tenant and the job a job's task names (``{"tenant_id", "job_id"}``)."""
    return UUID(message.payload["tenant_id"]), UUID(message.payload["job_id"])


def load_task_modules(extra: Iterable[str] = ()) -> None:
    """Import every module of ``entrypoints.worker`` (and ``extra``), running their
    ``@register``, ``@subscribe`` and ``@every`` decorators."""
    import entrypoints.worker as package

    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)
    for name in extra:
        importlib.import_module(name)


def _qualname(handler: Callable[..., object]) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"
