"""Orders over HTTP (ORD-1..ORD-3, ORD-5)."""

from litestar import Router

from entrypoints.http.orders.controllers import OrdersController

router = Router(path="/api/v1/orders", tags=["orders"], route_handlers=[OrdersController])
