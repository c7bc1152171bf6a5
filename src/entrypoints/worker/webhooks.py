"""Webhooks in the background (CHN-3; docs/events-and-jobs.md, docs/webhooks.md).

- ``webhooks.fan_out`` (subscriber of every event): one delivery per subscribed endpoint,
  written in the subscriber's transaction; their first attempts are queued after commit.
- ``webhooks.deliver`` (task): one attempt. The use case keeps its own retry schedule
  (backoff with jitter, dead after the configured attempts) and queues the next attempt
  itself, so dramatiq's retries only cover a failure of the handler itself (the database
  unreachable, say) — and repeating an attempt's message is harmless (attempts are claimed).
- ``webhooks.requeue_stalled`` (periodic): queues pending deliveries whose message was lost.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from application.webhooks.service import WebhookService
from bootstrap import Container
from entrypoints.worker.events import EventWork, subscribe
from entrypoints.worker.scheduler import every
from entrypoints.worker.tasks import TaskMessage, register

DELIVER = "webhooks.deliver"


@subscribe("*", name="webhooks.fan_out")
async def fan_out(work: EventWork) -> None:
    record = work.container.get(WebhookService).record_deliveries_for_event
    pending = await record.in_unit_of_work(work.uow, work.event)
    for message in record.messages(work.event.tenant_id, pending):
        work.after_commit(
            DELIVER, message.payload, message_id=message.message_id, delay_ms=message.delay_ms
        )


def _number(payload: dict[str, str], key: str) -> int | None:
    value = payload.get(key)
    return int(value) if value else None


@register(DELIVER, max_retries=3, min_backoff_ms=5_000, max_backoff_ms=60_000)
async def deliver(container: Container, message: TaskMessage) -> None:
    payload = message.payload
    await container.get(WebhookService).deliver(
        UUID(payload["tenant_id"]),
        UUID(payload["delivery_id"]),
        series=_number(payload, "series"),
        attempt=_number(payload, "attempt"),
    )


@every(60, "webhooks.requeue_stalled")
async def requeue_stalled(container: Container, period_start: datetime) -> None:
    await container.get(WebhookService).requeue_stalled()
