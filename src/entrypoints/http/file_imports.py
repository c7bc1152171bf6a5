"""What the file-import routes share (the catalog import, the opening-stock import): the
uploaded form's name and bytes, the first errors a record's answer shows (in the caller's
language), its jobs, and the error report's download. Each route stays its own handler
(decision 22); only these pieces are one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from litestar import Response
from litestar.datastructures import UploadFile
from litestar.params import QueryParameter

from adapters.files.tables import CsvXlsxTables
from application.shared.job import Job
from domain.shared.file_rows import RowError
from entrypoints.http.catalog.schemas.files import RowErrorOut
from entrypoints.http.downloads import download
from entrypoints.http.jobs.controllers import job_out
from entrypoints.messages import message
from entrypoints.reports.catalog_import import error_report

FIRST_ERRORS = 20
FileFormat = Annotated[
    Literal["csv", "xlsx"], QueryParameter(name="format", description="csv (default) or xlsx")
]


def first_errors(errors: Sequence[RowError], language: str) -> list[RowErrorOut]:
    """The first ``FIRST_ERRORS`` errors, each with its message in ``language``."""
    return [
        RowErrorOut(e.row, e.column, e.code, message(e.code, language, **e.params))
        for e in errors[:FIRST_ERRORS]
    ]


def job_or_none(job: Job | None) -> Any:
    return job_out(job) if job is not None else None


def import_fields(view: Any, language: str, counts: type[Any]) -> dict[str, Any]:
    """What every import's answer derives from its view (a record and its two jobs) beside
    the record's own fields: its ``counts`` as the import's type, the first errors in
    ``language``, the check and commit jobs."""
    record = view.record
    return {
        "counts": counts(**record.counts),
        "first_errors": first_errors(record.errors, language),
        "check_job": job_or_none(view.check_job),
        "commit_job": job_or_none(view.commit_job),
    }


async def uploaded(upload: UploadFile | None) -> tuple[str, bytes]:
    """The uploaded file's name and bytes ("" and b"" when the form holds none)."""
    if upload is None:
        return "", b""
    return upload.filename or "", await upload.read()


def error_download(
    errors: Sequence[RowError],
    language: str,
    file_format: str,
    tables: CsvXlsxTables,
    name: str,
) -> Response[bytes]:
    """The error report (every bad row, its column and message) as a CSV or XLSX file."""
    return download(error_report(errors, language, file_format, tables), file_format, name)
