"""Channels over HTTP (ORD-9, CHN-2): which SKU a channel's SKU code is, and order files."""

from litestar import Router

from adapters.files.tables import CsvXlsxTables
from application.orders.channels.imports.service import OrderImports
from entrypoints.http.dependencies import service
from entrypoints.http.order_channels.controllers import ChannelSkuMappingsController
from entrypoints.http.order_channels.imports import OrderImportsController

router = Router(
    path="/api/v1/orders/channels",
    tags=["orders"],
    route_handlers=[ChannelSkuMappingsController, OrderImportsController],
    dependencies={
        "order_imports": service(OrderImports),
        "tables": service(CsvXlsxTables),
    },
)
