"""Idempotency keys claimed inside the command's transaction (docs/architecture.md).

A transaction-scoped advisory lock marks the key as in flight: a concurrent duplicate
cannot take it and gets 409 at once instead of waiting. The stored response is written in
the same transaction as the change, so a crash leaves either both or neither.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from uuid import UUID

from sqlalchemy import bindparam, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.postgres.shared.tables import idempotency_keys
from adapters.postgres.shared.unreadable import UnreadableValues
from application.shared.clock import Clock
from application.shared.field_cipher import FieldCipher
from application.shared.idempotency import IdempotencyScope, StoredResponse
from domain.shared.errors import Conflict

RETENTION = timedelta(hours=24)


def _row_id(scope: IdempotencyScope) -> str:
    raw = "\x1f".join((scope.principal, scope.method, scope.path, scope.key))
    return hashlib.sha256(raw.encode()).hexdigest()


def cipher_row(row_id: str) -> UUID:
    """The stored body is bound to its key's row, like any encrypted field."""
    return UUID(hex=row_id[:32])


# Written on every idempotent request: built once (an upsert's ``excluded`` columns are
# built anew each time it is asked for). An expired row of the same key is replaced.
_STORED = ("request_hash", "status_code", "body", "headers", "created_at", "expires_at")
_UPSERT = insert(idempotency_keys).values(
    {column: bindparam(column) for column in ("tenant_id", "id", *_STORED)}
)
_STORE = _UPSERT.on_conflict_do_update(
    index_elements=[idempotency_keys.c.tenant_id, idempotency_keys.c.id],
    set_={column: _UPSERT.excluded[column] for column in _STORED},
)

BODY_FIELD = "idempotency.response"
ENTITY = "idempotency_key"


class PostgresIdempotencyStore:
    def __init__(
        self,
        conn: AsyncConnection,
        tenant_id: UUID,
        clock: Clock,
        cipher: FieldCipher,
        unreadable: UnreadableValues | None = None,
    ) -> None:
        self._conn = conn
        self._tenant_id = tenant_id
        self._clock = clock
        self._unreadable = unreadable or UnreadableValues()
        # Responses may hold personal data (a created customer) or a one-time secret (a
        # new API key): they are stored encrypted like any personal field (PLT-4).
        self._cipher = cipher

    async def claim(self, scope: IdempotencyScope, request_hash: bytes) -> StoredResponse | None:
        row_id = _row_id(scope)
        # An advisory lock, not a row: it exists before the row does, and a duplicate must
        # fail at once rather than queue behind the first (hand-written SQL for that).
        locked = await self._conn.scalar(
            text("SELECT pg_try_advisory_xact_lock(hashtextextended(:lock_key, 0))"),
            {"lock_key": f"idem:{self._tenant_id}:{row_id}"},
        )
        if not locked:
            raise Conflict("idempotency_in_flight")
        keys = idempotency_keys.c
        row = (
            await self._conn.execute(
                select(keys.request_hash, keys.status_code, keys.body, keys.headers).where(
                    keys.tenant_id == self._tenant_id,
                    keys.id == row_id,
                    keys.expires_at > self._clock.now(),
                )
            )
        ).first()
        if row is None:
            return None
        body = await self._unreadable.open(
            self._cipher, self._tenant_id, ENTITY, BODY_FIELD, cipher_row(row_id), bytes(row.body)
        )
        if body is None:
            # The key was used, but its answer cannot be read back (logged and audited by
            # ``open``): say so, rather than run the request a second time or answer 500.
            raise Conflict("idempotency_response_unreadable")
        return StoredResponse(bytes(row.request_hash), row.status_code, body.encode(), row.headers)

    async def complete(self, scope: IdempotencyScope, response: StoredResponse) -> None:
        now = self._clock.now()
        row_id = _row_id(scope)
        body = await self._cipher.encrypt(
            self._tenant_id, BODY_FIELD, cipher_row(row_id), response.body.decode()
        )
        await self._conn.execute(
            _STORE,
            {
                "tenant_id": self._tenant_id,
                "id": row_id,
                "request_hash": response.request_hash,
                "status_code": response.status_code,
                "body": body,
                "headers": response.headers,
                "created_at": now,
                "expires_at": now + RETENTION,
            },
        )
