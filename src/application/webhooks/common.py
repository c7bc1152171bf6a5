"""What the webhook use cases share: the worker's context, the queued task, loading."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from application.shared.clock import IdGenerator
from application.shared.context import Actor, ActorKind, CallContext
from application.shared.messaging import TaskQueue
from application.shared.unit_of_work import UnitOfWork
from application.webhooks.ports import WEBHOOKS
from domain.shared.errors import NotFound
from domain.webhooks.delivery import WebhookDelivery
from domain.webhooks.endpoint import WebhookEndpoint

DELIVER_TASK = "webhooks.deliver"
ENDPOINT = "webhook_endpoint"
DELIVERY = "webhook_delivery"


def worker_context(tenant_id: UUID, request_id: str = "") -> CallContext:
    """Deliveries are system work inside one tenant (request role, row-level security)."""
    return CallContext(tenant_id, Actor(ActorKind.SYSTEM, "webhooks"), frozenset(), request_id)


@dataclass(frozen=True)
class AttemptMessage:
    """A queued "webhooks.deliver": ids only, and the attempt it is for."""

    payload: dict[str, str]
    message_id: str
    delay_ms: int


def attempt_message(
    ids: IdGenerator,
    tenant_id: UUID,
    delivery: WebhookDelivery,
    *,
    at: datetime | None = None,
    now: datetime | None = None,
    attempt: int | None = None,
) -> AttemptMessage:
    """The message for an attempt of the delivery (by default its next one) at ``at``.
    It names the attempt, so a duplicate that arrives after that attempt was made is
    recognised as stale and dropped."""
    delay_ms = 0
    if at is not None and now is not None:
        delay_ms = max(0, int((at - now).total_seconds() * 1000))
    series = delivery.series
    attempt = attempt if attempt is not None else delivery.next_attempt
    return AttemptMessage(
        {
            "tenant_id": str(tenant_id),
            "delivery_id": str(delivery.id),
            "series": str(series),
            "attempt": str(attempt),
        },
        # Unique per message: brokers may key messages by id, and a reschedule of the
        # same attempt is a message of its own.
        f"webhook:{delivery.id}:s{series}:a{attempt}:{ids.new_id().hex[-12:]}",
        delay_ms,
    )


async def enqueue_attempt(
    queue: TaskQueue,
    ids: IdGenerator,
    tenant_id: UUID,
    delivery: WebhookDelivery,
    *,
    at: datetime | None = None,
    now: datetime | None = None,
    attempt: int | None = None,
) -> None:
    message = attempt_message(ids, tenant_id, delivery, at=at, now=now, attempt=attempt)
    await queue.enqueue(
        DELIVER_TASK, message.payload, message_id=message.message_id, delay_ms=message.delay_ms
    )


async def load_endpoint(uow: UnitOfWork, endpoint_id: UUID) -> WebhookEndpoint:
    endpoint = await uow.of(WEBHOOKS).webhooks.get_endpoint(endpoint_id)
    if endpoint is None:
        raise NotFound(entity=ENDPOINT)
    return endpoint


async def load_delivery(
    uow: UnitOfWork, delivery_id: UUID, *, lock: bool = False
) -> WebhookDelivery:
    delivery = await uow.of(WEBHOOKS).webhooks.get_delivery(delivery_id, lock=lock)
    if delivery is None:
        raise NotFound(entity=DELIVERY)
    return delivery
