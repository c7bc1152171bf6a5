"""Tenant admins read their audit trail (PLT-3)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from application.shared.audit_log import AuditFilter, AuditRecord
from application.shared.pagination import Page, clamp_limit, page_of, time_and_id, time_and_id_after
from application.shared.use_case import Query, Reading
from domain.audit.permissions import AUDIT_READ


class ReadAuditTrail(Query[Page[AuditRecord]], entity="audit_log", permission=AUDIT_READ):
    """Newest first, filtered by actor, entity, action and time."""

    filter: AuditFilter
    after: tuple[datetime, UUID] | None
    size: int

    @classmethod
    def window(cls, flt: AuditFilter, cursor: str | None, limit: int | None) -> ReadAuditTrail:
        size = clamp_limit(limit)
        return cls(flt, time_and_id_after(cursor), size)


class ReadAuditTrailHandler:
    async def handle(self, query: ReadAuditTrail, reading: Reading) -> Page[AuditRecord]:
        rows = await reading.uow.audit.query(query.filter, query.after, query.size + 1)
        return page_of(rows, query.size, lambda row: time_and_id(row.occurred_at, row.id))
