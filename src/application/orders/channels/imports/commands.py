"""Upload an order file for a channel, ask for its commit, read it (ORD-9, CHN-2). Like
the catalog import: the upload starts the check job (the dry run); the commit of a file
with errors takes nothing unless ``valid_only``; asking again returns the same record."""

from __future__ import annotations

from uuid import UUID

from application.jobs.ports import JOBS
from application.orders.channels.imports.common import (
    CHECK_KIND,
    COMMIT_KIND,
    ENTITY,
    OrderImportView,
    load_order_import,
)
from application.orders.channels.intake import channel_ref
from application.orders.channels.ports import ORDER_CHANNELS, OrderImportRecord
from application.orders.channels.taking import Taken
from application.shared.file_imports import CHECKED, CHECKING, COMMITTING, MAX_FILE_BYTES
from application.shared.job_steps import new_job
from application.shared.use_case import Command, Query, Reading, Work
from application.shared.versions import check_version
from domain.orders.permissions import ORDERS_IMPORT
from domain.orders.state import ENTITY as ORDER
from domain.shared.errors import Conflict, ValidationFailed

FORMATS = ("csv", "json")


def file_format(file_name: str) -> str:
    suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if suffix not in FORMATS:
        raise ValidationFailed.single("file", "unsupported_file_format", allowed=list(FORMATS))
    return suffix


class UploadOrderImport(
    Command[OrderImportView], action="order_import.upload", entity=ENTITY, permission=ORDERS_IMPORT
):
    channel_id: UUID
    file_name: str
    content: bytes


class UploadOrderImportHandler:
    async def handle(self, command: UploadOrderImport, work: Work) -> OrderImportView:
        fmt = file_format(command.file_name)
        if not command.content:
            raise ValidationFailed.single("file", "required")
        if len(command.content) > MAX_FILE_BYTES:
            raise ValidationFailed.single(
                "file", "file_too_large", max_mib=MAX_FILE_BYTES // (1024 * 1024)
            )
        await channel_ref(work.uow, command.channel_id)  # 404 for another tenant's channel
        now, import_id = work.clock.now(), work.ids.new_id()
        job = new_job(work.clock, work.ids, work.ctx, CHECK_KIND, {"import_id": str(import_id)})
        record = OrderImportRecord(
            id=import_id,
            channel_id=command.channel_id,
            file_name=command.file_name[:255],
            format=fmt,
            content=command.content,
            status=CHECKING,
            check_job_id=job.id,
            created_by=work.ctx.actor.label,
            created_at=now,
            updated_at=now,
            errors=[],
            counts={},
        )
        await work.uow.of(JOBS).jobs.add(job)
        await work.uow.of(ORDER_CHANNELS).imports.add(record)
        work.audit(
            import_id,
            detail={
                "channelId": str(command.channel_id),
                "format": fmt,
                "bytes": len(command.content),
                "job": str(job.id),
            },
        )
        return OrderImportView(record, job, None)


class CommitOrderImport(
    Command[OrderImportView],
    action="order_import.commit",
    entity=ENTITY,
    permission=ORDERS_IMPORT,
    target="import_id",
):
    import_id: UUID
    valid_only: bool
    expected_version: int | None


class ImportChannelOrders(
    Command[Taken], action="order.channel_import", entity=ORDER, permission=ORDERS_IMPORT
):
    """What the commit job's writes are recorded as: the orders an import placed or
    updated (audit action ``order.channel_import``)."""

    import_id: UUID


class CommitOrderImportHandler:
    async def handle(self, command: CommitOrderImport, work: Work) -> OrderImportView:
        jobs = work.uow.of(JOBS).jobs
        record = await load_order_import(work.uow, command.import_id, for_update=True)
        check_job = await jobs.get(record.check_job_id)
        if record.commit_job_id is not None:
            if record.valid_only != command.valid_only:
                raise Conflict("import_already_committed")
            return OrderImportView(record, check_job, await jobs.get(record.commit_job_id))
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
        await work.uow.of(ORDER_CHANNELS).imports.save(record)
        work.audit(command.import_id, detail={"validOnly": command.valid_only, "job": str(job.id)})
        return OrderImportView(record, check_job, job)


class GetOrderImport(
    Query[OrderImportView], entity=ENTITY, permission=ORDERS_IMPORT, target="import_id"
):
    import_id: UUID


class GetOrderImportHandler:
    async def handle(self, query: GetOrderImport, reading: Reading) -> OrderImportView:
        jobs = reading.uow.of(JOBS).jobs
        record = await load_order_import(reading.uow, query.import_id)
        commit_job = await jobs.get(record.commit_job_id) if record.commit_job_id else None
        return OrderImportView(record, await jobs.get(record.check_job_id), commit_job)
