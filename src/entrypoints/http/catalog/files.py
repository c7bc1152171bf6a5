"""/api/v1/catalog/imports and /api/v1/catalog/exports: bulk import and export of catalog
files, CSV or XLSX (CAT-2; docs/catalog.md "Bulk import and export").

Upload a file (multipart, field ``file``): its validation preview starts as a job. Follow
it with ``GET .../imports/{id}`` (or the jobs API); download the error report in the
caller's language; ``POST .../commit`` with If-Match starts the commit job. Exports run as
a job too; their file is downloadable when it is done.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody

from adapters.files.tables import CsvXlsxTables
from application.catalog.exports import CatalogExports
from application.catalog.imports import CatalogImports, ImportView
from application.catalog.ports.files import ExportRecord
from application.shared.file_imports import MAX_FILE_BYTES
from application.shared.job import Job
from entrypoints.http.catalog.schemas.files import (
    CommitIn,
    ExportIn,
    ExportOut,
    ImportCountsOut,
    ImportOut,
    ImportUploadForm,
    ToCreateOut,
)
from entrypoints.http.conventions import Rendered, with_etag
from entrypoints.http.dependencies import Context, ExpectedVersion, Idempotent
from entrypoints.http.downloads import MEDIA_TYPES, download, form_digest
from entrypoints.http.file_imports import (
    FileFormat,
    error_download,
    import_fields,
    job_or_none,
    uploaded,
)
from entrypoints.http.permissions import needs

IMPORTS = "/api/v1/catalog/imports"
EXPORTS = "/api/v1/catalog/exports"


def import_out(view: ImportView, language: str) -> ImportOut:
    r = view.record
    return ImportOut.of(
        r,
        to_create=ToCreateOut(
            r.to_create.get("categories", []),
            r.to_create.get("brands", []),
            r.to_create.get("productTypes", []),
        ),
        **import_fields(view, language, ImportCountsOut),
    )


def export_out(record: ExportRecord, job: Job | None) -> ExportOut:
    return ExportOut.of(record, job=job_or_none(job))


class CatalogImportsController(Controller):
    path = "/imports"

    @post(
        "/",
        status_code=202,
        request_max_body_size=MAX_FILE_BYTES + 1024 * 1024,
        opt=needs(CatalogImports.upload),
    )
    async def upload_import(
        self,
        ctx: Context,
        imports: NamedDependency[CatalogImports],
        idempotency: Idempotent,
        data: Annotated[ImportUploadForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[ImportOut]:
        """Upload a CSV or XLSX file (``catalog:import``; a cost column needs
        ``catalog:read_cost``). Its validation preview runs as a job: nothing is imported
        until ``.../commit``. With ``createMissing=true`` (and ``catalog:write``) the
        categories, brands and product types the file names that do not exist are created
        by the commit; the preview lists them in ``toCreate``."""
        create_missing = data.createMissing
        name, content = await uploaded(data.file)
        flag = b"1" if create_missing else b"0"
        return await idempotency.respond(
            lambda: imports.upload(ctx, name, content, create_missing=create_missing),
            lambda view: Rendered(
                import_out(view, ctx.locale), f"{IMPORTS}/{view.record.id}", view.record.version
            ),
            202,
            # the form's content, not its bytes: the boundary differs between two sends
            lambda: form_digest(name.encode(), flag, content),
        )

    @get("/{import_id:uuid}", opt=needs(CatalogImports.get))
    async def get_import(
        self, ctx: Context, imports: NamedDependency[CatalogImports], import_id: FromPath[UUID]
    ) -> Response[ImportOut]:
        """Status, progress of its jobs, counts (created / updated / unchanged / rejected
        products) and the first errors."""
        view = await imports.get(ctx, import_id)
        return with_etag(import_out(view, ctx.locale), view.record.version)

    @get(
        "/{import_id:uuid}/errors", media_type=MEDIA_TYPES["csv"], opt=needs(CatalogImports.errors)
    )
    async def import_errors(
        self,
        ctx: Context,
        imports: NamedDependency[CatalogImports],
        tables: NamedDependency[CsvXlsxTables],
        import_id: FromPath[UUID],
        file_format: FileFormat = "csv",
    ) -> Response[bytes]:
        """The error report: every bad row with its row number, column and a message in
        the caller's language (Accept-Language), as CSV or XLSX."""
        errors = await imports.errors(ctx, import_id)
        return error_download(errors, ctx.locale, file_format, tables, f"import-{import_id}-errors")

    @post("/{import_id:uuid}/commit", status_code=202, opt=needs(CatalogImports.commit))
    async def commit_import(
        self,
        ctx: Context,
        imports: NamedDependency[CatalogImports],
        import_id: FromPath[UUID],
        data: JSONBody[CommitIn],
        expected_version: ExpectedVersion,
    ) -> Response[ImportOut]:
        """Import the checked file in one transaction. A file with errors imports nothing
        unless ``validOnly`` is true (then the products without errors, each whole).
        Asking again returns the same import (idempotent)."""
        view = await imports.commit(ctx, import_id, data.valid_only, expected_version)
        return with_etag(import_out(view, ctx.locale), view.record.version, 202)


class CatalogExportsController(Controller):
    path = "/exports"

    @post("/", status_code=202, opt=needs(CatalogExports.start))
    async def start_export(
        self,
        ctx: Context,
        exports: NamedDependency[CatalogExports],
        idempotency: Idempotent,
        data: JSONBody[ExportIn],
    ) -> Response[ExportOut]:
        """Export every product not archived, as a job (``catalog:read``; the cost column
        only with ``catalog:read_cost``)."""
        return await idempotency.respond(
            lambda: exports.start(ctx, data.format),
            lambda started: Rendered(export_out(*started), f"{EXPORTS}/{started[0].id}"),
            202,
        )

    @get("/{export_id:uuid}", opt=needs(CatalogExports.get))
    async def get_export(
        self, ctx: Context, exports: NamedDependency[CatalogExports], export_id: FromPath[UUID]
    ) -> ExportOut:
        """An export job: its status and, when done, its file."""
        record, job = await exports.get(ctx, export_id)
        return export_out(record, job)

    @get("/{export_id:uuid}/file", media_type=MEDIA_TYPES["csv"], opt=needs(CatalogExports.file))
    async def export_file(
        self, ctx: Context, exports: NamedDependency[CatalogExports], export_id: FromPath[UUID]
    ) -> Response[bytes]:
        """The exported file (409 ``export_not_ready`` while the job runs)."""
        record = await exports.file(ctx, export_id)
        return download(record.content or b"", record.format, f"catalog-{record.id}")
