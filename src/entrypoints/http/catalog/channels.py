"""/api/v1/catalog: sales channels, listings (上架/下架) with channel prices, and the
company's membership tiers (CAT-7, CAT-10, CHN-1)."""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from litestar import Controller, Request, Response, get, patch, post, put
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody
from msgspec import UNSET

from application.catalog.channels import ChannelChanges, ChannelService
from application.catalog.listings import ListingService
from application.catalog.membership_tiers import MembershipTierService
from application.catalog.ports.channels import TierSettings
from application.shared.context import CallContext
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
from entrypoints.http.conventions import (
    Cursor,
    IdempotencyKey,
    IfMatch,
    Limit,
    etag,
    expected_version,
    idempotent,
    json_response,
)

CHANNELS = "/api/v1/catalog/channels"
PRODUCTS = "/api/v1/catalog/products"
TIERS = "/api/v1/catalog/membership-tiers"


def channel_out(channel: SalesChannel) -> ChannelOut:
    return ChannelOut(
        channel.id,
        channel.code,
        channel.name,
        str(channel.kind),
        channel.platform,
        channel.active,
        channel.version,
    )


def listing_out(listing: Listing) -> ListingOut:
    return ListingOut(
        listing.product_id,
        listing.channel_id,
        str(listing.status),
        {str(k): str(v.amount) for k, v in sorted(listing.prices.items(), key=lambda i: str(i[0]))},
        listing.published_at,
        listing.unpublished_at,
        listing.version,
    )


def _channels(request: Request[CallContext, Any, State]) -> ChannelService:
    service: ChannelService = request.app.state.container.get(ChannelService)
    return service


def _listings(request: Request[CallContext, Any, State]) -> ListingService:
    service: ListingService = request.app.state.container.get(ListingService)
    return service


def _listing_response(listing: Listing) -> Response[bytes]:
    return json_response(listing_out(listing), 200, {"ETag": etag(listing.version)})


class ChannelsController(Controller):
    path = CHANNELS
    tags = ["catalog"]

    @get("/")
    async def list_channels(
        self, request: Request[CallContext, Any, State], cursor: Cursor = None, limit: Limit = None
    ) -> ChannelPageOut:
        """Every channel, deactivated ones included, in creation order."""
        page = await _channels(request).list_channels(request.user, cursor, limit)
        return ChannelPageOut([channel_out(c) for c in page.items], page.next_cursor)

    @post("/")
    async def create_channel(
        self,
        request: Request[CallContext, Any, State],
        data: JSONBody[ChannelIn],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[ChannelOut]:
        service = _channels(request)

        def render(channel: SalesChannel) -> Response[bytes]:
            return json_response(
                channel_out(channel),
                201,
                {"ETag": etag(channel.version), "Location": f"{CHANNELS}/{channel.id}"},
            )

        response = await idempotent(
            request,
            lambda: service.create(request.user, data.code, data.name, data.kind, data.platform),
            render,
        )
        return cast("Response[ChannelOut]", response)  # the body is a rendered ChannelOut

    @get("/{channel_id:uuid}")
    async def get_channel(
        self, request: Request[CallContext, Any, State], channel_id: FromPath[UUID]
    ) -> Response[ChannelOut]:
        channel = await _channels(request).get(request.user, channel_id)
        return Response(channel_out(channel), headers={"ETag": etag(channel.version)})

    @patch("/{channel_id:uuid}")
    async def change_channel(
        self,
        request: Request[CallContext, Any, State],
        channel_id: FromPath[UUID],
        data: JSONBody[ChannelPatch],
        if_match: IfMatch = None,
    ) -> Response[ChannelOut]:
        """Rename, deactivate (``active: false``: everything on it is unpublished in the
        same transaction) or reactivate. Channels are never deleted."""
        changes = ChannelChanges(
            name=None if data.name is UNSET else data.name,
            active=None if data.active is UNSET else data.active,
        )
        channel = await _channels(request).change(
            request.user, channel_id, changes, expected_version(request)
        )
        return Response(channel_out(channel), headers={"ETag": etag(channel.version)})


class ListingsController(Controller):
    path = PRODUCTS
    tags = ["catalog"]

    @get("/{product_id:uuid}/listings")
    async def list_product_listings(
        self, request: Request[CallContext, Any, State], product_id: FromPath[UUID]
    ) -> ListingsOut:
        """The product's listings: on which channels it is published, at which prices."""
        listings = await _listings(request).listings_of(request.user, product_id)
        return ListingsOut([listing_out(x) for x in listings])

    @post("/{product_id:uuid}/publish", status_code=200)
    async def publish_product(
        self,
        request: Request[CallContext, Any, State],
        product_id: FromPath[UUID],
        data: JSONBody[PublishIn],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[ListingOut]:
        """上架 on one channel, with its channel prices replaced first when ``prices`` is
        sent. Every reason it cannot be published comes back at once (422). A ``new``
        product is launched (becomes ``active``)."""
        service = _listings(request)
        response = await idempotent(
            request,
            lambda: service.publish(request.user, product_id, data.channel_id, data.prices),
            _listing_response,
        )
        return cast("Response[ListingOut]", response)

    @post("/{product_id:uuid}/unpublish", status_code=200)
    async def unpublish_product(
        self,
        request: Request[CallContext, Any, State],
        product_id: FromPath[UUID],
        data: JSONBody[UnpublishIn],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[ListingOut]:
        """下架 from one channel; unpublishing what is not published changes nothing."""
        service = _listings(request)
        response = await idempotent(
            request,
            lambda: service.unpublish(request.user, product_id, data.channel_id),
            _listing_response,
        )
        return cast("Response[ListingOut]", response)

    @put("/{product_id:uuid}/channel-prices")
    async def set_channel_prices(
        self,
        request: Request[CallContext, Any, State],
        product_id: FromPath[UUID],
        data: JSONBody[ChannelPricesIn],
        if_match: IfMatch = None,
    ) -> Response[ListingOut]:
        """The product's channel prices on one channel, as a whole. If-Match: the listing's
        ETag (not needed for a product's first prices on a channel)."""
        listing = await _listings(request).set_prices(
            request.user, product_id, data.channel_id, data.prices, expected_version(request)
        )
        return Response(listing_out(listing), headers={"ETag": etag(listing.version)})


def _tiers_response(settings: TierSettings) -> Response[TiersOut]:
    body = TiersOut([TierOut(t.code, t.name) for t in settings.tiers], settings.version)
    return Response(body, headers={"ETag": etag(settings.version)})


class MembershipTiersController(Controller):
    path = TIERS
    tags = ["catalog"]

    @get("/")
    async def get_membership_tiers(
        self, request: Request[CallContext, Any, State]
    ) -> Response[TiersOut]:
        """The company's membership tiers, lowest first (ETag "v0" until first set)."""
        service: MembershipTierService = request.app.state.container.get(MembershipTierService)
        return _tiers_response(await service.get(request.user))

    @put("/")
    async def replace_membership_tiers(
        self,
        request: Request[CallContext, Any, State],
        data: JSONBody[TiersIn],
        if_match: IfMatch = None,
    ) -> Response[TiersOut]:
        """Replaces the list; a tier still used by member prices cannot be removed."""
        service: MembershipTierService = request.app.state.container.get(MembershipTierService)
        settings = await service.replace(
            request.user, [(t.code, t.name) for t in data.tiers], expected_version(request)
        )
        return _tiers_response(settings)
