"""A short pick (缺货) and the partial shipment it makes (LOG-1).

``ShortenShipment`` cuts a parcel's lines to the units there are: in one transaction the
parcel's reservations are released and its stock taken again through inventory's port in
two parts — what the parcel keeps, pick-locked, and the rest, reserved for a later wave —
and the wave's pick list is shortened. The parcel then ships what it holds (the order
``partly_shipped``); the next wave planned takes the order's remaining lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.fulfilment.common import load_shipment, put_back, store_of
from application.inventory.ports import ReservationRequest, StockReservations
from application.orders.ports import FulfilmentOrders
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.fulfilment.permissions import FULFILMENT_PICK
from domain.fulfilment.shipment import ENTITY, Shipment
from domain.inventory.reservation import RequestedLine
from domain.orders.order import Order


@dataclass(frozen=True)
class ShortLine:
    line_id: UUID  # the order's line
    quantity: int  # the units there are (0: none)


class ShortenShipment(
    Command[Shipment], action="shipment.shorten", entity=ENTITY, permission=FULFILMENT_PICK
):
    shipment_id: UUID
    lines: tuple[ShortLine, ...]
    expected_version: int | None


def _request(order: Order, warehouse_id: UUID, units: dict[UUID, int]) -> ReservationRequest:
    lines = tuple(RequestedLine(sku, n, warehouse_id) for sku, n in sorted(units.items()) if n)
    return ReservationRequest(lines, order.channel_id, None, "order", order.id)


class ShortenShipmentHandler:
    def __init__(self, reservations: StockReservations, orders: FulfilmentOrders) -> None:
        self._reservations = reservations
        self._orders = orders

    async def handle(self, command: ShortenShipment, work: Work) -> Shipment:
        shipment = await load_shipment(work.uow, command.shipment_id, for_update=True)
        check_version(command.expected_version, shipment.version)
        order = await self._orders.locked(work.uow, shipment.order_id)
        now, before, read_version = work.clock.now(), shipment.snapshot(), shipment.version
        verified = shipment.serials()
        back = shipment.shorten({line.line_id: line.quantity for line in command.lines}, now)
        kept_serials = shipment.serials()
        dropped = {  # the serials this parcel gave up leave the wave's picks, not others'
            sku_id: [s for s in serials if s not in kept_serials.get(sku_id, [])]
            for sku_id, serials in verified.items()
        }
        for reservation_id in shipment.reservation_ids:
            await self._reservations.release(work, reservation_id)
        kept = await self._reservations.reserve(
            work, _request(order, shipment.warehouse_id, shipment.units())
        )
        await self._reservations.pick_lock(work, kept.id)
        later = await self._reservations.reserve(work, _request(order, shipment.warehouse_id, back))
        gone, shipment.reservation_ids = shipment.reservation_ids, (kept.id,)
        detail = {str(sku): str(units) for sku, units in back.items()}
        await self._orders.short_picked(work, order, gone, (kept.id, later.id), detail)
        await put_back(work.uow, shipment.wave_id, back, now, dropped)
        await store_of(work.uow).shipments.save(shipment, read_version)
        work.audit(shipment.id, before, shipment.snapshot(), detail={"shortBy": detail})
        work.publish(shipment)
        return shipment
