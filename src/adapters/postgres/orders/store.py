"""The orders module's repository on one unit of work's connection."""

from __future__ import annotations

from adapters.postgres.orders.repository import PostgresOrderRepository
from adapters.postgres.shared.stores import StoreParts
from application.orders.ports import ORDERS, OrderStore

KEY = ORDERS


class PostgresOrderStore(OrderStore):
    def __init__(self, parts: StoreParts) -> None:
        self.orders = PostgresOrderRepository(
            parts.connection, parts.tenant_id, parts.cipher, parts.unreadable
        )


def build(parts: StoreParts) -> OrderStore:
    return PostgresOrderStore(parts)
