"""A webhook endpoint: where a tenant wants its events sent, and which ones (CHN-3).

Event types are exact (``customer.updated``), a prefix (``customer.*``) or everything
(``*``). The signing secret is not part of the aggregate: it is generated once, stored
encrypted, and shown to the tenant only when it is created or rotated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.shared.errors import ValidationFailed
from domain.shared.events import DomainEvent, RecordsEvents
from domain.webhooks.destination import parse_webhook_url

ENTITY = "webhook_endpoint"

ALL_EVENTS = "*"
MAX_EVENT_TYPES = 50
MAX_DESCRIPTION_LENGTH = 500

_EVENT_TYPE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_EVENT_PREFIX = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\.\*$")
# What a subscription may name: every event, an event type, or a prefix of types.
EVENT_SUBSCRIPTION = re.compile(
    rf"^(?:\*|{_EVENT_TYPE.pattern[1:-1]}|{_EVENT_PREFIX.pattern[1:-1]})$"
)

# The URL may carry a receiver's token in its path or query (many receivers work so): the
# audit records that it changed, never its value.
SENSITIVE_FIELDS = frozenset({"url"})


def validate_event_types(event_types: list[str]) -> tuple[str, ...]:
    if not event_types:
        raise ValidationFailed.single("eventTypes", "required")
    if len(event_types) > MAX_EVENT_TYPES:
        raise ValidationFailed.single("eventTypes", "too_many", max=MAX_EVENT_TYPES)
    invalid = sorted(
        {
            t
            for t in event_types
            if t != ALL_EVENTS and not _EVENT_TYPE.match(t) and not _EVENT_PREFIX.match(t)
        }
    )
    if invalid:
        raise ValidationFailed.single("eventTypes", "invalid_event_type", types=invalid)
    return tuple(sorted(set(event_types)))


def _description(text: str) -> str:
    text = text.strip()
    if len(text) > MAX_DESCRIPTION_LENGTH:
        raise ValidationFailed.single("description", "too_long", max=MAX_DESCRIPTION_LENGTH)
    if any(ord(c) < 32 and c not in "\n\t" for c in text):
        raise ValidationFailed.single("description", "invalid_characters")
    return text


def matches(pattern: str, event_type: str) -> bool:
    if pattern == ALL_EVENTS:
        return True
    if pattern.endswith(".*"):
        return event_type.startswith(pattern[:-1])
    return pattern == event_type


@dataclass
class WebhookEndpoint(RecordsEvents):
    """Records ``webhook_endpoint.created``, ``.updated`` and ``.secret_rotated`` with
    field names (never the URL itself)."""

    id: UUID
    url: str
    event_types: tuple[str, ...]
    description: str
    active: bool
    created_at: datetime
    updated_at: datetime
    version: int = 1
    # Read, never written: some delivery is held because the stored secret does not
    # decrypt; rotating the secret releases them (#9, item 7).
    needs_new_secret: bool = False

    @classmethod
    def register(
        cls,
        endpoint_id: UUID,
        url: str,
        event_types: list[str],
        description: str,
        active: bool,
        now: datetime,
        *,
        allow_loopback: bool,
    ) -> WebhookEndpoint:
        parse_webhook_url(url, allow_loopback=allow_loopback)
        endpoint = cls(
            endpoint_id,
            url,
            validate_event_types(event_types),
            _description(description),
            active,
            now,
            now,
        )
        endpoint._happened("webhook_endpoint.created", tuple(sorted(endpoint.snapshot())))
        return endpoint

    def subscribes_to(self, event_type: str) -> bool:
        return self.active and any(matches(p, event_type) for p in self.event_types)

    def snapshot(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "eventTypes": list(self.event_types),
            "description": self.description,
            "active": self.active,
        }

    def change(
        self,
        now: datetime,
        *,
        url: str | None = None,
        event_types: list[str] | None = None,
        description: str | None = None,
        active: bool | None = None,
        allow_loopback: bool,
    ) -> tuple[str, ...]:
        """Apply the given changes; answers the names of the fields that changed."""
        before = self.snapshot()
        if url is not None:
            parse_webhook_url(url, allow_loopback=allow_loopback)
            self.url = url
        if event_types is not None:
            self.event_types = validate_event_types(event_types)
        if description is not None:
            self.description = _description(description)
        if active is not None:
            self.active = active
        after = self.snapshot()
        changed = tuple(name for name in after if after[name] != before[name])
        if changed:
            self.version += 1
            self.updated_at = now
            self._happened("webhook_endpoint.updated", changed)
        return changed

    def secret_rotated(self, now: datetime) -> None:
        """A new secret is a new version: a client holding the old ETag knows it is stale."""
        self.needs_new_secret = False
        self.version += 1
        self.updated_at = now
        self._happened("webhook_endpoint.secret_rotated", ("secret",))

    def deactivate(self, now: datetime) -> bool:
        if not self.active:
            return False
        self.active = False
        self.version += 1
        self.updated_at = now
        return True

    def _happened(self, event_type: str, changed: tuple[str, ...]) -> None:
        self.record_event(DomainEvent(event_type, ENTITY, self.id, changed))
