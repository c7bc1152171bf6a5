"""Member prices, promotions and the price quote on fakes (CAT-10): the precedence rule
end to end, promotion windows in the tenant's time zone, tiers in use, audit and events."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from uuid import UUID

import pytest

from application.catalog.channels import CreateChannel
from application.catalog.listings import SetListingPrices
from application.catalog.member_prices import (
    ChangeMemberPrice,
    CreateMemberPrice,
    DeleteMemberPrice,
    MemberPricesOfSku,
)
from application.catalog.membership_tiers import GetTiers, ReplaceTiers
from application.catalog.price_quotes import QuotePrice
from application.catalog.products import CreateProduct
from application.catalog.promotions import (
    ChangePromotion,
    CreatePromotion,
    DeletePromotion,
    PromotionData,
    PromotionsOfSku,
)
from application.shared.reads import id_window
from domain.catalog.pricing import PriceRule
from domain.shared.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    StaleVersion,
    ValidationFailed,
)
from tests.unit.catalog.use_cases.shop import Shop, amount, ctx, product_data, sku


async def priced_sku(shop: Shop, list_price: str = "100") -> UUID:
    created = await shop.run(
        ctx(), CreateProduct("EAR", product_data(skus=(sku("EAR-1", list_price),)))
    )
    return created.skus[0].id


async def gold_and_silver(shop: Shop) -> None:
    await shop.run(ctx(), ReplaceTiers([("silver", "银卡"), ("gold", "金卡")], 0))


async def quote(
    shop: Shop,
    sku_id: UUID,
    channel: UUID | None = None,
    tier: str | None = None,
    at: datetime | None = None,
) -> tuple[Decimal, PriceRule]:
    view = await shop.query(ctx("warehouse"), QuotePrice(sku_id, channel, tier, at))
    return view.quote.amount.amount, view.quote.rule


async def test_the_buyer_pays_the_lowest_offer_over_the_channels_base_price(shop: Shop) -> None:
    sku_id = await priced_sku(shop, "100")
    await gold_and_silver(shop)
    market = await shop.run(ctx(), CreateChannel("tmall", "天猫", "marketplace", "tmall"))
    web = await shop.run(ctx(), CreateChannel("web", "官网", "own_shop", None))
    product_id = await shop.read(lambda s: s.prices.product_of_sku(sku_id))
    assert product_id is not None
    await shop.run(ctx(), SetListingPrices(product_id, market.id, {sku_id: amount("120")}, None))
    await shop.run(ctx(), CreateMemberPrice(sku_id, "gold", amount("90")))
    await shop.run(ctx(), CreateMemberPrice(sku_id, "silver", amount("130")))
    await shop.run(
        ctx(),
        CreatePromotion(
            sku_id, PromotionData(amount("80"), datetime(2026, 3, 1, 0, 0), channel_id=web.id)
        ),
    )

    assert await quote(shop, sku_id) == (Decimal("100.00"), PriceRule.LIST)
    # A channel price replaces the list price on its channel, up as well as down.
    assert await quote(shop, sku_id, market.id) == (Decimal("120.00"), PriceRule.CHANNEL)
    assert await quote(shop, sku_id, market.id, "gold") == (Decimal("90.00"), PriceRule.MEMBER)
    # An offer above the base price is never charged.
    assert await quote(shop, sku_id, None, "silver") == (Decimal("100.00"), PriceRule.LIST)
    # The promotion runs on the web shop only.
    assert await quote(shop, sku_id, web.id, "gold") == (Decimal("80.00"), PriceRule.PROMOTION)
    assert await quote(shop, sku_id, market.id, "gold") == (Decimal("90.00"), PriceRule.MEMBER)


async def test_promotion_windows_are_wall_clock_times_of_the_tenant(shop: Shop) -> None:
    sku_id = await priced_sku(shop, "100")
    view = await shop.run(
        ctx(),
        CreatePromotion(
            sku_id,
            PromotionData(amount("70"), datetime(2026, 3, 10, 0, 0), datetime(2026, 3, 11, 0, 0)),
        ),
    )
    assert view.time_zone == "Asia/Shanghai"
    assert view.stored.promotion.starts_at.utcoffset().total_seconds() == 8 * 3600
    before = await quote(shop, sku_id, at=datetime(2026, 3, 9, 23, 59))
    during = await quote(shop, sku_id, at=datetime(2026, 3, 10, 0, 0))
    after = await quote(shop, sku_id, at=datetime(2026, 3, 11, 0, 0))  # the end is exclusive
    assert [before[1], during[1], after[1]] == [PriceRule.LIST, PriceRule.PROMOTION, PriceRule.LIST]
    # Without ``at`` the quote is for now (the clock: 2 March).
    assert (await shop.query(ctx(), QuotePrice(sku_id, None, None, None))).at.isoformat() == (
        "2026-03-02T10:00:00+08:00"
    )


async def test_a_sku_without_a_base_price_has_no_price(shop: Shop) -> None:
    sku_id = await priced_sku(shop, "100")
    unpriced = await shop.run(
        ctx(), CreateProduct("HEAD", product_data(skus=(sku("HEAD-1", None),)))
    )
    with pytest.raises(Conflict) as caught:
        await quote(shop, unpriced.skus[0].id)
    assert caught.value.code == "sku_has_no_price"
    with pytest.raises(NotFound):
        await quote(shop, uuid.uuid4())
    with pytest.raises(ValidationFailed) as unknown:
        await quote(shop, sku_id, uuid.uuid4(), "platinum")
    assert [(e.field, e.code) for e in unknown.value.errors] == [
        ("channel", "unknown_channel"),
        ("tier", "unknown_membership_tier"),
    ]


async def test_member_prices_one_per_tier_with_audit_and_events(shop: Shop) -> None:
    sku_id = await priced_sku(shop)
    await gold_and_silver(shop)
    shop.forget_history()

    gold = await shop.run(ctx("marketing"), CreateMemberPrice(sku_id, "gold", amount("90")))
    with pytest.raises(Conflict) as taken:
        await shop.run(ctx(), CreateMemberPrice(sku_id, "gold", amount("85")))
    with pytest.raises(ValidationFailed) as unknown:
        await shop.run(ctx(), CreateMemberPrice(sku_id, "platinum", amount("85")))
    changed = await shop.run(ctx(), ChangeMemberPrice(gold.id, amount("88"), 1))
    unchanged = await shop.run(ctx(), ChangeMemberPrice(gold.id, amount("88.00"), 2))

    assert taken.value.code == "member_price_taken"
    assert unknown.value.errors[0].code == "unknown_membership_tier"
    assert (changed.version, unchanged.version) == (2, 2)
    assert [(e.action, e.outcome) for e in shop.audit] == [
        ("member_price.create", "success"),
        ("member_price.create", "failed"),
        ("member_price.create", "failed"),
        ("member_price.update", "success"),
    ]
    assert [(e.event_type, e.changed_fields, e.data) for e in shop.events] == [
        ("member_price.created", ("amount", "tier"), {"skuId": str(sku_id), "tier": "gold"}),
        ("member_price.updated", ("amount",), {"skuId": str(sku_id), "tier": "gold"}),
    ]
    assert [m.price.tier for m in await shop.query(ctx(), MemberPricesOfSku(sku_id))] == ["gold"]


async def test_a_tier_a_member_price_names_cannot_be_removed(shop: Shop) -> None:
    sku_id = await priced_sku(shop)
    await gold_and_silver(shop)
    gold = await shop.run(ctx(), CreateMemberPrice(sku_id, "gold", amount("90")))
    with pytest.raises(Conflict) as caught:
        await shop.run(ctx(), ReplaceTiers([("silver", "银卡")], 1))
    assert caught.value.code == "membership_tier_in_use"
    assert [t.code for t in (await shop.query(ctx(), GetTiers())).tiers] == ["silver", "gold"]

    await shop.run(ctx(), DeleteMemberPrice(gold.id, 1))
    settings = await shop.run(ctx(), ReplaceTiers([("silver", "银卡")], 1))
    assert settings.version == 2 and [t.code for t in settings.tiers] == ["silver"]
    assert shop.events[-2].event_type == "member_price.deleted"
    assert shop.events[-1].event_type == "membership_tiers.updated"


async def test_promotion_change_delete_and_checks(shop: Shop) -> None:
    sku_id = await priced_sku(shop)
    start = datetime(2026, 3, 10, 0, 0)
    view = await shop.run(ctx(), CreatePromotion(sku_id, PromotionData(amount("70"), start)))
    pid = view.stored.id
    with pytest.raises(ValidationFailed) as window:
        await shop.run(
            ctx(), ChangePromotion(pid, PromotionData(amount("70"), start, datetime(2026, 3, 9)), 1)
        )
    assert window.value.errors[0].code == "must_be_after_start"
    same = await shop.run(ctx(), ChangePromotion(pid, PromotionData(amount("70.00"), start), 1))
    assert same.stored.version == 1
    moved = await shop.run(ctx(), ChangePromotion(pid, PromotionData(amount("60"), start), 1))
    assert moved.stored.version == 2 and shop.events[-1].changed_fields == ("amount",)
    with pytest.raises(StaleVersion):
        await shop.run(ctx(), DeletePromotion(pid, 1))
    with pytest.raises(PermissionDenied):
        await shop.run(ctx("purchasing"), DeletePromotion(pid, 2))
    await shop.run(ctx(), DeletePromotion(pid, 2))
    assert (await shop.query(ctx(), PromotionsOfSku(sku_id, *id_window(None, None)))).items == []
    assert [e.event_type for e in shop.events if e.entity_type == "promotion"] == [
        "promotion.created",
        "promotion.updated",
        "promotion.deleted",
    ]
