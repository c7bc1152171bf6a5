"""The in-app inbox and queued notification emails (ORD-7, INV-3).

Every tenant-scoped query names its tenant explicitly as well as relying on row-level
security; ``PostgresDueEmails`` is the one cross-tenant reader (platform role, the sweep).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    and_,
    func,
    literal_column,
    select,
    tuple_,
    update,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.notifications.tables import inbox_messages, queued_emails
from adapters.postgres.shared.rows import AnyRow, TenantRepository, from_row, values_of
from application.notifications.ports import DueEmail, EmailClaim, InboxPosition, QueuedEmail
from domain.notifications.inbox import InboxMessage

_INBOX_COLUMNS = tuple(c for c in inbox_messages.c if c.name != "tenant_id")


class PostgresInboxRepository(TenantRepository):
    async def add(self, message: InboxMessage) -> None:
        await self._insert(inbox_messages, values_of(message, _INBOX_COLUMNS))

    async def get(self, message_id: UUID) -> InboxMessage | None:
        query = select(*_INBOX_COLUMNS).where(self._row_of(inbox_messages, message_id))
        row = await self._first(query)
        return from_row(InboxMessage, row) if row else None

    async def newest(
        self, user_id: UUID, unread_only: bool, after: InboxPosition | None, limit: int
    ) -> list[InboxMessage]:
        m = inbox_messages.c
        query = select(*_INBOX_COLUMNS).where(m.tenant_id == self._tenant_id, m.user_id == user_id)
        if unread_only:
            query = query.where(m.read_at.is_(None))
        if after is not None:
            query = query.where(tuple_(m.created_at, m.id) < tuple_(after.created_at, after.id))
        rows = await self._conn.execute(
            query.order_by(m.created_at.desc(), m.id.desc()).limit(limit)
        )
        return [from_row(InboxMessage, r) for r in rows]

    def _unread(self, which: ColumnElement[bool]) -> ColumnElement[bool]:
        m = inbox_messages.c
        return and_(m.tenant_id == self._tenant_id, which, m.read_at.is_(None))

    async def unread_count(self, user_id: UUID) -> int:
        count = await self._conn.scalar(
            select(func.count()).where(self._unread(inbox_messages.c.user_id == user_id))
        )
        return int(count or 0)

    async def mark_read(self, message_id: UUID, at: datetime) -> None:
        await self._conn.execute(
            update(inbox_messages)
            .where(self._unread(inbox_messages.c.id == message_id))
            .values(read_at=at)
        )

    async def mark_all_read(self, user_id: UUID, at: datetime) -> int:
        result = await self._conn.execute(
            update(inbox_messages)
            .where(self._unread(inbox_messages.c.user_id == user_id))
            .values(read_at=at)
        )
        return int(result.rowcount or 0)


_EMAIL_COLUMNS = tuple(
    c for c in queued_emails.c if c.name not in ("tenant_id", "lease_token", "lease_expires_at")
)


def _queued(row: AnyRow) -> QueuedEmail:
    return from_row(QueuedEmail, row, params=dict(row.params))


# Written inline, not bound: a generic plan can use the partial index queued_emails_due
# only when the query names its predicate's literal.
_PENDING: ColumnElement[str] = literal_column("'pending'")


# What adding an email writes: its last error and sending are the sweep's to write.
_EMAIL_ADDED = tuple(c for c in _EMAIL_COLUMNS if c.name not in ("last_error", "sent_at"))


class PostgresQueuedEmailRepository(TenantRepository):
    async def add(self, email: QueuedEmail) -> None:
        await self._insert(queued_emails, values_of(email, _EMAIL_ADDED, params=dict(email.params)))

    def _email_is(self, email_id: UUID) -> ColumnElement[bool]:
        return self._row_of(queued_emails, email_id)

    async def get(self, email_id: UUID) -> QueuedEmail | None:
        row = await self._first(select(*_EMAIL_COLUMNS).where(self._email_is(email_id)))
        return _queued(row) if row else None

    async def pending_of(self, notification_id: UUID) -> list[UUID]:
        q = queued_emails.c
        rows = await self._conn.execute(
            select(q.id)
            .where(
                q.tenant_id == self._tenant_id,
                q.notification_id == notification_id,
                q.status == _PENDING,
            )
            .order_by(q.id)
        )
        return [r.id for r in rows]

    async def claim(
        self, email_id: UUID, token: UUID, now: datetime, lease_until: datetime
    ) -> EmailClaim | None:
        q = queued_emails.c
        row = await self._first(
            update(queued_emails)
            .where(
                self._email_is(email_id),
                q.status == _PENDING,
                q.lease_expires_at.is_(None) | (q.lease_expires_at < now),
            )
            .values(lease_token=token, lease_expires_at=lease_until, attempts=q.attempts + 1)
            .returning(*_EMAIL_COLUMNS)
        )
        return EmailClaim(_queued(row), token) if row else None

    async def finish(
        self,
        claim: EmailClaim,
        status: str,
        at: datetime,
        error: str | None = None,
        next_attempt_at: datetime | None = None,
    ) -> bool:
        q = queued_emails.c
        result = await self._conn.execute(
            update(queued_emails)
            .where(self._email_is(claim.email.id), q.lease_token == claim.token)
            .values(
                status=status,
                last_error=error,
                sent_at=at if status == "sent" else None,
                next_attempt_at=q.next_attempt_at if next_attempt_at is None else next_attempt_at,
                lease_token=None,
                lease_expires_at=None,
            )
        )
        return bool(result.rowcount)


class PostgresDueEmails:
    """Every tenant's due emails, read and held by the sweep as the platform role."""

    def __init__(self, platform_engine: AsyncEngine) -> None:
        self._engine = platform_engine

    async def take(self, now: datetime, hold_until: datetime, limit: int) -> list[DueEmail]:
        q = queued_emails.c
        # Two sweeps take disjoint batches: each skips the rows the other has locked.
        due = (
            select(q.tenant_id, q.id)
            .where(
                q.status == _PENDING,
                q.next_attempt_at <= now,
                q.lease_expires_at.is_(None) | (q.lease_expires_at < now),
            )
            .order_by(q.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .subquery("due")
        )
        async with self._engine.begin() as conn:
            rows = await conn.execute(
                update(queued_emails)
                .where(q.tenant_id == due.c.tenant_id, q.id == due.c.id)
                .values(next_attempt_at=hold_until)
                .returning(q.tenant_id, q.id)
            )
            return [DueEmail(r.tenant_id, r.id) for r in rows]
