"""Reading an import: its record, its jobs, its errors (CAT-2)."""

from __future__ import annotations

from uuid import UUID

from application.catalog.imports.common import IMPORT_ENTITY, ImportView, load_import
from application.jobs.ports import JOBS
from application.shared.use_case import Query, Reading
from domain.catalog.permissions import CATALOG_IMPORT


class GetImport(Query[ImportView], entity=IMPORT_ENTITY, permission=CATALOG_IMPORT):
    import_id: UUID


class GetImportHandler:
    async def handle(self, query: GetImport, reading: Reading) -> ImportView:
        jobs = reading.uow.of(JOBS).jobs
        record = await load_import(reading.uow, query.import_id)
        commit_job = await jobs.get(record.commit_job_id) if record.commit_job_id else None
        return ImportView(record, await jobs.get(record.check_job_id), commit_job)
