"""The membership tiers facade (CAT-10): ``get`` and ``replace``."""

from __future__ import annotations

from collections.abc import Sequence

from application.catalog.membership_tiers.queries import GetTiers, GetTiersHandler
from application.catalog.membership_tiers.replace import ReplaceTiers, ReplaceTiersHandler
from application.catalog.ports.channels import TierSettings
from application.shared.context import CallContext
from application.shared.runner import CommandRunner
from application.shared.use_case import runs


class MembershipTierService:
    """``get`` and ``replace``."""

    def __init__(self, runner: CommandRunner) -> None:
        self._runner = runner

    @runs(GetTiers)
    async def get(self, ctx: CallContext) -> TierSettings:
        return await self._runner.query(ctx, GetTiers(), GetTiersHandler())

    @runs(ReplaceTiers)
    async def replace(
        self, ctx: CallContext, tiers: Sequence[tuple[str, str]], expected_version: int | None
    ) -> TierSettings:
        command = ReplaceTiers(tiers, expected_version)
        return await self._runner.run(ctx, command, ReplaceTiersHandler())
