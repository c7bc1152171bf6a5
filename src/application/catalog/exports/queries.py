"""Reading an export: its record and job, and the finished file (CAT-2)."""

from __future__ import annotations

from uuid import UUID

from application.catalog.exports.common import EXPORT_ENTITY
from application.catalog.ports.files import ExportRecord
from application.catalog.ports.store import CATALOG
from application.jobs.ports import JOBS
from application.shared.job import Job
from application.shared.use_case import Query, Reading
from domain.catalog.permissions import CATALOG_READ, CATALOG_READ_COST
from domain.shared.errors import Conflict, NotFound


class GetExport(
    Query[tuple[ExportRecord, Job | None]], entity=EXPORT_ENTITY, permission=CATALOG_READ
):
    export_id: UUID


class GetExportHandler:
    async def handle(self, query: GetExport, reading: Reading) -> tuple[ExportRecord, Job | None]:
        record = await reading.uow.of(CATALOG).catalog_files.get_export(query.export_id)
        if record is None:
            raise NotFound(entity=EXPORT_ENTITY)
        return record, await reading.uow.of(JOBS).jobs.get(record.job_id)


class ExportFile(Query[ExportRecord], entity=EXPORT_ENTITY, permission=CATALOG_READ):
    """The finished file (``export_not_ready`` while the job runs). A file written with
    the cost column needs ``catalog:read_cost`` of whoever downloads it, not only of
    whoever started the export: the id alone must not carry a permission."""

    export_id: UUID


class ExportFileHandler:
    async def handle(self, query: ExportFile, reading: Reading) -> ExportRecord:
        files = reading.uow.of(CATALOG).catalog_files
        record = await files.get_export(query.export_id, with_content=True)
        if record is None:
            raise NotFound(entity=EXPORT_ENTITY)
        if record.include_cost:
            reading.require_extra(CATALOG_READ_COST)
        if record.content is None:
            raise Conflict("export_not_ready")
        return record
