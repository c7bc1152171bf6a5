"""Domain events written to the outbox table in the caller's transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from application.ports.clock import IdGenerator
from domain.shared.events import DomainEvent


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
        """Several events in one pipelined statement (bulk imports)."""
        if not events:
            return
        await self._conn.execute(
            text(
                "INSERT INTO outbox (tenant_id, id, event_type, entity_type, entity_id,"
                " changed_fields, data, request_id) VALUES (:tenant_id, :id, :event_type,"
                " :entity_type, :entity_id, :changed_fields, CAST(:data AS jsonb), :request_id)"
            ),
            [
                {
                    "tenant_id": self._tenant_id,
                    "id": self._ids.new_id(),
                    "event_type": event.event_type,
                    "entity_type": event.entity_type,
                    "entity_id": event.entity_id,
                    "changed_fields": list(event.changed_fields),
                    "data": json.dumps(event.data),
                    "request_id": self._request_id,
                }
                for event in events
            ],
        )
