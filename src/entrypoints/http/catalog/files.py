"""/api/v1/catalog/imports and /api/v1/catalog/exports: bulk import and export of catalog
files, CSV or XLSX (CAT-2; docs/catalog.md "Bulk import and export").

Upload a file (multipart, field ``file``): its validation preview starts as a job. Follow
it with ``GET .../imports/{id}`` (or the jobs API); download the error report in the
caller's language; ``POST .../commit`` with If-Match starts the commit job. Exports run as
a job too; their file is downloadable when it is done.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, cast
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State, UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody, QueryParameter

from adapters.files.tables import CsvXlsxTables
from application.catalog.exports import CatalogExports
from application.catalog.imports import MAX_FILE_BYTES, CatalogImports, ImportView
from application.catalog.ports.files import ExportRecord, TableFiles
from application.shared.context import CallContext
from application.shared.job import Job
from domain.catalog.file_layout import RowError
from entrypoints.http.catalog.schemas.files import (
    CommitIn,
    ExportIn,
    ExportOut,
    ImportCountsOut,
    ImportOut,
    RowErrorOut,
)
from entrypoints.http.conventions import (
    IdempotencyKey,
    IfMatch,
    etag,
    expected_version,
    idempotent,
    json_response,
)
from entrypoints.http.jobs.controllers import job_out
from entrypoints.messages import message, negotiate
from entrypoints.reports.catalog_import import error_report

IMPORTS = "/api/v1/catalog/imports"
EXPORTS = "/api/v1/catalog/exports"
FIRST_ERRORS = 20
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FileFormat = Annotated[
    Literal["csv", "xlsx"], QueryParameter(name="format", description="csv (default) or xlsx")
]


def _language(request: Request[Any, Any, Any]) -> str:
    return negotiate(request.headers.get("accept-language"))


def _error_out(error: RowError, language: str) -> RowErrorOut:
    return RowErrorOut(
        error.row, error.column, error.code, message(error.code, language, **error.params)
    )


def _job(job: Job | None) -> Any:
    return job_out(job) if job is not None else None


def import_out(view: ImportView, language: str) -> ImportOut:
    r = view.record
    return ImportOut(
        id=r.id,
        file_name=r.file_name,
        format=r.format,
        status=r.status,
        valid_only=r.valid_only,
        counts=ImportCountsOut(**r.counts),
        first_errors=[_error_out(e, language) for e in r.errors[:FIRST_ERRORS]],
        check_job=_job(view.check_job),
        commit_job=_job(view.commit_job),
        version=r.version,
        created_by=r.created_by,
        created_at=r.created_at,
        updated_at=r.updated_at,
    )


def export_out(record: ExportRecord, job: Job | None) -> ExportOut:
    return ExportOut(
        id=record.id,
        format=record.format,
        status=record.status,
        include_cost=record.include_cost,
        products=record.products,
        job=_job(job),
        created_by=record.created_by,
        created_at=record.created_at,
        finished_at=record.finished_at,
    )


def _download(content: bytes, fmt: str, name: str) -> Response[bytes]:
    return Response(
        content,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


def _imports(request: Request[CallContext, Any, State]) -> CatalogImports:
    service: CatalogImports = request.app.state.container.get(CatalogImports)
    return service


def _exports(request: Request[CallContext, Any, State]) -> CatalogExports:
    service: CatalogExports = request.app.state.container.get(CatalogExports)
    return service


class CatalogImportsController(Controller):
    path = IMPORTS
    tags = ["catalog"]

    @post("/", request_max_body_size=MAX_FILE_BYTES + 1024 * 1024)
    async def upload_import(
        self,
        request: Request[CallContext, Any, State],
        data: Annotated[dict[str, UploadFile], Body(media_type=RequestEncodingType.MULTI_PART)],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[ImportOut]:
        """Upload a CSV or XLSX file (``catalog:import``; a cost column needs
        ``catalog:read_cost``). Its validation preview runs as a job: nothing is imported
        until ``.../commit``."""
        upload = data.get("file")
        name = upload.filename if upload is not None else ""
        content = await upload.read() if upload is not None else b""
        service, language = _imports(request), _language(request)

        def render(view: ImportView) -> Response[bytes]:
            return json_response(
                import_out(view, language),
                202,
                {"ETag": etag(view.record.version), "Location": f"{IMPORTS}/{view.record.id}"},
            )

        response = await idempotent(
            request, lambda: service.upload(request.user, name or "", content), render
        )
        return cast("Response[ImportOut]", response)

    @get("/{import_id:uuid}")
    async def get_import(
        self, request: Request[CallContext, Any, State], import_id: FromPath[UUID]
    ) -> Response[ImportOut]:
        """Status, progress of its jobs, counts (created / updated / unchanged / rejected
        products) and the first errors."""
        view = await _imports(request).get(request.user, import_id)
        return Response(
            import_out(view, _language(request)), headers={"ETag": etag(view.record.version)}
        )

    @get("/{import_id:uuid}/errors", media_type=MEDIA_TYPES["csv"])
    async def import_errors(
        self,
        request: Request[CallContext, Any, State],
        import_id: FromPath[UUID],
        file_format: FileFormat = "csv",
    ) -> Response[bytes]:
        """The error report: every bad row with its row number, column and a message in
        the caller's language (Accept-Language), as CSV or XLSX."""
        errors = await _imports(request).errors(request.user, import_id)
        tables: TableFiles = request.app.state.container.get(CsvXlsxTables)
        content = error_report(errors, _language(request), file_format, tables)
        return _download(content, file_format, f"import-{import_id}-errors")

    @post("/{import_id:uuid}/commit", status_code=202)
    async def commit_import(
        self,
        request: Request[CallContext, Any, State],
        import_id: FromPath[UUID],
        data: JSONBody[CommitIn],
        if_match: IfMatch = None,
    ) -> Response[ImportOut]:
        """Import the checked file in one transaction. A file with errors imports nothing
        unless ``validOnly`` is true (then the products without errors, each whole).
        Asking again returns the same import (idempotent)."""
        view = await _imports(request).commit(
            request.user, import_id, data.valid_only, expected_version(request)
        )
        return Response(
            import_out(view, _language(request)),
            status_code=202,
            headers={"ETag": etag(view.record.version)},
        )


class CatalogExportsController(Controller):
    path = EXPORTS
    tags = ["catalog"]

    @post("/")
    async def start_export(
        self,
        request: Request[CallContext, Any, State],
        data: JSONBody[ExportIn],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[ExportOut]:
        """Export every product not archived, as a job (``catalog:read``; the cost column
        only with ``catalog:read_cost``)."""
        service, fmt = _exports(request), data.format

        def render(result: tuple[ExportRecord, Job]) -> Response[bytes]:
            record, job = result
            return json_response(
                export_out(record, job), 202, {"Location": f"{EXPORTS}/{record.id}"}
            )

        response = await idempotent(request, lambda: service.start(request.user, fmt), render)
        return cast("Response[ExportOut]", response)

    @get("/{export_id:uuid}")
    async def get_export(
        self, request: Request[CallContext, Any, State], export_id: FromPath[UUID]
    ) -> ExportOut:
        record, job = await _exports(request).get(request.user, export_id)
        return export_out(record, job)

    @get("/{export_id:uuid}/file", media_type=MEDIA_TYPES["csv"])
    async def export_file(
        self, request: Request[CallContext, Any, State], export_id: FromPath[UUID]
    ) -> Response[bytes]:
        """The exported file (409 ``export_not_ready`` while the job runs)."""
        record = await _exports(request).file(request.user, export_id)
        return _download(record.content or b"", record.format, f"catalog-{record.id}")
