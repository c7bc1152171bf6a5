"""Waves planned (配货/波次, LOG-1): the approved and allocated orders of the tenant (and
the rest of partly shipped ones), read page by page through orders' ``FulfilmentOrders``
until ``limit`` are found, grouped by warehouse, carrier and bin zone with the single-SKU
orders apart, become waves. An order's zone is the one all its SKUs' bins lie in
(inventory's ``bin_places``); SKUs across zones, or never put in a zoned bin, make a wave
of no zone, picked as one pick list per zone (each line carries its bin's zone) and
brought together per order at verify.

An order joins when it is approved, allocated or partly shipped (its lines still to go),
holds stock in one warehouse (its reservations' lines; an order across warehouses is split
first, by orders), has no refund requested and no open shipment. Its stock is pick-locked
through inventory's port and orders move it to picking (a partly shipped one stays so), in
this command's transaction: the wave, its shipments, the locks and the orders commit
together. A carrier comes from the order (assigned by review rules or by hand), else the
command's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from uuid import UUID

from application.fulfilment.common import store_of
from application.inventory.ports import (
    INVENTORY,
    BinPlace,
    InventoryStore,
    StockReservations,
)
from application.orders.ports import FulfilmentOrders
from application.shared.use_case import Command, Work
from domain.fulfilment.permissions import FULFILMENT_PICK
from domain.fulfilment.shipment import Shipment, ShipmentLine, ShipmentStatus
from domain.fulfilment.wave import ENTITY, SkuFact, Wave, WaveLine
from domain.orders.lines import OrderLine
from domain.orders.order import Order
from domain.orders.status import OrderStatus
from domain.shared.errors import ValidationFailed

MAX_ORDERS = 500
PAGE = 100  # orders read at a time while looking for candidates
WAVE_STATUSES = (OrderStatus.ALLOCATED, OrderStatus.APPROVED, OrderStatus.PARTLY_SHIPPED)


class PlanWaves(Command[list[Wave]], action="wave.plan", entity=ENTITY, permission=FULFILMENT_PICK):
    carrier: str  # for orders no carrier was assigned to
    warehouse_id: UUID | None = None  # only this warehouse's orders
    limit: int = 200  # orders at most


@dataclass(frozen=True)
class _Group:
    warehouse_id: UUID
    carrier: str
    zone: str | None
    single_sku: bool


@dataclass(frozen=True)
class _Candidate:
    order: Order
    warehouse_id: UUID

    def group(self, carrier: str, places: dict[UUID, BinPlace]) -> _Group:
        skus = {line.sku_id for line, _ in _to_ship(self.order)}
        zones = {places[sku].zone if sku in places else None for sku in skus}
        zone = zones.pop() if len(zones) == 1 else None
        carrier = (self.order.carrier or carrier).strip().upper()
        return _Group(self.warehouse_id, carrier, zone, len(skus) == 1)


def _to_ship(order: Order) -> list[tuple[OrderLine, int]]:
    """The order's lines with the units still to ship (a partly shipped order's rest)."""
    left = [
        (line, line.quantity - order.shipped_quantities.get(line.id, 0)) for line in order.lines
    ]
    return [(line, units) for line, units in left if units > 0]


def _code(place: BinPlace | None) -> str | None:
    return place.code if place else None


def _zone(place: BinPlace | None) -> str | None:
    return place.zone if place else None


async def _one_warehouse(inventory: InventoryStore, order: Order) -> UUID | None:
    """The warehouse holding all of the order's stock; None across warehouses."""
    warehouses: set[UUID] = set()
    for reservation_id in order.reservation_ids:
        reservation = await inventory.reservations.get(reservation_id)
        if reservation is None:
            return None
        warehouses |= {line.warehouse_id for line in reservation.lines}
    return warehouses.pop() if len(warehouses) == 1 else None


class PlanWavesHandler:
    def __init__(self, reservations: StockReservations, orders: FulfilmentOrders) -> None:
        self._reservations = reservations
        self._orders = orders

    async def handle(self, command: PlanWaves, work: Work) -> list[Wave]:
        if not 1 <= command.limit <= MAX_ORDERS:
            raise ValidationFailed.single("limit", "out_of_range", min=1, max=MAX_ORDERS)
        if not command.carrier.strip():
            raise ValidationFailed.single("carrier", "required")
        candidates = await self._candidates(work, command)
        skus = {line.sku_id for c in candidates for line in c.order.lines}
        facts = await self._facts(work, skus)
        places: dict[UUID, dict[UUID, BinPlace]] = {}
        for warehouse_id in sorted({c.warehouse_id for c in candidates}):
            warehouses = work.uow.of(INVENTORY).warehouses
            places[warehouse_id] = await warehouses.bin_places(warehouse_id, sorted(skus))
        groups: dict[_Group, list[_Candidate]] = {}
        for candidate in candidates:
            group = candidate.group(command.carrier, places[candidate.warehouse_id])
            groups.setdefault(group, []).append(candidate)
        waves = []
        for group, members in sorted(groups.items(), key=lambda g: str(g[0])):
            bins = places[group.warehouse_id]
            waves.append(await self._wave(work, group, members, facts, bins))
        return waves

    async def _candidates(self, work: Work, command: PlanWaves) -> list[_Candidate]:
        """Every order a wave may take, page after page of each status until ``limit``
        are found: orders a warehouse filter leaves out never starve the ones it wants."""
        found: list[_Candidate] = []
        for status in WAVE_STATUSES:
            after = None
            while True:
                page = await self._orders.page_in_status(work.uow, status, after, PAGE)
                for order in page.orders:
                    candidate = await self._candidate(work, command, order, status)
                    if candidate is not None:
                        found.append(candidate)
                        if len(found) == command.limit:
                            return found
                if page.after is None:
                    break
                after = page.after
        return found

    async def _candidate(
        self, work: Work, command: PlanWaves, read: Order, status: OrderStatus
    ) -> _Candidate | None:
        """The order locked, if it may join: still in ``status``, no refund requested, no
        open shipment, its stock in one warehouse (the command's, if it names one)."""
        inventory, wanted = work.uow.of(INVENTORY), command.warehouse_id
        if wanted is not None and await _one_warehouse(inventory, read) != wanted:
            return None  # another warehouse's: not even locked
        shipments = store_of(work.uow).shipments
        if await shipments.open_of_order(read.id) is not None:
            return None  # cheap: most such orders are skipped before any lock
        order = await self._orders.lock_for_wave(work.uow, read.id, status)
        if order is None:
            return None
        # Again under the order's lock: a plan running at once may have given a partly
        # shipped order (whose status planning does not change) a shipment since.
        if await shipments.open_of_order(read.id) is not None:
            return None
        warehouse_id = await _one_warehouse(inventory, order)
        if warehouse_id is None or wanted not in (None, warehouse_id):
            return None
        return _Candidate(order, warehouse_id)

    async def _facts(self, work: Work, skus: set[UUID]) -> dict[UUID, SkuFact]:
        facts = await store_of(work.uow).skus.facts(sorted(skus))
        batches = work.uow.of(INVENTORY).batches
        kept = await batches.kept(skus)
        for sku_id in kept:
            if (await batches.sku_settings(sku_id)).serial_managed:
                facts[sku_id] = replace(facts[sku_id], serial_managed=True)
        return facts

    async def _wave(
        self,
        work: Work,
        group: _Group,
        members: Sequence[_Candidate],
        facts: dict[UUID, SkuFact],
        bins: dict[UUID, BinPlace],
    ) -> Wave:
        now, store = work.clock.now(), store_of(work.uow)
        totals: dict[UUID, int] = {}
        for member in members:
            for line, units in _to_ship(member.order):
                totals[line.sku_id] = totals.get(line.sku_id, 0) + units
        wave_lines = [
            WaveLine(
                sku,
                facts[sku].code,
                facts[sku].barcode,
                _code(bins.get(sku)),
                units,
                serial_managed=facts[sku].serial_managed,
                zone=_zone(bins.get(sku)),
            )
            for sku, units in totals.items()
        ]
        number = await store.waves.next_number(now)
        order_ids = tuple(m.order.id for m in members)
        wave = Wave.create(
            work.ids.new_id(),
            number,
            group.warehouse_id,
            group.carrier,
            group.single_sku,
            wave_lines,
            order_ids,
            now,
            group.zone,
        )
        shipments = [self._shipment(work, wave, m.order, facts) for m in members]
        await store.waves.add(wave)
        await store.shipments.add_many(shipments)
        for member in members:
            await self._start_picking(work, member)
        work.audit(wave.id, {}, {**wave.snapshot(), "orders": len(members)})
        work.publish(wave)
        return wave

    def _shipment(
        self, work: Work, wave: Wave, order: Order, facts: dict[UUID, SkuFact]
    ) -> Shipment:
        now = work.clock.now()
        lines = [
            ShipmentLine(
                line.id,
                line.sku_id,
                facts[line.sku_id].code,
                facts[line.sku_id].barcode,
                line.title,
                units,
                facts[line.sku_id].weight_grams,
                facts[line.sku_id].serial_managed,
                line.platform_order_id,
                line.platform_sub_order_id,
            )
            for line, units in _to_ship(order)
        ]
        return Shipment(
            work.ids.new_id(),
            wave.id,
            order.id,
            str(order.number),
            order.channel_id,
            wave.warehouse_id,
            wave.carrier_code,
            ShipmentStatus.PICKING,
            lines,
            order.reservation_ids,
            1,
            now,
            now,
        )

    async def _start_picking(self, work: Work, member: _Candidate) -> None:
        for reservation_id in member.order.reservation_ids:
            await self._reservations.pick_lock(work, reservation_id)
        await self._orders.start_picking(work, member.order)
