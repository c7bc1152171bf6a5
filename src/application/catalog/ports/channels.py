"""Ports for sales channels, listings and prices (CAT-7, CAT-10, CHN-1; docs/catalog.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from domain.catalog.channel import Listing, SalesChannel
from domain.catalog.membership import MembershipTier
from domain.catalog.pricing import MemberPrice, Promotion, SkuPrices


@dataclass(frozen=True)
class StoredMemberPrice:
    sku_id: UUID
    price: MemberPrice
    version: int = 1

    @property
    def id(self) -> UUID:
        return self.price.id


@dataclass(frozen=True)
class StoredPromotion:
    sku_id: UUID
    promotion: Promotion
    version: int = 1

    @property
    def id(self) -> UUID:
        return self.promotion.id


@dataclass(frozen=True)
class TierSettings:
    tiers: tuple[MembershipTier, ...]
    version: int  # 0 until the tenant first sets its tiers


class ChannelRepository(Protocol):
    """Sales channels of the unit of work's tenant. Codes are unique per tenant: a write
    that would break that raises ``Conflict channel_code_taken``."""

    async def get(self, channel_id: UUID) -> SalesChannel | None: ...

    async def by_code(self, code: str) -> SalesChannel | None:
        """The channel with that code (codes are unique in a company)."""
        ...

    async def add(self, channel: SalesChannel, at: datetime) -> None: ...

    async def save(self, channel: SalesChannel, expected_version: int, at: datetime) -> None:
        """``StaleVersion`` when the stored version is no longer ``expected_version``."""
        ...

    async def page(self, after: UUID | None, limit: int) -> list[SalesChannel]:
        """All channels in id order (creation order), starting after ``after``."""
        ...

    async def shop_groups(self) -> dict[UUID, str]:
        """The channels that belong to a shop group, each with the group's code (a channel
        left out is a group of its own): what merging orders reads (ORD-4)."""
        ...


class ListingRepository(Protocol):
    """Listings (one product on one channel) with their per-SKU channel prices, in the
    tenant's currency."""

    async def hold(self, product_id: UUID, channel_id: UUID) -> None:
        """Share-lock the product and channel rows until the transaction ends, before they
        are read: an archive, discontinuation or deactivation running meanwhile either
        waits for this command (and then sees its listing, to unpublish it) or this command
        waits for it (and then sees the product archived or the channel inactive)."""
        ...

    async def get(self, product_id: UUID, channel_id: UUID) -> Listing | None: ...

    async def of_product(self, product_id: UUID) -> list[Listing]:
        """The product's listings, in channel id order."""
        ...

    async def published_on(self, channel_id: UUID) -> list[Listing]:
        """Every published listing of the channel."""
        ...

    async def add(self, listing: Listing) -> None:
        """``StaleVersion`` when another writer stored the listing first."""
        ...

    async def save(self, listing: Listing, expected_version: int) -> None:
        """Status, times, version and the channel prices as a whole; ``StaleVersion`` when
        the stored version is no longer ``expected_version``."""
        ...


class PriceRepository(Protocol):
    """Membership tiers, member prices and promotions of the unit of work's tenant, and
    what prices one SKU. One member price per SKU and tier: a second raises
    ``Conflict member_price_taken``; removing a tier a member price names raises
    ``Conflict membership_tier_in_use``."""

    async def tier_settings(self) -> TierSettings: ...

    async def save_tiers(self, tiers: tuple[MembershipTier, ...], expected_version: int) -> int:
        """Replace the list; returns the new version. ``StaleVersion`` when the stored
        version is no longer ``expected_version``."""
        ...

    async def member_price(self, price_id: UUID) -> StoredMemberPrice | None: ...

    async def member_prices_of(self, sku_id: UUID) -> list[StoredMemberPrice]:
        """In tier order."""
        ...

    async def add_member_price(self, price: StoredMemberPrice, at: datetime) -> None: ...

    async def save_member_price(
        self, price: StoredMemberPrice, expected_version: int, at: datetime
    ) -> None: ...

    async def delete_member_price(self, price_id: UUID, expected_version: int) -> None: ...

    async def promotion(self, promotion_id: UUID) -> StoredPromotion | None: ...

    async def promotions_of(
        self, sku_id: UUID, after: UUID | None, limit: int
    ) -> list[StoredPromotion]:
        """The SKU's promotions in id order, starting after ``after``."""
        ...

    async def add_promotion(self, promotion: StoredPromotion, at: datetime) -> None: ...

    async def save_promotion(
        self, promotion: StoredPromotion, expected_version: int, at: datetime
    ) -> None: ...

    async def delete_promotion(self, promotion_id: UUID, expected_version: int) -> None: ...

    async def product_of_sku(self, sku_id: UUID) -> UUID | None:
        """The product the SKU belongs to (None: no such SKU in the tenant)."""
        ...

    async def sku_codes(self, sku_ids: Sequence[UUID]) -> dict[UUID, str]:
        """The codes of those SKUs the tenant has (what a merchant reads in a message)."""
        ...

    async def list_prices(self, sku_ids: Sequence[UUID]) -> dict[UUID, Decimal]:
        """The list prices of those SKUs the tenant has (one without a list price is left
        out): what an order's price is checked against (ORD-5, ``price_below_list``)."""
        ...

    async def sku_prices(
        self, sku_id: UUID, channel_id: UUID | None, tier: str | None, at: datetime
    ) -> SkuPrices | None:
        """Everything that can price the SKU for that buyer at ``at``: its list price, its
        channel price on ``channel_id``, its member price for ``tier`` and the promotions
        active at ``at`` on that channel or on all channels. None: no such SKU."""
        ...
