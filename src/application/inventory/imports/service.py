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
from application.inventory.imports.jobs import StockImportJobs
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.file_imports import FileImportService
from application.shared.messaging import TaskQueue
from application.shared.unit_of_work import UnitOfWorkFactory
from application.shared.use_case import runs
from application.shared.use_cases import UseCases
from domain.shared.file_rows import RowError


class StockImports(FileImportService):
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
        jobs = StockImportJobs(uow_factory, tables, access, clock, ids)
        super().__init__(jobs, tasks, CHECK_KIND, COMMIT_KIND)
        self._use_cases = use_cases

    @runs(UploadStockImport)
    async def upload(
        self, ctx: CallContext, file_name: str, content: bytes, *, enqueue: bool = True
    ) -> StockImportView:
        """Store the file and start its check (the dry run)."""
        view = await self._use_cases.run(ctx, UploadStockImport(file_name, content))
        return await self._checking(ctx, view, enqueue)

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
        return await self._committing(ctx, view, enqueue)

    @runs(GetStockImport)
    async def get(self, ctx: CallContext, import_id: UUID) -> StockImportView:
        return await self._use_cases.query(ctx, GetStockImport(import_id))

    @runs(GetStockImport)
    async def errors(self, ctx: CallContext, import_id: UUID) -> Sequence[RowError]:
        return (await self.get(ctx, import_id)).record.errors
