"""The inventory module's repositories on one unit of work's connection."""

from __future__ import annotations

from adapters.postgres.inventory.alerts import PostgresStockAlertRepository
from adapters.postgres.inventory.analysis import PostgresStockAnalysis, PostgresStockValues
from adapters.postgres.inventory.batches import PostgresBatchRepository
from adapters.postgres.inventory.channel_supply import PostgresChannelSupplyRepository
from adapters.postgres.inventory.costs import PostgresStockCosts
from adapters.postgres.inventory.counts import PostgresCountRepository
from adapters.postgres.inventory.reservations import PostgresReservationRepository
from adapters.postgres.inventory.skus import PostgresSkuDirectory
from adapters.postgres.inventory.stock import PostgresStockRepository
from adapters.postgres.inventory.stock_imports import PostgresStockImports
from adapters.postgres.inventory.transfers import PostgresTransferRepository
from adapters.postgres.inventory.unit_costs import CostPositionUnitCosts
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
        self.counts = PostgresCountRepository(conn, tenant)
        self.transfers = PostgresTransferRepository(conn, tenant)
        self.unit_costs = CostPositionUnitCosts(conn, tenant)
        self.alerts = PostgresStockAlertRepository(conn, tenant, parts.cipher, parts.unreadable)
        self.analysis = PostgresStockAnalysis(conn, tenant)
        self.values = PostgresStockValues(conn, tenant)
        self.stock_imports = PostgresStockImports(conn, tenant)
        self.skus = PostgresSkuDirectory(conn, tenant)
        self.costs = PostgresStockCosts(conn, tenant)
        self.batches = PostgresBatchRepository(conn, tenant)


def build(parts: StoreParts) -> InventoryStore:
    return PostgresInventoryStore(parts)
