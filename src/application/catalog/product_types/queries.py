"""Reading product types (CAT-5)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.catalog.common import id_page
from application.catalog.ports.store import CATALOG
from application.catalog.product_types.common import load_product_type
from application.shared.pagination import Page
from application.shared.use_case import Query, Reading
from domain.catalog.permissions import CATALOG_READ
from domain.catalog.product_type import ENTITY, ProductType


@dataclass(frozen=True)
class GetProductType(Query[ProductType], entity=ENTITY, permission=CATALOG_READ):
    type_id: UUID


class GetProductTypeHandler:
    async def handle(self, query: GetProductType, reading: Reading) -> ProductType:
        return await load_product_type(reading.uow, query.type_id)


@dataclass(frozen=True)
class ListProductTypes(Query[Page[ProductType]], entity=ENTITY, permission=CATALOG_READ):
    after: UUID | None
    size: int


class ListProductTypesHandler:
    async def handle(self, query: ListProductTypes, reading: Reading) -> Page[ProductType]:
        return await id_page(reading.uow.of(CATALOG).product_types.page, query.after, query.size)
