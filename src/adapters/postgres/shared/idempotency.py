"""Idempotency keys claimed inside the command's transaction (docs/architecture.md).

A transaction-scoped advisory lock marks the key as in flight: a concurrent duplicate
cannot take it and gets 409 at once instead of waiting. The stored response is written in
the same transaction as the change, so a crash leaves either both or neither.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import DateTime, Text, Uuid, bindparam, text
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.postgres.shared.driver import DriverStatement
from adapters.postgres.shared.json_text import json_text
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


# The claim in one statement: the advisory lock, then the stored answer of the key, if any.
# The read's snapshot is taken before the lock is granted, so a request that got the lock
# just after the key's first request committed reads no answer — and runs; its answer's
# upsert (``STORE_ANSWER``) then finds that request's row and writes nothing, and the run
# is refused and rolled back
# (decision 97). Every other duplicate is answered here: in flight (409) or replayed.
_CLAIM = DriverStatement(
    text(
        "SELECT l.locked, k.request_hash, k.status_code, k.body, k.headers"
        " FROM (SELECT pg_try_advisory_xact_lock(hashtextextended(:lock_key, 0)) AS locked) l"
        " LEFT JOIN idempotency_keys k"
        " ON k.tenant_id = :tenant AND k.id = :id AND k.expires_at > :now"
    ).bindparams(
        bindparam("lock_key", type_=Text),
        bindparam("tenant", type_=Uuid),
        bindparam("id", type_=Text),
        bindparam("now", type_=DateTime(timezone=True)),
    )
)

# The answer's upsert. Only a missing or expired row of the key is written: a live one is
# another request's answer, committed since this one's claim (``RETURNING`` says which).
# Usually sent within the unit of work's ``write_changes`` statement, beside the command's
# audit records and events (``ANSWERED``); alone at commit otherwise.
STORE_ANSWER = (
    "INSERT INTO idempotency_keys (tenant_id, id, request_hash, status_code, body, headers,"
    " created_at, expires_at)"
    " VALUES (CAST(:tenant_id AS uuid), CAST(:answer_id AS text),"
    " CAST(:answer_hash AS bytea), CAST(:answer_status AS integer),"
    " CAST(:answer_body AS bytea), CAST(CAST(:answer_headers AS text) AS jsonb),"
    " CAST(:answer_at AS timestamptz), CAST(:answer_expires AS timestamptz))"
    " ON CONFLICT (tenant_id, id) DO UPDATE SET request_hash = excluded.request_hash,"
    " status_code = excluded.status_code, body = excluded.body, headers = excluded.headers,"
    " created_at = excluded.created_at, expires_at = excluded.expires_at"
    " WHERE idempotency_keys.expires_at <= excluded.created_at"
    " RETURNING id"
)
_STORE = DriverStatement(text(STORE_ANSWER))

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
        self.pending: dict[str, Any] | None = None  # the answer ``complete`` kept

    async def claim(self, scope: IdempotencyScope, request_hash: bytes) -> StoredResponse | None:
        row_id = _row_id(scope)
        # An advisory lock, not a row: it exists before the row does, and a duplicate must
        # fail at once rather than queue behind the first.
        row = await _CLAIM.fetchrow(
            self._conn,
            {
                "lock_key": f"idem:{self._tenant_id}:{row_id}",
                "tenant": self._tenant_id,
                "id": row_id,
                "now": self._clock.now(),
            },
        )
        if row is None or not row["locked"]:
            raise Conflict("idempotency_in_flight")
        if row["request_hash"] is None:
            return None
        body = await self._unreadable.open(
            self._cipher,
            self._tenant_id,
            ENTITY,
            BODY_FIELD,
            cipher_row(row_id),
            bytes(row["body"]),
        )
        if body is None:
            # The key was used, but its answer cannot be read back (logged and audited by
            # ``open``): say so, rather than run the request a second time or answer 500.
            raise Conflict("idempotency_response_unreadable")
        headers = row["headers"]
        return StoredResponse(
            bytes(row["request_hash"]),
            row["status_code"],
            body.encode(),
            msgspec.json.decode(headers) if isinstance(headers, str) else headers,
        )

    async def complete(self, scope: IdempotencyScope, response: StoredResponse) -> None:
        """Encrypted and kept for the unit of work: written with the command's audit records
        and events (one statement, ``write_changes``), or alone at commit (``flush``)."""
        now = self._clock.now()
        row_id = _row_id(scope)
        body = await self._cipher.encrypt(
            self._tenant_id, BODY_FIELD, cipher_row(row_id), response.body.decode()
        )
        self.pending = {
            "tenant_id": self._tenant_id,
            "answer_id": row_id,
            "answer_hash": response.request_hash,
            "answer_status": response.status_code,
            "answer_body": body,
            "answer_headers": json_text(response.headers),
            "answer_at": now,
            "answer_expires": now + RETENTION,
        }

    async def flush(self) -> None:
        """The kept answer written alone, if ``write_changes`` did not take it."""
        if self.pending is not None:
            stored(await _STORE.fetch(self._conn, self.take()))

    def take(self) -> dict[str, Any]:
        """The kept answer's ``STORE_ANSWER`` parameters, now the caller's to write."""
        if self.pending is None:
            raise RuntimeError("no answer is kept")
        taken, self.pending = self.pending, None
        return taken


def stored(rows: Sequence[Any]) -> None:
    """Refuse the command if its answer was not written: the key's first request committed
    after this one's claim (decision 97), so this one must not take effect."""
    if not rows:
        raise Conflict("idempotency_in_flight")
