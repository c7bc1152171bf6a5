"""Domain events written to the outbox table in the caller's transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.postgres.shared.driver import DriverStatement
from adapters.postgres.shared.json_text import json_text
from adapters.postgres.shared.rows import from_row
from adapters.postgres.shared.tables import outbox
from application.shared.clock import IdGenerator
from application.shared.messages import PublishedEvent
from domain.shared.events import DomainEvent

_EVENT = select(*(c for c in outbox.c if c.name != "published_at"))
# Hand-written: one INSERT ... SELECT over unnest'ed column arrays whatever the batch size,
# measured against executemany for the catalog import (bench/README.md).
INSERT_EVENTS = (
    "INSERT INTO outbox (tenant_id, id, event_type, entity_type, entity_id,"
    " changed_fields, data, request_id)"
    " SELECT CAST(:tenant_id AS uuid), v.id, v.event_type, v.entity_type,"
    " v.entity_id,"
    " ARRAY(SELECT jsonb_array_elements_text(CAST(v.changed_fields AS jsonb))),"
    " CAST(v.data AS jsonb), CAST(:request_id AS text)"
    " FROM unnest(CAST(:ids AS uuid[]), CAST(:event_types AS text[]),"
    " CAST(:entity_types AS text[]), CAST(:entity_ids AS uuid[]),"
    " CAST(:changed_fields AS text[]), CAST(:data AS text[])) WITH ORDINALITY"
    " AS v(id, event_type, entity_type, entity_id, changed_fields, data, n)"
    " ORDER BY v.n"
)
_INSERT_EVENTS = DriverStatement(text(INSERT_EVENTS))  # decision 82


async def load_published_event(
    conn: AsyncConnection, tenant_id: UUID, event_id: UUID
) -> PublishedEvent | None:
    """An event as the outbox holds it (the relay's and webhook delivery's reading)."""
    query = _EVENT.where(outbox.c.tenant_id == tenant_id, outbox.c.id == event_id)
    row = (await conn.execute(query)).first()
    if row is None:
        return None
    data = json.loads(row.data) if isinstance(row.data, (str, bytes)) else row.data
    return from_row(
        PublishedEvent,
        row,
        changed_fields=tuple(row.changed_fields),
        data={str(k): str(v) for k, v in (data or {}).items()},
    )


class PostgresOutbox:
    def __init__(
        self, conn: AsyncConnection, tenant_id: UUID, ids: IdGenerator, request_id: str
    ) -> None:
        self._conn = conn
        self._tenant_id = tenant_id
        self._ids = ids
        self._request_id = request_id

    async def add(self, event: DomainEvent) -> None:
        await self.add_many([event])

    async def add_many(self, events: Sequence[DomainEvent]) -> None:
        """Several events in one statement over arrays (bulk imports)."""
        if events:
            await _INSERT_EVENTS.fetch(self._conn, self.parameters(events))

    def parameters(self, events: Sequence[DomainEvent]) -> dict[str, Any]:
        """``INSERT_EVENTS``' parameters for ``events`` (also the unit of work's
        ``write_changes``, beside the audit records); each event's changed fields travel as a JSON
        array (arrays of arrays must be rectangular)."""
        return {
            "tenant_id": self._tenant_id,
            "request_id": self._request_id,
            "ids": [self._ids.new_id() for _ in events],
            "event_types": [event.event_type for event in events],
            "entity_types": [event.entity_type for event in events],
            "entity_ids": [event.entity_id for event in events],
            "changed_fields": [json_text(event.changed_fields) for event in events],
            "data": [json_text(event.data) for event in events],
        }
