"""/api/v1/catalog: sales channels, listings (上架/下架) with channel prices, and the
company's membership tiers (CAT-7, CAT-10, CHN-1)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, get, patch, post, put
from litestar.params import FromPath, JSONBody
from msgspec import UNSET

from application.catalog.channels import ChangeChannel, ChannelChanges, CreateChannel
from application.catalog.common import KEEP
from application.catalog.listings import (
    ListingsOf,
    PublishListing,
    SetListingPrices,
    UnpublishListing,
)
from application.catalog.membership_tiers import GetTiers, ReplaceTiers
from application.catalog.ports.channels import TierSettings
from application.catalog.reads import GetChannel, ListChannels
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
from entrypoints.http.dependencies import Context, Dispatch, ExpectedVersion, Idempotent
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

    @get("/", opt=needs(ListChannels))
    async def list_channels(
        self, ctx: Context, use_cases: Dispatch, cursor: Cursor = None, limit: Limit = None
    ) -> ChannelPageOut:
        """Every channel, deactivated ones included, in creation order."""
        page = await use_cases.query(ctx, ListChannels.window(cursor, limit))
        return ChannelPageOut.of_page(page, channel_out)

    @post("/", opt=needs(CreateChannel))
    async def create_channel(
        self, ctx: Context, use_cases: Dispatch, idempotency: Idempotent, data: JSONBody[ChannelIn]
    ) -> Response[ChannelOut]:
        """Create a sales channel (its code is fixed once created), optionally in a shop
        group (``shopGroup``: orders of the group's channels merge, ORD-4)."""
        return await idempotency.created(
            lambda: use_cases.run(
                ctx,
                CreateChannel(data.code, data.name, data.kind, data.platform, data.shop_group),
            ),
            lambda channel: Rendered(
                channel_out(channel), f"{CHANNELS}/{channel.id}", channel.version
            ),
        )

    @get("/{channel_id:uuid}", opt=needs(GetChannel))
    async def get_channel(
        self, ctx: Context, use_cases: Dispatch, channel_id: FromPath[UUID]
    ) -> Response[ChannelOut]:
        """One sales channel of the company."""
        return etagged(channel_out, await use_cases.query(ctx, GetChannel(channel_id)))

    @patch("/{channel_id:uuid}", opt=needs(ChangeChannel))
    async def change_channel(
        self,
        ctx: Context,
        use_cases: Dispatch,
        channel_id: FromPath[UUID],
        data: JSONBody[ChannelPatch],
        expected_version: ExpectedVersion,
    ) -> Response[ChannelOut]:
        """Rename, deactivate (``active: false``: everything on it is unpublished in the
        same transaction), reactivate, or move into a shop group (``shopGroup``; ``null``:
        out of any). Channels are never deleted."""
        changes = ChannelChanges(
            name=None if data.name is UNSET else data.name,
            active=None if data.active is UNSET else data.active,
            shop_group=KEEP if data.shop_group is UNSET else data.shop_group,
        )
        channel = await use_cases.run(ctx, ChangeChannel(channel_id, changes, expected_version))
        return etagged(channel_out, channel)


class ListingsController(Controller):
    path = "/products"

    @get("/{product_id:uuid}/listings", opt=needs(ListingsOf))
    async def list_product_listings(
        self, ctx: Context, use_cases: Dispatch, product_id: FromPath[UUID]
    ) -> ListingsOut:
        """The product's listings: on which channels it is published, at which prices."""
        found = await use_cases.query(ctx, ListingsOf(product_id))
        return ListingsOut([listing_out(x) for x in found])

    @post("/{product_id:uuid}/publish", status_code=200, opt=needs(PublishListing))
    async def publish_product(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        product_id: FromPath[UUID],
        data: JSONBody[PublishIn],
    ) -> Response[ListingOut]:
        """上架 on one channel, with its channel prices replaced first when ``prices`` is
        sent. Every reason it cannot be published comes back at once (422). A ``new``
        product is launched (becomes ``active``)."""
        return await idempotency.respond(
            lambda: use_cases.run(
                ctx, PublishListing(product_id, data.channel_named(), data.prices)
            ),
            _listing,
        )

    @post("/{product_id:uuid}/unpublish", status_code=200, opt=needs(UnpublishListing))
    async def unpublish_product(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        product_id: FromPath[UUID],
        data: JSONBody[UnpublishIn],
    ) -> Response[ListingOut]:
        """下架 from one channel; unpublishing what is not published changes nothing."""
        return await idempotency.respond(
            lambda: use_cases.run(ctx, UnpublishListing(product_id, data.channel_named())), _listing
        )

    @put("/{product_id:uuid}/channel-prices", opt=needs(SetListingPrices))
    async def set_channel_prices(
        self,
        ctx: Context,
        use_cases: Dispatch,
        product_id: FromPath[UUID],
        data: JSONBody[ChannelPricesIn],
        expected_version: ExpectedVersion,
    ) -> Response[ListingOut]:
        """The product's channel prices on one channel, as a whole. If-Match: the listing's
        ETag (not needed for a product's first prices on a channel)."""
        listing = await use_cases.run(
            ctx, SetListingPrices(product_id, data.channel_named(), data.prices, expected_version)
        )
        return etagged(listing_out, listing)


def _tiers_response(settings: TierSettings) -> Response[TiersOut]:
    body = TiersOut([TierOut(t.code, t.name) for t in settings.tiers], settings.version)
    return with_etag(body, settings.version)


class MembershipTiersController(Controller):
    path = "/membership-tiers"

    @get("/", opt=needs(GetTiers))
    async def get_membership_tiers(self, ctx: Context, use_cases: Dispatch) -> Response[TiersOut]:
        """The company's membership tiers, lowest first (ETag "v0" until first set)."""
        return _tiers_response(await use_cases.query(ctx, GetTiers()))

    @put("/", opt=needs(ReplaceTiers))
    async def replace_membership_tiers(
        self,
        ctx: Context,
        use_cases: Dispatch,
        data: JSONBody[TiersIn],
        expected_version: ExpectedVersion,
    ) -> Response[TiersOut]:
        """Replaces the list; a tier still used by member prices cannot be removed."""
        settings = await use_cases.run(
            ctx, ReplaceTiers([(t.code, t.name) for t in data.tiers], expected_version)
        )
        return _tiers_response(settings)
