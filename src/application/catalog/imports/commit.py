"""Ask for an import's commit (CAT-2): start the commit job. A file with errors commits
nothing unless the caller asks for the valid products only (``valid_only``). Asking again
returns the same record (idempotent)."""

from __future__ import annotations

from uuid import UUID

from application.catalog.imports.common import COMMIT_KIND, ImportView, load_import, new_job
from application.catalog.ports.store import CATALOG
from application.jobs.ports import JOBS
from application.shared.file_imports import CHECKED, COMMITTING
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.catalog.permissions import CATALOG_IMPORT
from domain.shared.errors import Conflict


class CommitImport(
    Command[ImportView],
    action="catalog_import.commit",
    permission=CATALOG_IMPORT,
    target="import_id",
):
    import_id: UUID
    valid_only: bool
    expected_version: int | None


class CommitImportHandler:
    async def handle(self, command: CommitImport, work: Work) -> ImportView:
        jobs, valid_only = work.uow.of(JOBS).jobs, command.valid_only
        record = await load_import(work.uow, command.import_id, for_update=True)
        check_job = await jobs.get(record.check_job_id)
        if record.commit_job_id is not None:
            if record.valid_only != valid_only:
                raise Conflict("import_already_committed")
            return ImportView(record, check_job, await jobs.get(record.commit_job_id))
        check_version(command.expected_version, record.version)
        if record.status != CHECKED:
            raise Conflict("import_not_checked")
        if record.errors and not valid_only:
            raise Conflict("import_has_errors", count=len(record.errors))
        job = new_job(work.clock, work.ids, work.ctx, COMMIT_KIND, command.import_id)
        await jobs.add(job)
        record.status, record.valid_only, record.commit_job_id = COMMITTING, valid_only, job.id
        record.version += 1
        record.updated_at = work.clock.now()
        await work.uow.of(CATALOG).catalog_files.save_import(record)
        work.audit(command.import_id, detail={"validOnly": valid_only, "job": str(job.id)})
        return ImportView(record, check_job, job)
