"""Scans on the warehouse floor (LOG-1): picks confirmed against a wave (拣货), units
verified into a parcel (验货), the parcel weighed (称重). A serial-managed SKU's pick names
its serials, each in stock in the wave's warehouse (inventory's ``BatchRepository.serial``),
and its verify scans one of those. Each scan locks what it changes
(a wave's or a shipment's row) so two scanners never count one unit twice; a refused scan
changes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from uuid import UUID

from application.fulfilment.common import load_shipment, load_wave, store_of
from application.fulfilment.notices import weight_flagged
from application.fulfilment.ports import FulfilmentSettings
from application.inventory.ports import INVENTORY
from application.notifications.ports import Notifier
from application.shared.reads import ById, InIdOrder
from application.shared.use_case import Command, Query, Reading, Work
from application.shared.versions import check_version
from domain.fulfilment.permissions import FULFILMENT_PICK, FULFILMENT_READ
from domain.fulfilment.shipment import ENTITY as SHIPMENT
from domain.fulfilment.shipment import Shipment
from domain.fulfilment.wave import ENTITY as WAVE
from domain.fulfilment.wave import Wave
from domain.shared.errors import Conflict, ValidationFailed


class GetWave(ById[Wave], entity=WAVE, permission=FULFILMENT_READ):
    pass


class ListWaves(InIdOrder[Wave], entity=WAVE, permission=FULFILMENT_READ):
    pass


class GetShipment(ById[Shipment], entity=SHIPMENT, permission=FULFILMENT_READ):
    pass


class ListWaveShipments(Query[list[Shipment]], entity=WAVE, permission=FULFILMENT_READ):
    wave_id: UUID


class ScanPick(Command[Wave], action="wave.pick", entity=WAVE, permission=FULFILMENT_PICK):
    wave_id: UUID
    code: str  # the SKU's barcode (or code)
    quantity: int = 1
    serials: tuple[str, ...] = ()  # a serial-managed SKU's: one a unit


class ScanVerify(
    Command[Shipment], action="shipment.verify", entity=SHIPMENT, permission=FULFILMENT_PICK
):
    shipment_id: UUID
    code: str
    serial: str | None = None


class WeighShipment(
    Command[Shipment], action="shipment.weigh", entity=SHIPMENT, permission=FULFILMENT_PICK
):
    shipment_id: UUID
    grams: int
    packages: int = 1


class GetFulfilmentSettings(
    Query[FulfilmentSettings], entity="fulfilment_settings", permission=FULFILMENT_PICK
):
    pass


class SetFulfilmentSettings(
    Command[FulfilmentSettings],
    action="fulfilment_settings.update",
    entity="fulfilment_settings",
    permission=FULFILMENT_PICK,
):
    weight_tolerance_percent: Decimal  # 0..100
    expected_version: int | None


class ListWaveShipmentsHandler:
    async def handle(self, query: ListWaveShipments, reading: Reading) -> list[Shipment]:
        await load_wave(reading.uow, query.wave_id)
        return await store_of(reading.uow).shipments.of_wave(query.wave_id)


class ScanPickHandler:
    async def handle(self, command: ScanPick, work: Work) -> Wave:
        wave = await load_wave(work.uow, command.wave_id, for_update=True)
        before, read_version = wave.snapshot(), wave.version
        line = wave.pick(command.code, command.quantity, work.clock.now(), command.serials)
        if line.serial_managed:  # the scan's serials: the line's last ``quantity``
            fresh = line.serials[-command.quantity :]
            await _in_stock(work, line.sku_id, wave.warehouse_id, fresh)
        await store_of(work.uow).waves.save(wave, read_version)
        work.audit(wave.id, before, wave.snapshot(), detail={"sku": line.sku_code})
        work.publish(wave)
        return wave


class ScanVerifyHandler:
    async def handle(self, command: ScanVerify, work: Work) -> Shipment:
        shipment = await load_shipment(work.uow, command.shipment_id, for_update=True)
        # The wave locked: its parcels' verifications take turns, so one serial cannot go
        # into two of them at once.
        wave = await load_wave(work.uow, shipment.wave_id, for_update=True)
        if not wave.picked:
            raise Conflict("wave_not_picked", wave=wave.number)
        before, read_version = shipment.snapshot(), shipment.version
        line = shipment.verify(command.code, command.serial, work.clock.now())
        if command.serial and line.serial_managed:
            serial = command.serial.strip()
            picked = wave.serials_of(line.sku_id)
            if picked is not None and serial not in picked:
                raise Conflict("scan_serial_not_picked", serial=serial, wave=wave.number)
            for other in await store_of(work.uow).shipments.of_wave(wave.id):
                if other.id != shipment.id and serial in other.serials().get(line.sku_id, ()):
                    raise Conflict("scan_serial_repeated", serial=serial)  # in another parcel
            await _in_stock(work, line.sku_id, shipment.warehouse_id, [serial])
        await store_of(work.uow).shipments.save(shipment, read_version)
        work.audit(shipment.id, before, shipment.snapshot(), detail={"sku": line.sku_code})
        work.publish(shipment)
        return shipment


async def _in_stock(work: Work, sku_id: UUID, warehouse_id: UUID, serials: Sequence[str]) -> None:
    """409 ``scan_serial_not_in_stock`` for the first serial inventory does not hold in
    stock in the warehouse (unknown, issued, or in another warehouse)."""
    batches = work.uow.of(INVENTORY).batches
    for serial in serials:
        record = await batches.serial(sku_id, serial)
        if record is None or not record.in_stock or record.warehouse_id != warehouse_id:
            raise Conflict("scan_serial_not_in_stock", serial=serial)


class WeighShipmentHandler:
    """A weight past the tolerance tells the warehouse (``notices.weight_flagged``)."""

    def __init__(self, notifier: Notifier) -> None:
        self._notifier = notifier

    async def handle(self, command: WeighShipment, work: Work) -> Shipment:
        store = store_of(work.uow)
        shipment = await load_shipment(work.uow, command.shipment_id, for_update=True)
        tolerance = (await store.settings.get()).weight_tolerance_percent
        before, read_version = shipment.snapshot(), shipment.version
        shipment.weigh(command.grams, command.packages, tolerance, work.clock.now())
        await store.shipments.save(shipment, read_version)
        detail = {"expectedGrams": shipment.expected_grams, "tolerance": str(tolerance)}
        work.audit(shipment.id, before, shipment.snapshot(), detail=detail)
        if shipment.weight_flagged:
            await self._notifier.notify(work.uow, weight_flagged(shipment))
        work.publish(shipment)
        return shipment


class GetFulfilmentSettingsHandler:
    async def handle(self, query: GetFulfilmentSettings, reading: Reading) -> FulfilmentSettings:
        return await store_of(reading.uow).settings.get()


class SetFulfilmentSettingsHandler:
    async def handle(self, command: SetFulfilmentSettings, work: Work) -> FulfilmentSettings:
        tolerance = command.weight_tolerance_percent
        if not Decimal(0) <= tolerance <= Decimal(100):
            raise ValidationFailed.single("weightTolerancePercent", "out_of_range", min=0, max=100)
        store = store_of(work.uow)
        current = await store.settings.get()
        check_version(command.expected_version, current.version)
        changed = FulfilmentSettings(tolerance, current.version + 1)
        await store.settings.put(changed, current.version, work.clock.now())
        work.audit(
            None,
            {"weightTolerancePercent": str(current.weight_tolerance_percent)},
            {"weightTolerancePercent": str(tolerance)},
        )
        return changed
