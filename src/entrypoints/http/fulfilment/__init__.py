"""Fulfilment over HTTP (LOG-1)."""

from litestar import Router

from entrypoints.http.fulfilment.controllers import (
    SettingsController,
    ShipmentsController,
    WavesController,
)

router = Router(
    path="/api/v1/fulfilment",
    tags=["fulfilment"],
    route_handlers=[WavesController, ShipmentsController, SettingsController],
)
