"""Re-valuing after a back-dated movement (INV-7; docs/inventory.md, "Back-dated
receipts").

A receipt with a past ``effectiveAt`` is posted at once (its layer, its value) and starts
a job (``inventory.revalue``) that re-values only what it affects: its SKU × warehouse,
from its date. The job, in one transaction holding that SKU × warehouse (level row and
cost position locked, so new movements of it wait, others do not):

1. rebuilds the pool as it stood just before the receipt (moving average: the last
   closing before the date plus the movements since; FIFO: the inbound movements before
   it less the units taken, which is enough because a FIFO take is path independent);
2. replays the valued movements from the date on, through the same ``CostPool`` the live
   hook uses, and appends a correction (``cost_revaluations``) for each whose amount
   changes — the ledger keeps what was posted;
3. writes the final pool (position, layers) and the level's row in every closing after
   the date (quantity and value as the replay passed it).

Nothing else is read or written: another SKU, another warehouse, or this one's history
before the date are untouched. Progress (movements to replay, replayed) is committed to
the job row in transactions of its own, so ``GET /api/v1/jobs/{id}`` follows it while the
work's transaction is open.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from application.inventory.costing.posting import Posted
from application.inventory.ports import INVENTORY
from application.jobs.ports import JOBS
from application.shared.clock import Clock
from application.shared.context import Actor, ActorKind, CallContext
from application.shared.job import Job
from application.shared.job_steps import JobSteps, enqueue_job, new_job
from application.shared.messaging import TaskQueue
from application.shared.unit_of_work import UnitOfWork, UnitOfWorkFactory
from application.shared.use_case import Work
from domain.inventory.costing import replay
from domain.shared.errors import ValidationFailed

REVALUE_KIND = "inventory.revalue"


def check_effective_at(work: Work, effective_at: datetime | None) -> None:
    """A back-dated movement's time: with its offset, and not in the future."""
    if effective_at is None:
        return
    if effective_at.tzinfo is None:
        raise ValidationFailed.single("effectiveAt", "offset_required")
    if effective_at > work.clock.now():
        raise ValidationFailed.single("effectiveAt", "must_not_be_in_the_future")


async def start_revaluation(work: Work, sku_id: UUID, warehouse_id: UUID, posted: Posted) -> UUID:
    """The job re-valuing ``sku_id`` × ``warehouse_id`` from the back-dated movement."""
    job = new_job(
        work.clock,
        work.ids,
        work.ctx,
        REVALUE_KIND,
        {
            "sku_id": str(sku_id),
            "warehouse_id": str(warehouse_id),
            "seq": str(posted.seq),
            "effective_at": posted.effective_at.isoformat(),
        },
    )
    await work.uow.of(JOBS).jobs.add(job)
    return job.id


@dataclass(frozen=True)
class Revalued:
    movements: int  # replayed
    corrections: int  # amounts changed
    closings: int  # closing rows rewritten


Progress = Callable[[int, int], Awaitable[None]]  # (done, total), committed on its own


async def _no_progress(done: int, total: int) -> None:
    return None


async def revalue(
    uow: UnitOfWork,
    sku_id: UUID,
    warehouse_id: UUID,
    effective_at: datetime,
    seq: int,
    job_id: UUID | None = None,
    progress: Progress = _no_progress,
) -> Revalued:
    """Re-value one SKU × warehouse from ``(effective_at, seq)``, in ``uow``."""
    costs = uow.of(INVENTORY).costs
    await costs.hold_closings()
    method = await costs.share_method()
    await costs.lock_pool(sku_id, warehouse_id, method)
    pool = await costs.pool_before(sku_id, warehouse_id, method, effective_at, seq)
    movements = await costs.valued_from(sku_id, warehouse_id, effective_at, seq)
    boundaries = await costs.closings_after(effective_at)
    await progress(0, len(movements))
    corrections, states = replay(pool, movements, boundaries)
    await progress(len(movements), len(movements))
    await costs.correct(sku_id, warehouse_id, corrections, job_id)
    await costs.save_pool(sku_id, warehouse_id, pool, rewrite=True)
    await costs.rewrite_closings(sku_id, warehouse_id, states)
    return Revalued(len(movements), len(corrections), len(states))


class Revaluations:
    """Runs re-valuation jobs (the worker's ``inventory.revalue`` task, and the daily
    closing first of all, so a lost task still runs before a period closes)."""

    def __init__(self, uow_factory: UnitOfWorkFactory, tasks: TaskQueue, clock: Clock) -> None:
        self._uow_factory = uow_factory
        self._tasks = tasks
        self._steps = JobSteps(uow_factory, clock, REVALUE_KIND)

    async def enqueue(self, tenant_id: UUID, job_id: UUID) -> None:
        await enqueue_job(self._tasks, REVALUE_KIND, tenant_id, job_id)

    async def run(self, tenant_id: UUID, job_id: UUID) -> Job:
        return await self._steps.run(tenant_id, job_id, self._revalue)

    async def _revalue(self, ctx: CallContext, job: Job) -> Job:
        parameters = job.parameters
        async with self._uow_factory.for_tenant(ctx) as uow:
            done = await revalue(
                uow,
                UUID(parameters["sku_id"]),
                UUID(parameters["warehouse_id"]),
                datetime.fromisoformat(parameters["effective_at"]),
                int(parameters["seq"]),
                job.id,
                lambda done, total: self._steps.progress(ctx, job, done, total),
            )
            job.checkpoint = {"corrections": done.corrections, "closings": done.closings}
            return await self._steps.succeed(uow, job, done.movements)

    async def run_unfinished(self, tenant_id: UUID) -> int:
        """Every re-valuation of the tenant not finished yet, oldest first."""
        probe = CallContext(tenant_id, Actor(ActorKind.SYSTEM, REVALUE_KIND), frozenset())
        unfinished: list[Job] = []
        async with self._uow_factory.for_tenant(probe) as uow:
            after = None
            while True:
                page = await uow.of(JOBS).jobs.page(REVALUE_KIND, after, 200)
                unfinished += [job for job in page if job.unfinished]
                if len(page) < 200:
                    break
                after = (page[-1].created_at, page[-1].id)
        for job in reversed(unfinished):
            await self.run(tenant_id, job.id)
        return len(unfinished)
