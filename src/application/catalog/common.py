"""Steps the catalog's use cases share: If-Match checks and id-ordered pages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar
from uuid import UUID

from application.pagination import Page, decode_cursor, encode_cursor
from domain.shared.errors import ValidationFailed


class HasId(Protocol):
    @property
    def id(self) -> UUID: ...


T = TypeVar("T", bound=HasId)


def id_after(cursor: str | None) -> UUID | None:
    """The id a cursor of an id-ordered list points after."""
    if not cursor:
        return None
    key = decode_cursor(cursor)
    try:
        return UUID(key[0])
    except (ValueError, IndexError):
        raise ValidationFailed.single("cursor", "invalid_cursor") from None


async def id_page(
    fetch: Callable[[UUID | None, int], Awaitable[list[T]]], after: UUID | None, size: int
) -> Page[T]:
    """One page in id order: reads one row more than the page to know whether more follow."""
    rows = await fetch(after, size + 1)
    items = rows[:size]
    more = len(rows) > size
    return Page(items, encode_cursor([str(items[-1].id)]) if more else None)
