"""Reading promotions (CAT-10), shown in the tenant's time zone."""

from __future__ import annotations

from uuid import UUID

from application.catalog.common import id_page
from application.catalog.member_prices.common import load_sku
from application.catalog.ports.channels import StoredPromotion
from application.catalog.ports.store import CATALOG
from application.catalog.promotions.common import ENTITY, PromotionView, load_promotion
from application.shared.pagination import Page
from application.shared.tenant_terms import tenant_terms
from application.shared.use_case import Query, Reading
from domain.catalog.permissions import CATALOG_READ


class GetPromotion(Query[PromotionView], entity=ENTITY, permission=CATALOG_READ):
    promotion_id: UUID


class GetPromotionHandler:
    async def handle(self, query: GetPromotion, reading: Reading) -> PromotionView:
        stored = await load_promotion(reading.uow, query.promotion_id)
        return PromotionView(stored, (await tenant_terms(reading.uow)).time_zone)


class PromotionsOfSku(Query[Page[PromotionView]], entity=ENTITY, permission=CATALOG_READ):
    sku_id: UUID
    after: UUID | None
    size: int


class PromotionsOfSkuHandler:
    async def handle(self, query: PromotionsOfSku, reading: Reading) -> Page[PromotionView]:
        uow = reading.uow
        await load_sku(uow, query.sku_id)
        zone = (await tenant_terms(uow)).time_zone

        async def fetch(position: UUID | None, count: int) -> list[StoredPromotion]:
            return await uow.of(CATALOG).prices.promotions_of(query.sku_id, position, count)

        page = await id_page(fetch, query.after, query.size)
        return Page([PromotionView(s, zone) for s in page.items], page.next_cursor)
