"""Wire types for /api/v1/inbox (camelCase)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec


class InboxMessageOut(msgspec.Struct, rename="camel"):
    id: UUID
    topic: str  # e.g. "order.status_changed", "stock.low"
    title: str  # in the recipient's language
    body: str  # plain text
    link: str | None  # a path inside the console
    created_at: datetime
    read_at: datetime | None
    unread: bool


class InboxPageOut(msgspec.Struct, rename="camel"):
    items: list[InboxMessageOut]
    next_cursor: str | None


class UnreadCountOut(msgspec.Struct, rename="camel"):
    unread: int


class MarkedReadOut(msgspec.Struct, rename="camel"):
    marked: int  # how many were unread
