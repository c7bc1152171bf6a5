from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from entrypoints.http.wire import PageOut, WireOut


class JobOut(WireOut):
    id: UUID
    kind: str
    status: str
    done: int
    total: int | None
    progress: float | None  # done / total, 0..1; None until the total is known
    parameters: dict[str, Any]
    error: str | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None


class JobPageOut(PageOut[JobOut]):
    items: list[JobOut]
