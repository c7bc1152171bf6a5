"""Orders from sales channels (ORD-9, CHN-2): SKU mappings, connectors, intake, availability
pushes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.channels.registry import KINDS, ConnectorsByKind
from adapters.postgres.order_channels.store import PostgresConnectedChannels
from application.inventory.reservations.engine import RESERVATIONS
from application.orders.channels.intake import (
    AvailabilityPush,
    ChannelIntake,
    ConfigureChannelConnectorHandler,
    ListChannelSkuMappingsHandler,
    PullChannelOrdersHandler,
    SetChannelSkuMappingHandler,
)
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
    placing = PlaceOrderHandler(keeper, CatalogPricing(), Reviewer(Splitter(keeper)))
    c.use_cases.register(
        SetChannelSkuMappingHandler(),
        ListChannelSkuMappingsHandler(),
        ConfigureChannelConnectorHandler(KINDS),
        PullChannelOrdersHandler(connectors, placing),
    )
    c.add(
        ChannelIntake(c.use_cases, PostgresConnectedChannels(c.platform_engine)),
        AvailabilityPush(connectors),
    )
