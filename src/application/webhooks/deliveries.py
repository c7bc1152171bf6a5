"""The delivery log: list, inspect and replay deliveries (CHN-3).

Tenant admins do it through the API (``webhooks:manage``); the operator's support staff
through the CLI, as the platform role under a named ``SystemContext``, every action
recorded in the tenant's audit and in the operator audit.

A replay starts a new series of attempts for a delivery that succeeded or died; it keeps
its ``webhook-id``, so a receiver that already processed it can tell.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from application.identity.ports import IDENTITY
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext, SystemContext
from application.shared.messaging import TaskQueue
from application.shared.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork, UnitOfWorkFactory
from application.webhooks.common import DELIVERY, enqueue_attempt, load_delivery, load_endpoint
from application.webhooks.ports import WEBHOOKS, DeliveryAttempt, DeliveryFilter, DeliveryPosition
from domain.identity.tenant import Tenant
from domain.shared.audit import AuditEntry
from domain.shared.errors import Conflict, NotFound, ValidationFailed
from domain.webhooks.delivery import DeliveryStatus, WebhookDelivery
from domain.webhooks.permissions import WEBHOOKS_MANAGE


@dataclass(frozen=True)
class DeliveryDetail:
    delivery: WebhookDelivery
    attempts: list[DeliveryAttempt]


def delivery_filter(status: str | None, endpoint_id: UUID | None) -> DeliveryFilter:
    if status is None:
        return DeliveryFilter(None, endpoint_id)
    try:
        return DeliveryFilter(DeliveryStatus(status), endpoint_id)
    except ValueError:
        raise ValidationFailed.single(
            "status", "invalid_delivery_status", allowed=[s.value for s in DeliveryStatus]
        ) from None


def _position(cursor: str | None) -> DeliveryPosition | None:
    if cursor is None:
        return None
    key = decode_cursor(cursor)
    try:
        return DeliveryPosition(datetime.fromisoformat(key[0]), UUID(key[1]))
    except (ValueError, IndexError):
        raise ValidationFailed.single("cursor", "invalid_cursor") from None


async def _page(
    uow: UnitOfWork, flt: DeliveryFilter, cursor: str | None, limit: int | None
) -> Page[WebhookDelivery]:
    size = clamp_limit(limit)
    rows = await uow.of(WEBHOOKS).webhooks.list_deliveries(flt, _position(cursor), size + 1)
    items = rows[:size]
    next_cursor = None
    if len(rows) > size:
        last = items[-1]
        next_cursor = encode_cursor([last.created_at.isoformat(), str(last.id)])
    return Page(items, next_cursor)


async def _replay(uow: UnitOfWork, delivery_id: UUID, now: datetime) -> WebhookDelivery:
    delivery = await load_delivery(uow, delivery_id, lock=True)
    endpoint = await load_endpoint(uow, delivery.endpoint_id)
    if not endpoint.active:
        raise Conflict("webhook_endpoint_inactive")
    delivery.replay(now)
    await uow.of(WEBHOOKS).webhooks.save_delivery(delivery)
    await uow.audit.record(
        AuditEntry(
            "webhook_delivery.replay",
            DELIVERY,
            delivery.id,
            detail={"series": delivery.series, "endpoint": str(endpoint.id)},
        )
    )
    return delivery


async def _queue_replay(
    queue: TaskQueue, ids: IdGenerator, tenant_id: UUID, delivery: WebhookDelivery
) -> None:
    # If the broker is down the replay is still committed: the periodic sweep queues
    # every overdue pending delivery, this one included.
    with contextlib.suppress(Exception):
        await enqueue_attempt(queue, ids, tenant_id, delivery)


class DeliveryLog:
    """The tenant's own view (API)."""

    def __init__(
        self,
        runner: CommandRunner,
        access: AccessPolicy,
        queue: TaskQueue,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._runner = runner
        self._access = access
        self._queue = queue
        self._clock = clock
        self._ids = ids

    async def list(
        self,
        ctx: CallContext,
        flt: DeliveryFilter,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> Page[WebhookDelivery]:
        async def read(uow: UnitOfWork) -> Page[WebhookDelivery]:
            self._access.require(ctx, WEBHOOKS_MANAGE)
            return await _page(uow, flt, cursor, limit)

        return await self._runner.query(ctx, read)

    async def get(self, ctx: CallContext, delivery_id: UUID) -> DeliveryDetail:
        async def read(uow: UnitOfWork) -> DeliveryDetail:
            self._access.require(ctx, WEBHOOKS_MANAGE)
            delivery = await load_delivery(uow, delivery_id)
            return DeliveryDetail(
                delivery, await uow.of(WEBHOOKS).webhooks.attempts_of(delivery_id)
            )

        return await self._runner.query(ctx, read)

    async def replay(self, ctx: CallContext, delivery_id: UUID) -> WebhookDelivery:
        async def command(uow: UnitOfWork) -> WebhookDelivery:
            self._access.require(ctx, WEBHOOKS_MANAGE)
            return await _replay(uow, delivery_id, self._clock.now())

        delivery = await self._runner.run(
            ctx, "webhook_delivery.replay", DELIVERY, command, entity_id=delivery_id
        )
        await _queue_replay(self._queue, self._ids, ctx.tenant_id, delivery)
        return delivery


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
            page = await _page(uow, flt, cursor, limit)
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
            delivery = await _replay(uow, delivery_id, self._clock.now())
            await uow.operator_audit.record(
                ctx,
                "webhook_delivery.replay",
                tenant.id,
                {"delivery": str(delivery_id), "series": delivery.series, "reason": ctx.reason},
            )
            await uow.commit()
        await _queue_replay(self._queue, self._ids, tenant.id, delivery)
        return delivery
