"""Orders from sales channels (ORD-9, CHN-2): SKU mappings, connectors, intake, order-file
imports, availability pushes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.channels.files.reader import OrderFileReader
from adapters.channels.registry import KINDS, ConnectorsByKind
from adapters.files.tables import CsvXlsxTables
from adapters.postgres.order_channels.store import PostgresConnectedChannels
from application.inventory.reservations.engine import RESERVATIONS
from application.orders.channels.imports.commands import (
    CommitOrderImportHandler,
    GetOrderImportHandler,
    UploadOrderImportHandler,
)
from application.orders.channels.imports.service import OrderImports
from application.orders.channels.intake import (
    AvailabilityPush,
    ChannelIntake,
    ConfigureChannelConnectorHandler,
    ListChannelSkuMappingsHandler,
    PullChannelOrdersHandler,
    RefundReports,
    SetChannelSkuMappingHandler,
)
from application.orders.channels.read_ahead import ReadAhead
from application.orders.channels.taking import ChannelOrders
from application.orders.common import StockKeeper
from application.orders.placing import PlaceOrderHandler
from application.orders.pricing import CatalogPricing
from application.orders.review import Reviewer
from application.orders.splitting import Splitter

if TYPE_CHECKING:
    from bootstrap import Container


def register(c: Container) -> None:
    connectors = ConnectorsByKind()
    keeper = StockKeeper(RESERVATIONS)
    reviewer = Reviewer(Splitter(keeper))
    placing = PlaceOrderHandler(keeper, CatalogPricing(), reviewer)
    taking = ChannelOrders(placing, keeper, reviewer, c.notifier)
    read_ahead = ReadAhead()
    c.use_cases.register(
        SetChannelSkuMappingHandler(taking),
        ListChannelSkuMappingsHandler(),
        ConfigureChannelConnectorHandler(KINDS),
        PullChannelOrdersHandler(connectors, taking, read_ahead),
        UploadOrderImportHandler(),
        CommitOrderImportHandler(),
        GetOrderImportHandler(),
    )
    c.add(
        ChannelIntake(c.use_cases, PostgresConnectedChannels(c.platform_engine), read_ahead),
        AvailabilityPush(connectors),
        RefundReports(connectors),
        OrderImports(
            c.use_cases,
            c.uow_factory,
            OrderFileReader(CsvXlsxTables()),
            taking,
            c.task_queue,
            c.access,
            c.clock,
            c.ids,
        ),
    )
