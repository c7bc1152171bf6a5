"""Delete a promotion (CAT-10)."""

from __future__ import annotations

from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.catalog.promotions.common import load_promotion, record, state
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.catalog.permissions import CATALOG_PUBLISH
from domain.shared.audit import diff


class DeletePromotion(Command[None], action="promotion.delete", permission=CATALOG_PUBLISH):
    promotion_id: UUID
    expected_version: int | None


class DeletePromotionHandler:
    async def handle(self, command: DeletePromotion, work: Work) -> None:
        stored = await load_promotion(work.uow, command.promotion_id)
        check_version(command.expected_version, stored.version)
        await work.uow.of(CATALOG).prices.delete_promotion(stored.id, stored.version)
        record(work, "delete", stored, diff(state(stored), {}))
