"""The member prices facade (CAT-10)."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from application.catalog.member_prices.change import ChangeMemberPrice, ChangeMemberPriceHandler
from application.catalog.member_prices.create import CreateMemberPrice, CreateMemberPriceHandler
from application.catalog.member_prices.delete import DeleteMemberPrice, DeleteMemberPriceHandler
from application.catalog.member_prices.queries import (
    GetMemberPrice,
    GetMemberPriceHandler,
    MemberPricesOfSku,
    MemberPricesOfSkuHandler,
)
from application.catalog.ports.channels import StoredMemberPrice
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.runner import CommandRunner
from application.shared.use_case import runs


class MemberPriceService:
    """``create``, ``change``, ``delete`` and ``get``, ``of_sku``."""

    def __init__(self, runner: CommandRunner, clock: Clock, ids: IdGenerator) -> None:
        self._runner = runner
        self._create = CreateMemberPriceHandler(clock, ids)
        self._change = ChangeMemberPriceHandler(clock)

    @runs(CreateMemberPrice)
    async def create(
        self, ctx: CallContext, sku_id: UUID, tier: str, amount: Decimal
    ) -> StoredMemberPrice:
        return await self._runner.run(ctx, CreateMemberPrice(sku_id, tier, amount), self._create)

    @runs(ChangeMemberPrice)
    async def change(
        self, ctx: CallContext, price_id: UUID, amount: Decimal, expected_version: int | None
    ) -> StoredMemberPrice:
        """A new amount; SKU and tier stay (another tier is another member price)."""
        command = ChangeMemberPrice(price_id, amount, expected_version)
        return await self._runner.run(ctx, command, self._change)

    @runs(DeleteMemberPrice)
    async def delete(self, ctx: CallContext, price_id: UUID, expected_version: int | None) -> None:
        command = DeleteMemberPrice(price_id, expected_version)
        await self._runner.run(ctx, command, DeleteMemberPriceHandler())

    @runs(GetMemberPrice)
    async def get(self, ctx: CallContext, price_id: UUID) -> StoredMemberPrice:
        return await self._runner.query(ctx, GetMemberPrice(price_id), GetMemberPriceHandler())

    @runs(MemberPricesOfSku)
    async def of_sku(self, ctx: CallContext, sku_id: UUID) -> list[StoredMemberPrice]:
        """In tier order (a SKU has at most one per tier)."""
        query = MemberPricesOfSku(sku_id)
        return await self._runner.query(ctx, query, MemberPricesOfSkuHandler())
