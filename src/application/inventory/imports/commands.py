"""Upload an opening-stock file, ask for its commit, read it (#10). Like the catalog
import: the upload starts the check job (the dry run); the commit of a file with errors
posts nothing unless ``valid_only``; asking again returns the same record."""

from __future__ import annotations

from uuid import UUID

from application.catalog.ports.files import FORMATS
from application.inventory.common import store_of
from application.inventory.imports.common import (
    CHECK_KIND,
    COMMIT_KIND,
    ENTITY,
    StockImportView,
    load_stock_import,
)
from application.inventory.ports import StockImportRecord
from application.jobs.ports import JOBS
from application.shared.file_imports import CHECKED, CHECKING, COMMITTING, MAX_FILE_BYTES
from application.shared.job_steps import new_job
from application.shared.use_case import Command, Query, Reading, Work
from application.shared.versions import check_version
from domain.inventory.permissions import INVENTORY_COSTING, INVENTORY_WRITE
from domain.shared.errors import Conflict, ValidationFailed


def file_format(file_name: str) -> str:
    suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if suffix not in FORMATS:
        raise ValidationFailed.single("file", "unsupported_file_format", allowed=list(FORMATS))
    return suffix


class UploadStockImport(
    Command[StockImportView],
    action="stock_import.upload",
    entity=ENTITY,
    permission=INVENTORY_WRITE,
):
    file_name: str
    content: bytes


class UploadStockImportHandler:
    async def handle(self, command: UploadStockImport, work: Work) -> StockImportView:
        fmt = file_format(command.file_name)
        if not command.content:
            raise ValidationFailed.single("file", "required")
        if len(command.content) > MAX_FILE_BYTES:
            raise ValidationFailed.single(
                "file", "file_too_large", max_mib=MAX_FILE_BYTES // (1024 * 1024)
            )
        now = work.clock.now()
        import_id = work.ids.new_id()
        job = new_job(work.clock, work.ids, work.ctx, CHECK_KIND, {"import_id": str(import_id)})
        record = StockImportRecord(
            id=import_id,
            file_name=command.file_name[:255],
            format=fmt,
            content=command.content,
            include_cost=work.allows(INVENTORY_COSTING),
            status=CHECKING,
            check_job_id=job.id,
            created_by=work.ctx.actor.label,
            created_at=now,
            updated_at=now,
            errors=[],
            counts={},
        )
        await work.uow.of(JOBS).jobs.add(job)
        await store_of(work.uow).stock_imports.add(record)
        work.audit(
            import_id, detail={"format": fmt, "bytes": len(command.content), "job": str(job.id)}
        )
        return StockImportView(record, job, None)


class CommitStockImport(
    Command[StockImportView],
    action="stock_import.commit",
    entity=ENTITY,
    permission=INVENTORY_WRITE,
    target="import_id",
):
    import_id: UUID
    valid_only: bool
    expected_version: int | None


class CommitStockImportHandler:
    async def handle(self, command: CommitStockImport, work: Work) -> StockImportView:
        jobs = work.uow.of(JOBS).jobs
        record = await load_stock_import(work.uow, command.import_id, for_update=True)
        check_job = await jobs.get(record.check_job_id)
        if record.commit_job_id is not None:
            if record.valid_only != command.valid_only:
                raise Conflict("import_already_committed")
            return StockImportView(record, check_job, await jobs.get(record.commit_job_id))
        check_version(command.expected_version, record.version)
        if record.status != CHECKED:
            raise Conflict("import_not_checked")
        if record.errors and not command.valid_only:
            raise Conflict("import_has_errors", count=len(record.errors))
        job = new_job(
            work.clock, work.ids, work.ctx, COMMIT_KIND, {"import_id": str(command.import_id)}
        )
        await jobs.add(job)
        record.status, record.valid_only, record.commit_job_id = (
            COMMITTING,
            command.valid_only,
            job.id,
        )
        record.version += 1
        record.updated_at = work.clock.now()
        await store_of(work.uow).stock_imports.save(record)
        work.audit(command.import_id, detail={"validOnly": command.valid_only, "job": str(job.id)})
        return StockImportView(record, check_job, job)


class GetStockImport(
    Query[StockImportView], entity=ENTITY, permission=INVENTORY_WRITE, target="import_id"
):
    import_id: UUID


class GetStockImportHandler:
    async def handle(self, query: GetStockImport, reading: Reading) -> StockImportView:
        jobs = reading.uow.of(JOBS).jobs
        record = await load_stock_import(reading.uow, query.import_id)
        commit_job = await jobs.get(record.commit_job_id) if record.commit_job_id else None
        return StockImportView(record, await jobs.get(record.check_job_id), commit_job)
