"""The tenant's membership tiers (CAT-10): a setting, replaced as a whole (PUT, If-Match
with the list's version; version 0 until first set). A tier a member price still names
cannot be removed (``Conflict membership_tier_in_use``). Managing tiers needs
``catalog:publish``, like the member prices that name them (docs/catalog.md)."""

from __future__ import annotations

from collections.abc import Sequence

from application.catalog.ports.channels import TierSettings
from application.catalog.ports.store import CATALOG
from application.shared.access_policy import AccessPolicy
from application.shared.context import CallContext
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from application.shared.versions import check_version
from domain.catalog.membership import checked_tiers
from domain.catalog.permissions import CATALOG_PUBLISH, CATALOG_READ
from domain.shared.audit import AuditEntry, diff
from domain.shared.events import DomainEvent

ENTITY = "membership_tiers"


def _state(settings: TierSettings) -> dict[str, object]:
    return {"tiers": [{"code": t.code, "name": t.name} for t in settings.tiers]}


class MembershipTierService:
    """``get`` and ``replace``."""

    def __init__(self, runner: CommandRunner, access: AccessPolicy) -> None:
        self._runner = runner
        self._access = access

    async def get(self, ctx: CallContext) -> TierSettings:
        async def read(uow: UnitOfWork) -> TierSettings:
            self._access.require(ctx, CATALOG_READ)
            return await uow.of(CATALOG).prices.tier_settings()

        return await self._runner.query(ctx, read)

    async def replace(
        self, ctx: CallContext, tiers: Sequence[tuple[str, str]], expected_version: int | None
    ) -> TierSettings:
        async def command(uow: UnitOfWork) -> TierSettings:
            self._access.require(ctx, CATALOG_PUBLISH)
            current = await uow.of(CATALOG).prices.tier_settings()
            check_version(expected_version, current.version)
            new = TierSettings(checked_tiers(tiers), current.version)
            changes = diff(_state(current), _state(new))
            if not changes:
                return current
            version = await uow.of(CATALOG).prices.save_tiers(new.tiers, current.version)
            await uow.audit.record(
                AuditEntry(
                    "membership_tiers.update",
                    ENTITY,
                    ctx.tenant_id,
                    changes=changes,
                    detail={"version": version},
                )
            )
            await uow.outbox.add(
                DomainEvent("membership_tiers.updated", ENTITY, ctx.tenant_id, ("tiers",))
            )
            return TierSettings(new.tiers, version)

        return await self._runner.run(ctx, "membership_tiers.update", ENTITY, command)
