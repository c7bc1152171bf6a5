"""Logistics (LOG-1..LOG-3, ORD-11): carriers, their price tables and the recommendation
(an order read through orders' ``OrderParcels``),
tracking (pushed and pulled, anomalies alerted, deliveries told to orders through its
``OrderDeliveries``) and the tracking sweep across tenants; carrier statements (a job)
and COD remittances. The desk that books waybills
through a carrier's gateway (``CarrierDesk``) is fulfilment's, through its own port
(fulfilment.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.carriers.registry import GatewaysByKind
from adapters.files.tables import CsvXlsxTables
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
from application.logistics.settlement import (
    GetRemittance,
    GetStatement,
    RecordRemittanceHandler,
    Settlements,
    UploadStatementHandler,
    load_remittance,
    load_statement,
)
from application.logistics.tracking import (
    AcceptTrackingEventsHandler,
    GetTrackingHandler,
    PullTrackingHandler,
    TrackingDesk,
    TrackingSweeps,
)
from application.orders.deliveries import OrderSignings
from application.orders.parcels import OrderParcelFacts
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
        RecommendCarrierHandler(OrderParcelFacts()),
        GetLogisticsSettingsHandler(),
        SetLogisticsSettingsHandler(),
        AcceptTrackingEventsHandler(tracking),
        PullTrackingHandler(tracking, GatewaysByKind()),
        GetTrackingHandler(),
        UploadStatementHandler(),
        RecordRemittanceHandler(),
    )
    c.use_cases.add(GetStatement, GetOne(load_statement))
    c.use_cases.add(GetRemittance, GetOne(load_remittance))
    c.use_cases.add(GetCarrier, GetOne(load_carrier))
    c.use_cases.add(ListCarriers, PageInIdOrder(lambda uow: uow.of(LOGISTICS).carriers.page))
    c.add(TrackingSweeps(c.use_cases, PostgresTrackedTenants(c.platform_engine)))
    c.add(Settlements(c.use_cases, c.uow_factory, CsvXlsxTables(), c.task_queue, c.clock))
