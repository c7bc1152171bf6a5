"""Change a promotion's amount, window and channel as a whole (CAT-10); the SKU stays."""

from __future__ import annotations

from uuid import UUID

from application.catalog.ports.channels import StoredPromotion
from application.catalog.ports.store import CATALOG
from application.catalog.promotions.common import (
    PromotionData,
    PromotionView,
    load_promotion,
    promotion_of,
    record,
    state,
)
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.catalog.permissions import CATALOG_PUBLISH
from domain.shared.audit import diff


class ChangePromotion(
    Command[PromotionView], action="promotion.update", permission=CATALOG_PUBLISH
):
    promotion_id: UUID
    data: PromotionData
    expected_version: int | None


class ChangePromotionHandler:
    async def handle(self, command: ChangePromotion, work: Work) -> PromotionView:
        stored = await load_promotion(work.uow, command.promotion_id)
        check_version(command.expected_version, stored.version)
        promotion, zone = await promotion_of(work.uow, stored.id, command.data)
        changed = StoredPromotion(stored.sku_id, promotion, stored.version + 1)
        changes = diff(state(stored), state(changed))
        if not changes:
            return PromotionView(stored, zone)
        await work.uow.of(CATALOG).prices.save_promotion(changed, stored.version, work.clock.now())
        record(work, "update", changed, changes)
        return PromotionView(changed, zone)
