"""Bulk import of catalog files (CAT-2): upload → validation preview (dry run) → commit.

- ``upload`` stores the file's bytes in an import record and starts the check job
  (``catalog.import_check``), which evaluates the file against what is stored and keeps
  the error list and the counts (created / updated / unchanged / rejected products).
- ``commit`` starts the commit job (``catalog.import_commit``). A file with errors commits
  nothing unless the caller asks for the valid products only (``valid_only``). Asking
  again returns the same record (idempotent); a failed or killed commit job runs again.
- The commit evaluates the file once more inside ONE transaction, with the named products
  locked, and writes the changed products set-based in batches: products, SKUs, search
  terms, versions, then the batch's audit records and outbox events — the rows the HTTP
  path writes — while a worker thread prepares the next batch's statement parameters.
  Unchanged products write nothing. Progress (products written) is committed
  to the job row beside it in short transactions of its own, so the API and the CLI
  follow it, while the data commits at the end or not at all: a job killed at any point
  leaves no row behind and can be run again.

Jobs run as the uploader (their label is the actor of versions and audit records); costs
are read and written only when the uploader holds ``catalog:read_cost``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from application.catalog.import_apply import ProductChange
from application.catalog.import_plan import Evaluation, evaluate
from application.catalog.ports.files import FORMATS, ImportRecord, PreparedWrites, TableFiles
from application.catalog.ports.store import CATALOG
from application.catalog.tenant_terms import tenant_terms
from application.catalog.unpublishing import unpublish_product_everywhere
from application.jobs.ports import JOBS
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock, IdGenerator
from application.shared.context import Actor, ActorKind, CallContext, SystemContext
from application.shared.job import Job
from application.shared.messaging import TaskQueue
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork, UnitOfWorkFactory
from application.shared.versions import check_version
from domain.catalog.channel import must_unpublish
from domain.catalog.file_layout import RowError
from domain.catalog.permissions import CATALOG_IMPORT, CATALOG_READ_COST
from domain.catalog.product import ENTITY
from domain.catalog.versions import redact_costs
from domain.identity.permissions import ALL_PERMISSIONS
from domain.shared.audit import AuditEntry
from domain.shared.errors import Conflict, NotFound, ValidationFailed

IMPORT_ENTITY = "catalog_import"
CHECK_KIND = "catalog.import_check"
COMMIT_KIND = "catalog.import_commit"
MAX_FILE_BYTES = 64 * 1024 * 1024
WRITE_BATCH = 2000  # products per set-based write (and per progress step)

# Import record statuses.
CHECKING = "checking"
CHECKED = "checked"
COMMITTING = "committing"
COMMITTED = "committed"

# A test sets this to interrupt a commit after ``done`` products were written in its
# transaction (the "killed mid-way" fault point); it may raise anything.
FaultHook = Callable[[int], None]


def file_format(file_name: str) -> str:
    suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if suffix not in FORMATS:
        raise ValidationFailed.single("file", "unsupported_file_format", allowed=list(FORMATS))
    return suffix


def actor_of(label: str) -> Actor:
    kind, _, actor_id = label.partition(":")
    return Actor(ActorKind(kind), actor_id)


@dataclass(frozen=True)
class ImportView:
    record: ImportRecord
    check_job: Job | None
    commit_job: Job | None


class CatalogImports:
    def __init__(
        self,
        runner: CommandRunner,
        uow_factory: UnitOfWorkFactory,
        access: AccessPolicy,
        tables: TableFiles,
        tasks: TaskQueue,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._runner = runner
        self._uow_factory = uow_factory
        self._access = access
        self._tables = tables
        self._tasks = tasks
        self._clock = clock
        self._ids = ids
        self.fault: FaultHook | None = None

    async def support_access(
        self, ctx: SystemContext, tenant_id: UUID, action: str, detail: dict[str, Any]
    ) -> CallContext:
        """A support operator (CLI) acting in a tenant: recorded in the operator audit; the
        returned context names the operator, so versions and audit records do too."""
        async with self._uow_factory.for_system(ctx, tenant_id) as uow:
            await uow.operator_audit.record(
                ctx, action, tenant_id, {**detail, "reason": ctx.reason}
            )
            await uow.commit()
        return CallContext(tenant_id, ctx.actor, ALL_PERMISSIONS, ctx.request_id)

    # ---- requests --------------------------------------------------------------------

    async def upload(
        self, ctx: CallContext, file_name: str, content: bytes, *, enqueue: bool = True
    ) -> ImportView:
        """Store the file and start its validation (a dry run)."""

        async def command(uow: UnitOfWork) -> ImportView:
            self._access.require(ctx, CATALOG_IMPORT)
            fmt = file_format(file_name)
            if not content:
                raise ValidationFailed.single("file", "required")
            if len(content) > MAX_FILE_BYTES:
                raise ValidationFailed.single(
                    "file", "file_too_large", max_mib=MAX_FILE_BYTES // (1024 * 1024)
                )
            now = self._clock.now()
            import_id = self._ids.new_id()
            job = self._job(ctx, CHECK_KIND, import_id)
            record = ImportRecord(
                id=import_id,
                file_name=file_name[:255],
                format=fmt,
                content=content,
                include_cost=self._access.allows(ctx, CATALOG_READ_COST),
                status=CHECKING,
                check_job_id=job.id,
                created_by=ctx.actor.label,
                created_at=now,
                updated_at=now,
            )
            await uow.of(JOBS).jobs.add(job)
            await uow.of(CATALOG).catalog_files.add_import(record)
            await uow.audit.record(
                AuditEntry(
                    "catalog_import.upload",
                    IMPORT_ENTITY,
                    import_id,
                    detail={"format": fmt, "bytes": len(content), "job": str(job.id)},
                )
            )
            return ImportView(record, job, None)

        view = await self._runner.run(ctx, "catalog_import.upload", IMPORT_ENTITY, command)
        if enqueue:
            await self._enqueue(ctx.tenant_id, view.record.check_job_id, CHECK_KIND)
        return view

    async def commit(
        self,
        ctx: CallContext,
        import_id: UUID,
        valid_only: bool,
        expected_version: int | None,
        *,
        enqueue: bool = True,
    ) -> ImportView:
        """Start the commit. Asked again after it started, returns the same record."""

        async def command(uow: UnitOfWork) -> ImportView:
            self._access.require(ctx, CATALOG_IMPORT)
            record = await self._load(uow, import_id, for_update=True)
            check_job = await uow.of(JOBS).jobs.get(record.check_job_id)
            if record.commit_job_id is not None:
                if record.valid_only != valid_only:
                    raise Conflict("import_already_committed")
                return ImportView(
                    record, check_job, await uow.of(JOBS).jobs.get(record.commit_job_id)
                )
            check_version(expected_version, record.version)
            if record.status != CHECKED:
                raise Conflict("import_not_checked")
            if record.errors and not valid_only:
                raise Conflict("import_has_errors", count=len(record.errors))
            job = self._job(ctx, COMMIT_KIND, import_id)
            await uow.of(JOBS).jobs.add(job)
            record.status, record.valid_only, record.commit_job_id = COMMITTING, valid_only, job.id
            record.version += 1
            record.updated_at = self._clock.now()
            await uow.of(CATALOG).catalog_files.save_import(record)
            await uow.audit.record(
                AuditEntry(
                    "catalog_import.commit",
                    IMPORT_ENTITY,
                    import_id,
                    detail={"validOnly": valid_only, "job": str(job.id)},
                )
            )
            return ImportView(record, check_job, job)

        view = await self._runner.run(
            ctx, "catalog_import.commit", IMPORT_ENTITY, command, entity_id=import_id
        )
        if enqueue and view.commit_job is not None and view.commit_job.unfinished:
            await self._enqueue(ctx.tenant_id, view.commit_job.id, COMMIT_KIND)
        return view

    async def get(self, ctx: CallContext, import_id: UUID) -> ImportView:
        async def read(uow: UnitOfWork) -> ImportView:
            self._access.require(ctx, CATALOG_IMPORT)
            record = await self._load(uow, import_id)
            commit_job = (
                await uow.of(JOBS).jobs.get(record.commit_job_id) if record.commit_job_id else None
            )
            return ImportView(record, await uow.of(JOBS).jobs.get(record.check_job_id), commit_job)

        return await self._runner.query(ctx, read)

    async def errors(self, ctx: CallContext, import_id: UUID) -> Sequence[RowError]:
        return (await self.get(ctx, import_id)).record.errors

    # ---- jobs --------------------------------------------------------------------------

    async def run_check(self, tenant_id: UUID, job_id: UUID) -> Job:
        """The validation preview: evaluate, keep errors and counts, write nothing else."""
        ctx, job = await self._start(tenant_id, job_id)
        if job.succeeded:
            return job
        try:
            async with self._uow_factory.for_tenant(ctx) as uow:
                record = await self._load(
                    uow, UUID(job.parameters["import_id"]), for_update=True, with_content=True
                )
                result = await self._evaluate(uow, record, lock=False)
                if record.status == CHECKING:
                    record.status, record.errors = CHECKED, result.errors
                    record.counts = result.counts
                    record.version += 1
                    record.updated_at = self._clock.now()
                    await uow.of(CATALOG).catalog_files.save_import(record)
                job.total = job.done = result.products
                job.succeed(self._clock.now())
                await uow.of(JOBS).jobs.save(job)
                await uow.commit()
        except Exception as error:
            await self._fail(ctx, job, error)
            raise
        return job

    async def run_commit(self, tenant_id: UUID, job_id: UUID) -> Job:
        """The commit, in one transaction; restartable from scratch after any failure."""
        ctx, job = await self._start(tenant_id, job_id)
        if job.succeeded:
            return job
        try:
            async with self._uow_factory.for_tenant(ctx) as uow:
                record = await self._load(
                    uow, UUID(job.parameters["import_id"]), for_update=True, with_content=True
                )
                if record.status == COMMITTED:  # a duplicate delivery ran it meanwhile
                    current = await uow.of(JOBS).jobs.get(job.id)
                    if current is not None and current.succeeded:
                        return current
                    job.total = job.done = record.counts.get("created", 0) + record.counts.get(
                        "updated", 0
                    )
                    job.succeed(self._clock.now())
                    await uow.of(JOBS).jobs.save(job)
                    await uow.commit()
                    return job
                result = await self._evaluate(uow, record, lock=True)
                if result.errors and not record.valid_only:
                    # The stored catalog changed since the preview: report, commit nothing.
                    return await self._refuse(uow, ctx, job, record, result)
                await self._progress(ctx, job, 0, len(result.changes))
                await self._write(uow, ctx, job, record, result)
                record.status, record.counts = COMMITTED, result.counts
                record.errors = result.errors
                record.version += 1
                record.updated_at = self._clock.now()
                await uow.of(CATALOG).catalog_files.save_import(record)
                job.total = job.done = len(result.changes)
                job.succeed(self._clock.now())
                await uow.of(JOBS).jobs.save(job)
                await uow.commit()
        except Exception as error:
            await self._fail(ctx, job, error)
            raise
        return job

    async def _write(
        self,
        uow: UnitOfWork,
        ctx: CallContext,
        job: Job,
        record: ImportRecord,
        result: Evaluation,
    ) -> None:
        done, now, files = 0, self._clock.now(), uow.of(CATALOG).catalog_files
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
                await self._progress(ctx, job, done, len(result.changes))
                if self.fault is not None:
                    self.fault(done)
        finally:
            if upcoming is not None:  # the commit failed: the next batch is not needed
                upcoming.cancel()

    async def _write_batch(
        self,
        uow: UnitOfWork,
        record: ImportRecord,
        batch: Sequence[ProductChange],
        prepared: PreparedWrites,
        now: datetime,
    ) -> None:
        """One batch: its products, then their audit records and events, as over HTTP."""
        await uow.of(CATALOG).catalog_files.write_prepared(prepared)
        await uow.audit.record_many(
            [
                AuditEntry(
                    "product.create" if c.created else "product.update",
                    ENTITY,
                    c.product.id,
                    changes=redact_costs(c.write.version.changes),
                    detail={"version": c.product.version, "import": str(record.id)},
                )
                for c in batch
            ]
        )
        await uow.outbox.add_many([e for c in batch for e in c.product.events])
        for change in batch:
            change.product.events.clear()
            if not change.created and must_unpublish(change.product):
                # discontinued by the file: off sale everywhere, as over HTTP (CAT-7)
                await unpublish_product_everywhere(
                    uow, change.product.id, now, "listing.unpublish_product_discontinued"
                )

    async def _refuse(
        self, uow: UnitOfWork, ctx: CallContext, job: Job, record: ImportRecord, result: Evaluation
    ) -> Job:
        record.status, record.errors, record.counts = CHECKED, result.errors, result.counts
        record.commit_job_id, record.valid_only = None, None
        record.version += 1
        record.updated_at = self._clock.now()
        await uow.of(CATALOG).catalog_files.save_import(record)
        job.fail(self._clock.now(), "import_has_errors")
        await uow.of(JOBS).jobs.save(job)
        await uow.commit()
        return job

    # ---- steps -----------------------------------------------------------------------

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

    def _job(self, ctx: CallContext, kind: str, import_id: UUID) -> Job:
        now = self._clock.now()
        return Job(
            id=self._ids.new_id(),
            kind=kind,
            created_by=ctx.actor.label,
            created_at=now,
            updated_at=now,
            parameters={"import_id": str(import_id)},
        )

    async def _enqueue(self, tenant_id: UUID, job_id: UUID, kind: str) -> None:
        await self._tasks.enqueue(
            kind,
            {"tenant_id": str(tenant_id), "job_id": str(job_id)},
            message_id=f"{kind}:{job_id}",
        )

    async def _load(
        self,
        uow: UnitOfWork,
        import_id: UUID,
        *,
        for_update: bool = False,
        with_content: bool = False,
    ) -> ImportRecord:
        record = await uow.of(CATALOG).catalog_files.get_import(
            import_id, for_update=for_update, with_content=with_content
        )
        if record is None:
            raise NotFound(entity=IMPORT_ENTITY)
        return record

    async def _start(self, tenant_id: UUID, job_id: UUID) -> tuple[CallContext, Job]:
        """Mark the job running in a transaction of its own; the context it runs in."""
        probe = CallContext(tenant_id, Actor(ActorKind.SYSTEM, "catalog.import"), frozenset())
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

    async def _progress(self, ctx: CallContext, job: Job, done: int, total: int) -> None:
        async with self._uow_factory.for_tenant(ctx) as uow:
            job.done, job.total, job.updated_at = done, total, self._clock.now()
            await uow.of(JOBS).jobs.save(job)
            await uow.commit()

    async def _fail(self, ctx: CallContext, job: Job, error: Exception) -> None:
        async with self._uow_factory.for_tenant(ctx) as uow:
            job.fail(self._clock.now(), getattr(error, "code", type(error).__name__))
            await uow.of(JOBS).jobs.save(job)
            await uow.commit()
