"""The promotions facade (CAT-10)."""

from __future__ import annotations

from uuid import UUID

from application.catalog.common import id_window
from application.catalog.promotions.change import ChangePromotion, ChangePromotionHandler
from application.catalog.promotions.common import PromotionData, PromotionView
from application.catalog.promotions.create import CreatePromotion, CreatePromotionHandler
from application.catalog.promotions.delete import DeletePromotion, DeletePromotionHandler
from application.catalog.promotions.queries import (
    GetPromotion,
    GetPromotionHandler,
    PromotionsOfSku,
    PromotionsOfSkuHandler,
)
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.pagination import Page
from application.shared.runner import CommandRunner
from application.shared.use_case import runs


class PromotionService:
    """``create``, ``change``, ``delete`` and ``get``, ``of_sku``."""

    def __init__(self, runner: CommandRunner, clock: Clock, ids: IdGenerator) -> None:
        self._runner = runner
        self._create = CreatePromotionHandler(clock, ids)
        self._change = ChangePromotionHandler(clock)

    @runs(CreatePromotion)
    async def create(self, ctx: CallContext, sku_id: UUID, data: PromotionData) -> PromotionView:
        return await self._runner.run(ctx, CreatePromotion(sku_id, data), self._create)

    @runs(ChangePromotion)
    async def change(
        self,
        ctx: CallContext,
        promotion_id: UUID,
        data: PromotionData,
        expected_version: int | None,
    ) -> PromotionView:
        """Amount, window and channel as a whole; the SKU stays."""
        command = ChangePromotion(promotion_id, data, expected_version)
        return await self._runner.run(ctx, command, self._change)

    @runs(DeletePromotion)
    async def delete(
        self, ctx: CallContext, promotion_id: UUID, expected_version: int | None
    ) -> None:
        command = DeletePromotion(promotion_id, expected_version)
        await self._runner.run(ctx, command, DeletePromotionHandler())

    @runs(GetPromotion)
    async def get(self, ctx: CallContext, promotion_id: UUID) -> PromotionView:
        return await self._runner.query(ctx, GetPromotion(promotion_id), GetPromotionHandler())

    @runs(PromotionsOfSku)
    async def of_sku(
        self, ctx: CallContext, sku_id: UUID, cursor: str | None, limit: int | None
    ) -> Page[PromotionView]:
        query = PromotionsOfSku(sku_id, *id_window(cursor, limit))
        return await self._runner.query(ctx, query, PromotionsOfSkuHandler())
