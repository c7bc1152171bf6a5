"""Reading brands (CAT-6)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.catalog.brands.common import load_brand
from application.catalog.common import id_page
from application.catalog.ports.store import CATALOG
from application.shared.pagination import Page
from application.shared.use_case import Query, Reading
from domain.catalog.brand import ENTITY, Brand
from domain.catalog.permissions import CATALOG_READ


@dataclass(frozen=True)
class GetBrand(Query):
    entity = ENTITY
    permission = CATALOG_READ

    brand_id: UUID


class GetBrandHandler:
    async def handle(self, query: GetBrand, reading: Reading) -> Brand:
        return await load_brand(reading.uow, query.brand_id)


@dataclass(frozen=True)
class ListBrands(Query):
    entity = ENTITY
    permission = CATALOG_READ

    after: UUID | None
    size: int


class ListBrandsHandler:
    async def handle(self, query: ListBrands, reading: Reading) -> Page[Brand]:
        return await id_page(reading.uow.of(CATALOG).brands.page, query.after, query.size)
