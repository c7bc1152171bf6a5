"""``events.dispatch``: an outbox event fanned out to its subscribers.

The relay enqueues one ``events.dispatch`` per outbox row (message id = event id). This
handler loads the event and calls every matching subscriber in a transaction of its own
that first claims ``(subscriber name, event id)`` in ``processed_messages``: a redelivered
event reaches each subscriber once, and one failing subscriber neither rolls back nor
repeats the others (the message is retried, and only the ones that did not commit run).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from uuid import UUID

import structlog

from adapters.messaging.outbox_relay import DISPATCH_TASK
from application.shared.context import CallContext
from application.shared.messages import PublishedEvent
from application.shared.unit_of_work import UnitOfWork
from bootstrap import Container
from entrypoints.worker.tasks import TaskMessage, register, worker_context

log = structlog.get_logger("shopkeeper.events")


@dataclass(frozen=True)
class _Enqueue:
    task: str
    payload: dict[str, str]
    message_id: str | None
    delay_ms: int


@dataclass
class EventWork:
    """What a subscriber gets: the event, the tenant's unit of work (dedupe claim already
    made; committed after the subscriber returns), the worker's context in the tenant."""

    event: PublishedEvent
    uow: UnitOfWork
    ctx: CallContext
    container: Container
    _after_commit: list[_Enqueue] = field(default_factory=list)

    def after_commit(
        self,
        task: str,
        payload: dict[str, str],
        *,
        message_id: str | None = None,
        delay_ms: int = 0,
    ) -> None:
        """Enqueue ``task`` once this subscriber's transaction has committed."""
        self._after_commit.append(_Enqueue(task, dict(payload), message_id, delay_ms))


EventSubscriber = Callable[[EventWork], Awaitable[None]]


@dataclass(frozen=True)
class Subscription:
    pattern: str  # "*", an exact event type, or a prefix such as "customer.*"
    name: str  # the dedupe consumer: keep it stable
    handler: EventSubscriber

    def matches(self, event_type: str) -> bool:
        if self.pattern == "*":
            return True
        if self.pattern.endswith(".*"):
            return event_type.startswith(self.pattern[:-1])
        return event_type == self.pattern


_subscriptions: dict[str, Subscription] = {}


def subscribe(pattern: str, *, name: str) -> Callable[[EventSubscriber], EventSubscriber]:
    def decorate(handler: EventSubscriber) -> EventSubscriber:
        _subscriptions[name] = Subscription(pattern, name, handler)
        return handler

    return decorate


def unsubscribe(name: str) -> None:
    """For tests that subscribe a probe."""
    _subscriptions.pop(name, None)


def subscriptions_for(event_type: str) -> list[Subscription]:
    return [s for s in _subscriptions.values() if s.matches(event_type)]


class SubscribersFailed(RuntimeError):
    """Some subscribers failed; the message is retried and only they run again."""


@register(DISPATCH_TASK)
async def dispatch_event(container: Container, message: TaskMessage) -> None:
    tenant_id = UUID(message.payload["tenant_id"])
    event_id = UUID(message.payload["event_id"])
    event = await container.outbox_relay.load_event(tenant_id, event_id)
    if event is None:  # the tenant was deleted since (its outbox went with it)
        log.info("event.gone", tenant_id=str(tenant_id), event_id=str(event_id))
        return
    failed = []
    for subscription in subscriptions_for(event.event_type):
        try:
            await deliver(container, subscription, event)
        except Exception as error:
            log.exception(
                "event.subscriber_failed",
                subscriber=subscription.name,
                error=type(error).__name__,
                tenant_id=str(tenant_id),
                event_id=str(event_id),
                event_type=event.event_type,
            )
            failed.append(subscription.name)
    if failed:
        raise SubscribersFailed(", ".join(failed))


async def deliver(container: Container, subscription: Subscription, event: PublishedEvent) -> bool:
    """Run one subscriber for one event, at most once; False when it had run before."""
    ctx = worker_context(event.tenant_id, subscription.name, event.request_id)
    async with container.uow_factory.for_tenant(ctx) as uow:
        if not await uow.processed.claim(subscription.name, str(event.id)):
            return False
        work = EventWork(event, uow, ctx, container)
        await subscription.handler(work)
        await uow.commit()
    for item in work._after_commit:
        await container.task_queue.enqueue(
            item.task, item.payload, message_id=item.message_id, delay_ms=item.delay_ms
        )
    return True
