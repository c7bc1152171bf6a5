"""Bodies of the catalog import and export routes (CAT-2)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

import msgspec

from entrypoints.http.jobs.schemas import JobOut


class ImportCountsOut(msgspec.Struct, rename="camel"):
    products: int = 0  # product groups in the file
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # identical to what is stored: nothing written
    rejected: int = 0  # products with at least one bad row
    errors: int = 0


class RowErrorOut(msgspec.Struct, rename="camel"):
    row: int
    column: str | None
    code: str
    message: str


class ImportOut(msgspec.Struct, rename="camel"):
    id: UUID
    file_name: str
    format: str
    status: str  # checking | checked | committing | committed
    valid_only: bool | None
    counts: ImportCountsOut  # from the preview; after the commit, what it wrote
    first_errors: list[RowErrorOut]  # the first 20; all of them via .../errors
    check_job: JobOut | None
    commit_job: JobOut | None
    version: int  # the ETag; If-Match of the commit
    created_by: str
    created_at: datetime
    updated_at: datetime


class CommitIn(msgspec.Struct, rename="camel"):
    valid_only: bool = False


class ExportIn(msgspec.Struct, rename="camel"):
    format: Literal["csv", "xlsx"] = "csv"


class ExportOut(msgspec.Struct, rename="camel"):
    id: UUID
    format: str
    status: str  # running | done
    include_cost: bool
    products: int
    job: JobOut | None
    created_by: str
    created_at: datetime
    finished_at: datetime | None
