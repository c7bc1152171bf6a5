"""The ``PricingPolicy`` on the catalog's prices (CAT-10): the SKU's price on the order's
channel (else its list price) is the line's unit price; a lower member or promotional
price that the catalog's precedence rule picks becomes an explained discount line
(``member_price`` / ``promotion:<id>``) of the difference, so every price is explained.
Coupons and order-level promotions plug in later as more discount lines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.orders.ports import PricedLine, PriceRequest, PricingPolicy
from application.shared.unit_of_work import UnitOfWork
from domain.catalog.pricing import PriceRule, resolve_price
from domain.orders.lines import Discount
from domain.shared.errors import Conflict, NotFound, ValidationFailed


class CatalogPricing(PricingPolicy):
    async def price(
        self,
        uow: UnitOfWork,
        lines: Sequence[PriceRequest],
        channel_id: UUID | None,
        tier: str | None,
        at: datetime,
    ) -> list[PricedLine]:
        prices = uow.of(CATALOG).prices
        if tier is not None and tier not in {t.code for t in (await prices.tier_settings()).tiers}:
            # as the catalog's price quote refuses it: a tier no member price can name
            raise ValidationFailed.single("memberTier", "unknown_membership_tier", tier=tier)
        priced: list[PricedLine] = []
        for line in lines:
            found = await prices.sku_prices(line.sku_id, channel_id, tier, at)
            if found is None:
                raise NotFound(entity="sku", id=str(line.sku_id))
            try:
                quote = resolve_price(found, channel_id, tier, at)
            except Conflict as refused:  # sku_has_no_price: named by its code, as merchants do
                codes = await prices.sku_codes([line.sku_id])
                raise Conflict(refused.code, sku=codes.get(line.sku_id, str(line.sku_id))) from None
            channel_price = next(
                (p.amount for p in found.channel_prices if p.channel_id == channel_id), None
            )
            # resolve_price refused a SKU without a base price already
            base = channel_price or found.list_price or quote.amount
            discounts: tuple[Discount, ...] = ()
            saving = (base.amount - quote.amount.amount) * line.quantity
            if quote.rule in (PriceRule.MEMBER, PriceRule.PROMOTION) and saving > 0:
                source = (
                    "member_price"
                    if quote.rule is PriceRule.MEMBER
                    else f"promotion:{quote.rule_id}"
                )
                reason = (
                    f"{quote.rule.value} {quote.amount.amount} instead of {base.amount}"
                    f" × {line.quantity}"
                )
                discounts = (Discount(saving, source, reason),)
            priced.append(PricedLine(line.sku_id, base.amount, discounts))
        return priced
