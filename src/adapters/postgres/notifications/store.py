"""The notifications module's repositories on one unit of work's connection."""

from __future__ import annotations

from adapters.postgres.notifications.inbox import (
    PostgresInboxRepository,
    PostgresQueuedEmailRepository,
)
from adapters.postgres.shared.stores import StoreParts
from application.notifications.ports import NOTIFICATIONS, NotificationStore

KEY = NOTIFICATIONS


class PostgresNotificationStore(NotificationStore):
    def __init__(self, parts: StoreParts) -> None:
        self.inbox = PostgresInboxRepository(parts.connection, parts.tenant_id)
        self.queued_emails = PostgresQueuedEmailRepository(parts.connection, parts.tenant_id)


def build(parts: StoreParts) -> NotificationStore:
    return PostgresNotificationStore(parts)
