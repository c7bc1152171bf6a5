"""Prices (CAT-10): list, channel, member and promotional prices, and the one rule that
says which of them a buyer pays.

THE PRECEDENCE RULE (also in docs/catalog.md), in two steps:

1. **Base price**: the SKU's channel price on the buyer's channel if the channel sets one,
   otherwise its list price. A channel price *replaces* the list price on that channel,
   up or down — marketplaces often sell dearer than the own shop to cover commission.
2. **Offers**: the member price of the buyer's tier (if any) and every promotional price
   active at that moment for that channel (promotions scoped to the channel or to all
   channels) are offers. The buyer pays the **lowest** of the base price and the offers.

So an offer never raises a price, a member never pays more than a non-member, and
promotions and member prices never stack (each is a price, not a discount). On a tie, the
quote names the rule in the order promotion, member, channel, list; then a channel-specific
promotion before an all-channel one; then the smaller rule id — so the answer is
deterministic. No base price at all (no channel price, no list price): ``sku_has_no_price``.

Why not a fixed order (promotion beats member beats channel beats list)? Because then a
member price set below the list price would charge members *more* than everyone else on a
channel whose price is lower still, and a promotion set above a later price cut would raise
prices: merchants read both as bugs. Why not the lowest of all four? Because a channel
price above the list price must apply on its channel.

Times: a promotion's window is ``[starts_at, ends_at)`` — inclusive start, exclusive end,
``ends_at`` None for open-ended — in aware datetimes. Merchants enter windows in the
tenant's time zone (``local_window``); comparisons are on instants, so the time zone of
``at`` does not matter. One currency per tenant: every amount must be in it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.catalog.checks import FieldChecks
from domain.shared.errors import Conflict, FieldError, ValidationFailed
from domain.shared.money import Money

TIER_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


class PriceRule(StrEnum):
    LIST = "list_price"
    CHANNEL = "channel_price"
    MEMBER = "member_price"
    PROMOTION = "promotional_price"


# Tie order: the earlier rule is named when amounts are equal.
TIE_ORDER: tuple[PriceRule, ...] = (
    PriceRule.PROMOTION,
    PriceRule.MEMBER,
    PriceRule.CHANNEL,
    PriceRule.LIST,
)


def _is_aware(value: datetime) -> bool:
    return value.tzinfo is not None and value.utcoffset() is not None


def _money(path: str, amount: Decimal, currency: str) -> Money:
    check = FieldChecks()
    money = check.amount(path, amount, currency)
    check.raise_if_failed()
    assert money is not None
    return money


@dataclass(frozen=True)
class ChannelPrice:
    """The price of a SKU on one channel (set on the channel listing, ``channel.py``)."""

    channel_id: UUID
    amount: Money


@dataclass(frozen=True)
class MemberPrice:
    id: UUID
    tier: str  # a membership tier code of the tenant's settings
    amount: Money

    @classmethod
    def create(
        cls, price_id: UUID, tier: str, amount: Decimal, currency: str, tiers: Collection[str]
    ) -> MemberPrice:
        if not TIER_CODE.match(tier) or tier not in tiers:
            raise ValidationFailed.single("tier", "unknown_membership_tier", tier=tier)
        return cls(price_id, tier, _money("amount", amount, currency))


@dataclass(frozen=True)
class Promotion:
    """A promotional price of one SKU during ``[starts_at, ends_at)``, on one channel or,
    with ``channel_id`` None, on all channels."""

    id: UUID
    amount: Money
    starts_at: datetime
    ends_at: datetime | None = None
    channel_id: UUID | None = None

    @classmethod
    def create(
        cls,
        promotion_id: UUID,
        amount: Decimal,
        currency: str,
        starts_at: datetime,
        ends_at: datetime | None = None,
        channel_id: UUID | None = None,
    ) -> Promotion:
        check = FieldChecks()
        money = check.amount("amount", amount, currency)
        if not _is_aware(starts_at):
            check.add(FieldError("startsAt", "time_zone_required"))
        if ends_at is not None and not _is_aware(ends_at):
            check.add(FieldError("endsAt", "time_zone_required"))
        elif ends_at is not None and _is_aware(starts_at) and ends_at <= starts_at:
            check.add(FieldError("endsAt", "must_be_after_start"))
        check.raise_if_failed()
        assert money is not None
        return cls(promotion_id, money, starts_at, ends_at, channel_id)

    def active_at(self, at: datetime) -> bool:
        return self.starts_at <= at and (self.ends_at is None or at < self.ends_at)

    def applies_to(self, channel_id: UUID | None) -> bool:
        return self.channel_id is None or self.channel_id == channel_id


def local_window(
    starts_local: datetime, ends_local: datetime | None, time_zone: str
) -> tuple[datetime, datetime | None]:
    """A window typed as wall-clock times of the tenant's time zone, as aware datetimes.
    An ambiguous time (a clock set back) means its first occurrence; a time skipped by a
    clock set forward is read with the offset before the change, i.e. that much later."""
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed.single("timeZone", "unknown_time_zone", zone=time_zone) from None
    if starts_local.tzinfo is not None or (
        ends_local is not None and ends_local.tzinfo is not None
    ):
        # guard: callers pass wall-clock times only (promotions.instant keeps aware ones)
        raise ValueError("local window times are wall-clock times without a time zone")
    start = starts_local.replace(tzinfo=zone, fold=0)
    end = ends_local.replace(tzinfo=zone, fold=0) if ends_local is not None else None
    return start, end


@dataclass(frozen=True)
class SkuPrices:
    """Everything that prices one SKU."""

    sku_id: UUID
    list_price: Money | None
    channel_prices: Sequence[ChannelPrice] = ()
    member_prices: Sequence[MemberPrice] = ()
    promotions: Sequence[Promotion] = ()


@dataclass(frozen=True)
class PriceQuote:
    amount: Money
    rule: PriceRule
    rule_id: UUID  # list: the SKU; channel: the channel; member / promotion: its own id


def resolve_price(
    prices: SkuPrices, channel_id: UUID | None, tier: str | None, at: datetime
) -> PriceQuote:
    """The price of the SKU on ``channel_id`` (None: no channel) for a buyer of ``tier``
    (None: not a member) at ``at`` (aware), and the rule that gave it."""
    if not _is_aware(at):
        # guard: ``at`` comes from the clock, which is always aware
        raise ValueError("resolve_price needs an aware datetime")
    # (amount, tie rank, 0 for channel-specific / 1 for general, rule id text) → quote
    candidates: list[tuple[Decimal, int, int, str, PriceQuote]] = []

    def offer(quote: PriceQuote, general: bool = False) -> None:
        rank = TIE_ORDER.index(quote.rule)
        candidates.append((quote.amount.amount, rank, int(general), str(quote.rule_id), quote))

    channel_price = next(
        (p for p in prices.channel_prices if channel_id is not None and p.channel_id == channel_id),
        None,
    )
    if channel_price is not None:
        offer(PriceQuote(channel_price.amount, PriceRule.CHANNEL, channel_price.channel_id))
    elif prices.list_price is not None:
        offer(PriceQuote(prices.list_price, PriceRule.LIST, prices.sku_id))
    else:
        raise Conflict("sku_has_no_price", sku=str(prices.sku_id))
    for member in prices.member_prices:
        if tier is not None and member.tier == tier:
            offer(PriceQuote(member.amount, PriceRule.MEMBER, member.id))
    for promotion in prices.promotions:
        if promotion.active_at(at) and promotion.applies_to(channel_id):
            offer(
                PriceQuote(promotion.amount, PriceRule.PROMOTION, promotion.id),
                general=promotion.channel_id is None,
            )
    return min(candidates, key=lambda c: c[:4])[4]
