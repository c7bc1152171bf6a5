"""The delivery log for the operator's support staff (CLI, CHN-3): the same log for a
tenant named by its slug, as the platform role under a named ``SystemContext``, every
action recorded in the tenant's audit and in the operator audit. Not commands through the
runner: operator work has its own audited path (``for_system``)."""

from __future__ import annotations

from uuid import UUID

from application.identity.ports import IDENTITY
from application.shared.clock import Clock, IdGenerator
from application.shared.context import SystemContext
from application.shared.messaging import TaskQueue
from application.shared.pagination import Page
from application.shared.unit_of_work import UnitOfWorkFactory
from application.shared.use_case import Changes
from application.webhooks.common import DELIVERY, load_delivery
from application.webhooks.deliveries.common import (
    DeliveryDetail,
    delivery_page,
    queue_replay,
    replay_delivery,
)
from application.webhooks.ports import WEBHOOKS, DeliveryFilter
from domain.identity.tenant import Tenant
from domain.shared.errors import NotFound
from domain.webhooks.delivery import WebhookDelivery


class SupportDeliveries:
    """The operator's support staff (CLI): the same log for a tenant named by its slug."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, queue: TaskQueue, clock: Clock, ids: IdGenerator
    ) -> None:
        self._uow_factory = uow_factory
        self._queue = queue
        self._clock = clock
        self._ids = ids

    async def _tenant(self, ctx: SystemContext, slug: str) -> Tenant:
        async with self._uow_factory.for_system(ctx, None) as uow:
            tenant = await uow.of(IDENTITY).tenants.by_slug(slug)
        if tenant is None:
            raise NotFound(entity="tenant", slug=slug)
        return tenant

    async def list(
        self,
        ctx: SystemContext,
        slug: str,
        flt: DeliveryFilter,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> Page[WebhookDelivery]:
        tenant = await self._tenant(ctx, slug)
        async with self._uow_factory.for_system(ctx, tenant.id) as uow:
            page = await delivery_page(uow, flt, cursor, limit)
            await uow.operator_audit.record(
                ctx,
                "webhook_delivery.list",
                tenant.id,
                {"status": flt.status.value if flt.status else None},
            )
            await uow.commit()
        return page

    async def get(self, ctx: SystemContext, slug: str, delivery_id: UUID) -> DeliveryDetail:
        tenant = await self._tenant(ctx, slug)
        async with self._uow_factory.for_system(ctx, tenant.id) as uow:
            delivery = await load_delivery(uow, delivery_id)
            detail = DeliveryDetail(
                delivery, await uow.of(WEBHOOKS).webhooks.attempts_of(delivery_id)
            )
            await uow.operator_audit.record(
                ctx, "webhook_delivery.inspect", tenant.id, {"delivery": str(delivery_id)}
            )
            await uow.commit()
        return detail

    async def replay(self, ctx: SystemContext, slug: str, delivery_id: UUID) -> WebhookDelivery:
        tenant = await self._tenant(ctx, slug)
        async with self._uow_factory.for_system(ctx, tenant.id) as uow:
            changes = Changes(uow, "webhook_delivery.replay", DELIVERY)
            delivery = await replay_delivery(changes, delivery_id, self._clock.now())
            await changes.write()
            await uow.operator_audit.record(
                ctx,
                "webhook_delivery.replay",
                tenant.id,
                {"delivery": str(delivery_id), "series": delivery.series, "reason": ctx.reason},
            )
            await uow.commit()
        await queue_replay(self._queue, self._ids, tenant.id, delivery)
        return delivery
