"""Steps the catalog's use cases share: loading a product, id-ordered pages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar
from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.shared.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from application.shared.unit_of_work import UnitOfWork
from domain.catalog.product import ENTITY as PRODUCT_ENTITY
from domain.catalog.product import Product
from domain.shared.errors import Conflict, NotFound, ValidationFailed


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


def id_window(cursor: str | None, limit: int | None) -> tuple[UUID | None, int]:
    """Where an id-ordered page starts (after which id) and how many rows it holds."""
    size, after = clamp_limit(limit), id_after(cursor)
    return after, size


async def id_page(
    fetch: Callable[[UUID | None, int], Awaitable[list[T]]], after: UUID | None, size: int
) -> Page[T]:
    """One page in id order: reads one row more than the page to know whether more follow."""
    rows = await fetch(after, size + 1)
    items = rows[:size]
    more = len(rows) > size
    return Page(items, encode_cursor([str(items[-1].id)]) if more else None)


async def load_product(uow: UnitOfWork, product_id: UUID, *, changing: bool = False) -> Product:
    """NotFound for unknown and other tenants' ids alike (RLS hides the latter);
    ``changing``: an archived product refuses changes (``product_archived``)."""
    product = await uow.of(CATALOG).products.get(product_id)
    if product is None:
        raise NotFound(entity=PRODUCT_ENTITY)
    if changing and product.archived:
        raise Conflict("product_archived", product_code=product.code)
    return product
