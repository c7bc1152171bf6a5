"""Bulk import of catalog files (CAT-2): upload → validation preview (dry run) → commit.

``upload`` stores the file and starts the check job (``catalog.import_check``); ``commit``
starts the commit job (``catalog.import_commit``); the jobs themselves are
``imports.jobs``. The requests are commands through the runner; the jobs keep their own
transactions (progress is committed beside the work).
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from application.catalog.imports.commit import CommitImport, CommitImportHandler
from application.catalog.imports.common import CHECK_KIND, COMMIT_KIND, ImportView
from application.catalog.imports.jobs import ImportJobs
from application.catalog.imports.queries import GetImport, GetImportHandler
from application.catalog.imports.upload import UploadImport, UploadImportHandler
from application.catalog.ports.files import TableFiles
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.file_imports import FileImportService
from application.shared.messaging import TaskQueue
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWorkFactory
from application.shared.use_case import runs
from domain.shared.file_rows import RowError


class CatalogImports(FileImportService):
    def __init__(
        self,
        runner: CommandRunner,
        uow_factory: UnitOfWorkFactory,
        tables: TableFiles,
        tasks: TaskQueue,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        jobs = ImportJobs(uow_factory, tables, clock, ids)
        super().__init__(jobs, tasks, CHECK_KIND, COMMIT_KIND)
        self._runner = runner
        self._uow_factory = uow_factory
        self._upload = UploadImportHandler()
        self._commit = CommitImportHandler()

    @runs(UploadImport)
    async def upload(
        self,
        ctx: CallContext,
        file_name: str,
        content: bytes,
        *,
        create_missing: bool = False,
        enqueue: bool = True,
    ) -> ImportView:
        """Store the file and start its validation (a dry run)."""
        command = UploadImport(file_name, content, create_missing)
        return await self._checking(
            ctx, await self._runner.run(ctx, command, self._upload), enqueue
        )

    @runs(CommitImport)
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
        command = CommitImport(import_id, valid_only, expected_version)
        view = await self._runner.run(ctx, command, self._commit)
        return await self._committing(ctx, view, enqueue)

    @runs(GetImport)
    async def get(self, ctx: CallContext, import_id: UUID) -> ImportView:
        return await self._runner.query(ctx, GetImport(import_id), GetImportHandler())

    @runs(GetImport)
    async def errors(self, ctx: CallContext, import_id: UUID) -> Sequence[RowError]:
        return (await self.get(ctx, import_id)).record.errors
