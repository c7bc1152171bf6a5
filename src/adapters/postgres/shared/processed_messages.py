"""Worker dedupe: a message id claimed per consumer in the caller's transaction."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert

from adapters.postgres.shared.rows import TenantRepository
from adapters.postgres.shared.tables import processed_messages


class PostgresProcessedMessages(TenantRepository):
    async def claim(self, consumer: str, message_id: str) -> bool:
        # A concurrent duplicate blocks on the primary key until the first transaction ends,
        # then inserts nothing if it committed (or takes the claim over if it rolled back).
        result = await self._conn.execute(
            insert(processed_messages)
            .values(tenant_id=self._tenant_id, consumer=consumer, message_id=message_id)
            .on_conflict_do_nothing()
            .returning(processed_messages.c.message_id)
        )
        return result.first() is not None
