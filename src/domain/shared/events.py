"""Domain events: what happened, to which entity, which fields changed — never personal data."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID


@dataclass(frozen=True)
class DomainEvent:
    event_type: str  # e.g. "customer.created"
    entity_type: str
    entity_id: UUID
    changed_fields: tuple[str, ...] = ()
    data: dict[str, str] = field(default_factory=dict)  # ids and codes only
