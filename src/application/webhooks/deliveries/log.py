"""Replaying a delivery from the tenant's log (API, ``webhooks:manage``, CHN-3): the
command, then the delivery queued once it has committed. Listing and inspecting the log
are queries run through ``UseCases`` (``deliveries/queries.py``)."""

from __future__ import annotations

from uuid import UUID

from application.shared.clock import IdGenerator
from application.shared.context import CallContext
from application.shared.messaging import TaskQueue
from application.shared.runner import CommandRunner
from application.shared.use_case import runs
from application.webhooks.deliveries.common import queue_replay
from application.webhooks.deliveries.replay import ReplayDelivery, ReplayDeliveryHandler
from domain.webhooks.delivery import WebhookDelivery


class DeliveryReplay:
    def __init__(self, runner: CommandRunner, queue: TaskQueue, ids: IdGenerator) -> None:
        self._runner = runner
        self._queue = queue
        self._ids = ids
        self._replay = ReplayDeliveryHandler()

    @runs(ReplayDelivery)
    async def replay(self, ctx: CallContext, delivery_id: UUID) -> WebhookDelivery:
        delivery = await self._runner.run(ctx, ReplayDelivery(delivery_id), self._replay)
        await queue_replay(self._queue, self._ids, ctx.tenant_id, delivery)
        return delivery
