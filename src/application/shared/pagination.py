"""Cursor pagination: opaque cursors that encode the sort key of the last row seen."""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar
from uuid import UUID

from domain.shared.errors import ValidationFailed

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(key: list[str]) -> str:
    raw = json.dumps(key, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed.single("cursor", "invalid_cursor") from None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationFailed.single("cursor", "invalid_cursor")
    return value


def clamp_limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    if limit < 1 or limit > MAX_LIMIT:
        raise ValidationFailed.single("limit", "limit_out_of_range", min=1, max=MAX_LIMIT)
    return limit


def time_and_id_after(cursor: str | None) -> tuple[datetime, UUID] | None:
    """Where a newest-first page (ordered by a time, then the id) continues."""
    if not cursor:
        return None
    key = decode_cursor(cursor)
    try:
        return datetime.fromisoformat(key[0]), UUID(key[1])
    except (ValueError, IndexError):
        raise ValidationFailed.single("cursor", "invalid_cursor") from None


def page_of(rows: list[T], size: int, key: Callable[[T], list[str]]) -> Page[T]:
    """``rows`` read one more than ``size``: the extra one only says that more follow, and
    the next cursor is ``key`` of the page's last row."""
    items = rows[:size]
    return Page(items, encode_cursor(key(items[-1])) if len(rows) > size else None)


def time_and_id(at: datetime, row_id: UUID) -> list[str]:
    """The cursor key of a newest-first page (``time_and_id_after`` reads it back)."""
    return [at.isoformat(), str(row_id)]


async def every_page(fetch: Callable[[str | None, int], Awaitable[Page[T]]]) -> list[T]:
    """Every item of a cursor-paged listing, following ``next_cursor`` at the largest page
    size (a loader or a report that needs the whole list)."""
    found: list[T] = []
    cursor: str | None = None
    while True:
        page = await fetch(cursor, MAX_LIMIT)
        found.extend(page.items)
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor
