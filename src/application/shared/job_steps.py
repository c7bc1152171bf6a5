"""What every file job (catalog import and export, the opening-stock import) does around
its work: mark its job running under the requester's name, commit its progress in short
transactions of its own (so the API and the CLI follow it while the work's own
transaction is still open), and record a failure.

Factored out of the catalog import (#10, the opening-stock import reuses it)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import UUID

from application.jobs.ports import JOBS
from application.shared.clock import Clock, IdGenerator
from application.shared.context import Actor, ActorKind, CallContext
from application.shared.job import Job
from application.shared.messaging import TaskQueue
from application.shared.unit_of_work import UnitOfWork, UnitOfWorkFactory
from domain.shared.errors import NotFound


def actor_of(label: str) -> Actor:
    """The actor a job's ``created_by`` label (``user:<id>``) names."""
    kind, _, actor_id = label.partition(":")
    return Actor(ActorKind(kind), actor_id)


def new_job(
    clock: Clock, ids: IdGenerator, ctx: CallContext, kind: str, parameters: dict[str, str]
) -> Job:
    now = clock.now()
    return Job(
        id=ids.new_id(),
        kind=kind,
        created_by=ctx.actor.label,
        created_at=now,
        updated_at=now,
        parameters=dict(parameters),
    )


class JobSteps:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, runner_name: str) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._runner_name = runner_name  # the system actor that reads the job row

    async def start(self, tenant_id: UUID, job_id: UUID) -> tuple[CallContext, Job]:
        """Mark the job running in a transaction of its own (unless it succeeded); the
        context it runs in: its requester's, with no permission of its own."""
        probe = CallContext(tenant_id, Actor(ActorKind.SYSTEM, self._runner_name), frozenset())
        async with self._uow_factory.for_tenant(probe) as uow:
            job = await uow.of(JOBS).jobs.get(job_id, for_update=True)
            if job is None:
                raise NotFound(entity="job")
            ctx = CallContext(tenant_id, actor_of(job.created_by), frozenset())
            if not job.succeeded:
                job.start(self._clock.now())
                job.done, job.total = 0, None
                await uow.of(JOBS).jobs.save(job)
                await uow.commit()
        return ctx, job

    async def run(
        self,
        tenant_id: UUID,
        job_id: UUID,
        work: Callable[[CallContext, Job], Awaitable[Job]],
    ) -> Job:
        """Start the job (one that succeeded is returned as it is) and run ``work`` in its
        context; a failure is recorded on the job (``fail``) and raised again."""
        ctx, job = await self.start(tenant_id, job_id)
        if job.succeeded:
            return job
        try:
            return await work(ctx, job)
        except Exception as error:
            await self.fail(ctx, job, error)
            raise

    async def succeed(self, uow: UnitOfWork, job: Job, count: int) -> Job:
        """The job done (``count`` of ``count``), saved and committed with ``uow``'s work."""
        job.total = job.done = count
        job.succeed(self._clock.now())
        await uow.of(JOBS).jobs.save(job)
        await uow.commit()
        return job

    async def refuse(self, uow: UnitOfWork, job: Job, code: str) -> Job:
        """The job failed with ``code``, committed with ``uow``'s work (an import whose
        file has errors by the time it commits keeps them: nothing else is written)."""
        job.fail(self._clock.now(), code)
        await uow.of(JOBS).jobs.save(job)
        await uow.commit()
        return job

    async def progress(self, ctx: CallContext, job: Job, done: int, total: int) -> None:
        async with self._uow_factory.for_tenant(ctx) as uow:
            job.done, job.total, job.updated_at = done, total, self._clock.now()
            await uow.of(JOBS).jobs.save(job)
            await uow.commit()

    async def fail(self, ctx: CallContext, job: Job, error: Exception) -> None:
        async with self._uow_factory.for_tenant(ctx) as uow:
            job.fail(self._clock.now(), getattr(error, "code", type(error).__name__))
            await uow.of(JOBS).jobs.save(job)
            await uow.commit()


async def enqueue_job(tasks: TaskQueue, kind: str, tenant_id: UUID, job_id: UUID) -> None:
    """The worker's task that runs the job (its message id the kind and the job's, so a
    second enqueue of one job is one task)."""
    await tasks.enqueue(
        kind,
        {"tenant_id": str(tenant_id), "job_id": str(job_id)},
        message_id=f"{kind}:{job_id}",
    )
