"""Bulk export of the catalog (CAT-2): ``start`` (a command) records the export and
queues its job (``exports.job``); ``get`` and ``file`` read it."""

from __future__ import annotations

from uuid import UUID

from application.catalog.exports.common import EXPORT_KIND
from application.catalog.exports.job import ExportJob
from application.catalog.exports.queries import (
    ExportFile,
    ExportFileHandler,
    GetExport,
    GetExportHandler,
)
from application.catalog.exports.start import StartExport, StartExportHandler
from application.catalog.ports.files import ExportRecord, SheetLabels, TableFiles
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.job import Job
from application.shared.job_steps import enqueue_job
from application.shared.messaging import TaskQueue
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWorkFactory
from application.shared.use_case import runs


class CatalogExports:
    def __init__(
        self,
        runner: CommandRunner,
        uow_factory: UnitOfWorkFactory,
        tables: TableFiles,
        tasks: TaskQueue,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._runner = runner
        self._tasks = tasks
        self._start = StartExportHandler()
        self._job = ExportJob(uow_factory, tables, clock)

    @runs(StartExport)
    async def start(
        self, ctx: CallContext, file_format: str, *, enqueue: bool = True
    ) -> tuple[ExportRecord, Job]:
        record, job = await self._runner.run(ctx, StartExport(file_format), self._start)
        if enqueue:
            await enqueue_job(self._tasks, EXPORT_KIND, ctx.tenant_id, job.id)
        return record, job

    @runs(GetExport)
    async def get(self, ctx: CallContext, export_id: UUID) -> tuple[ExportRecord, Job | None]:
        return await self._runner.query(ctx, GetExport(export_id), GetExportHandler())

    @runs(ExportFile)
    async def file(self, ctx: CallContext, export_id: UUID) -> ExportRecord:
        """The finished file (``export_not_ready`` while the job runs)."""
        return await self._runner.query(ctx, ExportFile(export_id), ExportFileHandler())

    async def run(self, tenant_id: UUID, job_id: UUID, labels: SheetLabels | None = None) -> Job:
        """The export job (a worker's task)."""
        return await self._job.run(tenant_id, job_id, labels)
