"""The daily closing of stock values (INV-7): per tenant, per SKU × warehouse, the
quantity and value at each UTC midnight, written from the previous closing plus the
movements of the day — so a valuation at any date reads one closing and at most a day of
movements, never all history (docs/inventory.md, "Value at a date").

A day closes once it is over by ``SETTLE`` (a movement's transaction is long committed
by then); a tenant's unfinished re-valuations run first. A back-dated movement later
corrects the closings after its date (``revaluation``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from application.inventory.costing.revaluation import Revaluations
from application.inventory.ports import INVENTORY
from application.shared.context import Actor, ActorKind, CallContext
from application.shared.unit_of_work import UnitOfWorkFactory

SETTLE = timedelta(minutes=5)
DAY = timedelta(days=1)
MAX_DAYS_PER_RUN = 400


def _midnight_after(moment: datetime) -> datetime:
    day = moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return day + DAY


class StockClosings:
    def __init__(self, uow_factory: UnitOfWorkFactory, revaluations: Revaluations) -> None:
        self._uow_factory = uow_factory
        self._revaluations = revaluations

    async def close_tenant(self, tenant_id: UUID, now: datetime) -> list[datetime]:
        """Close every day of the tenant over by ``now`` and not closed yet."""
        await self._revaluations.run_unfinished(tenant_id)
        ctx = CallContext(tenant_id, Actor(ActorKind.SYSTEM, "inventory.close"), frozenset())
        closed: list[datetime] = []
        async with self._uow_factory.for_tenant(ctx) as uow:
            costs = uow.of(INVENTORY).costs
            await costs.hold_closings()
            previous = await costs.last_closing()
            if previous is not None:
                boundary = previous + DAY
            else:
                first = await costs.first_valued()
                if first is None:
                    return closed
                boundary = _midnight_after(first)
            while boundary <= now - SETTLE and len(closed) < MAX_DAYS_PER_RUN:
                await costs.close(previous, boundary)
                closed.append(boundary)
                previous, boundary = boundary, boundary + DAY
            await uow.commit()
        return closed
