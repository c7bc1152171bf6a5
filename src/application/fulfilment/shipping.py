"""Waybills, dispatch and interception (打单, 发货, 拦截; LOG-1).

- ``BookWaybill``: a weighed shipment's waybill booked with its carrier through logistics
  (``Waybills``): the tracking number and the label's sorting code and route kept.
- ``ShipShipment``: in one transaction — the shipment shipped, its reservations issued
  through inventory (the pick lock down, on hand down: once, since the shipment is locked
  and a committed reservation refuses a second issue), the order's lines recorded shipped
  (shipped, or partly shipped when it has more to go), and the channel told per platform
  order and its sub-orders (``reporting.ChannelReport``: a channel that does not answer
  leaves ``channelReported`` false, the shipment stands and the sweep tries again).
  Refused while the buyer has asked for a refund: intercept.
- ``InterceptShipment``: before dispatch, the shipment stops, its pick locks are given
  back, a booked waybill is cancelled and the order cancelled (the state table's
  interception while picking); after dispatch, the carrier is asked to stop the parcel,
  the order's timeline says so and the warehouse and customer service are told.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from typing import TypeVar
from uuid import UUID

from application.fulfilment.common import load_shipment, put_back, store_of
from application.fulfilment.notices import interception_requested
from application.fulfilment.ports import Waybills
from application.fulfilment.reporting import ChannelReport
from application.inventory.ports import INVENTORY, StockReservations
from application.logistics.ports import (
    Address,
    BookingRequest,
    CarrierRefused,
    CarrierUnavailable,
)
from application.notifications.ports import Notifier
from application.orders.ports import FulfilmentOrders
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.fulfilment.permissions import FULFILMENT_SHIP
from domain.fulfilment.shipment import ENTITY, Shipment
from domain.orders.order import Order
from domain.shared.errors import Conflict, ServiceBusy

T = TypeVar("T")


class CarrierDown(ServiceBusy):
    """The carrier did not answer after the gateway's retries (503, Retry-After)."""

    code = "carrier_unavailable"


class BookWaybill(
    Command[Shipment], action="shipment.book", entity=ENTITY, permission=FULFILMENT_SHIP
):
    shipment_id: UUID
    expected_version: int | None


class ShipShipment(
    Command[Shipment], action="shipment.ship", entity=ENTITY, permission=FULFILMENT_SHIP
):
    shipment_id: UUID
    expected_version: int | None


class InterceptShipment(
    Command[Shipment], action="shipment.intercept", entity=ENTITY, permission=FULFILMENT_SHIP
):
    shipment_id: UUID
    expected_version: int | None
    reason: str = "refund requested"


async def _carrier_call(call: Awaitable[T]) -> T:
    try:
        return await call
    except CarrierUnavailable:
        raise CarrierDown(retry_after=30) from None
    except CarrierRefused as refused:
        raise Conflict("carrier_refused", carrier=refused.carrier, reason=refused.reason) from None


def _booking(shipment: Shipment, order: Order, sender: str) -> BookingRequest:
    receiver, address = order.receiver, order.receiver.address
    return BookingRequest(
        reference=str(shipment.id),
        sender=sender,
        receiver=Address(
            receiver.name,
            receiver.phone,
            address.province,
            address.city,
            address.district,
            address.line,
        ),
        weight_grams=shipment.weight_grams or 0,
        packages=shipment.packages,
        cash_on_delivery=order.total - order.paid_amount if order.cash_on_delivery else None,
        shipment_id=shipment.id,
        order_id=order.id,
        order_number=str(order.number),
    )


class BookWaybillHandler:
    def __init__(self, waybills: Waybills, orders: FulfilmentOrders) -> None:
        self._waybills = waybills
        self._orders = orders

    async def handle(self, command: BookWaybill, work: Work) -> Shipment:
        shipment = await load_shipment(work.uow, command.shipment_id, for_update=True)
        check_version(command.expected_version, shipment.version)
        shipment.check_bookable()
        order = await self._orders.locked(work.uow, shipment.order_id)
        warehouse = await work.uow.of(INVENTORY).warehouses.get(shipment.warehouse_id)
        sender = warehouse.code if warehouse else str(shipment.warehouse_id)
        before, read_version = shipment.snapshot(), shipment.version
        booking = await _carrier_call(
            self._waybills.book(work.uow, shipment.carrier_code, _booking(shipment, order, sender))
        )
        label = booking.label
        shipment.book(
            booking.tracking_no,
            label.sorting_code,
            label.route,
            work.clock.now(),
            booking.cost_estimate,
        )
        await store_of(work.uow).shipments.save(shipment, read_version)
        work.audit(shipment.id, before, shipment.snapshot())
        work.publish(shipment)
        return shipment


def _serials_per_reservation(
    shipment: Shipment, reservations: Sequence[dict[UUID, int]]
) -> list[dict[UUID, list[str]]]:
    """The shipment's serials handed out to its reservations, per SKU in line order."""
    left = shipment.serials()
    handed: list[dict[UUID, list[str]]] = []
    for units in reservations:
        part: dict[UUID, list[str]] = {}
        for sku_id, quantity in units.items():
            if sku_id in left:
                part[sku_id], left[sku_id] = left[sku_id][:quantity], left[sku_id][quantity:]
        handed.append(part)
    return handed


class ShipShipmentHandler:
    def __init__(
        self, reservations: StockReservations, report: ChannelReport, orders: FulfilmentOrders
    ) -> None:
        self._reservations = reservations
        self._report = report
        self._orders = orders

    async def handle(self, command: ShipShipment, work: Work) -> Shipment:
        shipment = await load_shipment(work.uow, command.shipment_id, for_update=True)
        check_version(command.expected_version, shipment.version)
        order = await self._orders.locked(work.uow, shipment.order_id)
        if order.refund_requested:
            raise Conflict("shipment_refund_requested", order=str(order.number))
        now, before, read_version = work.clock.now(), shipment.snapshot(), shipment.version
        shipment.ship(now)
        await self._issue(work, shipment)
        units = {line.line_id: line.quantity for line in shipment.lines}
        await self._orders.record_shipment(work, order, units, shipment.reservation_ids)
        if shipment.channel_id is not None:
            await self._report.tell(work, shipment, now)
        await store_of(work.uow).shipments.save(shipment, read_version)
        work.audit(shipment.id, before, shipment.snapshot(), detail={"order": str(order.number)})
        work.publish(shipment)
        return shipment

    async def _issue(self, work: Work, shipment: Shipment) -> None:
        inventory = work.uow.of(INVENTORY)
        units = []
        for reservation_id in shipment.reservation_ids:
            reservation = await inventory.reservations.get(reservation_id)
            held: dict[UUID, int] = {}
            for line in reservation.lines if reservation else ():
                held[line.sku_id] = held.get(line.sku_id, 0) + line.quantity
            units.append(held)
        serials = _serials_per_reservation(shipment, units)
        for reservation_id, given in zip(shipment.reservation_ids, serials, strict=True):
            await self._reservations.commit(work, reservation_id, given or None)


class InterceptShipmentHandler:
    def __init__(self, waybills: Waybills, orders: FulfilmentOrders, notifier: Notifier) -> None:
        self._waybills = waybills
        self._orders = orders
        self._notifier = notifier

    async def handle(self, command: InterceptShipment, work: Work) -> Shipment:
        shipment = await load_shipment(work.uow, command.shipment_id, for_update=True)
        check_version(command.expected_version, shipment.version)
        order = await self._orders.locked(work.uow, shipment.order_id)
        now, before, read_version = work.clock.now(), shipment.snapshot(), shipment.version
        booked = shipment.tracking_no
        if shipment.intercept(now):
            if booked:
                await _carrier_call(self._waybills.cancel(work.uow, shipment.carrier_code, booked))
            await self._orders.intercepted(work, order, command.reason)
            await put_back(work.uow, shipment.wave_id, shipment.units(), now, shipment.serials())
        else:
            answer = await _carrier_call(
                self._waybills.intercept(work.uow, shipment.carrier_code, booked or "")
            )
            detail = {"trackingNo": booked or "", "carrier": answer.status}
            await self._orders.interception_requested(work, order, command.reason, detail)
            await self._notifier.notify(work.uow, interception_requested(shipment, answer.status))
        await store_of(work.uow).shipments.save(shipment, read_version)
        work.audit(shipment.id, before, shipment.snapshot(), detail={"reason": command.reason})
        work.publish(shipment)
        return shipment
