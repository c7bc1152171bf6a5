"""Fake sales channels, listings with their channel prices, and prices (tiers, member
prices, promotions, and what prices one SKU)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from application.catalog.ports.channels import StoredMemberPrice, StoredPromotion, TierSettings
from domain.catalog.channel import Listing, ListingStatus, SalesChannel
from domain.catalog.membership import MembershipTier
from domain.catalog.pricing import ChannelPrice, SkuPrices
from domain.shared.errors import Conflict, StaleVersion
from tests.fakes.catalog.tables import CatalogTables, check_version, fresh, id_page


class FakeChannelRepository:
    def __init__(self, tables: CatalogTables) -> None:
        self._t = tables

    async def get(self, channel_id: UUID) -> SalesChannel | None:
        found = self._t.channels.get(channel_id)
        return fresh(found) if found else None

    async def by_code(self, code: str) -> SalesChannel | None:
        found = next((c for c in self._t.channels.values() if c.code == code), None)
        return fresh(found) if found else None

    async def add(self, channel: SalesChannel, at: datetime) -> None:
        self._write(channel)

    async def save(self, channel: SalesChannel, expected_version: int, at: datetime) -> None:
        stored = self._t.channels.get(channel.id)
        check_version(stored.version if stored else None, expected_version)
        self._write(channel)

    def _write(self, channel: SalesChannel) -> None:
        if any(c.id != channel.id and c.code == channel.code for c in self._t.channels.values()):
            raise Conflict("channel_code_taken", channel_code=channel.code)
        self._t.channels[channel.id] = fresh(channel)

    async def page(self, after: UUID | None, limit: int) -> list[SalesChannel]:
        return id_page(self._t.channels.values(), lambda c: c.id, after, limit)

    async def shop_groups(self) -> dict[UUID, str]:
        return {c.id: c.shop_group for c in self._t.channels.values() if c.shop_group is not None}


class FakeListingRepository:
    def __init__(self, tables: CatalogTables) -> None:
        self._t = tables

    async def hold(self, product_id: UUID, channel_id: UUID) -> None:
        """Nothing to serialise: the fake runs one unit of work at a time."""

    async def get(self, product_id: UUID, channel_id: UUID) -> Listing | None:
        found = self._t.listings.get((product_id, channel_id))
        return fresh(found) if found else None

    async def of_product(self, product_id: UUID) -> list[Listing]:
        return [fresh(v) for k, v in sorted(self._t.listings.items()) if k[0] == product_id]

    async def published_on(self, channel_id: UUID) -> list[Listing]:
        return [
            fresh(v)
            for k, v in sorted(self._t.listings.items())
            if k[1] == channel_id and v.status is ListingStatus.PUBLISHED
        ]

    async def add(self, listing: Listing) -> None:
        key = (listing.product_id, listing.channel_id)
        if key in self._t.listings:  # another writer stored it first
            raise StaleVersion(expected=0)
        self._t.listings[key] = fresh(listing)

    async def save(self, listing: Listing, expected_version: int) -> None:
        key = (listing.product_id, listing.channel_id)
        stored = self._t.listings.get(key)
        check_version(stored.version if stored else None, expected_version)
        self._t.listings[key] = fresh(listing)


class FakePriceRepository:
    def __init__(self, tables: CatalogTables) -> None:
        self._t = tables

    async def tier_settings(self) -> TierSettings:
        return self._t.tiers

    async def save_tiers(self, tiers: tuple[MembershipTier, ...], expected_version: int) -> int:
        check_version(self._t.tiers.version, expected_version)
        codes = {t.code for t in tiers}
        if any(m.price.tier not in codes for m in self._t.member_prices.values()):
            raise Conflict("membership_tier_in_use")
        self._t.tiers = TierSettings(tiers, expected_version + 1)
        return expected_version + 1

    async def member_price(self, price_id: UUID) -> StoredMemberPrice | None:
        return self._t.member_prices.get(price_id)

    async def member_prices_of(self, sku_id: UUID) -> list[StoredMemberPrice]:
        order = [t.code for t in self._t.tiers.tiers]
        found = [m for m in self._t.member_prices.values() if m.sku_id == sku_id]
        return sorted(found, key=lambda m: order.index(m.price.tier))

    async def add_member_price(self, price: StoredMemberPrice, at: datetime) -> None:
        if any(
            m.sku_id == price.sku_id and m.price.tier == price.price.tier
            for m in self._t.member_prices.values()
        ):
            raise Conflict("member_price_taken", tier=price.price.tier)
        self._t.member_prices[price.id] = price

    async def save_member_price(
        self, price: StoredMemberPrice, expected_version: int, at: datetime
    ) -> None:
        stored = self._t.member_prices.get(price.id)
        check_version(stored.version if stored else None, expected_version)
        self._t.member_prices[price.id] = price

    async def delete_member_price(self, price_id: UUID, expected_version: int) -> None:
        stored = self._t.member_prices.get(price_id)
        check_version(stored.version if stored else None, expected_version)
        del self._t.member_prices[price_id]

    async def promotion(self, promotion_id: UUID) -> StoredPromotion | None:
        return self._t.promotions.get(promotion_id)

    async def promotions_of(
        self, sku_id: UUID, after: UUID | None, limit: int
    ) -> list[StoredPromotion]:
        of_sku = (p for p in self._t.promotions.values() if p.sku_id == sku_id)
        return id_page(of_sku, lambda p: p.id, after, limit)

    async def add_promotion(self, promotion: StoredPromotion, at: datetime) -> None:
        assert promotion.id not in self._t.promotions, "duplicate primary key"
        self._t.promotions[promotion.id] = promotion

    async def save_promotion(
        self, promotion: StoredPromotion, expected_version: int, at: datetime
    ) -> None:
        stored = self._t.promotions.get(promotion.id)
        check_version(stored.version if stored else None, expected_version)
        self._t.promotions[promotion.id] = promotion

    async def delete_promotion(self, promotion_id: UUID, expected_version: int) -> None:
        stored = self._t.promotions.get(promotion_id)
        check_version(stored.version if stored else None, expected_version)
        del self._t.promotions[promotion_id]

    async def product_of_sku(self, sku_id: UUID) -> UUID | None:
        return next((p.id for p in self._t.products.values() if p.sku(sku_id)), None)

    async def sku_codes(self, sku_ids: Sequence[UUID]) -> dict[UUID, str]:
        wanted = set(sku_ids)
        return {s.id: s.code for p in self._t.products.values() for s in p.skus if s.id in wanted}

    async def list_prices(self, sku_ids: Sequence[UUID]) -> dict[UUID, Decimal]:
        wanted = set(sku_ids)
        return {
            s.id: s.list_price.amount
            for p in self._t.products.values()
            for s in p.skus
            if s.id in wanted and s.list_price is not None
        }

    async def sku_prices(
        self, sku_id: UUID, channel_id: UUID | None, tier: str | None, at: datetime
    ) -> SkuPrices | None:
        product_id = await self.product_of_sku(sku_id)
        if product_id is None:
            return None
        sku = self._t.products[product_id].sku(sku_id)
        assert sku is not None
        channel_prices: tuple[ChannelPrice, ...] = ()
        if channel_id is not None and (product_id, channel_id) in self._t.listings:
            amount = self._t.listings[(product_id, channel_id)].prices.get(sku_id)
            if amount is not None:
                channel_prices = (ChannelPrice(channel_id, amount),)
        return SkuPrices(
            sku_id,
            sku.list_price,
            channel_prices,
            tuple(
                m.price
                for m in self._t.member_prices.values()
                if m.sku_id == sku_id and tier is not None and m.price.tier == tier
            ),
            tuple(
                p.promotion
                for p in self._t.promotions.values()
                if p.sku_id == sku_id
                and p.promotion.active_at(at)
                and p.promotion.channel_id in (None, channel_id)
            ),
        )
