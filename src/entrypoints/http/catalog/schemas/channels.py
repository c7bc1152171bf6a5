"""Wire types for sales channels, listings and prices under /api/v1/catalog (camelCase)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec
from msgspec import UNSET, UnsetType


class ChannelIn(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    code: str  # ^[a-z][a-z0-9_]{1,31}$, unique in the company, fixed once created
    name: str  # ≤ 50 characters
    kind: str  # own_shop | marketplace | offline_store | social_shop
    platform: str | None = None  # marketplaces and social shops: tmall, jd, wechat, …


class ChannelPatch(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    """Only the fields sent change; ``active: false`` deactivates the channel and
    unpublishes everything on it."""

    name: str | UnsetType = UNSET
    active: bool | UnsetType = UNSET


class ChannelOut(msgspec.Struct, rename="camel"):
    id: UUID
    code: str
    name: str
    kind: str
    platform: str | None
    active: bool
    version: int


class ChannelPageOut(msgspec.Struct, rename="camel"):
    items: list[ChannelOut]
    next_cursor: str | None


class PublishIn(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    channel_id: UUID
    # SKU id → channel price (decimal text); when sent, replaces the listing's prices.
    prices: dict[UUID, str] | None = None


class UnpublishIn(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    channel_id: UUID


class ChannelPricesIn(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    channel_id: UUID
    prices: dict[UUID, str]  # the whole set: SKUs left out have no channel price


class ListingOut(msgspec.Struct, rename="camel"):
    product_id: UUID
    channel_id: UUID
    status: str  # published | unpublished
    prices: dict[str, str]  # SKU id → channel price
    published_at: datetime | None
    unpublished_at: datetime | None
    version: int  # 0: never published nor priced (not stored)


class ListingsOut(msgspec.Struct, rename="camel"):
    items: list[ListingOut]


class TierIn(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    code: str  # ^[a-z][a-z0-9_]{0,31}$, stable
    name: str


class TiersIn(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    tiers: list[TierIn]  # lowest first; replaces the list


class TierOut(msgspec.Struct, rename="camel"):
    code: str
    name: str


class TiersOut(msgspec.Struct, rename="camel"):
    tiers: list[TierOut]
    version: int


class MemberPriceIn(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    tier: str
    amount: str


class MemberPricePatch(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    amount: str


class MemberPriceOut(msgspec.Struct, rename="camel"):
    id: UUID
    sku_id: UUID
    tier: str
    amount: str
    version: int


class MemberPricesOut(msgspec.Struct, rename="camel"):
    items: list[MemberPriceOut]


class PromotionIn(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    """Times with an offset are instants; without one, wall-clock times of the company's
    time zone. The window is [startsAt, endsAt); no endsAt: open-ended."""

    amount: str
    starts_at: datetime
    ends_at: datetime | None = None
    channel_id: UUID | None = None  # none: every channel


class PromotionOut(msgspec.Struct, rename="camel"):
    id: UUID
    sku_id: UUID
    amount: str
    starts_at: datetime  # in the company's time zone
    ends_at: datetime | None
    channel_id: UUID | None
    version: int


class PromotionPageOut(msgspec.Struct, rename="camel"):
    items: list[PromotionOut]
    next_cursor: str | None


class PriceOut(msgspec.Struct, rename="camel"):
    sku_id: UUID
    amount: str
    currency: str
    rule: str  # list_price | channel_price | member_price | promotional_price
    rule_id: UUID  # list: the SKU; channel: the channel; member/promotion: its id
    at: datetime  # the instant priced, in the company's time zone
