"""Fan an outbox event out to the tenant's endpoints: one delivery per active endpoint
subscribed to its type (CHN-3).

Idempotent: the UNIQUE (tenant, endpoint, event) key makes a second run write nothing. A
second run still queues an attempt for every pending delivery of the event, so a crash
between commit and enqueue is repaired by running it again (attempts are claimed, so a
duplicate message costs nothing). The periodic sweep repairs it too.
"""

from __future__ import annotations

from uuid import UUID

from application.shared.clock import Clock, IdGenerator
from application.shared.messages import PublishedEvent
from application.shared.messaging import TaskQueue
from application.shared.unit_of_work import UnitOfWork, UnitOfWorkFactory
from application.webhooks.common import (
    DELIVER_TASK,
    AttemptMessage,
    attempt_message,
    worker_context,
)
from application.webhooks.ports import WEBHOOKS
from domain.webhooks.delivery import DeliveryStatus, WebhookDelivery, webhook_payload


class RecordDeliveries:
    def __init__(
        self, uow_factory: UnitOfWorkFactory, queue: TaskQueue, clock: Clock, ids: IdGenerator
    ) -> None:
        self._uow_factory = uow_factory
        self._queue = queue
        self._clock = clock
        self._ids = ids

    async def in_unit_of_work(
        self, uow: UnitOfWork, event: PublishedEvent
    ) -> list[WebhookDelivery]:
        """Write the event's deliveries in the caller's transaction; answers its pending
        deliveries, to be queued (``enqueue``) once that transaction has committed."""
        payload = webhook_payload(
            event.id,
            event.event_type,
            event.entity_type,
            event.entity_id,
            event.changed_fields,
            event.data,
            event.occurred_at,
        )
        now = self._clock.now()
        for endpoint in await uow.of(WEBHOOKS).webhooks.list_endpoints():
            if endpoint.subscribes_to(event.event_type):
                await uow.of(WEBHOOKS).webhooks.add_delivery(
                    WebhookDelivery.for_event(
                        self._ids.new_id(), endpoint.id, event.id, event.event_type, payload, now
                    )
                )
        return [
            d
            for d in await uow.of(WEBHOOKS).webhooks.deliveries_of_event(event.id)
            if d.status is DeliveryStatus.PENDING
        ]

    def messages(self, tenant_id: UUID, deliveries: list[WebhookDelivery]) -> list[AttemptMessage]:
        """The "webhooks.deliver" messages to queue for ``deliveries`` after commit."""
        now = self._clock.now()
        return [
            attempt_message(self._ids, tenant_id, d, at=d.next_attempt_at, now=now)
            for d in deliveries
        ]

    async def enqueue(self, tenant_id: UUID, deliveries: list[WebhookDelivery]) -> None:
        for message in self.messages(tenant_id, deliveries):
            await self._queue.enqueue(
                DELIVER_TASK,
                message.payload,
                message_id=message.message_id,
                delay_ms=message.delay_ms,
            )

    async def __call__(self, tenant_id: UUID, event_id: UUID) -> list[UUID]:
        """Record the deliveries of outbox event ``event_id`` and queue their attempts.
        Answers the ids of the event's pending deliveries (none for an unknown event)."""
        async with self._uow_factory.for_tenant(worker_context(tenant_id)) as uow:
            event = await uow.of(WEBHOOKS).webhooks.event(event_id)
            if event is None:
                return []
            pending = await self.in_unit_of_work(uow, event)
            await uow.commit()
        await self.enqueue(tenant_id, pending)
        return [d.id for d in pending]
