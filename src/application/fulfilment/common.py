"""What the fulfilment use cases share: loading a wave or a shipment, and taking units off
a wave's pick list."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from application.fulfilment.ports import FULFILMENT, FulfilmentStore
from application.shared.unit_of_work import UnitOfWork
from domain.fulfilment.shipment import ENTITY as SHIPMENT
from domain.fulfilment.shipment import Shipment
from domain.fulfilment.wave import ENTITY as WAVE
from domain.fulfilment.wave import Wave
from domain.shared.errors import NotFound


def store_of(uow: UnitOfWork) -> FulfilmentStore:
    return uow.of(FULFILMENT)


async def load_wave(uow: UnitOfWork, wave_id: UUID, *, for_update: bool = False) -> Wave:
    wave = await store_of(uow).waves.get(wave_id, for_update=for_update)
    if wave is None:
        raise NotFound(entity=WAVE)
    return wave


async def load_shipment(
    uow: UnitOfWork, shipment_id: UUID, *, for_update: bool = False
) -> Shipment:
    shipment = await store_of(uow).shipments.get(shipment_id, for_update=for_update)
    if shipment is None:
        raise NotFound(entity=SHIPMENT)
    return shipment


async def put_back(
    uow: UnitOfWork,
    wave_id: UUID,
    units: dict[UUID, int],
    at: datetime,
    serials: dict[UUID, list[str]] | None = None,
) -> None:
    """Units that leave a wave (an intercepted or short parcel's, with the serials it had
    verified) off its pick list."""
    waves = store_of(uow).waves
    wave = await waves.get(wave_id, for_update=True)
    if wave is not None:
        read_version = wave.version
        wave.put_back(units, at, serials)
        await waves.save(wave, read_version)
