"""The work queue's store on one unit of work's connection (ORD-8, ORD-10)."""

from __future__ import annotations

from adapters.postgres.order_queue.analytics import PostgresOrderAnalytics
from adapters.postgres.order_queue.queue import PostgresOrderQueue
from adapters.postgres.order_queue.views import PostgresSavedViews
from adapters.postgres.shared.stores import StoreParts
from application.orders.queue.ports import ORDER_QUEUE, QueueStore

KEY = ORDER_QUEUE


class PostgresQueueStore(QueueStore):
    def __init__(self, parts: StoreParts) -> None:
        self.queue = PostgresOrderQueue(parts.connection, parts.tenant_id)
        self.views = PostgresSavedViews(parts.connection, parts.tenant_id)
        self.analytics = PostgresOrderAnalytics(parts.connection, parts.tenant_id)


def build(parts: StoreParts) -> QueueStore:
    return PostgresQueueStore(parts)
