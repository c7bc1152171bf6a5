"""Inventory's pages: stock by warehouse and SKU, a SKU's ledger, receiving stock,
alerts, counts (blind entry on a phone), transfers, the valuation; and settings →
warehouses."""

from litestar import Router

from application.inventory.stock.queries import ListStockLevels
from application.inventory.warehouses.queries import ListWarehouses
from entrypoints.web.inventory.alerts import AlertPages
from entrypoints.web.inventory.counts import CountPages
from entrypoints.web.inventory.receive import ReceivePages
from entrypoints.web.inventory.stock import StockPages
from entrypoints.web.inventory.transfers import TransferPages
from entrypoints.web.inventory.valuation import ValuationPages
from entrypoints.web.inventory.warehouses import WarehousePages
from entrypoints.web.menu import MenuItem

router = Router(
    path="/",
    route_handlers=[
        Router(
            path="/inventory",
            route_handlers=[
                StockPages,
                ReceivePages,
                AlertPages,
                CountPages,
                TransferPages,
                ValuationPages,
            ],
        ),
        WarehousePages,
    ],
)
MENU = (
    MenuItem("nav.inventory", "/console/inventory", ListStockLevels, order=200),
    MenuItem("nav.warehouses", "/console/settings/warehouses", ListWarehouses, order=910),
)
