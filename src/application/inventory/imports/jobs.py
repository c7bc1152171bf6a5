"""The opening-stock import's jobs (#10): the check (dry run) and the commit.

The commit evaluates the file again inside ONE transaction (the record locked) and posts
one ``receipt`` ledger row per line (source type ``opening_stock``, source id the import),
each the movement's one statement, with its audit record as over HTTP; then, once per
touched SKU × warehouse, the channel availability and the thresholds (as at the end of any
stock-moving command). Progress (lines posted) is committed to the job row in short
transactions of its own, so the API and the CLI follow it, while the stock commits at the
end or not at all: a job killed at any point leaves no row behind and runs again.
"""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from application.catalog.ports.files import TableFiles
from application.inventory.batches.scanning import batch_into, scan_in
from application.inventory.common import move_posted, store_of
from application.inventory.imports.commands import CommitStockImport
from application.inventory.imports.common import Evaluation, evaluate, load_stock_import
from application.inventory.ports import StockImportRecord
from application.inventory.settle import stock_moved
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.file_imports import CHECKED, CHECKING, COMMITTED, FileImportJobsBase
from application.shared.job import Job
from application.shared.unit_of_work import UnitOfWork, UnitOfWorkFactory
from application.shared.use_case import Work
from domain.inventory import stock
from domain.inventory.opening_stock import SOURCE_TYPE
from domain.inventory.stock import Movement, MovementKind, SourceDocument, Target

BATCH = 500  # lines per progress step


async def _record_of(uow: UnitOfWork, job: Job) -> StockImportRecord:
    return await load_stock_import(
        uow, UUID(job.parameters["import_id"]), for_update=True, with_content=True
    )


class StockImportJobs(FileImportJobsBase):
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        tables: TableFiles,
        access: AccessPolicy,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        super().__init__(uow_factory, clock, ids, "inventory.stock_import")
        self._tables = tables
        self._access = access

    async def _check(self, ctx: CallContext, job: Job) -> Job:
        async with self._uow_factory.for_tenant(ctx) as uow:
            record = await _record_of(uow, job)
            result = await evaluate(uow, self._tables, record)
            if record.status == CHECKING:
                record.status, record.errors, record.counts = CHECKED, result.errors, result.counts
                await self._save(uow, record)
            return await self._steps.succeed(uow, job, result.rows)

    async def _commit(self, ctx: CallContext, job: Job) -> Job:
        async with self._uow_factory.for_tenant(ctx) as uow:
            record = await _record_of(uow, job)
            if record.status == COMMITTED:  # a duplicate delivery ran it meanwhile
                return await self._steps.succeed(uow, job, record.counts.get("valid", 0))
            result = await evaluate(uow, self._tables, record)
            if result.errors and not record.valid_only:
                return await self._refuse(uow, job, record, result)
            await self._steps.progress(ctx, job, 0, len(result.lines))
            await self._post(uow, ctx, job, record, result)
            record.status, record.counts, record.errors = COMMITTED, result.counts, result.errors
            await self._save(uow, record)
            return await self._steps.succeed(uow, job, len(result.lines))

    async def _save(self, uow: UnitOfWork, record: StockImportRecord) -> None:
        self._next_version(record)
        await store_of(uow).stock_imports.save(record)

    async def _post(
        self,
        uow: UnitOfWork,
        ctx: CallContext,
        job: Job,
        record: StockImportRecord,
        result: Evaluation,
    ) -> None:
        """Every line's receipt, then availability and thresholds once per level; the
        audit records and events written as the runner writes a command's."""
        command = CommitStockImport(record.id, bool(record.valid_only), record.version)
        work = Work(uow, ctx, self._access, command, self._clock, self._ids)
        source = SourceDocument(SOURCE_TYPE, record.id)
        total = len(result.lines)
        for done, line in enumerate(result.lines, start=1):
            movement = Movement(
                line.sku_id,
                line.warehouse_id,
                MovementKind.RECEIPT,
                stock.receipt(line.quantity, Target.SELLABLE),
                source,
                None,
                line.unit_cost,
                line.bin_id,
            )
            if line.batch is not None:  # INV-8: into its batch, with its serials
                movement = replace(
                    movement, batch_id=await batch_into(work, line.sku_id, line.batch)
                )
            posted = await move_posted(uow, ctx, movement)
            await scan_in(work, movement, list(line.serials), posted.seq)
            work.audit(
                line.sku_id,
                detail={
                    "warehouse_id": str(line.warehouse_id),
                    "kind": MovementKind.RECEIPT.value,
                    "on_hand": line.quantity,
                    "source": f"{SOURCE_TYPE}:{record.id}",
                    "row": line.row,
                },
                action="stock.receive",
                entity="stock",
            )
            if done % BATCH == 0 or done == total:
                await self._steps.progress(ctx, job, done, total)
                if self.fault is not None:
                    self.fault(done)
        await stock_moved(work, ((line.sku_id, line.warehouse_id) for line in result.lines))
        await work.write()

    async def _refuse(
        self, uow: UnitOfWork, job: Job, record: StockImportRecord, result: Evaluation
    ) -> Job:
        """What is stored changed since the check so that the file now has errors: keep
        them, go back to checked, post nothing."""
        record.status, record.errors, record.counts = CHECKED, result.errors, result.counts
        record.commit_job_id, record.valid_only = None, None
        await self._save(uow, record)
        return await self._steps.refuse(uow, job, "import_has_errors")
