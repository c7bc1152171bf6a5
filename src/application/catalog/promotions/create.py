"""Create a promotional price of a SKU (CAT-10)."""

from __future__ import annotations

from uuid import UUID

from application.catalog.member_prices.common import load_sku
from application.catalog.ports.channels import StoredPromotion
from application.catalog.ports.store import CATALOG
from application.catalog.promotions.common import (
    PromotionData,
    PromotionView,
    promotion_of,
    record,
    state,
)
from application.shared.use_case import Command, Work
from domain.catalog.permissions import CATALOG_PUBLISH
from domain.shared.audit import diff


class CreatePromotion(
    Command[PromotionView], action="promotion.create", permission=CATALOG_PUBLISH
):
    sku_id: UUID
    data: PromotionData


class CreatePromotionHandler:
    async def handle(self, command: CreatePromotion, work: Work) -> PromotionView:
        await load_sku(work.uow, command.sku_id)
        promotion, zone = await promotion_of(work.uow, work.ids.new_id(), command.data)
        stored = StoredPromotion(command.sku_id, promotion)
        await work.uow.of(CATALOG).prices.add_promotion(stored, work.clock.now())
        record(work, "create", stored, diff({}, state(stored)))
        return PromotionView(stored, zone)
