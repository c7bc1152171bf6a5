"""Who is calling, for which tenant, and with which permissions.

Every use case receives a ``CallContext``. The HTTP layer builds it from a token or API
key, the CLI for a support operator, the worker for the system; the use case treats them
alike, so the CLI and the worker are held to the same rules as the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID


class ActorKind(StrEnum):
    USER = "user"
    API_KEY = "api_key"
    SUPPORT = "support"  # an operator's support engineer, through the CLI
    SYSTEM = "system"  # workers and schedulers


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    id: str  # user id, API key id, operator name or job name

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class CallContext:
    tenant_id: UUID
    actor: Actor
    permissions: frozenset[str]
    request_id: str = ""
    ip: str | None = None
    locale: str = "zh-CN"
    session_id: UUID | None = None

    @property
    def user_id(self) -> UUID | None:
        return UUID(self.actor.id) if self.actor.kind is ActorKind.USER else None


@dataclass(frozen=True)
class SystemContext:
    """Operator work across tenants (support CLI, relays, billing): always named and audited."""

    actor: Actor
    reason: str
    request_id: str = ""
