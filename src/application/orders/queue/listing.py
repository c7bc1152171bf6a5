"""The work queue (ORD-8) and the abnormal queue (ORD-5): orders by priority, amount, age
or time left to their target, with filters, by keyset; a saved view gives its filters and
ordering, and filters given with it narrow them further."""

from __future__ import annotations

from dataclasses import fields, replace
from uuid import UUID

from application.orders.common import store_of
from application.orders.ports import StoredOrder
from application.orders.queue.ports import (
    ORDER_QUEUE,
    AbnormalCount,
    QueueFilter,
    QueueOrdering,
)
from application.orders.queue.views import visible_view
from application.shared.pagination import Page, clamp_limit, decode_cursor, page_of
from application.shared.use_case import Query, Reading
from domain.orders.permissions import ORDERS_READ
from domain.orders.state import ENTITY


class ListQueue(Query[Page[StoredOrder]], entity=ENTITY, permission=ORDERS_READ):
    where: QueueFilter = QueueFilter()
    ordering: QueueOrdering | None = None  # the view's, else by priority
    view_id: UUID | None = None
    cursor: str | None = None
    limit: int | None = None


class GetAbnormalQueue(Query[list[AbnormalCount]], entity=ENTITY, permission=ORDERS_READ):
    pass


def queue_key(stored: StoredOrder, ordering: QueueOrdering) -> list[str]:
    """Where a page in ``ordering`` ends (the repository reads it back)."""
    order = stored.order
    match ordering:
        case QueueOrdering.PRIORITY:
            return [str(order.priority), order.placed_at.isoformat(), str(order.id)]
        case QueueOrdering.AMOUNT:
            return [str(order.total), str(order.id)]
        case QueueOrdering.AGE:
            return [order.placed_at.isoformat(), str(order.id)]
        case QueueOrdering.TIME_LEFT:
            due = order.due_at
            return [due.isoformat() if due else "", str(order.id)]


def narrowed(base: QueueFilter, given: QueueFilter) -> QueueFilter:
    """``base`` with every filter ``given`` names put in its place."""
    named = {
        f.name: getattr(given, f.name)
        for f in fields(given)
        if getattr(given, f.name) not in (None, ())
    }
    return replace(base, **named)


class ListQueueHandler:
    async def handle(self, query: ListQueue, reading: Reading) -> Page[StoredOrder]:
        size = clamp_limit(query.limit)
        where, ordering = query.where, query.ordering
        if query.view_id is not None:
            view = await visible_view(reading.uow, reading.ctx, query.view_id)
            where, ordering = narrowed(view.filters, where), ordering or view.ordering
        ordering = ordering or QueueOrdering.PRIORITY
        after = decode_cursor(query.cursor) if query.cursor else None
        ids = await reading.uow.of(ORDER_QUEUE).queue.page(where, ordering, after, size + 1)
        rows = await store_of(reading.uow).orders.many(ids)
        return page_of(rows, size, lambda s: queue_key(s, ordering))


class GetAbnormalQueueHandler:
    async def handle(self, query: GetAbnormalQueue, reading: Reading) -> list[AbnormalCount]:
        return await reading.uow.of(ORDER_QUEUE).queue.abnormal_counts(reading.clock.now())
