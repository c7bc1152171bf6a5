"""The order's timeline: every transition and every edit, with who, why and which rule.

"Why is this order held?" is answered by the order itself: the entry that held it names
the actor, the reason and — when a rule did it — the rule's id and version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

# Who acted: "user:<uuid>", "api_key:<uuid>", "rule_engine", "channel:<code>", "system:<job>".
# The application layer writes it from the call context; the domain only records it.
Actor = str


@dataclass(frozen=True)
class RuleRef:
    rule_id: str
    version: int

    def __str__(self) -> str:
        return f"{self.rule_id}@v{self.version}"


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: Actor
    kind: str  # status_changed, line_added, address_changed, payment_recorded, …
    reason: str | None = None
    from_status: str | None = None
    to_status: str | None = None
    rule: RuleRef | None = None
    detail: Mapping[str, str] = field(default_factory=dict)
