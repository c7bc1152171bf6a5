"""Start a catalog export (CAT-2): the record and its job; the job writes the file. The
cost column is there only when the caller holds ``catalog:read_cost``."""

from __future__ import annotations

from application.catalog.exports.common import EXPORT_KIND, RUNNING
from application.catalog.ports.files import FORMATS, ExportRecord
from application.catalog.ports.store import CATALOG
from application.jobs.ports import JOBS
from application.shared.job import Job
from application.shared.use_case import Command, Work
from domain.catalog.permissions import CATALOG_READ, CATALOG_READ_COST
from domain.shared.errors import ValidationFailed


class StartExport(
    Command[tuple[ExportRecord, Job]], action="catalog_export.start", permission=CATALOG_READ
):
    file_format: str


class StartExportHandler:
    async def handle(self, command: StartExport, work: Work) -> tuple[ExportRecord, Job]:
        if command.file_format not in FORMATS:
            raise ValidationFailed.single("format", "invalid_choice", allowed=list(FORMATS))
        now, actor = work.clock.now(), work.ctx.actor.label
        export_id = work.ids.new_id()
        job = Job(
            id=work.ids.new_id(),
            kind=EXPORT_KIND,
            created_by=actor,
            created_at=now,
            updated_at=now,
            parameters={"export_id": str(export_id), "language": work.ctx.locale},
        )
        record = ExportRecord(
            id=export_id,
            format=command.file_format,
            include_cost=work.allows(CATALOG_READ_COST),
            status=RUNNING,
            job_id=job.id,
            created_by=actor,
            created_at=now,
        )
        await work.uow.of(JOBS).jobs.add(job)
        await work.uow.of(CATALOG).catalog_files.add_export(record)
        work.audit(export_id, detail={"format": command.file_format, "cost": record.include_cost})
        return record, job
