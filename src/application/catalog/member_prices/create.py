"""Create a SKU's member price for one tier (CAT-10)."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from application.catalog.member_prices.common import load_sku, record, state
from application.catalog.ports.channels import StoredMemberPrice
from application.catalog.ports.store import CATALOG
from application.shared.tenant_terms import tenant_terms
from application.shared.use_case import Command, Work
from domain.catalog.permissions import CATALOG_PUBLISH
from domain.catalog.pricing import MemberPrice
from domain.shared.audit import diff


class CreateMemberPrice(
    Command[StoredMemberPrice], action="member_price.create", permission=CATALOG_PUBLISH
):
    sku_id: UUID
    tier: str
    amount: Decimal


class CreateMemberPriceHandler:
    async def handle(self, command: CreateMemberPrice, work: Work) -> StoredMemberPrice:
        prices = work.uow.of(CATALOG).prices
        await load_sku(work.uow, command.sku_id)
        tiers = {t.code for t in (await prices.tier_settings()).tiers}
        currency = (await tenant_terms(work.uow)).currency
        member = MemberPrice.create(
            work.ids.new_id(), command.tier, command.amount, currency, tiers
        )
        price = StoredMemberPrice(command.sku_id, member)
        await prices.add_member_price(price, work.clock.now())
        record(work, "create", price, diff({}, state(price)))
        return price
