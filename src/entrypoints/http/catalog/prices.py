"""/api/v1/catalog: member prices, promotional prices and the price query (CAT-10)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, cast
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from application.catalog.member_prices import MemberPriceService
from application.catalog.ports.channels import StoredMemberPrice
from application.catalog.price_quotes import PriceQuoteService
from application.catalog.promotions import PromotionData, PromotionService, PromotionView
from application.shared.context import CallContext
from entrypoints.http.catalog.schemas.channels import (
    MemberPriceIn,
    MemberPriceOut,
    MemberPricePatch,
    MemberPricesOut,
    PriceOut,
    PromotionIn,
    PromotionOut,
    PromotionPageOut,
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

SKUS = "/api/v1/catalog/skus"
MEMBER_PRICES = "/api/v1/catalog/member-prices"
PROMOTIONS = "/api/v1/catalog/promotions"


def member_price_out(stored: StoredMemberPrice) -> MemberPriceOut:
    return MemberPriceOut(
        stored.id, stored.sku_id, stored.price.tier, str(stored.price.amount.amount), stored.version
    )


def promotion_out(view: PromotionView) -> PromotionOut:
    zone, p = ZoneInfo(view.time_zone), view.stored.promotion
    return PromotionOut(
        p.id,
        view.stored.sku_id,
        str(p.amount.amount),
        p.starts_at.astimezone(zone),
        p.ends_at.astimezone(zone) if p.ends_at else None,
        p.channel_id,
        view.stored.version,
    )


def _promotion_data(data: PromotionIn) -> PromotionData:
    return PromotionData(data.amount, data.starts_at, data.ends_at, data.channel_id)


def _member_prices(request: Request[CallContext, Any, State]) -> MemberPriceService:
    service: MemberPriceService = request.app.state.container.get(MemberPriceService)
    return service


def _promotions(request: Request[CallContext, Any, State]) -> PromotionService:
    service: PromotionService = request.app.state.container.get(PromotionService)
    return service


class SkuPricesController(Controller):
    path = SKUS
    tags = ["catalog"]

    @get("/{sku_id:uuid}/price")
    async def get_sku_price(
        self,
        request: Request[CallContext, Any, State],
        sku_id: FromPath[UUID],
        channel: Annotated[
            UUID | None, QueryParameter(description="The buyer's sales channel.")
        ] = None,
        tier: Annotated[str | None, QueryParameter(description="The buyer's tier.")] = None,
        at: Annotated[
            datetime | None,
            QueryParameter(description="When (default now); no offset: the company's zone."),
        ] = None,
    ) -> PriceOut:
        """What the buyer pays and which rule gave it: the channel price (else the list
        price), unless the tier's member price or an active promotion is lower."""
        service: PriceQuoteService = request.app.state.container.get(PriceQuoteService)
        view = await service.quote(request.user, sku_id, channel, tier, at)
        q = view.quote
        return PriceOut(
            view.sku_id, str(q.amount.amount), q.amount.currency, str(q.rule), q.rule_id, view.at
        )

    @get("/{sku_id:uuid}/member-prices")
    async def list_sku_member_prices(
        self, request: Request[CallContext, Any, State], sku_id: FromPath[UUID]
    ) -> MemberPricesOut:
        prices = await _member_prices(request).of_sku(request.user, sku_id)
        return MemberPricesOut([member_price_out(p) for p in prices])

    @post("/{sku_id:uuid}/member-prices")
    async def create_member_price(
        self,
        request: Request[CallContext, Any, State],
        sku_id: FromPath[UUID],
        data: JSONBody[MemberPriceIn],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[MemberPriceOut]:
        """One member price per SKU and tier (409 ``member_price_taken`` for a second)."""
        service = _member_prices(request)

        def render(stored: StoredMemberPrice) -> Response[bytes]:
            return json_response(
                member_price_out(stored),
                201,
                {"ETag": etag(stored.version), "Location": f"{MEMBER_PRICES}/{stored.id}"},
            )

        response = await idempotent(
            request, lambda: service.create(request.user, sku_id, data.tier, data.amount), render
        )
        return cast("Response[MemberPriceOut]", response)

    @get("/{sku_id:uuid}/promotions")
    async def list_sku_promotions(
        self,
        request: Request[CallContext, Any, State],
        sku_id: FromPath[UUID],
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> PromotionPageOut:
        page = await _promotions(request).of_sku(request.user, sku_id, cursor, limit)
        return PromotionPageOut([promotion_out(v) for v in page.items], page.next_cursor)

    @post("/{sku_id:uuid}/promotions")
    async def create_promotion(
        self,
        request: Request[CallContext, Any, State],
        sku_id: FromPath[UUID],
        data: JSONBody[PromotionIn],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[PromotionOut]:
        service, content = _promotions(request), _promotion_data(data)

        def render(view: PromotionView) -> Response[bytes]:
            return json_response(
                promotion_out(view),
                201,
                {
                    "ETag": etag(view.stored.version),
                    "Location": f"{PROMOTIONS}/{view.stored.id}",
                },
            )

        response = await idempotent(
            request, lambda: service.create(request.user, sku_id, content), render
        )
        return cast("Response[PromotionOut]", response)


class MemberPricesController(Controller):
    path = MEMBER_PRICES
    tags = ["catalog"]

    @get("/{price_id:uuid}")
    async def get_member_price(
        self, request: Request[CallContext, Any, State], price_id: FromPath[UUID]
    ) -> Response[MemberPriceOut]:
        stored = await _member_prices(request).get(request.user, price_id)
        return Response(member_price_out(stored), headers={"ETag": etag(stored.version)})

    @patch("/{price_id:uuid}")
    async def change_member_price(
        self,
        request: Request[CallContext, Any, State],
        price_id: FromPath[UUID],
        data: JSONBody[MemberPricePatch],
        if_match: IfMatch = None,
    ) -> Response[MemberPriceOut]:
        stored = await _member_prices(request).change(
            request.user, price_id, data.amount, expected_version(request)
        )
        return Response(member_price_out(stored), headers={"ETag": etag(stored.version)})

    @delete("/{price_id:uuid}", status_code=HTTP_204_NO_CONTENT)
    async def delete_member_price(
        self,
        request: Request[CallContext, Any, State],
        price_id: FromPath[UUID],
        if_match: IfMatch = None,
    ) -> None:
        await _member_prices(request).delete(request.user, price_id, expected_version(request))


class PromotionsController(Controller):
    path = PROMOTIONS
    tags = ["catalog"]

    @get("/{promotion_id:uuid}")
    async def get_promotion(
        self, request: Request[CallContext, Any, State], promotion_id: FromPath[UUID]
    ) -> Response[PromotionOut]:
        view = await _promotions(request).get(request.user, promotion_id)
        return Response(promotion_out(view), headers={"ETag": etag(view.stored.version)})

    @put("/{promotion_id:uuid}")
    async def change_promotion(
        self,
        request: Request[CallContext, Any, State],
        promotion_id: FromPath[UUID],
        data: JSONBody[PromotionIn],
        if_match: IfMatch = None,
    ) -> Response[PromotionOut]:
        """Amount, window and channel as a whole; the SKU stays."""
        view = await _promotions(request).change(
            request.user, promotion_id, _promotion_data(data), expected_version(request)
        )
        return Response(promotion_out(view), headers={"ETag": etag(view.stored.version)})

    @delete("/{promotion_id:uuid}", status_code=HTTP_204_NO_CONTENT)
    async def delete_promotion(
        self,
        request: Request[CallContext, Any, State],
        promotion_id: FromPath[UUID],
        if_match: IfMatch = None,
    ) -> None:
        await _promotions(request).delete(request.user, promotion_id, expected_version(request))
