"""Fulfilment (LOG-1): waves, picking, verifying, weighing, waybills, shipping and
interception, and the channel reports retried. Its narrow ports are wired here:
``Waybills`` to logistics' carrier desk, ``ShipmentReports`` to orders' channel
connectors, ``FulfilmentOrders`` to orders' ``OrderFulfilment``, ``PackingDocuments`` to
the PDF writer, and inventory's reservations (pick locks, issues, releases)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.carriers.registry import GatewaysByKind
from adapters.channels.registry import ConnectorsByKind
from adapters.documents.packing import PdfPackingDocuments
from adapters.postgres.fulfilment.due import PostgresDueReports
from application.fulfilment.common import load_shipment, load_wave, store_of
from application.fulfilment.documents import ShipmentDocumentsHandler, WaveDocumentsHandler
from application.fulfilment.planning import PlanWavesHandler
from application.fulfilment.reporting import (
    ChannelReport,
    ReportShipmentAgainHandler,
    RetryChannelReportsHandler,
    ShipmentSweeps,
)
from application.fulfilment.scanning import (
    GetFulfilmentSettingsHandler,
    GetShipment,
    GetWave,
    ListWaves,
    ListWaveShipmentsHandler,
    ScanPickHandler,
    ScanVerifyHandler,
    SetFulfilmentSettingsHandler,
    WeighShipmentHandler,
)
from application.fulfilment.shipping import (
    BookWaybillHandler,
    InterceptShipmentHandler,
    ShipShipmentHandler,
)
from application.fulfilment.shortages import ShortenShipmentHandler
from application.inventory.reservations.engine import RESERVATIONS
from application.logistics.waybills import CarrierDesk
from application.orders.channels.reporting import ChannelShipments
from application.orders.common import StockKeeper
from application.orders.fulfilment import OrderFulfilment
from application.shared.reads import GetOne, PageInIdOrder

if TYPE_CHECKING:
    from bootstrap import Container


def register(c: Container) -> None:
    desk = CarrierDesk(GatewaysByKind(), c.clock)
    documents = PdfPackingDocuments(c.settings.cjk_font)
    report = ChannelReport(ChannelShipments(ConnectorsByKind()), c.notifier)
    orders = OrderFulfilment(StockKeeper(RESERVATIONS), c.notifier)
    c.use_cases.register(
        PlanWavesHandler(RESERVATIONS, orders),
        ScanPickHandler(),
        ScanVerifyHandler(),
        WeighShipmentHandler(c.notifier),
        ListWaveShipmentsHandler(),
        GetFulfilmentSettingsHandler(),
        SetFulfilmentSettingsHandler(),
        BookWaybillHandler(desk, orders),
        ShipShipmentHandler(RESERVATIONS, report, orders),
        RetryChannelReportsHandler(report),
        ReportShipmentAgainHandler(report),
        InterceptShipmentHandler(desk, orders, c.notifier),
        ShortenShipmentHandler(RESERVATIONS, orders),
        WaveDocumentsHandler(documents, orders),
        ShipmentDocumentsHandler(documents, orders),
    )
    c.use_cases.add(GetWave, GetOne(load_wave))
    c.use_cases.add(ListWaves, PageInIdOrder(lambda uow: store_of(uow).waves.page))
    c.use_cases.add(GetShipment, GetOne(load_shipment))
    c.add(ShipmentSweeps(c.use_cases, PostgresDueReports(c.platform_engine), c.clock))
