"""Reads every aggregate does the same way, written once (docs/decisions.md, 25): get one
by its id, and a page in id order. A module declares its query in one line and registers
the generic handler with its loader::

    @dataclass(frozen=True)
    class GetBrand(ById[Brand], entity=ENTITY, permission=CATALOG_READ): ...

    use_cases.add(GetBrand, GetOne(load_brand))
    use_cases.add(ListBrands, PageInIdOrder(lambda uow: uow.of(CATALOG).brands.page))
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, Protocol, Self, TypeVar
from uuid import UUID

from application.shared.pagination import Page, clamp_limit, decode_cursor, page_of
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Query, Reading
from domain.shared.errors import ValidationFailed


class HasId(Protocol):
    @property
    def id(self) -> UUID: ...


T = TypeVar("T")
I = TypeVar("I", bound=HasId)  # noqa: E741 - an item with an id

Fetch = Callable[[UUID | None, int], Awaitable[list[I]]]


def id_after(cursor: str | None) -> UUID | None:
    """The id a cursor of an id-ordered list points after."""
    if not cursor:
        return None
    key = decode_cursor(cursor)
    try:
        return UUID(key[0])
    except (ValueError, IndexError):
        raise ValidationFailed.single("cursor", "invalid_cursor") from None


def id_window(cursor: str | None, limit: int | None) -> tuple[UUID | None, int]:
    """Where an id-ordered page starts (after which id) and how many rows it holds."""
    size, after = clamp_limit(limit), id_after(cursor)
    return after, size


async def id_page(fetch: Fetch[I], after: UUID | None, size: int) -> Page[I]:
    """One page in id order: reads one row more than the page to know whether more follow."""
    return page_of(await fetch(after, size + 1), size, lambda item: [str(item.id)])


class ById(Query[T]):
    """One aggregate by its id (NotFound for another tenant's id as for an unknown one)."""

    id: UUID


class InIdOrder(Query[Page[T]]):
    """A page of all of them, in id (creation) order."""

    after: UUID | None
    size: int

    @classmethod
    def window(cls, cursor: str | None, limit: int | None) -> Self:
        """The query for a page after ``cursor``; checked before it runs (a malformed
        cursor is a 422, not an audited attempt)."""
        return cls(*id_window(cursor, limit))


class GetOne(Generic[T]):
    """The handler of every ``ById`` query: the module's loader."""

    def __init__(self, load: Callable[[UnitOfWork, UUID], Awaitable[T]]) -> None:
        self._load = load

    async def handle(self, query: ById[T], reading: Reading) -> T:
        return await self._load(reading.uow, query.id)


class PageInIdOrder(Generic[I]):
    """The handler of every ``InIdOrder`` query: the repository's ``page`` in this unit of
    work."""

    def __init__(self, pages: Callable[[UnitOfWork], Fetch[I]]) -> None:
        self._pages = pages

    async def handle(self, query: InIdOrder[I], reading: Reading) -> Page[I]:
        return await id_page(self._pages(reading.uow), query.after, query.size)
