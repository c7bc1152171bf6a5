"""Wire types for /api/v1/inbox (camelCase)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from entrypoints.http.wire import PageOut, WireOut


class InboxMessageOut(WireOut):
    id: UUID
    topic: str  # e.g. "order.status_changed", "stock.low"
    title: str  # in the recipient's language
    body: str  # plain text
    link: str | None  # a path inside the console
    created_at: datetime
    read_at: datetime | None
    unread: bool


class InboxPageOut(PageOut[InboxMessageOut]):
    items: list[InboxMessageOut]


class UnreadCountOut(WireOut):
    unread: int


class MarkedReadOut(WireOut):
    marked: int  # how many were unread
