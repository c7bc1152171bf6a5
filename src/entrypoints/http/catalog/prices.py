"""/api/v1/catalog: member prices, promotional prices and the price query (CAT-10)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, Response, delete, get, patch, post, put
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from application.catalog.member_prices import (
    ChangeMemberPrice,
    CreateMemberPrice,
    DeleteMemberPrice,
    GetMemberPrice,
    MemberPricesOfSku,
)
from application.catalog.ports.channels import StoredMemberPrice
from application.catalog.price_quotes import QuotePrice
from application.catalog.promotions import (
    ChangePromotion,
    CreatePromotion,
    DeletePromotion,
    GetPromotion,
    PromotionData,
    PromotionsOfSku,
    PromotionView,
)
from application.shared.reads import id_window
from application.shared.references import named_once
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
from entrypoints.http.conventions import Cursor, Limit, Rendered, etagged, with_etag
from entrypoints.http.dependencies import Context, Dispatch, ExpectedVersion, Idempotent
from entrypoints.http.permissions import needs

SKUS = "/api/v1/catalog/skus"
MEMBER_PRICES = "/api/v1/catalog/member-prices"
PROMOTIONS = "/api/v1/catalog/promotions"


def member_price_out(stored: StoredMemberPrice) -> MemberPriceOut:
    return MemberPriceOut(
        stored.id, stored.sku_id, stored.price.tier, stored.price.amount.amount, stored.version
    )


def promotion_out(view: PromotionView) -> PromotionOut:
    zone, p = ZoneInfo(view.time_zone), view.stored.promotion
    return PromotionOut(
        p.id,
        view.stored.sku_id,
        p.amount.amount,
        p.starts_at.astimezone(zone),
        p.ends_at.astimezone(zone) if p.ends_at else None,
        p.channel_id,
        view.stored.version,
    )


def _promotion_data(data: PromotionIn) -> PromotionData:
    channel = named_once(data.channel_id, data.channel, id_field="channelId", field="channel")
    return PromotionData(data.amount, data.starts_at, data.ends_at, channel)


def _promotion(view: PromotionView) -> Response[PromotionOut]:
    return with_etag(promotion_out(view), view.stored.version)


class SkuPricesController(Controller):
    path = "/skus"

    @get("/{sku_id:uuid}/price", opt=needs(QuotePrice))
    async def get_sku_price(
        self,
        ctx: Context,
        use_cases: Dispatch,
        sku_id: FromPath[UUID],
        channel: Annotated[
            str | None,
            QueryParameter(description="The buyer's sales channel: its id or its code."),
        ] = None,
        tier: Annotated[str | None, QueryParameter(description="The buyer's tier.")] = None,
        at: Annotated[
            datetime | None,
            QueryParameter(description="When (default now); no offset: the company's zone."),
        ] = None,
    ) -> PriceOut:
        """What the buyer pays and which rule gave it: the channel price (else the list
        price), unless the tier's member price or an active promotion is lower."""
        view = await use_cases.query(ctx, QuotePrice(sku_id, channel, tier, at))
        q = view.quote
        return PriceOut(
            view.sku_id, q.amount.amount, q.amount.currency, str(q.rule), q.rule_id, view.at
        )

    @get("/{sku_id:uuid}/member-prices", opt=needs(MemberPricesOfSku))
    async def list_sku_member_prices(
        self, ctx: Context, use_cases: Dispatch, sku_id: FromPath[UUID]
    ) -> MemberPricesOut:
        """The SKU's member prices, one per membership tier."""
        prices = await use_cases.query(ctx, MemberPricesOfSku(sku_id))
        return MemberPricesOut([member_price_out(p) for p in prices])

    @post("/{sku_id:uuid}/member-prices", opt=needs(CreateMemberPrice))
    async def create_member_price(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        sku_id: FromPath[UUID],
        data: JSONBody[MemberPriceIn],
    ) -> Response[MemberPriceOut]:
        """One member price per SKU and tier (409 ``member_price_taken`` for a second)."""
        return await idempotency.created(
            lambda: use_cases.run(ctx, CreateMemberPrice(sku_id, data.tier, data.amount)),
            lambda stored: Rendered(
                member_price_out(stored), f"{MEMBER_PRICES}/{stored.id}", stored.version
            ),
        )

    @get("/{sku_id:uuid}/promotions", opt=needs(PromotionsOfSku))
    async def list_sku_promotions(
        self,
        ctx: Context,
        use_cases: Dispatch,
        sku_id: FromPath[UUID],
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> PromotionPageOut:
        """The SKU's promotional prices."""
        page = await use_cases.query(ctx, PromotionsOfSku(sku_id, *id_window(cursor, limit)))
        return PromotionPageOut.of_page(page, promotion_out)

    @post("/{sku_id:uuid}/promotions", opt=needs(CreatePromotion))
    async def create_promotion(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        sku_id: FromPath[UUID],
        data: JSONBody[PromotionIn],
    ) -> Response[PromotionOut]:
        """Add a promotional price to the SKU for a period."""
        content = _promotion_data(data)
        return await idempotency.created(
            lambda: use_cases.run(ctx, CreatePromotion(sku_id, content)),
            lambda view: Rendered(
                promotion_out(view), f"{PROMOTIONS}/{view.stored.id}", view.stored.version
            ),
        )


class MemberPricesController(Controller):
    path = "/member-prices"

    @get("/{price_id:uuid}", opt=needs(GetMemberPrice))
    async def get_member_price(
        self, ctx: Context, use_cases: Dispatch, price_id: FromPath[UUID]
    ) -> Response[MemberPriceOut]:
        """One member price."""
        return etagged(member_price_out, await use_cases.query(ctx, GetMemberPrice(price_id)))

    @patch("/{price_id:uuid}", opt=needs(ChangeMemberPrice))
    async def change_member_price(
        self,
        ctx: Context,
        use_cases: Dispatch,
        price_id: FromPath[UUID],
        data: JSONBody[MemberPricePatch],
        expected_version: ExpectedVersion,
    ) -> Response[MemberPriceOut]:
        """Change a member price (If-Match)."""
        stored = await use_cases.run(
            ctx, ChangeMemberPrice(price_id, data.amount, expected_version)
        )
        return etagged(member_price_out, stored)

    @delete("/{price_id:uuid}", status_code=HTTP_204_NO_CONTENT, opt=needs(DeleteMemberPrice))
    async def delete_member_price(
        self,
        ctx: Context,
        use_cases: Dispatch,
        price_id: FromPath[UUID],
        expected_version: ExpectedVersion,
    ) -> None:
        """Delete a member price."""
        await use_cases.run(ctx, DeleteMemberPrice(price_id, expected_version))


class PromotionsController(Controller):
    path = "/promotions"

    @get("/{promotion_id:uuid}", opt=needs(GetPromotion))
    async def get_promotion(
        self, ctx: Context, use_cases: Dispatch, promotion_id: FromPath[UUID]
    ) -> Response[PromotionOut]:
        """One promotional price."""
        return _promotion(await use_cases.query(ctx, GetPromotion(promotion_id)))

    @put("/{promotion_id:uuid}", opt=needs(ChangePromotion))
    async def change_promotion(
        self,
        ctx: Context,
        use_cases: Dispatch,
        promotion_id: FromPath[UUID],
        data: JSONBody[PromotionIn],
        expected_version: ExpectedVersion,
    ) -> Response[PromotionOut]:
        """Amount, window and channel as a whole; the SKU stays."""
        view = await use_cases.run(
            ctx, ChangePromotion(promotion_id, _promotion_data(data), expected_version)
        )
        return _promotion(view)

    @delete("/{promotion_id:uuid}", status_code=HTTP_204_NO_CONTENT, opt=needs(DeletePromotion))
    async def delete_promotion(
        self,
        ctx: Context,
        use_cases: Dispatch,
        promotion_id: FromPath[UUID],
        expected_version: ExpectedVersion,
    ) -> None:
        """Delete a promotional price."""
        await use_cases.run(ctx, DeletePromotion(promotion_id, expected_version))
