"""Order files over HTTP (ORD-9, CHN-2), on the catalog import's conventions: upload a
channel's file (CSV in Shopify's order-export layout, or the JSON order file; its check
runs as a job: the dry run), follow it, download the row report in the caller's language,
commit with If-Match — the orders go through the channel intake, so a re-import updates
and never duplicates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody

from adapters.files.tables import CsvXlsxTables
from application.orders.channels.imports.common import OrderImportView
from application.orders.channels.imports.service import OrderImports
from application.shared.file_imports import MAX_FILE_BYTES
from entrypoints.http.catalog.schemas.files import CommitIn, RowErrorOut
from entrypoints.http.conventions import Rendered, with_etag
from entrypoints.http.dependencies import Context, ExpectedVersion, Idempotent
from entrypoints.http.downloads import MEDIA_TYPES, form_digest
from entrypoints.http.file_imports import (
    FileFormat,
    error_download,
    import_fields,
    uploaded,
)
from entrypoints.http.jobs.schemas import JobOut
from entrypoints.http.permissions import needs
from entrypoints.http.wire import WireOut

PATH = "/api/v1/orders/channels/imports"


@dataclass
class OrderImportForm:
    """multipart/form-data: ``file`` — ``.csv`` or ``.xlsx`` in Shopify's order-export
    layout, or ``.json`` (the JSON order file, docs/orders.md)."""

    file: UploadFile | None = None


class OrderImportCountsOut(WireOut):
    rows: int = 0  # rows in the file (a JSON file: orders)
    orders: int = 0  # orders without errors: what the commit takes
    new: int = 0  # of those, not on the channel yet
    known: int = 0  # already on the channel: updated (refunds, address), never duplicated
    unmapped: int = 0  # new ones with a channel SKU code not mapped: abnormal sku_not_mapped
    rejected: int = 0  # rows with at least one error
    placed: int = 0  # after the commit: orders placed
    updated: int = 0  # after the commit: known orders changed
    failed: int = 0  # after the commit: refused when placed (audited)


class OrderImportOut(WireOut):
    id: UUID
    channel_id: UUID
    file_name: str
    format: str  # csv | json
    status: str  # checking | checked | committing | committed
    valid_only: bool | None
    counts: OrderImportCountsOut
    first_errors: list[RowErrorOut]  # the first 20; all of them via .../errors
    check_job: JobOut | None
    commit_job: JobOut | None
    version: int  # the ETag; If-Match of the commit
    created_by: str
    created_at: datetime
    updated_at: datetime


def order_import_out(view: OrderImportView, language: str) -> OrderImportOut:
    return OrderImportOut.of(view.record, **import_fields(view, language, OrderImportCountsOut))


class OrderImportsController(Controller):
    path = "/"

    @post(
        "/{channel_id:uuid}/imports",
        status_code=202,
        request_max_body_size=MAX_FILE_BYTES + 1024 * 1024,
        opt=needs(OrderImports.upload),
    )
    async def upload_order_import(
        self,
        ctx: Context,
        order_imports: NamedDependency[OrderImports],
        idempotency: Idempotent,
        channel_id: FromPath[UUID],
        data: Annotated[OrderImportForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[OrderImportOut]:
        """Upload the channel's order file (``orders:import``). Its check runs as a job
        (the dry run: counts and the row report); nothing is placed until
        ``.../commit``."""
        name, content = await uploaded(data.file)
        return await idempotency.respond(
            lambda: order_imports.upload(ctx, channel_id, name, content),
            lambda view: Rendered(
                order_import_out(view, ctx.locale), f"{PATH}/{view.record.id}", view.record.version
            ),
            202,
            lambda: form_digest(str(channel_id).encode(), name.encode(), content),
        )

    @get("/imports/{import_id:uuid}", opt=needs(OrderImports.get))
    async def get_order_import(
        self,
        ctx: Context,
        order_imports: NamedDependency[OrderImports],
        import_id: FromPath[UUID],
    ) -> Response[OrderImportOut]:
        """Status, progress of its jobs, counts and the first errors."""
        view = await order_imports.get(ctx, import_id)
        return with_etag(order_import_out(view, ctx.locale), view.record.version)

    @get(
        "/imports/{import_id:uuid}/errors",
        media_type=MEDIA_TYPES["csv"],
        opt=needs(OrderImports.errors),
    )
    async def order_import_errors(
        self,
        ctx: Context,
        order_imports: NamedDependency[OrderImports],
        tables: NamedDependency[CsvXlsxTables],
        import_id: FromPath[UUID],
        file_format: FileFormat = "csv",
    ) -> Response[bytes]:
        """The row report: every error's row, column, code and message in the caller's
        language, as CSV or XLSX."""
        errors = await order_imports.errors(ctx, import_id)
        name = f"order-import-{import_id}-errors"
        return error_download(errors, ctx.locale, file_format, tables, name)

    @post("/imports/{import_id:uuid}/commit", status_code=202, opt=needs(OrderImports.commit))
    async def commit_order_import(
        self,
        ctx: Context,
        order_imports: NamedDependency[OrderImports],
        import_id: FromPath[UUID],
        data: JSONBody[CommitIn],
        expected_version: ExpectedVersion,
    ) -> Response[OrderImportOut]:
        """Take the checked file's orders through the channel intake in one transaction
        (an order already on the channel is updated, never duplicated). A file with errors
        takes nothing unless ``validOnly`` is true. Asking again returns the same import."""
        view = await order_imports.commit(ctx, import_id, data.valid_only, expected_version)
        return with_etag(order_import_out(view, ctx.locale), view.record.version, 202)
