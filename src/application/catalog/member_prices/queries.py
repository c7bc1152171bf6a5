"""Reading member prices (CAT-10)."""

from __future__ import annotations

from uuid import UUID

from application.catalog.member_prices.common import ENTITY, load_member_price, load_sku
from application.catalog.ports.channels import StoredMemberPrice
from application.catalog.ports.store import CATALOG
from application.shared.use_case import Query, Reading
from domain.catalog.permissions import CATALOG_READ


class GetMemberPrice(Query[StoredMemberPrice], entity=ENTITY, permission=CATALOG_READ):
    price_id: UUID


class GetMemberPriceHandler:
    async def handle(self, query: GetMemberPrice, reading: Reading) -> StoredMemberPrice:
        return await load_member_price(reading.uow, query.price_id)


class MemberPricesOfSku(Query[list[StoredMemberPrice]], entity=ENTITY, permission=CATALOG_READ):
    """In tier order (a SKU has at most one per tier)."""

    sku_id: UUID


class MemberPricesOfSkuHandler:
    async def handle(self, query: MemberPricesOfSku, reading: Reading) -> list[StoredMemberPrice]:
        await load_sku(reading.uow, query.sku_id)
        return await reading.uow.of(CATALOG).prices.member_prices_of(query.sku_id)
