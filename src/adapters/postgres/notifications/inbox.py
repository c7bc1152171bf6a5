"""The in-app inbox and queued notification emails (ORD-7, INV-3).

Every tenant-scoped query names its tenant explicitly as well as relying on row-level
security; ``PostgresDueEmails`` is the one cross-tenant reader (platform role, the sweep).
"""

from __future__ import annotations

import json
from datetime import datetime
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from application.notifications.ports import DueEmail, EmailClaim, InboxPosition, QueuedEmail
from domain.notifications.inbox import InboxMessage

_INBOX_COLUMNS = "id, user_id, topic, title, body, link, created_at, read_at"


def _message(row: Row) -> InboxMessage:  # type: ignore[type-arg]
    return InboxMessage(
        id=row.id,
        user_id=row.user_id,
        topic=row.topic,
        title=row.title,
        body=row.body,
        link=row.link,
        created_at=row.created_at,
        read_at=row.read_at,
    )


class PostgresInboxRepository:
    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        self._conn = conn
        self._tenant_id = tenant_id

    async def add(self, message: InboxMessage) -> None:
        await self._conn.execute(
            text(
                "INSERT INTO inbox_messages (tenant_id, id, user_id, topic, title, body, link,"
                " created_at, read_at) VALUES (:t, :id, :user_id, :topic, :title, :body, :link,"
                " :created_at, :read_at)"
            ),
            {
                "t": self._tenant_id,
                "id": message.id,
                "user_id": message.user_id,
                "topic": message.topic,
                "title": message.title,
                "body": message.body,
                "link": message.link,
                "created_at": message.created_at,
                "read_at": message.read_at,
            },
        )

    async def get(self, message_id: UUID) -> InboxMessage | None:
        row = (
            await self._conn.execute(
                text(
                    f"SELECT {_INBOX_COLUMNS} FROM inbox_messages WHERE tenant_id = :t AND id = :id"
                ),
                {"t": self._tenant_id, "id": message_id},
            )
        ).first()
        return _message(row) if row else None

    async def newest(
        self, user_id: UUID, unread_only: bool, after: InboxPosition | None, limit: int
    ) -> list[InboxMessage]:
        clauses = ["tenant_id = :t", "user_id = :u"]
        params: dict[str, object] = {"t": self._tenant_id, "u": user_id, "limit": limit}
        if unread_only:
            clauses.append("read_at IS NULL")
        if after is not None:
            clauses.append("(created_at, id) < (:after_at, :after_id)")
            params.update(after_at=after.created_at, after_id=after.id)
        rows = await self._conn.execute(
            text(
                f"SELECT {_INBOX_COLUMNS} FROM inbox_messages WHERE {' AND '.join(clauses)}"
                " ORDER BY created_at DESC, id DESC LIMIT :limit"
            ),
            params,
        )
        return [_message(r) for r in rows]

    async def unread_count(self, user_id: UUID) -> int:
        count = await self._conn.scalar(
            text(
                "SELECT count(*) FROM inbox_messages"
                " WHERE tenant_id = :t AND user_id = :u AND read_at IS NULL"
            ),
            {"t": self._tenant_id, "u": user_id},
        )
        return int(count or 0)

    async def mark_read(self, message_id: UUID, at: datetime) -> None:
        await self._conn.execute(
            text(
                "UPDATE inbox_messages SET read_at = :at"
                " WHERE tenant_id = :t AND id = :id AND read_at IS NULL"
            ),
            {"t": self._tenant_id, "id": message_id, "at": at},
        )

    async def mark_all_read(self, user_id: UUID, at: datetime) -> int:
        result = await self._conn.execute(
            text(
                "UPDATE inbox_messages SET read_at = :at"
                " WHERE tenant_id = :t AND user_id = :u AND read_at IS NULL"
            ),
            {"t": self._tenant_id, "u": user_id, "at": at},
        )
        return int(result.rowcount or 0)


_EMAIL_COLUMNS = (
    "id, notification_id, user_id, topic, template, params, link, created_at,"
    " next_attempt_at, attempts, status, last_error, sent_at"
)


def _queued(row: Row) -> QueuedEmail:  # type: ignore[type-arg]
    return QueuedEmail(
        id=row.id,
        notification_id=row.notification_id,
        user_id=row.user_id,
        topic=row.topic,
        template=row.template,
        params=dict(row.params),
        link=row.link,
        created_at=row.created_at,
        next_attempt_at=row.next_attempt_at,
        attempts=row.attempts,
        status=row.status,
        last_error=row.last_error,
        sent_at=row.sent_at,
    )


class PostgresQueuedEmailRepository:
    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        self._conn = conn
        self._tenant_id = tenant_id

    async def add(self, email: QueuedEmail) -> None:
        await self._conn.execute(
            text(
                "INSERT INTO queued_emails (tenant_id, id, notification_id, user_id, topic,"
                " template, params, link, status, attempts, created_at, next_attempt_at)"
                " VALUES (:t, :id, :notification_id, :user_id, :topic, :template,"
                " CAST(:params AS jsonb), :link, :status, :attempts, :created_at,"
                " :next_attempt_at)"
            ),
            {
                "t": self._tenant_id,
                "id": email.id,
                "notification_id": email.notification_id,
                "user_id": email.user_id,
                "topic": email.topic,
                "template": email.template,
                "params": json.dumps(dict(email.params), ensure_ascii=False),
                "link": email.link,
                "status": email.status,
                "attempts": email.attempts,
                "created_at": email.created_at,
                "next_attempt_at": email.next_attempt_at,
            },
        )

    async def get(self, email_id: UUID) -> QueuedEmail | None:
        row = (
            await self._conn.execute(
                text(
                    f"SELECT {_EMAIL_COLUMNS} FROM queued_emails WHERE tenant_id = :t AND id = :id"
                ),
                {"t": self._tenant_id, "id": email_id},
            )
        ).first()
        return _queued(row) if row else None

    async def pending_of(self, notification_id: UUID) -> list[UUID]:
        rows = await self._conn.execute(
            text(
                "SELECT id FROM queued_emails WHERE tenant_id = :t"
                " AND notification_id = :n AND status = 'pending' ORDER BY id"
            ),
            {"t": self._tenant_id, "n": notification_id},
        )
        return [r.id for r in rows]

    async def claim(
        self, email_id: UUID, token: UUID, now: datetime, lease_until: datetime
    ) -> EmailClaim | None:
        row = (
            await self._conn.execute(
                text(
                    "UPDATE queued_emails SET lease_token = :token, lease_expires_at = :until,"
                    " attempts = attempts + 1"
                    " WHERE tenant_id = :t AND id = :id AND status = 'pending'"
                    " AND (lease_expires_at IS NULL OR lease_expires_at < :now)"
                    f" RETURNING {_EMAIL_COLUMNS}"
                ),
                {
                    "t": self._tenant_id,
                    "id": email_id,
                    "token": token,
                    "now": now,
                    "until": lease_until,
                },
            )
        ).first()
        return EmailClaim(_queued(row), token) if row else None

    async def finish(
        self,
        claim: EmailClaim,
        status: str,
        at: datetime,
        error: str | None = None,
        next_attempt_at: datetime | None = None,
    ) -> bool:
        result = await self._conn.execute(
            text(
                "UPDATE queued_emails SET status = :status, last_error = :error,"
                " sent_at = CASE WHEN :status = 'sent' THEN CAST(:at AS timestamptz) END,"
                " next_attempt_at = COALESCE(CAST(:next AS timestamptz), next_attempt_at),"
                " lease_token = NULL, lease_expires_at = NULL"
                " WHERE tenant_id = :t AND id = :id AND lease_token = :token"
            ),
            {
                "t": self._tenant_id,
                "id": claim.email.id,
                "token": claim.token,
                "status": status,
                "error": error,
                "at": at,
                "next": next_attempt_at,
            },
        )
        return bool(result.rowcount)


class PostgresDueEmails:
    """Every tenant's due emails, read and held by the sweep as the platform role."""

    def __init__(self, platform_engine: AsyncEngine) -> None:
        self._engine = platform_engine

    async def take(self, now: datetime, hold_until: datetime, limit: int) -> list[DueEmail]:
        async with self._engine.begin() as conn:
            rows = await conn.execute(
                text(
                    "UPDATE queued_emails q SET next_attempt_at = :hold"
                    " FROM (SELECT tenant_id, id FROM queued_emails"
                    "       WHERE status = 'pending' AND next_attempt_at <= :now"
                    "       AND (lease_expires_at IS NULL OR lease_expires_at < :now)"
                    "       ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED) due"
                    " WHERE q.tenant_id = due.tenant_id AND q.id = due.id"
                    " RETURNING q.tenant_id, q.id"
                ),
                {"now": now, "hold": hold_until, "limit": limit},
            )
            return [DueEmail(r.tenant_id, r.id) for r in rows]
