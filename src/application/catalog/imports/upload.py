"""Upload a catalog file (CAT-2): store its bytes in an import record and start its
validation preview (the check job). Costs are read only when the uploader holds
``catalog:read_cost``."""

from __future__ import annotations

from application.catalog.imports.common import CHECK_KIND, ImportView, new_job
from application.catalog.ports.files import FORMATS, ImportRecord
from application.catalog.ports.store import CATALOG
from application.jobs.ports import JOBS
from application.shared.file_imports import CHECKING, uploaded_format
from application.shared.use_case import Command, Work
from domain.catalog.permissions import CATALOG_IMPORT, CATALOG_READ_COST, CATALOG_WRITE


class UploadImport(Command[ImportView], action="catalog_import.upload", permission=CATALOG_IMPORT):
    file_name: str
    content: bytes
    # Create the categories, brands and product types the file names that do not exist
    # (#9 item 17): creating them is writing the catalog, so it needs catalog:write too.
    create_missing: bool = False


class UploadImportHandler:
    async def handle(self, command: UploadImport, work: Work) -> ImportView:
        content = command.content
        fmt = uploaded_format(command.file_name, content, FORMATS)
        if command.create_missing:
            work.require_extra(CATALOG_WRITE)
        now = work.clock.now()
        import_id = work.ids.new_id()
        job = new_job(work.clock, work.ids, work.ctx, CHECK_KIND, import_id)
        record = ImportRecord(
            id=import_id,
            file_name=command.file_name[:255],
            format=fmt,
            content=content,
            include_cost=work.allows(CATALOG_READ_COST),
            status=CHECKING,
            check_job_id=job.id,
            created_by=work.ctx.actor.label,
            created_at=now,
            updated_at=now,
            create_missing=command.create_missing,
        )
        await work.uow.of(JOBS).jobs.add(job)
        await work.uow.of(CATALOG).catalog_files.add_import(record)
        detail = {"format": fmt, "bytes": len(content), "job": str(job.id)}
        work.audit(import_id, detail={**detail, "createMissing": command.create_missing})
        return ImportView(record, job, None)
