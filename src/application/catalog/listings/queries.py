"""Reading a product's listings (CAT-7)."""

from __future__ import annotations

from uuid import UUID

from application.catalog.common import load_product
from application.catalog.ports.store import CATALOG
from application.shared.use_case import Query, Reading
from domain.catalog.channel import Listing
from domain.catalog.permissions import CATALOG_READ
from domain.catalog.product import ENTITY as PRODUCT_ENTITY


class ListingsOf(Query[list[Listing]], entity=PRODUCT_ENTITY, permission=CATALOG_READ):
    product_id: UUID


class ListingsOfHandler:
    async def handle(self, query: ListingsOf, reading: Reading) -> list[Listing]:
        await load_product(reading.uow, query.product_id)
        return await reading.uow.of(CATALOG).listings.of_product(query.product_id)
