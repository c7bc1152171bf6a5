"""The delivery log: list, inspect and replay deliveries (CHN-3).

Tenant admins do it through the API (``webhooks:manage``); the operator's support staff
through the CLI, as the platform role under a named ``SystemContext``, every action
recorded in the tenant's audit and in the operator audit.

A replay starts a new series of attempts for a delivery that succeeded or died; it keeps
its ``webhook-id``, so a receiver that already processed it can tell.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from application.shared.clock import IdGenerator
from application.shared.messaging import TaskQueue
from application.shared.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Changes
from application.webhooks.common import enqueue_attempt, load_delivery, load_endpoint
from application.webhooks.ports import WEBHOOKS, DeliveryAttempt, DeliveryFilter, DeliveryPosition
from domain.shared.errors import Conflict, ValidationFailed
from domain.webhooks.delivery import DeliveryStatus, WebhookDelivery


@dataclass(frozen=True)
class DeliveryDetail:
    delivery: WebhookDelivery
    attempts: list[DeliveryAttempt]


def delivery_filter(status: str | None, endpoint_id: UUID | None) -> DeliveryFilter:
    if status is None:
        return DeliveryFilter(None, endpoint_id)
    try:
        return DeliveryFilter(DeliveryStatus(status), endpoint_id)
    except ValueError:
        raise ValidationFailed.single(
            "status", "invalid_delivery_status", allowed=[s.value for s in DeliveryStatus]
        ) from None


def _position(cursor: str | None) -> DeliveryPosition | None:
    if cursor is None:
        return None
    key = decode_cursor(cursor)
    try:
        return DeliveryPosition(datetime.fromisoformat(key[0]), UUID(key[1]))
    except (ValueError, IndexError):
        raise ValidationFailed.single("cursor", "invalid_cursor") from None


async def delivery_page(
    uow: UnitOfWork, flt: DeliveryFilter, cursor: str | None, limit: int | None
) -> Page[WebhookDelivery]:
    size = clamp_limit(limit)
    rows = await uow.of(WEBHOOKS).webhooks.list_deliveries(flt, _position(cursor), size + 1)
    items = rows[:size]
    next_cursor = None
    if len(rows) > size:
        last = items[-1]
        next_cursor = encode_cursor([last.created_at.isoformat(), str(last.id)])
    return Page(items, next_cursor)


async def replay_delivery(work: Changes, delivery_id: UUID, now: datetime) -> WebhookDelivery:
    """A new series of attempts, noted for the audit (tenant admins and support alike)."""
    delivery = await load_delivery(work.uow, delivery_id, lock=True)
    endpoint = await load_endpoint(work.uow, delivery.endpoint_id)
    if not endpoint.active:
        raise Conflict("webhook_endpoint_inactive")
    delivery.replay(now)
    await work.uow.of(WEBHOOKS).webhooks.save_delivery(delivery)
    work.audit(delivery.id, detail={"series": delivery.series, "endpoint": str(endpoint.id)})
    return delivery


async def queue_replay(
    queue: TaskQueue, ids: IdGenerator, tenant_id: UUID, delivery: WebhookDelivery
) -> None:
    # If the broker is down the replay is still committed: the periodic sweep queues
    # every overdue pending delivery, this one included.
    with contextlib.suppress(Exception):
        await enqueue_attempt(queue, ids, tenant_id, delivery)
