"""Bodies of the catalog import and export routes (CAT-2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

from litestar.datastructures import UploadFile

from entrypoints.http.jobs.schemas import JobOut
from entrypoints.http.wire import WireIn, WireOut


class ImportCountsOut(WireOut):
    products: int = 0  # product groups in the file
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # identical to what is stored: nothing written
    rejected: int = 0  # products with at least one bad row
    errors: int = 0


class RowErrorOut(WireOut):
    row: int
    column: str | None
    code: str
    message: str


@dataclass
class ImportUploadForm:
    """multipart/form-data: ``file`` (.csv or .xlsx) and ``createMissing`` (true: create
    the categories, brands and product types the file names that do not exist; needs
    ``catalog:write`` as well)."""

    file: UploadFile | None = None
    createMissing: bool = False  # the form field's wire name (camelCase)


class ToCreateOut(WireOut):
    """What the file names that the catalog does not hold (created when ``createMissing``)."""

    categories: list[str] = []  # paths, "服装 > 男装"
    brands: list[str] = []
    product_types: list[str] = []


class ImportOut(WireOut):
    id: UUID
    file_name: str
    format: str
    status: str  # checking | checked | committing | committed
    create_missing: bool
    to_create: ToCreateOut
    valid_only: bool | None
    counts: ImportCountsOut  # from the preview; after the commit, what it wrote
    first_errors: list[RowErrorOut]  # the first 20; all of them via .../errors
    check_job: JobOut | None
    commit_job: JobOut | None
    version: int  # the ETag; If-Match of the commit
    created_by: str
    created_at: datetime
    updated_at: datetime


class CommitIn(WireIn):
    valid_only: bool = False


class ExportIn(WireIn):
    format: Literal["csv", "xlsx"] = "csv"


class ExportOut(WireOut):
    id: UUID
    format: str
    status: str  # running | done
    include_cost: bool
    products: int
    job: JobOut | None
    created_by: str
    created_at: datetime
    finished_at: datetime | None
