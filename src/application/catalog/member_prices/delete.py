"""Delete a member price (CAT-10)."""

from __future__ import annotations

from uuid import UUID

from application.catalog.member_prices.common import load_member_price, record, state
from application.catalog.ports.store import CATALOG
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.catalog.permissions import CATALOG_PUBLISH
from domain.shared.audit import diff


class DeleteMemberPrice(
    Command[None], action="member_price.delete", permission=CATALOG_PUBLISH, target="price_id"
):
    price_id: UUID
    expected_version: int | None


class DeleteMemberPriceHandler:
    async def handle(self, command: DeleteMemberPrice, work: Work) -> None:
        price = await load_member_price(work.uow, command.price_id)
        check_version(command.expected_version, price.version)
        await work.uow.of(CATALOG).prices.delete_member_price(price.id, price.version)
        record(work, "delete", price, diff(state(price), {}))
