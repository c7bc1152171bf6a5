"""The logistics module's repositories on one unit of work's connection."""

from __future__ import annotations

from adapters.postgres.logistics.carriers import PostgresCarrierRepository
from adapters.postgres.logistics.settings import PostgresLogisticsSettings, PostgresPriceTables
from adapters.postgres.logistics.settlements import PostgresSettlements
from adapters.postgres.logistics.waybills import (
    PostgresTrackingRepository,
    PostgresWaybillRepository,
)
from adapters.postgres.shared.stores import StoreParts
from application.logistics.ports import LOGISTICS, LogisticsStore

KEY = LOGISTICS


class PostgresLogisticsStore(LogisticsStore):
    def __init__(self, parts: StoreParts) -> None:
        conn, tenant = parts.connection, parts.tenant_id
        self.carriers = PostgresCarrierRepository(conn, tenant)
        self.price_tables = PostgresPriceTables(conn, tenant)
        self.waybills = PostgresWaybillRepository(conn, tenant)
        self.tracking = PostgresTrackingRepository(conn, tenant)
        self.settings = PostgresLogisticsSettings(conn, tenant)
        self.settlements = PostgresSettlements(conn, tenant)


def build(parts: StoreParts) -> LogisticsStore:
    return PostgresLogisticsStore(parts)
