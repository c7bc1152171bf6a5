"""Channels and publishing on fakes (CHN-1, CAT-7): every blocker reported at once,
launching a new product, no-op publications, unpublishing on archive, discontinuation and
channel deactivation, published listings never losing a price; a channel's shop group
(ORD-4) set, changed and cleared, audited."""

from __future__ import annotations

import uuid

import pytest

from application.catalog.channels import ChangeChannel, ChannelChanges, CreateChannel
from application.catalog.common import KEEP
from application.catalog.listings import (
    ListingsOf,
    PublishListing,
    SetListingPrices,
    UnpublishListing,
)
from application.catalog.products import ArchiveProduct, CreateProduct, GetProduct, ReviseProduct
from application.catalog.reads import ListChannels
from domain.catalog.channel import ListingStatus, SalesChannel
from domain.catalog.product import Lifecycle
from domain.shared.errors import Conflict, PermissionDenied, ValidationFailed
from tests.unit.catalog.use_cases.shop import Shop, amount, ctx, product_data, sku


async def own_shop(shop: Shop, code: str = "own_shop") -> SalesChannel:
    return await shop.run(ctx(), CreateChannel(code, "官网", "own_shop", None))


async def test_channel_create_rename_and_rules(shop: Shop) -> None:
    tmall = await shop.run(
        ctx("marketing"), CreateChannel("tmall_flagship", "天猫旗舰店", "marketplace", "tmall")
    )
    assert shop.events[-1].data == {"code": "tmall_flagship"}
    with pytest.raises(Conflict) as taken:
        await shop.run(ctx(), CreateChannel("tmall_flagship", "另一个", "marketplace", "tmall"))
    assert taken.value.code == "channel_code_taken"
    with pytest.raises(ValidationFailed) as invalid:
        await shop.run(ctx(), CreateChannel("Bad Code", "", "own_shop", "tmall"))
    assert {(e.field, e.code) for e in invalid.value.errors} == {
        ("code", "invalid_channel_code"),
        ("name", "required"),
        ("platform", "not_applicable"),
    }
    with pytest.raises(ValidationFailed) as kind:
        await shop.run(ctx(), CreateChannel("pos", "门店", "kiosk", None))
    assert kind.value.errors[0].field == "kind"
    renamed = await shop.run(ctx(), ChangeChannel(tmall.id, ChannelChanges(name="天猫店"), 1))
    assert renamed.version == 2 and shop.events[-1].changed_fields == ("name",)
    page = await shop.query(ctx("warehouse"), ListChannels.window(None, None))
    assert [c.code for c in page.items] == ["tmall_flagship"]


async def test_publishing_a_new_product_launches_it(shop: Shop) -> None:
    channel = await own_shop(shop)
    created = await shop.run(ctx(), CreateProduct("EAR", product_data()))
    pid = created.product.id
    shop.forget_history()

    listing = await shop.run(ctx("marketing"), PublishListing(pid, channel.id))

    assert (listing.status, listing.version) == (ListingStatus.PUBLISHED, 1)
    product = (await shop.query(ctx(), GetProduct(pid))).product
    assert (product.lifecycle, product.version) == (Lifecycle.ACTIVE, 2)
    assert [e.action for e in shop.audit] == ["product.launch", "listing.publish"]
    assert shop.audit[1].detail == {"channelId": str(channel.id), "version": 1}
    assert [(c.field, c.before, c.after) for c in shop.audit[1].changes] == [
        ("status", "unpublished", "published")
    ]
    assert [(e.event_type, e.changed_fields, e.data) for e in shop.events] == [
        ("product.updated", ("lifecycle",), {}),
        ("product.published", ("status",), {"channelId": str(channel.id)}),
    ]

    shop.forget_history()
    again = await shop.run(ctx(), PublishListing(pid, channel.id))  # already published
    assert again.version == 1 and shop.audit == [] and shop.events == []


async def test_every_blocker_is_reported_at_once_and_nothing_is_written(shop: Shop) -> None:
    channel = await own_shop(shop)
    await shop.run(ctx(), ChangeChannel(channel.id, ChannelChanges(active=False), 1))
    created = await shop.run(
        ctx(),
        CreateProduct("EAR", product_data(skus=(sku("EAR-1", None),), lifecycle="discontinued")),
    )
    shop.forget_history()

    with pytest.raises(ValidationFailed) as caught:
        await shop.run(ctx(), PublishListing(created.product.id, channel.id))

    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("channelId", "channel_inactive"),
        ("lifecycle", "lifecycle_not_publishable"),
        ("skus[EAR-1]", "sku_has_no_price"),
    ]
    assert await shop.query(ctx(), ListingsOf(created.product.id)) == []
    assert shop.events == []
    [entry] = shop.audit
    assert (entry.action, entry.outcome, entry.entity_id) == (
        "listing.publish",
        "failed",
        created.product.id,
    )


async def test_a_channel_price_lets_an_unpriced_sku_be_published(shop: Shop) -> None:
    channel = await own_shop(shop)
    created = await shop.run(ctx(), CreateProduct("EAR", product_data(skus=(sku("EAR-1", None),))))
    sku_id = created.skus[0].id

    listing = await shop.run(
        ctx(), PublishListing(created.product.id, channel.id, {sku_id: amount("88.8")})
    )

    assert str(listing.prices[sku_id].amount) == "88.80"
    assert ("product.updated", ("channelPrices",)) in [
        (e.event_type, e.changed_fields) for e in shop.events
    ]
    # Removing that price from the published listing would leave the SKU unpriced.
    with pytest.raises(ValidationFailed) as caught:
        await shop.run(ctx(), SetListingPrices(created.product.id, channel.id, {sku_id: None}, 1))
    assert [e.code for e in caught.value.errors] == ["sku_has_no_price"]
    [stored] = await shop.query(ctx(), ListingsOf(created.product.id))
    assert sku_id in stored.prices and stored.version == 1


async def test_a_revision_may_not_unprice_a_published_sku(shop: Shop) -> None:
    channel = await own_shop(shop)
    created = await shop.run(ctx(), CreateProduct("EAR", product_data()))
    pid, sku_id = created.product.id, created.skus[0].id
    await shop.run(ctx(), PublishListing(pid, channel.id))

    with pytest.raises(ValidationFailed) as caught:
        await shop.run(
            ctx(), ReviseProduct(pid, product_data(skus=(sku("EAR-1", None, id=sku_id),)), 2)
        )

    assert [(e.code, e.params.get("channel")) for e in caught.value.errors] == [
        ("sku_unpriced_on_channel", "官网")
    ]
    product = (await shop.query(ctx(), GetProduct(pid))).product
    assert product.version == 2 and product.skus[0].list_price is not None


async def test_unpublish_is_always_allowed_and_a_second_one_is_no_change(shop: Shop) -> None:
    channel = await own_shop(shop)
    created = await shop.run(ctx(), CreateProduct("EAR", product_data()))
    pid = created.product.id
    await shop.run(ctx(), PublishListing(pid, channel.id))
    shop.forget_history()

    listing = await shop.run(ctx(), UnpublishListing(pid, channel.id))
    assert (listing.status, listing.version) == (ListingStatus.UNPUBLISHED, 2)
    assert [e.event_type for e in shop.events] == ["product.unpublished"]
    assert shop.audit[0].action == "listing.unpublish"

    shop.forget_history()
    await shop.run(ctx(), UnpublishListing(pid, channel.id))
    assert shop.audit == [] and shop.events == []


async def test_archiving_or_discontinuing_unpublishes_everywhere(shop: Shop) -> None:
    web, shop2 = await own_shop(shop), await own_shop(shop, "pos_shanghai")
    archived = await shop.run(ctx(), CreateProduct("EAR", product_data()))
    stopped = await shop.run(ctx(), CreateProduct("HEAD", product_data(skus=(sku("HEAD-1"),))))
    for product in (archived, stopped):
        for channel in (web, shop2):
            await shop.run(ctx(), PublishListing(product.product.id, channel.id))
    shop.forget_history()

    await shop.run(ctx(), ArchiveProduct(archived.product.id, 2))
    await shop.run(
        ctx(),
        ReviseProduct(
            stopped.product.id,
            product_data(skus=(sku("HEAD-1", id=stopped.skus[0].id),), lifecycle="discontinued"),
            2,
        ),
    )

    for product in (archived, stopped):
        listings = await shop.query(ctx(), ListingsOf(product.product.id))
        assert [x.status for x in listings] == [ListingStatus.UNPUBLISHED] * 2
    assert [e.action for e in shop.audit] == [
        "product.archive",
        "listing.unpublish_product_archived",
        "listing.unpublish_product_archived",
        "product.update",
        "listing.unpublish_product_discontinued",
        "listing.unpublish_product_discontinued",
    ]
    assert [e.event_type for e in shop.events].count("product.unpublished") == 4


async def test_deactivating_a_channel_unpublishes_its_listings_only(shop: Shop) -> None:
    web, pos = await own_shop(shop), await own_shop(shop, "pos_shanghai")
    created = await shop.run(ctx(), CreateProduct("EAR", product_data()))
    pid = created.product.id
    await shop.run(ctx(), PublishListing(pid, web.id))
    await shop.run(ctx(), PublishListing(pid, pos.id))
    shop.forget_history()

    await shop.run(ctx(), ChangeChannel(pos.id, ChannelChanges(active=False), 1))

    by_channel = {x.channel_id: x.status for x in await shop.query(ctx(), ListingsOf(pid))}
    assert by_channel == {web.id: ListingStatus.PUBLISHED, pos.id: ListingStatus.UNPUBLISHED}
    assert [e.action for e in shop.audit] == [
        "sales_channel.update",
        "listing.unpublish_channel_deactivated",
    ]
    # Reactivating publishes nothing back.
    await shop.run(ctx(), ChangeChannel(pos.id, ChannelChanges(active=True), 2))
    assert (
        await shop.read(lambda s: s.listings.get(pid, pos.id))
    ).status is ListingStatus.UNPUBLISHED


async def test_publishing_needs_catalog_publish(shop: Shop) -> None:
    channel = await own_shop(shop)
    created = await shop.run(ctx(), CreateProduct("EAR", product_data()))
    with pytest.raises(PermissionDenied):
        await shop.run(ctx("warehouse"), PublishListing(created.product.id, channel.id))
    assert shop.audit[-1].detail == {"error": "permission_denied", "permission": "catalog:publish"}
    with pytest.raises(ValidationFailed) as unknown:
        await shop.run(ctx(), PublishListing(created.product.id, uuid.uuid4()))
    assert unknown.value.errors[0].code == "unknown_channel"


async def test_a_channels_shop_group_is_set_changed_cleared_and_audited(shop: Shop) -> None:
    tmall = await shop.run(
        ctx("marketing"),
        CreateChannel("tmall_a", "天猫旗舰店", "marketplace", "tmall", "tmall-main"),
    )
    assert tmall.shop_group == "tmall-main" and tmall.version == 1
    assert ("shopGroup", None, "tmall-main") in [
        (c.field, c.before, c.after) for c in shop.audit[-1].changes
    ]
    assert (await shop.read(lambda s: s.channels.shop_groups())) == {tmall.id: "tmall-main"}
    with pytest.raises(ValidationFailed) as invalid:
        await shop.run(ctx(), CreateChannel("jd", "京东", "marketplace", "jd", "JD Main"))
    assert [(e.field, e.code) for e in invalid.value.errors] == [
        ("shopGroup", "invalid_shop_group")
    ]
    shop.forget_history()

    moved = await shop.run(
        ctx(), ChangeChannel(tmall.id, ChannelChanges(shop_group="tmall_all"), 1)
    )
    assert moved.shop_group == "tmall_all" and moved.version == 2
    [entry] = shop.audit
    assert (entry.action, [(c.field, c.before, c.after) for c in entry.changes]) == (
        "sales_channel.update",
        [("shopGroup", "tmall-main", "tmall_all")],
    )
    assert shop.events[-1].changed_fields == ("shopGroup",)
    same = await shop.run(ctx(), ChangeChannel(tmall.id, ChannelChanges(shop_group=KEEP), 2))
    assert same.version == 2 and same.shop_group == "tmall_all"  # kept: nothing written
    with pytest.raises(ValidationFailed) as both:
        await shop.run(ctx(), ChangeChannel(tmall.id, ChannelChanges(name="", shop_group="-x"), 2))
    assert {(e.field, e.code) for e in both.value.errors} == {
        ("name", "required"),
        ("shopGroup", "invalid_shop_group"),
    }  # every mistake at once
    cleared = await shop.run(ctx(), ChangeChannel(tmall.id, ChannelChanges(shop_group=None), 2))
    assert cleared.shop_group is None and cleared.version == 3
    assert (await shop.read(lambda s: s.channels.shop_groups())) == {}
