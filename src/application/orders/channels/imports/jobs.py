"""The order-file import's jobs (ORD-9, CHN-2): the check (dry run) and the commit.

The commit evaluates the file again inside ONE transaction (the record locked) and hands
its valid orders to the channel intake (``taking.ChannelOrders.take``), a batch at a time:
the same path as a marketplace page, so a platform order id already on the channel is
updated, never duplicated, and unmapped codes mark the order abnormal ``sku_not_mapped``.
Progress (orders taken) is committed to the job row in short transactions of its own; the
orders commit at the end or not at all.
"""

from __future__ import annotations

from uuid import UUID

from application.orders.channels.imports.commands import (
    ImportChannelOrders,
    ImportChannelOrdersHandler,
)
from application.orders.channels.imports.common import (
    Evaluation,
    evaluate,
    load_order_import,
)
from application.orders.channels.ports import ORDER_CHANNELS, OrderFiles, OrderImportRecord
from application.orders.channels.taking import ChannelOrders, Taken
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.file_imports import CHECKED, CHECKING, COMMITTED, FileImportJobsBase
from application.shared.job import Job
from application.shared.unit_of_work import UnitOfWork, UnitOfWorkFactory
from application.shared.use_case import Work

BATCH = 200  # orders per progress step


async def _record_of(uow: UnitOfWork, job: Job) -> OrderImportRecord:
    return await load_order_import(
        uow, UUID(job.parameters["import_id"]), for_update=True, with_content=True
    )


class OrderImportJobs(FileImportJobsBase):
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        files: OrderFiles,
        taking: ChannelOrders,
        access: AccessPolicy,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        super().__init__(uow_factory, clock, ids, "orders.import")
        self._files = files
        self._import = ImportChannelOrdersHandler(taking)
        self._access = access

    async def _check(self, ctx: CallContext, job: Job) -> Job:
        async with self._uow_factory.for_tenant(ctx) as uow:
            record = await _record_of(uow, job)
            result = await evaluate(uow, self._files, record, self._clock.now())
            if record.status == CHECKING:
                record.status, record.errors, record.counts = CHECKED, result.errors, result.counts
                await self._save(uow, record)
            return await self._steps.succeed(uow, job, len(result.orders))

    async def _commit(self, ctx: CallContext, job: Job) -> Job:
        async with self._uow_factory.for_tenant(ctx) as uow:
            record = await _record_of(uow, job)
            if record.status == COMMITTED:  # a duplicate delivery ran it meanwhile
                return await self._steps.succeed(uow, job, record.counts.get("orders", 0))
            result = await evaluate(uow, self._files, record, self._clock.now())
            if result.errors and not record.valid_only:
                return await self._refuse(uow, job, record, result)
            await self._steps.progress(ctx, job, 0, len(result.orders))
            taken = await self._take(uow, ctx, job, record, result)
            record.status, record.errors = COMMITTED, result.errors
            record.counts = {
                **result.counts,
                "placed": taken.placed,
                "updated": taken.updated,
                "failed": taken.rejected,
            }
            await self._save(uow, record)
            return await self._steps.succeed(uow, job, len(result.orders))

    async def _save(self, uow: UnitOfWork, record: OrderImportRecord) -> None:
        self._next_version(record)
        await uow.of(ORDER_CHANNELS).imports.save(record)

    async def _take(
        self,
        uow: UnitOfWork,
        ctx: CallContext,
        job: Job,
        record: OrderImportRecord,
        result: Evaluation,
    ) -> Taken:
        """The valid orders through the channel intake, a batch at a time; the audit
        records, events and notifications written as the runner writes a command's."""
        taken, total = Taken(), len(result.orders)
        work: Work | None = None
        for start in range(0, total, BATCH):
            batch = tuple(result.orders[start : start + BATCH])
            command = ImportChannelOrders(record.id, record.channel_id, batch)
            work = work or Work(uow, ctx, self._access, command, self._clock, self._ids)
            taken += await self._import.handle(command, work)
            done = start + len(batch)
            await self._steps.progress(ctx, job, done, total)
            if self.fault is not None:
                self.fault(done)
        if work is not None:
            await work.write()
        return taken

    async def _refuse(
        self, uow: UnitOfWork, job: Job, record: OrderImportRecord, result: Evaluation
    ) -> Job:
        """The channel changed since the check so that the file now has errors: keep them,
        go back to checked, take nothing."""
        record.status, record.errors, record.counts = CHECKED, result.errors, result.counts
        record.commit_job_id, record.valid_only = None, None
        await self._save(uow, record)
        return await self._steps.refuse(uow, job, "import_has_errors")
