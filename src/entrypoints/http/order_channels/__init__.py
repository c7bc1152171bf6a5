"""Channel SKU mappings over HTTP (ORD-9, CHN-2): which SKU a channel's SKU code is."""

from litestar import Router

from entrypoints.http.order_channels.controllers import ChannelSkuMappingsController

router = Router(
    path="/api/v1/orders/channels",
    tags=["orders"],
    route_handlers=[ChannelSkuMappingsController],
)
