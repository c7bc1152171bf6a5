"""``StockImports``: the opening-stock import's requests (commands through the dispatcher)
and its jobs, gathered as ``CatalogImports`` gathers the catalog's."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from application.catalog.ports.files import TableFiles
from application.inventory.imports.commands import (
    CommitStockImport,
    GetStockImport,
    UploadStockImport,
)
from application.inventory.imports.common import CHECK_KIND, COMMIT_KIND, StockImportView
from application.inventory.imports.jobs import FaultHook, StockImportJobs
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.job import Job
from application.shared.job_steps import enqueue_job
from application.shared.messaging import TaskQueue
from application.shared.unit_of_work import UnitOfWorkFactory
from application.shared.use_case import runs
from application.shared.use_cases import UseCases
from domain.catalog.file_layout import RowError


class StockImports:
    def __init__(
        self,
        use_cases: UseCases,
        uow_factory: UnitOfWorkFactory,
        tables: TableFiles,
        tasks: TaskQueue,
        access: AccessPolicy,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._use_cases = use_cases
        self._tasks = tasks
        self._jobs = StockImportJobs(uow_factory, tables, access, clock, ids)

    @property
    def fault(self) -> FaultHook | None:
        return self._jobs.fault

    @fault.setter
    def fault(self, hook: FaultHook | None) -> None:
        self._jobs.fault = hook

    @runs(UploadStockImport)
    async def upload(
        self, ctx: CallContext, file_name: str, content: bytes, *, enqueue: bool = True
    ) -> StockImportView:
        """Store the file and start its check (the dry run)."""
        view = await self._use_cases.run(ctx, UploadStockImport(file_name, content))
        if enqueue:
            await self._enqueue(ctx.tenant_id, view.record.check_job_id, CHECK_KIND)
        return view

    @runs(CommitStockImport)
    async def commit(
        self,
        ctx: CallContext,
        import_id: UUID,
        valid_only: bool,
        expected_version: int | None,
        *,
        enqueue: bool = True,
    ) -> StockImportView:
        view = await self._use_cases.run(
            ctx, CommitStockImport(import_id, valid_only, expected_version)
        )
        if enqueue and view.commit_job is not None and view.commit_job.unfinished:
            await self._enqueue(ctx.tenant_id, view.commit_job.id, COMMIT_KIND)
        return view

    @runs(GetStockImport)
    async def get(self, ctx: CallContext, import_id: UUID) -> StockImportView:
        return await self._use_cases.query(ctx, GetStockImport(import_id))

    @runs(GetStockImport)
    async def errors(self, ctx: CallContext, import_id: UUID) -> Sequence[RowError]:
        return (await self.get(ctx, import_id)).record.errors

    async def run_check(self, tenant_id: UUID, job_id: UUID) -> Job:
        return await self._jobs.run_check(tenant_id, job_id)

    async def run_commit(self, tenant_id: UUID, job_id: UUID) -> Job:
        return await self._jobs.run_commit(tenant_id, job_id)

    async def _enqueue(self, tenant_id: UUID, job_id: UUID, kind: str) -> None:
        await enqueue_job(self._tasks, kind, tenant_id, job_id)
