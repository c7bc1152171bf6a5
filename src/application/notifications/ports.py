"""Ports of the notification channels (ORD-7, INV-3): the ``Notifier`` later modules call,
and what it needs — templates, the inbox, queued emails and an email sender.

See docs/notifications.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol
from uuid import UUID

from application.shared.unit_of_work import StoreKey
from domain.notifications.inbox import InboxMessage
from domain.notifications.notification import Notification, ParamValue

if TYPE_CHECKING:
    from application.shared.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class NotificationReceipt:
    """What ``notify`` wrote: the users it reached and, per channel, the rows it made."""

    notification_id: UUID
    user_ids: tuple[UUID, ...]
    inbox_message_ids: tuple[UUID, ...] = ()
    email_ids: tuple[UUID, ...] = ()
    unknown_roles: tuple[str, ...] = ()  # role keys this tenant does not have (skipped)


class Notifier(Protocol):
    """Sends a notification as part of the caller's unit of work.

    Nothing leaves before the caller commits: inbox rows, queued emails and the webhook
    event are written in the caller's transaction, so a rolled-back change notifies nobody.
    Roles are expanded to their current members, each user reached once, in their language.
    The caller has already checked its own permission; ``notify`` checks none.
    """

    async def notify(self, uow: UnitOfWork, notification: Notification) -> NotificationReceipt: ...

    async def notify_many(
        self, uow: UnitOfWork, notifications: Sequence[Notification]
    ) -> list[NotificationReceipt]:
        """``notify`` of each, the roles' members and the users read once for all."""
        ...


@dataclass(frozen=True)
class RenderedMessage:
    subject: str  # one line: the email subject and the inbox title
    body: str  # plain text


class UnknownTemplate(LookupError):
    """No such template in that language: a programming error in the calling module."""


class MessageTemplates(Protocol):
    """Notification texts, one template per key and language (zh-CN, zh-TW, en)."""

    def render(
        self,
        template: str,
        language: str,
        params: Mapping[str, ParamValue],
        link: str | None = None,
    ) -> RenderedMessage:
        """Raise ``UnknownTemplate`` if missing, ``ValueError`` if a parameter is missing."""
        ...


@dataclass(frozen=True)
class OutgoingEmail:
    to_address: str
    to_name: str
    subject: str
    body: str
    language: str  # sent as Content-Language
    reference: str  # our id of this email, for the Message-ID and tracing


class EmailNotSent(Exception):
    """The mail server did not take the message. ``permanent``: retrying cannot help
    (the server refused the recipient with a 5xx reply)."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class EmailSender(Protocol):
    async def send(self, email: OutgoingEmail) -> None:
        """Hand the message to the mail server; raise ``EmailNotSent`` if it does not take it."""
        ...


# ---- the inbox ------------------------------------------------------------------------
@dataclass(frozen=True)
class InboxPosition:
    """Where a page of inbox messages ends (newest first)."""

    created_at: datetime
    id: UUID


class InboxRepository(Protocol):
    """Inbox messages of the unit of work's tenant."""

    async def add(self, message: InboxMessage) -> None: ...

    async def get(self, message_id: UUID) -> InboxMessage | None: ...

    async def newest(
        self, user_id: UUID, unread_only: bool, after: InboxPosition | None, limit: int
    ) -> list[InboxMessage]:
        """The user's messages, newest first, starting after ``after``."""
        ...

    async def unread_count(self, user_id: UUID) -> int: ...

    async def mark_read(self, message_id: UUID, at: datetime) -> None: ...

    async def mark_all_read(self, user_id: UUID, at: datetime) -> int:
        """Mark every unread message of the user read; how many were unread."""
        ...


# ---- queued emails --------------------------------------------------------------------
@dataclass(frozen=True)
class QueuedEmail:
    """One email of one notification to one user — or one customer (``customer_id``,
    ``user_id`` None) — waiting in Postgres until sent.

    It holds the template and its parameters, not the text: the text is rendered when sent,
    in the recipient's language then, to the recipient's address then.
    """

    id: UUID
    notification_id: UUID
    user_id: UUID | None
    topic: str
    template: str
    params: Mapping[str, ParamValue]
    link: str | None
    created_at: datetime
    next_attempt_at: datetime
    attempts: int = 0
    status: str = "pending"  # pending | sent | failed | skipped
    last_error: str | None = None
    sent_at: datetime | None = None
    customer_id: UUID | None = None


@dataclass(frozen=True)
class EmailClaim:
    email: QueuedEmail
    token: UUID  # proves the claim when the outcome is recorded


class QueuedEmailRepository(Protocol):
    """Queued emails of the unit of work's tenant."""

    async def add(self, email: QueuedEmail) -> None: ...

    async def get(self, email_id: UUID) -> QueuedEmail | None: ...

    async def pending_of(self, notification_id: UUID) -> list[UUID]: ...

    async def claim(
        self, email_id: UUID, token: UUID, now: datetime, lease_until: datetime
    ) -> EmailClaim | None:
        """Take a pending email whose lease (if any) has expired, counting the attempt;
        None if it is sent, given up, or held by another worker."""
        ...

    async def finish(
        self,
        claim: EmailClaim,
        status: str,
        at: datetime,
        error: str | None = None,
        next_attempt_at: datetime | None = None,
    ) -> bool:
        """Record the outcome and release the lease; False if the claim had been lost."""
        ...


@dataclass(frozen=True)
class DueEmail:
    tenant_id: UUID
    email_id: UUID


class DueEmails(Protocol):
    """Every tenant's queued emails that are due (a retry, or one whose task was lost).

    Operator work across tenants (platform role), used only by the periodic sweep.
    """

    async def take(self, now: datetime, hold_until: datetime, limit: int) -> list[DueEmail]:
        """Due emails, each pushed to ``hold_until`` so the next sweep does not take it
        again while its task is still queued."""
        ...


class NotificationStore(Protocol):
    """The notifications module's repositories in one unit of work (``uow.of(NOTIFICATIONS)``)."""

    inbox: InboxRepository
    queued_emails: QueuedEmailRepository


NOTIFICATIONS: StoreKey[NotificationStore] = StoreKey("notifications")
