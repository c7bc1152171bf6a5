"""Audit records in the caller's transaction; the app role may only insert and read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.postgres.shared.driver import DriverStatement
from adapters.postgres.shared.json_text import json_text
from adapters.postgres.shared.tables import audit_log
from application.shared.audit_log import AuditFilter, AuditRecord
from application.shared.clock import IdGenerator
from domain.shared.audit import AuditEntry


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


# A record's own columns (the tenant, request and address are the connection's).
_ROW_COLUMNS = ("id", "actor", "action", "entity_type", "entity_id", "outcome", "changes", "detail")
# Hand-written: one INSERT ... SELECT over unnest'ed column arrays whatever the batch size,
# measured against executemany for the catalog import (bench/README.md).
INSERT_AUDIT = (
    "INSERT INTO audit_log (tenant_id, id, actor, action, entity_type, entity_id,"
    " outcome, changes, detail, request_id, ip)"
    " SELECT CAST(:tenant_id AS uuid), v.id, v.actor, v.action, v.entity_type,"
    " v.entity_id, v.outcome, CAST(v.changes AS jsonb), CAST(v.detail AS jsonb),"
    " CAST(:request_id AS text), CAST(:ip AS inet)"
    " FROM unnest(CAST(:id AS uuid[]), CAST(:actor AS text[]),"
    " CAST(:action AS text[]), CAST(:entity_type AS text[]),"
    " CAST(:entity_id AS uuid[]), CAST(:outcome AS text[]),"
    " CAST(:changes AS text[]), CAST(:detail AS text[])) WITH ORDINALITY"
    " AS v(id, actor, action, entity_type, entity_id, outcome, changes, detail, n)"
    " ORDER BY v.n"
)
_INSERT_AUDIT = DriverStatement(text(INSERT_AUDIT))  # every failed command's: decision 82


class PostgresAuditLog:
    def __init__(
        self,
        conn: AsyncConnection,
        tenant_id: UUID,
        ids: IdGenerator,
        actor: str,
        request_id: str,
        ip: str | None,
    ) -> None:
        self._conn = conn
        self._tenant_id = tenant_id
        self._ids = ids
        self._actor = actor
        self._request_id = request_id
        self._ip = ip

    async def record(self, entry: AuditEntry, actor: str | None = None) -> None:
        await self.record_many([entry], actor)

    async def record_many(self, entries: Sequence[AuditEntry], actor: str | None = None) -> None:
        """Several records in one statement over arrays (bulk imports)."""
        if entries:
            await _INSERT_AUDIT.fetch(self._conn, self.parameters(entries, actor))

    def parameters(self, entries: Sequence[AuditEntry], actor: str | None = None) -> dict[str, Any]:
        """``INSERT_AUDIT``'s parameters for ``entries`` (also the unit of work's
        ``write_changes``, beside the events)."""
        rows = [self._values(entry, actor) for entry in entries]
        return {
            "tenant_id": self._tenant_id,
            "request_id": self._request_id,
            "ip": self._ip,
            **{column: [row[column] for row in rows] for column in _ROW_COLUMNS},
        }

    def _values(self, entry: AuditEntry, actor: str | None) -> dict[str, Any]:
        changes = [
            {"field": c.field, "before": _jsonable(c.before), "after": _jsonable(c.after)}
            for c in entry.changes
        ]
        return {
            "id": self._ids.new_id(),
            "actor": actor or self._actor,
            "action": entry.action,
            "entity_type": entry.entity_type,
            "entity_id": entry.entity_id,
            "outcome": entry.outcome,
            "changes": json_text(changes),
            "detail": json_text(_jsonable(entry.detail)),
        }

    async def query(
        self, flt: AuditFilter, after: tuple[datetime, UUID] | None, limit: int
    ) -> list[AuditRecord]:
        a = audit_log.c
        query = select(
            a.id,
            a.occurred_at,
            a.actor,
            a.action,
            a.entity_type,
            a.entity_id,
            a.outcome,
            a.changes,
            a.detail,
            a.request_id,
            func.host(a.ip).label("ip"),
        ).where(a.tenant_id == self._tenant_id)
        for column, value in (
            (a.actor, flt.actor),
            (a.entity_type, flt.entity_type),
            (a.entity_id, flt.entity_id),
            (a.action, flt.action),
        ):
            if value is not None:
                query = query.where(column == value)
        if flt.since is not None:
            query = query.where(a.occurred_at >= flt.since)
        if flt.until is not None:
            query = query.where(a.occurred_at < flt.until)
        if after is not None:
            query = query.where(tuple_(a.occurred_at, a.id) < tuple_(*after))
        rows = await self._conn.execute(
            query.order_by(a.occurred_at.desc(), a.id.desc()).limit(limit)
        )
        return [
            AuditRecord(
                id=r.id,
                occurred_at=r.occurred_at,
                actor=r.actor,
                action=r.action,
                entity_type=r.entity_type,
                entity_id=r.entity_id,
                outcome=r.outcome,
                changes=r.changes,
                request_id=r.request_id,
                ip=r.ip,
                detail=r.detail,
            )
            for r in rows
        ]
