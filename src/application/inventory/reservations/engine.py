"""The reservations port (``StockReservations``) as inventory implements it (INV-2).

Orders call it inside their own command; inventory's own commands (the HTTP routes, the
expiry sweep) call it too, so there is one way stock is reserved.

Never oversold: each line is one conditional update (``common.move``) — the database
checks ``on_hand - reserved - pick_locked >= n`` on the row it changes, under its row
lock, so no interleaving of concurrent reservations can take more than there is. Lines
are merged per SKU and named warehouse and taken in a fixed order, so reservations
touching the same SKUs lock their rows in the same order. A line is served whole from
one warehouse: the first candidate (in the channel's strategy order) whose conditional
update succeeds; if none can, ``InsufficientStock`` names the SKU, what was asked and the
most any candidate has available, and the caller's transaction rolls back the lines
already taken (all or nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from uuid import UUID

from application.inventory.availability import (
    supply_of,
    supplying_warehouses,
)
from application.inventory.batches.picking import hold_batches
from application.inventory.batches.scanning import Outgoing, outgoing, scan_out
from application.inventory.common import (
    actor_label,
    available_in,
    insufficient_stock,
    load_reservation,
    load_warehouse,
    store_of,
)
from application.inventory.costing.posting import post_movement
from application.inventory.ports import ReservationRequest, StockReservations
from application.inventory.settle import stock_moved
from application.shared.use_case import Work
from domain.inventory import stock
from domain.inventory.availability import default_supply
from domain.inventory.reservation import (
    ENTITY,
    AllocationStrategy,
    RequestedLine,
    Reservation,
    ReservationLine,
    ReservationStatus,
    merged_lines,
)
from domain.inventory.stock import Deltas, InsufficientStock, Movement, MovementKind, SourceDocument
from domain.inventory.warehouse import Warehouse
from domain.shared.errors import ValidationFailed
from domain.shared.events import DomainEvent

_DeltasOf = Callable[[int], Deltas]


class LedgerOutOfStep(RuntimeError):
    """A reservation's own lock was not there to release: the figures and the ledger
    disagree (the ledger check reports where). Never expected."""


def _ordered(
    strategy: AllocationStrategy,
    warehouses: list[Warehouse],
    available: dict[UUID, int],
    region: str | None,
) -> list[Warehouse]:
    """Candidates in the strategy's order (the supply list is already by priority)."""
    if strategy is AllocationStrategy.MOST_AVAILABLE:
        return sorted(warehouses, key=lambda w: -available.get(w.id, 0))
    if strategy is AllocationStrategy.REGION and region:
        return sorted(warehouses, key=lambda w: w.region != region)  # stable: priority kept
    return warehouses


class Reservations(StockReservations):
    """Stateless: the clock and the id generator come with each call's ``Work``."""

    async def reserve(self, work: Work, request: ReservationRequest) -> Reservation:
        store = store_of(work.uow)
        lines = merged_lines(list(request.lines))
        if request.expires_at is not None and request.expires_at <= work.clock.now():
            raise ValidationFailed.single("expiresAt", "must_be_in_the_future")
        # One read for the allocation and the availability announcement at the end.
        warehouses, supplies = await store.warehouses.all_with_supplies()
        settings = (
            await supply_of(work.uow, request.channel_id, supplies)
            if request.channel_id is not None
            else default_supply(_NO_CHANNEL)
        )
        strategy = settings.strategy
        candidates = supplying_warehouses(settings, warehouses)
        available = (
            await store.stock.available([line.sku_id for line in lines])
            if strategy is AllocationStrategy.MOST_AVAILABLE
            else {}
        )
        reservation_id = work.ids.new_id()
        source = SourceDocument("reservation", reservation_id)
        allocated: list[ReservationLine] = []
        for number, line in enumerate(lines, start=1):
            if line.warehouse_id is not None:
                order = [await load_warehouse(work.uow, line.warehouse_id)]
            else:
                order = _ordered(
                    strategy, candidates, available.get(line.sku_id, {}), request.shipping_region
                )
            warehouse_id = await self._take(work, line, order, source)
            allocated.append(ReservationLine(number, line.sku_id, warehouse_id, line.quantity))
        reservation = _new(
            reservation_id, request, allocated, work.clock.now(), actor_label(work.ctx)
        )
        await store.reservations.add(reservation)
        _noted(work, reservation)
        await stock_moved(
            work, ((line.sku_id, line.warehouse_id) for line in allocated), warehouses, supplies
        )
        return reservation

    async def reserve_many(
        self, work: Work, requests: Sequence[ReservationRequest]
    ) -> list[Reservation | InsufficientStock]:
        """Each request reserved all or nothing, as ``reserve`` would one after another,
        in a few statements for them all (a page of marketplace orders, PLT-9): the
        warehouses and supplies read once, the SKUs' levels locked and read once in a
        stable order (``lock_available``), the lines allocated here against those
        figures, then one conditional update of the levels with every ledger row, one
        insert of the reservations and their lines, and the availability announced once.
        Answers, per request, its reservation or the ``InsufficientStock`` that refused it
        (nothing of that request is written; the others go on)."""
        store = store_of(work.uow)
        merged = [merged_lines(list(request.lines)) for request in requests]
        now = work.clock.now()
        if any(r.expires_at is not None and r.expires_at <= now for r in requests):
            raise ValidationFailed.single("expiresAt", "must_be_in_the_future")
        warehouses, supplies = await store.warehouses.all_with_supplies()
        candidates: dict[UUID | None, tuple[AllocationStrategy, list[Warehouse]]] = {}
        for channel_id in {request.channel_id for request in requests}:
            settings = (
                await supply_of(work.uow, channel_id, supplies)
                if channel_id is not None
                else default_supply(_NO_CHANNEL)
            )
            candidates[channel_id] = (settings.strategy, supplying_warehouses(settings, warehouses))
        named = {
            line.warehouse_id: await load_warehouse(work.uow, line.warehouse_id)
            for lines in merged
            for line in lines
            if line.warehouse_id is not None
        }
        available = await store.stock.lock_available(
            sorted({line.sku_id for lines in merged for line in lines}, key=str)
        )
        actor = actor_label(work.ctx)
        outcomes: list[Reservation | InsufficientStock] = []
        movements: list[Movement] = []
        for request, lines in zip(requests, merged, strict=True):
            strategy, supplying = candidates[request.channel_id]
            allocated = _allocated(strategy, supplying, named, available, request, lines)
            if isinstance(allocated, InsufficientStock):
                outcomes.append(allocated)
                continue
            reservation = _new(work.ids.new_id(), request, allocated, now, actor)
            source = SourceDocument("reservation", reservation.id)
            movements.extend(
                _reserving(line.sku_id, line.warehouse_id, line.quantity, source)
                for line in allocated
            )
            outcomes.append(reservation)
        if not await store.stock.reserve_many(movements, actor):
            raise LedgerOutOfStep("a locked level could not take its reservations")
        reserved = [o for o in outcomes if isinstance(o, Reservation)]
        await store.reservations.add_many(reserved)
        for reservation in reserved:
            _noted(work, reservation)
        await stock_moved(
            work, ((m.sku_id, m.warehouse_id) for m in movements), warehouses, supplies
        )
        return outcomes

    async def _take(
        self,
        work: Work,
        line: RequestedLine,
        order: list[Warehouse],
        source: SourceDocument,
    ) -> UUID:
        store = store_of(work.uow)
        for warehouse in order:
            movement = _reserving(line.sku_id, warehouse.id, line.quantity, source)
            if await store.stock.move(movement, actor_label(work.ctx)) is not None:
                return warehouse.id
        raise await insufficient_stock(
            work.uow,
            line.sku_id,
            requested=line.quantity,
            available=await available_in(work.uow, line.sku_id, [w.id for w in order]),
        )

    async def _each_line(
        self,
        work: Work,
        reservation: Reservation,
        kind: MovementKind,
        deltas_of: _DeltasOf,
        *,
        shipped: Mapping[UUID, Sequence[str]] | None = None,
    ) -> None:
        """``shipped``: the units leave the warehouse (a shipment) with these serials per
        SKU, so a serial-managed SKU's serials are scanned out and decide its batches, and
        a batch-managed SKU's units come out of the batches its pick lock held, else of
        its batches by the picking suggestion (INV-8)."""
        source = SourceDocument("reservation", reservation.id)
        given = {sku: list(serials) for sku, serials in (shipped or {}).items()}
        # a pick lock's batches are dropped whatever ends it (INV-8); a shipment takes them
        picked = await store_of(work.uow).batches.unhold(reservation.id)
        for line in reservation.lines:
            movement = Movement(
                line.sku_id, line.warehouse_id, kind, deltas_of(line.quantity), source
            )
            if shipped is None:
                await self._post(work, reservation, line.line_no, movement)
                continue
            serials = given.get(line.sku_id)
            if serials is not None:  # a SKU on several lines: its serials in line order
                serials, given[line.sku_id] = serials[: line.quantity], serials[line.quantity :]
            held = picked.get(line.line_no)
            if held and serials is None:  # the batches its pick lock held (INV-8)
                parts = [replace(movement, deltas=deltas_of(n), batch_id=b) for b, n in held]
                out = Outgoing(parts, [[] for _ in parts])
            else:
                out = await outgoing(work, movement, line.quantity, deltas_of, None, serials)
            seqs = [await self._post(work, reservation, line.line_no, p) for p in out.movements]
            await scan_out(work, out, seqs)
        left = sorted(str(sku) for sku, serials in given.items() if serials)
        if left:  # serials of a SKU not on the reservation, or more than its units
            raise ValidationFailed.single("serials", "serials_not_on_reservation", skus=left)

    async def _post(
        self, work: Work, reservation: Reservation, line_no: int, movement: Movement
    ) -> int:
        # through the costing hook: a shipment posts its cost of goods sold (INV-7)
        posted = await post_movement(work.uow, movement, actor_label(work.ctx))
        if posted is None:
            raise LedgerOutOfStep(f"reservation {reservation.id} line {line_no}")
        return posted.seq

    async def _finish(
        self,
        work: Work,
        reservation: Reservation,
        before: ReservationStatus,
        read_version: int,
        *,
        settle: bool = True,
    ) -> Reservation:
        """``settle``: announce availability and evaluate thresholds now (False: the
        caller does it once for a batch of reservations, at its end)."""
        await store_of(work.uow).reservations.save(reservation, read_version)
        work.audit(
            reservation.id,
            {"status": before.value},
            {"status": reservation.status.value},
            action=f"reservation.{reservation.status.value}",
            entity=ENTITY,
        )
        work.publish(reservation)
        if settle:
            await settle_levels(work, [reservation])
        return reservation

    async def release(
        self, work: Work, reservation_id: UUID, *, expired: bool = False
    ) -> Reservation:
        reservation = await load_reservation(work.uow, reservation_id, for_update=True)
        return await self.release_loaded(work, reservation, expired=expired)

    async def release_loaded(
        self, work: Work, reservation: Reservation, *, expired: bool = False, settle: bool = True
    ) -> Reservation:
        before, read_version = reservation.status, reservation.version
        reservation.release(work.clock.now(), expired=expired)
        picking = before is ReservationStatus.PICKING
        await self._each_line(
            work,
            reservation,
            MovementKind.RELEASE,
            lambda quantity: stock.release(quantity, pick_locked=picking),
        )
        return await self._finish(work, reservation, before, read_version, settle=settle)

    async def pick_lock(self, work: Work, reservation_id: UUID) -> Reservation:
        reservation = await load_reservation(work.uow, reservation_id, for_update=True)
        before, read_version = reservation.status, reservation.version
        reservation.start_picking(work.clock.now())
        await self._each_line(work, reservation, MovementKind.PICK_LOCK, stock.pick_lock)
        await hold_batches(work.uow, reservation)  # INV-8: its batches, until it ships
        return await self._finish(work, reservation, before, read_version)

    async def commit(
        self, work: Work, reservation_id: UUID, serials: Mapping[UUID, Sequence[str]] | None = None
    ) -> Reservation:
        reservation = await load_reservation(work.uow, reservation_id, for_update=True)
        before, read_version = reservation.status, reservation.version
        reservation.commit(work.clock.now())
        picking = before is ReservationStatus.PICKING
        await self._each_line(
            work,
            reservation,
            MovementKind.ISSUE,
            lambda quantity: stock.shipment(quantity, pick_locked=picking),
            shipped=serials or {},
        )
        return await self._finish(work, reservation, before, read_version)


async def settle_levels(work: Work, reservations: list[Reservation]) -> None:
    """What the end of a command does once per touched level: announce the channel
    availability of the SKUs and evaluate the thresholds of the SKU × warehouses."""
    lines = [line for reservation in reservations for line in reservation.lines]
    await stock_moved(work, ((line.sku_id, line.warehouse_id) for line in lines))


_NO_CHANNEL = UUID(int=0)

# The one engine: inventory's handlers use it, and the container hands it to orders.
RESERVATIONS = Reservations()


def _new(
    reservation_id: UUID,
    request: ReservationRequest,
    allocated: list[ReservationLine],
    now: datetime,
    actor: str,
) -> Reservation:
    return Reservation(
        reservation_id,
        request.channel_id,
        request.source_type,
        request.source_id,
        ReservationStatus.ACTIVE,
        request.expires_at,
        allocated,
        1,
        now,
        now,
        created_by=actor,
    )


def _reserving(sku_id: UUID, warehouse_id: UUID, quantity: int, source: SourceDocument) -> Movement:
    return Movement(
        sku_id, warehouse_id, MovementKind.RESERVATION, stock.reservation(quantity), source
    )


def _noted(work: Work, reservation: Reservation) -> None:
    """A new reservation's audit record and its event."""
    work.audit(
        reservation.id,
        {},
        {"status": reservation.status.value},
        detail={
            "lines": len(reservation.lines),
            "source": f"{reservation.source_type}:{reservation.source_id or ''}",
        },
        action="reservation.create",
        entity=ENTITY,
    )
    work.emit(_created(reservation))


def _allocated(
    strategy: AllocationStrategy,
    supplying: list[Warehouse],
    named: dict[UUID, Warehouse],
    available: dict[UUID, dict[UUID, int]],
    request: ReservationRequest,
    lines: list[RequestedLine],
) -> list[ReservationLine] | InsufficientStock:
    """The request's lines served against ``available`` (taken from it), each whole from
    the first candidate warehouse that has it, as ``Reservations._take`` does; or, when a
    line cannot be served, what refuses the request (``available`` left as it was)."""
    allocated: list[ReservationLine] = []
    for number, line in enumerate(lines, start=1):
        per_warehouse = available.setdefault(line.sku_id, {})
        if line.warehouse_id is not None:
            order = [named[line.warehouse_id]]
        else:
            order = _ordered(strategy, supplying, per_warehouse, request.shipping_region)
        found = next((w.id for w in order if per_warehouse.get(w.id, 0) >= line.quantity), None)
        if found is None:
            for taken in allocated:  # give back what the request took
                available[taken.sku_id][taken.warehouse_id] += taken.quantity
            return InsufficientStock(
                sku=str(line.sku_id),
                requested=line.quantity,
                available=max((per_warehouse.get(w.id, 0) for w in order), default=0),
            )
        per_warehouse[found] -= line.quantity
        allocated.append(ReservationLine(number, line.sku_id, found, line.quantity))
    return allocated


def _created(reservation: Reservation) -> DomainEvent:
    return DomainEvent(
        "inventory.reservation_created",
        ENTITY,
        reservation.id,
        ("status",),
        {"sourceType": reservation.source_type, "sourceId": str(reservation.source_id or "")},
    )
