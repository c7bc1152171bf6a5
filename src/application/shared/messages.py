"""Messages between the outbox, the worker and the use cases.

``PublishedEvent`` is an outbox row as subscribers see it: ids, type and changed field
names, never personal data.

``consuming`` lets a worker handler run a use case idempotently: the ``CommandRunner`` claims
the message in the command's own transaction (``uow.processed``), so the claim and the
work commit together; a message handled before raises ``AlreadyProcessed`` instead of
running the command again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True)
class PublishedEvent:
    id: UUID
    tenant_id: UUID
    event_type: str
    entity_type: str
    entity_id: UUID
    changed_fields: tuple[str, ...]
    occurred_at: datetime
    request_id: str = ""
    data: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ConsumedMessage:
    consumer: str
    message_id: str


class AlreadyProcessed(Exception):
    """The message was handled before; the handler acknowledges it without doing anything."""

    def __init__(self, message: ConsumedMessage) -> None:
        super().__init__(f"{message.consumer}: message {message.message_id} already processed")
        self.message = message


_consuming: ContextVar[ConsumedMessage | None] = ContextVar("consuming", default=None)


@contextmanager
def consuming(consumer: str, message_id: str) -> Iterator[None]:
    """Make the next command run by the ``CommandRunner`` claim this message first."""
    token = _consuming.set(ConsumedMessage(consumer, message_id))
    try:
        yield
    finally:
        _consuming.reset(token)


def take_consumed_message() -> ConsumedMessage | None:
    """The message announced by ``consuming``, for one command only."""
    message = _consuming.get()
    _consuming.set(None)
    return message
