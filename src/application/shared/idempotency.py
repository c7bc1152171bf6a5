from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class IdempotencyScope:
    """Tenant + principal + method + path + key (docs/architecture.md, Idempotency-Key)."""

    principal: str
    method: str
    path: str
    key: str


@dataclass(frozen=True)
class StoredResponse:
    request_hash: bytes
    status_code: int
    body: bytes
    headers: dict[str, str]


class IdempotencyStore(Protocol):
    async def claim(self, scope: IdempotencyScope, request_hash: bytes) -> StoredResponse | None:
        """Claim the key in the current transaction.

        Returns the stored response of an earlier completed request with this key (the
        caller compares its hash), or None when this request now owns the key. Raises
        ``Conflict('idempotency_in_flight')`` while another request holds it.
        """
        ...

    async def complete(self, scope: IdempotencyScope, response: StoredResponse) -> None:
        """Store the response in the current transaction — written by the time it commits,
        with the command's audit records and events where the unit of work can (so call it
        before ``write_changes``). Raises ``Conflict('idempotency_in_flight')`` if another
        request's answer for the key was committed since the claim."""
        ...
