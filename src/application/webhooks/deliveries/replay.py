"""Replay a delivery (CHN-3): a new series of attempts for a delivery that succeeded or
died; it keeps its ``webhook-id``, so a receiver that already processed it can tell."""

from __future__ import annotations

from uuid import UUID

from application.shared.use_case import Command, Work
from application.webhooks.deliveries.common import replay_delivery
from domain.webhooks.delivery import WebhookDelivery
from domain.webhooks.permissions import WEBHOOKS_MANAGE


class ReplayDelivery(
    Command[WebhookDelivery],
    action="webhook_delivery.replay",
    permission=WEBHOOKS_MANAGE,
    target="delivery_id",
):
    delivery_id: UUID


class ReplayDeliveryHandler:
    async def handle(self, command: ReplayDelivery, work: Work) -> WebhookDelivery:
        return await replay_delivery(work, command.delivery_id, work.clock.now())
