"""Tenant admins read their audit trail (PLT-3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from application.shared.audit_log import AuditFilter, AuditRecord
from application.shared.context import CallContext
from application.shared.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from application.shared.runner import CommandRunner
from application.shared.use_case import Query, Reading, runs
from domain.audit.permissions import AUDIT_READ
from domain.shared.errors import ValidationFailed


@dataclass(frozen=True)
class ReadAuditTrail(Query[Page[AuditRecord]], entity="audit_log", permission=AUDIT_READ):
    """Newest first, filtered by actor, entity, action and time."""

    filter: AuditFilter
    after: tuple[datetime, UUID] | None
    size: int


class ReadAuditTrailHandler:
    async def handle(self, query: ReadAuditTrail, reading: Reading) -> Page[AuditRecord]:
        size = query.size
        rows = await reading.uow.audit.query(query.filter, query.after, size + 1)
        more = len(rows) > size
        rows = rows[:size]
        nxt = encode_cursor([rows[-1].occurred_at.isoformat(), str(rows[-1].id)]) if more else None
        return Page(rows, nxt)


def _after(cursor: str | None) -> tuple[datetime, UUID] | None:
    if not cursor:
        return None
    key = decode_cursor(cursor)
    try:
        return datetime.fromisoformat(key[0]), UUID(key[1])
    except (ValueError, IndexError):
        raise ValidationFailed.single("cursor", "invalid_cursor") from None


class AuditQueries:
    def __init__(self, runner: CommandRunner) -> None:
        self._runner = runner

    @runs(ReadAuditTrail)
    async def list(
        self, ctx: CallContext, flt: AuditFilter, cursor: str | None, limit: int | None
    ) -> Page[AuditRecord]:
        size = clamp_limit(limit)
        query = ReadAuditTrail(flt, _after(cursor), size)
        return await self._runner.query(ctx, query, ReadAuditTrailHandler())
