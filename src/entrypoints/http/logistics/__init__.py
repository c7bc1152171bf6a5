"""Logistics over HTTP (LOG-1, LOG-3)."""

from litestar import Router

from entrypoints.http.logistics.carriers import CarriersController

router = Router(path="/api/v1/logistics", tags=["logistics"], route_handlers=[CarriersController])
