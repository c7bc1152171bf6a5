"""Wire types for sales channels, listings and prices under /api/v1/catalog (camelCase)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from msgspec import UNSET, UnsetType

from application.shared.references import Reference, named_once
from domain.catalog.channel import (
    CHANNEL_CODE,
    MAX_CHANNEL_NAME_LENGTH,
    PLATFORMS,
    SHOP_GROUP,
    ChannelKind,
)
from domain.catalog.membership import MAX_TIER_NAME_LENGTH
from domain.catalog.pricing import TIER_CODE
from domain.shared.errors import ValidationFailed
from entrypoints.http.limits import stated
from entrypoints.http.wire import Amount, AmountIn, PageOut, WireIn, WireOut

ALL_PLATFORMS = sorted(set().union(*PLATFORMS.values()))
# A shop group's code (tmall-main): the channels naming the same one form one group.
ShopGroup = Annotated[str, stated(pattern=SHOP_GROUP)]


class ChannelIn(WireIn):
    code: Annotated[str, stated(pattern=CHANNEL_CODE)]  # unique in the company, fixed
    name: Annotated[str, stated(min_length=1, max_length=MAX_CHANNEL_NAME_LENGTH)]
    kind: Annotated[str, stated(choices=ChannelKind)]
    # marketplaces and social shops: tmall, jd, wechat, … (which ones: by kind)
    platform: Annotated[str, stated(choices=ALL_PLATFORMS, or_null=True)] | None = None
    # the code of its shop group (orders of one group merge, ORD-4); null: a group of its own
    shop_group: ShopGroup | None = None


class ChannelPatch(WireIn):
    """Only the fields sent change; ``active: false`` deactivates the channel and
    unpublishes everything on it; ``shopGroup`` moves it into that shop group (``null``: out
    of any, a group of its own)."""

    name: Annotated[str, stated(min_length=1, max_length=MAX_CHANNEL_NAME_LENGTH)] | UnsetType = (
        UNSET
    )
    active: bool | UnsetType = UNSET
    shop_group: ShopGroup | UnsetType | None = UNSET


class ChannelOut(WireOut):
    id: UUID
    code: str
    name: str
    kind: str
    platform: str | None
    active: bool
    shop_group: str | None  # null: the channel is a shop group of its own
    version: int


class ChannelPageOut(PageOut[ChannelOut]):
    items: list[ChannelOut]


class NamesChannel(WireIn, kw_only=True):
    """The channel: ``channelId`` (its id) or ``channel`` (its code, or its id as text),
    one of them, not both."""

    EXCLUSIVE = ONE_NEEDED = (("channelId", "channel"),)

    channel_id: UUID | None = None
    channel: str | None = None

    def channel_named(self) -> Reference:
        named = named_once(self.channel_id, self.channel, id_field="channelId", field="channel")
        if named is None:
            raise ValidationFailed.single("channelId", "required")
        return named


class PublishIn(NamesChannel, kw_only=True):
    # SKU id → channel price; when sent, replaces the listing's prices.
    prices: dict[UUID, AmountIn] | None = None


class UnpublishIn(NamesChannel, kw_only=True):
    pass


class ChannelPricesIn(NamesChannel, kw_only=True):
    prices: dict[UUID, AmountIn]  # the whole set: SKUs left out have no channel price


class ListingOut(WireOut):
    product_id: UUID
    channel_id: UUID
    status: str  # published | unpublished
    prices: dict[str, Amount]  # SKU id → channel price
    published_at: datetime | None
    unpublished_at: datetime | None
    version: int  # 0: never published nor priced (not stored)


class ListingsOut(WireOut):
    items: list[ListingOut]


class TierIn(WireIn):
    code: Annotated[str, stated(pattern=TIER_CODE)]  # stable
    name: Annotated[str, stated(min_length=1, max_length=MAX_TIER_NAME_LENGTH)]


class TiersIn(WireIn):
    tiers: list[TierIn]  # lowest first; replaces the list


class TierOut(WireOut):
    code: str
    name: str


class TiersOut(WireOut):
    tiers: list[TierOut]
    version: int


class MemberPriceIn(WireIn):
    tier: str
    amount: AmountIn


class MemberPricePatch(WireIn):
    amount: AmountIn


class MemberPriceOut(WireOut):
    id: UUID
    sku_id: UUID
    tier: str
    amount: Amount
    version: int


class MemberPricesOut(WireOut):
    items: list[MemberPriceOut]


class PromotionIn(WireIn):
    """Times with an offset are instants; without one, wall-clock times of the company's
    time zone. The window is [startsAt, endsAt); no endsAt: open-ended."""

    EXCLUSIVE = (("channelId", "channel"),)

    amount: AmountIn
    starts_at: datetime
    ends_at: datetime | None = None
    channel_id: UUID | None = None  # none (and no channel): every channel
    channel: str | None = None  # or the channel's code; not with channelId


class PromotionOut(WireOut):
    id: UUID
    sku_id: UUID
    amount: Amount
    starts_at: datetime  # in the company's time zone
    ends_at: datetime | None
    channel_id: UUID | None
    version: int


class PromotionPageOut(PageOut[PromotionOut]):
    items: list[PromotionOut]


class PriceOut(WireOut):
    sku_id: UUID
    amount: Amount
    currency: str
    rule: str  # list_price | channel_price | member_price | promotional_price
    rule_id: UUID  # list: the SKU; channel: the channel; member/promotion: its id
    at: datetime  # the instant priced, in the company's time zone
