"""Tenant admins read their audit trail (PLT-3)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from application.shared.access_policy import AccessPolicy
from application.shared.audit_log import AuditFilter, AuditRecord
from application.shared.context import CallContext
from application.shared.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from domain.audit.permissions import AUDIT_READ
from domain.shared.errors import ValidationFailed


class AuditQueries:
    def __init__(self, runner: CommandRunner, access: AccessPolicy) -> None:
        self._runner = runner
        self._access = access

    async def list(
        self, ctx: CallContext, flt: AuditFilter, cursor: str | None, limit: int | None
    ) -> Page[AuditRecord]:
        size = clamp_limit(limit)
        after = None
        if cursor:
            key = decode_cursor(cursor)
            try:
                after = (datetime.fromisoformat(key[0]), UUID(key[1]))
            except (ValueError, IndexError):
                raise ValidationFailed.single("cursor", "invalid_cursor") from None

        async def read(uow: UnitOfWork) -> Page[AuditRecord]:
            self._access.require(ctx, AUDIT_READ)
            rows = await uow.audit.query(flt, after, size + 1)
            more = len(rows) > size
            rows = rows[:size]
            nxt = (
                encode_cursor([rows[-1].occurred_at.isoformat(), str(rows[-1].id)])
                if more
                else None
            )
            return Page(rows, nxt)

        return await self._runner.query(ctx, read)
