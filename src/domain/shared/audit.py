"""The audit record a command leaves behind (PLT-3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

REDACTED = "[redacted]"


@dataclass(frozen=True)
class AuditChange:
    """Field-level before/after. Personal fields are recorded as changed but redacted."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class AuditEntry:
    action: str  # e.g. "customer.update"
    entity_type: str
    entity_id: UUID | None
    outcome: str = "success"  # success | denied | failed
    changes: tuple[AuditChange, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)


def diff(
    before: dict[str, Any], after: dict[str, Any], personal: frozenset[str] = frozenset()
) -> tuple[AuditChange, ...]:
    """Field-level diff of two flat snapshots; personal fields never show their values."""
    changes = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if name in personal:
            old = REDACTED if old is not None else None
            new = REDACTED if new is not None else None
        changes.append(AuditChange(name, old, new))
    return tuple(changes)
