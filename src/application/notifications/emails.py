"""Sending queued notification emails, one task per email (ORD-7, INV-3).

An email waits in Postgres (``queued_emails``) from the transaction that notified. After
commit it is sent by the ``notifications.email`` task, which the event subscriber enqueues;
a periodic sweep re-enqueues emails whose task was lost and retries failed ones when due.
Sending claims the email with a short lease in its own transaction, talks to the mail
server with no transaction open, and records the outcome in a second transaction that
counts only while the lease still holds. Delivery is at least once: a worker that dies
after the server took the mail but before recording it sends it again later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from uuid import UUID

from application.customers.ports import CUSTOMERS
from application.identity.ports import IDENTITY
from application.notifications.notifier import SWEEP_GRACE
from application.notifications.ports import (
    NOTIFICATIONS,
    DueEmail,
    DueEmails,
    EmailClaim,
    EmailNotSent,
    EmailSender,
    MessageTemplates,
    OutgoingEmail,
    QueuedEmail,
    UnknownTemplate,
)
from application.shared.clock import Clock, IdGenerator
from application.shared.context import Actor, ActorKind, CallContext
from application.shared.messaging import TaskQueue
from application.shared.unit_of_work import UnitOfWork, UnitOfWorkFactory
from domain.notifications.language import message_language

SEND_TASK = "notifications.email"
ACTOR = "notifications.email"
MAX_ERROR_LENGTH = 500


class SendOutcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # the mail server did not take it; the sweep tries again later
    FAILED = "failed"  # given up: refused for good, or out of attempts
    SKIPPED = "skipped"  # the user is gone or inactive
    NOT_CLAIMED = "not_claimed"  # already sent, given up, or in another worker's hands


@dataclass(frozen=True)
class EmailPolicy:
    max_attempts: int = 8
    lease: timedelta = timedelta(minutes=5)  # longer than any SMTP timeout
    first_retry: timedelta = timedelta(seconds=30)
    max_retry: timedelta = timedelta(hours=1)
    sweep_batch: int = 200

    def retry_delay(self, attempts: int) -> timedelta:
        delay: timedelta = self.first_retry * 2 ** max(attempts - 1, 0)
        return min(delay, self.max_retry)


def task_payload(tenant_id: UUID, email_id: UUID) -> dict[str, str]:
    return {"tenant_id": str(tenant_id), "email_id": str(email_id)}


def worker_context(tenant_id: UUID, request_id: str) -> CallContext:
    return CallContext(tenant_id, Actor(ActorKind.SYSTEM, ACTOR), frozenset(), request_id)


@dataclass(frozen=True)
class Recipient:
    address: str
    name: str
    language: str


async def _recipient(uow: UnitOfWork, queued: QueuedEmail) -> Recipient | None:
    """Whom the email goes to now: an active user, or a customer (ORD-7) not erased and
    still with an address; None when there is no one."""
    if queued.customer_id is not None:
        customer = await uow.of(CUSTOMERS).customers.get(queued.customer_id)
        profile = customer.profile if customer is not None else None
        if profile is None or profile.email is None:
            return None
        return Recipient(profile.email, profile.name, message_language(profile.language))
    user = await uow.of(IDENTITY).users.get(queued.user_id) if queued.user_id else None
    if user is None or not user.active:
        return None
    return Recipient(user.email, user.display_name, message_language(user.locale))


class NotificationEmails:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        templates: MessageTemplates,
        sender: EmailSender,
        queue: TaskQueue,
        due: DueEmails,
        clock: Clock,
        ids: IdGenerator,
        policy: EmailPolicy | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._templates = templates
        self._sender = sender
        self._queue = queue
        self._due = due
        self._clock = clock
        self._ids = ids
        self._policy = policy or EmailPolicy()

    @staticmethod
    async def pending_of(uow: UnitOfWork, notification_id: UUID) -> list[UUID]:
        """The emails of a notification still to send (for the event subscriber)."""
        return await uow.of(NOTIFICATIONS).queued_emails.pending_of(notification_id)

    async def send(self, tenant_id: UUID, email_id: UUID) -> SendOutcome:
        """Send one queued email (the ``notifications.email`` task); idempotent."""
        ctx = worker_context(tenant_id, str(email_id))
        now = self._clock.now()
        async with self._uow_factory.for_tenant(ctx) as uow:
            claim = await uow.of(NOTIFICATIONS).queued_emails.claim(
                email_id, self._ids.new_id(), now, now + self._policy.lease
            )
            if claim is None:
                return SendOutcome.NOT_CLAIMED
            recipient = await _recipient(uow, claim.email)
            await uow.commit()

        if recipient is None:
            return await self._finish(ctx, claim, SendOutcome.SKIPPED, "recipient inactive")
        try:
            email = self._compose(claim, recipient)
        except (UnknownTemplate, ValueError) as error:
            return await self._finish(ctx, claim, SendOutcome.FAILED, f"template: {error}")
        try:
            await self._sender.send(email)
        except EmailNotSent as error:
            given_up = error.permanent or claim.email.attempts >= self._policy.max_attempts
            outcome = SendOutcome.FAILED if given_up else SendOutcome.RETRY
            return await self._finish(ctx, claim, outcome, error.reason)
        return await self._finish(ctx, claim, SendOutcome.SENT)

    def _compose(self, claim: EmailClaim, recipient: Recipient) -> OutgoingEmail:
        queued = claim.email
        # The recipient's language and address now, not when the notification was made.
        language = recipient.language
        rendered = self._templates.render(queued.template, language, queued.params, queued.link)
        return OutgoingEmail(
            to_address=recipient.address,
            to_name=recipient.name,
            subject=rendered.subject,
            body=rendered.body,
            language=language,
            reference=str(queued.id),
        )

    async def _finish(
        self, ctx: CallContext, claim: EmailClaim, outcome: SendOutcome, error: str | None = None
    ) -> SendOutcome:
        now = self._clock.now()
        status = {
            SendOutcome.SENT: "sent",
            SendOutcome.RETRY: "pending",
            SendOutcome.FAILED: "failed",
            SendOutcome.SKIPPED: "skipped",
        }[outcome]
        next_attempt = (
            now + self._policy.retry_delay(claim.email.attempts)
            if outcome is SendOutcome.RETRY
            else None
        )
        async with self._uow_factory.for_tenant(ctx) as uow:
            recorded = await uow.of(NOTIFICATIONS).queued_emails.finish(
                claim, status, now, error[:MAX_ERROR_LENGTH] if error else None, next_attempt
            )
            await uow.commit()
        # A lost lease means another worker took the email over; its outcome stands.
        return outcome if recorded else SendOutcome.NOT_CLAIMED

    async def sweep(self) -> list[DueEmail]:
        """Enqueue every due email (retries, and any whose task was lost): periodic."""
        now = self._clock.now()
        due = await self._due.take(now, now + SWEEP_GRACE, self._policy.sweep_batch)
        stamp = now.strftime("%Y%m%dT%H%M%S")
        for item in due:
            await self._queue.enqueue(
                SEND_TASK,
                task_payload(item.tenant_id, item.email_id),
                message_id=f"{item.email_id}:{stamp}",
            )
        return due
