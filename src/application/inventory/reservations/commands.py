"""Reservations over inventory's own entrypoints (INV-2): create, release, convert to a
pick lock, commit on shipment — each a command around the port (``engine``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from uuid import UUID

from application.inventory.ports import ReservationRequest
from application.inventory.references import warehouse_ids_of
from application.inventory.reservations.engine import RESERVATIONS
from application.shared.reads import ById
from application.shared.use_case import Command, Work
from domain.inventory.permissions import INVENTORY_READ, INVENTORY_WRITE
from domain.inventory.reservation import ENTITY, Reservation
from domain.shared.errors import ValidationFailed

MAX_SHIPPED_SKUS = 500  # SKUs whose serials one shipment scans out (INV-8)


class ReserveStock(
    Command[Reservation], action="reservation.create", entity=ENTITY, permission=INVENTORY_WRITE
):
    request: ReservationRequest
    # Lines naming their warehouse by its code (#9 item 16): (line index, code or id); the
    # handler puts the warehouse's id on the line, or answers 422 for an unknown one.
    line_warehouses: tuple[tuple[int, str], ...] = ()


class ReserveStockHandler:
    async def handle(self, command: ReserveStock, work: Work) -> Reservation:
        request, lines = command.request, list(command.request.lines)
        if command.line_warehouses:
            named = [(f"lines[{i}].warehouse", code) for i, code in command.line_warehouses]
            found = await warehouse_ids_of(work.uow, named)
            for (i, _), warehouse_id in zip(command.line_warehouses, found, strict=True):
                lines[i] = dataclasses.replace(lines[i], warehouse_id=warehouse_id)
            request = dataclasses.replace(request, lines=tuple(lines))
        return await RESERVATIONS.reserve(work, request)


class ReleaseReservation(
    Command[Reservation],
    action="reservation.released",
    entity=ENTITY,
    permission=INVENTORY_WRITE,
    target="reservation_id",
):
    reservation_id: UUID


class PickLockReservation(
    Command[Reservation],
    action="reservation.picking",
    entity=ENTITY,
    permission=INVENTORY_WRITE,
    target="reservation_id",
):
    reservation_id: UUID


class CommitReservation(
    Command[Reservation],
    action="reservation.committed",
    entity=ENTITY,
    permission=INVENTORY_WRITE,
    target="reservation_id",
):
    """Shipped: the goods are issued; a serial-managed SKU's serials scanned out (INV-8)."""

    reservation_id: UUID
    serials: tuple[tuple[UUID, tuple[str, ...]], ...] = ()  # (SKU, its serials shipped)


ReservationStep = ReleaseReservation | PickLockReservation | CommitReservation

_STEPS: dict[type[ReservationStep], Callable[[Work, UUID], Awaitable[Reservation]]] = {
    ReleaseReservation: RESERVATIONS.release,
    PickLockReservation: RESERVATIONS.pick_lock,
}


class ReservationStepHandler:
    """Release, pick lock or commit: the engine's step of the command's kind (registered
    for each with ``use_cases.add``)."""

    async def handle(self, command: ReservationStep, work: Work) -> Reservation:
        if isinstance(command, CommitReservation):
            if len(command.serials) > MAX_SHIPPED_SKUS:
                raise ValidationFailed.single("lines", "too_many", max=MAX_SHIPPED_SKUS)
            serials = {sku: list(given) for sku, given in command.serials}
            if len(serials) < len(command.serials):
                raise ValidationFailed.single("lines", "duplicate_sku")
            return await RESERVATIONS.commit(work, command.reservation_id, serials)
        return await _STEPS[type(command)](work, command.reservation_id)


class GetReservation(ById[Reservation], entity=ENTITY, permission=INVENTORY_READ):
    pass
