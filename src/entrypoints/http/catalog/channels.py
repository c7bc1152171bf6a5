"""/api/v1/catalog: sales channels, listings (上架/下架) with channel prices, and the
company's membership tiers (CAT-7, CAT-10, CHN-1)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from msgspec import UNSET

from application.catalog.channels import ChannelChanges, ChannelService
from application.catalog.listings import ListingService
from application.catalog.membership_tiers import MembershipTierService
from application.catalog.ports.channels import TierSettings
from domain.catalog.channel import Listing, SalesChannel
from entrypoints.http.catalog.schemas.channels import (
    ChannelIn,
    ChannelOut,
    ChannelPageOut,
    ChannelPatch,
    ChannelPricesIn,
    ListingOut,
    ListingsOut,
    PublishIn,
    TierOut,
    TiersIn,
    TiersOut,
    UnpublishIn,
)
from entrypoints.http.conventions import Cursor, Limit, Rendered, etagged, with_etag
from entrypoints.http.dependencies import Context, ExpectedVersion, Idempotent
from entrypoints.http.permissions import needs

CHANNELS = "/api/v1/catalog/channels"
PRODUCTS = "/api/v1/catalog/products"
TIERS = "/api/v1/catalog/membership-tiers"


def channel_out(channel: SalesChannel) -> ChannelOut:
    return ChannelOut.of(channel, kind=str(channel.kind))


def listing_out(listing: Listing) -> ListingOut:
    return ListingOut.of(
        listing,
        status=str(listing.status),
        prices={
            str(k): v.amount for k, v in sorted(listing.prices.items(), key=lambda i: str(i[0]))
        },
    )


def _listing(listing: Listing) -> Rendered[ListingOut]:
    return Rendered(listing_out(listing), version=listing.version)


class ChannelsController(Controller):
    path = "/channels"

    @get("/", opt=needs(ChannelService.list_channels))
    async def list_channels(
        self,
        ctx: Context,
        channels: NamedDependency[ChannelService],
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> ChannelPageOut:
        """Every channel, deactivated ones included, in creation order."""
        page = await channels.list_channels(ctx, cursor, limit)
        return ChannelPageOut.of_page(page, channel_out)

    @post("/", opt=needs(ChannelService.create))
    async def create_channel(
        self,
        ctx: Context,
        channels: NamedDependency[ChannelService],
        idempotency: Idempotent,
        data: JSONBody[ChannelIn],
    ) -> Response[ChannelOut]:
        return await idempotency.created(
            lambda: channels.create(ctx, data.code, data.name, data.kind, data.platform),
            lambda channel: Rendered(
                channel_out(channel), f"{CHANNELS}/{channel.id}", channel.version
            ),
        )

    @get("/{channel_id:uuid}", opt=needs(ChannelService.get))
    async def get_channel(
        self, ctx: Context, channels: NamedDependency[ChannelService], channel_id: FromPath[UUID]
    ) -> Response[ChannelOut]:
        return etagged(channel_out, await channels.get(ctx, channel_id))

    @patch("/{channel_id:uuid}", opt=needs(ChannelService.change))
    async def change_channel(
        self,
        ctx: Context,
        channels: NamedDependency[ChannelService],
        channel_id: FromPath[UUID],
        data: JSONBody[ChannelPatch],
        expected_version: ExpectedVersion,
    ) -> Response[ChannelOut]:
        """Rename, deactivate (``active: false``: everything on it is unpublished in the
        same transaction) or reactivate. Channels are never deleted."""
        changes = ChannelChanges(
            name=None if data.name is UNSET else data.name,
            active=None if data.active is UNSET else data.active,
        )
        channel = await channels.change(ctx, channel_id, changes, expected_version)
        return etagged(channel_out, channel)


class ListingsController(Controller):
    path = "/products"

    @get("/{product_id:uuid}/listings", opt=needs(ListingService.listings_of))
    async def list_product_listings(
        self, ctx: Context, listings: NamedDependency[ListingService], product_id: FromPath[UUID]
    ) -> ListingsOut:
        """The product's listings: on which channels it is published, at which prices."""
        found = await listings.listings_of(ctx, product_id)
        return ListingsOut([listing_out(x) for x in found])

    @post("/{product_id:uuid}/publish", status_code=200, opt=needs(ListingService.publish))
    async def publish_product(
        self,
        ctx: Context,
        listings: NamedDependency[ListingService],
        idempotency: Idempotent,
        product_id: FromPath[UUID],
        data: JSONBody[PublishIn],
    ) -> Response[ListingOut]:
        """上架 on one channel, with its channel prices replaced first when ``prices`` is
        sent. Every reason it cannot be published comes back at once (422). A ``new``
        product is launched (becomes ``active``)."""
        return await idempotency.respond(
            lambda: listings.publish(ctx, product_id, data.channel_id, data.prices), _listing
        )

    @post("/{product_id:uuid}/unpublish", status_code=200, opt=needs(ListingService.unpublish))
    async def unpublish_product(
        self,
        ctx: Context,
        listings: NamedDependency[ListingService],
        idempotency: Idempotent,
        product_id: FromPath[UUID],
        data: JSONBody[UnpublishIn],
    ) -> Response[ListingOut]:
        """下架 from one channel; unpublishing what is not published changes nothing."""
        return await idempotency.respond(
            lambda: listings.unpublish(ctx, product_id, data.channel_id), _listing
        )

    @put("/{product_id:uuid}/channel-prices", opt=needs(ListingService.set_prices))
    async def set_channel_prices(
        self,
        ctx: Context,
        listings: NamedDependency[ListingService],
        product_id: FromPath[UUID],
        data: JSONBody[ChannelPricesIn],
        expected_version: ExpectedVersion,
    ) -> Response[ListingOut]:
        """The product's channel prices on one channel, as a whole. If-Match: the listing's
        ETag (not needed for a product's first prices on a channel)."""
        listing = await listings.set_prices(
            ctx, product_id, data.channel_id, data.prices, expected_version
        )
        return etagged(listing_out, listing)


def _tiers_response(settings: TierSettings) -> Response[TiersOut]:
    body = TiersOut([TierOut(t.code, t.name) for t in settings.tiers], settings.version)
    return with_etag(body, settings.version)


class MembershipTiersController(Controller):
    path = "/membership-tiers"

    @get("/", opt=needs(MembershipTierService.get))
    async def get_membership_tiers(
        self, ctx: Context, tiers: NamedDependency[MembershipTierService]
    ) -> Response[TiersOut]:
        """The company's membership tiers, lowest first (ETag "v0" until first set)."""
        return _tiers_response(await tiers.get(ctx))

    @put("/", opt=needs(MembershipTierService.replace))
    async def replace_membership_tiers(
        self,
        ctx: Context,
        tiers: NamedDependency[MembershipTierService],
        data: JSONBody[TiersIn],
        expected_version: ExpectedVersion,
    ) -> Response[TiersOut]:
        """Replaces the list; a tier still used by member prices cannot be removed."""
        settings = await tiers.replace(
            ctx, [(t.code, t.name) for t in data.tiers], expected_version
        )
        return _tiers_response(settings)
