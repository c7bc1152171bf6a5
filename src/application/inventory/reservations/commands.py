"""Reservations over inventory's own entrypoints (INV-2): create, release, convert to a
pick lock, commit on shipment — each a command around the port (``engine``)."""

from __future__ import annotations

from uuid import UUID

from application.inventory.ports import ReservationRequest
from application.inventory.reservations.engine import RESERVATIONS
from application.shared.reads import ById
from application.shared.use_case import Command, Work
from domain.inventory.permissions import INVENTORY_READ, INVENTORY_WRITE
from domain.inventory.reservation import ENTITY, Reservation


class ReserveStock(
    Command[Reservation], action="reservation.create", entity=ENTITY, permission=INVENTORY_WRITE
):
    request: ReservationRequest


class ReserveStockHandler:
    async def handle(self, command: ReserveStock, work: Work) -> Reservation:
        return await RESERVATIONS.reserve(work, command.request)


class ReleaseReservation(
    Command[Reservation],
    action="reservation.released",
    entity=ENTITY,
    permission=INVENTORY_WRITE,
    target="reservation_id",
):
    reservation_id: UUID


class ReleaseReservationHandler:
    async def handle(self, command: ReleaseReservation, work: Work) -> Reservation:
        return await RESERVATIONS.release(work, command.reservation_id)


class PickLockReservation(
    Command[Reservation],
    action="reservation.picking",
    entity=ENTITY,
    permission=INVENTORY_WRITE,
    target="reservation_id",
):
    reservation_id: UUID


class PickLockReservationHandler:
    async def handle(self, command: PickLockReservation, work: Work) -> Reservation:
        return await RESERVATIONS.pick_lock(work, command.reservation_id)


class CommitReservation(
    Command[Reservation],
    action="reservation.committed",
    entity=ENTITY,
    permission=INVENTORY_WRITE,
    target="reservation_id",
):
    reservation_id: UUID


class CommitReservationHandler:
    async def handle(self, command: CommitReservation, work: Work) -> Reservation:
        return await RESERVATIONS.commit(work, command.reservation_id)


class GetReservation(ById[Reservation], entity=ENTITY, permission=INVENTORY_READ):
    pass
