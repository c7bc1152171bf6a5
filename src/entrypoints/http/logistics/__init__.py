"""Logistics over HTTP (LOG-1..LOG-3)."""

from litestar import Router

from entrypoints.http.logistics.carriers import CarriersController
from entrypoints.http.logistics.rates import PriceTablesController, RecommendationsController
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
    ],
)
