"""Inventory over HTTP (INV-1, INV-2, INV-6, CHN-1/CHN-2 stock side)."""

from litestar import Router

from application.inventory.costing.revaluation import Revaluations
from entrypoints.http.dependencies import service
from entrypoints.http.inventory.controllers import (
    ChannelsController,
    CostingController,
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
        CostingController,
    ],
    dependencies={"revaluations": service(Revaluations)},
)
