"""Price resolution (CAT-10): the precedence rule across every combination of rules, time
windows [start, end), time zones and member tiers."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.catalog.pricing import (
    TIE_ORDER,
    ChannelPrice,
    MemberPrice,
    PriceRule,
    Promotion,
    SkuPrices,
    local_window,
    resolve_price,
)
from domain.shared.errors import Conflict, ValidationFailed
from domain.shared.money import Money

SKU = UUID(int=1)
SHOP, TMALL = UUID(int=10), UUID(int=11)
T0 = datetime(2026, 11, 10, 16, 0, tzinfo=UTC)  # 2026-11-11 00:00 in Asia/Shanghai
TIERS = ("gold", "silver")


def cny(amount: int | str) -> Money:
    return Money.of(amount, "CNY")


def promotion(
    amount: int, start: datetime = T0, end: datetime | None = None, channel: UUID | None = None
) -> Promotion:
    return Promotion.create(uuid.uuid4(), Decimal(amount), "CNY", start, end, channel)


# --- every combination of rules, with fixed amounts -----------------------------------

AMOUNTS = {"channel": 90, "member": 80, "promotion_channel": 70, "promotion_all": 75}


@pytest.mark.parametrize(
    "present",
    [set(c) for n in range(5) for c in itertools.combinations(sorted(AMOUNTS), n)],
    ids=lambda p: "+".join(sorted(p)) or "list-only",
)
def test_every_combination_of_rules(present: set[str]) -> None:
    """Precedence: the base (channel price, else list price 100) and every applicable offer
    compete; the lowest wins and the quote names its rule."""
    channel_promo = promotion(70, channel=SHOP)
    all_promo = promotion(75)
    member = MemberPrice.create(uuid.uuid4(), "gold", Decimal(80), "CNY", TIERS)
    prices = SkuPrices(
        SKU,
        cny(100),
        [ChannelPrice(SHOP, cny(90))] if "channel" in present else [],
        [member] if "member" in present else [],
        [
            p
            for k, p in (("promotion_channel", channel_promo), ("promotion_all", all_promo))
            if k in present
        ],
    )
    quote = resolve_price(prices, SHOP, "gold", T0)
    expected = {
        "channel": (PriceRule.CHANNEL, SHOP),
        "member": (PriceRule.MEMBER, member.id),
        "promotion_channel": (PriceRule.PROMOTION, channel_promo.id),
        "promotion_all": (PriceRule.PROMOTION, all_promo.id),
    }
    if present:
        lowest = min(present, key=AMOUNTS.__getitem__)
        assert quote.amount == cny(AMOUNTS[lowest])
        assert (quote.rule, quote.rule_id) == expected[lowest]
    else:
        assert (quote.amount, quote.rule, quote.rule_id) == (cny(100), PriceRule.LIST, SKU)


def test_a_channel_price_replaces_the_list_price_even_when_dearer() -> None:
    prices = SkuPrices(SKU, cny(100), [ChannelPrice(TMALL, cny(120))])
    assert resolve_price(prices, TMALL, None, T0).amount == cny(120)
    assert resolve_price(prices, SHOP, None, T0).amount == cny(100)
    assert resolve_price(prices, None, None, T0).rule is PriceRule.LIST


def test_an_offer_never_raises_the_price() -> None:
    member = MemberPrice.create(uuid.uuid4(), "gold", Decimal(95), "CNY", TIERS)
    prices = SkuPrices(SKU, cny(100), [ChannelPrice(SHOP, cny(90))], [member], [promotion(99)])
    quote = resolve_price(prices, SHOP, "gold", T0)
    assert (quote.amount, quote.rule) == (cny(90), PriceRule.CHANNEL)


def test_ties_name_the_rule_in_the_documented_order() -> None:
    member = MemberPrice.create(uuid.uuid4(), "gold", Decimal(90), "CNY", TIERS)
    specific, general = promotion(90, channel=SHOP), promotion(90)
    prices = SkuPrices(SKU, cny(90), [], [member], [general, specific])
    quote = resolve_price(prices, SHOP, "gold", T0)
    assert (quote.rule, quote.rule_id) == (PriceRule.PROMOTION, specific.id)
    assert resolve_price(SkuPrices(SKU, cny(90), [], [member]), SHOP, "gold", T0).rule is (
        PriceRule.MEMBER
    )


def test_member_prices_apply_to_their_tier_only() -> None:
    gold = MemberPrice.create(uuid.uuid4(), "gold", Decimal(80), "CNY", TIERS)
    silver = MemberPrice.create(uuid.uuid4(), "silver", Decimal(90), "CNY", TIERS)
    prices = SkuPrices(SKU, cny(100), [], [gold, silver])
    assert resolve_price(prices, SHOP, "gold", T0).rule_id == gold.id
    assert resolve_price(prices, SHOP, "silver", T0).rule_id == silver.id
    assert resolve_price(prices, SHOP, None, T0).rule is PriceRule.LIST
    assert resolve_price(prices, SHOP, "bronze", T0).rule is PriceRule.LIST
    with pytest.raises(ValidationFailed) as caught:
        MemberPrice.create(uuid.uuid4(), "bronze", Decimal(1), "CNY", TIERS)
    assert caught.value.errors[0].code == "unknown_membership_tier"


def test_no_base_price_is_an_error_even_with_offers() -> None:
    prices = SkuPrices(SKU, None, [ChannelPrice(TMALL, cny(5))], [], [promotion(1)])
    with pytest.raises(Conflict) as caught:
        resolve_price(prices, SHOP, None, T0)
    assert caught.value.code == "sku_has_no_price"
    assert resolve_price(prices, TMALL, None, T0).amount == cny(1)


# --- any combination, with any amounts and windows --------------------------------------

amounts = st.integers(0, 300)
offsets = st.integers(-5, 5)  # hours from T0
promotions = st.tuples(
    amounts, offsets, st.one_of(st.none(), st.integers(1, 6)), st.sampled_from([SHOP, TMALL, None])
)


@given(
    st.one_of(st.none(), amounts),
    st.one_of(st.none(), amounts),
    st.one_of(st.none(), amounts),
    st.lists(st.tuples(st.sampled_from(TIERS), amounts), max_size=3),
    st.lists(promotions, max_size=4),
    st.sampled_from([SHOP, TMALL, None]),
    st.sampled_from([*TIERS, None]),
    offsets,
)
def test_precedence_for_any_rules_amounts_and_times(
    list_amount: int | None,
    shop_amount: int | None,
    tmall_amount: int | None,
    member_specs: list[tuple[str, int]],
    promotion_specs: list[tuple[int, int, int | None, UUID | None]],
    channel: UUID | None,
    tier: str | None,
    at_offset: int,
) -> None:
    """Precedence invariants: the base is the buyer channel's price, else the list price;
    the quote is the lowest of the base and the applicable offers (the buyer tier's member
    prices, the promotions active at that instant on that channel or on all channels); it
    is never above the base; the rule named is applicable, has exactly that amount and is
    the first in the tie order among those that do; rules of other tiers, channels or
    times are never named."""
    channel_prices = [
        ChannelPrice(c, cny(a))
        for c, a in ((SHOP, shop_amount), (TMALL, tmall_amount))
        if a is not None
    ]
    members = [
        MemberPrice.create(uuid.uuid4(), t, Decimal(a), "CNY", TIERS) for t, a in member_specs
    ]
    promos = [
        promotion(a, T0 + timedelta(hours=s), T0 + timedelta(hours=s + d) if d else None, c)
        for a, s, d, c in promotion_specs
    ]
    prices = SkuPrices(
        SKU, cny(list_amount) if list_amount is not None else None, channel_prices, members, promos
    )
    at = T0 + timedelta(hours=at_offset)

    base = next((p for p in channel_prices if p.channel_id == channel), None)
    base_quote = (base.amount, PriceRule.CHANNEL, base.channel_id) if base else None
    if base_quote is None and list_amount is not None:
        base_quote = (cny(list_amount), PriceRule.LIST, SKU)
    if base_quote is None:
        with pytest.raises(Conflict):
            resolve_price(prices, channel, tier, at)
        return
    applicable = [base_quote]
    applicable += [(m.amount, PriceRule.MEMBER, m.id) for m in members if m.tier == tier]
    applicable += [
        (p.amount, PriceRule.PROMOTION, p.id)
        for p in promos
        if p.starts_at <= at
        and (p.ends_at is None or at < p.ends_at)
        and p.channel_id in (None, channel)
    ]

    quote = resolve_price(prices, channel, tier, at)
    assert quote.amount.amount <= base_quote[0].amount
    assert quote.amount.amount == min(a.amount for a, _, _ in applicable)
    assert (quote.amount, quote.rule, quote.rule_id) in applicable
    lowest_rules = {rule for amount, rule, _ in applicable if amount == quote.amount}
    assert quote.rule == min(lowest_rules, key=TIE_ORDER.index)


# --- time windows and time zones ----------------------------------------------------------

instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)
)


@given(
    instants,
    st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(days=60)),
    instants,
)
def test_a_window_includes_its_start_and_excludes_its_end(
    start: datetime, length: timedelta, at: datetime
) -> None:
    """Time window: active exactly when start ≤ at < end — at the start instant yes, at the
    end instant no, a microsecond before the end yes."""
    window = promotion(1, start, start + length)
    assert window.active_at(at) == (start <= at < start + length)
    assert window.active_at(start)
    assert not window.active_at(start + length)
    assert window.active_at(start + length - timedelta(microseconds=1))
    assert not window.active_at(start - timedelta(microseconds=1))


@given(instants, st.sampled_from(["Asia/Shanghai", "America/New_York", "Asia/Kolkata", "UTC"]))
def test_the_time_zone_of_the_question_does_not_matter(at: datetime, zone: str) -> None:
    """Time zones: windows compare instants, so asking in any zone gives the same answer."""
    window = promotion(1, T0, T0 + timedelta(days=1))
    assert window.active_at(at) == window.active_at(at.astimezone(ZoneInfo(zone)))


def test_a_window_typed_in_the_tenants_time_zone() -> None:
    start, end = local_window(datetime(2026, 11, 11), datetime(2026, 11, 12), "Asia/Shanghai")
    window = promotion(50, start, end)
    assert start == T0
    assert window.active_at(datetime(2026, 11, 10, 16, 0, tzinfo=UTC))
    assert not window.active_at(datetime(2026, 11, 10, 15, 59, 59, tzinfo=UTC))
    assert window.active_at(datetime(2026, 11, 11, 23, 59, tzinfo=timezone(timedelta(hours=8))))
    assert not window.active_at(datetime(2026, 11, 11, 16, 0, tzinfo=UTC))


def test_daylight_saving_edges_in_a_tenant_time_zone() -> None:
    """Skipped wall-clock time reads with the offset before the change (an hour later);
    repeated wall-clock time means its first occurrence."""
    skipped, _ = local_window(datetime(2026, 3, 8, 2, 30), None, "America/New_York")
    assert skipped.astimezone(UTC) == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    repeated, _ = local_window(datetime(2026, 11, 1, 1, 30), None, "America/New_York")
    assert repeated.astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    with pytest.raises(ValidationFailed) as caught:
        local_window(datetime(2026, 1, 1), None, "Mars/Olympus")
    assert caught.value.errors[0].code == "unknown_time_zone"


def test_promotions_need_aware_times_and_a_window_that_ends_after_it_starts() -> None:
    with pytest.raises(ValidationFailed) as caught:
        Promotion.create(uuid.uuid4(), Decimal(1), "CNY", datetime(2026, 1, 1), None)
    assert caught.value.errors[0].code == "time_zone_required"
    with pytest.raises(ValidationFailed) as caught:
        Promotion.create(uuid.uuid4(), Decimal(1), "CNY", T0, T0)
    assert caught.value.errors[0].code == "must_be_after_start"
    with pytest.raises(ValueError):
        resolve_price(SkuPrices(SKU, cny(1)), None, None, datetime(2026, 1, 1))
