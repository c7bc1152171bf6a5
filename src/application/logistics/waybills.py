"""Waybills (打单, LOG-1): booked, cancelled and intercepted with a carrier named by its
code, through the gateway its operator connected. Other modules call it inside their own
command (fulfilment's ``Waybills`` port, wired in bootstrap): the carrier is read in the
caller's unit of work, so another tenant's carrier is never found.

A booking is kept in logistics' waybill register (LOG-2, ORD-11) with the postage its
carrier's price table gives for the receiver's region and the weight (LOG-3), which the
booking answers as its ``cost_estimate``; a cancel or an interception is noted there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from application.logistics.carriers import carrier_by_code
from application.logistics.ports import (
    LOGISTICS,
    Booking,
    BookingRequest,
    CarrierGateway,
    CarrierGateways,
    Interception,
    WaybillRepository,
)
from application.shared.clock import Clock
from application.shared.unit_of_work import UnitOfWork
from domain.logistics.carrier import Carrier
from domain.logistics.rates import region_key
from domain.logistics.waybill import Waybill
from domain.shared.errors import Conflict


class CarrierDesk:
    def __init__(self, gateways: CarrierGateways, clock: Clock) -> None:
        self._gateways = gateways
        self._clock = clock

    async def _gateway(self, uow: UnitOfWork, carrier_code: str) -> tuple[Carrier, CarrierGateway]:
        carrier = await carrier_by_code(uow, carrier_code)
        kind, endpoint = carrier.check_bookable()
        return carrier, self._gateways.gateway(kind, endpoint)

    async def book(self, uow: UnitOfWork, carrier_code: str, request: BookingRequest) -> Booking:
        carrier, gateway = await self._gateway(uow, carrier_code)
        store = uow.of(LOGISTICS)
        request = await cash_left(store.waybills, request)
        if request.cash_on_delivery is not None and not carrier.cash_on_delivery:
            raise Conflict("carrier_no_cash_on_delivery", carrier=carrier.code)
        booking = await gateway.book(carrier.code, request)
        table = await store.price_tables.get(carrier.id)
        estimate = table.postage(request.receiver.province, request.weight_grams)
        if request.shipment_id is not None and request.order_id is not None:
            await store.waybills.add(
                Waybill(
                    shipment_id=request.shipment_id,
                    order_id=request.order_id,
                    order_number=request.order_number,
                    carrier_code=carrier.code,
                    tracking_no=booking.tracking_no,
                    region=region_key(request.receiver.province),
                    weight_grams=request.weight_grams,
                    cash_on_delivery=request.cash_on_delivery,
                    cost_estimate=estimate,
                    booked_at=self._clock.now(),
                )
            )
        return replace(booking, cost_estimate=estimate)

    async def cancel(self, uow: UnitOfWork, carrier_code: str, tracking_no: str) -> None:
        carrier, gateway = await self._gateway(uow, carrier_code)
        await gateway.cancel(carrier.code, tracking_no)
        await _noted(uow, carrier.code, tracking_no, Waybill.cancel)

    async def intercept(self, uow: UnitOfWork, carrier_code: str, tracking_no: str) -> Interception:
        carrier, gateway = await self._gateway(uow, carrier_code)
        answer = await gateway.intercept(carrier.code, tracking_no)
        if answer.accepted:
            await _noted(uow, carrier.code, tracking_no, Waybill.intercepted_by_sender)
        return answer


async def cash_left(waybills: WaybillRepository, request: BookingRequest) -> BookingRequest:
    """The cash a parcel collects: what the order still owes less what its other parcels'
    live waybills collect already — so the parcels of a split order add up to the amount
    owed once, and the buyer is never asked for it twice."""
    if request.cash_on_delivery is None or request.order_id is None:
        return request
    others = [
        waybill.cash_on_delivery
        for waybill in await waybills.of_order(request.order_id)
        if waybill.shipment_id != request.shipment_id
        and not waybill.cancelled
        and waybill.cash_on_delivery is not None
    ]
    left = request.cash_on_delivery - sum(others, Decimal("0"))
    return replace(request, cash_on_delivery=left if left > 0 else None)


async def _noted(
    uow: UnitOfWork, carrier_code: str, tracking_no: str, change: Callable[[Waybill], bool]
) -> None:
    """``change`` noted on the registered waybill (none for a booking made before the
    register); written only when it changed something."""
    waybills = uow.of(LOGISTICS).waybills
    waybill = await waybills.by_tracking_no(carrier_code, tracking_no, for_update=True)
    if waybill is not None:
        read_version = waybill.version
        if change(waybill):
            await waybills.save(waybill, read_version)
