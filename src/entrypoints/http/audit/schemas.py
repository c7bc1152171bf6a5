from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from entrypoints.http.wire import PageOut, WireOut


class AuditRecordOut(WireOut):
    id: UUID
    occurred_at: datetime
    actor: str
    actor_name: str | None  # "王芳 <fang@shop.cn>", an API key's name; None: not a person
    action: str
    entity_type: str
    entity_id: UUID | None
    outcome: str
    changes: list[dict[str, Any]]
    detail: dict[str, Any]
    request_id: str
    ip: str | None


class AuditPageOut(PageOut[AuditRecordOut]):
    items: list[AuditRecordOut]
