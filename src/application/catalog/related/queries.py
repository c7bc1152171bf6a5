"""Show a product's related products (CAT-9)."""

from __future__ import annotations

from uuid import UUID

from application.catalog.common import load_product
from application.catalog.related.common import ENTITY, RelatedView, related_view
from application.shared.use_case import Query, Reading
from domain.catalog.permissions import CATALOG_READ


class ShowRelated(Query[RelatedView], entity=ENTITY, permission=CATALOG_READ):
    product_id: UUID


class ShowRelatedHandler:
    async def handle(self, query: ShowRelated, reading: Reading) -> RelatedView:
        await load_product(reading.uow, query.product_id)
        return await related_view(reading.uow, query.product_id)
