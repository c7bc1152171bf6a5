"""The fulfilment use cases on the typed fakes, as bootstrap wires them (orders'
``OrderFulfilment`` behind ``FulfilmentOrders``), with a carrier that takes everything
and a channel port chosen by the test."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from uuid import UUID

from application.fulfilment.planning import PlanWavesHandler
from application.fulfilment.ports import ShipmentReports
from application.fulfilment.reporting import ChannelReport, ReportShipmentAgainHandler
from application.fulfilment.scanning import (
    ListWaveShipmentsHandler,
    ScanPickHandler,
    ScanVerify,
    ScanVerifyHandler,
    WeighShipment,
    WeighShipmentHandler,
)
from application.fulfilment.shipping import (
    BookWaybill,
    BookWaybillHandler,
    InterceptShipmentHandler,
    ShipShipmentHandler,
)
from application.fulfilment.shortages import ShortenShipmentHandler
from application.inventory.reservations.engine import RESERVATIONS
from application.logistics.ports import Booking, BookingRequest, Interception, Label
from application.orders.common import StockKeeper
from application.orders.fulfilment import OrderFulfilment
from application.orders.lifecycle import ApproveOrder, AssignWarehouse, RecordPayment
from application.orders.placing import PlaceOrder
from application.shared.unit_of_work import UnitOfWork
from domain.fulfilment.shipment import Shipment
from domain.orders.payment_records import PaymentMethod
from tests.unit.orders.test_use_cases import CTX, Shop


class FakeWaybills:
    """A carrier that books every parcel (numbered in order) and takes every
    interception."""

    def __init__(self) -> None:
        self.booked: list[str] = []

    async def book(self, uow: UnitOfWork, carrier_code: str, request: BookingRequest) -> Booking:
        self.booked.append(request.reference)
        return Booking(
            f"{carrier_code}{len(self.booked):06d}", Label("100-10", "A→B", carrier_code)
        )

    async def cancel(self, uow: UnitOfWork, carrier_code: str, tracking_no: str) -> None:
        return None

    async def intercept(self, uow: UnitOfWork, carrier_code: str, tracking_no: str) -> Interception:
        return Interception(True, "intercepted")


class Channel:
    """A channel's platform: none (``report`` False: no connector), or one that answers
    with ``error``."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error

    async def report(
        self,
        uow: UnitOfWork,
        channel_id: UUID,
        platform_order_id: str,
        sub_order_ids: Sequence[str],
        carrier: str,
        tracking_no: str,
    ) -> bool:
        if self.error is not None:
            raise self.error
        return False


def register_fulfilment(shop: Shop, reports: ShipmentReports | None = None) -> FakeWaybills:
    """Registers fulfilment's use cases on ``shop``; the carrier they book with."""
    waybills, orders = FakeWaybills(), OrderFulfilment(StockKeeper(RESERVATIONS), shop.notifier)
    report = ChannelReport(reports or Channel(), shop.notifier)
    shop.use_cases.register(
        PlanWavesHandler(RESERVATIONS, orders),
        ScanPickHandler(),
        ScanVerifyHandler(),
        WeighShipmentHandler(shop.notifier),
        ListWaveShipmentsHandler(),
        BookWaybillHandler(waybills, orders),
        ShipShipmentHandler(RESERVATIONS, report, orders),
        ReportShipmentAgainHandler(report),
        InterceptShipmentHandler(waybills, orders, shop.notifier),
        ShortenShipmentHandler(RESERVATIONS, orders),
    )
    return waybills


async def approved(shop: Shop, order: PlaceOrder, warehouse_id: UUID | None = None) -> UUID:
    """``order`` placed, paid and approved (shipping from ``warehouse_id`` if named)."""
    placed = await shop.use_cases.run(CTX, order)
    paid = await shop.use_cases.run(
        CTX, RecordPayment(placed.id, PaymentMethod.ALIPAY, placed.total, uuid.uuid4().hex)
    )
    version = paid.order.version
    if warehouse_id is not None:
        moved = await shop.use_cases.run(CTX, AssignWarehouse(placed.id, warehouse_id, version))
        version = moved.order.version
    await shop.use_cases.run(CTX, ApproveOrder(placed.id, version))
    return placed.id


async def packed(shop: Shop, shipment: Shipment, code: str) -> Shipment:
    """A picked parcel of one SKU (scanned as ``code``) verified, weighed and booked."""
    for _ in range(sum(line.quantity for line in shipment.lines)):
        shipment = await shop.use_cases.run(CTX, ScanVerify(shipment.id, code))
    shipment = await shop.use_cases.run(CTX, WeighShipment(shipment.id, 250))
    return await shop.use_cases.run(CTX, BookWaybill(shipment.id, shipment.version))
