"""Reading the tenant's membership tiers (CAT-10)."""

from __future__ import annotations

from application.catalog.membership_tiers.replace import ENTITY
from application.catalog.ports.channels import TierSettings
from application.catalog.ports.store import CATALOG
from application.shared.use_case import Query, Reading
from domain.catalog.permissions import CATALOG_READ


class GetTiers(Query[TierSettings], entity=ENTITY, permission=CATALOG_READ):
    pass


class GetTiersHandler:
    async def handle(self, query: GetTiers, reading: Reading) -> TierSettings:
        return await reading.uow.of(CATALOG).prices.tier_settings()
