"""The inventory module's repositories on one unit of work's connection."""

from __future__ import annotations

from adapters.postgres.inventory.channel_supply import PostgresChannelSupplyRepository
from adapters.postgres.inventory.costs import PostgresStockCosts
from adapters.postgres.inventory.reservations import PostgresReservationRepository
from adapters.postgres.inventory.stock import PostgresStockRepository
from adapters.postgres.inventory.warehouses import PostgresWarehouseRepository
from adapters.postgres.shared.stores import StoreParts
from application.inventory.ports import INVENTORY, InventoryStore

KEY = INVENTORY


class PostgresInventoryStore(InventoryStore):
    def __init__(self, parts: StoreParts) -> None:
        conn, tenant = parts.connection, parts.tenant_id
        self.warehouses = PostgresWarehouseRepository(conn, tenant)
        self.stock = PostgresStockRepository(conn, tenant)
        self.reservations = PostgresReservationRepository(conn, tenant)
        self.channel_supply = PostgresChannelSupplyRepository(conn, tenant)
        self.costs = PostgresStockCosts(conn, tenant)


def build(parts: StoreParts) -> InventoryStore:
    return PostgresInventoryStore(parts)
