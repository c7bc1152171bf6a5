from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from domain.shared.audit import AuditEntry


@dataclass(frozen=True)
class AuditRecord:
    """A stored audit row as tenant admins read it."""

    id: UUID
    occurred_at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: UUID | None
    outcome: str
    changes: list[dict[str, Any]]
    request_id: str
    ip: str | None
    detail: dict[str, Any] = field(default_factory=dict)
    # Who ``actor`` is, as people read it (a user's name and email, an API key's name):
    # filled in when the trail is read, never stored, so it follows a renamed user.
    actor_name: str | None = None


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    entity_type: str | None = None
    entity_id: UUID | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


class AuditLog(Protocol):
    """Append-only. Records are written in the caller's transaction."""

    async def record(self, entry: AuditEntry, actor: str | None = None) -> None:
        """Write ``entry``; ``actor`` overrides the unit of work's actor (e.g. at login)."""
        ...

    async def record_many(self, entries: Sequence[AuditEntry], actor: str | None = None) -> None:
        """Write several entries at once (bulk imports)."""
        ...

    async def query(
        self, flt: AuditFilter, after: tuple[datetime, UUID] | None, limit: int
    ) -> list[AuditRecord]: ...
