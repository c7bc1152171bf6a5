"""Reading product media (CAT-3)."""

from __future__ import annotations

from uuid import UUID

from application.catalog.common import load_product
from application.catalog.ports.store import CATALOG
from application.shared.reads import ById
from application.shared.use_case import Query, Reading
from domain.catalog.media import ENTITY, ProductMedia
from domain.catalog.permissions import CATALOG_READ


class ListMedia(Query[list[ProductMedia]], entity=ENTITY, permission=CATALOG_READ):
    """All of a product's media in display order (at most ``MAX_MEDIA_PER_PRODUCT``)."""

    product_id: UUID


class ListMediaHandler:
    async def handle(self, query: ListMedia, reading: Reading) -> list[ProductMedia]:
        await load_product(reading.uow, query.product_id, changing=False)
        return await reading.uow.of(CATALOG).product_media.of_product(query.product_id)


class GetMedia(ById[ProductMedia], entity=ENTITY, permission=CATALOG_READ):
    pass
