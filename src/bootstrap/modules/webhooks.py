"""Outgoing webhooks (docs/webhooks.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.postgres.webhooks.repository import PostgresStalledDeliveries
from adapters.webhooks.randomness import SystemRandomSource
from adapters.webhooks.sender import HttpWebhookSender
from application.webhooks.service import WebhookService
from domain.webhooks.retry import RetryPolicy

if TYPE_CHECKING:
    from bootstrap import Container


def register(c: Container) -> None:
    settings = c.settings
    c.add(
        WebhookService(
            c.uow_factory,
            c.runner,
            c.task_queue,
            HttpWebhookSender(
                allow_loopback=settings.webhook_allow_loopback,
                timeout_seconds=settings.webhook_timeout_seconds,
            ),
            PostgresStalledDeliveries(c.platform_engine),
            c.clock,
            c.ids,
            SystemRandomSource(),
            policy=RetryPolicy(max_attempts=settings.webhook_max_attempts),
            allow_loopback=settings.webhook_allow_loopback,
            timeout_seconds=settings.webhook_timeout_seconds,
        )
    )
