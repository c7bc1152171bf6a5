"""The webhooks module's repository on one unit of work's connection."""

from __future__ import annotations

from adapters.postgres.shared.stores import StoreParts
from adapters.postgres.webhooks.repository import PostgresWebhookRepository
from application.webhooks.ports import WEBHOOKS, WebhookStore

KEY = WEBHOOKS


class PostgresWebhookStore(WebhookStore):
    def __init__(self, parts: StoreParts) -> None:
        self.webhooks = PostgresWebhookRepository(
            parts.connection, parts.tenant_id, parts.cipher, parts.unreadable
        )


def build(parts: StoreParts) -> WebhookStore:
    return PostgresWebhookStore(parts)
