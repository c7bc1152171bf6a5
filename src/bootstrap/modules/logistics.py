"""Logistics (LOG-1..LOG-3): carriers, their price tables and the recommendation,
tracking (pushed and pulled, anomalies alerted, deliveries told to orders through its
``OrderDeliveries``) and the tracking sweep across tenants. The desk that books waybills
through a carrier's gateway (``CarrierDesk``) is fulfilment's, through its own port
(fulfilment.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.carriers.registry import GatewaysByKind
from adapters.postgres.logistics.due import PostgresTrackedTenants
from application.logistics.carriers import (
    ConnectCarrierHandler,
    CreateCarrierHandler,
    GetCarrier,
    ListCarriers,
    ReviseCarrierHandler,
    load_carrier,
)
from application.logistics.ports import LOGISTICS
from application.logistics.rates import GetPriceTableHandler, SetPriceTableHandler
from application.logistics.recommending import RecommendCarrierHandler
from application.logistics.settings import (
    GetLogisticsSettingsHandler,
    SetLogisticsSettingsHandler,
)
from application.logistics.tracking import (
    AcceptTrackingEventsHandler,
    GetTrackingHandler,
    PullTrackingHandler,
    TrackingDesk,
    TrackingSweeps,
)
from application.orders.deliveries import OrderSignings
from application.shared.reads import GetOne, PageInIdOrder

if TYPE_CHECKING:
    from bootstrap import Container


def register(c: Container) -> None:
    tracking = TrackingDesk(c.notifier, OrderSignings(c.notifier))
    c.use_cases.register(
        CreateCarrierHandler(),
        ReviseCarrierHandler(),
        ConnectCarrierHandler(),
        GetPriceTableHandler(),
        SetPriceTableHandler(),
        RecommendCarrierHandler(),
        GetLogisticsSettingsHandler(),
        SetLogisticsSettingsHandler(),
        AcceptTrackingEventsHandler(tracking),
        PullTrackingHandler(tracking, GatewaysByKind()),
        GetTrackingHandler(),
    )
    c.use_cases.add(GetCarrier, GetOne(load_carrier))
    c.use_cases.add(ListCarriers, PageInIdOrder(lambda uow: uow.of(LOGISTICS).carriers.page))
    c.add(TrackingSweeps(c.use_cases, PostgresTrackedTenants(c.platform_engine)))
