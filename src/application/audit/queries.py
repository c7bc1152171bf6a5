"""Tenant admins read their audit trail (PLT-3)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from application.identity.ports import IDENTITY
from application.shared.audit_log import AuditFilter, AuditRecord
from application.shared.context import ActorKind, CallContext
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
        more = len(rows) > size
        rows = rows[:size]
        nxt = encode_cursor([rows[-1].occurred_at.isoformat(), str(rows[-1].id)]) if more else None
        names = await _names(reading, {row.actor for row in rows})
        return Page([replace(row, actor_name=names.get(row.actor)) for row in rows], nxt)


async def _names(reading: Reading, actors: set[str]) -> dict[str, str]:
    """People's names for the actor labels of a page: one read per distinct actor (a page
    holds a handful); a deleted user or key has none."""
    store, names = reading.uow.of(IDENTITY), {}
    for label in actors:
        kind, _, raw = label.partition(":")
        try:
            actor_id = UUID(raw)
        except ValueError:
            continue  # support:<operator>, system:<job>: the label is the name
        if kind == ActorKind.USER and (user := await store.users.get(actor_id)):
            names[label] = f"{user.display_name} <{user.email}>"
        elif kind == ActorKind.API_KEY and (key := await store.api_keys.get(actor_id)):
            names[label] = key.name
    return names


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
