"""Sales channels and per-channel listings (CAT-7, CHN-1): 上架 / 下架 per channel.

A channel is a catalog entity: the tenant's own shop, a marketplace store (Tmall, JD,
Pinduoduo, …), an offline store or a social shop. A listing is one product on one
channel: published or not, with optional per-SKU channel prices that replace the list
price on that channel (``pricing.py``).

Publishing requires (``publish_blockers``, every reason reported at once):

- the channel is active;
- the product is not archived and its lifecycle is new, active or phasing out
  (phasing out still sells what is left; discontinued does not sell);
- it has at least one active SKU, and every active SKU has a price on this channel — its
  channel price or its list price.

Publishing a *new* product puts it on sale: the use case also calls ``Product.launch``
(new → active) in the same transaction. When a product is archived or discontinued, the
use case unpublishes every listing of it (``must_unpublish``). Publishing or unpublishing
what already is so changes nothing and records no event. Events ``product.published`` /
``product.unpublished`` carry the product id and the channel id. Pushing the change to a
marketplace is a connector's job (CHN-2), driven by those events.

A channel may belong to a **shop group** (店铺组, ``shop_group``): a short code the merchant
chooses (``tmall-main``); the channels with the same code form one group, and a channel
without one is a group of its own. Orders merge (合单, ORD-4) only within one group.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from domain.catalog.checks import FieldChecks
from domain.catalog.pricing import ChannelPrice
from domain.catalog.product import ENTITY as PRODUCT_ENTITY
from domain.catalog.product import Lifecycle, Product
from domain.shared.errors import FieldError, ValidationFailed
from domain.shared.events import DomainEvent, RecordsEvents
from domain.shared.money import Money

CHANNEL_CODE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
# A shop group's code: 2–32 lower-case letters, digits, "_" or "-", starting with a letter
# (never the text of a channel id, which is 36 characters long).
SHOP_GROUP = re.compile(r"^[a-z][a-z0-9_-]{1,31}$")
MAX_CHANNEL_NAME_LENGTH = 50


class ChannelKind(StrEnum):
    OWN_SHOP = "own_shop"
    MARKETPLACE = "marketplace"
    OFFLINE_STORE = "offline_store"
    SOCIAL_SHOP = "social_shop"


# The platform a marketplace store or social shop runs on ("other" for the rest); own
# shops and offline stores have none. Connectors (CHN-2) are chosen by platform.
PLATFORMS: Mapping[ChannelKind, frozenset[str]] = {
    ChannelKind.MARKETPLACE: frozenset(
        {
            "tmall",
            "taobao",
            "jd",
            "pinduoduo",
            "douyin",
            "kuaishou",
            "vipshop",
            "amazon",
            "shopee",
            "lazada",
            "tiktok_shop",
            "other",
        }
    ),
    ChannelKind.SOCIAL_SHOP: frozenset(
        {"wechat", "xiaohongshu", "douyin", "kuaishou", "weidian", "other"}
    ),
    ChannelKind.OWN_SHOP: frozenset(),
    ChannelKind.OFFLINE_STORE: frozenset(),
}

PUBLISHABLE_LIFECYCLES = frozenset({Lifecycle.NEW, Lifecycle.ACTIVE, Lifecycle.PHASING_OUT})


@dataclass
class SalesChannel:
    id: UUID
    code: str  # unique within the tenant: own_shop, tmall_flagship, store_shanghai_1, …
    name: str
    kind: ChannelKind
    platform: str | None = None
    active: bool = True
    version: int = 1
    shop_group: str | None = None  # None: the channel is a group of its own

    @classmethod
    def create(
        cls,
        channel_id: UUID,
        code: str,
        name: str,
        kind: ChannelKind,
        platform: str | None = None,
        shop_group: str | None = None,
    ) -> SalesChannel:
        check = FieldChecks()
        if not CHANNEL_CODE.match(code):
            check.add(FieldError("code", "invalid_channel_code"))
        _check_shop_group(check, shop_group)
        clean_name = check.text("name", name, MAX_CHANNEL_NAME_LENGTH, required=True)
        platforms = PLATFORMS[kind]
        if platforms and platform not in platforms:
            check.add(FieldError("platform", "invalid_choice", {"allowed": sorted(platforms)}))
        elif not platforms and platform is not None:
            check.add(FieldError("platform", "not_applicable", {"kind": str(kind)}))
        check.raise_if_failed()
        return cls(channel_id, code, clean_name or "", kind, platform, shop_group=shop_group)

    def rename(self, name: str) -> bool:
        check = FieldChecks()
        clean = check.text("name", name, MAX_CHANNEL_NAME_LENGTH, required=True)
        check.raise_if_failed()
        if clean == self.name:
            return False
        self.name = clean or self.name
        self.version += 1
        return True

    def set_shop_group(self, shop_group: str | None) -> bool:
        """Join the group of that code (the first channel to name it makes it), or leave
        any (None): the channel is then a group of its own."""
        check = FieldChecks()
        _check_shop_group(check, shop_group)
        check.raise_if_failed()
        if shop_group == self.shop_group:
            return False
        self.shop_group = shop_group
        self.version += 1
        return True

    def set_active(self, active: bool) -> bool:
        """A deactivated channel keeps its listings but accepts no new publication; the use
        case unpublishes its listings when it is deactivated."""
        if active == self.active:
            return False
        self.active = active
        self.version += 1
        return True


def _check_shop_group(check: FieldChecks, shop_group: str | None) -> None:
    if shop_group is not None and not SHOP_GROUP.match(shop_group):
        check.add(FieldError("shopGroup", "invalid_shop_group"))


class ListingStatus(StrEnum):
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"


def must_unpublish(product: Product) -> bool:
    """A product that may no longer be on sale anywhere (archived or discontinued)."""
    return product.archived or product.lifecycle not in PUBLISHABLE_LIFECYCLES


@dataclass
class Listing(RecordsEvents):
    product_id: UUID
    channel_id: UUID
    status: ListingStatus = ListingStatus.UNPUBLISHED
    prices: Mapping[UUID, Money] = field(default_factory=dict)  # SKU id → channel price
    published_at: datetime | None = None
    unpublished_at: datetime | None = None
    version: int = 1

    @property
    def published(self) -> bool:
        return self.status is ListingStatus.PUBLISHED

    def channel_prices(self, sku_id: UUID) -> tuple[ChannelPrice, ...]:
        price = self.prices.get(sku_id)
        return (ChannelPrice(self.channel_id, price),) if price is not None else ()

    def set_prices(
        self, product: Product, prices: Mapping[UUID, Decimal | None], currency: str
    ) -> bool:
        """Replace the channel prices (SKU id → amount; None removes one). Only SKUs of the
        product. Returns whether anything changed."""
        self._check_product(product)
        check = FieldChecks()
        clean: dict[UUID, Money] = {}
        for sku_id in sorted(prices, key=str):
            path = f"prices.{sku_id}"
            if product.sku(sku_id) is None:
                check.add(FieldError(path, "unknown_sku"))
                continue
            amount = prices[sku_id]
            money = check.amount(path, amount, currency) if amount is not None else None
            if money is not None:
                clean[sku_id] = money
        check.raise_if_failed()
        if clean == dict(self.prices):
            return False
        self.prices = clean
        self.version += 1
        return True

    def publish(self, product: Product, channel: SalesChannel, at: datetime) -> bool:
        """上架. Raises ValidationFailed naming every blocker; returns whether it changed."""
        self._check_product(product)
        if channel.id != self.channel_id:
            # guard: the use case loads the listing by this channel's id
            raise ValueError("the channel is not this listing's")
        blockers = publish_blockers(product, channel, self.prices)
        if blockers:
            raise ValidationFailed(blockers)
        if self.published:
            return False
        self.status = ListingStatus.PUBLISHED
        self.published_at = at
        self.version += 1
        self.record_event(self._event("product.published"))
        return True

    def unpublish(self, at: datetime) -> bool:
        """下架. Always allowed; returns whether it changed."""
        if not self.published:
            return False
        self.status = ListingStatus.UNPUBLISHED
        self.unpublished_at = at
        self.version += 1
        self.record_event(self._event("product.unpublished"))
        return True

    def _check_product(self, product: Product) -> None:
        if product.id != self.product_id:
            # guard: the use case loads the listing by this product's id
            raise ValueError("the product is not this listing's")

    def _event(self, event_type: str) -> DomainEvent:
        return DomainEvent(
            event_type,
            PRODUCT_ENTITY,
            self.product_id,
            ("status",),
            data={"channelId": str(self.channel_id)},
        )


def publish_blockers(
    product: Product, channel: SalesChannel, channel_prices: Mapping[UUID, Money]
) -> list[FieldError]:
    """Every reason the product cannot be published on the channel (none: it can)."""
    blockers: list[FieldError] = []
    if not channel.active:
        blockers.append(FieldError("channelId", "channel_inactive"))
    if product.archived:
        blockers.append(FieldError("productId", "product_archived", {"product_code": product.code}))
    elif product.lifecycle not in PUBLISHABLE_LIFECYCLES:
        blockers.append(
            FieldError(
                "lifecycle", "lifecycle_not_publishable", {"lifecycle": str(product.lifecycle)}
            )
        )
    active = product.active_skus
    if not active:
        blockers.append(FieldError("skus", "product_has_no_skus"))
    for sku in active:
        if sku.list_price is None and sku.id not in channel_prices:
            blockers.append(FieldError(f"skus[{sku.code}]", "sku_has_no_price", {"sku": sku.code}))
    return blockers


def unpriced_on_channel(
    product: Product, channel: SalesChannel, channel_prices: Mapping[UUID, Money]
) -> list[FieldError]:
    """What a revision must not do to a product published on the channel — the publish
    rules ``sku_has_no_price`` and ``product_has_no_skus``, named with the channel: a list
    price removed or a new SKU without one (``sku_unpriced_on_channel``), or every SKU
    archived (``published_product_has_no_skus``: unpublish it first)."""
    renamed = {
        "sku_has_no_price": "sku_unpriced_on_channel",
        "product_has_no_skus": "published_product_has_no_skus",
    }
    return [
        FieldError(b.field, renamed[b.code], {**b.params, "channel": channel.name})
        for b in publish_blockers(product, channel, channel_prices)
        if b.code in renamed
    ]
