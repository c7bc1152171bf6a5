"""Inventory over HTTP (INV-1, INV-2, INV-6, CHN-1/CHN-2 stock side)."""

from litestar import Router

from application.inventory.service import ChannelSupplyService, ReservationService, StockService
from application.inventory.warehouses.service import WarehouseService
from entrypoints.http.dependencies import service
from entrypoints.http.inventory.controllers import (
    ChannelsController,
    ReservationsController,
    StockController,
    WarehousesController,
)

router = Router(
    path="/api/v1/inventory",
    tags=["inventory"],
    route_handlers=[
        WarehousesController,
        StockController,
        ReservationsController,
        ChannelsController,
    ],
    dependencies={
        "warehouses": service(WarehouseService),
        "stock": service(StockService),
        "reservations": service(ReservationService),
        "supply": service(ChannelSupplyService),
    },
)
