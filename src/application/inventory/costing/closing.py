"""The daily closing of stock values (INV-7): per tenant, per SKU × warehouse, the
quantity and value at each midnight of the tenant's time zone (``tenant_terms``), written
from the previous closing plus the movements of the day — so a valuation at any date reads
one closing and the movements since, never all history (docs/inventory.md, "Value at a
date").

A day closes once it is over by ``SETTLE`` (a movement's transaction is long committed
by then); a tenant's unfinished re-valuations run first. A back-dated movement later
corrects the closings after its date (``revaluation``). The same sweep then prunes the
closings ``Retention`` no longer keeps (every one of the last 92 days, a week's first of
the last 400, a month's first for ever), at most ``MAX_PRUNED_PER_RUN`` per run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from application.inventory.costing.revaluation import Revaluations
from application.inventory.ports import INVENTORY
from application.shared.clock import Clock
from application.shared.context import CallContext
from application.shared.tenant_terms import tenant_terms
from application.shared.unit_of_work import UnitOfWorkFactory
from domain.inventory.closings import Retention, midnight_after

SETTLE = timedelta(minutes=5)
MAX_DAYS_PER_RUN = 400
MAX_PRUNED_PER_RUN = 31
RETENTION = Retention()


class ValuedTenants(Protocol):
    """Across tenants (the platform role): those holding valued stock."""

    async def tenants_valued(self) -> list[UUID]: ...


class StockClosings:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        revaluations: Revaluations,
        valued: ValuedTenants,
        clock: Clock,
        retention: Retention = RETENTION,
    ) -> None:
        self._uow_factory = uow_factory
        self._revaluations = revaluations
        self._valued = valued
        self._clock = clock
        self._retention = retention

    async def close_tenant(self, ctx: CallContext, now: datetime) -> list[datetime]:
        """Close every day of the tenant over by ``now`` and not closed yet (answers the
        closings written, oldest first), then prune."""
        await self._revaluations.run_unfinished(ctx.tenant_id)
        closed: list[datetime] = []
        async with self._uow_factory.for_tenant(ctx) as uow:
            zone = (await tenant_terms(uow)).zone
            costs = uow.of(INVENTORY).costs
            await costs.hold_closings()
            previous = await costs.last_closing()
            start = previous if previous is not None else await costs.first_valued()
            if start is None:
                return closed
            boundary = midnight_after(start, zone)
            while boundary <= now - SETTLE and len(closed) < MAX_DAYS_PER_RUN:
                await costs.close(previous, boundary)
                closed.append(boundary)
                previous, boundary = boundary, midnight_after(boundary, zone)
            pruned = self._retention.pruned(await costs.closings(), now, zone)
            await costs.prune_closings(pruned[:MAX_PRUNED_PER_RUN])
            await uow.commit()
        return closed

    async def close_all(self, context_for: Callable[[UUID], CallContext]) -> dict[UUID, int]:
        """The scheduler's sweep: every tenant holding valued stock, each in its own
        context (the worker's); answers the days closed per tenant."""
        now = self._clock.now()
        return {
            tenant_id: len(await self.close_tenant(context_for(tenant_id), now))
            for tenant_id in await self._valued.tenants_valued()
        }
