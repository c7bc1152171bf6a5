"""Tenant admins read their audit trail (PLT-3)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from uuid import UUID

from application.identity.ports import IDENTITY, actor_names
from application.shared.audit_log import AuditFilter, AuditRecord
from application.shared.context import ActorKind
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
    """An ``actor`` filter may be a label (``user:<id>``) or a user's email; each record
    says who its actor is by name (#9 item 21)."""

    async def handle(self, query: ReadAuditTrail, reading: Reading) -> Page[AuditRecord]:
        size, flt = query.size, query.filter
        if flt.actor and "@" in flt.actor:
            user = await reading.uow.of(IDENTITY).users.by_email(flt.actor.strip().lower())
            if user is None:
                return Page([], None)
            flt = replace(flt, actor=f"{ActorKind.USER}:{user.id}")
        rows = await reading.uow.audit.query(flt, query.after, size + 1)
        page = page_of(rows, size, lambda row: time_and_id(row.occurred_at, row.id))
        names = await actor_names(reading.uow, (row.actor for row in page.items))
        return Page(
            [replace(r, actor_name=names.get(r.actor)) for r in page.items], page.next_cursor
        )
