"""Inventory over HTTP (INV-1..INV-10, CHN-1/CHN-2 stock side)."""

from litestar import Router

from adapters.files.tables import CsvXlsxTables
from application.inventory.costing.revaluation import Revaluations
from application.inventory.imports.service import StockImports
from entrypoints.http.dependencies import service
from entrypoints.http.inventory.alert_controllers import AlertsController, AnalysisController
from entrypoints.http.inventory.batches import BatchesController
from entrypoints.http.inventory.controllers import (
    ChannelsController,
    CostingController,
    ReservationsController,
    StockController,
    WarehousesController,
)
from entrypoints.http.inventory.counts import CountsController
from entrypoints.http.inventory.stock_imports import StockImportsController
from entrypoints.http.inventory.transfers import TransfersController

router = Router(
    path="/api/v1/inventory",
    tags=["inventory"],
    route_handlers=[
        WarehousesController,
        StockController,
        ReservationsController,
        ChannelsController,
        CostingController,
        CountsController,
        TransfersController,
        AlertsController,
        AnalysisController,
        StockImportsController,
        BatchesController,
    ],
    dependencies={
        "stock_imports": service(StockImports),
        "tables": service(CsvXlsxTables),
        "revaluations": service(Revaluations),
    },
)
