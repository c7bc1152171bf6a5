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

from application.catalog.member_prices.common import load_sku
from application.catalog.ports.store import CATALOG
from application.catalog.promotions.common import instant
from application.catalog.references import channel_of
from application.shared.references import Reference
from application.shared.tenant_terms import tenant_terms
from application.shared.use_case import Query, Reading
from domain.catalog.permissions import CATALOG_READ
from domain.catalog.pricing import PriceQuote, resolve_price
from domain.shared.errors import FieldError, NotFound, ValidationFailed


@dataclass(frozen=True)
class QuoteView:
    sku_id: UUID
    quote: PriceQuote
    at: datetime  # the instant priced, in the tenant's zone


class QuotePrice(Query[QuoteView], entity="sku", permission=CATALOG_READ):
    sku_id: UUID
    channel: Reference | None  # the buyer's channel: its id or its code (#9 item 16)
    tier: str | None
    at: datetime | None


class QuotePriceHandler:
    async def handle(self, query: QuotePrice, reading: Reading) -> QuoteView:
        uow, store = reading.uow, reading.uow.of(CATALOG)
        tier, channel_id = query.tier, None
        await load_sku(uow, query.sku_id)
        zone = (await tenant_terms(uow)).time_zone
        errors: list[FieldError] = []
        if query.channel is not None:
            found = await channel_of(uow, "channel", query.channel)
            if isinstance(found, FieldError):
                errors.append(found)
            else:
                channel_id = found
        if tier is not None:
            tiers = {t.code for t in (await store.prices.tier_settings()).tiers}
            if tier not in tiers:
                errors.append(FieldError("tier", "unknown_membership_tier", {"tier": tier}))
        if errors:
            raise ValidationFailed(errors)
        moment = instant(query.at, zone) if query.at is not None else reading.clock.now()
        prices = await store.prices.sku_prices(query.sku_id, channel_id, tier, moment)
        if prices is None:
            raise NotFound(entity="sku")
        quote = resolve_price(prices, channel_id, tier, moment)
        return QuoteView(query.sku_id, quote, moment.astimezone(ZoneInfo(zone)))
