"""/api/v1/inventory/stock-imports: the opening-stock import (#10), CSV or XLSX, on the
catalog import's conventions: upload (the check runs as a job: the dry run), follow it,
download the error report in the caller's language, commit with If-Match."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody

from adapters.files.tables import CsvXlsxTables
from application.inventory.imports.common import StockImportView
from application.inventory.imports.service import StockImports
from application.shared.file_imports import MAX_FILE_BYTES
from entrypoints.http.catalog.schemas.files import CommitIn
from entrypoints.http.conventions import Rendered, with_etag
from entrypoints.http.dependencies import Context, ExpectedVersion, Idempotent
from entrypoints.http.downloads import MEDIA_TYPES, form_digest
from entrypoints.http.file_imports import (
    FileFormat,
    error_download,
    import_fields,
    uploaded,
)
from entrypoints.http.inventory.alert_schemas import (
    StockImportCountsOut,
    StockImportForm,
    StockImportOut,
)
from entrypoints.http.permissions import needs

PATH = "/api/v1/inventory/stock-imports"


def stock_import_out(view: StockImportView, language: str) -> StockImportOut:
    return StockImportOut.of(view.record, **import_fields(view, language, StockImportCountsOut))


class StockImportsController(Controller):
    path = "/stock-imports"

    @post(
        "/",
        status_code=202,
        request_max_body_size=MAX_FILE_BYTES + 1024 * 1024,
        opt=needs(StockImports.upload),
    )
    async def upload_stock_import(
        self,
        ctx: Context,
        stock_imports: NamedDependency[StockImports],
        idempotency: Idempotent,
        data: Annotated[StockImportForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[StockImportOut]:
        """Upload an opening-stock file (``inventory:write``; a ``unit_cost`` column needs
        ``inventory:costing``). Its check runs as a job: nothing is posted until
        ``.../commit``."""
        name, content = await uploaded(data.file)
        return await idempotency.respond(
            lambda: stock_imports.upload(ctx, name, content),
            lambda view: Rendered(
                stock_import_out(view, ctx.locale), f"{PATH}/{view.record.id}", view.record.version
            ),
            202,
            lambda: form_digest(name.encode(), content),
        )

    @get("/{import_id:uuid}", opt=needs(StockImports.get))
    async def get_stock_import(
        self,
        ctx: Context,
        stock_imports: NamedDependency[StockImports],
        import_id: FromPath[UUID],
    ) -> Response[StockImportOut]:
        """Status, progress of its jobs, counts (rows, valid, rejected, units) and the
        first errors."""
        view = await stock_imports.get(ctx, import_id)
        return with_etag(stock_import_out(view, ctx.locale), view.record.version)

    @get("/{import_id:uuid}/errors", media_type=MEDIA_TYPES["csv"], opt=needs(StockImports.errors))
    async def stock_import_errors(
        self,
        ctx: Context,
        stock_imports: NamedDependency[StockImports],
        tables: NamedDependency[CsvXlsxTables],
        import_id: FromPath[UUID],
        file_format: FileFormat = "csv",
    ) -> Response[bytes]:
        """The error report (the catalog import's layout), as CSV or XLSX."""
        errors = await stock_imports.errors(ctx, import_id)
        name = f"stock-import-{import_id}-errors"
        return error_download(errors, ctx.locale, file_format, tables, name)

    @post("/{import_id:uuid}/commit", status_code=202, opt=needs(StockImports.commit))
    async def commit_stock_import(
        self,
        ctx: Context,
        stock_imports: NamedDependency[StockImports],
        import_id: FromPath[UUID],
        data: JSONBody[CommitIn],
        expected_version: ExpectedVersion,
    ) -> Response[StockImportOut]:
        """Post the checked file's receipts in one transaction. A file with errors posts
        nothing unless ``validOnly`` is true (then its valid rows). Asking again returns
        the same import."""
        view = await stock_imports.commit(ctx, import_id, data.valid_only, expected_version)
        return with_etag(stock_import_out(view, ctx.locale), view.record.version, 202)
