"""The delivery log, the tenant's own view (API, ``webhooks:manage``): list, inspect and
replay deliveries (CHN-3)."""

from __future__ import annotations

from uuid import UUID

from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.messaging import TaskQueue
from application.shared.pagination import Page
from application.shared.runner import CommandRunner
from application.shared.use_case import runs
from application.webhooks.deliveries.common import DeliveryDetail, queue_replay
from application.webhooks.deliveries.queries import (
    GetDelivery,
    GetDeliveryHandler,
    ListDeliveries,
    ListDeliveriesHandler,
)
from application.webhooks.deliveries.replay import ReplayDelivery, ReplayDeliveryHandler
from application.webhooks.ports import DeliveryFilter
from domain.webhooks.delivery import WebhookDelivery


class DeliveryLog:
    """The tenant's own view (API)."""

    def __init__(
        self, runner: CommandRunner, queue: TaskQueue, clock: Clock, ids: IdGenerator
    ) -> None:
        self._runner = runner
        self._queue = queue
        self._ids = ids
        self._replay = ReplayDeliveryHandler(clock)

    @runs(ListDeliveries)
    async def list(
        self,
        ctx: CallContext,
        flt: DeliveryFilter,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> Page[WebhookDelivery]:
        query = ListDeliveries(flt, cursor, limit)
        return await self._runner.query(ctx, query, ListDeliveriesHandler())

    @runs(GetDelivery)
    async def get(self, ctx: CallContext, delivery_id: UUID) -> DeliveryDetail:
        return await self._runner.query(ctx, GetDelivery(delivery_id), GetDeliveryHandler())

    @runs(ReplayDelivery)
    async def replay(self, ctx: CallContext, delivery_id: UUID) -> WebhookDelivery:
        delivery = await self._runner.run(ctx, ReplayDelivery(delivery_id), self._replay)
        await queue_replay(self._queue, self._ids, ctx.tenant_id, delivery)
        return delivery
