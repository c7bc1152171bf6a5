"""Change a member price's amount (CAT-10); SKU and tier stay (another tier is another
member price)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from uuid import UUID

from application.catalog.member_prices.common import (
    load_member_price,
    record,
    state,
)
from application.catalog.ports.channels import StoredMemberPrice
from application.catalog.ports.store import CATALOG
from application.shared.tenant_terms import tenant_terms
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.catalog.permissions import CATALOG_PUBLISH
from domain.catalog.pricing import MemberPrice
from domain.shared.audit import diff


class ChangeMemberPrice(
    Command[StoredMemberPrice],
    action="member_price.update",
    permission=CATALOG_PUBLISH,
    target="price_id",
):
    price_id: UUID
    amount: Decimal
    expected_version: int | None


class ChangeMemberPriceHandler:
    async def handle(self, command: ChangeMemberPrice, work: Work) -> StoredMemberPrice:
        price = await load_member_price(work.uow, command.price_id)
        check_version(command.expected_version, price.version)
        currency = (await tenant_terms(work.uow)).currency
        member = MemberPrice.create(
            price.id,
            price.price.tier,
            command.amount,
            currency,
            {price.price.tier},
        )
        changed = replace(price, price=member, version=price.version + 1)
        changes = diff(state(price), state(changed))
        if not changes:
            return price
        await work.uow.of(CATALOG).prices.save_member_price(
            changed, price.version, work.clock.now()
        )
        record(work, "update", changed, changes)
        return changed
