"""The import's jobs (CAT-2): the validation preview and the commit.

- The check job evaluates the file against what is stored and keeps the error list and
  the counts (created / updated / unchanged / rejected products).
- The commit evaluates the file once more inside ONE transaction, with the named products
  locked, and writes the changed products set-based in batches: products, SKUs, search
  terms, versions, then the batch's audit records and outbox events — the rows the HTTP
  path writes — while a worker thread prepares the next batch's statement parameters.
  Unchanged products write nothing. Progress (products written) is committed
  to the job row beside it in short transactions of its own, so the API and the CLI
  follow it, while the data commits at the end or not at all: a job killed at any point
  leaves no row behind and can be run again. A failed or killed commit job runs again.

Jobs run as the uploader (their label is the actor of versions and audit records); they
are not commands through the runner: their transactions are their own, for progress.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from application.catalog.import_apply import ProductChange
from application.catalog.import_creations import write_creations
from application.catalog.import_plan import Evaluation, evaluate
from application.catalog.imports.common import load_import
from application.catalog.ports.files import ImportRecord, PreparedWrites, TableFiles
from application.catalog.ports.store import CATALOG
from application.catalog.unpublishing import unpublish_product_everywhere
from application.jobs.ports import JOBS
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.file_imports import CHECKED, CHECKING, COMMITTED, FileImportJobsBase
from application.shared.job import Job
from application.shared.tenant_terms import tenant_terms
from application.shared.unit_of_work import UnitOfWork, UnitOfWorkFactory
from application.shared.use_case import Changes
from domain.catalog.channel import must_unpublish
from domain.catalog.product import ENTITY
from domain.catalog.versions import redact_costs

WRITE_BATCH = 2000  # products per set-based write (and per progress step)


async def _record_of(uow: UnitOfWork, job: Job) -> ImportRecord:
    """The job's import record with its file, locked until the transaction ends."""
    import_id = UUID(job.parameters["import_id"])
    return await load_import(uow, import_id, for_update=True, with_content=True)


class ImportJobs(FileImportJobsBase):
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        tables: TableFiles,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        super().__init__(uow_factory, clock, ids, "catalog.import")
        self._tables = tables

    async def _check(self, ctx: CallContext, job: Job) -> Job:
        async with self._uow_factory.for_tenant(ctx) as uow:
            record = await _record_of(uow, job)
            result = await self._evaluate(uow, record, lock=False)
            if record.status == CHECKING:
                record.status, record.errors = CHECKED, result.errors
                record.counts, record.to_create = result.counts, result.to_create
                await self._save(uow, record)
            return await self._steps.succeed(uow, job, result.products)

    async def _commit(self, ctx: CallContext, job: Job) -> Job:
        async with self._uow_factory.for_tenant(ctx) as uow:
            record = await _record_of(uow, job)
            if record.status == COMMITTED:  # a duplicate delivery ran it meanwhile
                current = await uow.of(JOBS).jobs.get(job.id)
                if current is not None and current.succeeded:
                    return current
                counts = record.counts
                return await self._steps.succeed(
                    uow, job, counts.get("created", 0) + counts.get("updated", 0)
                )
            result = await self._evaluate(uow, record, lock=True)
            if result.errors and not record.valid_only:
                # The stored catalog changed since the preview: report, commit nothing.
                return await self._refuse(uow, job, record, result)
            await self._steps.progress(ctx, job, 0, len(result.changes))
            await self._write(uow, ctx, job, record, result)
            record.status, record.counts = COMMITTED, result.counts
            record.errors, record.to_create = result.errors, result.to_create
            await self._save(uow, record)
            return await self._steps.succeed(uow, job, len(result.changes))

    async def _save(self, uow: UnitOfWork, record: ImportRecord) -> None:
        self._next_version(record)
        await uow.of(CATALOG).catalog_files.save_import(record)

    async def _write(
        self,
        uow: UnitOfWork,
        ctx: CallContext,
        job: Job,
        record: ImportRecord,
        result: Evaluation,
    ) -> None:
        done, now, files = 0, self._clock.now(), uow.of(CATALOG).catalog_files
        await self._create_missing(uow, record, result, now)
        batches = [
            result.changes[start : start + WRITE_BATCH]
            for start in range(0, len(result.changes), WRITE_BATCH)
        ]

        def prepare(index: int) -> asyncio.Future[PreparedWrites]:
            # In a worker thread: the next batch's parameters are computed while the
            # database writes this one (the objects of the two batches are distinct).
            writes = [c.write for c in batches[index]]
            return asyncio.ensure_future(asyncio.to_thread(files.prepare_writes, writes))

        upcoming = prepare(0) if batches else None
        try:
            for index, batch in enumerate(batches):
                assert upcoming is not None
                prepared = await upcoming
                upcoming = prepare(index + 1) if index + 1 < len(batches) else None
                await self._write_batch(uow, record, batch, prepared, now)
                done += len(batch)
                await self._steps.progress(ctx, job, done, len(result.changes))
                if self.fault is not None:
                    self.fault(done)
        finally:
            if upcoming is not None:  # the commit failed: the next batch is not needed
                upcoming.cancel()

    @staticmethod
    async def _create_missing(
        uow: UnitOfWork, record: ImportRecord, result: Evaluation, now: datetime
    ) -> None:
        """What the file names and the catalog lacks, first (createMissing)."""
        changes = Changes(uow, "product.update", ENTITY)
        await write_creations(uow, changes, result.creations, record.id, now)
        await uow.audit.record_many(changes.audit_entries())
        await uow.outbox.add_many(changes.events)

    async def _write_batch(
        self,
        uow: UnitOfWork,
        record: ImportRecord,
        batch: Sequence[ProductChange],
        prepared: PreparedWrites,
        now: datetime,
    ) -> None:
        """One batch: its products, then their audit records and events, as over HTTP
        (noted as a command notes them, written set-based)."""
        await uow.of(CATALOG).catalog_files.write_prepared(prepared)
        changes = Changes(uow, "product.update", ENTITY)
        for c in batch:
            changes.audit(
                c.product.id,
                changes=redact_costs(c.write.version.changes),
                detail={"version": c.product.version, "import": str(record.id)},
                action="product.create" if c.created else "product.update",
            )
            changes.publish(c.product)
        for change in batch:
            if not change.created and must_unpublish(change.product):
                # discontinued by the file: off sale everywhere, as over HTTP (CAT-7)
                await unpublish_product_everywhere(
                    changes, change.product.id, now, "listing.unpublish_product_discontinued"
                )
        await uow.audit.record_many(changes.audit_entries())
        await uow.outbox.add_many(changes.events)

    async def _refuse(
        self, uow: UnitOfWork, job: Job, record: ImportRecord, result: Evaluation
    ) -> Job:
        record.status, record.errors, record.counts = CHECKED, result.errors, result.counts
        record.to_create = result.to_create
        record.commit_job_id, record.valid_only = None, None
        await self._save(uow, record)
        return await self._steps.refuse(uow, job, "import_has_errors")

    async def _evaluate(self, uow: UnitOfWork, record: ImportRecord, *, lock: bool) -> Evaluation:
        return await evaluate(
            uow,
            self._tables,
            record,
            currency=(await tenant_terms(uow)).currency,
            actor=record.created_by,
            now=self._clock.now(),
            new_id=self._ids.new_id,
            lock=lock,
        )
