"""A wave's documents (打单, LOG-1): its shipments' packing slips and labels in one PDF,
for the printer at the packing bench; or one shipment's."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from application.fulfilment.common import load_shipment, load_wave, store_of
from application.fulfilment.ports import PackingDocuments, PackingSlip
from application.orders.ports import FulfilmentOrders
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Query, Reading
from domain.fulfilment.permissions import FULFILMENT_SHIP
from domain.fulfilment.shipment import Shipment
from domain.fulfilment.wave import ENTITY as WAVE


class WaveDocuments(Query[bytes], entity=WAVE, permission=FULFILMENT_SHIP):
    wave_id: UUID


class ShipmentDocuments(Query[bytes], entity="shipment", permission=FULFILMENT_SHIP):
    shipment_id: UUID


async def _slips(
    orders: FulfilmentOrders, uow: UnitOfWork, shipments: Sequence[Shipment]
) -> list[PackingSlip]:
    stored = await orders.many(uow, [x.order_id for x in shipments])
    slips = []
    for shipment in shipments:
        order = stored[shipment.order_id]
        receiver = order.receiver
        slips.append(
            PackingSlip(
                shipment,
                f"{receiver.name} {receiver.phone}",
                receiver.address.text(),
                order.buyer_message,
            )
        )
    return slips


class WaveDocumentsHandler:
    def __init__(self, documents: PackingDocuments, orders: FulfilmentOrders) -> None:
        self._documents = documents
        self._orders = orders

    async def handle(self, query: WaveDocuments, reading: Reading) -> bytes:
        wave = await load_wave(reading.uow, query.wave_id)
        shipments = await store_of(reading.uow).shipments.of_wave(wave.id)
        return self._documents.render(wave, await _slips(self._orders, reading.uow, shipments))


class ShipmentDocumentsHandler:
    def __init__(self, documents: PackingDocuments, orders: FulfilmentOrders) -> None:
        self._documents = documents
        self._orders = orders

    async def handle(self, query: ShipmentDocuments, reading: Reading) -> bytes:
        shipment = await load_shipment(reading.uow, query.shipment_id)
        wave = await load_wave(reading.uow, shipment.wave_id)
        return self._documents.render(wave, await _slips(self._orders, reading.uow, [shipment]))
