"""Steps the brand use cases share."""

from __future__ import annotations

from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.shared.unit_of_work import UnitOfWork
from domain.catalog.brand import ENTITY, Brand
from domain.shared.errors import NotFound


async def load_brand(uow: UnitOfWork, brand_id: UUID) -> Brand:
    brand = await uow.of(CATALOG).brands.get(brand_id)
    if brand is None:
        raise NotFound(entity=ENTITY)
    return brand
