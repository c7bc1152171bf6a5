"""The fulfilment module's repositories on one unit of work's connection."""

from __future__ import annotations

from adapters.postgres.fulfilment.settings import PostgresFulfilmentSettings, PostgresSkuFacts
from adapters.postgres.fulfilment.waves import PostgresShipmentRepository, PostgresWaveRepository
from adapters.postgres.shared.stores import StoreParts
from application.fulfilment.ports import FULFILMENT, FulfilmentStore

KEY = FULFILMENT


class PostgresFulfilmentStore(FulfilmentStore):
    def __init__(self, parts: StoreParts) -> None:
        conn, tenant = parts.connection, parts.tenant_id
        self.waves = PostgresWaveRepository(conn, tenant)
        self.shipments = PostgresShipmentRepository(conn, tenant)
        self.skus = PostgresSkuFacts(conn, tenant)
        self.settings = PostgresFulfilmentSettings(conn, tenant)


def build(parts: StoreParts) -> FulfilmentStore:
    return PostgresFulfilmentStore(parts)
