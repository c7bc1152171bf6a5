"""Replace the tenant's membership tiers (CAT-10): a setting, replaced as a whole (PUT,
If-Match with the list's version; version 0 until first set). A tier a member price still
names cannot be removed (``Conflict membership_tier_in_use``). Needs ``catalog:publish``,
like the member prices that name them (docs/catalog.md)."""

from __future__ import annotations

from collections.abc import Sequence

from application.catalog.ports.channels import TierSettings
from application.catalog.ports.store import CATALOG
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.catalog.membership import checked_tiers
from domain.catalog.permissions import CATALOG_PUBLISH
from domain.shared.audit import diff
from domain.shared.events import DomainEvent

ENTITY = "membership_tiers"


def state(settings: TierSettings) -> dict[str, object]:
    return {"tiers": [{"code": t.code, "name": t.name} for t in settings.tiers]}


class ReplaceTiers(
    Command[TierSettings], action="membership_tiers.update", permission=CATALOG_PUBLISH
):
    tiers: Sequence[tuple[str, str]]
    expected_version: int | None


class ReplaceTiersHandler:
    async def handle(self, command: ReplaceTiers, work: Work) -> TierSettings:
        prices, tenant_id = work.uow.of(CATALOG).prices, work.ctx.tenant_id
        current = await prices.tier_settings()
        check_version(command.expected_version, current.version)
        new = TierSettings(checked_tiers(command.tiers), current.version)
        changes = diff(state(current), state(new))
        if not changes:
            return current
        version = await prices.save_tiers(new.tiers, current.version)
        work.audit(tenant_id, changes=changes, detail={"version": version})
        work.emit(DomainEvent("membership_tiers.updated", ENTITY, tenant_id, ("tiers",)))
        return TierSettings(new.tiers, version)
