"""What the catalog's filters and forms offer to choose from: the company's categories (by
their path of names), brands, product types and sales channels — the API's list queries."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from application.catalog.reads import ListBrands, ListCategories, ListChannels, ListProductTypes
from application.shared.context import CallContext
from application.shared.pagination import MAX_LIMIT
from application.shared.use_cases import UseCases
from domain.catalog.category import Category

PATH_SEPARATOR = " > "  # as the API's references and the files name a category


def category_paths(categories: list[Category]) -> list[tuple[UUID, str]]:
    """Each category with its path of names from the top, sorted by that path."""
    by_id = {c.id: c for c in categories}

    def path(category: Category) -> str:
        names, seen = [category.name], {category.id}
        while category.parent_id in by_id and category.parent_id not in seen:
            category = by_id[category.parent_id]
            names.append(category.name)
            seen.add(category.id)
        return PATH_SEPARATOR.join(reversed(names))

    return sorted(((c.id, path(c)) for c in categories), key=lambda pair: pair[1])


async def choices(ctx: CallContext, use_cases: UseCases) -> dict[str, Any]:
    """The first page of each (the largest the lists give): enough for a shop's filters."""
    categories = await use_cases.query(ctx, ListCategories(None, MAX_LIMIT))
    brands = await use_cases.query(ctx, ListBrands(None, MAX_LIMIT))
    channels = await use_cases.query(ctx, ListChannels(None, MAX_LIMIT))
    types = await use_cases.query(ctx, ListProductTypes(None, MAX_LIMIT))
    return {
        "categories": category_paths(categories.items),
        "brands": sorted(brands.items, key=lambda b: b.name),
        "channels": channels.items,
        "product_types": sorted(types.items, key=lambda t: t.name),
    }
