"""Expired reservations are released by a scheduled sweep, each exactly once (INV-2).

``ExpireReservations`` takes a batch of due reservations with ``FOR UPDATE SKIP LOCKED``
and releases them in the same transaction: a second sweeper running at the same moment
skips the rows the first holds, and once the first commits they are no longer active, so
neither the release nor its ledger rows can happen twice. ``ReservationExpiry`` runs it
for every tenant that has due reservations (found by the platform role through a partial
index), one batch per transaction, until none is left.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol
from uuid import UUID

from application.inventory.common import store_of
from application.inventory.reservations.engine import RESERVATIONS, settle_levels
from application.shared.clock import Clock
from application.shared.context import CallContext
from application.shared.use_case import Command, Work, runs
from application.shared.use_cases import UseCases
from domain.inventory.permissions import INVENTORY_WRITE
from domain.inventory.reservation import ENTITY

BATCH = 100


class ExpireReservations(
    Command[int], action="reservation.expired", entity=ENTITY, permission=INVENTORY_WRITE
):
    limit: int = BATCH


class ExpireReservationsHandler:
    async def handle(self, command: ExpireReservations, work: Work) -> int:
        due = await store_of(work.uow).reservations.lock_due(work.clock.now(), command.limit)
        for reservation in due:
            await RESERVATIONS.release_loaded(work, reservation, expired=True, settle=False)
        # Once per touched SKU (× warehouse) for the whole batch, as any command does.
        await settle_levels(work, due)
        return len(due)


class DueReservations(Protocol):
    """Across tenants (the platform role): which tenants have reservations due."""

    async def tenants_with_due(self, now: datetime) -> list[UUID]: ...


class ReservationExpiry:
    """The sweep across tenants: ``ExpireReservations`` in each tenant with due ones, one
    batch per transaction until none is left."""

    def __init__(self, use_cases: UseCases, due: DueReservations, clock: Clock) -> None:
        self._use_cases = use_cases
        self._due = due
        self._clock = clock

    @runs(ExpireReservations)
    async def expire_tenant(self, ctx: CallContext, limit: int = BATCH) -> int:
        released = 0
        while True:
            count = await self._use_cases.run(ctx, ExpireReservations(limit))
            released += count
            if count < limit:
                return released

    @runs(ExpireReservations)
    async def expire_all(self, context_for: Callable[[UUID], CallContext]) -> dict[UUID, int]:
        """Every tenant with due reservations, each in its own context (the worker's)."""
        return {
            tenant_id: await self.expire_tenant(context_for(tenant_id))
            for tenant_id in await self._due.tenants_with_due(self._clock.now())
        }
