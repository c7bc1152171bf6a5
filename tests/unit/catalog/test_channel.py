"""Sales channels and per-channel listings (CAT-7, CHN-1): 上架 / 下架 rules and events."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from domain.catalog.channel import (
    ChannelKind,
    Listing,
    SalesChannel,
    must_unpublish,
    unpriced_on_channel,
)
from domain.catalog.pricing import SkuPrices, resolve_price
from domain.catalog.product import Lifecycle
from domain.shared.errors import FieldError, ValidationFailed
from domain.shared.money import Money
from tests.unit.catalog.test_builders import AT, CURRENCY, LATER, sku, tee


def _channel(**kwargs: object) -> SalesChannel:
    values: dict[str, object] = {"code": "tmall_flagship", "name": "天猫旗舰店"}
    values.update(kwargs)
    kind = values.pop("kind", ChannelKind.MARKETPLACE)
    platform = values.pop("platform", "tmall")
    return SalesChannel.create(uuid.uuid4(), kind=kind, platform=platform, **values)  # type: ignore[arg-type]


def test_channels_are_checked() -> None:
    assert _channel().platform == "tmall"
    SalesChannel.create(uuid.uuid4(), "store_sh_1", "上海门店", ChannelKind.OFFLINE_STORE)
    with pytest.raises(ValidationFailed) as caught:
        SalesChannel.create(uuid.uuid4(), "Bad Code", " ", ChannelKind.MARKETPLACE, "ebay")
    assert {(e.field, e.code) for e in caught.value.errors} == {
        ("code", "invalid_channel_code"),
        ("name", "required"),
        ("platform", "invalid_choice"),
    }
    with pytest.raises(ValidationFailed) as caught:
        SalesChannel.create(uuid.uuid4(), "own", "官网", ChannelKind.OWN_SHOP, "tmall")
    assert caught.value.errors[0].code == "not_applicable"


@pytest.mark.parametrize("code", ["tmall-main", "tmall_stores", "jd2", "ab"])
def test_a_shop_group_is_a_short_lower_case_code(code: str) -> None:
    channel = _channel(shop_group=code)
    assert channel.shop_group == code
    assert channel.set_shop_group(code) is False and channel.version == 1  # no change
    assert channel.set_shop_group(None) is True and channel.shop_group is None
    assert channel.version == 2


@pytest.mark.parametrize(
    "code",
    ["", "a", "Tmall", "天猫", "-tmall", "1tmall", "tmall main", "x" * 33, str(uuid.UUID(int=1))],
)
def test_a_bad_shop_group_is_refused_on_create_and_on_change(code: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        _channel(shop_group=code)
    assert [(e.field, e.code) for e in caught.value.errors] == [("shopGroup", "invalid_shop_group")]
    channel = _channel()
    with pytest.raises(ValidationFailed):
        channel.set_shop_group(code)
    assert channel.shop_group is None and channel.version == 1


def test_publishing_a_new_product_records_the_event_once() -> None:
    product, channel = tee(), _channel()
    listing = Listing(product.id, channel.id)
    assert listing.publish(product, channel, LATER) is True
    assert listing.published and listing.published_at == LATER
    [event] = listing.events
    assert (event.event_type, event.entity_id, event.data) == (
        "product.published",
        product.id,
        {"channelId": str(channel.id)},
    )
    assert listing.publish(product, channel, LATER) is False and len(listing.events) == 1
    assert [c.field for c in product.launch(LATER)] == ["lifecycle"]  # the use case's part
    assert listing.unpublish(LATER) is True and listing.unpublish(LATER) is False
    assert [e.event_type for e in listing.events] == ["product.published", "product.unpublished"]


def test_every_blocker_is_reported_at_once() -> None:
    product = tee([sku("A", price=None), sku("B", size="L", price=None)])
    product.lifecycle = Lifecycle.DISCONTINUED
    channel = _channel()
    channel.set_active(False)
    listing = Listing(product.id, channel.id)
    with pytest.raises(ValidationFailed) as caught:
        listing.publish(product, channel, LATER)
    assert {(e.field, e.code) for e in caught.value.errors} == {
        ("channelId", "channel_inactive"),
        ("lifecycle", "lifecycle_not_publishable"),
        ("skus[A]", "sku_has_no_price"),
        ("skus[B]", "sku_has_no_price"),
    }
    assert not listing.published and not listing.events


def test_a_channel_price_is_enough_to_publish_and_is_what_the_channel_charges() -> None:
    product = tee([sku("A", price=None)])
    channel = _channel()
    listing = Listing(product.id, channel.id)
    only = product.skus[0].id
    assert listing.set_prices(product, {only: Decimal("129.00")}, CURRENCY) is True
    assert listing.set_prices(product, {only: Decimal("129")}, CURRENCY) is False
    assert listing.publish(product, channel, LATER)
    quote = resolve_price(SkuPrices(only, None, listing.channel_prices(only)), channel.id, None, AT)
    assert quote.amount.amount == Decimal("129.00")


def test_listing_prices_are_for_the_products_skus() -> None:
    product = tee()
    listing = Listing(product.id, uuid.uuid4())
    stranger = uuid.uuid4()
    with pytest.raises(ValidationFailed) as caught:
        listing.set_prices(
            product, {stranger: Decimal(1), product.skus[0].id: Decimal("-1")}, CURRENCY
        )
    assert {e.code for e in caught.value.errors} == {"unknown_sku", "must_not_be_negative"}


@pytest.mark.parametrize(
    ("lifecycle", "publishable"),
    [
        (Lifecycle.NEW, True),
        (Lifecycle.ACTIVE, True),
        (Lifecycle.PHASING_OUT, True),
        (Lifecycle.DISCONTINUED, False),
    ],
)
def test_which_lifecycles_sell(lifecycle: Lifecycle, publishable: bool) -> None:
    product, channel = tee(), _channel()
    product.lifecycle = lifecycle
    assert must_unpublish(product) is not publishable
    listing = Listing(product.id, channel.id)
    if publishable:
        assert listing.publish(product, channel, LATER)
    else:
        with pytest.raises(ValidationFailed):
            listing.publish(product, channel, LATER)


def test_archived_products_and_products_without_skus_do_not_publish() -> None:
    channel = _channel()
    empty = tee([])
    with pytest.raises(ValidationFailed) as caught:
        Listing(empty.id, channel.id).publish(empty, channel, LATER)
    assert [e.code for e in caught.value.errors] == ["product_has_no_skus"]
    archived = tee()
    archived.archive(LATER)
    assert must_unpublish(archived)
    with pytest.raises(ValidationFailed) as caught:
        Listing(archived.id, channel.id).publish(archived, channel, LATER)
    assert [e.code for e in caught.value.errors] == ["product_archived"]


def test_unpriced_on_channel_names_the_sku_and_the_channel() -> None:
    product = tee([sku("A", price=None), sku("B", size="L")])
    channel = _channel()
    assert unpriced_on_channel(product, channel, {}) == [
        FieldError("skus[A]", "sku_unpriced_on_channel", {"sku": "A", "channel": "天猫旗舰店"})
    ]
    priced = {product.skus[0].id: Money(Decimal("99"), CURRENCY)}
    assert unpriced_on_channel(product, channel, priced) == []
    channel.set_active(False)  # only the price rule: other blockers are not a revision's
    assert unpriced_on_channel(product, channel, priced) == []


def test_a_published_product_keeps_an_active_sku() -> None:
    """Archiving every SKU of a published product would leave its listing empty."""
    product = tee([sku("A", archived=True)])
    assert unpriced_on_channel(product, _channel(), {}) == [
        FieldError("skus", "published_product_has_no_skus", {"channel": "天猫旗舰店"})
    ]
