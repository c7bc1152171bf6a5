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


@dataclass
class RecordsEvents:
    """An aggregate that records what happened to it. The runner takes the events when
    the use case hands the aggregate over (``Work.publish``) and writes them to the outbox
    in the command's transaction, so they commit with the change or not at all.

    ``events`` is keyword-only, so an aggregate's own fields keep their positions."""

    events: list[DomainEvent] = field(default_factory=list, compare=False, repr=False, kw_only=True)

    def record_event(self, event: DomainEvent) -> None:
        self.events.append(event)

    def pull_events(self) -> list[DomainEvent]:
        """The events recorded so far, in order; the aggregate forgets them."""
        pulled = list(self.events)
        self.events.clear()
        return pulled
