"""The price query (CAT-10): "the price of SKU X on channel C for tier M at time T", and
which rule gave it (``domain.catalog.pricing.resolve_price``, the precedence rule).

Channel and tier are optional (none: no channel price, not a member); ``at`` defaults to
now and may be a wall-clock time of the tenant's zone. An unknown channel or tier is a
field error; an unknown SKU a 404; a SKU without any base price ``Conflict
sku_has_no_price``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from application.catalog.member_prices import load_sku
from application.catalog.ports.store import CATALOG
from application.catalog.promotions import instant
from application.catalog.tenant_terms import tenant_terms
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock
from application.shared.context import CallContext
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from domain.catalog.permissions import CATALOG_READ
from domain.catalog.pricing import PriceQuote, resolve_price
from domain.shared.errors import FieldError, NotFound, ValidationFailed


@dataclass(frozen=True)
class QuoteView:
    sku_id: UUID
    quote: PriceQuote
    at: datetime  # the instant priced, in the tenant's zone


class PriceQuoteService:
    def __init__(self, runner: CommandRunner, access: AccessPolicy, clock: Clock) -> None:
        self._runner = runner
        self._access = access
        self._clock = clock

    async def quote(
        self,
        ctx: CallContext,
        sku_id: UUID,
        channel_id: UUID | None,
        tier: str | None,
        at: datetime | None,
    ) -> QuoteView:
        async def read(uow: UnitOfWork) -> QuoteView:
            self._access.require(ctx, CATALOG_READ)
            await load_sku(uow, sku_id)
            zone = (await tenant_terms(uow)).time_zone
            errors: list[FieldError] = []
            if channel_id is not None and await uow.of(CATALOG).channels.get(channel_id) is None:
                errors.append(FieldError("channel", "unknown_channel"))
            if tier is not None:
                tiers = {t.code for t in (await uow.of(CATALOG).prices.tier_settings()).tiers}
                if tier not in tiers:
                    errors.append(FieldError("tier", "unknown_membership_tier", {"tier": tier}))
            if errors:
                raise ValidationFailed(errors)
            moment = instant(at, zone) if at is not None else self._clock.now()
            prices = await uow.of(CATALOG).prices.sku_prices(sku_id, channel_id, tier, moment)
            if prices is None:
                raise NotFound(entity="sku")
            quote = resolve_price(prices, channel_id, tier, moment)
            return QuoteView(sku_id, quote, moment.astimezone(ZoneInfo(zone)))

        return await self._runner.query(ctx, read)
