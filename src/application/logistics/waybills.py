"""Waybills (打单, LOG-1): booked, cancelled and intercepted with a carrier named by its
code, through the gateway its operator connected. Other modules call it inside their own
command (fulfilment's ``Waybills`` port, wired in bootstrap): the carrier is read in the
caller's unit of work, so another tenant's carrier is never found."""

from __future__ import annotations

from application.logistics.carriers import carrier_by_code
from application.logistics.ports import (
    Booking,
    BookingRequest,
    CarrierGateway,
    CarrierGateways,
    Interception,
)
from application.shared.unit_of_work import UnitOfWork
from domain.logistics.carrier import Carrier
from domain.shared.errors import Conflict


class CarrierDesk:
    def __init__(self, gateways: CarrierGateways) -> None:
        self._gateways = gateways

    async def _gateway(self, uow: UnitOfWork, carrier_code: str) -> tuple[Carrier, CarrierGateway]:
        carrier = await carrier_by_code(uow, carrier_code)
        kind, endpoint = carrier.check_bookable()
        return carrier, self._gateways.gateway(kind, endpoint)

    async def book(self, uow: UnitOfWork, carrier_code: str, request: BookingRequest) -> Booking:
        carrier, gateway = await self._gateway(uow, carrier_code)
        if request.cash_on_delivery is not None and not carrier.cash_on_delivery:
            raise Conflict("carrier_no_cash_on_delivery", carrier=carrier.code)
        return await gateway.book(carrier.code, request)

    async def cancel(self, uow: UnitOfWork, carrier_code: str, tracking_no: str) -> None:
        carrier, gateway = await self._gateway(uow, carrier_code)
        await gateway.cancel(carrier.code, tracking_no)

    async def intercept(self, uow: UnitOfWork, carrier_code: str, tracking_no: str) -> Interception:
        carrier, gateway = await self._gateway(uow, carrier_code)
        return await gateway.intercept(carrier.code, tracking_no)
