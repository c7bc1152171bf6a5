"""Every row of a catalog list, read page by page in id order, and the category tree's
paths: what imports, exports and references by path need whole."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar
from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.shared.reads import HasId
from application.shared.unit_of_work import UnitOfWork
from domain.catalog.category import Category
from domain.catalog.product_type import ProductType

PAGE = 500
T = TypeVar("T", bound=HasId)


async def all_rows(fetch: Callable[[UUID | None, int], Awaitable[list[T]]]) -> list[T]:
    """Every item of an id-ordered listing, page by page."""
    items: list[T] = []
    after: UUID | None = None
    while True:
        batch = await fetch(after, PAGE)
        items.extend(batch)
        if len(batch) < PAGE:
            return items
        after = batch[-1].id


def category_paths(categories: list[Category]) -> dict[UUID, list[str]]:
    """Each category's path of names, root first."""
    by_id = {c.id: c for c in categories}
    paths: dict[UUID, list[str]] = {}

    def path(category: Category) -> list[str]:
        if category.id not in paths:
            parent = by_id.get(category.parent_id) if category.parent_id else None
            paths[category.id] = [*(path(parent) if parent else []), category.name]
        return paths[category.id]

    for category in categories:
        path(category)
    return paths


async def product_types(uow: UnitOfWork) -> list[ProductType]:
    return await all_rows(uow.of(CATALOG).product_types.page)


async def categories(uow: UnitOfWork) -> list[Category]:
    return await all_rows(uow.of(CATALOG).categories.page)
