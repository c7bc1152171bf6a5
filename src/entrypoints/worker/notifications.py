"""Notification emails in the worker (docs/notifications.md).

- ``notification.emails_queued`` (outbox event, written by the notifying transaction) ->
  one ``notifications.email`` task per queued email, enqueued after the subscriber commits.
- ``notifications.email`` sends one email. The queued row keeps its own retry schedule,
  so the task is never retried by the broker (``max_retries=0``): a failed send is put
  back with a later ``next_attempt_at``.
- The ``notifications.email_sweep`` periodic job enqueues every due email: retries, and
  any whose task was lost (Redis down at the wrong moment, a worker killed mid-send).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import structlog

from application.notifications.emails import SEND_TASK, NotificationEmails, task_payload
from application.notifications.notifier import EMAILS_QUEUED
from bootstrap import Container
from entrypoints.worker.events import EventWork, subscribe
from entrypoints.worker.scheduler import every
from entrypoints.worker.tasks import TaskMessage, register

log = structlog.get_logger("shopkeeper.notifications")

SWEEP_SECONDS = 30


@subscribe(EMAILS_QUEUED, name="notifications.queue_emails")
async def queue_emails(work: EventWork) -> None:
    emails = work.container.get(NotificationEmails)
    for email_id in await emails.pending_of(work.uow, work.event.entity_id):
        work.after_commit(
            SEND_TASK, task_payload(work.event.tenant_id, email_id), message_id=str(email_id)
        )


@register(SEND_TASK, max_retries=0)
async def send_email(container: Container, message: TaskMessage) -> None:
    tenant_id = UUID(message.payload["tenant_id"])
    email_id = UUID(message.payload["email_id"])
    outcome = await container.get(NotificationEmails).send(tenant_id, email_id)
    log.info(
        "notification.email", tenant_id=str(tenant_id), email_id=str(email_id), outcome=outcome
    )


@every(SWEEP_SECONDS, "notifications.email_sweep")
async def sweep_emails(container: Container, period_start: datetime) -> None:
    due = await container.get(NotificationEmails).sweep()
    if due:
        log.info("notification.email_sweep", enqueued=len(due))
