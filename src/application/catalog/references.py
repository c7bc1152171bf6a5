"""References by code (#9 item 16): wherever a filter or a query names a category, a brand
or a sales channel, it may give the id or what people call it — a category's path
(``服装 > 男装``), a brand's name, a channel's code. An id must be one of the company's; a
name that matches nothing is a 422 naming the parameter, never an empty answer.
"""

from __future__ import annotations

from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.catalog.whole_lists import categories, category_paths
from application.shared.references import Reference, id_in
from application.shared.unit_of_work import UnitOfWork
from domain.catalog.category import category_path_key, split_category_path
from domain.shared.errors import FieldError


async def category_of(uow: UnitOfWork, field: str, reference: Reference) -> UUID | FieldError:
    """An id, or a path of names from the top (``服装 > 男装``; a top category's name)."""
    store = uow.of(CATALOG)
    category_id = id_in(reference)
    if category_id is not None:
        if await store.categories.get(category_id) is not None:
            return category_id
    else:
        wanted = category_path_key(split_category_path(str(reference)))
        for found_id, path in category_paths(await categories(uow)).items():
            if category_path_key(path) == wanted:
                return found_id
    return FieldError(field, "unknown_category", {"path": str(reference)})


async def brand_of(uow: UnitOfWork, field: str, reference: Reference) -> UUID | FieldError:
    """An id, or the brand's name (compared as names are)."""
    brands = uow.of(CATALOG).brands
    brand_id = id_in(reference)
    brand = await (brands.get(brand_id) if brand_id else brands.by_name(str(reference)))
    if brand is None:
        return FieldError(field, "unknown_brand", {"name": str(reference)})
    return brand.id


async def channel_of(uow: UnitOfWork, field: str, reference: Reference) -> UUID | FieldError:
    """An id, or the channel's code (``tmall_flagship``)."""
    channels = uow.of(CATALOG).channels
    channel_id = id_in(reference)
    channel = await (channels.get(channel_id) if channel_id else channels.by_code(str(reference)))
    if channel is None:
        return FieldError(field, "unknown_channel", {"channel": str(reference)})
    return channel.id
