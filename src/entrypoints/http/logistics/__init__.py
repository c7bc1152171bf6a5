"""Logistics over HTTP (LOG-1..LOG-3, ORD-11)."""

from litestar import Router

from application.logistics.settlement import Settlements
from entrypoints.http.dependencies import service
from entrypoints.http.logistics.carriers import CarriersController
from entrypoints.http.logistics.rates import PriceTablesController, RecommendationsController
from entrypoints.http.logistics.settlement import SettlementController
from entrypoints.http.logistics.tracking import SettingsController, TrackingController

router = Router(
    path="/api/v1/logistics",
    tags=["logistics"],
    route_handlers=[
        CarriersController,
        PriceTablesController,
        RecommendationsController,
        TrackingController,
        SettingsController,
        SettlementController,
    ],
    dependencies={"settlements": service(Settlements)},
)
