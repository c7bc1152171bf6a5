"""Catalog → import and export (CAT-2): upload a CSV or XLSX file, follow its check and
commit jobs on a page that updates itself (htmx polling, a ``<progress>``), read the
row report (each bad row's column and message), download it, commit the good products;
start an export and download its file when the job is done — ``CatalogImports`` and
``CatalogExports``, as the API runs them."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State, UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template
from msgspec import Struct

from adapters.files.tables import CsvXlsxTables
from application.catalog.exports import CatalogExports
from application.catalog.imports import CatalogImports
from application.shared.file_imports import MAX_FILE_BYTES
from domain.shared.errors import DomainError
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.downloads import download
from entrypoints.http.file_imports import FileFormat, error_download, first_errors, uploaded
from entrypoints.http.permissions import needs
from entrypoints.web.catalog.rendering import catalog_page, refused
from entrypoints.web.pages import done, is_htmx

FILES = "/console/catalog/files"
FORMATS = ("csv", "xlsx")


class ImportForm(Struct):
    file: UploadFile | None = None
    create_missing: str = ""


class FilePages(Controller):
    path = "/files"

    @get("/", name="console_catalog_files", opt=needs(CatalogExports.start))
    async def files(self, request: Request[Any, Any, State], use_cases: Dispatch) -> Template:
        return await catalog_page(request, use_cases, "files.html", formats=FORMATS)

    @post(
        "/imports",
        status_code=303,
        request_max_body_size=MAX_FILE_BYTES + 1024 * 1024,
        opt=needs(CatalogImports.upload),
    )
    async def upload(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        imports: NamedDependency[CatalogImports],
        data: Annotated[ImportForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[Any] | Template:
        name, content = await uploaded(data.file)
        try:
            view = await imports.upload(
                ctx, name, content, create_missing=bool(data.create_missing)
            )
        except DomainError as error:
            return await catalog_page(
                request, use_cases, "files.html", formats=FORMATS, **refused(request, error)
            )
        return Redirect(f"{FILES}/imports/{view.record.id}", status_code=303)

    @get("/imports/{import_id:uuid}", name="console_catalog_import", opt=needs(CatalogImports.get))
    async def an_import(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        imports: NamedDependency[CatalogImports],
        import_id: FromPath[UUID],
    ) -> Template:
        """The whole page; for htmx's poll, its progress part alone."""
        view = await imports.get(ctx, import_id)
        template = "_import_progress.html" if is_htmx(request) else "import.html"
        return await catalog_page(
            request,
            use_cases,
            template,
            imported=view,
            errors=first_errors(view.record.errors, ctx.locale),
        )

    @get("/imports/{import_id:uuid}/errors", opt=needs(CatalogImports.errors))
    async def import_errors(
        self,
        ctx: Context,
        imports: NamedDependency[CatalogImports],
        tables: NamedDependency[CsvXlsxTables],
        import_id: FromPath[UUID],
        file_format: FileFormat = "csv",
    ) -> Response[bytes]:
        """The whole row report in the page's language, as the API gives it."""
        errors = await imports.errors(ctx, import_id)
        return error_download(errors, ctx.locale, file_format, tables, f"import-{import_id}-errors")

    @post("/imports/{import_id:uuid}/commit", status_code=303, opt=needs(CatalogImports.commit))
    async def commit(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        imports: NamedDependency[CatalogImports],
        import_id: FromPath[UUID],
    ) -> Response[Any] | Template:
        form = await request.form()
        version = str(form.get("version") or "")
        valid_only = form.get("valid_only") == "true"
        try:
            await imports.commit(
                ctx, import_id, valid_only, int(version) if version.isdigit() else None
            )
        except DomainError as error:
            view = await imports.get(ctx, import_id)
            return await catalog_page(
                request,
                use_cases,
                "import.html",
                imported=view,
                errors=first_errors(view.record.errors, ctx.locale),
                **refused(request, error),
            )
        return done(request, f"{FILES}/imports/{import_id}", "catalog.import_started")

    @post("/exports", status_code=303, opt=needs(CatalogExports.start))
    async def export(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        exports: NamedDependency[CatalogExports],
    ) -> Response[Any]:
        file_format = str((await request.form()).get("format") or "")
        record, _ = await exports.start(ctx, file_format)
        return Redirect(f"{FILES}/exports/{record.id}", status_code=303)

    @get("/exports/{export_id:uuid}", name="console_catalog_export", opt=needs(CatalogExports.get))
    async def an_export(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        exports: NamedDependency[CatalogExports],
        export_id: FromPath[UUID],
    ) -> Template:
        record, job = await exports.get(ctx, export_id)
        template = "_export_progress.html" if is_htmx(request) else "export.html"
        return await catalog_page(request, use_cases, template, record=record, job=job)

    @get("/exports/{export_id:uuid}/file", opt=needs(CatalogExports.file))
    async def export_file(
        self, ctx: Context, exports: NamedDependency[CatalogExports], export_id: FromPath[UUID]
    ) -> Response[bytes]:
        record = await exports.file(ctx, export_id)
        return download(record.content or b"", record.format, f"catalog-{record.id}")
