"""The analytics rollups rebuilt from a tenant's orders (ORD-10), as a job: for orders
placed before the rollups existed (migration 0019), or after the tenant changed its time
zone (the cells keep the zone they were written in).

1. The orders a batch at a time in id order, each batch one transaction with the job's
   progress and checkpoint (a runner stopped resumes after the last batch committed):
   what the reports read in the clear beside the sealed order — the receiver's province,
   the due time — written again from the decrypted order where it differs (the older
   orders have neither; SQL cannot read a sealed receiver).
2. Then, in one transaction, the tenant's cells cleared and computed again from the orders
   table (``OrderAnalytics.rebuild``), the job marked done.

Running it twice gives the same figures: both steps write what the orders say, whatever
was there. Started by ``shopkeeper orders rebuild-analytics`` (the operator's command).
"""

from __future__ import annotations

from uuid import UUID

from application.jobs.ports import JOBS
from application.orders.common import store_of
from application.orders.queue.ports import ORDER_QUEUE
from application.shared.clock import Clock
from application.shared.context import CallContext
from application.shared.job import Job
from application.shared.job_steps import JobSteps, new_job
from application.shared.unit_of_work import UnitOfWorkFactory
from application.shared.use_case import Command, Work
from domain.orders.permissions import ORDERS_RULES

BACKFILL_KIND = "orders.rollups_backfill"
BATCH = 500


class BackfillOrderRollups(
    Command[UUID],
    action="order_analytics.backfill",
    entity="order_analytics",
    permission=ORDERS_RULES,
):
    """The job that rebuilds the tenant's rollups (its id; run it with ``RollupBackfill``)."""


class BackfillOrderRollupsHandler:
    async def handle(self, command: BackfillOrderRollups, work: Work) -> UUID:
        job = new_job(work.clock, work.ids, work.ctx, BACKFILL_KIND, {})
        await work.uow.of(JOBS).jobs.add(job)
        work.audit(None, detail={"job": str(job.id)})
        return job.id


class RollupBackfill:
    """Runs the backfill job (the CLI, in its own process)."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._steps = JobSteps(uow_factory, clock, BACKFILL_KIND)

    async def run(self, tenant_id: UUID, job_id: UUID) -> Job:
        return await self._steps.run(tenant_id, job_id, self._backfill)

    async def _backfill(self, ctx: CallContext, job: Job) -> Job:
        after = job.checkpoint.get("after")
        async with self._uow_factory.for_tenant(ctx) as uow:
            total = await store_of(uow).orders.count()
        while True:
            async with self._uow_factory.for_tenant(ctx) as uow:
                start = UUID(after) if after else None
                read, last = await store_of(uow).orders.refresh_report_fields(start, BATCH)
                after = str(last) if last else after
                job.advance(self._clock.now(), read, {"after": after} if after else {})
                job.total = max(total, job.done)
                await uow.of(JOBS).jobs.save(job)
                await uow.commit()
            if read < BATCH:
                break
        async with self._uow_factory.for_tenant(ctx) as uow:
            await uow.of(ORDER_QUEUE).analytics.rebuild()
            job.checkpoint = {}
            return await self._steps.succeed(uow, job, total)
