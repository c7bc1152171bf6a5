"""The logistics module's repositories on one unit of work's connection."""

from __future__ import annotations

from adapters.postgres.logistics.carriers import PostgresCarrierRepository
from adapters.postgres.shared.stores import StoreParts
from application.logistics.ports import LOGISTICS, LogisticsStore

KEY = LOGISTICS


class PostgresLogisticsStore(LogisticsStore):
    def __init__(self, parts: StoreParts) -> None:
        self.carriers = PostgresCarrierRepository(parts.connection, parts.tenant_id)


def build(parts: StoreParts) -> LogisticsStore:
    return PostgresLogisticsStore(parts)
